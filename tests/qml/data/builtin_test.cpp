#include "qml/data/builtin.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>

#include "qml/data/benchmark_families.hpp"
#include "qml/data/builtin_tables.hpp"
#include "simulator/core/errors.hpp"
#include "tests/support/error_message.hpp"
#include "tests/support/temp_files.hpp"

namespace qmlsim::qml {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

NamedDataset load(const std::string& name, std::map<std::string, std::string> options = {}, std::uint64_t seed = 1) {
  return load_builtin(DatasetRequest{name, std::move(options), seed});
}

TEST(BuiltinTest, NamesInHelpOrder) {
  EXPECT_THAT(builtin_dataset_names(),
              ElementsAre("iris", "wine", "breast_cancer", "moons", "circles", "xor", "blobs", "ad_hoc",
                          "linearly-separable", "hidden-manifold", "two-curves", "bars-and-stripes",
                          "hyperplanes-parity"));
  EXPECT_TRUE(is_builtin_dataset("iris"));
  EXPECT_TRUE(is_builtin_dataset("moons:noise=0.2"));
  EXPECT_FALSE(is_builtin_dataset("iris.csv"));
  EXPECT_FALSE(is_builtin_dataset("data/moons"));
  EXPECT_TRUE(is_builtin_dataset("two-curves:degree=3"));
}

TEST(BuiltinTest, EmbeddedTablesAreTheShippedFilesWithThePublishedHashes) {
  // The sha256 values of qml/data/builtin/README.md (from the scikit-learn 1.2.1 export).
  const std::map<std::string, std::string> published{
      {"iris.csv", "87f0ef5229d3c2825151152009663887281a6e3e164d35161efdbdfb69951049"},
      {"wine.csv", "c3e4ab227b603f1267d8fe069c2ba5107933e1853f7297fdc687112260eb48e7"},
      {"breast_cancer.csv", "a89eb1744ae2f8247cc4254203e055ba941f4b6858a9d40888f1b7fff5007e52"},
  };
  const auto tables = detail::embedded_tables();
  ASSERT_EQ(tables.size(), published.size());
  for (const auto& t : tables) {
    const std::string file(t.file);
    ASSERT_TRUE(published.count(file)) << file;
    EXPECT_EQ(t.sha256, published.at(file)) << file;
    const std::string shipped = testing::read_file(std::string(QMLSIM_SOURCE_DIR) + "/qml/data/builtin/" + file);
    ASSERT_FALSE(shipped.empty()) << file;
    EXPECT_EQ(t.text(), shipped) << file;
    EXPECT_GT(t.pieces.size(), 0u);
  }
}

TEST(BuiltinTest, Iris) {
  const NamedDataset n = load("iris");
  const Dataset& d = n.data;
  EXPECT_FALSE(n.test.has_value());
  EXPECT_EQ(n.description, "iris (150 samples, 4 features, 3 classes; UCI, CC BY 4.0)");
  ASSERT_EQ(d.size(), 150u);
  EXPECT_EQ(d.num_features(), 4);
  EXPECT_THAT(d.class_names(), ElementsAre("setosa", "versicolor", "virginica"));
  EXPECT_THAT(d.class_counts(), ElementsAre(50u, 50u, 50u));
  EXPECT_THAT(d.feature_names(), ElementsAre("sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm"));
  EXPECT_EQ(d.x()(0, 0), 5.1);
  EXPECT_EQ(d.x()(0, 3), 0.2);
  EXPECT_EQ(d.y().front(), 0);
  EXPECT_EQ(d.x()(149, 0), 5.9);
  EXPECT_EQ(d.x()(149, 2), 5.1);
  EXPECT_EQ(d.y().back(), 2);
}

TEST(BuiltinTest, Wine) {
  const Dataset d = load("wine").data;
  ASSERT_EQ(d.size(), 178u);
  EXPECT_EQ(d.num_features(), 13);
  EXPECT_THAT(d.class_names(), ElementsAre("class_0", "class_1", "class_2"));
  EXPECT_THAT(d.class_counts(), ElementsAre(59u, 71u, 48u));
  EXPECT_EQ(d.x()(0, 0), 14.23);
  EXPECT_EQ(d.x()(177, 12), 560.0);
  EXPECT_EQ(d.feature_names().back(), "proline");
}

TEST(BuiltinTest, BreastCancer) {
  const Dataset d = load("breast_cancer").data;
  ASSERT_EQ(d.size(), 569u);
  EXPECT_EQ(d.num_features(), 30);
  // Label 0 is malignant (scikit-learn's target_names).
  EXPECT_THAT(d.class_names(), ElementsAre("malignant", "benign"));
  EXPECT_THAT(d.class_counts(), ElementsAre(212u, 357u));
  EXPECT_EQ(d.x()(0, 0), 17.99);
  EXPECT_EQ(d.y().front(), 0);
  EXPECT_EQ(d.x()(568, 0), 7.76);
  EXPECT_EQ(d.y().back(), 1);
}

TEST(BuiltinTest, GeneratorDefaults) {
  const NamedDataset moons = load("moons");
  EXPECT_EQ(moons.data.size(), 200u);
  EXPECT_EQ(moons.description, "moons (200 samples, 2 features, 2 classes, noise 0.1, seed 1)");
  EXPECT_EQ(load("circles").description,
            "circles (200 samples, 2 features, 2 classes, noise 0.05, factor 0.5, seed 1)");
  EXPECT_EQ(load("xor").data.size(), 200u);
  const NamedDataset blobs = load("blobs");
  EXPECT_EQ(blobs.data.num_features(), 2);
  EXPECT_EQ(blobs.data.num_classes(), 2);
  const NamedDataset ad_hoc = load("ad_hoc");
  EXPECT_EQ(ad_hoc.data.size(), 40u);
  ASSERT_TRUE(ad_hoc.test.has_value());
  EXPECT_EQ(ad_hoc.test->size(), 10u);
  EXPECT_EQ(ad_hoc.data.num_features(), 2);
  EXPECT_EQ(ad_hoc.description, "ad_hoc (20 training and 5 test samples per class, 2 features, gap 0.3, seed 1)");
}

TEST(BuiltinTest, GeneratorOptionsInTheMapOrTheName) {
  const Dataset a = load("blobs", {{"samples", "30"}, {"features", "3"}, {"centers", "4"}, {"cluster_std", "0.5"}}, 7).data;
  EXPECT_EQ(a.size(), 30u);
  EXPECT_EQ(a.num_features(), 3);
  EXPECT_EQ(a.num_classes(), 4);
  const Dataset b = load("blobs:samples=30,features=3", {{"centers", "4"}, {"cluster_std", "0.5"}}, 7).data;
  EXPECT_EQ(a.x(), b.x());
  EXPECT_EQ(a.y(), b.y());
  const NamedDataset ad_hoc = load("ad_hoc", {{"training_size", "3"}, {"test_size", "2"}, {"features", "3"}, {"gap", "0.1"}});
  EXPECT_EQ(ad_hoc.data.size(), 6u);
  EXPECT_EQ(ad_hoc.test->size(), 4u);
  EXPECT_EQ(ad_hoc.data.num_features(), 3);
  // Seeds select the data.
  EXPECT_NE(load("moons", {}, 1).data.x(), load("moons", {}, 2).data.x());
  EXPECT_EQ(load("moons", {}, 3).data.x(), load("moons", {}, 3).data.x());
}

TEST(BuiltinTest, BenchmarkFamilyDefaults) {
  const NamedDataset separable = load("linearly-separable");
  EXPECT_EQ(separable.description,
            "linearly-separable (300 samples, 4 features, 2 classes, margin 0.08, seed 1)");
  EXPECT_THAT(separable.data.class_names(), ElementsAre("-1", "1"));
  EXPECT_FALSE(separable.test.has_value());
  EXPECT_EQ(load("hidden-manifold").description,
            "hidden-manifold (300 samples, 6 features, 2 classes, manifold_dimension 2, seed 1)");
  EXPECT_EQ(load("two-curves").description,
            "two-curves (300 samples, 4 features, 2 classes, degree 5, offset 0.1, noise 0.01, seed 1)");
  EXPECT_EQ(load("bars-and-stripes").description,
            "bars-and-stripes (300 samples, 16 features, 2 classes, 4 x 4 pixels, noise 0.5, seed 1)");
  EXPECT_EQ(load("hyperplanes-parity").description,
            "hyperplanes-parity (300 samples, 4 features, 2 classes, 3 hyperplanes in 3 dimensions, seed 1)");
}

TEST(BuiltinTest, BenchmarkFamilyOptionsReachTheGenerators) {
  // The margin's default follows the features (the study's 0.02 per feature).
  EXPECT_THAT(load("linearly-separable:features=10").description, HasSubstr("10 features, 2 classes, margin 0.2,"));
  const NamedDataset separable = load("linearly-separable", {{"samples", "40"}, {"features", "2"}, {"margin", "0.5"}}, 4);
  EXPECT_EQ(separable.data.size(), 40u);
  for (std::size_t i = 0; i < separable.data.size(); ++i)
    EXPECT_GT(std::abs(separable.data.x().row(static_cast<Eigen::Index>(i)).sum()), 0.5);
  EXPECT_EQ(load("hidden-manifold:samples=30,features=3,manifold_dimension=5").data.num_features(), 3);
  EXPECT_EQ(load("two-curves:samples=30,features=2,degree=2,offset=0.25,noise=0").data.num_features(), 2);
  const NamedDataset images = load("bars-and-stripes", {{"height", "2"}, {"width", "3"}, {"noise", "0"}});
  EXPECT_EQ(images.data.num_features(), 6);
  EXPECT_EQ(images.data.x().cwiseAbs().minCoeff(), 1.0);
  EXPECT_EQ(load("hyperplanes-parity:features=10,hyperplanes=5,dim_hyperplanes=2").data.num_features(), 10);
  // The builtin and the generator agree bit for bit.
  EXPECT_EQ(load("two-curves", {}, 9).data.x(), make_two_curves(300, 4, 5, 0.1, 0.01, 9).data.x());
}

TEST(BuiltinTest, BadNamesAndOptionsListTheValidOnes) {
  using testing::invalid_argument_of;
  EXPECT_EQ(invalid_argument_of([] { (void)load("moon"); }),
            "unknown data set 'moon' (built in: iris, wine, breast_cancer, moons, circles, xor, blobs, ad_hoc, "
            "linearly-separable, hidden-manifold, two-curves, bars-and-stripes, hyperplanes-parity; or a .csv file)");
  EXPECT_EQ(invalid_argument_of([] { (void)load("moons", {{"nois", "0.1"}}); }),
            "data set moons: unknown option 'nois' (valid: samples, noise)");
  EXPECT_EQ(invalid_argument_of([] { (void)load("circles", {{"radius", "2"}}); }),
            "data set circles: unknown option 'radius' (valid: samples, noise, factor)");
  EXPECT_EQ(invalid_argument_of([] { (void)load("ad_hoc", {{"n", "2"}}); }),
            "data set ad_hoc: unknown option 'n' (valid: training_size, test_size, features, gap)");
  EXPECT_EQ(invalid_argument_of([] { (void)load("blobs", {{"std", "2"}}); }),
            "data set blobs: unknown option 'std' (valid: samples, features, centers, cluster_std)");
  EXPECT_EQ(invalid_argument_of([] { (void)load("iris", {{"samples", "2"}}); }),
            "data set iris: unknown option 'samples' (it takes none)");
  EXPECT_THAT(invalid_argument_of([] { (void)load("ad_hoc", {{"features", "4"}}); }),
              HasSubstr("features must be an integer in [2, 3], got '4'"));
  EXPECT_THAT(invalid_argument_of([] { (void)load("moons", {{"noise", "-1"}}); }), HasSubstr("noise -1 must be >= 0"));
  EXPECT_EQ(invalid_argument_of([] { (void)load("two-curves", {{"degrees", "2"}}); }),
            "data set two-curves: unknown option 'degrees' (valid: samples, features, degree, offset, noise)");
  EXPECT_EQ(invalid_argument_of([] { (void)load("hyperplanes-parity", {{"planes", "2"}}); }),
            "data set hyperplanes-parity: unknown option 'planes' (valid: samples, features, hyperplanes, "
            "dim_hyperplanes)");
  EXPECT_THAT(invalid_argument_of([] { (void)load("bars-and-stripes", {{"height", "0"}}); }),
              HasSubstr("height must be an integer in [1, 64], got '0'"));
  EXPECT_EQ(invalid_argument_of([] { (void)load("linearly-separable", {{"margin", "2"}}); }),
            "linearly-separable: margin 2 out of range [0, 1]");
  EXPECT_THAT(invalid_argument_of([] { (void)load("moons:noise=0.2", {{"noise", "0.1"}}); }),
              HasSubstr("option 'noise' given twice"));
}

}  // namespace
}  // namespace qmlsim::qml

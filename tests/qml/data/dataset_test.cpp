#include "qml/data/dataset.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "simulator/core/errors.hpp"

namespace qmlsim::qml {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

FeatureMatrix matrix(int rows, int cols) {
  FeatureMatrix x(rows, cols);
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) x(i, j) = 10.0 * i + j;
  return x;
}

template <class F>
std::string dataset_error_of(F&& f) {
  try {
    f();
  } catch (const DatasetError& e) {
    return e.what();
  }
  return "(no DatasetError thrown)";
}

TEST(DatasetTest, HoldsFeaturesLabelsAndNames) {
  const Dataset d(matrix(3, 2), {1, 0, 1}, {"a", "b"});
  EXPECT_EQ(d.task(), Task::Classification);
  EXPECT_EQ(d.size(), 3u);
  EXPECT_EQ(d.num_features(), 2);
  EXPECT_EQ(d.num_classes(), 2);
  EXPECT_THAT(d.feature_names(), ElementsAre("x0", "x1"));
  EXPECT_THAT(d.class_counts(), ElementsAre(1u, 2u));
  EXPECT_TRUE(d.targets().empty());
  EXPECT_EQ(default_feature_name(12), "x12");
}

TEST(DatasetTest, RowsAreARowMajorView) {
  const Dataset d(matrix(3, 2), {0, 1, 0}, {"a", "b"});
  const ParameterRows rows = d.rows();
  EXPECT_EQ(rows.count, 3u);
  EXPECT_EQ(rows.width, 2u);
  EXPECT_EQ(rows.values.data(), d.x().data());
  EXPECT_EQ(rows.row(2)[1], 21.0);  // row 2, feature 1
}

TEST(DatasetTest, RefusesInconsistentInput) {
  EXPECT_EQ(dataset_error_of([] { (void)Dataset(matrix(3, 2), {0, 1}, {"a", "b"}); }), "3 rows but 2 labels");
  EXPECT_EQ(dataset_error_of([] { (void)Dataset(matrix(2, 2), {0, 3}, {"a", "b", "c"}); }),
            "row 1: label 3 out of range [0, 3)");
  EXPECT_EQ(dataset_error_of([] { (void)Dataset(matrix(2, 2), {0, 1}, {"a", "b"}, {"p"}); }),
            "2 features but 1 feature name");
  FeatureMatrix x = matrix(2, 2);
  x(1, 1) = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(dataset_error_of([&] { (void)Dataset(x, {0, 1}, {"a", "b"}, {"p", "q"}); }), "row 1, feature 'q' is nan");
  EXPECT_THAT(dataset_error_of([] { (void)Dataset::regression(matrix(1, 1), {HUGE_VAL}); }), HasSubstr("not finite"));
}

TEST(DatasetTest, SubsetKeepsNamesAndOrder) {
  const Dataset d(matrix(4, 2), {0, 1, 2, 1}, {"a", "b", "c"}, {"p", "q"});
  const std::vector<std::size_t> pick{3, 0};
  const Dataset s = d.subset(pick);
  EXPECT_THAT(s.y(), ElementsAre(1, 0));
  EXPECT_EQ(s.x()(0, 0), 30.0);
  EXPECT_EQ(s.x()(1, 1), 1.0);
  EXPECT_THAT(s.class_names(), ElementsAre("a", "b", "c"));
  EXPECT_THAT(s.feature_names(), ElementsAre("p", "q"));
  const std::vector<std::size_t> bad{4};
  EXPECT_THROW((void)d.subset(bad), InvalidArgument);
}

TEST(DatasetTest, RegressionAndWithFeatures) {
  const Dataset r = Dataset::regression(matrix(2, 1), {0.5, -1.0});
  EXPECT_EQ(r.task(), Task::Regression);
  EXPECT_EQ(r.num_classes(), 0);
  const Dataset r2 = r.with_features(matrix(2, 3));
  EXPECT_EQ(r2.task(), Task::Regression);
  EXPECT_THAT(r2.targets(), ElementsAre(0.5, -1.0));
  EXPECT_EQ(r2.num_features(), 3);
  EXPECT_THROW((void)r.with_features(matrix(3, 1)), InvalidArgument);
}

}  // namespace
}  // namespace qmlsim::qml

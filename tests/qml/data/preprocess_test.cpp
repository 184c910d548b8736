#include "qml/data/preprocess.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "qml/data/builtin.hpp"
#include "simulator/core/errors.hpp"
#include "tests/support/error_message.hpp"

namespace qmlsim::qml {
namespace {

using ::testing::HasSubstr;
constexpr double kPi = std::numbers::pi;

FeatureMatrix iris() { return load_builtin({"iris", {}, 1}).data.x(); }

/// Rows `first`, `first` + 2, ... of x.
FeatureMatrix every_other(const FeatureMatrix& x, int first) {
  FeatureMatrix out((x.rows() - first + 1) / 2, x.cols());
  for (Eigen::Index i = 0; i < out.rows(); ++i) out.row(i) = x.row(first + 2 * i);
  return out;
}

void expect_row_near(const FeatureMatrix& x, Eigen::Index row, const std::vector<double>& expected, double tol) {
  ASSERT_EQ(x.cols(), static_cast<Eigen::Index>(expected.size()));
  for (std::size_t j = 0; j < expected.size(); ++j)
    EXPECT_NEAR(x(row, static_cast<Eigen::Index>(j)), expected[j], tol) << "row " << row << ", column " << j;
}

TEST(PipelineTest, ParsesStepsAndSpellsThemCanonically) {
  EXPECT_EQ(Pipeline::parse("standard, minmax:-pi/2:pi/2 ,pca:2").spec(), "standard,minmax:-pi/2:pi/2,pca:2");
  EXPECT_EQ(Pipeline::parse("none").spec(), "none");
  EXPECT_TRUE(Pipeline::parse("none").empty());
  EXPECT_EQ(Pipeline().spec(), "none");
  EXPECT_EQ(Pipeline::parse("pca:3").output_features(10), 3);
  EXPECT_EQ(Pipeline::parse("standard").output_features(10), 10);
}

TEST(PipelineTest, RefusesBadSteps) {
  using testing::invalid_argument_of;
  EXPECT_EQ(invalid_argument_of([] { (void)Pipeline::parse("scale"); }),
            "unknown preprocessing step 'scale' (valid: standard, minmax:LO:HI, pca:K, none)");
  EXPECT_THAT(invalid_argument_of([] { (void)Pipeline::parse("minmax:0"); }), HasSubstr("'minmax:0' is malformed"));
  EXPECT_THAT(invalid_argument_of([] { (void)Pipeline::parse("minmax:pi:0"); }), HasSubstr("needs finite LO < HI"));
  EXPECT_THAT(invalid_argument_of([] { (void)Pipeline::parse("minmax:0:tau"); }),
              HasSubstr("'tau' is not a number or a multiple of pi"));
  EXPECT_THAT(invalid_argument_of([] { (void)Pipeline::parse("pca:0"); }), HasSubstr("K must be a positive integer, got '0'"));
  EXPECT_THAT(invalid_argument_of([] { (void)Pipeline::parse("pca:2.5"); }), HasSubstr("got '2.5'"));
  EXPECT_THAT(invalid_argument_of([] { (void)Pipeline::parse("standard,,pca:2"); }), HasSubstr("empty preprocessing step"));
  Pipeline p = Pipeline::parse("pca:5");
  EXPECT_EQ(invalid_argument_of([&] { p.fit(iris()); }),
            "preprocessing step 'pca:5': 5 components out of range [1, 4] (min of 150 rows and 4 features)");
  EXPECT_THAT(invalid_argument_of([&] { (void)p.transform(iris()); }), HasSubstr("is not fitted"));
  Pipeline s = Pipeline::parse("standard");
  s.fit(iris());
  EXPECT_EQ(invalid_argument_of([&] { (void)s.transform(FeatureMatrix::Zero(2, 3)); }),
            "preprocessing was fitted on 4 features, got 3");
}

TEST(PipelineTest, StandardGivesZeroMeanUnitPopulationVariance) {
  FeatureMatrix x(4, 2);
  x << 1, 5, 2, 5, 3, 5, 6, 5;  // column 1 constant
  Pipeline p = Pipeline::parse("standard");
  const FeatureMatrix z = p.fit_transform(x);
  EXPECT_NEAR(z.col(0).mean(), 0.0, 1e-15);
  EXPECT_NEAR(z.col(0).squaredNorm() / 4.0, 1.0, 1e-14);  // population variance, as scikit-learn
  EXPECT_EQ(z(0, 0), (1.0 - 3.0) / std::sqrt(3.5));
  EXPECT_TRUE((z.col(1).array() == 0.0).all());  // a constant column keeps scale 1
}

TEST(PipelineTest, MinMaxMapsTrainingRangeToBoundsWithPi) {
  FeatureMatrix x(3, 2);
  x << 1, 7, 3, 7, 2, 7;
  Pipeline p = Pipeline::parse("minmax:-pi/2:pi/2");
  const FeatureMatrix z = p.fit_transform(x);
  EXPECT_EQ(z(0, 0), -kPi / 2);
  EXPECT_EQ(z(1, 0), kPi / 2);
  EXPECT_NEAR(z(2, 0), 0.0, 1e-15);
  EXPECT_TRUE((z.col(1).array() == -kPi / 2).all());  // a constant column maps to LO
  // Test rows use the training range and are not clipped.
  FeatureMatrix t(1, 2);
  t << 5, 8;
  const FeatureMatrix zt = p.transform(t);
  EXPECT_NEAR(zt(0, 0), -kPi / 2 + 2.0 * kPi, 1e-14);
  EXPECT_NEAR(zt(0, 1), -kPi / 2 + kPi, 1e-14);
}

TEST(PipelineTest, FittedOnTrainingRowsOnlyAsScikitLearn) {
  // Reference: /usr/bin/python3 (scikit-learn 1.2.1), iris.csv features X:
  //   make_pipeline(StandardScaler(), MinMaxScaler((0, np.pi))).fit(X[0::2]).transform(X[1::2])
  //   make_pipeline(StandardScaler(), PCA(2)).fit(X[0::2]).transform(X[1::2])
  const FeatureMatrix x = iris(), train = every_other(x, 0), test = every_other(x, 1);
  Pipeline p = Pipeline::parse("standard,minmax:0:pi");
  p.fit(train);
  const FeatureMatrix z = p.transform(test);
  expect_row_near(z, 0, {0.4759988869075443, 1.4959965017094254, 0.21298933244676554, 0.1308996938995748}, 1e-12);
  expect_row_near(z, 1, {0.19039955476301684, 1.6455961518803681, 0.26623666555845693, 0.1308996938995748}, 1e-12);
  expect_row_near(z, 74, {1.4279966607226333, 1.4959965017094254, 2.1831406575793473, 2.2252947962927703}, 1e-12);
  Pipeline q = Pipeline::parse("standard,pca:2");
  q.fit(train);
  const FeatureMatrix r = q.transform(test);
  expect_row_near(r, 0, {-2.017944849544989, 0.860799375033025}, 1e-10);
  expect_row_near(r, 1, {-2.254545633096651, 0.8031889550284188}, 1e-10);
}

TEST(PipelineTest, PcaMatchesScikitLearnSigns) {
  // Reference: PCA(n_components=2).fit(X) on iris.csv (scikit-learn 1.2.1): components_ and the
  // transformed rows 0, 1, 2, 149.
  Pipeline p = Pipeline::parse("pca:2");
  const FeatureMatrix z = p.fit_transform(iris());
  const auto steps = p.fitted_steps();
  ASSERT_EQ(steps.size(), 1u);
  ASSERT_EQ(steps[0].values[1].first, "components");
  const Eigen::MatrixXd& c = steps[0].values[1].second;
  ASSERT_EQ(c.rows(), 2);
  ASSERT_EQ(c.cols(), 4);
  const double expected[2][4] = {{0.3613865917853685, -0.08452251406456857, 0.8566706059498348, 0.35828919715155066},
                                 {0.6565887712868423, 0.7301614347850268, -0.17337266279585695, -0.07548101991746337}};
  for (int k = 0; k < 2; ++k)
    for (int j = 0; j < 4; ++j) EXPECT_NEAR(c(k, j), expected[k][j], 1e-10);
  expect_row_near(z, 0, {-2.684125625969536, 0.3193972465851003}, 1e-10);
  expect_row_near(z, 1, {-2.7141416872943256, -0.1770012250647811}, 1e-10);
  expect_row_near(z, 2, {-2.8889905690592967, -0.14494942608555844}, 1e-10);
  expect_row_near(z, 149, {1.3901888619479126, -0.28266093799055075}, 1e-10);
}

TEST(PipelineTest, StandardThenPcaOnWine) {
  // Reference: PCA(3).fit_transform(StandardScaler().fit_transform(W)) on wine.csv, rows 0, 1, 177.
  Pipeline p = Pipeline::parse("standard,pca:3");
  const FeatureMatrix z = p.fit_transform(load_builtin({"wine", {}, 1}).data.x());
  expect_row_near(z, 0, {3.3167508122147784, -1.4434626343180095, -0.16573904461441874}, 1e-10);
  expect_row_near(z, 1, {2.209464916918848, 0.33339288708030046, -2.026457373807538}, 1e-10);
  expect_row_near(z, 177, {-3.2087581641980227, -2.768919566047575, 1.0139136641131143}, 1e-10);
}

TEST(PipelineTest, FittedStepsRoundTripExactly) {
  const FeatureMatrix x = iris(), train = every_other(x, 0), test = every_other(x, 1);
  Pipeline p = Pipeline::parse("standard,pca:3,minmax:0:2pi");
  p.fit(train);
  const Pipeline q = Pipeline::from_fitted(p.fitted_steps());
  EXPECT_TRUE(q.fitted());
  EXPECT_EQ(q.spec(), p.spec());
  EXPECT_EQ(q.input_features(), 4);
  EXPECT_EQ(q.transform(test), p.transform(test));  // bit for bit
  const Pipeline none = Pipeline::from_fitted({});
  EXPECT_EQ(none.transform(test), test);
}

TEST(PipelineTest, FromFittedRefusesValuesThatDoNotFit) {
  Pipeline p = Pipeline::parse("standard,pca:2");
  p.fit(iris());
  auto steps = p.fitted_steps();
  auto missing = steps;
  missing[0].values[1].first = "std";
  EXPECT_THROW((void)Pipeline::from_fitted(missing), DatasetError);
  auto shape = steps;
  shape[1].values[1].second = Eigen::MatrixXd::Zero(2, 3);  // components over 3 features, not 4
  try {
    (void)Pipeline::from_fitted(shape);
    FAIL() << "no DatasetError";
  } catch (const DatasetError& e) {
    EXPECT_THAT(std::string(e.what()), HasSubstr("value 'components' is 2 x 3, expected 2 x 4"));
  }
  auto unknown = steps;
  unknown[0].spec = "robust";
  EXPECT_THROW((void)Pipeline::from_fitted(unknown), DatasetError);
  auto nan = steps;
  nan[0].values[0].second(0, 1) = std::nan("");
  EXPECT_THROW((void)Pipeline::from_fitted(nan), DatasetError);
}

}  // namespace
}  // namespace qmlsim::qml

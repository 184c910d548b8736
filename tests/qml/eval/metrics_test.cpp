#include "qml/eval/metrics.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

#include "simulator/core/errors.hpp"

namespace qmlsim::qml {
namespace {

using ::testing::HasSubstr;

TEST(MetricsTest, AccuracyCountsEqualEntries) {
  const std::vector<int> truth{0, 1, 2, 1}, predicted{0, 1, 1, 1};
  EXPECT_DOUBLE_EQ(accuracy(truth, predicted), 0.75);
}

TEST(MetricsTest, RegressionScoresMatchHandComputedValues) {
  // scikit-learn's documented example of r2_score: y_true = [3, -0.5, 2, 7],
  // y_pred = [2.5, 0.0, 2, 8] gives 0.948... and mean_squared_error 0.375.
  const std::vector<double> truth{3, -0.5, 2, 7}, predicted{2.5, 0.0, 2, 8};
  EXPECT_DOUBLE_EQ(mean_squared_error(truth, predicted), 0.375);
  EXPECT_NEAR(r2_score(truth, predicted), 0.9486081370449679, 1e-15);
  const std::vector<double> constant{1, 1}, off{1, 2};
  EXPECT_EQ(r2_score(constant, constant), 1.0);
  EXPECT_EQ(r2_score(constant, off), 0.0);
}

TEST(MetricsTest, MismatchedOrEmptyInputsAreRefused) {
  const std::vector<int> a{0, 1}, b{0};
  try {
    (void)accuracy(a, b);
    FAIL() << "no exception";
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), HasSubstr("2 true values but 1 prediction"));
  }
  EXPECT_THROW((void)accuracy(std::vector<int>{}, std::vector<int>{}), InvalidArgument);
}

}  // namespace
}  // namespace qmlsim::qml

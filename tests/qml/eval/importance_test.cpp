#include "qml/eval/importance.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "simulator/core/errors.hpp"
#include "tests/support/error_message.hpp"

namespace qmlsim::qml {
namespace {

using ::testing::HasSubstr;

// 40 rows, three features; the label is the sign of feature 0 (features 1 and 2 are noise).
Dataset sign_data() {
  FeatureMatrix x(40, 3);
  Labels y;
  for (int i = 0; i < 40; ++i) {
    x(i, 0) = (i % 2 == 0 ? 1.0 : -1.0) * (0.1 + 0.05 * i);
    x(i, 1) = std::sin(1.3 * i);
    x(i, 2) = std::cos(0.7 * i);
    y.push_back(i % 2 == 0 ? 1 : 0);
  }
  return Dataset(x, y, {"neg", "pos"}, {"signal", "noise_a", "noise_b"});
}

// Accuracy of "feature 0 > 0 means class 1": depends on feature 0 only.
ScoreFunction sign_score(const Dataset& data, int* calls = nullptr) {
  return [&data, calls](const FeatureMatrix& x) {
    if (calls) ++*calls;
    int correct = 0;
    for (Eigen::Index i = 0; i < x.rows(); ++i) correct += (x(i, 0) > 0.0 ? 1 : 0) == data.y()[i] ? 1 : 0;
    return static_cast<double>(correct) / static_cast<double>(x.rows());
  };
}

TEST(ImportanceTest, OnlyTheFeatureTheScoreReadsMatters) {
  const Dataset data = sign_data();
  int calls = 0;
  const std::vector<FeatureImportance> imp = permutation_importance(data, sign_score(data, &calls), 4, 11);
  ASSERT_EQ(imp.size(), 3u);
  EXPECT_EQ(calls, 1 + 3 * 4);  // the baseline once, then every repeat of every feature
  EXPECT_EQ(imp[0].feature, "signal");
  EXPECT_EQ(imp[1].feature, "noise_a");
  EXPECT_EQ(imp[2].feature, "noise_b");
  // Shuffling the signal drops accuracy from 1 to about 1/2.
  EXPECT_GT(imp[0].mean, 0.2);
  EXPECT_LE(imp[0].mean, 1.0);
  EXPECT_GE(imp[0].std, 0.0);
  // The others cannot change the score: exactly 0.
  for (int j = 1; j < 3; ++j) {
    EXPECT_EQ(imp[j].mean, 0.0);
    EXPECT_EQ(imp[j].std, 0.0);
  }
}

TEST(ImportanceTest, MeanAndStdOverRepeatsAndShufflesArePermutations) {
  const Dataset data = sign_data();
  // Record the shuffled columns: each is a permutation of the original column.
  std::vector<double> drops;
  const ScoreFunction score = [&](const FeatureMatrix& x) {
    std::vector<double> column(x.col(0).begin(), x.col(0).end()), original(data.x().col(0).begin(),
                                                                            data.x().col(0).end());
    std::sort(column.begin(), column.end());
    std::sort(original.begin(), original.end());
    EXPECT_EQ(column, original);
    const double s = sign_score(data)(x);
    drops.push_back(1.0 - s);
    return s;
  };
  const std::vector<FeatureImportance> imp = permutation_importance(data, score, 5, 3);
  // drops[0] is the baseline (0); drops[1..5] are feature 0's repeats.
  ASSERT_EQ(drops.size(), 1u + 3u * 5u);
  double mean = 0.0, squares = 0.0;
  for (int r = 1; r <= 5; ++r) mean += drops[r];
  mean /= 5.0;
  for (int r = 1; r <= 5; ++r) squares += (drops[r] - mean) * (drops[r] - mean);
  EXPECT_NEAR(imp[0].mean, mean, 1e-15);
  EXPECT_NEAR(imp[0].std, std::sqrt(squares / 5.0), 1e-15);  // denominator repeats, as scikit-learn
}

TEST(ImportanceTest, DeterministicBySeed) {
  const Dataset data = sign_data();
  const auto a = permutation_importance(data, sign_score(data), 3, 42);
  const auto b = permutation_importance(data, sign_score(data), 3, 42);
  const auto c = permutation_importance(data, sign_score(data), 3, 43);
  for (std::size_t j = 0; j < a.size(); ++j) {
    EXPECT_EQ(a[j].mean, b[j].mean);
    EXPECT_EQ(a[j].std, b[j].std);
  }
  EXPECT_NE(a[0].mean, c[0].mean);  // other shuffles (40 rows: a tie is very unlikely; fixed seeds)
}

TEST(ImportanceTest, RefusesBadArguments) {
  using testing::invalid_argument_of;
  const Dataset data = sign_data();
  EXPECT_THAT(invalid_argument_of([&] { (void)permutation_importance(data, sign_score(data), 0, 1); }),
              HasSubstr("repeats 0 must be positive"));
  const Dataset empty(FeatureMatrix(0, 2), {}, {"a", "b"});
  EXPECT_THAT(invalid_argument_of([&] { (void)permutation_importance(empty, sign_score(empty), 2, 1); }),
              HasSubstr("no rows"));
  const ScoreFunction nan = [](const FeatureMatrix&) { return std::nan(""); };
  EXPECT_THAT(invalid_argument_of([&] { (void)permutation_importance(data, nan, 2, 1); }),
              HasSubstr("score of the unpermuted rows = nan is not finite"));
}

}  // namespace
}  // namespace qmlsim::qml

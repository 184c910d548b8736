// The shared loop pieces: seeded Fisher-Yates shuffles (a permutation, reproducible, different per
// epoch and seed, uniform enough), mini-batch streams (every row once per epoch), norms.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <vector>

#include "qml/optim/loop.hpp"
#include "tests/qml/optim/optim_testing.hpp"

namespace qmlsim::qml::detail {
namespace {

std::vector<std::size_t> identity(std::size_t n) {
  std::vector<std::size_t> v(n);
  std::iota(v.begin(), v.end(), std::size_t{0});
  return v;
}

TEST(ShuffledRowsTest, IsAPermutationReproducibleFromSeedAndEpoch) {
  const auto a = shuffled_rows(50, 3, 1);
  auto sorted = a;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, identity(50));
  EXPECT_EQ(shuffled_rows(50, 3, 1), a);
  EXPECT_NE(shuffled_rows(50, 3, 2), a);
  EXPECT_NE(shuffled_rows(50, 4, 1), a);
  EXPECT_TRUE(shuffled_rows(0, 3, 1).empty());
  EXPECT_EQ(shuffled_rows(1, 3, 1), identity(1));
}

TEST(ShuffledRowsTest, EveryRowLandsEverywhereAboutEquallyOften) {
  // 4 rows, 4000 epochs: each (row, position) count is Binomial(4000, 1/4), mean 1000, sd 27.4;
  // a biased shuffle (e.g. swapping with any position) misses these bounds by far.
  int counts[4][4] = {};
  for (std::uint64_t epoch = 1; epoch <= 4000; ++epoch) {
    const auto rows = shuffled_rows(4, 11, epoch);
    for (std::size_t p = 0; p < 4; ++p) ++counts[rows[p]][p];
  }
  for (auto& row : counts)
    for (const int c : row) {
      EXPECT_GT(c, 1000 - 5 * 28);
      EXPECT_LT(c, 1000 + 5 * 28);
    }
}

TEST(BatchStreamTest, VisitsEveryRowOncePerEpochInShuffledBatches) {
  testing::LeastSquares objective({1.0, 2.0}, 10);
  OptimizerSettings settings;
  settings.batch_size = 3;
  settings.seed = 9;
  BatchStream stream(objective, settings);
  ASSERT_TRUE(stream.active());
  EXPECT_EQ(stream.batches_per_epoch(), 4u);
  for (std::uint64_t epoch = 1; epoch <= 3; ++epoch) {
    std::vector<std::size_t> seen;
    std::vector<std::size_t> sizes;
    for (std::size_t b = 0; b < stream.batches_per_epoch(); ++b) {
      const auto batch = stream.next();
      sizes.push_back(batch.size());
      seen.insert(seen.end(), batch.begin(), batch.end());
    }
    EXPECT_EQ(sizes, (std::vector<std::size_t>{3, 3, 3, 1}));
    EXPECT_EQ(seen, shuffled_rows(10, 9, epoch));
  }
}

TEST(BatchStreamTest, FullBatchWhenNotSeparableOrNoBatchSize) {
  testing::LeastSquares separable({1.0}, 5);
  EXPECT_FALSE(BatchStream(separable, OptimizerSettings{}).active());
  OptimizerSettings settings;
  settings.batch_size = 2;
  auto rosenbrock = testing::rosenbrock_objective();
  BatchStream stream(rosenbrock, settings);
  EXPECT_FALSE(stream.active());
  EXPECT_EQ(stream.batches_per_epoch(), 1u);
}

TEST(NormTest, EuclideanNormAndDistance) {
  const std::vector<double> a = {3.0, 4.0}, b = {0.0, 1.0};
  EXPECT_DOUBLE_EQ(norm(a), 5.0);
  EXPECT_DOUBLE_EQ(distance(a, b), std::sqrt(18.0));
  EXPECT_EQ(norm(std::vector<double>{}), 0.0);
}

}  // namespace
}  // namespace qmlsim::qml::detail

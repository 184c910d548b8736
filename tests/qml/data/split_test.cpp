#include "qml/data/split.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <set>
#include <vector>

#include "simulator/core/errors.hpp"
#include "tests/support/error_message.hpp"

namespace qmlsim::qml {
namespace {

using ::testing::ElementsAre;

/// `per_class[c]` rows of class c, interleaved; feature 0 is the row index, so rows can be traced.
Dataset indexed(const std::vector<int>& per_class) {
  Labels y;
  for (std::size_t round = 0; y.size() < static_cast<std::size_t>(std::accumulate(per_class.begin(), per_class.end(), 0));
       ++round)
    for (std::size_t c = 0; c < per_class.size(); ++c)
      if (round < static_cast<std::size_t>(per_class[c])) y.push_back(static_cast<int>(c));
  FeatureMatrix x(static_cast<Eigen::Index>(y.size()), 1);
  for (Eigen::Index i = 0; i < x.rows(); ++i) x(i, 0) = static_cast<double>(i);
  std::vector<std::string> names;
  for (std::size_t c = 0; c < per_class.size(); ++c) names.push_back(std::string("c").append(std::to_string(c)));
  return Dataset(std::move(x), std::move(y), std::move(names));
}

std::vector<int> row_ids(const Dataset& d) {
  std::vector<int> ids;
  for (Eigen::Index i = 0; i < d.x().rows(); ++i) ids.push_back(static_cast<int>(d.x()(i, 0)));
  return ids;
}

TEST(SplitTest, StratifiedCountsDisjointCompleteAndOrdered) {
  const Dataset data = indexed({50, 50, 50});
  const Split s = train_test_split(data, 0.3, 42);
  EXPECT_THAT(s.test.class_counts(), ElementsAre(15u, 15u, 15u));
  EXPECT_THAT(s.train.class_counts(), ElementsAre(35u, 35u, 35u));
  const auto train = row_ids(s.train), test = row_ids(s.test);
  EXPECT_TRUE(std::is_sorted(train.begin(), train.end()));
  EXPECT_TRUE(std::is_sorted(test.begin(), test.end()));
  std::set<int> all(train.begin(), train.end());
  all.insert(test.begin(), test.end());
  EXPECT_EQ(all.size(), data.size());  // disjoint and complete
  for (std::size_t i = 0; i < s.test.size(); ++i)  // labels travel with their rows
    EXPECT_EQ(s.test.y()[i], data.y()[static_cast<std::size_t>(test[i])]);
  EXPECT_THAT(s.test.class_names(), ElementsAre("c0", "c1", "c2"));
}

TEST(SplitTest, SeedDecidesTheSplit) {
  const Dataset data = indexed({40, 20});
  EXPECT_EQ(row_ids(train_test_split(data, 0.25, 7).test), row_ids(train_test_split(data, 0.25, 7).test));
  EXPECT_NE(row_ids(train_test_split(data, 0.25, 7).test), row_ids(train_test_split(data, 0.25, 8).test));
}

TEST(SplitTest, RoundsPerClassAndKeepsEveryClassOnBothSides) {
  const Dataset data = indexed({9, 3, 2, 1});
  const Split s = train_test_split(data, 0.2, 1);
  // round(1.8) = 2, round(0.6) = 1, round(0.4) = 0 -> at least 1, a single row stays in training.
  EXPECT_THAT(s.test.class_counts(), ElementsAre(2u, 1u, 1u, 0u));
  EXPECT_THAT(s.train.class_counts(), ElementsAre(7u, 2u, 1u, 1u));
}

TEST(SplitTest, RegressionSplitsWithoutStrata) {
  FeatureMatrix x(10, 1);
  std::vector<double> t;
  for (int i = 0; i < 10; ++i) {
    x(i, 0) = i;
    t.push_back(0.5 * i);
  }
  const Split s = train_test_split(Dataset::regression(x, t), 0.3, 3);
  EXPECT_EQ(s.test.size(), 3u);
  EXPECT_EQ(s.train.size(), 7u);
  for (std::size_t i = 0; i < s.test.size(); ++i) EXPECT_EQ(s.test.targets()[i], 0.5 * s.test.x()(static_cast<Eigen::Index>(i), 0));
}

TEST(SplitTest, RefusesBadFractions) {
  using testing::invalid_argument_of;
  const Dataset data = indexed({5, 5});
  EXPECT_EQ(invalid_argument_of([&] { (void)train_test_split(data, 0.0, 1); }), "test size 0 out of range (0, 1)");
  EXPECT_EQ(invalid_argument_of([&] { (void)train_test_split(data, 1.0, 1); }), "test size 1 out of range (0, 1)");
  EXPECT_EQ(invalid_argument_of([&] { (void)train_test_split(indexed({1, 1}), 0.5, 1); }),
            "test size 0.5 of 2 rows leaves the test set empty");
}

TEST(StratifiedKFoldTest, FoldsPartitionTheRowsAndBalanceClasses) {
  const Dataset data = indexed({23, 11, 7});
  const auto folds = stratified_k_fold(data, 5, 9);
  ASSERT_EQ(folds.size(), 5u);
  std::vector<int> seen(data.size(), 0);
  std::size_t smallest = data.size(), largest = 0;
  for (const auto& f : folds) {
    EXPECT_TRUE(std::is_sorted(f.begin(), f.end()));
    smallest = std::min(smallest, f.size());
    largest = std::max(largest, f.size());
    for (std::size_t i : f) ++seen[i];
  }
  EXPECT_THAT(seen, ::testing::Each(1));
  EXPECT_LE(largest - smallest, 1u);
  for (int c = 0; c < 3; ++c) {  // each class spread evenly: counts per fold differ by at most one
    std::vector<int> per_fold;
    for (const auto& f : folds)
      per_fold.push_back(static_cast<int>(std::count_if(f.begin(), f.end(), [&](std::size_t i) { return data.y()[i] == c; })));
    EXPECT_LE(*std::max_element(per_fold.begin(), per_fold.end()) - *std::min_element(per_fold.begin(), per_fold.end()), 1);
  }
  EXPECT_EQ(stratified_k_fold(data, 5, 9), folds);
  EXPECT_NE(stratified_k_fold(data, 5, 10), folds);
}

TEST(StratifiedKFoldTest, RefusesBadK) {
  using testing::invalid_argument_of;
  const Dataset data = indexed({2, 2});
  EXPECT_EQ(invalid_argument_of([&] { (void)stratified_k_fold(data, 1, 1); }), "stratified k-fold: k 1 out of range [2, 4]");
  EXPECT_EQ(invalid_argument_of([&] { (void)stratified_k_fold(data, 5, 1); }), "stratified k-fold: k 5 out of range [2, 4]");
}

}  // namespace
}  // namespace qmlsim::qml

#pragma once
/// Seeded, stratified splits. Permutations are Fisher-Yates shuffles driven by Rng(seed, stream)
/// (never std::shuffle), so a split depends on the seed only: not on the thread count, the
/// machine or the library version of the standard library.
#include <cstdint>
#include <vector>

#include "qml/data/dataset.hpp"

namespace qmlsim::qml {

/// Stratified train/test split: each class contributes round(test_fraction * its count) test
/// rows (at least one train and one test row per class when the class has two or more rows);
/// rows keep their original relative order inside train and test. Regression data is split
/// without strata. Throws InvalidArgument for test_fraction outside (0, 1) or a split that
/// leaves the training or test set empty.
[[nodiscard]] Split train_test_split(const Dataset& data, double test_fraction, std::uint64_t seed);

/// Stratified k-fold: fold f's test rows are the rows with fold index f (each class dealt out
/// round-robin over the folds after a seeded shuffle, the deal continuing from one class to the
/// next, so fold sizes differ by at most one overall and per class, as scikit-learn's
/// StratifiedKFold with shuffle=True balances them). Returns the test row indices of each fold, ascending. Throws
/// InvalidArgument for k < 2 or k > the number of rows.
[[nodiscard]] std::vector<std::vector<std::size_t>> stratified_k_fold(const Dataset& data, int k, std::uint64_t seed);

}  // namespace qmlsim::qml

#include "qml/data/split.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "simulator/core/errors.hpp"
#include "simulator/core/rng.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim::qml {

namespace {

/// The row indices of each stratum: one per class, or one for all rows of a regression set.
std::vector<std::vector<std::size_t>> strata(const Dataset& data) {
  if (data.task() == Task::Regression) {
    std::vector<std::size_t> all(data.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    return {all};
  }
  std::vector<std::vector<std::size_t>> by_class(static_cast<std::size_t>(data.num_classes()));
  for (std::size_t i = 0; i < data.size(); ++i) by_class[static_cast<std::size_t>(data.y()[i])].push_back(i);
  return by_class;
}

/// Fisher-Yates with Rng::below (never std::shuffle: its algorithm is the library's choice).
void shuffle(std::vector<std::size_t>& v, Rng& rng) {
  for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng.below(i)]);
}

}  // namespace

Split train_test_split(const Dataset& data, double test_fraction, std::uint64_t seed) {
  if (!(test_fraction > 0.0 && test_fraction < 1.0))
    throw InvalidArgument("test size " + format_number(test_fraction) + " out of range (0, 1)");
  Rng rng(seed, 0);
  std::vector<std::size_t> train, test;
  for (auto& rows : strata(data)) {
    shuffle(rows, rng);
    const std::size_t n = rows.size();
    auto n_test = static_cast<std::size_t>(std::round(test_fraction * static_cast<double>(n)));
    if (n >= 2) n_test = std::clamp<std::size_t>(n_test, 1, n - 1);
    else n_test = 0;
    test.insert(test.end(), rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(n_test));
    train.insert(train.end(), rows.begin() + static_cast<std::ptrdiff_t>(n_test), rows.end());
  }
  if (train.empty() || test.empty())
    throw InvalidArgument("test size " + format_number(test_fraction) + " of " + plural(static_cast<long long>(data.size()), "row") +
                          " leaves the " + (train.empty() ? "training" : "test") + " set empty");
  std::sort(train.begin(), train.end());
  std::sort(test.begin(), test.end());
  return {data.subset(train), data.subset(test)};
}

std::vector<std::vector<std::size_t>> stratified_k_fold(const Dataset& data, int k, std::uint64_t seed) {
  check_range(k, 2, data.size(), "stratified k-fold: k");
  Rng rng(seed, 0);
  std::vector<std::vector<std::size_t>> folds(static_cast<std::size_t>(k));
  // The deal continues from class to class, so fold sizes differ by at most one overall and
  // each class's rows by at most one between folds.
  std::size_t next = 0;
  for (auto& rows : strata(data)) {
    shuffle(rows, rng);
    for (std::size_t row : rows) folds[next++ % folds.size()].push_back(row);
  }
  for (auto& f : folds) std::sort(f.begin(), f.end());
  return folds;
}

}  // namespace qmlsim::qml

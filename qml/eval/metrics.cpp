#include "qml/eval/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <string>

#include "simulator/core/errors.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim::qml {

namespace {

void check_lengths(std::size_t truth, std::size_t predicted, const char* what) {
  if (truth == 0) throw InvalidArgument(std::string(what) + ": no samples");
  if (truth != predicted)
    throw InvalidArgument(std::string(what) + ": " + plural(static_cast<long long>(truth), "true value") + " but " +
                          plural(static_cast<long long>(predicted), "prediction"));
}

// Every label in [0, num_classes) (num_classes >= 1), else InvalidArgument naming the row.
void check_labels(std::span<const int> labels, int num_classes, const char* what, const char* which) {
  for (std::size_t i = 0; i < labels.size(); ++i)
    check_index(labels[i], num_classes,
                [&] { return std::string(what) + ": row " + std::to_string(i) + ", " + which + " label"; });
}

}  // namespace

double accuracy(std::span<const int> truth, std::span<const int> predicted) {
  check_lengths(truth.size(), predicted.size(), "accuracy");
  std::size_t equal = 0;
  for (std::size_t i = 0; i < truth.size(); ++i) equal += truth[i] == predicted[i] ? 1 : 0;
  return static_cast<double>(equal) / static_cast<double>(truth.size());
}

double mean_squared_error(std::span<const double> truth, std::span<const double> predicted) {
  check_lengths(truth.size(), predicted.size(), "mean squared error");
  double sum = 0.0;
  for (std::size_t i = 0; i < truth.size(); ++i) sum += (truth[i] - predicted[i]) * (truth[i] - predicted[i]);
  return sum / static_cast<double>(truth.size());
}

double r2_score(std::span<const double> truth, std::span<const double> predicted) {
  check_lengths(truth.size(), predicted.size(), "r2 score");
  double mean = 0.0;
  for (double t : truth) mean += t;
  mean /= static_cast<double>(truth.size());
  double ss_res = 0.0, ss_tot = 0.0;
  for (std::size_t i = 0; i < truth.size(); ++i) {
    ss_res += (truth[i] - predicted[i]) * (truth[i] - predicted[i]);
    ss_tot += (truth[i] - mean) * (truth[i] - mean);
  }
  if (ss_tot == 0.0) return ss_res == 0.0 ? 1.0 : 0.0;
  return 1.0 - ss_res / ss_tot;
}

Eigen::MatrixXi confusion_matrix(std::span<const int> truth, std::span<const int> predicted, int num_classes) {
  check_lengths(truth.size(), predicted.size(), "confusion matrix");
  check_positive(num_classes, "confusion matrix: number of classes");
  check_labels(truth, num_classes, "confusion matrix", "true");
  check_labels(predicted, num_classes, "confusion matrix", "predicted");
  Eigen::MatrixXi counts = Eigen::MatrixXi::Zero(num_classes, num_classes);
  for (std::size_t i = 0; i < truth.size(); ++i) ++counts(truth[i], predicted[i]);
  return counts;
}

double balanced_accuracy(std::span<const int> truth, std::span<const int> predicted, int num_classes) {
  const Eigen::MatrixXi counts = confusion_matrix(truth, predicted, num_classes);
  double sum = 0.0;
  int present = 0;
  for (int c = 0; c < num_classes; ++c) {
    const int support = counts.row(c).sum();
    if (support == 0) continue;
    sum += static_cast<double>(counts(c, c)) / static_cast<double>(support);
    ++present;
  }
  return sum / static_cast<double>(present);  // present >= 1: there is at least one sample
}

double f1_macro(std::span<const int> truth, std::span<const int> predicted, int num_classes) {
  const Eigen::MatrixXi counts = confusion_matrix(truth, predicted, num_classes);
  double sum = 0.0;
  int present = 0;
  for (int c = 0; c < num_classes; ++c) {
    const int tp = counts(c, c);
    const int fn = counts.row(c).sum() - tp, fp = counts.col(c).sum() - tp;
    if (tp + fn + fp == 0) continue;  // neither true nor predicted
    sum += 2.0 * tp / static_cast<double>(2 * tp + fp + fn);
    ++present;
  }
  return sum / static_cast<double>(present);
}

double roc_auc(std::span<const int> truth, std::span<const double> score) {
  check_lengths(truth.size(), score.size(), "roc auc");
  check_labels(truth, 2, "roc auc", "true");
  for (std::size_t i = 0; i < score.size(); ++i)
    check_finite(score[i], [&] { return "roc auc: score of row " + std::to_string(i); });
  // Sort by score; in each run of equal scores, a positive beats every negative below the run
  // and ties (half) with the run's negatives. 2 * pairs stays an exact integer.
  std::vector<std::size_t> order(truth.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return score[a] < score[b]; });
  std::uint64_t negatives_below = 0, positives = 0, twice_pairs = 0;
  for (std::size_t begin = 0; begin < order.size();) {
    std::size_t end = begin;
    std::uint64_t run_positives = 0, run_negatives = 0;
    for (; end < order.size() && score[order[end]] == score[order[begin]]; ++end)
      ++(truth[order[end]] == 1 ? run_positives : run_negatives);
    twice_pairs += run_positives * (2 * negatives_below + run_negatives);
    negatives_below += run_negatives;
    positives += run_positives;
    begin = end;
  }
  if (positives == 0 || negatives_below == 0)
    throw InvalidArgument("roc auc: only class " + std::string(positives == 0 ? "0" : "1") +
                          " is present in the truth; the area needs both classes 0 and 1");
  return static_cast<double>(twice_pairs) / (2.0 * static_cast<double>(positives) * static_cast<double>(negatives_below));
}

double log_loss(std::span<const int> truth, const Eigen::MatrixXd& proba) {
  check_lengths(truth.size(), static_cast<std::size_t>(proba.rows()), "log loss");
  const auto classes = static_cast<int>(proba.cols());
  check_positive(classes, "log loss: probability columns");
  check_labels(truth, classes, "log loss", "true");
  constexpr double eps = 1e-15;
  double sum = 0.0;
  for (Eigen::Index i = 0; i < proba.rows(); ++i) {
    double row_sum = 0.0;
    for (Eigen::Index c = 0; c < proba.cols(); ++c) {
      check_finite(proba(i, c), [&] {
        return "log loss: probability of row " + std::to_string(i) + ", class " + std::to_string(c);
      });
      row_sum += std::clamp(proba(i, c), eps, 1.0 - eps);
    }
    sum -= std::log(std::clamp(proba(i, truth[static_cast<std::size_t>(i)]), eps, 1.0 - eps) / row_sum);
  }
  return sum / static_cast<double>(truth.size());
}

double mean_absolute_error(std::span<const double> truth, std::span<const double> predicted) {
  check_lengths(truth.size(), predicted.size(), "mean absolute error");
  double sum = 0.0;
  for (std::size_t i = 0; i < truth.size(); ++i) sum += std::abs(truth[i] - predicted[i]);
  return sum / static_cast<double>(truth.size());
}

}  // namespace qmlsim::qml

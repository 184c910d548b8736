#include "qml/eval/metrics.hpp"

#include "simulator/core/errors.hpp"

namespace qmlsim::qml {

namespace {

void check_lengths(std::size_t truth, std::size_t predicted, const char* what) {
  if (truth == 0) throw InvalidArgument(std::string(what) + ": no samples");
  if (truth != predicted)
    throw InvalidArgument(std::string(what) + ": " + plural(static_cast<long long>(truth), "true value") + " but " +
                          plural(static_cast<long long>(predicted), "prediction"));
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

}  // namespace qmlsim::qml

#include "qml/optim/loop.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "simulator/core/errors.hpp"
#include "simulator/core/rng.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim::qml::detail {

void check_start(const Objective& objective, std::span<const double> x0, std::string_view name,
                 bool needs_gradient) {
  check_count(x0.size(), objective.num_parameters(), std::string("optimizer ") + std::string(name) + ": initial point",
              "value");
  if (needs_gradient && !objective.has_gradient())
    throw InvalidArgument("optimizer " + std::string(name) +
                          " needs exact gradients, which this objective does not have (gradient-free: spsa, "
                          "cobyla, nelder-mead, bobyqa)");
}

double norm(std::span<const double> v) noexcept {
  double s = 0.0;
  for (const double x : v) s += x * x;
  return std::sqrt(s);
}

double distance(std::span<const double> a, std::span<const double> b) noexcept {
  double s = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) s += (a[i] - b[i]) * (a[i] - b[i]);
  return std::sqrt(s);
}

std::vector<std::size_t> shuffled_rows(std::size_t n, std::uint64_t seed, std::uint64_t epoch) {
  std::vector<std::size_t> rows(n);
  for (std::size_t i = 0; i < n; ++i) rows[i] = i;
  Rng rng(seed, epoch);
  for (std::size_t i = n; i > 1; --i) std::swap(rows[i - 1], rows[rng.below(i)]);
  return rows;
}

BatchStream::BatchStream(const Objective& objective, const OptimizerSettings& settings)
    : rows_(objective.num_samples()), seed_(settings.seed) {
  if (settings.batch_size > 0 && rows_ > 0) batch_size_ = settings.batch_size;
}

std::size_t BatchStream::batches_per_epoch() const noexcept {
  return active() ? (rows_ + batch_size_ - 1) / batch_size_ : 1;
}

std::span<const std::size_t> BatchStream::next() {
  if (position_ == order_.size()) {
    order_ = shuffled_rows(rows_, seed_, ++epoch_);
    position_ = 0;
  }
  const std::size_t size = std::min(batch_size_, order_.size() - position_);
  const std::span<const std::size_t> batch(order_.data() + position_, size);
  position_ += size;
  return batch;
}

Progress::Progress(const Callback& callback, const OptimizerSettings& settings)
    : callback_(callback), time_limit_(settings.time_limit), start_(std::chrono::steady_clock::now()) {}

double Progress::seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

std::string Progress::report(IterationInfo& info) const {
  info.evaluations = evaluations;
  info.seconds = seconds();
  if (callback_ && callback_(info)) return "callback";
  if (time_limit_ > 0.0 && seconds() >= time_limit_) return "time_limit";
  return {};
}

OptimizeResult Progress::finish(std::vector<double> x, double loss, int iterations, std::string stop_reason) const {
  OptimizeResult result;
  result.x = std::move(x);
  result.loss = loss;
  result.iterations = iterations;
  result.evaluations = evaluations;
  result.seconds = seconds();
  result.stop_reason = std::move(stop_reason);
  return result;
}

}  // namespace qmlsim::qml::detail

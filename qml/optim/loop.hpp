#pragma once
/// What every optimizer's loop shares (private to qml/optim): the start checks, the clock, the
/// evaluation count, the callback and the time limit (Progress), seeded mini-batch shuffles, and
/// the factories make_optimizer dispatches to.
#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "qml/optim/optimizer.hpp"

namespace qmlsim::qml::detail {

/// Rng stream of SPSA's perturbations; epochs use streams 1, 2, ... (far below this one).
inline constexpr std::uint64_t kPerturbationStream = 0x5350'5341'0000'0000ULL;

/// Throws InvalidArgument unless x0.size() == objective.num_parameters() (and, when
/// `needs_gradient`, the objective has exact gradients). `name` is the optimizer's.
void check_start(const Objective& objective, std::span<const double> x0, std::string_view name,
                 bool needs_gradient);

/// Euclidean norm of v.
[[nodiscard]] double norm(std::span<const double> v) noexcept;
/// Euclidean norm of a - b (equal sizes).
[[nodiscard]] double distance(std::span<const double> a, std::span<const double> b) noexcept;

/// The rows 0..n-1 in the order of epoch `epoch` of `seed`: a Fisher-Yates shuffle drawn from
/// Rng(seed, epoch). Epochs are numbered 1, 2, ...
[[nodiscard]] std::vector<std::size_t> shuffled_rows(std::size_t n, std::uint64_t seed, std::uint64_t epoch);

/// Mini-batches of a separable objective, epoch after epoch: batch_size > 0 and num_samples() > 0
/// (active() is false otherwise: full batch). Epoch e visits every row once, in the order of
/// shuffled_rows(n, seed, e), in consecutive batches of batch_size rows (the last may be shorter).
class BatchStream {
 public:
  BatchStream(const Objective& objective, const OptimizerSettings& settings);
  [[nodiscard]] bool active() const noexcept { return batch_size_ > 0; }
  /// Batches per epoch (1 when not active).
  [[nodiscard]] std::size_t batches_per_epoch() const noexcept;
  /// The next batch (starting epoch 1; a new shuffle after each full epoch). Valid until the next
  /// call. Only when active().
  [[nodiscard]] std::span<const std::size_t> next();

 private:
  std::size_t rows_ = 0;
  std::size_t batch_size_ = 0;
  std::uint64_t seed_ = 0;
  std::uint64_t epoch_ = 0;
  std::size_t position_ = 0;
  std::vector<std::size_t> order_;
};

/// The clock, the evaluation count, the callback and the time limit of one minimize() call.
class Progress {
 public:
  Progress(const Callback& callback, const OptimizerSettings& settings);
  /// Objective evaluations so far (each value / gradient / batch call counts 1).
  std::uint64_t evaluations = 0;
  [[nodiscard]] double seconds() const;
  /// Fills info.evaluations and info.seconds, runs the callback and checks the time limit.
  /// Returns why to stop ("callback", "time_limit") or an empty string to go on. Exceptions from
  /// the callback propagate.
  [[nodiscard]] std::string report(IterationInfo& info) const;
  /// The result with the evaluation count and the time filled in.
  [[nodiscard]] OptimizeResult finish(std::vector<double> x, double loss, int iterations,
                                      std::string stop_reason) const;

 private:
  const Callback& callback_;
  double time_limit_;
  std::chrono::steady_clock::time_point start_;
};

/// The factories make_optimizer dispatches to; each validates its options with ComponentOptions.
[[nodiscard]] std::unique_ptr<Optimizer> make_sgd(const ComponentSpec& spec, const OptimizerSettings& settings);
[[nodiscard]] std::unique_ptr<Optimizer> make_adam(const ComponentSpec& spec, const OptimizerSettings& settings);
[[nodiscard]] std::unique_ptr<Optimizer> make_spsa(const ComponentSpec& spec, const OptimizerSettings& settings);
/// cobyla, lbfgs, nelder-mead, bobyqa (nlopt_optimizer.cpp, the only file including <nlopt.hpp>).
[[nodiscard]] std::unique_ptr<Optimizer> make_nlopt(const ComponentSpec& spec, const OptimizerSettings& settings);
/// True for the names make_nlopt accepts.
[[nodiscard]] bool is_nlopt_method(std::string_view name) noexcept;

}  // namespace qmlsim::qml::detail

#pragma once
/// Optimizers: one interface, the optimizer owns the loop (as in ensmallen), callbacks see every
/// iteration and may stop it. Hand-written: sgd (momentum, Nesterov), adam (AMSGrad), spsa
/// (Qiskit's calibration of the gains, seeded perturbations). From NLopt, behind ONE adapter
/// (optim/nlopt_optimizer.cpp, the only file that includes <nlopt.hpp>): cobyla, lbfgs,
/// nelder-mead, bobyqa. The adapter keeps qmlsim's exception types (NLopt's C++ wrapper turns any
/// exception into NLOPT_FAILURE: the objective wrapper catches it, keeps the std::exception_ptr,
/// force-stops and rethrows after optimize()), seeds NLopt with nlopt::srand(seed) before each run
/// (never the clock), and counts function evaluations.
///
/// Determinism: the same objective, x0, spec and settings give the same path bit for bit (no
/// clock, no thread-count dependence: objectives reduce in row order). The only exception is
/// time_limit, which stops at a wall-clock moment (documented on the option).
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "qml/encoding/component_spec.hpp"

namespace qmlsim::qml {

/// What an optimizer minimises. A separable objective (num_samples() > 0) is a mean of per-sample
/// terms, so stochastic optimizers may evaluate mini-batches of rows; full-batch optimizers call
/// value() / value_and_gradient() only.
class Objective {
 public:
  virtual ~Objective() = default;
  [[nodiscard]] virtual std::size_t num_parameters() const = 0;
  /// f(x) over all samples.
  [[nodiscard]] virtual double value(std::span<const double> x) = 0;
  /// f(x) and its gradient (grad.size() == num_parameters()) over all samples. Objectives without
  /// an exact gradient throw InvalidArgument naming themselves (has_gradient() is false).
  virtual double value_and_gradient(std::span<const double> x, std::span<double> grad) = 0;
  [[nodiscard]] virtual bool has_gradient() const { return true; }
  /// 0 when not separable; otherwise the number of per-sample terms.
  [[nodiscard]] virtual std::size_t num_samples() const { return 0; }
  /// Mean over the given rows (indices < num_samples()) and its gradient. Default: InvalidArgument.
  virtual double batch_value_and_gradient(std::span<const double> x, std::span<const std::size_t> rows,
                                          std::span<double> grad);
  /// Mean over the given rows, no gradient (SPSA on mini-batches). Default: InvalidArgument.
  [[nodiscard]] virtual double batch_value(std::span<const double> x, std::span<const std::size_t> rows);
};

/// An objective from plain functions (tests, Rosenbrock, classical models). `gradient` may be
/// empty (has_gradient() false).
class FunctionObjective final : public Objective {
 public:
  using Value = std::function<double(std::span<const double>)>;
  using ValueAndGradient = std::function<double(std::span<const double>, std::span<double>)>;
  FunctionObjective(std::size_t num_parameters, Value value, ValueAndGradient value_and_gradient = {});
  [[nodiscard]] std::size_t num_parameters() const override { return n_; }
  [[nodiscard]] double value(std::span<const double> x) override { return value_(x); }
  double value_and_gradient(std::span<const double> x, std::span<double> grad) override;
  [[nodiscard]] bool has_gradient() const override { return static_cast<bool>(value_and_gradient_); }

 private:
  std::size_t n_;
  Value value_;
  ValueAndGradient value_and_gradient_;
};

/// What a callback sees after each iteration (gradient-free methods: after each function
/// evaluation that NLopt reports as an iteration, i.e. every evaluation).
struct IterationInfo {
  int iteration = 0;            ///< 1, 2, ... (0 is the initial point, reported once before the loop)
  double loss = 0.0;            ///< objective at x (mini-batches: the mean of this epoch's batch losses,
                                ///< each before its step; spsa: the mean of its two perturbed values)
  double gradient_norm = 0.0;   ///< Euclidean norm of the last gradient (SPSA: of its estimate; 0 for the
                                ///< gradient-free NLopt methods)
  double step_size = 0.0;       ///< Euclidean norm of the last step x_k - x_{k-1}
  double learning_rate = 0.0;   ///< the schedule's rate this iteration (0 where it does not apply)
  std::uint64_t evaluations = 0;  ///< objective evaluations so far (a value_and_gradient counts 1)
  double seconds = 0.0;         ///< since minimize() started
  std::span<const double> x;    ///< the current point (valid during the call only)
};
/// Returns true to stop the optimizer (early stopping, a time limit, a user interrupt).
using Callback = std::function<bool(const IterationInfo&)>;

struct OptimizeResult {
  std::vector<double> x;        ///< the last point (NLopt: the best point it returns)
  double loss = 0.0;            ///< objective at x as last evaluated
  int iterations = 0;
  std::uint64_t evaluations = 0;
  double seconds = 0.0;
  /// "maxiter", "callback", "time_limit", "converged" (tolerances), "nlopt: <reason>".
  std::string stop_reason;
};

/// Loop settings shared by all optimizers (the CLI's --maxiter, --batch-size, --time-limit, --seed).
struct OptimizerSettings {
  /// Iterations: epochs for sgd/adam (one pass over the batches), iterations for spsa (two
  /// evaluations each, after calibration), FUNCTION EVALUATIONS for the NLopt methods (as SciPy's
  /// COBYLA counts maxiter, and Qiskit ML's tutorials with it). >= 1.
  int maxiter = 100;
  /// Mini-batch size for sgd/adam/spsa on separable objectives; 0 = full batch.
  std::size_t batch_size = 0;
  /// Stop after this many seconds of wall time (0 = none), checked after each iteration (an epoch
  /// for sgd/adam, an evaluation for the NLopt methods). Not reproducible by nature.
  double time_limit = 0.0;
  /// Seeds mini-batch shuffles (Rng(seed, epoch)), SPSA perturbations and NLopt's srand.
  std::uint64_t seed = 1;
};

class Optimizer {
 public:
  virtual ~Optimizer() = default;
  /// Minimises from x0 (x0.size() == objective.num_parameters(), InvalidArgument otherwise).
  /// The callback runs at iteration 0 (x0) and after each iteration. Exceptions thrown by the
  /// objective or the callback propagate unchanged (type and message).
  [[nodiscard]] virtual OptimizeResult minimize(Objective& objective, std::vector<double> x0,
                                                const Callback& callback = {}) const = 0;
  /// True when minimize() calls value_and_gradient (the model then needs exact gradients).
  [[nodiscard]] virtual bool uses_gradient() const noexcept = 0;
  /// The canonical spec with defaults spelled out ("adam:lr=0.01,beta1=0.9,..."), for model files.
  [[nodiscard]] virtual ComponentSpec spec() const = 0;
};

/// Builds an optimizer by name. Options (validated; unknown keys refused naming the valid ones):
///   sgd:   lr=0.01, momentum=0 in [0, 1), nesterov=false, schedule=constant|exponential, decay=0.99
///   adam:  lr=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8, amsgrad=false, schedule, decay
///   spsa:  learning_rate / perturbation calibrated as Qiskit's SPSA.calibrate (target
///          magnitude 2 pi / 10, alpha=0.602, gamma=0.101, c=0.2, stability A=0) unless lr=, c= given
///   cobyla: rhobeg=1 (initial trust radius), tol=0 (relative x tolerance; 0 = run to maxiter or
///           until the trust radius reaches 1e-12 rhobeg: NLopt's COBYLA can hang below that)
///   lbfgs:  tol=1e-10 (relative f tolerance), memory=10
///   nelder-mead: step=0.5 (initial simplex), tol=0
///   bobyqa: rhobeg=0.5, tol=0
/// Evaluations (OptimizeResult::evaluations): sgd, adam: 1 + epochs (full batch: x0 and each
/// epoch's point, value and gradient), 1 + epochs * batches + 1 (mini-batches: x0, the batches,
/// the result's loss at the last point); spsa: 1 + 50 (calibration, unless lr= is given) + 2 per
/// iteration + 1; NLopt methods: at most maxiter, x0 included.
/// Throws InvalidArgument for an unknown name ("unknown optimizer 'adm' (known: sgd, adam, ...)")
/// or a bad setting (maxiter < 1, a negative time limit).
[[nodiscard]] std::unique_ptr<Optimizer> make_optimizer(const ComponentSpec& spec, const OptimizerSettings& settings);

/// The names make_optimizer knows, in --help order: sgd, adam, spsa, cobyla, lbfgs, nelder-mead, bobyqa.
[[nodiscard]] std::vector<std::string> optimizer_names();

}  // namespace qmlsim::qml

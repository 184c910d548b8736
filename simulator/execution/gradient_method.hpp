#pragma once
/// One interface for every way of taking the gradient of an expectation value
///
///   f(theta) = <psi(theta)| H |psi(theta)>
///
/// with respect to selected circuit parameters: AdjointGradient (gradient.hpp: exact, one
/// forward run and one backward sweep), ParameterShiftGradient (parameter_shift.hpp: exact shift
/// rules, or shot estimates with standard errors) and FiniteDifferenceGradient (central
/// differences). All three walk the same GradientPlan (gradient_plan.hpp). The method is chosen
/// by kind (GradientMethodKind); names ("adjoint", "shift", "fd") are read only at the edges
/// (parse_gradient_method()). The batch engine (BatchExecutor::gradients) runs any of them over
/// many parameter rows.
///
/// Seeds: a shot-based evaluation (parameter shift with shots) draws run r of one gradient (the
/// unshifted run is r = 0, then the shifted runs in plan order) from group_seed(seed, r), and its
/// measurement groups from group_seed of that. Row i of a batch uses seed row_seed(seed, i): every
/// run's stream is derived from (seed, row, run), never from a thread. Exact methods ignore seeds.
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "simulator/core/memory.hpp"
#include "simulator/core/parallel.hpp"
#include "simulator/execution/compiled_circuit.hpp"
#include "simulator/execution/gradient_plan.hpp"
#include "simulator/execution/simulator.hpp"
#include "simulator/observables/observable.hpp"

namespace qmlsim {

/// A value and its gradient over the selected parameters.
struct GradientResult {
  double value = 0.0;
  std::vector<double> gradient;
  /// Shot-based estimates only (parameter shift with shots): the standard error of `value` and of
  /// each gradient entry. Empty for exact results.
  std::vector<double> standard_error;
  double value_standard_error = 0.0;
  /// Circuit executions (forward runs or backward sweeps) the result cost.
  std::uint64_t circuit_evaluations = 0;
};

enum class GradientMethodKind : std::uint8_t { Adjoint, ParameterShift, FiniteDifference };

/// "adjoint", "shift", "fd".
[[nodiscard]] std::string_view gradient_method_name(GradientMethodKind kind) noexcept;
/// The kind of a name above. Throws InvalidArgument naming the valid ones:
/// "unknown gradient method 'x' (valid: adjoint, shift, fd)".
[[nodiscard]] GradientMethodKind parse_gradient_method(std::string_view name);

/// What a method needs besides the circuit and the selection.
struct GradientSettings {
  GradientMethodKind method = GradientMethodKind::Adjoint;
  std::uint64_t shots = 0;  // parameter shift: samples per measurement group and run (0 = exact)
  double fd_step = 1e-5;    // finite differences
  int fd_order = 2;         // finite differences: 2 or 4
};

/// The seed of row `row` of a batch drawn with `seed` (the first output of Rng(seed, row)).
[[nodiscard]] std::uint64_t row_seed(std::uint64_t seed, std::uint64_t row) noexcept;

class GradientMethod {
 public:
  /// Scratch of one evaluation at a time (states, matrices): a batch keeps one per worker.
  class Workspace {
   public:
    virtual ~Workspace() = default;
  };

  virtual ~GradientMethod() = default;

  [[nodiscard]] virtual GradientMethodKind kind() const noexcept = 0;
  [[nodiscard]] const GradientPlan& plan() const noexcept { return plan_; }
  /// The selected parameters, in output order.
  [[nodiscard]] const std::vector<int>& parameters() const noexcept { return plan_.wrt; }
  [[nodiscard]] const SimulatorOptions& options() const noexcept { return options_; }
  /// True for estimates with standard errors (parameter shift with shots).
  [[nodiscard]] virtual bool sampled() const noexcept { return false; }
  /// Circuit executions (forward runs and backward sweeps) one gradient costs.
  [[nodiscard]] virtual std::uint64_t evaluations() const noexcept = 0;
  /// State vectors one workspace holds (what a batch checks against memory per worker).
  [[nodiscard]] virtual int states_per_workspace() const noexcept = 0;
  /// A workspace for circuits on `num_qubits` qubits (ResourceError if it does not fit).
  [[nodiscard]] virtual std::unique_ptr<Workspace> make_workspace(int num_qubits, const MemoryLimit& memory,
                                                                  const Parallelism& par) const = 0;

  /// <H> and its gradient at `circuit`'s binding, into `out` (its vectors are resized). The
  /// circuit is moved (rebound) while the method works and restored to its binding, bit for bit,
  /// before returning (on an exception its binding is unspecified). Every pass runs under `par`.
  /// `seed`: see the header comment. Throws InvalidArgument for another circuit than the planned
  /// one, an unbound circuit, an observable on a qubit the circuit lacks.
  virtual void gradient_into(CompiledCircuit& circuit, const Observable& observable, std::uint64_t seed,
                             Workspace& workspace, GradientResult& out, const Parallelism& par) const = 0;

  /// Convenience: the same on a copy of `bound`, with a workspace of its own and
  /// options().parallel.
  [[nodiscard]] GradientResult gradient(const CompiledCircuit& bound, const Observable& observable,
                                        std::uint64_t seed = 0) const;

 protected:
  GradientMethod(GradientPlan plan, SimulatorOptions options) : plan_(std::move(plan)), options_(options) {}
  GradientPlan plan_;
  SimulatorOptions options_;
};

/// The method `settings` names, planned for `circuit` and `wrt`. Throws as the method's
/// constructor (InvalidArgument for trajectories, a bad selection, a bad step or order).
[[nodiscard]] std::unique_ptr<GradientMethod> make_gradient_method(const CompiledCircuit& circuit,
                                                                   std::span<const int> wrt,
                                                                   const GradientSettings& settings,
                                                                   SimulatorOptions options = {});

}  // namespace qmlsim

#pragma once
/// Independent gradient methods, as checks of the adjoint method and for users who want the
/// estimate a quantum computer would give.
///
/// ParameterShiftGradient: for every gate angle a that depends on a selected parameter, the
/// derivative df/da from the gate table's shift rule (gates/derivatives.hpp: two-term, four-term
/// or two-frequency, chosen per gate and parameter, four-term for a HalfPair angle under extra
/// controls), each term one run of the circuit with that single gate's angle moved
/// (CompiledCircuit::rebind_record), chained to theta through the Param (shared parameters get
/// the sum over their occurrences). An uncontrolled gphase contributes nothing (a global phase is
/// not observable) and costs no run.
///   - exact (shots == 0): each f is the exact expectation value;
///   - with shots: each f is estimated from `shots` samples per measurement group
///     (expectation_estimate.hpp); run i of the gradient (in the fixed order: gates in circuit
///     order, angles in order, shift terms in rule order; the unshifted value is run 0) draws from
///     seed_i = group_seed(seed, i). The standard error of each entry is propagated from the
///     runs' standard errors: sqrt of the sum over the runs feeding it of
///     (coefficient * d angle / d theta)^2 * se^2 (runs are independent, so the occurrences of a
///     shared parameter add variances).
///
/// FiniteDifferenceGradient: central differences in theta itself (all occurrences move together),
///   order 2: (f(t + h) - f(t - h)) / 2h;  order 4: (-f(t + 2h) + 8 f(t + h) - 8 f(t - h) + f(t - 2h)) / 12h.
///
/// Both take the same selection `wrt` as AdjointGradient and throw the same errors (before
/// running anything); FiniteDifference also throws for h <= 0, non-finite h, or order not 2 or 4.
/// Shots need a PauliSum or a DiagonalObservable (sampled outcomes of its qubits) and shots >= 2.
///
/// Errors (InvalidArgument unless noted): constructor: a `wrt` index out of range or repeated, a
/// circuit that needs trajectories (mid-circuit measurement, reset, condition: the reason is
/// named); gradient(): an unbound circuit, a circuit of another shape than the planned one, an
/// observable on a qubit the circuit lacks, shots == 1; ResourceError if the state vector does
/// not fit in memory. Everything is checked before the first run.
///
/// Cost: parameter shift runs 1 + sum over planned angles of 2 (two-term) or 4 (four-term,
/// two-frequency) circuits, each from |0...0> in one reused state vector (plus the estimator's
/// rotated copy with shots); finite differences run 1 + order * P circuits.
/// Determinism: results (also with shots) depend only on the binding, the observable and the
/// seed, never on the thread count.
#include <cstdint>
#include <span>
#include <vector>

#include "simulator/execution/compiled_circuit.hpp"
#include "simulator/execution/gradient.hpp"
#include "simulator/execution/gradient_method.hpp"
#include "simulator/execution/simulator.hpp"
#include "simulator/gates/derivatives.hpp"
#include "simulator/observables/observable.hpp"

namespace qmlsim {

struct ShotOptions {
  std::uint64_t shots = 0;  // 0: exact expectation values
  std::uint64_t seed = 0;
};

/// Scratch of one parameter-shift or finite-difference evaluation: one state vector.
struct SingleStateWorkspace : GradientMethod::Workspace {
  SingleStateWorkspace(int num_qubits, const MemoryLimit& memory, const Parallelism& par) : state(num_qubits, par, memory) {}
  StateVector<double> state;
};

class ParameterShiftGradient final : public GradientMethod {
 public:
  /// `shots` (0 = exact) is what gradient_into() and gradient(bound, observable, seed) use.
  explicit ParameterShiftGradient(const CompiledCircuit& circuit, std::span<const int> wrt = {},
                                  SimulatorOptions options = {}, std::uint64_t shots = 0);
  [[nodiscard]] GradientMethodKind kind() const noexcept override { return GradientMethodKind::ParameterShift; }
  [[nodiscard]] bool sampled() const noexcept override { return shots_ > 0; }
  /// Circuit runs one gradient costs (the unshifted run included).
  [[nodiscard]] std::uint64_t evaluations() const noexcept override;
  [[nodiscard]] int states_per_workspace() const noexcept override { return 1; }
  [[nodiscard]] std::unique_ptr<Workspace> make_workspace(int num_qubits, const MemoryLimit& memory,
                                                          const Parallelism& par) const override;
  void gradient_into(CompiledCircuit& circuit, const Observable& observable, std::uint64_t seed, Workspace& workspace,
                     GradientResult& out, const Parallelism& par) const override;
  using GradientMethod::gradient;
  /// <H> and its gradient at `bound`'s binding with the given shots and seed (`bound` itself is
  /// not modified: a copy is shifted).
  [[nodiscard]] GradientResult gradient(const CompiledCircuit& bound, const Observable& observable,
                                        ShotOptions shots) const;

 private:
  void run(CompiledCircuit& circuit, const Observable& observable, ShotOptions shots, StateVector<double>& state,
           GradientResult& out, const Parallelism& par) const;
  std::uint64_t shots_ = 0;
  std::vector<ShiftRule> rules_;  // per plan angle
};

class FiniteDifferenceGradient final : public GradientMethod {
 public:
  FiniteDifferenceGradient(const CompiledCircuit& circuit, std::span<const int> wrt = {}, double step = 1e-5,
                           int order = 2, SimulatorOptions options = {});
  [[nodiscard]] GradientMethodKind kind() const noexcept override { return GradientMethodKind::FiniteDifference; }
  [[nodiscard]] std::uint64_t evaluations() const noexcept override {
    return 1 + static_cast<std::uint64_t>(order_) * plan_.wrt.size();
  }
  [[nodiscard]] int states_per_workspace() const noexcept override { return 1; }
  [[nodiscard]] std::unique_ptr<Workspace> make_workspace(int num_qubits, const MemoryLimit& memory,
                                                          const Parallelism& par) const override;
  void gradient_into(CompiledCircuit& circuit, const Observable& observable, std::uint64_t seed, Workspace& workspace,
                     GradientResult& out, const Parallelism& par) const override;

 private:
  double step_;
  int order_;
};

}  // namespace qmlsim

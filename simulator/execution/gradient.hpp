#pragma once
/// Exact gradients of expectation values of a circuit's final state.
///
///   f(theta) = <psi(theta)| H |psi(theta)>,  psi(theta) = U_N(theta) ... U_1(theta) |0...0>
///
/// AdjointGradient (Jones & Gacon 2020, arXiv:2009.02823): one forward run, lambda = H psi, then
/// one backward sweep over the gates that adds 2 Re <lambda| dU_k/da |U_k^dagger psi> for each
/// angle a of gate k and applies U_k^dagger to both vectors. Below 12 qubits each gate is one fused
/// two-vector pass; from 12 qubits on the sweep runs by cache-sized chunks and runs of gates on
/// at most two qubits (adjoint_sweep.hpp), so its memory traffic follows blocks, not gates. The
/// angles come from the circuit's GradientPlan (gradient_plan.hpp). The angle derivatives are chained to the circuit parameters through every kind
/// of Param (shared, affine, expression: d a / d theta_p from the Param's own derivative), so a
/// parameter used by many gates gets the sum. Memory: two state vectors for gradient() and vjp(),
/// three for jacobian() (the final state is kept between rows). Derivative matrices come from the
/// gate table (gates/derivatives.hpp); every parametric gate, under any controls, is covered.
///
/// Vector-Jacobian product: for observables H_1..H_m and weights v, the gradient of
/// sum_j v_j <H_j> in ONE sweep (lambda = sum_j v_j H_j psi). jacobian() is m sweeps sharing
/// one forward run; probability_jacobian() gives d p(o) / d theta for the 2^k outcomes of a
/// qubit subset (one sweep per outcome; use vjp() with a DiagonalObservable for a loss over them).
/// state_vjp_into() takes a given cotangent lambda instead of H psi: the gradient of
/// Re <lambda|psi(theta)>, for losses on the state itself (BatchExecutor::state_vjp).
///
/// Selection (`wrt`): the gradient is taken with respect to theta[wrt[0]], theta[wrt[1]], ... in
/// that order (empty = every parameter, in index order). The sweep stops after the earliest gate
/// that depends on a selected parameter, so input-only gradients of deep circuits are cheaper.
///
/// Errors (InvalidArgument, checked before any state is allocated): a circuit with mid-circuit
/// measurement, reset or classical condition (no single final state: the reason is named), an
/// unbound circuit, an observable on a qubit the circuit lacks, a `wrt` index out of range or
/// repeated, a weight vector of the wrong length; ResourceError when the state vectors do not fit
/// in memory. Terminal measurements are ignored, as in Simulator::run.
///
/// Determinism: every sum is reduced in fixed chunks (core/parallel.hpp): results are
/// bit-identical on any thread count.
#include <cstdint>
#include <span>
#include <vector>

#include "simulator/circuit/circuit.hpp"
#include "simulator/core/state_vector.hpp"
#include "simulator/execution/compiled_circuit.hpp"
#include "simulator/execution/gradient_method.hpp"
#include "simulator/execution/simulator.hpp"
#include "simulator/observables/observable.hpp"

namespace qmlsim {

/// Values of m observables and their m x P Jacobian (row-major: row j = gradient of <H_j>).
struct JacobianResult {
  std::vector<double> values;
  std::vector<double> jacobian;
  std::size_t rows = 0;
  std::size_t cols = 0;
  [[nodiscard]] double operator()(std::size_t r, std::size_t c) const noexcept { return jacobian[r * cols + c]; }
};

/// Scratch of one sweep, allocated once and reused (batches keep one per worker).
struct AdjointWorkspace : GradientMethod::Workspace {
  AdjointWorkspace(int num_qubits, const Parallelism& par, const MemoryLimit& memory, bool keep_final_state = false);
  StateVector<double> psi;
  StateVector<double> lambda;
  std::vector<StateVector<double>> saved;  // the final state, for jacobian() (empty otherwise)
  std::vector<double> scratch;             // adjoint and derivative matrices of one record
};

class AdjointGradient final : public GradientMethod {
 public:
  /// Plans the sweep for `circuit` (the plan depends only on its structure, not on the binding:
  /// rebind the same CompiledCircuit, or copies of it, freely). Throws InvalidArgument as in the
  /// header comment.
  explicit AdjointGradient(const CompiledCircuit& circuit, std::span<const int> wrt = {},
                           SimulatorOptions options = {});

  [[nodiscard]] GradientMethodKind kind() const noexcept override { return GradientMethodKind::Adjoint; }
  [[nodiscard]] std::uint64_t evaluations() const noexcept override { return 2; }
  [[nodiscard]] int states_per_workspace() const noexcept override { return 2; }
  [[nodiscard]] std::unique_ptr<Workspace> make_workspace(int num_qubits, const MemoryLimit& memory,
                                                          const Parallelism& par) const override;
  /// <H> and its gradient (gradient_method.hpp); `workspace` must be an AdjointWorkspace. The
  /// circuit is not moved. `seed` is ignored.
  void gradient_into(CompiledCircuit& circuit, const Observable& observable, std::uint64_t seed, Workspace& workspace,
                     GradientResult& out, const Parallelism& par) const override;
  /// <H> and its gradient at the circuit's current binding (no copy of the circuit).
  [[nodiscard]] GradientResult gradient(const CompiledCircuit& bound, const Observable& observable,
                                        std::uint64_t seed = 0) const;
  /// values = <H_j> for each j; gradient = d/dtheta sum_j weights[j] <H_j>. One sweep.
  [[nodiscard]] JacobianResult vjp(const CompiledCircuit& bound, std::span<const Observable> observables,
                                   std::span<const double> weights) const;
  /// All m rows: m sweeps after one forward run (three state vectors).
  [[nodiscard]] JacobianResult jacobian(const CompiledCircuit& bound, std::span<const Observable> observables) const;
  /// Probabilities of the 2^k outcomes of `qubits` (outcome bit j = qubits[j]) and their Jacobian.
  [[nodiscard]] JacobianResult probability_jacobian(const CompiledCircuit& bound, std::span<const Qubit> qubits) const;

  /// The allocation-free core: writes <H_j> into values[0..m) and the VJP into grad[0..P) using
  /// `workspace` (sized for this circuit), every pass under `par`. For batches (which pass a
  /// serial policy inside their workers); the other methods call it with options().parallel.
  void vjp_into(const CompiledCircuit& bound, std::span<const Observable> observables,
                std::span<const double> weights, AdjointWorkspace& workspace, double* values, double* grad,
                const Parallelism& par) const;
  /// vjp_into in two halves, for a loss that needs the values before it can weight them:
  /// forward_into runs the circuit into workspace.psi and writes <H_j> into values[0..m);
  /// backward_into (after forward_into on the same workspace and circuit) writes the VJP with
  /// `weights` into grad[0..P). Together they equal vjp_into bit for bit.
  void forward_into(const CompiledCircuit& bound, std::span<const Observable> observables,
                    AdjointWorkspace& workspace, double* values, const Parallelism& par) const;
  void backward_into(const CompiledCircuit& bound, std::span<const Observable> observables,
                     std::span<const double> weights, AdjointWorkspace& workspace, double* grad,
                     const Parallelism& par) const;
  /// The gradient of Re <lambda| psi(theta)> for a given state cotangent lambda (2^n amplitudes)
  /// at the circuit's binding: one forward run into workspace.psi, lambda copied into
  /// workspace.lambda, one sweep; writes grad[0..P). The sweep's terms Re <lambda| G |psi> enter
  /// once (an expectation's gradient takes them twice: lambda = H psi stands for both bra and ket).
  /// The circuit's folded global phase (uncontrolled gphase) depends on its angles too: its terms,
  /// -Im <lambda|psi> d a / d theta, are added (for <H> they vanish).
  /// Throws InvalidArgument for a cotangent of another length; finiteness is the caller's to check
  /// (batches check every row before any runs).
  void state_vjp_into(const CompiledCircuit& bound, std::span<const cdouble> cotangent, AdjointWorkspace& workspace,
                      double* grad, const Parallelism& par) const;

 private:
  void check(const CompiledCircuit& bound, std::span<const Observable> observables) const;
  void check_weights(std::span<const Observable> observables, std::span<const double> weights) const;
  void evaluate(const CompiledCircuit& bound, const Observable& observable, AdjointWorkspace& ws, GradientResult& out,
                const Parallelism& par) const;
  // Adds scale * Re <lambda| G |psi> times the chain rule to grad, for every selected angle.
  void sweep(const CompiledCircuit& bound, AdjointWorkspace& ws, double scale, double* grad,
             const Parallelism& par) const;
};

/// Convenience: compiles `circuit`, binds theta and returns <H> with its adjoint gradient.
[[nodiscard]] GradientResult adjoint_gradient(const Circuit& circuit, std::span<const double> theta,
                                              const Observable& observable, std::span<const int> wrt = {},
                                              SimulatorOptions options = {});

}  // namespace qmlsim

#pragma once
/// One circuit evaluated for many parameter vectors: the loop QML models live in (a kernel over a
/// data set, a loss over a training batch, shot-by-shot trajectories).
///
/// Scheduling (the execution layer's one decision about cores, never nested), plan_batch():
///   - small states (2^n below the parallel threshold, so a gate would run on one thread anyway),
///     more than one item, more than one thread, and not already inside a parallel region:
///     across the batch; also states up to kAcrossBatchFactor times the threshold when there is
///     an item for every thread (no barrier per gate; each worker streams its own state). W = min(threads, items) workers each own a copy of the compiled circuit
///     and their scratch state vectors, allocated before the parallel region (nothing is
///     allocated per item by the batch layer); worker w takes the contiguous items
///     [items * w / W, items * (w + 1) / W); every kernel inside runs serially;
///   - otherwise: items one after another, each gate parallel inside (Simulator's policy).
/// Every item is computed by the same instructions whichever way it runs, so results are
/// bit-identical on any thread count and equal to one-by-one evaluation (Simulator::run then
/// expectation(), AdjointGradient on a circuit bound to the row).
///
/// Rows: a batch is `count` parameter vectors of circuit.num_parameters() values, row-major.
/// make_rows() builds them from per-row inputs and shared weights (a model's usual split).
///
/// Errors (InvalidArgument, before anything runs): a row width other than the circuit's
/// parameter count, a values span whose length is not count * width, a non-finite value (named
/// with its row and parameter: "batch row 3: parameter theta[1] = nan is not finite"), a circuit
/// that needs trajectories (mid-circuit measurement, reset, condition) for the state-based calls,
/// an observable on a missing qubit, a weight vector of the wrong length or with a non-finite
/// entry. ResourceError if the workers' states do not fit in memory (checked for all workers
/// before any is allocated). An error raised while items run (a parameter expression that
/// evaluates to a non-finite angle) is rethrown after the batch stops: the one of the earliest
/// failing item, whatever the thread count, named: "batch row 5: ry: parameter 0 evaluates to nan".
///
/// Allocation per item: none in this layer. What the called routines allocate is theirs:
/// expectation() of a PauliSum (pauli.cpp) and apply_weighted() (observable.cpp, in vjp) each
/// build small vectors per call; probabilities of a qubit subset use marginal_probabilities().
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "simulator/circuit/circuit.hpp"
#include "simulator/execution/compiled_circuit.hpp"
#include "simulator/execution/gradient.hpp"
#include "simulator/execution/gradient_method.hpp"
#include "simulator/execution/sampling.hpp"
#include "simulator/execution/simulator.hpp"
#include "simulator/observables/observable.hpp"

namespace qmlsim {

/// `count` parameter vectors of `width` values each, row-major (width may be 0: count copies
/// of a parameter-free circuit). A view: the values must outlive the calls that use it.
struct ParameterRows {
  std::span<const double> values;
  std::size_t count = 0;
  std::size_t width = 0;
  [[nodiscard]] std::span<const double> row(std::size_t i) const noexcept { return values.subspan(i * width, width); }

  /// values.size() / width rows of `width` values. Throws InvalidArgument for width 0 (the count
  /// is then unknown: build the struct directly) or a length that is not a multiple of width.
  [[nodiscard]] static ParameterRows of(std::span<const double> values, std::size_t width);
};

/// Full parameter rows from per-row inputs and shared weights: row i holds inputs.row(i)[k] at
/// theta[input_indices[k]] and weights[k] at theta[weight_indices[k]]. inputs.width must equal
/// input_indices.size(), inputs.values count * width entries, weights weight_indices.size().
/// Every parameter index in [0, num_parameters) must be covered exactly once (InvalidArgument
/// otherwise, naming it). Values are copied as given (the executor checks finiteness).
[[nodiscard]] std::vector<double> make_rows(int num_parameters, std::span<const int> input_indices,
                                            ParameterRows inputs, std::span<const int> weight_indices,
                                            std::span<const double> weights);

/// States below threshold x this factor (2^20 amplitudes with the default threshold, 16 MiB each)
/// run across a batch that has an item for every thread.
inline constexpr Index kAcrossBatchFactor = 64;

/// Where each item of a batch runs (see the header comment); exposed for tests and benchmarks.
struct BatchPlan {
  int workers = 1;          // > 1: across the batch
  Parallelism per_item;     // the policy inside each item (serial when workers > 1)
};
[[nodiscard]] BatchPlan plan_batch(int num_qubits, std::size_t items, const Parallelism& par);

/// Stateless after construction and safe to call from several threads (each call copies the
/// compiled circuit for its workers). Double precision.
class BatchExecutor {
 public:
  /// Lowers `circuit` once. Circuits that need trajectories are accepted here and refused by the
  /// state-based calls (use sample_trajectories()).
  explicit BatchExecutor(const Circuit& circuit, SimulatorOptions options = {});

  [[nodiscard]] const CompiledCircuit& compiled() const noexcept { return compiled_; }
  [[nodiscard]] int num_parameters() const noexcept { return compiled_.num_parameters(); }
  [[nodiscard]] const SimulatorOptions& options() const noexcept { return options_; }

  /// values[i * m + j] = <H_j> for row i (m = observables.size()). One state per worker.
  /// The Pauli sums share their passes (expectations()); each value is bit-identical to
  /// expectation(H_j, state).
  [[nodiscard]] std::vector<double> expectations(ParameterRows rows, std::span<const Observable> observables) const;
  /// probs[i * 2^k + o] = probability of outcome o of `qubits` (outcome bit j = qubits[j]; all
  /// qubits, k = n, when empty) for row i. Throws InvalidArgument for an out-of-range or
  /// repeated qubit. One state per worker.
  [[nodiscard]] std::vector<double> probabilities(ParameterRows rows, std::span<const Qubit> qubits = {}) const;
  /// The final state of every row (count states: the caller asked for them; memory is checked for
  /// all of them first).
  [[nodiscard]] std::vector<StateVector<double>> states(ParameterRows rows) const;
  /// The final states of every row written into one caller-owned block: column i (amplitudes
  /// out[i * 2^n, (i + 1) * 2^n)) is row i's state, the layout of a column-major 2^n x count
  /// matrix (Eigen::MatrixXcd: pass {m.data(), m.size()}). A kernel holds its N states once:
  /// besides `out`, one scratch state per worker. Throws InvalidArgument unless out.size() ==
  /// count * 2^n. Each column equals Simulator::run on that row bit for bit.
  void states_into(ParameterRows rows, std::span<cdouble> out) const;

  /// Adjoint vector-Jacobian products for every row: values[i * m + j] = <H_j>(row i);
  /// gradient[i * P' + p] = d/dtheta_{wrt[p]} sum_j weights[i * m + j] <H_j>(row i), P' = wrt size
  /// (all parameters when empty; `parameters` lists them). `weights` has count * m entries.
  /// Two states per worker; each row equals AdjointGradient::vjp on that row bit for bit.
  struct Gradients {
    std::vector<double> values;
    std::vector<double> gradient;
    std::vector<int> parameters;
  };
  [[nodiscard]] Gradients vjp(ParameterRows rows, std::span<const Observable> observables,
                              std::span<const double> weights, std::span<const int> wrt = {}) const;
  /// Full Jacobians: jacobian[(i * m + j) * P' + p] = d<H_j>/dtheta_{wrt[p]} at row i, in
  /// `gradient`. Each row j is one vjp sweep with weight 1 on H_j (and 0 elsewhere), so the cost
  /// is m forward runs and m sweeps per row; two states per worker.
  [[nodiscard]] Gradients jacobian(ParameterRows rows, std::span<const Observable> observables,
                                   std::span<const int> wrt = {}) const;

  /// The gradient of <H> for every row by any method (gradient_method.hpp), planned for this
  /// executor's circuit (method.plan() must match it). values[i] = <H>(row i); gradient[i * P' +
  /// p]; with a sampled method, value_standard_error[i] and standard_error[i * P' + p] too. Row i
  /// draws its shots from row_seed(seed, i) (each run's stream derived from (seed, row, run)), so
  /// every row equals method.gradient() on that row with that seed, bit for bit, on any thread
  /// count. `evaluations` is the total of circuit executions. One workspace per worker
  /// (method.states_per_workspace() states each, checked against memory first).
  struct MethodGradients {
    std::vector<double> values;
    std::vector<double> gradient;
    std::vector<double> value_standard_error;  // sampled methods only
    std::vector<double> standard_error;        // sampled methods only
    std::vector<int> parameters;
    std::uint64_t evaluations = 0;
  };
  [[nodiscard]] MethodGradients gradients(ParameterRows rows, const Observable& observable,
                                          const GradientMethod& method, std::uint64_t seed = 0) const;

  /// A training loss's per-row hook: given row `row`'s values <H_j> (m of them), returns the row's
  /// loss and writes dloss/d<H_j> into `weights` (m entries, every one must be set). Called from
  /// the batch's workers, several at a time: it must be safe to call concurrently (read-only
  /// captures, per-row outputs). An exception it throws stops the batch (rethrown as for a bad row).
  using LossHook = std::function<double(std::size_t row, std::span<const double> values, std::span<double> weights)>;
  struct LossGradient {
    double loss = 0.0;                // sum of the per-row losses, in row order
    std::vector<double> losses;       // per row
    std::vector<double> values;       // values[i * m + j] = <H_j>(row i)
    std::vector<double> gradient;     // d loss / d theta[parameters[p]], summed over rows in row order
    std::vector<int> parameters;
  };
  /// Loss and gradient with ONE forward run per row: forward, the values <H_j>, the hook turns
  /// them into the row's loss and weights, then one adjoint sweep with lambda = sum_j w_j H_j psi.
  /// Per-row gradients are kept (count x P' doubles) and summed in row order, so the result is
  /// bit-identical on any thread count, and equal bit for bit to the two-pass computation
  /// (expectations(), then vjp() with the hook's weights). Two states per worker.
  [[nodiscard]] LossGradient loss_gradient(ParameterRows rows, std::span<const Observable> observables,
                                           const LossHook& hook, std::span<const int> wrt = {}) const;

  /// The gradient of sum_i Re <lambda_i | psi(row i)> over `wrt` (all parameters when empty), for
  /// given state cotangents lambda_i: `cotangents` holds count states in states_into's layout
  /// (column i = amplitudes [i 2^n, (i + 1) 2^n)). One forward run and one adjoint sweep per row,
  /// with lambda_i in place of H psi; the per-row gradients are summed in row order (bit-identical
  /// on any thread count). This is what a loss on the states themselves needs (kernel-target
  /// alignment of a trainable feature map: one sweep per sample instead of N^2 circuits).
  /// Throws InvalidArgument unless cotangents.size() == count * 2^n, or for a non-finite entry.
  /// Two states per worker.
  struct StateVjp {
    std::vector<double> gradient;  ///< d/dtheta[parameters[p]]
    std::vector<int> parameters;
  };
  [[nodiscard]] StateVjp state_vjp(ParameterRows rows, std::span<const cdouble> cotangents,
                                   std::span<const int> wrt = {}) const;

 private:
  SimulatorOptions options_;
  CompiledCircuit compiled_;
};

/// Shot-by-shot sampling of a bound circuit with mid-circuit measurement, reset or conditions, on
/// the batch scheduler. The records before compiled.deterministic_prefix() run once; shot s then
/// continues from a copy of that state and draws from Rng(seed, s). measured_clbits are the
/// classical bits read out (measured_qubits[j] is the qubit finally held by measured_clbits[j],
/// as Simulator::sample computes them): outcome bit b = classical bit b. With no measured bits,
/// every qubit is read out at the end of each trajectory (outcome bit q = qubit q), with the
/// same stream. Counts are summed per outcome over the workers: the same for any thread count,
/// and Simulator::sample's for circuits that need trajectories (it calls this).
/// Throws InvalidArgument for an unbound circuit, spans of different lengths, a qubit or
/// classical bit out of range, or a classical bit >= 64; ResourceError when the prefix state and
/// one state per worker do not fit.
template <class R>
[[nodiscard]] Counts sample_trajectories(const CompiledCircuit& compiled, std::uint64_t shots, std::uint64_t seed,
                                         std::span<const Qubit> measured_qubits, std::span<const int> measured_clbits,
                                         const SimulatorOptions& options);

extern template Counts sample_trajectories<double>(const CompiledCircuit&, std::uint64_t, std::uint64_t,
                                                   std::span<const Qubit>, std::span<const int>,
                                                   const SimulatorOptions&);
extern template Counts sample_trajectories<float>(const CompiledCircuit&, std::uint64_t, std::uint64_t,
                                                  std::span<const Qubit>, std::span<const int>,
                                                  const SimulatorOptions&);

}  // namespace qmlsim

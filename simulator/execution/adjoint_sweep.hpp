#pragma once
/// The backward sweep of the adjoint gradient (execution/gradient.hpp), blocked for the cache.
///
/// The sweep carries psi (the final state) and lambda (H psi) back through the records of a bound
/// CompiledCircuit, from the last one down to record `stop`, applying each record's adjoint to
/// both vectors and accumulating, for each requested angle a of a record,
///     acc[a] = Re <lambda| G_a |psi>,   G_a = (dM/da) M^dagger   (the gradient term is 2 acc[a]),
/// with psi and lambda taken just after the record (the per-gate sweep of Jones & Gacon).
///
/// Per-gate mode (chunk_qubits == 0): one fused two-vector pass per record over the whole
/// vectors (gates/adjoint_kernels.hpp). Streams both vectors once per gate: about twice the memory
/// traffic of a forward gate, and 2 x (gates / fused blocks) that of the fused forward run.
///
/// Blocked mode (chunk_qubits = c > 0): the records are grouped into *stages*. A stage is a set of
/// records, taken in sweep order, whose qubits (targets and controls) together with the lowest
/// index bits fill at most c qubits, U; a record may be taken ahead of records it was passed over
/// only if it shares no qubit with them (it then commutes with them, and so does its derivative
/// term: <V lambda| G |V psi> = <lambda| G |psi> for V on other qubits). A stage makes ONE pass over
/// psi and lambda: for each of the 2^(n - c) assignments of the qubits outside U, the 2^c
/// amplitudes of each vector (runs of 2^L contiguous amplitudes, L = the low index bits in U) are
/// copied into a cache-resident buffer, every record of the stage is applied there (the same
/// two-vector kernels on a c-qubit state, qubits renumbered), and the buffer is copied back. Memory
/// traffic: two vectors per stage, against two per gate; the gates' arithmetic runs in L1/L2.
/// Inside a stage, runs of records on at most `run_qubits` qubits (a cx with the rz and ry of its
/// target, fixed 1- and 2-qubit gates) share one pass over the buffer: the product T of their
/// adjoints is applied once, and each angle's generator G is moved to the run's start,
/// P^dagger G P with P the adjoints applied before it in the run, so that its term is read from
/// the vectors as they are before T (the kernels' contract). (Walking the chunk in place, as a subspace under
/// extra controls, instead of copying it was measured slower: power-of-two strides.)
///
/// Determinism: each chunk's sums come from the kernels on the chunk buffer (serial, fixed
/// order); chunks are summed in fixed groups and the groups in index order, so `acc` is
/// bit-identical on any thread count. Blocked and per-gate sums agree to rounding (another order
/// of additions); the states they leave agree to rounding too.
///
/// Cost of planning: O(records x stages touched by the look-ahead) per call; preparing the
/// records' adjoint and generator matrices, and the runs' products: O(records 4^k), k <= 2 for
/// runs. Scratch: per thread two chunk buffers (2 x 2^c x 16 bytes), plus O(records) of tables,
/// allocated per call (the blocked mode serves states of 2^16 amplitudes and more).
#include <cstdint>
#include <span>

#include "simulator/core/parallel.hpp"
#include "simulator/execution/compiled_circuit.hpp"
#include "simulator/gates/kernels.hpp"

namespace qmlsim {

/// One angle whose derivative term the sweep accumulates: gate parameter `param` of record `record`.
struct SweepAngle {
  std::uint32_t record = 0;
  std::uint32_t param = 0;
};

/// Largest chunk: two buffers of 2^16 complex doubles (2 MiB together, one core's L2 here).
inline constexpr int kMaxSweepChunkQubits = 16;
/// Smallest chunk the blocked mode accepts (a few SIMD vectors per run).
inline constexpr int kMinSweepChunkQubits = 3;

struct AdjointSweepOptions {
  /// 0: per-gate mode; c in [kMinSweepChunkQubits, kMaxSweepChunkQubits]: blocked with chunks of
  /// 2^c amplitudes. A c >= n makes the whole state the chunk: no stages, no copy, only the runs
  /// fused (per-gate mode if run_qubits is 0).
  int chunk_qubits = 0;
  /// Stages are planned with this many low index bits reserved (contiguous runs of 2^min_run
  /// amplitudes at least); the rest of the chunk is filled with low bits after planning.
  int min_run_qubits = 4;
  /// Blocked mode: runs of records on at most this many qubits (1 or 2; controls included, at
  /// most 4 angles) are fused into one pass over the chunk (see adjoint_sweep.cpp); 0: one pass
  /// over the chunk per record. A 2-qubit run that does not couple the two values of one of its
  /// qubits (a cx and the gates on its target) runs as two 1-qubit passes controlled by that
  /// qubit, each over half the chunk; other 2-qubit runs take the 2-qubit kernel, whose 16
  /// complex cross terms do not fit the registers. gradient_bench --sweep-table, 18 qubits: 61 ms
  /// with 2, 86 with 1, 112 with 0.
  int run_qubits = 2;
  /// The two-vector kernels' instruction set (tests compare each supported one).
  kernels::Isa isa = kernels::active_isa();
};

/// The chunk size the gradient uses on n qubits: kDefaultSweepChunkQubits from
/// kBlockedSweepMinQubits on (both vectors no longer fit in the core's cache); n itself (runs
/// fused, no stages) from kFusedRunsMinQubits on; 0 (per-gate, nothing allocated: small circuits
/// run many times) below. (gradient_bench: on 10 qubits planning the runs cost what they saved;
/// from 12 on they pay.)
inline constexpr int kDefaultSweepChunkQubits = 14;
inline constexpr int kBlockedSweepMinQubits = 16;
inline constexpr int kFusedRunsMinQubits = 12;
[[nodiscard]] inline int default_sweep_chunk_qubits(int num_qubits) noexcept {
  return num_qubits >= kBlockedSweepMinQubits ? kDefaultSweepChunkQubits
         : num_qubits >= kFusedRunsMinQubits ? num_qubits
                                              : 0;
}

/// Stages of a blocked sweep, for benchmarks and tests: the number of two-vector passes.
[[nodiscard]] std::size_t count_sweep_stages(const CompiledCircuit& bound, std::size_t stop,
                                             const AdjointSweepOptions& options);

/// Runs the sweep over records [stop, records().size()) of `bound` (bound, no reset or condition
/// among them; measurements are skipped), from the last record down. `angles` lists the angles to
/// differentiate, sorted by record (any order within a record), each a non-constant parameter of a
/// record whose operation is a parametric built-in gate of at most 2 targets; acc[j] receives
/// Re <lambda| G |psi> of angles[j] (overwritten). psi and lambda are 2^n interleaved complex
/// doubles. Throws InvalidArgument for a chunk size outside the accepted range or an angle on a
/// record before `stop` or out of order (checked before anything is touched).
namespace detail {
/// G = D * A for dim x dim complex matrices (A given as interleaved reals): a generator times a
/// gate's adjoint. Shared by the per-gate sweep (gradient.cpp) and the blocked one.
void multiply_generator(const cdouble* d, const double* a, std::size_t dim, cdouble* g);
/// Writes the compact form of g (one coefficient and its column per row) if each row has one entry
/// above 1e-14 times its largest (smaller ones are rounding residue of exact zeros); false
/// otherwise.
bool compact_monomial(const cdouble* g, std::size_t dim, double* coeff, std::uint8_t* cols);
}  // namespace detail

void adjoint_sweep(const CompiledCircuit& bound, std::size_t stop, std::span<const SweepAngle> angles, double* psi,
                   double* lambda, const Parallelism& par, double* acc, const AdjointSweepOptions& options);

}  // namespace qmlsim

#pragma once
/// Gate kernels: free noexcept functions on a raw interleaved (re, im, re, im, ...) amplitude
/// array of 2^n entries (any alignment), plus integers, masks and small matrices. No allocation, no
/// virtual calls, no knowledge of Circuit.
///
/// Controls: a (mask, value) pair. Only amplitudes whose bits under `cmask` equal `cval` change.
/// Matrices: row-major, interleaved reals, dimension 2^k for k targets, target j = index bit j.
/// Threads: every kernel makes at most one parallel region (core/parallel.hpp) and the arithmetic
/// on each amplitude does not depend on the thread count, so results are bit-identical on any
/// thread count.
///
/// Implementation (kernels_simd.hpp): 64-byte SIMD vectors of 4 complex doubles or 8 complex floats
/// ("lanes"). Qubits below the lane bits (0..1 in double, 0..2 in float) live inside one vector and
/// are handled by lane permutations and per-lane coefficients; higher qubits address whole vectors,
/// walked in contiguous runs. Dense matrices use one kernel for any target set (up to 6 qubits);
/// diagonal gates, Pauli X and SWAP have their own passes; controls above the lane bits restrict
/// the walk to the controlled part, controls inside a vector become per-lane identity
/// coefficients or blends. The code is compiled three times (generic x86-64/portable, AVX2+FMA,
/// AVX-512) and the best one the CPU supports is chosen once at start-up (active_isa()).
#include <cstdint>
#include <string_view>

#include "simulator/gates/kernels_reference.hpp"

namespace qmlsim::kernels {

/// Instruction sets the kernels are compiled for.
enum class Isa : std::uint8_t { Generic, Avx2, Avx512 };

[[nodiscard]] std::string_view isa_name(Isa isa) noexcept;
/// True when this build contains the kernels for `isa` and the CPU (and OS) supports it.
[[nodiscard]] bool isa_supported(Isa isa) noexcept;
/// The best supported instruction set: what the apply_* functions below use.
[[nodiscard]] Isa active_isa() noexcept;

/// One instruction set's kernels (signatures as the apply_* functions below).
template <class R>
struct KernelTable {
  void (*matrix)(R* psi, int n, const Qubit* targets, int k, const R* m, Index cmask, Index cval,
                 const Parallelism& par) noexcept;
  void (*diagonal)(R* psi, int n, const Qubit* targets, int k, const R* d, Index cmask, Index cval,
                   const Parallelism& par) noexcept;
  void (*pauli_x)(R* psi, int n, Qubit t, Index cmask, Index cval, const Parallelism& par) noexcept;
  void (*swap)(R* psi, int n, Qubit a, Qubit b, Index cmask, Index cval, const Parallelism& par) noexcept;
};

/// The kernels of `isa`, which must be supported (tests compare every supported one).
template <class R>
[[nodiscard]] const KernelTable<R>& kernel_table(Isa isa) noexcept;

/// Dense 1-qubit matrix m (8 reals) on target t.
template <class R>
void apply_matrix1(R* psi, int n, Qubit t, const R* m, Index cmask, Index cval, const Parallelism& par) noexcept;
/// Dense 2-qubit matrix on (t0, t1), t0 = matrix bit 0. m has 32 reals.
template <class R>
void apply_matrix2(R* psi, int n, Qubit t0, Qubit t1, const R* m, Index cmask, Index cval,
                   const Parallelism& par) noexcept;
/// Dense k-qubit matrix (1 <= k <= 6) on targets[0..k).
template <class R>
void apply_matrixk(R* psi, int n, const Qubit* targets, int k, const R* m, Index cmask, Index cval,
                   const Parallelism& par) noexcept;
/// Diagonal matrix d (2^k complex = 2^(k+1) reals) on targets[0..k), 0 <= k <= 6.
template <class R>
void apply_diagonal(R* psi, int n, const Qubit* targets, int k, const R* d, Index cmask, Index cval,
                    const Parallelism& par) noexcept;
/// Pauli X on t (cx, ccx, c3x, c4x with controls): swaps amplitude pairs, no arithmetic.
template <class R>
void apply_x(R* psi, int n, Qubit t, Index cmask, Index cval, const Parallelism& par) noexcept;
/// SWAP of qubits a and b (cswap with controls).
template <class R>
void apply_swap(R* psi, int n, Qubit a, Qubit b, Index cmask, Index cval, const Parallelism& par) noexcept;
/// Multiplies the controlled subspace (the whole state when cmask == 0) by the phase (pr, pi).
template <class R>
void apply_phase(R* psi, int n, R pr, R pi, Index cmask, Index cval, const Parallelism& par) noexcept;

namespace detail {
/// The reference kernels as out-of-line calls, for the optimised kernels' fallbacks: inlined into
/// code compiled for AVX2/AVX-512 they would be contracted to FMA there, and a serial run (inlined)
/// and a threaded one (called) could differ in the last bit.
template <class R>
void reference_matrix(R* psi, int n, const Qubit* targets, int k, const R* m, Index cmask, Index cval,
                      const Parallelism& par) noexcept;
template <class R>
void reference_diagonal(R* psi, int n, const Qubit* targets, int k, const R* d, Index cmask, Index cval,
                        const Parallelism& par) noexcept;
template <class R>
void reference_x(R* psi, int n, Qubit t, Index cmask, Index cval, const Parallelism& par) noexcept;
}  // namespace detail

using reference::collapse;
using reference::probability_one;

}  // namespace qmlsim::kernels

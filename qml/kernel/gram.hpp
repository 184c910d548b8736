#pragma once
/// Deterministic Gram products of state vectors, and the small dense kernels around them.
///
/// States are the columns of a column-major 2^n x N complex matrix S (column i = |phi(x_i)>, the
/// layout BatchExecutor::states_into writes). The fidelity Gram matrix is K_ij = |(S^H S)_ij|^2,
/// ONE Hermitian rank-2^n product cut into fixed tiles of kGramTile x kGramTile entries: tile
/// (I, J) holds rows [I T, I T + T) and columns [J T, J T + T) of the global sample numbering
/// (the last tile of a range may be narrower). A diagonal tile is one zherk (upper triangle), an
/// off-diagonal tile one zgemm S_I^H S_J, each a single-threaded call; the tiles of a call are
/// split into one contiguous run per thread (parallel_for over the tile-pair list). The tile
/// grid depends on N only, never on the thread count or on how the columns are held in memory,
/// so the result is bit-identical on any thread count and whether the states come in blocks
/// (blocks start at multiples of kGramTile) or all at once.
///
/// Backends (GramBackend): BLIS (blas_adapter.cpp; its single-threaded build, so no BLAS thread
/// ever runs inside ours) or Eigen's products (EIGEN_DONT_PARALLELIZE) on the same tiles. Both are
/// bit-identical across thread counts; they agree with each other to rounding only (different
/// kernels, different blocking), and either may differ across machines in the last bits (both
/// pick kernels or blocking from the CPU they run on). Auto = BLAS, measured with
/// benchmarks/gram_bench.cpp (N = 1000 states of 8 and of 12 qubits, 2-core AVX-512 VM, medians;
/// figures in the README): Eigen's tiles run 3-4 GFLOP/s (Eigen is compiled for the baseline
/// x86-64 ISA unless QMLSIM_NATIVE), BLIS several times that.
#include <Eigen/Core>
#include <cstdint>

#include "qml/data/dataset.hpp"
#include "qml/kernel/quantum_kernel.hpp"
#include "simulator/core/parallel.hpp"
#include "simulator/core/types.hpp"

namespace qmlsim::qml {

/// Columns per tile T: fixed (independent of the thread count), a block size of the memory plan.
/// 128 rather than 64: with 64, one thread reached 66-74% of one plain zherk over the whole
/// matrix; with 128, 71-95% (gram_bench, N = 1000 of 8 and 12 qubits).
inline constexpr Index kGramTile = 128;

/// Columns [first, first + count) of the global sample numbering, held at `data` (column-major,
/// `dim` amplitudes per column, column first at data[0]). `first` is a multiple of kGramTile.
struct StateColumns {
  const cdouble* data = nullptr;
  Index dim = 0;
  Index first = 0;
  Index count = 0;
};

/// Auto -> the measured default (Blas); others unchanged.
[[nodiscard]] GramBackend resolve_gram_backend(GramBackend backend) noexcept;

/// Writes k(i, j) = |<a_i|b_j>|^2 for every global tile (I, J) with rows in `a` and columns in
/// `b` (k is indexed by global sample numbers: rows of a, columns of b). symmetric = a training
/// Gram matrix: a and b number the same samples and only tiles J >= I are computed, and within a
/// diagonal tile (a and b the same block) only entries i <= j; finish_training_gram() completes
/// it. `par` threads the tiles (its threshold counts amplitudes: a tile counts as 2 T dim).
/// `k` must already have its final size; a and b must have the same dim.
void fidelity_tiles(const StateColumns& a, const StateColumns& b, bool symmetric, GramBackend backend,
                    const Parallelism& par, Eigen::MatrixXd& k);

/// The upper triangle copied to the lower one and the diagonal set to exactly 1.
void finish_training_gram(Eigen::MatrixXd& k) noexcept;

/// Real flops of the product behind an rows x cols block of |<a_i|b_j>|^2 over dim amplitudes:
/// 8 dim per complex inner product; a training Gram (symmetric) counts N (N + 1) / 2 of them,
/// as zherk's flop count does.
[[nodiscard]] double gram_flops(Index rows, Index cols, Index dim, bool symmetric) noexcept;

}  // namespace qmlsim::qml

#pragma once
/// The fidelity kernel K(x, y) = |<phi(x)|phi(y)>|^2 over a feature map.
///
/// gram(x): the N states once (circuit maps: one BatchExecutor, lowered when the kernel is built,
/// BatchExecutor::states_into; other maps: FeatureMap::encode per sample, each sample writing its
/// own column), then the tiled Hermitian product of gram.hpp. Symmetric exactly (the upper
/// triangle copied), unit diagonal exactly, bit-identical on any thread count.
/// cross_gram(a, b): the same with zgemm tiles, a's samples as rows.
///
/// Memory (KernelOptions::simulator.memory, `--max-memory`; checked before anything is
/// allocated): the states take N 2^n 16 bytes, plus the output matrix (8 bytes an entry), the
/// batch workers' scratch states and the tile scratch. When all the states do not fit, they are
/// produced in blocks of B columns (B a multiple of kGramTile, the largest with two blocks in
/// memory): block I held, blocks J >= I produced in turn (the next block I is the last block J
/// produced, so it is not simulated again); cross_gram holds a block of a and streams the blocks
/// of b. The tiles are the same as in memory, so the result is bit-identical to it;
/// KernelTiming::blocks and state_evaluations say what it cost. When not even two blocks of
/// kGramTile columns fit: ResourceError with the estimate.
///
/// Shots (KernelOptions::shots): entry (i, j), i < j, of a training Gram matrix becomes
/// Binomial(shots, K_ij) / shots drawn from Rng(seed, j (j - 1) / 2 + i) (the pair's index in the
/// upper triangle, independent of N: a leading sub-matrix draws the same values); the diagonal
/// stays 1. Entry (i, j) of a cross-Gram matrix draws from Rng(seed, 2^63 + i * columns + j).
///
/// PSD projection (KernelOptions::psd_projection; training Gram matrices only, after the shot
/// noise): K = V diag(l) V^T by Eigen's SelfAdjointEigenSolver, negative l clipped to 0, then
/// rescaled as D^(-1/2) K D^(-1/2) (D its diagonal) so that the diagonal is 1 again: a congruence,
/// so the result stays PSD; the diagonal is then set to exactly 1 and the lower triangle copied
/// from the upper. (A row whose clipped diagonal is 0 is left unscaled.)
#include <memory>
#include <optional>
#include <string>

#include "qml/kernel/quantum_kernel.hpp"
#include "simulator/execution/batch.hpp"

namespace qmlsim::qml {

class FidelityKernel final : public QuantumKernel {
 public:
  /// Throws InvalidArgument for a null map or shots = 0.
  FidelityKernel(std::shared_ptr<const FeatureMap> map, KernelOptions options = {});

  [[nodiscard]] int num_features() const noexcept override { return map_->num_features(); }
  [[nodiscard]] int num_qubits() const noexcept override { return map_->num_qubits(); }
  [[nodiscard]] Eigen::MatrixXd gram(const FeatureMatrix& x, KernelTiming* timing = nullptr) const override;
  [[nodiscard]] Eigen::MatrixXd cross_gram(const FeatureMatrix& a, const FeatureMatrix& b,
                                           KernelTiming* timing = nullptr) const override;
  /// "fidelity".
  [[nodiscard]] ComponentSpec spec() const override;
  [[nodiscard]] const FeatureMap& feature_map() const noexcept override { return *map_; }
  [[nodiscard]] std::string description() const override;

  /// Writes the states of rows [first, first + count) of x into out (count columns of 2^n
  /// amplitudes, column-major): the batch engine for circuit maps, encode() otherwise. x must
  /// have been checked (check_kernel_rows). Exposed for benchmarks and tests.
  void states_into(const FeatureMatrix& x, Index first, Index count, std::span<cdouble> out) const;

 private:
  Eigen::MatrixXd product(const FeatureMatrix& a, const FeatureMatrix* b, KernelTiming& timing) const;

  std::shared_ptr<const FeatureMap> map_;
  KernelOptions options_;
  std::optional<BatchExecutor> executor_;  // circuit maps only
};

/// The pair's index in the upper triangle (i < j): j (j - 1) / 2 + i; its shot-noise stream.
[[nodiscard]] constexpr std::uint64_t upper_pair_index(std::uint64_t i, std::uint64_t j) noexcept {
  return j * (j - 1) / 2 + i;
}

}  // namespace qmlsim::qml

#pragma once
/// The projected quantum kernel of Huang et al. 2021 ("Power of data in quantum machine
/// learning", Nat. Commun. 12, 2631):
///
///   k(x, y) = exp(-gamma * sum_q ||rho_q(x) - rho_q(y)||_F^2),
///
/// rho_q(x) the reduced density matrix of qubit q of |phi(x)>. Since rho_q = (I + <X_q> X + <Y_q> Y
/// + <Z_q> Z) / 2 and the Paulis are trace-orthogonal with tr(P^2) = 2,
///
///   sum_q ||rho_q(x) - rho_q(y)||_F^2 = (1/2) sum_q sum_{P in X,Y,Z} (<P_q>(x) - <P_q>(y))^2,
///
/// so the kernel is an RBF over the 3n one-qubit Pauli expectations, computed for every sample in
/// one batched pass (BatchExecutor::expectations with 3n single-Pauli observables; maps without a
/// circuit: from the encoded states). gamma here is Huang's. sQUlearn's ProjectedQuantumKernel
/// (its default Gaussian outer kernel) writes exp(-gamma_s |QNN(x) - QNN(y)|^2) over the same
/// expectations, without the 1/2: the same kernel has gamma_s = gamma / 2, i.e. sQUlearn's gamma
/// is half of Huang's.
///
/// gamma: given ("projected:gamma=G") or data-driven, frozen by fit(train) and never recomputed:
/// gamma = 2 * gamma_scale with gamma_scale = 1 / (3n * var(E)) (scikit-learn's gamma = 'scale' on
/// the training Pauli-expectation matrix E, N x 3n, variance over all entries; 1 when it is 0),
/// so that k equals scikit-learn's RBF(gamma = 'scale') on the expectation features. spec() then
/// carries it ("projected:gamma=<shortest round-trip text>"), so make_quantum_kernel(spec())
/// rebuilds the same kernel exactly. gram()/cross_gram() without a gamma (not fitted, none
/// given): InvalidArgument.
#include <memory>
#include <optional>
#include <string>

#include "qml/kernel/quantum_kernel.hpp"
#include "simulator/execution/batch.hpp"

namespace qmlsim::qml {

class ProjectedKernel final : public QuantumKernel {
 public:
  /// gamma unset: fitted by fit(). Throws InvalidArgument for a null map or a gamma that is not
  /// positive and finite.
  ProjectedKernel(std::shared_ptr<const FeatureMap> map, std::optional<double> gamma, KernelOptions options = {});

  [[nodiscard]] int num_features() const noexcept override { return map_->num_features(); }
  [[nodiscard]] int num_qubits() const noexcept override { return map_->num_qubits(); }
  /// Sets gamma from the training rows, unless it was given at construction.
  void fit(const FeatureMatrix& train) override;
  /// The expectations of the training rows once: gamma (unless given) and the matrix from them.
  [[nodiscard]] Eigen::MatrixXd fit_gram(const FeatureMatrix& train, KernelTiming* timing = nullptr) override;
  [[nodiscard]] Eigen::MatrixXd gram(const FeatureMatrix& x, KernelTiming* timing = nullptr) const override;
  [[nodiscard]] Eigen::MatrixXd cross_gram(const FeatureMatrix& a, const FeatureMatrix& b,
                                           KernelTiming* timing = nullptr) const override;
  /// "projected:gamma=G" once gamma is known, else "projected".
  [[nodiscard]] ComponentSpec spec() const override;
  [[nodiscard]] const FeatureMap& feature_map() const noexcept override { return *map_; }
  [[nodiscard]] std::string description() const override;

  /// Huang's gamma, if known.
  [[nodiscard]] std::optional<double> gamma() const noexcept { return gamma_; }
  /// E(i, 3q + p) = <P_q> of sample i, P = X, Y, Z (p = 0, 1, 2). Throws InvalidArgument for a
  /// wrong feature count (naming both) or a non-finite feature.
  [[nodiscard]] FeatureMatrix pauli_expectations(const FeatureMatrix& x, KernelTiming* timing = nullptr) const;

 private:
  [[nodiscard]] double checked_gamma() const;
  // The RBF over the expectations ea (rows) and eb (columns); the product time goes into `local`,
  // which is then copied to `timing` when given.
  [[nodiscard]] Eigen::MatrixXd outer_kernel(const FeatureMatrix& ea, const FeatureMatrix& eb, double gamma,
                                             KernelTiming& local, KernelTiming* timing) const;

  std::shared_ptr<const FeatureMap> map_;
  std::optional<double> gamma_;
  bool gamma_given_ = false;
  KernelOptions options_;
  std::optional<BatchExecutor> executor_;  // circuit maps only
  std::vector<Observable> observables_;    // X_0, Y_0, Z_0, X_1, ...
};

}  // namespace qmlsim::qml

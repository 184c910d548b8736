#pragma once
/// Diagnostics of a kernel matrix beside a kernel model's scores (what makes a quantum kernel
/// useless or promising before any SVM is trained).
#include <Eigen/Core>
#include <span>

namespace qmlsim::qml {

/// Kernel-target alignment (Cristianini et al. 2001) of the N x N kernel K with labels y:
/// <K, Y>_F / (|K|_F |Y|_F), Y_ij = +1 for equal labels, -1 otherwise (any number of classes;
/// |Y|_F = N). In [-1, 1]: 1 for K = Y (the ideal kernel), 1 / sqrt(N) for K = I. Throws
/// InvalidArgument for a non-square or empty K, a length mismatch, a non-finite entry or K = 0.
[[nodiscard]] double kernel_target_alignment(const Eigen::MatrixXd& k, std::span<const int> y);

/// Exponential concentration (Thanasilp et al. 2022): mean and variance (denominator n - 1) of
/// the n = N (N - 1) / 2 off-diagonal entries K_ij, i < j (the upper triangle; kernels are
/// symmetric). A variance near 0 means the kernel cannot tell samples apart. Throws
/// InvalidArgument for fewer than 3 rows or a non-square K.
struct OffDiagonalStats {
  double mean = 0.0;
  double variance = 0.0;
};
[[nodiscard]] OffDiagonalStats off_diagonal_stats(const Eigen::MatrixXd& k);

/// Geometric difference g(K_c || K_q) of Huang et al. 2021 ("Power of data in quantum machine
/// learning", eq. (5)) in its regularised form: the function of qml/kernel/quantum_kernel.hpp
/// (declared there too and defined there, used by `qmlsim kernel`; this declaration adds the
/// default lambda = kGeometricDifferenceLambda = 1e-3):
///   g = sqrt(|| sqrt(K_q) sqrt(K_c) (K_c + lambda I)^-2 sqrt(K_c) sqrt(K_q) ||_inf),
/// both kernels first normalised to trace N, ||.||_inf the spectral norm; lambda -> 0 gives eq.
/// (5), sqrt(|| sqrt(K_q) K_c^-1 sqrt(K_q) ||_inf). g(K || K) = max_i c_i / (c_i + lambda) <= 1
/// (c_i the eigenvalues of the normalised K). g near 1: the classical kernel can match the
/// quantum one on this data; large g: a potential quantum advantage exists for some labels.
/// Throws InvalidArgument for shapes that differ or are not square, or lambda <= 0.
[[nodiscard]] double geometric_difference(const Eigen::MatrixXd& k_classical, const Eigen::MatrixXd& k_quantum,
                                          double lambda = 1e-3);

}  // namespace qmlsim::qml

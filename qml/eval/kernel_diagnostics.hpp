#pragma once
/// Diagnostics of a kernel matrix beside a kernel model's scores (what makes a quantum kernel
/// useless or promising before any SVM is trained).
#include <Eigen/Core>
#include <span>

namespace qmlsim::qml {

/// Kernel-target alignment (Cristianini et al. 2001) of the N x N kernel K with labels y:
/// <K, Y>_F / (|K|_F |Y|_F), Y_ij = +1 for equal labels, -1 otherwise (any number of classes).
/// Throws InvalidArgument for a non-square K or a length mismatch.
[[nodiscard]] double kernel_target_alignment(const Eigen::MatrixXd& k, std::span<const int> y);

/// Exponential concentration (Thanasilp et al. 2022): mean and variance (denominator n - 1) of
/// the off-diagonal entries K_ij, i < j. A variance near 0 means the kernel cannot tell samples
/// apart. Throws InvalidArgument for fewer than 3 rows or a non-square K.
struct OffDiagonalStats {
  double mean = 0.0;
  double variance = 0.0;
};
[[nodiscard]] OffDiagonalStats off_diagonal_stats(const Eigen::MatrixXd& k);

/// Geometric difference g(K_c || K_q) of Huang et al. 2021 ("Power of data in quantum machine
/// learning", eq. (5)): sqrt(|| sqrt(K_q) K_c^-1 sqrt(K_q) ||_inf), with both kernels normalised
/// to trace N and K_c regularised as K_c + lambda I (lambda = 1e-3 by default, their choice for
/// finite samples); ||.||_inf the spectral norm. g near 1: the classical kernel can match the
/// quantum one on this data; large g: a potential quantum advantage exists for some labels.
/// Throws InvalidArgument for shapes that differ or lambda < 0.
[[nodiscard]] double geometric_difference(const Eigen::MatrixXd& k_classical, const Eigen::MatrixXd& k_quantum,
                                          double lambda = 1e-3);

}  // namespace qmlsim::qml

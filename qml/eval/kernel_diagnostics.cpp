#include "qml/eval/kernel_diagnostics.hpp"

#include <cmath>
#include <string>

#include "qml/kernel/quantum_kernel.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim::qml {

// geometric_difference is defined in qml/kernel/quantum_kernel.cpp; the default argument of the
// declaration in kernel_diagnostics.hpp is its constant.
static_assert(kGeometricDifferenceLambda == 1e-3, "kernel_diagnostics.hpp: default lambda of geometric_difference");

namespace {

void check_square(const Eigen::MatrixXd& k, const char* what) {
  if (k.rows() != k.cols())
    throw InvalidArgument(std::string(what) + ": the kernel matrix is " + std::to_string(k.rows()) + " x " +
                          std::to_string(k.cols()) + "; it must be square");
}

}  // namespace

double kernel_target_alignment(const Eigen::MatrixXd& k, std::span<const int> y) {
  check_square(k, "kernel-target alignment");
  const auto n = static_cast<std::size_t>(k.rows());
  if (n == 0) throw InvalidArgument("kernel-target alignment: no samples");
  if (y.size() != n)
    throw InvalidArgument("kernel-target alignment: a " + std::to_string(n) + " x " + std::to_string(n) +
                          " kernel matrix for " + plural(static_cast<long long>(y.size()), "label"));
  // Column by column (Eigen's storage order), the same order on every thread count.
  double inner = 0.0, squares = 0.0;
  for (std::size_t j = 0; j < n; ++j)
    for (std::size_t i = 0; i < n; ++i) {
      const double v = k(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
      check_finite(v, [&] {
        return "kernel-target alignment: entry (" + std::to_string(i) + ", " + std::to_string(j) + ")";
      });
      inner += y[i] == y[j] ? v : -v;
      squares += v * v;
    }
  if (squares == 0.0) throw InvalidArgument("kernel-target alignment: the kernel matrix is zero");
  return inner / (std::sqrt(squares) * static_cast<double>(n));  // |Y|_F = sqrt(N^2 entries of +-1)
}

OffDiagonalStats off_diagonal_stats(const Eigen::MatrixXd& k) {
  check_square(k, "off-diagonal stats");
  if (k.rows() < 3)
    throw InvalidArgument("off-diagonal stats: " + plural(k.rows(), "row") + "; needs at least 3");
  const Eigen::Index n = k.rows();
  const double count = 0.5 * static_cast<double>(n) * static_cast<double>(n - 1);
  OffDiagonalStats s;
  for (Eigen::Index j = 1; j < n; ++j)
    for (Eigen::Index i = 0; i < j; ++i) s.mean += k(i, j);
  s.mean /= count;
  for (Eigen::Index j = 1; j < n; ++j)
    for (Eigen::Index i = 0; i < j; ++i) s.variance += (k(i, j) - s.mean) * (k(i, j) - s.mean);
  s.variance /= count - 1.0;
  return s;
}

}  // namespace qmlsim::qml

#include "qml/kernel/quantum_kernel.hpp"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <exception>
#include <vector>

#include "qml/kernel/fidelity_kernel.hpp"
#include "qml/kernel/gram.hpp"
#include "qml/kernel/rbf_kernel.hpp"
#include "simulator/core/memory.hpp"
#include "qml/kernel/projected_kernel.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim::qml {
namespace {

// sqrt of a symmetric PSD matrix (negative eigenvalues, rounding noise, clipped to 0).
Eigen::MatrixXd psd_sqrt(const Eigen::MatrixXd& k) {
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(k);
  const Eigen::VectorXd root = eig.eigenvalues().cwiseMax(0.0).cwiseSqrt();
  return eig.eigenvectors() * root.asDiagonal() * eig.eigenvectors().transpose();
}

Eigen::MatrixXd trace_normalised(const Eigen::MatrixXd& k) {
  const double trace = k.trace();
  return trace > 0.0 ? Eigen::MatrixXd(k * (static_cast<double>(k.rows()) / trace)) : k;
}

// <K, y y^T>_F / (||K||_F ||y||^2).
double alignment(const Eigen::MatrixXd& k, const Eigen::VectorXd& y) {
  const double norms = k.norm() * y.squaredNorm();
  return norms > 0.0 ? y.dot(k * y) / norms : 0.0;
}

}  // namespace

void check_kernel_rows(const FeatureMatrix& x, int num_features, const std::string& what) {
  if (x.cols() != num_features)
    throw InvalidArgument(what + ": the feature map takes " + plural(num_features, "feature") + " but the data has " +
                          std::to_string(x.cols()));
  for (Eigen::Index i = 0; i < x.rows(); ++i)
    for (Eigen::Index j = 0; j < x.cols(); ++j)
      check_finite(x(i, j), [&] { return what + ": row " + std::to_string(i) + ", feature " + std::to_string(j); });
}

void encode_states(const FeatureMap& map, ParameterRows rows, std::span<cdouble> out, const Parallelism& par) {
  const Index dim = Index{1} << map.num_qubits();
  check_count(out.size(), rows.count * dim, "encode states: state block", "amplitude");
  // encode() may throw (an all-zero amplitude sample): caught per sample, the earliest rethrown.
  std::vector<std::exception_ptr> errors(rows.count);
  parallel_for(rows.count, 1, Parallelism{par.threads, std::max<Index>(1, par.threshold / dim)},
               [&](Index i0, Index i1) {
                 for (Index i = i0; i < i1; ++i) {
                   try {
                     map.encode(rows.row(i), out.subspan(i * dim, dim));
                   } catch (...) {
                     errors[i] = std::current_exception();
                   }
                 }
               });
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
}

std::unique_ptr<QuantumKernel> make_quantum_kernel(const ComponentSpec& kernel, std::shared_ptr<const FeatureMap> map,
                                                   KernelOptions options) {
  if (kernel.type == "fidelity") {
    ComponentOptions o(kernel, "kernel fidelity");
    o.finish();
    return std::make_unique<FidelityKernel>(std::move(map), options);
  }
  if (kernel.type == "projected") {
    ComponentOptions o(kernel, "kernel projected");
    std::optional<double> gamma;
    if (o.has("gamma")) gamma = o.real("gamma", 0.0);
    o.finish();
    return std::make_unique<ProjectedKernel>(std::move(map), gamma, options);
  }
  throw InvalidArgument("unknown kernel '" + kernel.type + "' (known: fidelity, projected)");
}

double geometric_difference(const Eigen::MatrixXd& k_classical, const Eigen::MatrixXd& k_quantum, double lambda) {
  if (k_classical.rows() != k_quantum.rows() || k_classical.cols() != k_quantum.cols() ||
      k_classical.rows() != k_classical.cols())
    throw InvalidArgument("geometric difference: kernel matrices of " + std::to_string(k_classical.rows()) + " x " +
                          std::to_string(k_classical.cols()) + " and " + std::to_string(k_quantum.rows()) + " x " +
                          std::to_string(k_quantum.cols()) + " (both must be the same square size)");
  check_positive(lambda, "geometric difference: lambda");
  if (k_classical.rows() == 0) return 0.0;
  // sqrt(K_c) (K_c + lambda I)^-2 sqrt(K_c) = V diag(c / (c + lambda)^2) V^T: one eigensolve.
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(trace_normalised(k_classical));
  const Eigen::VectorXd c = eig.eigenvalues().cwiseMax(0.0);
  const Eigen::VectorXd w = c.array() / (c.array() + lambda).square();
  const Eigen::MatrixXd middle = eig.eigenvectors() * w.asDiagonal() * eig.eigenvectors().transpose();
  const Eigen::MatrixXd root_q = psd_sqrt(trace_normalised(k_quantum));
  Eigen::MatrixXd m = root_q * middle * root_q;
  m = 0.5 * (m + m.transpose()).eval();
  // M is PSD: its spectral norm is its largest eigenvalue.
  const double top = Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(m, Eigen::EigenvaluesOnly).eigenvalues().maxCoeff();
  return std::sqrt(std::max(top, 0.0));
}

KernelDiagnostics kernel_diagnostics(const Eigen::MatrixXd& k, const Dataset& data, bool spectral,
                                     const MemoryLimit& memory) {
  const auto n = static_cast<Eigen::Index>(data.size());
  if (k.rows() != n || k.cols() != n)
    throw InvalidArgument("kernel diagnostics: a " + std::to_string(k.rows()) + " x " + std::to_string(k.cols()) +
                          " kernel matrix for " + plural(n, "sample"));
  KernelDiagnostics d;
  if (n == 0) return d;
  if (data.task() == Task::Classification) {
    // Two classes: y = +1 (class 1) / -1 (class 0). More: the mean of the one-vs-rest alignments.
    const int classes = data.num_classes();
    const int first = classes == 2 ? 1 : 0;
    double sum = 0.0;
    for (int c = first; c < classes; ++c) {
      Eigen::VectorXd y(n);
      for (Eigen::Index i = 0; i < n; ++i) y(i) = data.y()[static_cast<std::size_t>(i)] == c ? 1.0 : -1.0;
      sum += alignment(k, y);
    }
    d.target_alignment = sum / static_cast<double>(std::max(classes - first, 1));
  } else {
    const Eigen::Map<const Eigen::VectorXd> t(data.targets().data(), n);
    d.target_alignment = alignment(k, (t.array() - t.mean()).matrix());
  }
  if (n > 1) {
    const double count = static_cast<double>(n) * static_cast<double>(n - 1);
    double sum = 0.0;
    for (Eigen::Index j = 0; j < n; ++j)
      for (Eigen::Index i = 0; i < n; ++i)
        if (i != j) sum += k(i, j);
    d.offdiag_mean = sum / count;
    double squares = 0.0;
    for (Eigen::Index j = 0; j < n; ++j)
      for (Eigen::Index i = 0; i < n; ++i)
        if (i != j) squares += (k(i, j) - d.offdiag_mean) * (k(i, j) - d.offdiag_mean);
    d.offdiag_variance = squares / count;
  }
  if (!spectral) return d;
  const auto nn = static_cast<std::uint64_t>(n) * static_cast<std::uint64_t>(n);
  ensure_memory(6 * nn * sizeof(double), "kernel diagnostics: eigensolves of " + std::to_string(n) + " x " +
                                             std::to_string(n) + " matrices", memory);
  d.min_eigenvalue = Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(k, Eigen::EigenvaluesOnly).eigenvalues().minCoeff();
  const Eigen::MatrixXd k_rbf = rbf_kernel(data.x(), data.x(), rbf_scale_gamma(data.x()), SimulatorOptions{Parallelism{}, memory});
  d.geometric_difference = geometric_difference(k_rbf, k, kGeometricDifferenceLambda);
  return d;
}

}  // namespace qmlsim::qml

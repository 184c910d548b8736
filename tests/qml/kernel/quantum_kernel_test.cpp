#include "qml/kernel/quantum_kernel.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <Eigen/Eigenvalues>

#include <cmath>

#include "qml/kernel/fidelity_kernel.hpp"
#include "qml/kernel/projected_kernel.hpp"
#include "tests/qml/kernel/test_maps.hpp"
#include "tests/support/error_message.hpp"

namespace qmlsim::qml {
namespace {

using ::testing::HasSubstr;
using testing::zz_map;

Dataset labelled(Labels y, int classes) {
  std::vector<std::string> names;
  for (int c = 0; c < classes; ++c) names.push_back("c" + std::to_string(c));
  FeatureMatrix x = testing::random_features(static_cast<Eigen::Index>(y.size()), 2, 1);
  return Dataset(std::move(x), std::move(y), std::move(names));
}

TEST(QuantumKernelTest, FactoryBuildsTheNamedKernels) {
  const auto map = zz_map(2);
  const auto fidelity = make_quantum_kernel(parse_component_spec("fidelity"), map);
  EXPECT_NE(dynamic_cast<const FidelityKernel*>(fidelity.get()), nullptr);
  EXPECT_EQ(fidelity->spec().text(), "fidelity");
  const auto projected = make_quantum_kernel(parse_component_spec("projected:gamma=0.125"), map);
  ASSERT_NE(dynamic_cast<const ProjectedKernel*>(projected.get()), nullptr);
  EXPECT_EQ(projected->spec().text(), "projected:gamma=0.125");
  EXPECT_EQ(make_quantum_kernel(parse_component_spec("projected"), map)->spec().text(), "projected");
  EXPECT_EQ(&fidelity->feature_map(), map.get());
}

TEST(QuantumKernelTest, FactoryRefusesUnknownKernelsAndOptions) {
  const auto map = zz_map(2);
  EXPECT_EQ(testing::invalid_argument_of([&] { (void)make_quantum_kernel(parse_component_spec("rbf"), map); }),
            "unknown kernel 'rbf' (known: fidelity, projected)");
  EXPECT_THAT(testing::invalid_argument_of(
                  [&] { (void)make_quantum_kernel(parse_component_spec("fidelity:gamma=1"), map); }),
              HasSubstr("unknown option 'gamma'"));
  EXPECT_THAT(testing::invalid_argument_of(
                  [&] { (void)make_quantum_kernel(parse_component_spec("projected:gamma=0"), map); }),
              HasSubstr("gamma 0 must be positive"));
}

TEST(QuantumKernelTest, DiagnosticsOfHandComputableMatrices) {
  // Identity, two balanced classes: <I, yy^T> = 4, ||I|| = 2, ||yy^T|| = 4.
  const Dataset two = labelled({0, 1, 0, 1}, 2);
  const KernelDiagnostics d = kernel_diagnostics(Eigen::MatrixXd::Identity(4, 4), two);
  EXPECT_DOUBLE_EQ(d.target_alignment, 0.5);
  EXPECT_EQ(d.offdiag_mean, 0.0);
  EXPECT_EQ(d.offdiag_variance, 0.0);
  EXPECT_DOUBLE_EQ(d.min_eigenvalue, 1.0);
  EXPECT_GT(d.geometric_difference, 0.0);
  // The ideal kernel of three classes (1 within a class, 0 across): each one-vs-rest target has
  // y^T K y = 2^2 + 2^2 + 2^2 = 12, ||K|| = sqrt(12), ||y||^2 = 6, so the alignment is sqrt(12) / 6.
  const Dataset three = labelled({0, 0, 1, 1, 2, 2}, 3);
  Eigen::MatrixXd ideal = Eigen::MatrixXd::Zero(6, 6);
  for (int c = 0; c < 3; ++c) ideal.block(2 * c, 2 * c, 2, 2).setOnes();
  const KernelDiagnostics m = kernel_diagnostics(ideal, three);
  EXPECT_NEAR(m.target_alignment, std::sqrt(12.0) / 6.0, 1e-15);
  EXPECT_NEAR(m.offdiag_mean, 6.0 / 30.0, 1e-15);                                  // 6 ones of 30
  EXPECT_NEAR(m.offdiag_variance, 6.0 / 30.0 - (6.0 / 30.0) * (6.0 / 30.0), 1e-15);  // Bernoulli(0.2)
  EXPECT_NEAR(m.min_eigenvalue, 0.0, 1e-14);
  // Regression: alignment with the centred targets (0, 1, 2, 3) -> (-1.5, -0.5, 0.5, 1.5).
  const Dataset reg = Dataset::regression(testing::random_features(4, 2, 2), {0, 1, 2, 3});
  const Eigen::MatrixXd k = Eigen::MatrixXd::Identity(4, 4);
  EXPECT_DOUBLE_EQ(kernel_diagnostics(k, reg).target_alignment, 5.0 / (2.0 * 5.0));
  EXPECT_THAT(testing::invalid_argument_of([&] { (void)kernel_diagnostics(Eigen::MatrixXd::Identity(3, 3), two); }),
              HasSubstr("a 3 x 3 kernel matrix for 4 samples"));
}

TEST(QuantumKernelTest, GeometricDifferenceClosedForms) {
  // Diagonal matrices of trace N: g^2 = max_i q_i c_i / (c_i + lambda)^2 -> max_i q_i / c_i.
  Eigen::MatrixXd c = Eigen::Vector2d(1.5, 0.5).asDiagonal(), q = Eigen::Vector2d(0.5, 1.5).asDiagonal();
  EXPECT_NEAR(geometric_difference(c, q, 1e-12), std::sqrt(3.0), 1e-9);
  const double lambda = 0.1;
  EXPECT_NEAR(geometric_difference(c, q, lambda), std::sqrt(1.5 * 0.5 / ((0.5 + lambda) * (0.5 + lambda))), 1e-12);
  // Scale-free (trace normalisation) and g(K || K) = 1 for a full-rank K.
  const FeatureMatrix x = testing::random_features(20, 3, 3);
  Eigen::MatrixXd k = Eigen::MatrixXd::Zero(20, 20);
  for (int i = 0; i < 20; ++i)
    for (int j = 0; j < 20; ++j) k(i, j) = std::exp(-0.5 * (x.row(i) - x.row(j)).squaredNorm());
  EXPECT_NEAR(geometric_difference(k, 3.0 * k, 1e-12), 1.0, 1e-6);
  EXPECT_THAT(testing::invalid_argument_of([&] { (void)geometric_difference(c, k, 0.1); }),
              HasSubstr("same square size"));
}

TEST(QuantumKernelTest, DiagnosticsOfAFidelityGram) {
  const FeatureMatrix x = testing::random_features(30, 3, 4);
  Labels y;
  for (int i = 0; i < 30; ++i) y.push_back(i % 2);
  const Dataset data(x, y, {"a", "b"});
  const Eigen::MatrixXd k = FidelityKernel(zz_map(3)).gram(x);
  const KernelDiagnostics d = kernel_diagnostics(k, data);
  EXPECT_GT(d.offdiag_mean, 0.0);
  EXPECT_LT(d.offdiag_mean, 1.0);
  EXPECT_GT(d.offdiag_variance, 0.0);
  EXPECT_GE(d.min_eigenvalue, -1e-10);
  EXPECT_GE(d.geometric_difference, 1.0);  // the RBF kernel cannot reproduce the quantum one
  EXPECT_TRUE(std::isfinite(d.target_alignment));
}

// Kernel matrix exp(-gamma |x_i - x_j|^2) on four fixed points.
Eigen::MatrixXd gaussian_kernel(double gamma) {
  const double x[4][2] = {{0.0, 0.1}, {0.5, -0.3}, {1.0, 0.8}, {-0.7, 0.4}};
  Eigen::MatrixXd k(4, 4);
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) {
      const double d0 = x[i][0] - x[j][0], d1 = x[i][1] - x[j][1];
      k(i, j) = std::exp(-gamma * (d0 * d0 + d1 * d1));
    }
  return k;
}

TEST(QuantumKernelTest, GeometricDifferenceOfAKernelWithItself) {
  // g(K || K)^2 = max_i c_i^2 / (c_i + lambda)^2 with c the eigenvalues of K normalised to trace
  // N (= 4): just below 1, by the default lambda = 1e-3.
  const Eigen::MatrixXd k = gaussian_kernel(0.5);
  const double c_max = Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(k).eigenvalues().maxCoeff() * 4.0 / k.trace();
  EXPECT_NEAR(geometric_difference(k, k), c_max / (c_max + 1e-3), 1e-12);
  EXPECT_LT(geometric_difference(k, k), 1.0);
  EXPECT_GT(geometric_difference(k, k), 0.999);
  // Scaling either kernel changes nothing (trace normalisation).
  const Eigen::MatrixXd q = gaussian_kernel(3.0);
  EXPECT_NEAR(geometric_difference(7.0 * k, 0.2 * q), geometric_difference(k, q), 1e-12);
}

TEST(QuantumKernelTest, GeometricDifferenceMatchesNumpy) {
  // numpy 1.24.2, with kc, kq = gaussian_kernel(0.5), gaussian_kernel(3.0), both scaled to trace
  // 4, r = the eigh square root, m = r(kq) r(kc) inv(kc + lam I)^2 r(kc) r(kq):
  // sqrt(norm(m, 2)) = 3.1667842847688155 (lam 1e-3), 1.287961666067175 (lam 0.1); with the
  // kernels swapped 1.431700498991263 (lam 1e-3). Unregularised eq. (5), sqrt(norm(r(kq)
  // inv(kc) r(kq), 2)) = 3.2153494698882357: lambda -> 0 approaches it from below.
  const Eigen::MatrixXd kc = gaussian_kernel(0.5), kq = gaussian_kernel(3.0);
  EXPECT_NEAR(geometric_difference(kc, kq), 3.1667842847688155, 1e-9);
  EXPECT_NEAR(geometric_difference(kc, kq, 0.1), 1.287961666067175, 1e-9);
  EXPECT_NEAR(geometric_difference(kq, kc), 1.431700498991263, 1e-9);
  EXPECT_NEAR(geometric_difference(kc, kq, 1e-9), 3.2153494698882357, 1e-5);
  EXPECT_LT(geometric_difference(kc, kq, 1e-9), 3.2153494698882357);
  // The narrower (more expressive) kernel is further from the wider one than the reverse.
  EXPECT_GT(geometric_difference(kc, kq), geometric_difference(kq, kc));
  using testing::invalid_argument_of;
  EXPECT_THAT(invalid_argument_of([&] { (void)geometric_difference(kc, kq, 0.0); }),
              HasSubstr("lambda 0 must be positive"));
  EXPECT_THAT(invalid_argument_of([&] { (void)geometric_difference(kc, Eigen::MatrixXd::Identity(3, 3)); }),
              HasSubstr("same square size"));
}

}  // namespace
}  // namespace qmlsim::qml

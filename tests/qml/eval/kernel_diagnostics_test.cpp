#include "qml/eval/kernel_diagnostics.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <Eigen/Eigenvalues>
#include <cmath>
#include <vector>

#include "simulator/core/errors.hpp"
#include "tests/support/error_message.hpp"

namespace qmlsim::qml {
namespace {

using ::testing::HasSubstr;

// A symmetric 4 x 4 kernel and three-class labels with hand-computable diagnostics.
Eigen::MatrixXd small_kernel() {
  Eigen::MatrixXd k(4, 4);
  k << 1.0, 0.3, -0.2, 0.5,  //
      0.3, 2.0, 0.1, 0.0,    //
      -0.2, 0.1, 1.5, 0.4,   //
      0.5, 0.0, 0.4, 0.7;
  return k;
}

// exp(-gamma |x_i - x_j|^2) on four fixed points.
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

TEST(KernelDiagnosticsTest, AlignmentOfIdealIdentityAndHandKernels) {
  const std::vector<int> y{0, 2, 0, 1, 2, 2};
  Eigen::MatrixXd ideal(6, 6);
  for (int i = 0; i < 6; ++i)
    for (int j = 0; j < 6; ++j) ideal(i, j) = y[i] == y[j] ? 1.0 : -1.0;
  EXPECT_NEAR(kernel_target_alignment(ideal, y), 1.0, 1e-15);
  EXPECT_NEAR(kernel_target_alignment(-ideal, y), -1.0, 1e-15);
  EXPECT_NEAR(kernel_target_alignment(3.5 * ideal, y), 1.0, 1e-15);  // scale-free
  // K = I: <I, Y> = N (Y_ii = 1), |I| = sqrt(N), |Y| = N, so 1 / sqrt(N).
  EXPECT_NEAR(kernel_target_alignment(Eigen::MatrixXd::Identity(6, 6), y), 1.0 / std::sqrt(6.0), 1e-15);
  // Labels 0, 2, 0, 1: rows 0 and 2 agree. <K, Y> = trace 5.2 + 2 (-0.2) - 2 (0.3 + 0.5 + 0.1 +
  // 0.0 + 0.4) = 2.2; |K|^2 = 7.74 + 2 (0.09 + 0.04 + 0.25 + 0.01 + 0.16) = 8.84; |Y| = 4.
  // numpy: (K * Y).sum() / (norm(K) * norm(Y)) = 0.18498501834898592
  const std::vector<int> labels{0, 2, 0, 1};
  EXPECT_NEAR(kernel_target_alignment(small_kernel(), labels), 2.2 / (std::sqrt(8.84) * 4.0), 1e-15);
  EXPECT_NEAR(kernel_target_alignment(small_kernel(), labels), 0.18498501834898592, 1e-15);
}

TEST(KernelDiagnosticsTest, AlignmentRefusesBadInput) {
  using testing::invalid_argument_of;
  const std::vector<int> y{0, 1, 0};
  EXPECT_THAT(invalid_argument_of([&] { (void)kernel_target_alignment(Eigen::MatrixXd::Ones(3, 2), y); }),
              HasSubstr("3 x 2; it must be square"));
  EXPECT_THAT(invalid_argument_of([&] { (void)kernel_target_alignment(small_kernel(), y); }),
              HasSubstr("a 4 x 4 kernel matrix for 3 labels"));
  EXPECT_THAT(invalid_argument_of([&] { (void)kernel_target_alignment(Eigen::MatrixXd::Zero(3, 3), y); }),
              HasSubstr("the kernel matrix is zero"));
  Eigen::MatrixXd nan = Eigen::MatrixXd::Identity(3, 3);
  nan(1, 2) = std::nan("");
  EXPECT_THAT(invalid_argument_of([&] { (void)kernel_target_alignment(nan, y); }),
              HasSubstr("entry (1, 2) = nan is not finite"));
  EXPECT_THAT(invalid_argument_of([&] { (void)kernel_target_alignment(Eigen::MatrixXd(0, 0), {}); }),
              HasSubstr("no samples"));
}

TEST(KernelDiagnosticsTest, OffDiagonalStatsOfTheUpperTriangle) {
  // Entries above the diagonal: 0.3, -0.2, 0.5, 0.1, 0.0, 0.4; mean 1.1 / 6 = 0.18333...;
  // squared deviations sum to 0.348333..., over 5: 0.0696666...
  // numpy: K[triu_indices(4, 1)].mean(), .var(ddof=1) = 0.18333333333333335, 0.06966666666666668
  const OffDiagonalStats s = off_diagonal_stats(small_kernel());
  EXPECT_NEAR(s.mean, 1.1 / 6.0, 1e-15);
  EXPECT_NEAR(s.variance, 0.0696666666666666667, 1e-15);
  // A concentrated kernel: every off-diagonal entry equal, variance exactly 0.
  Eigen::MatrixXd flat = Eigen::MatrixXd::Constant(5, 5, 0.25);
  flat.diagonal().setOnes();
  const OffDiagonalStats f = off_diagonal_stats(flat);
  EXPECT_EQ(f.mean, 0.25);
  EXPECT_EQ(f.variance, 0.0);
  using testing::invalid_argument_of;
  EXPECT_THAT(invalid_argument_of([] { (void)off_diagonal_stats(Eigen::MatrixXd::Identity(2, 2)); }),
              HasSubstr("2 rows; needs at least 3"));
  EXPECT_THAT(invalid_argument_of([] { (void)off_diagonal_stats(Eigen::MatrixXd::Ones(3, 4)); }),
              HasSubstr("must be square"));
}

TEST(KernelDiagnosticsTest, GeometricDifferenceOfAKernelWithItself) {
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

TEST(KernelDiagnosticsTest, GeometricDifferenceMatchesNumpy) {
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

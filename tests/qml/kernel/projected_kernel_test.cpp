#include "qml/kernel/projected_kernel.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <complex>
#include <vector>

#include "tests/qml/kernel/test_maps.hpp"
#include "tests/support/error_message.hpp"

namespace qmlsim::qml {
namespace {

using ::testing::HasSubstr;
using testing::random_features;
using testing::zz_map;
using Rho = std::array<cdouble, 4>;  // row-major 2 x 2

// rho_q[a][b] = sum over the other qubits r of psi(r, q = a) conj(psi(r, q = b)): the partial
// trace written out.
Rho reduced(const std::vector<cdouble>& psi, int q) {
  Rho rho{};
  const std::size_t bit = std::size_t{1} << q;
  for (std::size_t i = 0; i < psi.size(); ++i) {
    if (i & bit) continue;
    const cdouble v[2] = {psi[i], psi[i | bit]};
    for (int a = 0; a < 2; ++a)
      for (int b = 0; b < 2; ++b) rho[2 * a + b] += v[a] * std::conj(v[b]);
  }
  return rho;
}

// k(x, y) = exp(-gamma sum_q ||rho_q(x) - rho_q(y)||_F^2), from the reduced density matrices.
Eigen::MatrixXd reference(const FeatureMap& map, const FeatureMatrix& a, const FeatureMatrix& b, double gamma) {
  const auto sa = testing::states_one_by_one(map, a), sb = testing::states_one_by_one(map, b);
  Eigen::MatrixXd k(a.rows(), b.rows());
  for (Eigen::Index i = 0; i < a.rows(); ++i)
    for (Eigen::Index j = 0; j < b.rows(); ++j) {
      double d = 0.0;
      for (int q = 0; q < map.num_qubits(); ++q) {
        const Rho x = reduced(sa[i], q), y = reduced(sb[j], q);
        for (int e = 0; e < 4; ++e) d += std::norm(x[e] - y[e]);
      }
      k(i, j) = std::exp(-gamma * d);
    }
  return k;
}

// <P_q> = tr(rho_q P) from the reduced density matrices.
FeatureMatrix reference_paulis(const FeatureMap& map, const FeatureMatrix& x) {
  const auto s = testing::states_one_by_one(map, x);
  const int n = map.num_qubits();
  FeatureMatrix e(x.rows(), 3 * n);
  for (Eigen::Index i = 0; i < x.rows(); ++i)
    for (int q = 0; q < n; ++q) {
      const Rho r = reduced(s[i], q);
      e(i, 3 * q) = 2.0 * r[1].real();       // tr(rho X) = rho01 + rho10
      e(i, 3 * q + 1) = -2.0 * r[1].imag();  // tr(rho Y) = i rho01 - i rho10
      e(i, 3 * q + 2) = (r[0] - r[3]).real();
    }
  return e;
}

KernelOptions with_threads(int threads) {
  KernelOptions o;
  // Threshold 128: the small states of these tests run across rows on `threads` workers and the
  // tiles split over them, as kernels run; threshold 0 would open a parallel region in every gate
  // of a tiny state (slow under OMP_WAIT_POLICY=passive, which ctest sets).
  o.simulator.parallel = threads == 1 ? Parallelism::serial() : Parallelism{threads, 128};
  return o;
}

TEST(ProjectedKernelTest, EqualsTheReducedDensityMatrixDefinition) {
  const auto map = zz_map(4);
  const ProjectedKernel kernel(map, 0.7, with_threads(2));
  const FeatureMatrix x = random_features(30, 4, 1), y = random_features(12, 4, 2);
  EXPECT_LE((kernel.gram(x) - reference(*map, x, x, 0.7)).cwiseAbs().maxCoeff(), 1e-12);
  EXPECT_LE((kernel.cross_gram(x, y) - reference(*map, x, y, 0.7)).cwiseAbs().maxCoeff(), 1e-12);
  EXPECT_LE((kernel.pauli_expectations(x) - reference_paulis(*map, x)).cwiseAbs().maxCoeff(), 1e-12);
  const Eigen::MatrixXd k = kernel.gram(x);
  EXPECT_TRUE(k == k.transpose());
  for (Eigen::Index i = 0; i < k.rows(); ++i) EXPECT_EQ(k(i, i), 1.0);
}

TEST(ProjectedKernelTest, EncodedMapsEqualTheDefinition) {
  const auto map = std::make_shared<testing::AmplitudeMap>(3);
  const ProjectedKernel kernel(map, 1.3, with_threads(2));
  const FeatureMatrix x = random_features(100, 8, 3, -1.0, 1.0);  // two blocks of samples
  EXPECT_LE((kernel.pauli_expectations(x) - reference_paulis(*map, x)).cwiseAbs().maxCoeff(), 1e-12);
  EXPECT_LE((kernel.gram(x) - reference(*map, x, x, 1.3)).cwiseAbs().maxCoeff(), 1e-12);
}

TEST(ProjectedKernelTest, BitIdenticalOnOneAndTwoThreads) {
  const FeatureMatrix x = random_features(80, 3, 4), y = random_features(20, 3, 5);
  const ProjectedKernel one(zz_map(3), 0.5, with_threads(1)), two(zz_map(3), 0.5, with_threads(2));
  EXPECT_TRUE(one.gram(x) == two.gram(x));
  EXPECT_TRUE(one.cross_gram(x, y) == two.cross_gram(x, y));
}

TEST(ProjectedKernelTest, GammaIsFittedOnTrainingRowsAndFrozen) {
  const auto map = zz_map(3);
  const FeatureMatrix train = random_features(40, 3, 6), test = random_features(10, 3, 7);
  ProjectedKernel kernel(map, std::nullopt);
  EXPECT_EQ(kernel.spec().text(), "projected");
  EXPECT_THAT(testing::invalid_argument_of([&] { (void)kernel.gram(train); }), HasSubstr("gamma is not set"));
  EXPECT_THAT(testing::invalid_argument_of([&] { (void)kernel.cross_gram(test, train); }),
              HasSubstr("gamma is not set"));
  kernel.fit(train);
  // 2 / (3n var(E)): scikit-learn's 'scale' on the Pauli features, in Huang's convention.
  const FeatureMatrix e = reference_paulis(*map, train);
  const double var = (e.array() - e.mean()).square().mean();
  ASSERT_TRUE(kernel.gamma().has_value());
  const double gamma = *kernel.gamma();
  EXPECT_NEAR(gamma, 2.0 / (9.0 * var), 1e-12 * gamma);
  const Eigen::MatrixXd before = kernel.cross_gram(test, train);
  EXPECT_LE((before - reference(*map, test, train, gamma)).cwiseAbs().maxCoeff(), 1e-12);
  (void)kernel.gram(test);  // never refits
  EXPECT_EQ(*kernel.gamma(), gamma);
  // The spec carries gamma exactly: the rebuilt kernel gives the same bits.
  const auto rebuilt = make_quantum_kernel(kernel.spec(), map);
  EXPECT_TRUE(rebuilt->cross_gram(test, train) == before);
  EXPECT_EQ(rebuilt->spec(), kernel.spec());
  // A given gamma is kept by fit().
  ProjectedKernel given(map, 0.25);
  given.fit(train);
  EXPECT_EQ(given.gamma(), 0.25);
  EXPECT_EQ(given.spec().text(), "projected:gamma=0.25");
}

TEST(ProjectedKernelTest, Validation) {
  const auto map = zz_map(3);
  EXPECT_THAT(testing::invalid_argument_of([&] { ProjectedKernel(map, -1.0); }), HasSubstr("gamma -1 must be positive"));
  KernelOptions shots;
  shots.shots = 100;
  EXPECT_THAT(testing::invalid_argument_of([&] { ProjectedKernel(map, 1.0, shots); }),
              HasSubstr("fidelity kernel only"));
  const ProjectedKernel kernel(map, 1.0);
  EXPECT_EQ(testing::invalid_argument_of([&] { (void)kernel.gram(random_features(4, 2, 8)); }),
            "projected kernel: the feature map takes 3 features but the data has 2");
  ProjectedKernel unfitted(map, std::nullopt);
  // The feature count is checked before gamma.
  EXPECT_THAT(testing::invalid_argument_of([&] { (void)unfitted.gram(random_features(4, 5, 8)); }),
              HasSubstr("takes 3 features but the data has 5"));
  EXPECT_THAT(kernel.description(), HasSubstr("gamma 1"));
}

}  // namespace
}  // namespace qmlsim::qml

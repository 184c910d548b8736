#include "qml/data/synthetic.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <Eigen/Eigenvalues>
#include <cmath>
#include <complex>
#include <numbers>
#include <vector>

#include "simulator/circuit/circuit.hpp"
#include "simulator/core/errors.hpp"
#include "tests/support/dense_reference.hpp"
#include "tests/support/error_message.hpp"

namespace qmlsim::qml {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
constexpr double kPi = std::numbers::pi;

std::vector<std::size_t> counts(const Dataset& d) { return d.class_counts(); }

TEST(SyntheticTest, MoonsShapeBalanceAndDeterminism) {
  const Dataset d = make_moons(101, 0.1, 5);
  EXPECT_EQ(d.size(), 101u);
  EXPECT_EQ(d.num_features(), 2);
  EXPECT_THAT(counts(d), ElementsAre(50u, 51u));  // scikit-learn: n // 2 outer, the rest inner
  EXPECT_EQ(d.x(), make_moons(101, 0.1, 5).x());
  EXPECT_EQ(d.y(), make_moons(101, 0.1, 5).y());
  EXPECT_NE(d.x(), make_moons(101, 0.1, 6).x());
}

TEST(SyntheticTest, MoonsWithoutNoiseLieOnTheirHalfCircles) {
  const Dataset d = make_moons(60, 0.0, 2);
  for (std::size_t i = 0; i < d.size(); ++i) {
    const double x = d.x()(static_cast<Eigen::Index>(i), 0), y = d.x()(static_cast<Eigen::Index>(i), 1);
    if (d.y()[i] == 0) {  // upper half circle of radius 1 around (0, 0)
      EXPECT_NEAR(std::hypot(x, y), 1.0, 1e-12);
      EXPECT_GE(y, -1e-12);
    } else {  // lower half circle of radius 1 around (1, 0.5)
      EXPECT_NEAR(std::hypot(x - 1.0, y - 0.5), 1.0, 1e-12);
      EXPECT_LE(y, 0.5 + 1e-12);
    }
  }
}

TEST(SyntheticTest, CirclesRadiiAndNoise) {
  const Dataset d = make_circles(80, 0.0, 0.3, 4);
  EXPECT_THAT(counts(d), ElementsAre(40u, 40u));
  for (std::size_t i = 0; i < d.size(); ++i)
    EXPECT_NEAR(d.x().row(static_cast<Eigen::Index>(i)).norm(), d.y()[i] == 0 ? 1.0 : 0.3, 1e-12);
  // With noise the mean radius of each class stays near its circle and the spread grows.
  const Dataset n = make_circles(2000, 0.05, 0.5, 4);
  double sum[2] = {0, 0}, sq[2] = {0, 0};
  for (std::size_t i = 0; i < n.size(); ++i) {
    const double r = n.x().row(static_cast<Eigen::Index>(i)).norm();
    sum[n.y()[i]] += r;
    sq[n.y()[i]] += r * r;
  }
  for (int c = 0; c < 2; ++c) {
    const double mean = sum[c] / 1000.0, sd = std::sqrt(sq[c] / 1000.0 - mean * mean);
    EXPECT_NEAR(mean, c == 0 ? 1.0 : 0.5, 0.01);
    EXPECT_NEAR(sd, 0.05, 0.01);
  }
}

TEST(SyntheticTest, XorQuadrants) {
  const Dataset d = make_xor(200, 0.0, 9);
  EXPECT_THAT(counts(d), ElementsAre(100u, 100u));
  int quadrant[4] = {0, 0, 0, 0};
  for (std::size_t i = 0; i < d.size(); ++i) {
    const double x = d.x()(static_cast<Eigen::Index>(i), 0), y = d.x()(static_cast<Eigen::Index>(i), 1);
    EXPECT_LE(std::abs(x), 1.0);
    EXPECT_LE(std::abs(y), 1.0);
    EXPECT_EQ(d.y()[i], (x > 0) != (y > 0) ? 1 : 0);
    ++quadrant[(x > 0 ? 1 : 0) + (y > 0 ? 2 : 0)];
  }
  for (int q : quadrant) EXPECT_GT(q, 30);  // each class splits over its two quadrants
  EXPECT_NE(make_xor(200, 0.1, 9).x(), d.x());
}

TEST(SyntheticTest, BlobsCountsAndClusters) {
  const Dataset d = make_blobs(103, 3, 4, 0.01, 11);
  EXPECT_EQ(d.num_features(), 3);
  EXPECT_THAT(counts(d), ElementsAre(26u, 26u, 26u, 25u));
  // Tight clusters: every point within 0.1 of its class mean; means inside [-10, 10]^3.
  for (int c = 0; c < 4; ++c) {
    Eigen::RowVectorXd mean = Eigen::RowVectorXd::Zero(3);
    for (std::size_t i = 0; i < d.size(); ++i)
      if (d.y()[i] == c) mean += d.x().row(static_cast<Eigen::Index>(i));
    mean /= static_cast<double>(counts(d)[static_cast<std::size_t>(c)]);
    EXPECT_LE(mean.cwiseAbs().maxCoeff(), 10.0);
    for (std::size_t i = 0; i < d.size(); ++i)
      if (d.y()[i] == c) {
        EXPECT_LT((d.x().row(static_cast<Eigen::Index>(i)) - mean).norm(), 0.1);
      }
  }
}

TEST(SyntheticTest, RefusesBadArguments) {
  using testing::invalid_argument_of;
  EXPECT_EQ(invalid_argument_of([] { (void)make_moons(1, 0.1, 1); }), "moons: samples 1 out of range [2, 10000000]");
  EXPECT_EQ(invalid_argument_of([] { (void)make_circles(10, 0.1, 1.0, 1); }), "circles: factor 1 out of range [0, 1)");
  EXPECT_EQ(invalid_argument_of([] { (void)make_xor(10, -0.5, 1); }), "xor: noise -0.5 must be >= 0 and finite");
  EXPECT_EQ(invalid_argument_of([] { (void)make_blobs(3, 2, 4, 1.0, 1); }), "blobs: samples 3 out of range [4, 10000000]");
  EXPECT_EQ(invalid_argument_of([] { (void)make_ad_hoc(5, 5, 4, 0.3, 1); }), "ad_hoc: features 4 out of range [2, 3]");
  EXPECT_EQ(invalid_argument_of([] { (void)make_ad_hoc(5, 5, 2, 1.0, 1); }), "ad_hoc: gap 1 out of range [0, 1)");
  EXPECT_THAT(invalid_argument_of([] { (void)make_ad_hoc(5, 5, 2, 0.999, 1); }), HasSubstr("leaves no grid point of class"));
}

TEST(SyntheticTest, AdHocObservableIsAUnitaryConjugateOfTheParity) {
  for (int n : {2, 3}) {
    const Eigen::MatrixXcd m = ad_hoc_observable(n, 3);
    EXPECT_LT((m - m.adjoint()).cwiseAbs().maxCoeff(), 1e-12);
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXcd> eig(m);
    for (int k = 0; k < (1 << n); ++k)  // D has as many -1 as +1 (parity; 3-qubit majority)
      EXPECT_NEAR(eig.eigenvalues()(k), k < (1 << (n - 1)) ? -1.0 : 1.0, 1e-12);
    EXPECT_GT((m - ad_hoc_observable(n, 4)).cwiseAbs().maxCoeff(), 1e-3);  // the seed matters
  }
}

/// <psi(x)|M|psi(x)> with psi = U H U H |0>, U = exp(i sum x_i Z_i + i sum (pi - x_i)(pi - x_j) Z_i Z_j),
/// built from gates on the dense reference simulator: exp(i a Z) = RZ(-2a), exp(i c ZZ) = RZZ(-2c).
/// Feature i is the most significant bit, qubit n-1-i in qmlsim's order.
double reference_expectation(const Eigen::RowVectorXd& x, const Eigen::MatrixXcd& m) {
  const int n = static_cast<int>(x.size());
  Circuit c(n);
  for (int rep = 0; rep < 2; ++rep) {
    for (int q = 0; q < n; ++q) c.h(q);
    for (int i = 0; i < n; ++i) c.rz(-2.0 * x(i), n - 1 - i);
    for (int i = 0; i < n; ++i)
      for (int j = i + 1; j < n; ++j) c.rzz(-2.0 * (kPi - x(i)) * (kPi - x(j)), n - 1 - i, n - 1 - j);
  }
  std::vector<cdouble> zero(std::size_t{1} << n, 0.0);
  zero[0] = 1.0;
  const std::vector<cdouble> psi = testing::apply_circuit(c, {}, zero);
  const Eigen::Map<const Eigen::VectorXcd> v(psi.data(), static_cast<Eigen::Index>(psi.size()));
  return v.dot(m * v).real();
}

void check_ad_hoc(int training, int test, int n, double gap, std::uint64_t seed) {
  SCOPED_TRACE("features " + std::to_string(n) + ", seed " + std::to_string(seed));
  const AdHocData d = make_ad_hoc(training, test, n, gap, seed);
  ASSERT_EQ(d.train.size(), static_cast<std::size_t>(2 * training));
  ASSERT_EQ(d.test.size(), static_cast<std::size_t>(2 * test));
  EXPECT_EQ(d.train.num_features(), n);
  EXPECT_THAT(d.train.class_names(), ElementsAre("A", "B"));
  EXPECT_THAT(d.train.class_counts(), ElementsAre(std::size_t(training), std::size_t(training)));
  EXPECT_THAT(d.test.class_counts(), ElementsAre(std::size_t(test), std::size_t(test)));
  const Eigen::MatrixXcd m = ad_hoc_observable(n, seed);
  const double step = 2.0 * kPi / ad_hoc_grid_points(n);
  for (const Dataset* part : {&d.train, &d.test}) {
    for (std::size_t i = 0; i < part->size(); ++i) {
      const Eigen::RowVectorXd x = part->x().row(static_cast<Eigen::Index>(i));
      for (int j = 0; j < n; ++j) {  // on the grid k * 2 pi / points, in [0, 2 pi)
        EXPECT_NEAR(x(j) / step, std::round(x(j) / step), 1e-9);
        EXPECT_GE(x(j), 0.0);
        EXPECT_LT(x(j), 2.0 * kPi);
      }
      const double e = reference_expectation(x, m);
      EXPECT_GT(std::abs(e), gap) << "row " << i;
      EXPECT_EQ(e > 0 ? 0 : 1, part->y()[i]) << "row " << i << ", expectation " << e;
    }
  }
}

TEST(SyntheticTest, AdHocPointsSatisfyTheGapWithTheirLabelsSign) {
  for (std::uint64_t seed : {1u, 2u, 3u}) check_ad_hoc(20, 5, 2, 0.3, seed);
  check_ad_hoc(10, 3, 3, 0.2, 7);
}

TEST(SyntheticTest, AdHocIsSeeded) {
  const AdHocData a = make_ad_hoc(10, 2, 2, 0.3, 5), b = make_ad_hoc(10, 2, 2, 0.3, 5), c = make_ad_hoc(10, 2, 2, 0.3, 6);
  EXPECT_EQ(a.train.x(), b.train.x());
  EXPECT_EQ(a.test.x(), b.test.x());
  EXPECT_NE(a.train.x(), c.train.x());
  EXPECT_EQ(ad_hoc_grid_points(2), 100);
  EXPECT_EQ(ad_hoc_grid_points(3), 20);
}

}  // namespace
}  // namespace qmlsim::qml

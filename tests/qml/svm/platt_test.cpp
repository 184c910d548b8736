#include "qml/svm/platt.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "simulator/core/rng.hpp"

namespace qmlsim::qml {
namespace {

// The objective Platt's method minimises, written independently: the cross-entropy against the
// regularised targets (N+ + 1) / (N+ + 2) and 1 / (N- + 2), naively.
double cross_entropy(const std::vector<double>& f, const std::vector<std::uint8_t>& positive, double a, double b) {
  double n_pos = 0, n_neg = 0;
  for (auto p : positive) (p ? n_pos : n_neg) += 1;
  double value = 0.0;
  for (std::size_t i = 0; i < f.size(); ++i) {
    const double t = positive[i] ? (n_pos + 1) / (n_pos + 2) : 1 / (n_neg + 2);
    const double p = 1.0 / (1.0 + std::exp(a * f[i] + b));
    value -= t * std::log(p) + (1 - t) * std::log(1 - p);
  }
  return value;
}

TEST(PlattTest, SigmoidMinimisesTheRegularisedCrossEntropy) {
  Rng rng(3);
  std::vector<double> f;
  std::vector<std::uint8_t> positive;
  for (int i = 0; i < 200; ++i) {
    const bool pos = rng.uniform() < 0.4;
    positive.push_back(pos);
    f.push_back((pos ? 1.0 : -0.8) + 1.2 * rng.normal());
  }
  const PlattSigmoid s = fit_platt_sigmoid(f, positive);
  EXPECT_LT(s.a, 0.0);  // larger decision values, more likely positive
  const double best = cross_entropy(f, positive, s.a, s.b);
  for (double h : {1e-2, 1e-3})
    for (auto [da, db] : {std::pair{h, 0.0}, {-h, 0.0}, {0.0, h}, {0.0, -h}, {h, h}, {-h, -h}, {h, -h}})
      EXPECT_GE(cross_entropy(f, positive, s.a + da, s.b + db), best - 1e-9) << da << " " << db;
}

TEST(PlattTest, SigmoidIsStableForLargeArguments) {
  const PlattSigmoid s{-1.0, 0.0};
  EXPECT_EQ(s(1000.0), 1.0);
  EXPECT_EQ(s(-1000.0), 0.0);
  EXPECT_DOUBLE_EQ(s(0.0), 0.5);
  EXPECT_DOUBLE_EQ(s(std::log(3.0)), 0.75);
}

TEST(PlattTest, CouplingRecoversConsistentProbabilities) {
  const std::vector<double> p{0.5, 0.2, 0.2, 0.1};
  Eigen::MatrixXd r = Eigen::MatrixXd::Zero(4, 4);
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j)
      if (i != j) r(i, j) = p[i] / (p[i] + p[j]);
  const Eigen::VectorXd q = couple_pairwise(r);
  EXPECT_NEAR(q.sum(), 1.0, 1e-12);
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(q(i), p[i], 1e-3) << i;
}

TEST(PlattTest, CouplingOfInconsistentPairsStaysOnTheSimplex) {
  Eigen::MatrixXd r(3, 3);
  r << 0, 0.9, 0.2, 0.1, 0, 0.7, 0.8, 0.3, 0;
  const Eigen::VectorXd q = couple_pairwise(r);
  EXPECT_NEAR(q.sum(), 1.0, 1e-12);
  EXPECT_GT(q.minCoeff(), 0.0);
}

}  // namespace
}  // namespace qmlsim::qml

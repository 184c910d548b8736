#include "qml/kernel/binomial.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace qmlsim::qml {
namespace {

// The Binomial(n, p) pmf from std::lgamma (an independent route: the sampler uses its own log
// factorials and ratios from the mode).
std::vector<double> pmf(std::uint64_t n, double p) {
  std::vector<double> f(n + 1);
  const double nd = static_cast<double>(n);
  for (std::uint64_t k = 0; k <= n; ++k) {
    const double kd = static_cast<double>(k);
    f[k] = std::exp(std::lgamma(nd + 1) - std::lgamma(kd + 1) - std::lgamma(nd - kd + 1) + kd * std::log(p) +
                    (nd - kd) * std::log1p(-p));
  }
  return f;
}

// Pearson's chi-square of `draws` variates against the pmf, bins with expectation < 5 pooled.
// Returns {statistic, degrees of freedom}.
std::pair<double, int> chi_square(std::uint64_t n, double p, int draws, std::uint64_t seed) {
  std::vector<int> counts(n + 1, 0);
  Rng rng(seed);
  for (int i = 0; i < draws; ++i) {
    const std::uint64_t k = binomial(rng, n, p);
    EXPECT_LE(k, n);
    ++counts[k];
  }
  const auto f = pmf(n, p);
  double stat = 0.0, pooled_expected = 0.0;
  int pooled_observed = 0, bins = 0;
  for (std::uint64_t k = 0; k <= n; ++k) {
    const double e = f[k] * draws;
    if (e < 5.0) {
      pooled_expected += e;
      pooled_observed += counts[k];
      continue;
    }
    stat += (counts[k] - e) * (counts[k] - e) / e;
    ++bins;
  }
  if (pooled_expected > 0.0) {
    stat += (pooled_observed - pooled_expected) * (pooled_observed - pooled_expected) / pooled_expected;
    ++bins;
  }
  return {stat, bins - 1};
}

// chi-square with d degrees of freedom: mean d, sd sqrt(2 d); 6 sd is a bound no exact sampler
// exceeds by chance in practice, while a wrong pmf (a shifted mode, a 1% bias) blows far past it.
void expect_binomial(std::uint64_t n, double p) {
  const auto [stat, dof] = chi_square(n, p, 40000, n * 1000 + static_cast<std::uint64_t>(p * 100));
  EXPECT_LT(stat, dof + 6.0 * std::sqrt(2.0 * dof)) << "n " << n << ", p " << p;
}

TEST(BinomialTest, InversionFromZeroMatchesThePmf) {
  expect_binomial(20, 0.3);    // n p = 6: walked from 0
  expect_binomial(1000, 0.004);
  expect_binomial(5, 0.5);
}

TEST(BinomialTest, InversionFromTheModeMatchesThePmf) {
  expect_binomial(100, 0.3);   // n p = 30: walked from the mode
  expect_binomial(2000, 0.37);
  expect_binomial(100000, 0.25);
}

TEST(BinomialTest, ProbabilitiesAboveOneHalfUseTheSymmetry) {
  expect_binomial(20, 0.85);
  expect_binomial(2000, 0.9);
}

TEST(BinomialTest, EdgeCases) {
  Rng rng(1);
  EXPECT_EQ(binomial(rng, 10, 0.0), 0u);
  EXPECT_EQ(binomial(rng, 10, -0.5), 0u);
  EXPECT_EQ(binomial(rng, 10, 1.0), 10u);
  EXPECT_EQ(binomial(rng, 10, 1.0 + 1e-16), 10u);
  EXPECT_EQ(binomial(rng, 0, 0.5), 0u);
  EXPECT_EQ(binomial(rng, 10, std::nan("")), 0u);
}

TEST(BinomialTest, DeterministicPerRngState) {
  for (double p : {0.01, 0.3, 0.5, 0.97}) {
    Rng a(42, 3), b(42, 3), c(43, 3);
    std::vector<std::uint64_t> xa, xb, xc;
    for (int i = 0; i < 50; ++i) {
      xa.push_back(binomial(a, 1000, p));
      xb.push_back(binomial(b, 1000, p));
      xc.push_back(binomial(c, 1000, p));
    }
    EXPECT_EQ(xa, xb);
    EXPECT_NE(xa, xc);
  }
}

}  // namespace
}  // namespace qmlsim::qml

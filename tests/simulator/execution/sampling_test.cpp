#include "simulator/execution/sampling.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "simulator/circuit/library.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/rng.hpp"
#include "simulator/execution/simulator.hpp"
#include "tests/support/error_message.hpp"
#include "tests/support/random_state.hpp"

namespace qmlsim {
namespace {

using ::testing::HasSubstr;

StateVector<double> random_state(int n, std::uint64_t seed, const Parallelism& par = {}) {
  Rng rng(seed);
  return StateVector<double>::from_amplitudes(testing::random_state(n, rng), false, par);
}

// Pearson's statistic over all outcomes with expected count >= 5.
double chi_square(const Counts& counts, const std::vector<double>& probs, std::uint64_t shots, int* dof) {
  double chi2 = 0;
  *dof = -1;
  for (std::size_t i = 0; i < probs.size(); ++i) {
    const double expected = probs[i] * static_cast<double>(shots);
    const auto it = counts.find(i);
    const double observed = it == counts.end() ? 0.0 : static_cast<double>(it->second);
    chi2 += (observed - expected) * (observed - expected) / expected;
    ++*dof;
  }
  return chi2;
}

TEST(SamplingTest, SortedUniformsAreSortedAndUniform) {
  const auto u = sorted_uniforms(100000, 2.0, 9);
  ASSERT_TRUE(std::is_sorted(u.begin(), u.end()));
  EXPECT_GE(u.front(), 0.0);
  EXPECT_LT(u.back(), 2.0);
  // Kolmogorov-Smirnov distance against U[0, 2): critical value 1.95/sqrt(n) at p = 0.001.
  double d = 0;
  for (std::size_t i = 0; i < u.size(); ++i) {
    const double f = u[i] / 2.0;
    d = std::max({d, std::abs(f - static_cast<double>(i) / u.size()), std::abs(f - static_cast<double>(i + 1) / u.size())});
  }
  EXPECT_LT(d, 1.95 / std::sqrt(100000.0));
}

TEST(SamplingTest, PassesChiSquareAtFixedSeed) {
  const auto s = random_state(4, 21);
  const std::uint64_t shots = 200000;
  const Counts counts = sample_counts(s, shots, 1234);
  std::uint64_t total = 0;
  for (const auto& [i, k] : counts) total += k;
  EXPECT_EQ(total, shots);
  int dof = 0;
  const double chi2 = chi_square(counts, s.probabilities(), shots, &dof);
  ASSERT_EQ(dof, 15);
  EXPECT_LT(chi2, 37.70);  // chi-square, 15 degrees of freedom, p = 0.001
}

TEST(SamplingTest, SubsetMarginalPassesChiSquare) {
  const auto s = random_state(6, 22);
  const std::vector<Qubit> qubits = {5, 1, 3};
  const std::uint64_t shots = 100000;
  const Counts counts = sample_counts(s, qubits, shots, 77);
  int dof = 0;
  const double chi2 = chi_square(counts, s.marginal_probabilities(qubits), shots, &dof);
  ASSERT_EQ(dof, 7);
  EXPECT_LT(chi2, 24.32);  // 7 degrees of freedom, p = 0.001
}

TEST(SamplingTest, IdenticalCountsOnOneAndTwoThreads) {
  const auto serial = random_state(16, 5, Parallelism::serial());
  const auto threaded = random_state(16, 5, Parallelism{2, 0});
  const Parallelism one = Parallelism::serial(), two{2, 0};
  EXPECT_EQ(sample_counts(serial, 50000, 3, {}, one), sample_counts(threaded, 50000, 3, {}, two));
  const std::vector<Qubit> q = {0, 15, 7};
  EXPECT_EQ(sample_counts(serial, q, 50000, 4, {}, one), sample_counts(threaded, q, 50000, 4, {}, two));
}

TEST(SamplingTest, SeedChangesCountsAndRepeats) {
  const auto s = random_state(5, 6);
  EXPECT_EQ(sample_counts(s, 1000, 1), sample_counts(s, 1000, 1));
  EXPECT_NE(sample_counts(s, 1000, 1), sample_counts(s, 1000, 2));
}

TEST(SamplingTest, DeterministicStatesGiveExactCounts) {
  auto s = StateVector<double>::basis(5, 19);
  const Counts c = sample_counts(s, 777, 1);
  ASSERT_EQ(c.size(), 1U);
  EXPECT_EQ(c.at(19), 777U);
  EXPECT_TRUE(sample_counts(s, 0, 1).empty());
  auto f = StateVector<float>::basis(3, 0);
  EXPECT_EQ(sample_counts(f, 10, 1).at(0), 10U);
}

TEST(SamplingTest, SubsetValidated) {
  const auto s = random_state(3, 7);
  const std::vector<Qubit> bad = {3};
  EXPECT_THROW((void)sample_counts(s, bad, 10, 1), InvalidArgument);
  const std::vector<Qubit> twice = {1, 1};
  EXPECT_THROW((void)sample_counts(s, twice, 10, 1), InvalidArgument);
  EXPECT_EQ(testing::invalid_argument_of([&] { (void)sample_counts(s, bad, 10, 1); }),
            "sample: qubit 3 out of range [0, 3)");
  EXPECT_EQ(testing::invalid_argument_of([&] { (void)sample_counts(s, twice, 10, 1); }), "sample: qubit 1 used twice");
}

TEST(SamplingTest, ShotCountValidatedBeforeAnyAllocation) {
  const auto s = random_state(2, 7);
  EXPECT_EQ(testing::invalid_argument_of([&] { (void)sample_counts(s, (std::uint64_t{1} << 56) + 1, 1); }),
            "sample: number of shots 72057594037927937 out of range [0, 72057594037927936]");
}

TEST(SamplingTest, ScratchIsCheckedAgainstTheLimitBeforeSampling) {
  const auto s = random_state(10, 8);
  const std::vector<Qubit> q = {2, 9};
  const std::uint64_t need = sample_scratch_bytes(10, 500);
  // 500 uniforms, one chunk's prefix sums and list, and at most 500 distinct outcomes.
  EXPECT_EQ(need, 500 * 8 + 2 * 32 + 500 * 160U);
  for (const MemoryLimit& short_by_one : {MemoryLimit{need - 1}, MemoryLimit{need + 100}.remaining_after(101)}) {
    try {
      (void)sample_counts(s, 500, 3, short_by_one);
      FAIL() << "expected ResourceError";
    } catch (const ResourceError& e) {
      EXPECT_THAT(e.what(), HasSubstr("500 shots need "));
    }
    EXPECT_THROW((void)sample_counts(s, q, 500, 3, short_by_one), ResourceError);
  }
  // Enough: the same draws as without a limit.
  EXPECT_EQ(sample_counts(s, 500, 3, MemoryLimit{need}), sample_counts(s, 500, 3));
  EXPECT_EQ(sample_counts(s, q, 500, 3, MemoryLimit{need}), sample_counts(s, q, 500, 3));
}

TEST(SamplingTest, ScratchOfAForwardRunIsSmallBesideTheState) {
  // 1000 shots from 30 qubits: the uniforms plus 1/2048 of the state, far below 5% of it.
  const std::uint64_t state = state_bytes(30, sizeof(double));
  const std::uint64_t scratch = sample_scratch_bytes(30, 1000);
  EXPECT_EQ(scratch, 1000 * 8 + ((Index{1} << 18) + 1) * 32 + 1000 * 160U);
  EXPECT_LT(scratch, state / 1000);
  // The count of distinct outcomes is bounded by the basis, not only by the shots.
  EXPECT_EQ(sample_scratch_bytes(3, 1000), 1000 * 8 + 2 * 32 + 8 * 160U);
}

}  // namespace
}  // namespace qmlsim

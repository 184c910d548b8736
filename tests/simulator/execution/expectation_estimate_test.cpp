#include "simulator/execution/expectation_estimate.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "simulator/core/bits.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/rng.hpp"
#include "simulator/execution/simulator.hpp"
#include "tests/support/random_state.hpp"

namespace qmlsim {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A random Pauli sum on n qubits: `terms` strings with random factors and coefficients in [-1, 1),
// plus a constant.
PauliSum random_observable(int n, int terms, Rng& rng) {
  std::vector<PauliString> strings{PauliString(0.25, 0, 0)};
  for (int t = 0; t < terms; ++t) {
    Index x = 0, z = 0;
    for (int q = 0; q < n; ++q) {
      switch (rng.below(4)) {
        case 1: x |= bit(q); break;              // X
        case 2: x |= bit(q), z |= bit(q); break;  // Y
        case 3: z |= bit(q); break;              // Z
        default: break;                          // I
      }
    }
    strings.emplace_back(2 * rng.uniform() - 1, x, z);
  }
  return PauliSum(strings);
}

// Qubit-wise commutation, written per qubit with Pauli letters (independent of the mask trick).
bool qubitwise_commute(const PauliString& a, const PauliString& b) {
  for (int q = 0; q < kMaxPauliQubits; ++q) {
    const Pauli pa = a.pauli(q), pb = b.pauli(q);
    if (pa != Pauli::I && pb != Pauli::I && pa != pb) return false;
  }
  return true;
}

TEST(ExpectationEstimateTest, GroupsGreedilyInTermOrder) {
  const PauliSum h = PauliSum::parse("Z0 Z1 + Z0 + X0 X1 + X1 + Y2 + Z2 + 3");
  const auto groups = group_qubitwise_commuting(h);
  ASSERT_EQ(groups.size(), 2U);
  EXPECT_THAT(groups[0].terms, ElementsAre(0U, 1U, 4U));  // Z0 Z1, Z0, Y2
  EXPECT_THAT(groups[1].terms, ElementsAre(2U, 3U, 5U));  // X0 X1, X1, Z2 (Y2 blocks group 0)
  EXPECT_EQ(groups[0].x_mask, 0b100U);  // Y on qubit 2
  EXPECT_EQ(groups[0].z_mask, 0b111U);  // Z on 0, 1 and Y on 2
  EXPECT_EQ(groups[1].x_mask, 0b011U);
  EXPECT_EQ(groups[1].z_mask, 0b100U);
  EXPECT_TRUE(group_qubitwise_commuting(PauliSum::parse("2.5")).empty());
  EXPECT_TRUE(group_qubitwise_commuting(PauliSum()).empty());
}

TEST(ExpectationEstimateTest, GroupsPartitionTheTermsIntoCommutingSets) {
  Rng rng(5);
  for (int trial = 0; trial < 20; ++trial) {
    const PauliSum h = random_observable(5, 12, rng);
    const auto groups = group_qubitwise_commuting(h);
    std::multiset<std::size_t> seen;
    for (const auto& g : groups) {
      for (std::size_t a : g.terms) {
        seen.insert(a);
        const PauliString& pa = h.terms()[a];
        // The group's basis agrees with the term on the term's qubits.
        for (int q = 0; q < 5; ++q)
          if (pa.pauli(q) != Pauli::I) {
            const bool gx = (g.x_mask >> q) & 1U, gz = (g.z_mask >> q) & 1U;
            const Pauli basis = gx && gz ? Pauli::Y : (gx ? Pauli::X : Pauli::Z);
            EXPECT_EQ(basis, pa.pauli(q)) << "trial " << trial << " qubit " << q;
          }
        for (std::size_t b : g.terms) EXPECT_TRUE(qubitwise_commute(pa, h.terms()[b]));
      }
    }
    for (std::size_t t = 0; t < h.size(); ++t)
      EXPECT_EQ(seen.count(t), h.terms()[t].is_identity() ? 0U : 1U) << "term " << t;
  }
}

TEST(ExpectationEstimateTest, EigenstatesGiveExactValuesWithZeroError) {
  // |+> on qubit 0, |+i> = S H|0> on qubit 1, |1> on qubit 2: every term below is +-1 with
  // certainty, so each shot gives the exact value, in every basis (this checks the rotations).
  const auto state = Simulator().run(Circuit(3).h(0).h(1).s(1).x(2));
  const PauliSum h = PauliSum::parse("X0 + Y1 + Z2 + 2*X0 Y1 Z2 - 0.5*Y1 Z2 + 1.5");
  // 1 + 1 - 1 - 2 + 0.5 + 1.5
  for (std::uint64_t seed : {1U, 2U, 99U}) {
    const auto e = estimate_expectation(h, state, 50, seed);
    EXPECT_NEAR(e.estimate, 1.0, 1e-12);
    EXPECT_EQ(e.standard_error, 0.0);
    EXPECT_EQ(e.shots, 50U);
  }
  EXPECT_NEAR(expectation(h, state), 1.0, 1e-12);
  // |-i> = Sdg H|0>: <Y> = -1.
  EXPECT_NEAR(estimate_expectation(PauliSum::parse("Y0"), Simulator().run(Circuit(1).h(0).sdg(0)), 10, 3).estimate,
              -1.0, 1e-12);
}

TEST(ExpectationEstimateTest, EstimateIsWithinFourStandardErrorsOnRandomStates) {
  Rng rng(21);
  for (int trial = 0; trial < 12; ++trial) {
    const int n = 2 + trial % 4;
    const auto state = testing::make_state<double>(testing::random_state(n, rng), Parallelism::serial());
    const PauliSum h = random_observable(n, 6, rng);
    const double exact = expectation(h, state);
    const auto e = estimate_expectation(h, state, 4000, 1000 + static_cast<std::uint64_t>(trial));
    EXPECT_GT(e.standard_error, 0.0) << "trial " << trial;
    EXPECT_LT(std::abs(e.estimate - exact), 4 * e.standard_error)
        << "trial " << trial << ": estimate " << e.estimate << " exact " << exact << " se " << e.standard_error;
  }
}

TEST(ExpectationEstimateTest, StandardErrorMatchesTheBinomialFormulaForOneTerm) {
  // One term c P: each shot is +-c, variance c^2 (1 - <P>^2), so se = |c| sqrt((1 - <P>^2) / shots).
  Rng rng(8);
  const auto state = testing::make_state<double>(testing::random_state(3, rng), Parallelism::serial());
  for (const char* text : {"0.7*X0 Y2", "-1.3*Z1", "2*Y0 Y1 X2"}) {
    const PauliSum h = PauliSum::parse(text);
    const double c = h.terms()[0].coefficient(), mean = expectation(h, state) / c;
    const std::uint64_t shots = 20000;
    const double expected = std::abs(c) * std::sqrt((1 - mean * mean) / static_cast<double>(shots));
    EXPECT_NEAR(estimate_expectation(h, state, shots, 4).standard_error, expected, 0.03 * expected) << text;
  }
}

TEST(ExpectationEstimateTest, StandardErrorShrinksLikeOneOverSqrtShots) {
  Rng rng(13);
  const auto state = testing::make_state<double>(testing::random_state(4, rng), Parallelism::serial());
  const PauliSum h = random_observable(4, 8, rng);
  const double se1 = estimate_expectation(h, state, 2000, 7).standard_error;
  const double se4 = estimate_expectation(h, state, 8000, 7).standard_error;
  const double se16 = estimate_expectation(h, state, 32000, 7).standard_error;
  EXPECT_NEAR(se4 / se1, 0.5, 0.05);
  EXPECT_NEAR(se16 / se4, 0.5, 0.05);
}

TEST(ExpectationEstimateTest, SeedDecidesTheDraws) {
  Rng rng(2);
  const auto state = testing::make_state<double>(testing::random_state(3, rng), Parallelism::serial());
  const PauliSum h = PauliSum::parse("X0 X1 + Z2 + 0.5*Y0 Z1");
  const auto a = estimate_expectation(h, state, 1000, 11), b = estimate_expectation(h, state, 1000, 11);
  const auto c = estimate_expectation(h, state, 1000, 12);
  EXPECT_EQ(a.estimate, b.estimate);
  EXPECT_EQ(a.standard_error, b.standard_error);
  EXPECT_NE(a.estimate, c.estimate);
  EXPECT_EQ(a.groups, 2U);
  // Groups draw from distinct streams.
  EXPECT_NE(group_seed(11, 0), group_seed(11, 1));
  EXPECT_NE(group_seed(11, 0), 11U);
}

TEST(ExpectationEstimateTest, ThreadCountDoesNotChangeTheEstimate) {
  Rng rng(4);
  const auto amps = testing::random_state(15, rng);
  const PauliSum h = PauliSum::parse("X0 X14 + Y3 Z7 + Z1");
  const auto serial = testing::make_state<double>(amps, Parallelism::serial());
  const auto parallel = testing::make_state<double>(amps, Parallelism{2, 0});
  const auto a = estimate_expectation(h, serial, 500, 5, {}, Parallelism::serial());
  const auto b = estimate_expectation(h, parallel, 500, 5, {}, Parallelism{2, 0});
  EXPECT_EQ(a.estimate, b.estimate);
  EXPECT_EQ(a.standard_error, b.standard_error);
}

TEST(ExpectationEstimateTest, SinglePrecisionStatesWork) {
  Rng rng(6);
  const auto amps = testing::random_state(3, rng);
  const PauliSum h = PauliSum::parse("X0 Y1 + Z2");
  const auto single = testing::make_state<float>(amps, Parallelism::serial());
  const auto e = estimate_expectation(h, single, 4000, 9);
  EXPECT_LT(std::abs(e.estimate - expectation(h, single)), 4 * e.standard_error);
}

TEST(ExpectationEstimateTest, RejectsTooFewShotsAndForeignQubits) {
  const auto state = Simulator().run(Circuit(2).h(0));
  try {
    (void)estimate_expectation(PauliSum::parse("Z0"), state, 1, 1);
    FAIL() << "no exception";
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), HasSubstr("at least 2"));
  }
  try {
    (void)estimate_expectation(PauliSum::parse("Z0 X2"), state, 10, 1);
    FAIL() << "no exception";
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), HasSubstr("qubit 2"));
  }
  const auto constant = estimate_expectation(PauliSum::parse("2.5"), state, 10, 1);
  EXPECT_EQ(constant.estimate, 2.5);
  EXPECT_EQ(constant.standard_error, 0.0);
  EXPECT_EQ(constant.groups, 0U);
}

}  // namespace
}  // namespace qmlsim

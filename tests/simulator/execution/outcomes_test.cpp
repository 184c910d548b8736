#include "simulator/execution/outcomes.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <complex>
#include <map>
#include <numeric>
#include <type_traits>

#include "simulator/circuit/library.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/rng.hpp"
#include "simulator/execution/simulator.hpp"
#include "tests/support/random_state.hpp"

namespace qmlsim {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

// Reference: all basis states sorted by probability (descending), ties by index (ascending).
std::vector<Index> sorted_indices(const std::vector<double>& p) {
  std::vector<Index> idx(p.size());
  std::iota(idx.begin(), idx.end(), Index{0});
  std::stable_sort(idx.begin(), idx.end(), [&](Index a, Index b) { return p[a] > p[b]; });
  return idx;
}

// |a_i|^2 in double precision (StateVector<float>::probabilities() rounds to float).
template <class R>
std::vector<double> probabilities_in_double(const StateVector<R>& state) {
  std::vector<double> p;
  for (const auto& a : state.amplitudes()) p.push_back(std::norm(std::complex<double>(a.real(), a.imag())));
  return p;
}

template <class R>
void expect_top_matches_sort(const StateVector<R>& state, std::size_t k) {
  const std::vector<double> p = probabilities_in_double(state);
  const std::vector<Index> order = sorted_indices(p);
  const auto top = top_outcomes(state, k);
  ASSERT_EQ(top.size(), std::min<std::size_t>(k, p.size()));
  for (std::size_t i = 0; i < top.size(); ++i) {
    EXPECT_EQ(top[i].index, order[i]) << "rank " << i;
    EXPECT_NEAR(top[i].probability, p[order[i]], 1e-15);
    if constexpr (std::is_same_v<R, float>) {  // and within float rounding of the state's own
      EXPECT_NEAR(top[i].probability, state.probability(order[i]), 1e-6);
    }
  }
}

TEST(OutcomesTest, TopOutcomesMatchFullSortOnRandomStates) {
  Rng rng(11);
  for (int n : {1, 3, 6}) {
    const auto amps = testing::random_state(n, rng);
    const auto state = testing::make_state<double>(amps, Parallelism::serial());
    for (std::size_t k : {std::size_t{1}, std::size_t{3}, std::size_t{8}, std::size_t{1000}})
      expect_top_matches_sort(state, k);
    expect_top_matches_sort(testing::make_state<float>(amps, Parallelism::serial()), 5);
  }
}

TEST(OutcomesTest, TopOutcomesBreakTiesByIndex) {
  // Uniform superposition: every probability equal, so the order is by index.
  const auto state = Simulator().run(Circuit(4).h(0).h(1).h(2).h(3));
  const auto top = top_outcomes(state, 5);
  ASSERT_EQ(top.size(), 5U);
  for (std::size_t i = 0; i < top.size(); ++i) EXPECT_EQ(top[i].index, i);
  expect_top_matches_sort(Simulator().run(library::ghz(5)), 32);  // two at 0.5, then zeros by index
  EXPECT_TRUE(top_outcomes(state, 0).empty());
}

TEST(OutcomesTest, TopOutcomesAskTheGuardForTheRankingAndTheResult) {
  const auto state = Simulator().run(Circuit(4).h(0).ry(0.3, 2));
  // 5 outcomes kept: 16 bytes of ranking pair and 16 of Outcome each.
  const std::uint64_t need = 5 * (sizeof(std::pair<Index, double>) + sizeof(Outcome));
  ASSERT_EQ(need, 160U);
  const auto top = top_outcomes(state, 5, MemoryLimit{need});
  ASSERT_EQ(top.size(), 5U);
  try {
    (void)top_outcomes(state, 5, MemoryLimit{need - 1});
    FAIL() << "expected ResourceError";
  } catch (const ResourceError& e) {
    EXPECT_THAT(e.what(), HasSubstr("the 5 most likely outcomes need 160 B; 159 B allowed"));
  }
  // k beyond 2^n keeps (and asks for) only 2^n outcomes.
  EXPECT_EQ(top_outcomes(state, 1000, MemoryLimit{16 * 32}).size(), 16U);
}

TEST(OutcomesTest, HasMeasurementLooksForMeasureOperations) {
  EXPECT_FALSE(has_measurement(Circuit(2).h(0).cx(0, 1)));
  EXPECT_FALSE(has_measurement(Circuit(2, 2)));
  EXPECT_TRUE(has_measurement(Circuit(2, 2).h(0).measure(1, 0)));
}

TEST(OutcomesTest, TerminalMeasurementsMapQubitsToBits) {
  Circuit c(3, 3);
  c.h(0).measure(1, 0).measure(0, 1).measure(1, 2);
  const TerminalMeasurements m = terminal_measurements(c);
  EXPECT_THAT(m.distinct, ElementsAre(1, 0));
  // distinct outcome bit 0 = qubit 1, bit 1 = qubit 0. Qubit 1 = 1, qubit 0 = 0 -> c0 = c2 = 1.
  EXPECT_EQ(m.clbit_key(0b01), 0b101U);
  EXPECT_EQ(m.clbit_key(0b10), 0b010U);
  // A later measurement into the same bit wins.
  Circuit again(2, 1);
  again.measure(0, 0).measure(1, 0);
  const TerminalMeasurements w = terminal_measurements(again);
  EXPECT_THAT(w.qubits, ElementsAre(1));
  EXPECT_THAT(w.clbits, ElementsAre(0));
}

TEST(OutcomesTest, MeasuredDistributionIsTheMarginalOfTheState) {
  Rng rng(3);
  const auto amps = testing::random_state(4, rng);
  const auto state = testing::make_state<double>(amps, Parallelism::serial());
  Circuit c(4, 3);
  c.measure(3, 0).measure(1, 2);  // clbit 1 is never written
  const TerminalMeasurements m = terminal_measurements(c);
  // Reference: sum |a_i|^2 into key = q3 + 4 q1.
  std::map<Index, double> expected;
  for (Index i = 0; i < 16; ++i) expected[((i >> 3) & 1U) | (((i >> 1) & 1U) << 2)] += std::norm(amps[i]);
  const auto top = top_measured_outcomes(state, m, 10, {});
  ASSERT_EQ(top.size(), 4U);
  for (std::size_t k = 0; k < top.size(); ++k) {
    EXPECT_NEAR(top[k].second, expected.at(top[k].first), 1e-14);
    if (k > 0) {
      EXPECT_GE(top[k - 1].second, top[k].second);
    }
  }
  EXPECT_EQ(top_measured_outcomes(state, m, 1, {}).size(), 1U);
  EXPECT_EQ(top_measured_outcomes(state, m, 1, {})[0], top[0]);
}

TEST(OutcomesTest, EqualProbabilitiesAreOrderedByKey) {
  // Uniform over 2 qubits, read out reversed: the marginal order differs from the key order.
  Circuit c(2, 2);
  c.h(0).h(1).measure(1, 0).measure(0, 1);
  const auto state = Simulator().run(c);
  const auto top = top_measured_outcomes(state, terminal_measurements(c), 4, {});
  ASSERT_EQ(top.size(), 4U);
  for (Index k = 0; k < 4; ++k) EXPECT_EQ(top[k].first, k);
}

TEST(OutcomesTest, WithoutMeasurementTheDistributionIsOverAllQubits) {
  // As sample_measured: no measurement means the outcomes of all qubits, ranked like top_outcomes.
  Rng rng(8);
  const auto state = testing::make_state<double>(testing::random_state(4, rng), Parallelism::serial());
  const Circuit unmeasured = Circuit(4).h(0);
  const TerminalMeasurements none = terminal_measurements(unmeasured);
  ASSERT_TRUE(none.distinct.empty());
  const auto top = top_measured_outcomes(state, none, 6, {});
  const auto reference = top_outcomes(state, 6);
  ASSERT_EQ(top.size(), reference.size());
  for (std::size_t k = 0; k < top.size(); ++k) {
    EXPECT_EQ(top[k].first, reference[k].index);
    EXPECT_EQ(top[k].second, reference[k].probability);
  }
  EXPECT_EQ(top_measured_outcomes(state, none, 100, {}).size(), 16U);
  // Only the ranking is allocated (no 2^n marginal): 6 pairs.
  const std::uint64_t six = 6 * sizeof(std::pair<Index, double>);
  EXPECT_EQ(top_measured_outcomes(state, none, 6, MemoryLimit{six}), top);
  EXPECT_THROW((void)top_measured_outcomes(state, none, 6, MemoryLimit{six - 1}), ResourceError);
}

TEST(OutcomesTest, SamplingMeasuredBitsMatchesSimulatorSample) {
  Circuit c(4, 3);
  c.h(0).ry(0.7, 1).cx(0, 2).rx(1.9, 3).measure(2, 0).measure(0, 2).measure(3, 1);
  const auto state = Simulator().run(c);
  for (std::uint64_t seed : {1U, 17U}) {
    EXPECT_EQ(sample_measured(state, terminal_measurements(c), 3000, seed), Simulator().sample(c, {}, 3000, seed));
  }
  const Circuit unmeasured = Circuit(3).h(0).cx(0, 1).ry(0.3, 2);
  EXPECT_EQ(sample_measured(Simulator().run(unmeasured), terminal_measurements(unmeasured), 500, 2),
            Simulator().sample(unmeasured, {}, 500, 2));
}

TEST(OutcomesTest, ThreadPolicyDoesNotChangeTheReadout) {
  // 12 qubits, threshold 0: the marginal and the sampling pass split across two threads.
  Circuit c(12, 3);
  for (Qubit q = 0; q < 12; ++q) c.ry(0.1 + 0.2 * q, q);
  c.cx(0, 11).measure(11, 0).measure(3, 1).measure(7, 2);
  const auto state = Simulator().run(c);
  const TerminalMeasurements m = terminal_measurements(c);
  const Parallelism two{2, 0};
  EXPECT_EQ(top_measured_outcomes(state, m, 8, {}, two), top_measured_outcomes(state, m, 8, {}, Parallelism::serial()));
  EXPECT_EQ(sample_measured(state, m, 2000, 5, {}, two), sample_measured(state, m, 2000, 5, {}, Parallelism::serial()));
}

TEST(OutcomesTest, TopCountsByCountThenKey) {
  const Counts counts{{0, 5}, {3, 9}, {1, 5}, {7, 1}};
  EXPECT_THAT(top_counts(counts, 10), ElementsAre(Pair(3U, 9U), Pair(0U, 5U), Pair(1U, 5U), Pair(7U, 1U)));
  EXPECT_THAT(top_counts(counts, 2), ElementsAre(Pair(3U, 9U), Pair(0U, 5U)));
  EXPECT_TRUE(top_counts(counts, 0).empty());
}

TEST(OutcomesTest, TopKKeepsKPairsAndAsksTheGuardFirst) {
  // Values with ties, ranked against a full sort.
  const std::vector<double> v = {0.1, 0.4, 0.1, 0.3, 0.0, 0.4, 0.05, 0.3};
  const auto item = [&](Index i) { return std::pair{i, v[i]}; };
  EXPECT_THAT(top_k<double>(8, 5, item), ElementsAre(Pair(1U, 0.4), Pair(5U, 0.4), Pair(3U, 0.3), Pair(7U, 0.3),
                                                      Pair(0U, 0.1)));
  EXPECT_EQ(top_k<double>(8, 100, item).size(), 8U);  // k clamped to the count
  const std::uint64_t five = 5 * sizeof(std::pair<Index, double>);
  try {
    (void)top_k<double>(8, 5, item, MemoryLimit{five - 1});
    FAIL() << "expected ResourceError";
  } catch (const ResourceError& e) {
    EXPECT_THAT(e.what(), HasSubstr("the 5 most likely outcomes need 80 B; 79 B allowed"));
  }
  EXPECT_EQ(top_k<double>(8, 5, item, MemoryLimit{five}), top_k<double>(8, 5, item));
  // k = 100 keeps only 8 pairs: that is what is checked.
  EXPECT_NO_THROW((void)top_k<double>(8, 100, item, MemoryLimit{8 * sizeof(std::pair<Index, double>)}));
}

TEST(OutcomesTest, MeasuredDistributionAsksTheGuardForTheMarginalAndTheRanking) {
  Circuit c(6, 3);
  c.h(0).cx(0, 1).ry(0.8, 4).measure(0, 0).measure(4, 1).measure(5, 2);
  const auto state = Simulator().run(c);
  const TerminalMeasurements m = terminal_measurements(c);
  // 3 measured qubits: 8 doubles of marginal, then 2 pairs of ranking.
  const std::uint64_t need = 8 * sizeof(double) + 2 * sizeof(std::pair<Index, double>);
  EXPECT_EQ(top_measured_outcomes(state, m, 2, MemoryLimit{need}), top_measured_outcomes(state, m, 2, {}));
  try {
    (void)top_measured_outcomes(state, m, 2, MemoryLimit{need - 1});
    FAIL() << "expected ResourceError";
  } catch (const ResourceError& e) {
    EXPECT_THAT(e.what(), HasSubstr("the 2 most likely outcomes need 32 B; 31 B left of the 95 B memory limit"));
  }
  try {
    (void)top_measured_outcomes(state, m, 2, MemoryLimit{63});
    FAIL() << "expected ResourceError";
  } catch (const ResourceError& e) {
    EXPECT_THAT(e.what(), HasSubstr("the marginal probabilities of 3 qubits need 64 B; 63 B allowed"));
  }
  const std::uint64_t scratch = sample_scratch_bytes(6, 100);
  EXPECT_EQ(sample_measured(state, m, 100, 4, MemoryLimit{scratch}), sample_measured(state, m, 100, 4));
  EXPECT_THROW((void)sample_measured(state, m, 100, 4, MemoryLimit{scratch - 1}), ResourceError);
}

}  // namespace
}  // namespace qmlsim

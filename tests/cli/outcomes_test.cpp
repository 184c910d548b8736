#include "cli/outcomes.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "simulator/core/errors.hpp"
#include "simulator/core/rng.hpp"
#include "simulator/execution/simulator.hpp"
#include "tests/support/random_state.hpp"

namespace qmlsim::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

TEST(OutcomesTest, KeysFollowQiskitRegisterOrder) {
  // cregs c[2], d[1]: clbits c[0] = 0, c[1] = 1, d[0] = 2.
  Circuit circuit(3, 3);
  circuit.measure(0, 0);
  const OutcomeLayout layout = outcome_layout(circuit, {{"c", 0, 2}, {"d", 2, 1}});
  EXPECT_EQ(layout.width, 3);
  EXPECT_EQ(format_outcome(0b101, layout), "1 01");  // c[0] = 1, c[1] = 0, d[0] = 1
  EXPECT_EQ(format_outcome(0b010, layout), "0 10");
  EXPECT_EQ(format_outcome(0b000, layout), "0 00");
  const OutcomeLayout three = outcome_layout(Circuit(4, 4).measure(0, 0), {{"a", 0, 1}, {"b", 1, 2}, {"c", 3, 1}});
  EXPECT_EQ(format_outcome(0b1011, three), "1 01 1");  // c b a
}

TEST(OutcomesTest, UnmeasuredCircuitsReadAllQubits) {
  const OutcomeLayout layout = outcome_layout(Circuit(4, 2).h(0), {{"c", 0, 2}});
  EXPECT_EQ(layout.width, 4);
  EXPECT_EQ(format_outcome(6, layout), "0110");
  // A measuring circuit without register information reads all clbits as one register.
  const OutcomeLayout plain = outcome_layout(Circuit(2, 3).measure(1, 2), {});
  EXPECT_EQ(format_outcome(0b100, plain), "100");
  try {
    (void)outcome_layout(Circuit(2, 65).measure(0, 64), {});
    ADD_FAILURE() << "no exception";
  } catch (const InvalidArgument& e) {
    EXPECT_STREQ(e.what(), "outcomes: number of classical bits 65 out of range [0, 64]");
  }
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
}  // namespace qmlsim::cli

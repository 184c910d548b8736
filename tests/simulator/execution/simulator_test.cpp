#include "simulator/execution/simulator.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "simulator/circuit/library.hpp"
#include "simulator/core/errors.hpp"

namespace qmlsim {
namespace {

using ::testing::HasSubstr;

TEST(SimulatorTest, RunIgnoresTerminalMeasurements) {
  Circuit c(2, 2);
  c.h(0).cx(0, 1).measure(0, 0).measure(1, 1);
  const auto s = Simulator().run(c);
  EXPECT_NEAR(s.probability(0), 0.5, 1e-15);
  EXPECT_NEAR(s.probability(3), 0.5, 1e-15);
}

TEST(SimulatorTest, RunRefusesMidCircuitMeasurement) {
  Circuit c(2, 1);
  c.h(0).measure(0, 0).cx(0, 1);
  try {
    (void)Simulator().run(c);
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_STREQ(e.what(),
                 "run: the circuit has a mid-circuit measurement, reset or classical condition (qubit 0 is measured "
                 "and then used by cx), so it has no single final state; sample it shot by shot instead");
  }
}

TEST(SimulatorTest, UnboundParametersReported) {
  const Circuit c = library::layered(2, 1);
  try {
    (void)Simulator().run(c, std::vector<double>{0.1});
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_STREQ(e.what(), "circuit: expects 4 parameter values, got 1");
  }
  EXPECT_THROW((void)Simulator().run(c), InvalidArgument);
  const std::vector<double> nan_theta = {0, std::nan(""), 0, 0};
  EXPECT_THROW((void)Simulator().run(c, nan_theta), InvalidArgument);
}

TEST(SimulatorTest, SinglePrecisionAgreesWithDouble) {
  const Circuit c = library::random(7, 12, 5);
  const auto d = Simulator().run<double>(c);
  const auto f = Simulator().run<float>(c);
  for (Index i = 0; i < d.size(); ++i) EXPECT_NEAR(std::abs(cdouble(d[i]) - cdouble(f[i])), 0.0, 1e-5);
}

TEST(SimulatorTest, ShotCollapsesBellPair) {
  Circuit c(2, 2);
  c.h(0).cx(0, 1).measure(0, 0).measure(1, 1);
  int ones = 0;
  for (std::uint64_t shot = 0; shot < 200; ++shot) {
    const auto r = Simulator().run_shot(c, {}, 99, shot);
    ASSERT_EQ(r.clbits[0], r.clbits[1]);
    const Index idx = r.clbits[0] ? 3 : 0;
    EXPECT_NEAR(r.state.probability(idx), 1.0, 1e-14);  // collapsed and renormalised
    ones += r.clbits[0];
  }
  EXPECT_GT(ones, 60);
  EXPECT_LT(ones, 140);
  // Same (seed, shot) -> same outcome.
  EXPECT_EQ(Simulator().run_shot(c, {}, 5, 17).clbits, Simulator().run_shot(c, {}, 5, 17).clbits);
}

TEST(SimulatorTest, ResetBringsQubitToZero) {
  Circuit c(2);
  c.h(0).cx(0, 1).reset(0);
  for (std::uint64_t shot = 0; shot < 20; ++shot) {
    const auto r = Simulator().run_shot(c, {}, 3, shot);
    // q0 is |0>; q1 keeps the measured value of the pair: |00> or |10> (index 0 or 2).
    EXPECT_NEAR(r.state.probability(0) + r.state.probability(2), 1.0, 1e-14);
    EXPECT_TRUE(std::abs(r.state.probability(0) - 1) < 1e-14 || std::abs(r.state.probability(2) - 1) < 1e-14);
  }
}

TEST(SimulatorTest, ClassicalConditionFollowsMeasuredBit) {
  Circuit c(2, 2);
  c.h(0).measure(0, 0).x(1).c_if(0, 1, 1).measure(1, 1);
  const Counts counts = Simulator().sample(c, {}, 2000, 8);
  // q1 copies q0 through the condition: only 00 and 11.
  EXPECT_EQ(counts.size(), 2U);
  EXPECT_EQ(counts.count(0) + counts.count(3), 2U);
  EXPECT_EQ(counts.at(0) + counts.at(3), 2000U);
}

TEST(SimulatorTest, TeleportationReproducesRyStatistics) {
  // Teleport ry(theta)|0> from q0 to q2 with mid-circuit measurement and corrections.
  const double theta = 1.1;
  Circuit c(3, 3);
  c.ry(theta, 0);
  c.h(1).cx(1, 2);
  c.cx(0, 1).h(0);
  c.measure(0, 0).measure(1, 1);
  c.x(2).c_if(1, 1, 1);
  c.z(2).c_if(0, 1, 1);
  c.measure(2, 2);
  ASSERT_TRUE(c.needs_trajectories());
  const std::uint64_t shots = 20000;
  const Counts counts = Simulator().sample(c, {}, shots, 2024);
  std::uint64_t ones = 0, total = 0;
  for (const auto& [key, k] : counts) {
    total += k;
    if (key & 4U) ones += k;
  }
  EXPECT_EQ(total, shots);
  const double p = std::pow(std::sin(theta / 2), 2);
  EXPECT_NEAR(static_cast<double>(ones) / shots, p, 4 * std::sqrt(p * (1 - p) / shots));
}

TEST(SimulatorTest, SampleRefusesClassicalBitsBeyond63) {
  Circuit c(1, 100);
  c.h(0).measure(0, 70);
  try {
    (void)Simulator().sample(c, {}, 10, 1);
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_STREQ(e.what(), "sample: measured classical bit 70 out of range [0, 64)");
  }
  // Shot by shot (a reset), every classical bit is kept per shot: at most 64 of them.
  Circuit wide(1, 100);
  wide.h(0).reset(0).h(0).measure(0, 3);
  try {
    (void)Simulator().sample(wide, {}, 10, 1);
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_STREQ(e.what(), "sample: number of classical bits 100 out of range [0, 64]");
  }
}

TEST(SimulatorTest, FailedBindLeavesCircuitUnbound) {
  Circuit c(1);
  c.rx(Param::parameter(0), 0).rz(Expr::parameter(0) * 1e308, 0);
  CompiledCircuit compiled(c);
  compiled.bind(std::vector<double>{1.0});
  EXPECT_TRUE(compiled.is_bound());
  EXPECT_THROW(compiled.bind(std::vector<double>{10.0}), InvalidArgument);  // rz angle overflows
  EXPECT_FALSE(compiled.is_bound());
  StateVector<double> s(1);
  EXPECT_THROW(compiled.apply(s), InvalidArgument);
}

TEST(SimulatorTest, SampleMapsQubitsToClassicalBits) {
  Circuit c(3, 2);
  c.x(2).measure(2, 0).measure(0, 1);  // clbit 0 <- qubit 2 (=1), clbit 1 <- qubit 0 (=0)
  const Counts counts = Simulator().sample(c, {}, 100, 1);
  ASSERT_EQ(counts.size(), 1U);
  EXPECT_EQ(counts.begin()->first, 1U);
  EXPECT_EQ(counts.begin()->second, 100U);
}

TEST(SimulatorTest, SampleWithoutMeasurementsCoversAllQubits) {
  const Counts counts = Simulator().sample(library::ghz(4), {}, 1000, 3);
  ASSERT_EQ(counts.size(), 2U);
  EXPECT_EQ(counts.at(0) + counts.at(15), 1000U);
}

TEST(SimulatorTest, ShotByShotWithoutMeasurementReadsAllQubits) {
  // Reset forces trajectories; with no measure, outcomes are over all qubits at the end.
  Circuit c(2);
  c.x(1).h(0).reset(0);
  const Counts counts = Simulator().sample(c, {}, 200, 4);
  ASSERT_EQ(counts.size(), 1U);
  EXPECT_EQ(counts.at(0b10), 200U);
  Circuit d(1);
  d.h(0).reset(0).h(0);  // after the reset, |+>: both outcomes
  const Counts plus = Simulator().sample(d, {}, 4000, 5);
  ASSERT_EQ(plus.size(), 2U);
  EXPECT_NEAR(static_cast<double>(plus.at(1)) / 4000, 0.5, 4 * 0.5 / std::sqrt(4000.0));
  Circuit p(2);  // with a parameter: ry(pi) after the reset always gives 11
  p.x(1).reset(0).ry(Param::parameter(0), 0);
  EXPECT_EQ(Simulator().sample(p, std::vector<double>{kPi}, 50, 1), (Counts{{0b11, 50}}));
}

TEST(SimulatorTest, ShotByShotCountsIdenticalOnOneAndTwoThreads) {
  Circuit c(12, 2);
  for (int q = 0; q < 12; ++q) c.ry(0.3 + 0.1 * q, q);
  for (int q = 0; q + 1 < 12; ++q) c.cx(q, q + 1);
  c.measure(3, 0).h(3).measure(3, 1);
  const Simulator serial(SimulatorOptions{Parallelism::serial(), {}});
  const Simulator threaded(SimulatorOptions{Parallelism{2, 0}, {}});
  EXPECT_EQ(serial.sample(c, {}, 300, 77), threaded.sample(c, {}, 300, 77));
}

TEST(SimulatorTest, MemoryGuardAppliesToSimulatorRuns) {
  const Simulator small(SimulatorOptions{{}, MemoryLimit{std::uint64_t{1} << 20}});
  try {
    (void)small.run(library::ghz(20));
    FAIL();
  } catch (const ResourceError& e) {
    EXPECT_THAT(e.what(), HasSubstr("20 qubits need 16.0 MiB; 1.0 MiB allowed"));
  }
  Circuit mid(17, 1);
  mid.h(0).measure(0, 0).h(0);
  const Simulator three_mib(SimulatorOptions{{}, MemoryLimit{std::uint64_t{3} << 20}});
  // Shot-by-shot sampling keeps two 2 MiB states: refused up front.
  EXPECT_THROW((void)three_mib.sample(mid, {}, 10, 1), ResourceError);
}

TEST(SimulatorTest, SamplingScratchCountsAgainstWhatTheStateLeftOfTheCap) {
  Circuit c(10, 2);
  c.h(0).cx(0, 1).ry(0.4, 5).measure(5, 0).measure(1, 1);
  const std::uint64_t state = state_bytes(10, sizeof(double));
  const std::uint64_t scratch = sample_scratch_bytes(10, 200);
  const Simulator exact(SimulatorOptions{{}, MemoryLimit{state + scratch}});
  EXPECT_EQ(exact.sample(c, {}, 200, 5), Simulator().sample(c, {}, 200, 5));
  const Simulator short_by_one(SimulatorOptions{{}, MemoryLimit{state + scratch - 1}});
  EXPECT_NO_THROW((void)short_by_one.run(c));  // the state alone fits
  try {
    (void)short_by_one.sample(c, {}, 200, 5);
    FAIL() << "expected ResourceError";
  } catch (const ResourceError& e) {
    EXPECT_THAT(e.what(), HasSubstr("200 shots need "));
    EXPECT_THAT(e.what(), HasSubstr(" left of the "));
  }
}

}  // namespace
}  // namespace qmlsim

namespace qmlsim {
namespace {

TEST(ConventionTest, TwoQubitMatrixIndexIsBitAPlusTwiceBitB) {
  // A permutation matrix mapping matrix index 1 (bit_a = 1, bit_b = 0) to index 2 (bit_a = 0,
  // bit_b = 1), as Qiskit's unitary(U, [a, b]). Applied to (a, b) = (2, 0) on |q2 q1 q0> = |100>,
  // it must give |001>.
  GateMatrix m{2, std::vector<cdouble>(16, 0.0)};
  m(0, 0) = m(2, 1) = m(1, 2) = m(3, 3) = 1.0;
  Circuit c(3);
  c.x(2).unitary(m, {2, 0});
  const auto s = Simulator().run(c);
  EXPECT_NEAR(s.probability(0b001), 1.0, 1e-15);
}

TEST(ConventionTest, ControlledGateQubitOrder) {
  // cx(control, target): control is the first qubit. |q1 q0> = |01> (q0 = 1) -> |11>.
  Circuit c(2);
  c.x(0).cx(0, 1);
  EXPECT_NEAR(Simulator().run(c).probability(0b11), 1.0, 1e-15);
  Circuit d(2);
  d.x(0).cx(1, 0);  // control q1 = 0: nothing happens
  EXPECT_NEAR(Simulator().run(d).probability(0b01), 1.0, 1e-15);
}

}  // namespace
}  // namespace qmlsim

#include "simulator/circuit/depth.hpp"

#include <gtest/gtest.h>

namespace qmlsim {
namespace {

// Expected values are Qiskit's QuantumCircuit.depth() of the same circuits, counted by hand from
// its definition (per-wire levels; barriers align without counting).

TEST(CircuitDepthTest, EmptyCircuitHasDepthZero) { EXPECT_EQ(circuit_depth(Circuit(3)), 0); }

TEST(CircuitDepthTest, ParallelGatesShareALevel) {
  Circuit c(3);
  c.h(0).h(1).h(2).rz(0.5, 1);
  EXPECT_EQ(circuit_depth(c), 2);
}

TEST(CircuitDepthTest, TwoQubitGatesChainTheirQubits) {
  Circuit c(3);
  c.h(0).cx(0, 1).h(1).x(2);  // h0 -> cx -> h1 is the longest chain
  EXPECT_EQ(circuit_depth(c), 3);
}

TEST(CircuitDepthTest, ZzFeatureMapBlockOnTwoQubits) {
  // Qiskit's ZZFeatureMap(2, reps=1) decomposed: H H P P CX P CX, depth 5.
  Circuit c(2, 0);
  c.h(0).h(1).p(0.1, 0).p(0.2, 1).cx(0, 1).p(0.3, 1).cx(0, 1);
  EXPECT_EQ(circuit_depth(c), 5);
}

TEST(CircuitDepthTest, BarrierAlignsWithoutCounting) {
  Circuit a(2);
  a.h(0).h(1);
  EXPECT_EQ(circuit_depth(a), 1);
  Circuit b(2);
  b.h(0).barrier().h(1);  // h(1) now starts after h(0)
  EXPECT_EQ(circuit_depth(b), 2);
  Circuit c(2);
  c.barrier().h(0).barrier();
  EXPECT_EQ(circuit_depth(c), 1);
}

TEST(CircuitDepthTest, ExtraControlsAreWires) {
  Circuit c(3);
  c.h(0).controlled(GateKind::X, {0}, {2});
  EXPECT_EQ(circuit_depth(c), 2);
}

TEST(CircuitDepthTest, MeasureAndConditionLinkThroughClassicalBits) {
  Circuit c(2, 1);
  c.h(0).measure(0, 0).x(1).c_if(0, 1, 1);  // x(1) waits for the measurement's clbit
  EXPECT_EQ(circuit_depth(c), 3);
}

TEST(CircuitDepthTest, GlobalPhaseIsSkipped) {
  Circuit c(1);
  c.gphase(0.3).h(0);
  EXPECT_EQ(circuit_depth(c), 1);
}

}  // namespace
}  // namespace qmlsim

#include "simulator/circuit/circuit.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "simulator/core/bits.hpp"
#include "simulator/core/errors.hpp"

namespace qmlsim {
namespace {

using ::testing::HasSubstr;

template <class F>
std::string invalid_argument_message(F&& f) {
  try {
    f();
  } catch (const InvalidArgument& e) {
    return e.what();
  } catch (...) {
    return "wrong exception type";
  }
  return "no exception";
}

TEST(CircuitTest, BuildersRecordOperations) {
  Circuit c(3, 1);
  c.h(0).cx(0, 1).rz(0.5, 2).measure(2, 0);
  ASSERT_EQ(c.size(), 4U);
  EXPECT_EQ(c.num_gates(), 3U);
  EXPECT_EQ(c.operations()[1].kind, GateKind::CX);
  EXPECT_EQ(c.operations()[1].qubits, (std::vector<Qubit>{0, 1}));
  EXPECT_EQ(c.operations()[2].params[0].offset(), 0.5);
  EXPECT_EQ(c.operations()[3].clbit, 0);
}

TEST(CircuitTest, ConstructorValidatesSizes) {
  EXPECT_THAT(invalid_argument_message([] { Circuit c(0); }), HasSubstr("number of qubits 0 out of range [1, 40]"));
  EXPECT_THAT(invalid_argument_message([] { Circuit c(41); }), HasSubstr("out of range"));
  EXPECT_THAT(invalid_argument_message([] { Circuit c(2, -1); }), HasSubstr("classical bits -1"));
  // The exact wording of validate.hpp's check_range.
  EXPECT_EQ(invalid_argument_message([] { Circuit c(41); }), "circuit: number of qubits 41 out of range [1, 40]");
  EXPECT_EQ(invalid_argument_message([] { Circuit c(2, -1); }),
            "circuit: number of classical bits -1 out of range [0, 1048576]");
  EXPECT_EQ(invalid_argument_message([] { Circuit c(2); c.declare_parameters(-2); }),
            "circuit: parameter count -2 must be >= 0");
}

TEST(CircuitTest, ControlQubitOutOfRangeNamesGateAndRange) {
  Circuit c(3);
  EXPECT_EQ(invalid_argument_message([&] { c.controlled(GateKind::X, {3}, {0}); }), "x: control qubit 3 out of range [0, 3)");
  EXPECT_EQ(invalid_argument_message([&] { c.controlled(GateKind::RY, {-1}, {0}, {0.5}); }),
            "ry: control qubit -1 out of range [0, 3)");
  Operation op;
  op.kind = GateKind::X;
  op.qubits = {0};
  op.control_mask = bit(5);
  op.control_values = bit(5);
  EXPECT_EQ(invalid_argument_message([&] { c.append(op); }), "x: control qubit 5 out of range [0, 3)");
}

TEST(CircuitTest, QubitOutOfRangeNamesGateAndRange) {
  Circuit c(4);
  EXPECT_EQ(invalid_argument_message([&] { c.cx(5, 0); }), "cx: qubit 5 out of range [0, 4)");
  EXPECT_EQ(invalid_argument_message([&] { c.h(-1); }), "h: qubit -1 out of range [0, 4)");
  EXPECT_EQ(c.size(), 0U);  // nothing appended on failure
}

TEST(CircuitTest, RepeatedQubitRefused) {
  Circuit c(3);
  EXPECT_EQ(invalid_argument_message([&] { c.ccx(1, 2, 1); }), "ccx: qubit 1 used twice");
  EXPECT_EQ(invalid_argument_message([&] { c.controlled(GateKind::X, {1}, {1}); }), "x: qubit 1 is both a control and a target");
  EXPECT_EQ(invalid_argument_message([&] { c.controlled(GateKind::X, {0, 0}, {1}); }), "x: qubit 0 used twice");
}

TEST(CircuitTest, ArityAndParameterCountChecked) {
  Circuit c(3);
  EXPECT_EQ(invalid_argument_message([&] { c.gate(GateKind::CX, {0}); }), "cx: expects 2 qubits, got 1");
  EXPECT_EQ(invalid_argument_message([&] { c.gate(GateKind::RX, {0}, {0.1, 0.2}); }), "rx: expects 1 parameter, got 2");
  EXPECT_EQ(invalid_argument_message([&] { c.gate(GateKind::H, {0}, {0.1}); }), "h: expects 0 parameters, got 1");
  EXPECT_THAT(invalid_argument_message([&] { c.rx(std::nan(""), 0); }), HasSubstr("rx: parameter 0 = nan is not finite"));
}

TEST(CircuitTest, MeasurementAndConditionValidated) {
  Circuit c(2, 2);
  EXPECT_EQ(invalid_argument_message([&] { c.measure(0, 2); }), "measure: classical bit 2 out of range [0, 2)");
  c.x(0);
  EXPECT_THAT(invalid_argument_message([&] { c.c_if(0, 3, 1); }), HasSubstr("condition on classical bits [0, 3) out of range [0, 2)"));
  EXPECT_THAT(invalid_argument_message([&] { c.c_if(0, 1, 2); }), HasSubstr("value 2 does not fit in 1 bit"));
  EXPECT_THAT(invalid_argument_message([&] { c.c_if(2147483647, 1, 1); }), HasSubstr("out of range"));
  c.c_if(0, 2, 3);
  EXPECT_EQ(c.operations().back().condition, (Condition{0, 2, 3}));
  EXPECT_THAT(invalid_argument_message([&] { Circuit e(1); e.c_if(0, 1, 0); }), HasSubstr("no operation"));
}

TEST(CircuitTest, UnitaryChecked) {
  Circuit c(2);
  GateMatrix not_unitary{1, {1.0, 1.0, 0.0, 1.0}};
  EXPECT_THAT(invalid_argument_message([&] { c.unitary(not_unitary, {0}); }), HasSubstr("not unitary"));
  GateMatrix h{1, {M_SQRT1_2, M_SQRT1_2, M_SQRT1_2, -M_SQRT1_2}};
  EXPECT_THAT(invalid_argument_message([&] { c.unitary(h, {0, 1}); }), HasSubstr("a 1 qubit matrix applied to 2 qubits"));
  GateMatrix wrong_size{1, {1.0, 0.0, 0.0}};
  EXPECT_THAT(invalid_argument_message([&] { c.unitary(wrong_size, {0}); }), HasSubstr("unitary: expects 4 matrix elements, got 3"));
  GateMatrix not_finite{1, {1.0, 0.0, 0.0, cdouble(1.0, std::nan(""))}};
  EXPECT_EQ(invalid_argument_message([&] { c.unitary(not_finite, {0}); }),
            "unitary: matrix entry 3 (imaginary part) = nan is not finite");
  Circuit wide(8);
  EXPECT_EQ(invalid_argument_message([&] { wide.unitary(GateMatrix::identity(7), {0, 1, 2, 3, 4, 5, 6}); }),
            "unitary: number of qubits 7 out of range [1, 6]");
  c.unitary(h, {1});
  EXPECT_EQ(c.operations().back().kind, GateKind::Unitary);
}

TEST(CircuitTest, ParameterCountGrowsWithUse) {
  Circuit c(2);
  EXPECT_EQ(c.num_parameters(), 0);
  c.rx(Param::parameter(3), 0);
  EXPECT_EQ(c.num_parameters(), 4);
  c.rz(Expr::parameter(0) * Expr::parameter(5), 1);
  EXPECT_EQ(c.num_parameters(), 6);
  c.declare_parameters(8);
  EXPECT_EQ(c.num_parameters(), 8);
  EXPECT_THROW(c.set_parameter_names({"a"}), InvalidArgument);
}

TEST(CircuitTest, AppendCircuit) {
  Circuit a(3), b(2);
  b.h(0).cx(0, 1).ry(Param::parameter(1), 1);
  a.append(b);
  EXPECT_EQ(a.size(), 3U);
  EXPECT_EQ(a.num_parameters(), 2);
  Circuit big(4);
  EXPECT_THAT(invalid_argument_message([&] { a.append(big); }), HasSubstr("cannot append a circuit on 4 qubits"));
}

TEST(CircuitTest, InverseReversesAndInverts) {
  Circuit c(3);
  c.s(0).t(1).sx(2).rx(Param::parameter(0, 2.0, 0.5), 0).u(0.1, 0.2, 0.3, 1).cx(0, 2);
  const Circuit inv = c.inverse();
  ASSERT_EQ(inv.size(), c.size());
  EXPECT_EQ(inv.operations()[0].kind, GateKind::CX);
  EXPECT_EQ(inv.operations()[1].kind, GateKind::U);
  EXPECT_EQ(inv.operations()[1].params[0].offset(), -0.1);
  EXPECT_EQ(inv.operations()[1].params[1].offset(), -0.3);  // phi <- -lambda
  EXPECT_EQ(inv.operations()[1].params[2].offset(), -0.2);  // lambda <- -phi
  EXPECT_EQ(inv.operations()[2].params[0].scale(), -2.0);
  EXPECT_EQ(inv.operations()[2].params[0].offset(), -0.5);
  EXPECT_EQ(inv.operations()[3].kind, GateKind::SXdg);
  EXPECT_EQ(inv.operations()[4].kind, GateKind::Tdg);
  EXPECT_EQ(inv.operations()[5].kind, GateKind::Sdg);
  EXPECT_EQ(inv.num_parameters(), 1);
}

TEST(CircuitTest, InverseRefusesNonUnitary) {
  Circuit c(1, 1);
  c.h(0).measure(0, 0);
  EXPECT_EQ(invalid_argument_message([&] { (void)c.inverse(); }), "measure: has no inverse (not unitary)");
  Circuit d(1, 1);
  d.x(0).c_if(0, 1, 1);
  EXPECT_THAT(invalid_argument_message([&] { (void)d.inverse(); }), HasSubstr("conditioned"));
}

TEST(CircuitTest, TrajectoryClassification) {
  Circuit terminal(2, 2);
  terminal.h(0).cx(0, 1).measure(0, 0).measure(1, 1);
  EXPECT_FALSE(terminal.needs_trajectories());
  EXPECT_FALSE(terminal.is_unitary());

  Circuit mid(2, 2);
  mid.h(0).measure(0, 0).cx(0, 1);  // the measured qubit is used again
  EXPECT_TRUE(mid.needs_trajectories());

  Circuit other_qubit(2, 1);
  other_qubit.h(0).measure(0, 0).h(1);  // a later gate on another qubit is fine
  EXPECT_FALSE(other_qubit.needs_trajectories());

  Circuit reset(1);
  reset.reset(0);
  EXPECT_TRUE(reset.needs_trajectories());

  Circuit conditioned(2, 1);
  conditioned.measure(0, 0).x(1).c_if(0, 1, 1);
  EXPECT_TRUE(conditioned.needs_trajectories());

  Circuit barrier(2, 1);
  barrier.measure(0, 0).barrier();  // a barrier does not make a measurement mid-circuit
  EXPECT_FALSE(barrier.needs_trajectories());
}

TEST(CircuitTest, TrajectoryReasonSaysWhy) {
  EXPECT_EQ(Circuit(2, 2).h(0).measure(0, 0).measure(1, 1).trajectory_reason(), "");
  EXPECT_EQ(Circuit(2, 1).measure(0, 0).cx(1, 0).trajectory_reason(), "qubit 0 is measured and then used by cx");
  EXPECT_EQ(Circuit(2, 1).h(1).reset(1).trajectory_reason(), "reset on qubit 1");
  EXPECT_EQ(Circuit(2, 1).measure(0, 0).x(1).c_if(0, 1, 1).trajectory_reason(), "x is conditioned on classical bits (if)");
  EXPECT_EQ(Circuit(1, 1).measure(0, 0).barrier({0}).trajectory_reason(), "");  // a barrier is not a use
}

}  // namespace
}  // namespace qmlsim

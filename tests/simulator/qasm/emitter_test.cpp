#include "simulator/qasm/emitter.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "simulator/core/bits.hpp"
#include "simulator/qasm/std_gates.hpp"

namespace qmlsim::qasm::detail {
namespace {

Operation controlled(GateKind kind, std::vector<Qubit> qubits, Index mask, Index values, std::vector<Param> params = {}) {
  Operation op = make_operation(kind, std::move(qubits), std::move(params));
  op.control_mask = mask;
  op.control_values = values;
  return op;
}

Operation phase(double v, Index mask = 0) {
  Operation op = make_operation(GateKind::GPhase, {}, {Param(v)});
  op.control_mask = mask;
  op.control_values = mask;
  return op;
}

TEST(EmitterTest, PositiveControlsBecomeBuiltinControlledKinds) {
  struct Case {
    GateKind kind;
    int controls;
    GateKind expected;
  };
  const Case cases[] = {{GateKind::X, 1, GateKind::CX},   {GateKind::X, 2, GateKind::CCX},  {GateKind::X, 3, GateKind::C3X},
                        {GateKind::X, 4, GateKind::C4X},  {GateKind::CX, 1, GateKind::CCX}, {GateKind::Z, 2, GateKind::CCZ},
                        {GateKind::SX, 1, GateKind::CSX}, {GateKind::SX, 3, GateKind::C3SX}, {GateKind::H, 1, GateKind::CH},
                        {GateKind::Swap, 1, GateKind::CSwap}, {GateKind::X, 5, GateKind::X},  {GateKind::H, 2, GateKind::H}};
  for (const Case& c : cases) {
    const int arity = gate_info(c.kind).num_qubits;
    std::vector<Qubit> targets;
    for (int i = 0; i < arity; ++i) targets.push_back(10 + i);
    Index mask = 0;
    for (int i = 0; i < c.controls; ++i) mask |= bit(2 * i);
    Operation op = controlled(c.kind, targets, mask, mask);
    normalize_controls(op);
    EXPECT_EQ(op.kind, c.expected) << gate_info(c.kind).name << " " << c.controls;
    if (c.expected != c.kind) {
      EXPECT_EQ(op.control_mask, 0U);
      EXPECT_EQ(op.qubits.size(), static_cast<std::size_t>(arity + c.controls));
      EXPECT_EQ(op.qubits.front(), 0);
      EXPECT_EQ(op.qubits.back(), targets.back());
    }
  }
  // A negative control, or a kind with no controlled form, stays as it is.
  Operation neg = controlled(GateKind::X, {1}, bit(0), 0);
  normalize_controls(neg);
  EXPECT_EQ(neg.kind, GateKind::X);
  Operation u = controlled(GateKind::U, {1}, bit(0), bit(0), {Param(0.1), Param(0.2), Param(0.3)});
  normalize_controls(u);
  EXPECT_EQ(u.kind, GateKind::CU);
  ASSERT_EQ(u.params.size(), 4U);
  EXPECT_EQ(u.params[3].offset(), 0.0);
}

/// An emitter for a circuit of 4 qubits and 2 clbits.
Emitter emitter(std::uint64_t limit = 100) {
  Emitter e(limit);
  e.set_sizes(4, 2);
  return e;
}

TEST(EmitterTest, GlobalPhasesAreSummedAndAppendedLast) {
  Emitter e = emitter();
  e.emit(phase(0.5), {});
  e.emit(make_operation(GateKind::H, {0}), {});
  e.emit(phase(0.25), {});
  const Circuit c = e.finish({});
  const auto& ops = c.operations();
  ASSERT_EQ(ops.size(), 2U);
  EXPECT_EQ(ops[1].kind, GateKind::GPhase);
  EXPECT_DOUBLE_EQ(ops[1].params[0].offset(), 0.75);
  EXPECT_EQ(c.num_qubits(), 4);
  EXPECT_EQ(c.num_clbits(), 2);

  Emitter zero = emitter();
  zero.emit(phase(0.5), {});
  zero.emit(phase(-0.5), {});
  EXPECT_EQ(zero.finish({}).size(), 0U);
}

TEST(EmitterTest, RegistersDeclaredLaterEnlargeTheCircuit) {
  Emitter e(100);
  e.set_sizes(1, 0);
  e.emit(make_operation(GateKind::H, {0}), {});
  e.set_sizes(3, 1);
  e.emit(make_operation(GateKind::CX, {0, 2}), {});
  const Circuit c = e.finish({});
  EXPECT_EQ(c.num_qubits(), 3);
  EXPECT_EQ(c.num_clbits(), 1);
  EXPECT_EQ(c.size(), 2U);
  Emitter bad(100);
  bad.set_sizes(1, 0);
  EXPECT_THROW(bad.emit(make_operation(GateKind::CX, {0, 1}), {}), SourceError);  // the Circuit refuses it
}

TEST(EmitterTest, ControlledPhasesMergeAcrossOtherPhasesOnly) {
  Emitter e = emitter();
  e.emit(phase(0.5, bit(1)), {});
  e.emit(phase(0.1, bit(2)), {});
  e.emit(phase(0.25, bit(1)), {});  // merges with the first (only phases between)
  e.emit(make_operation(GateKind::X, {1}), {});
  e.emit(phase(1.0, bit(1)), {});  // a new one: x does not commute with it
  e.emit(phase(-0.1, bit(2)), {});  // not merged with the one before x either
  const Circuit circuit = e.finish({});
  const auto& ops = circuit.operations();
  ASSERT_EQ(ops.size(), 5U);
  EXPECT_DOUBLE_EQ(ops[0].params[0].offset(), 0.75);
  EXPECT_DOUBLE_EQ(ops[1].params[0].offset(), 0.1);
  EXPECT_EQ(ops[2].kind, GateKind::X);
  EXPECT_DOUBLE_EQ(ops[3].params[0].offset(), 1.0);
  EXPECT_DOUBLE_EQ(ops[4].params[0].offset(), -0.1);
  // ... and one that cancels is removed.
  Emitter c = emitter();
  c.emit(make_operation(GateKind::H, {0}), {});
  c.emit(phase(0.3, bit(1)), {});
  c.emit(phase(-0.3, bit(1)), {});
  EXPECT_EQ(c.finish({}).size(), 1U);
}

TEST(EmitterTest, ConditionedPhasesMergeUntilTheirBitsAreWritten) {
  auto conditioned = [](double v) {
    Operation op = phase(v);
    op.condition = Condition{0, 1, 1};
    return op;
  };
  Emitter e = emitter();
  e.emit(conditioned(0.5), {});
  e.emit(make_operation(GateKind::H, {0}), {});
  e.emit(conditioned(0.25), {});  // merges: a global phase commutes with h
  Operation m = make_operation(GateKind::Measure, {0});
  m.clbit = 0;
  e.emit(m, {});
  e.emit(conditioned(1.0), {});  // the condition's bit changed: a new one
  for (std::size_t i = 0; i <= Emitter::kConditionedWindow; ++i) e.emit(make_operation(GateKind::X, {1}), {});
  e.emit(conditioned(2.0), {});  // too far from the open one: a new one
  const Circuit circuit = e.finish({});
  const auto& ops = circuit.operations();
  ASSERT_EQ(ops.size(), 4U + Emitter::kConditionedWindow + 2);
  EXPECT_DOUBLE_EQ(ops[0].params[0].offset(), 0.75);
  EXPECT_DOUBLE_EQ(ops[3].params[0].offset(), 1.0);
  EXPECT_DOUBLE_EQ(ops.back().params[0].offset(), 2.0);
}

TEST(EmitterTest, LimitIsEnforced) {
  Emitter e = emitter(2);
  e.emit(make_operation(GateKind::H, {0}), {});
  e.emit(make_operation(GateKind::H, {0}), {});
  EXPECT_THROW(e.emit(make_operation(GateKind::H, {0}), {}), SourceError);
  EXPECT_THROW(e.reserve(1, {}), SourceError);
}

}  // namespace
}  // namespace qmlsim::qasm::detail

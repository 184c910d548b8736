#include "simulator/qasm/lowering.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "simulator/core/bits.hpp"
#include "simulator/core/rng.hpp"
#include "simulator/execution/simulator.hpp"
#include "simulator/qasm/std_gates.hpp"
#include "tests/simulator/qasm/qasm_test_util.hpp"

namespace qmlsim::qasm {
namespace {

using qmlsim::testing::DenseMatrix;
using qmlsim::testing::embed;
using qmlsim::testing::reference_target_matrix;
using test::distance;
using test::errors_of;
using test::first_error;
using test::matrix_of;
using test::parse_ok;
using ::testing::HasSubstr;

/// A k-qubit matrix applied to `targets` of an n-qubit register (with optional controls).
DenseMatrix on(const DenseMatrix& m, std::vector<Qubit> targets, int n, Index mask = 0, Index values = 0) {
  return embed(m, targets, n, mask, values);
}

DenseMatrix ref(GateKind kind, std::vector<double> params = {}) { return reference_target_matrix(kind, params); }
DenseMatrix full(GateKind kind, std::vector<double> params = {}) {
  return qmlsim::testing::reference_gate_matrix(kind, params);
}

// ---- OpenQASM 2 ------------------------------------------------------------------------------

TEST(LoweringQasm2Test, EveryQelib1GateIsItsKindWithQiskitsMatrix) {
  // Every gate of qelib1.inc, with distinct parameters, on a 5-qubit register, in one file.
  std::string body = "qreg q[3];\nqreg r[2];\n";
  Circuit expected(5);
  const std::vector<Qubit> order = {3, 0, 4, 1, 2};
  Rng rng(7);
  int count = 0;
  for (GateKind kind : detail::qelib1_gates()) {
    const GateInfo info = gate_info(kind);
    std::vector<double> values;
    std::vector<Param> params;
    std::string text(info.name);
    if (info.num_params > 0) text += "(";
    for (int i = 0; i < info.num_params; ++i) {
      values.push_back(rng.uniform() * 4 - 2);
      params.emplace_back(values.back());
      char buf[40];
      std::snprintf(buf, sizeof buf, "%.17g", values.back());
      text += (i ? ", " : "") + std::string(buf);
    }
    if (info.num_params > 0) text += ")";
    std::vector<Qubit> qubits;
    for (int i = 0; i < info.num_qubits; ++i) {
      const Qubit q = order[static_cast<std::size_t>((i + count) % 5)];
      qubits.push_back(q);
      text += (i ? ", " : " ") + (q < 3 ? "q[" + std::to_string(q) + "]" : "r[" + std::to_string(q - 3) + "]");
    }
    body += text + ";\n";
    expected.gate(kind, qubits, params);
    ++count;
  }
  EXPECT_EQ(count, 42);
  const Program p = parse_ok(test::qasm2(body));
  ASSERT_EQ(p.circuit.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const Operation& a = p.circuit.operations()[i];
    const Operation& b = expected.operations()[i];
    EXPECT_EQ(a.kind, b.kind) << i;
    EXPECT_EQ(a.qubits, b.qubits) << i;
    ASSERT_EQ(a.params.size(), b.params.size());
    for (std::size_t j = 0; j < a.params.size(); ++j) EXPECT_EQ(a.params[j].offset(), b.params[j].offset());
  }
  EXPECT_LT(distance(p.circuit, expected), 1e-12);  // the whole circuit, phase included
}

TEST(LoweringQasm2Test, BuiltinUAndCxAreQiskitsUAndCx) {
  const Program p = parse_ok("OPENQASM 2.0;\nqreg q[2];\nU(0.3, -0.4, 1.1) q[1];\nCX q[1], q[0];\n");
  ASSERT_EQ(p.circuit.size(), 2U);
  const DenseMatrix expected = on(full(GateKind::CX), {1, 0}, 2) * on(ref(GateKind::U, {0.3, -0.4, 1.1}), {1}, 2);
  EXPECT_LT(matrix_of(p.circuit).max_abs_diff(expected), 1e-14);
  // Without an include only U and CX exist.
  EXPECT_THAT(first_error("OPENQASM 2.0;\nqreg q[1];\nh q[0];\n"),
              HasSubstr("3:1: unknown gate 'h' (it is defined in qelib1.inc: add 'include \"qelib1.inc\";')"));
}

TEST(LoweringQasm2Test, RegistersAreNumberedInDeclarationOrder) {
  const Program p = parse_ok(test::qasm2("qreg a[2];\ncreg c[3];\nqreg b[3];\ncreg d[1];\nx b[0];\nmeasure a[1] -> d[0];\n"));
  EXPECT_EQ(p.circuit.num_qubits(), 5);
  EXPECT_EQ(p.circuit.num_clbits(), 4);
  ASSERT_EQ(p.qregs.size(), 2U);
  EXPECT_EQ(p.qregs[1].name, "b");
  EXPECT_EQ(p.qregs[1].offset, 2);
  EXPECT_EQ(p.cregs[1].offset, 3);
  EXPECT_EQ(p.circuit.operations()[0].qubits, std::vector<Qubit>{2});
  EXPECT_EQ(p.circuit.operations()[1].clbit, 3);
}

TEST(LoweringQasm2Test, RegisterBroadcasting) {
  const Program p = parse_ok(test::qasm2("qreg q[3];\nqreg r[3];\ncreg c[3];\n"
                                         "h q;\ncx q, r;\ncx q[0], r;\nrx(0.5) r;\nmeasure q -> c;\nreset r;\nbarrier q, r[1];\n"));
  const auto& ops = p.circuit.operations();
  ASSERT_EQ(ops.size(), 3U + 3 + 3 + 3 + 3 + 3 + 1);
  EXPECT_EQ(ops[2].qubits, std::vector<Qubit>{2});
  EXPECT_EQ(ops[3].qubits, (std::vector<Qubit>{0, 3}));
  EXPECT_EQ(ops[5].qubits, (std::vector<Qubit>{2, 5}));
  EXPECT_EQ(ops[7].qubits, (std::vector<Qubit>{0, 4}));
  EXPECT_EQ(ops[10].kind, GateKind::RX);
  EXPECT_EQ(ops[12].clbit, 0);
  EXPECT_EQ(ops[14].clbit, 2);
  EXPECT_EQ(ops[17].kind, GateKind::Reset);
  EXPECT_EQ(ops[18].kind, GateKind::Barrier);
  EXPECT_EQ(ops[18].qubits, (std::vector<Qubit>{0, 1, 2, 4}));
}

TEST(LoweringQasm2Test, BroadcastErrors) {
  EXPECT_EQ(first_error(test::qasm2("qreg q[3];\nqreg r[2];\ncx q, r;\n")),
            "5:7: register sizes differ in broadcast: 'q' has 3 qubits, 'r' has 2");
  EXPECT_EQ(first_error(test::qasm2("qreg q[3];\ncx q, q;\n")), "4:7: qubit q[0] is used twice in 'cx'");
  EXPECT_EQ(first_error(test::qasm2("qreg q[3];\ncreg c[2];\nmeasure q -> c;\n")),
            "5:14: size mismatch in measure: 3 qubits into 2 bits");
}

TEST(LoweringQasm2Test, GateDefinitionsExpandWithTheirParameters) {
  const Program p = parse_ok(
      "OPENQASM 2.0;\n"
      "gate rot(a, b) t { U(a, 0, b) t; }\n"
      "gate two(theta) x, y { rot(theta/2, -theta) x; CX x, y; rot(theta, pi) y; }\n"
      "gate nothing a { }\n"
      "qreg q[2];\n"
      "two(0.8) q[1], q[0];\nnothing q[0];\n");
  Circuit expected(2);
  expected.u(0.4, 0.0, -0.8, 1).cx(1, 0).u(0.8, 0.0, kPi, 0);
  ASSERT_EQ(p.circuit.size(), 3U);
  EXPECT_LT(distance(p.circuit, expected), 1e-15);
  EXPECT_DOUBLE_EQ(p.circuit.operations()[2].params[2].offset(), kPi);
}

TEST(LoweringQasm2Test, QiskitStyleDefinitionsOfOtherKindNamesAreUsed) {
  // rzx is a GateKind but not in qelib1.inc: files exported by Qiskit define it themselves.
  const Program p = parse_ok(test::qasm2("gate rzx(param0) q0, q1 { h q1; cx q0, q1; rz(param0) q1; cx q0, q1; h q1; }\n"
                                         "qreg q[2];\nrzx(0.7) q[0], q[1];\n"));
  EXPECT_EQ(p.circuit.size(), 5U);  // the body, expanded
  EXPECT_LT(matrix_of(p.circuit).max_abs_diff(on(ref(GateKind::RZX, {0.7}), {0, 1}, 2)), 1e-14);
}

TEST(LoweringQasm2Test, DefinitionErrors) {
  EXPECT_EQ(first_error(test::qasm2("gate g a { g a; }\n")),
            "3:12: recursive gate definition: 'g' uses itself");
  EXPECT_EQ(first_error(test::qasm2("gate g a { f a; }\ngate f a { g a; }\n")), "3:12: unknown gate 'f'");
  EXPECT_EQ(first_error(test::qasm2("gate h a { x a; }\n")), "3:6: gate 'h' is already defined (by qelib1.inc)");
  EXPECT_EQ(first_error(test::qasm2("gate g a { x a; }\ngate g b { y b; }\n")),
            "4:6: gate 'g' is already defined (at line 3)");
  EXPECT_EQ(first_error(test::qasm2("gate g a { cx a, b; }\n")), "3:18: unknown qubit 'b' in gate 'g'");
  EXPECT_EQ(first_error(test::qasm2("gate g a, b { cx a, a; }\n")), "3:21: qubit 'a' is used twice in 'cx'");
  EXPECT_EQ(first_error(test::qasm2("gate g(t) a { rx(s) a; }\n")), "3:18: unknown identifier 's'");
  EXPECT_EQ(first_error(test::qasm2("gate g(theta) a { rx(thta) a; }\n")),
            "3:22: unknown identifier 'thta'; did you mean 'theta'?");
  EXPECT_EQ(first_error(test::qasm2("gate g a { h a[0]; }\n")),
            "3:14: qubit arguments of a gate definition cannot be indexed ('a')");
  EXPECT_EQ(first_error(test::qasm2("gate g(a, a) b { }\n")), "3:11: parameter 'a' is declared twice");
  EXPECT_EQ(first_error(test::qasm2("gate g a, a { }\n")), "3:11: qubit argument 'a' is declared twice");
  EXPECT_EQ(first_error(test::qasm2("gate g a { rx(1, 2) a; }\n")), "3:12: gate 'rx' expects 1 parameter, found 2");
  // Errors in a body are all reported, and a broken gate causes no further errors where used.
  const auto d = errors_of(test::qasm2("qreg q[1];\ngate g a { hh a; xx a; }\ng q[0];\n"));
  ASSERT_EQ(d.size(), 2U);
  EXPECT_EQ(d[0].message, "unknown gate 'hh'; did you mean 'h'?");
  EXPECT_EQ(d[1].message, "unknown gate 'xx'; did you mean 'x'?");
}

TEST(LoweringQasm2Test, ApplicationErrors) {
  EXPECT_EQ(first_error(test::qasm2("qreg q[2];\nhh q[0];\n")), "4:1: unknown gate 'hh'; did you mean 'h'?");
  EXPECT_EQ(first_error(test::qasm2("qreg q[2];\nRx(0.1) q[0];\n")), "4:1: unknown gate 'Rx'; did you mean 'rx'?");
  EXPECT_EQ(first_error(test::qasm2("qreg q[2];\nrx(0.1, 0.2) q[0];\n")), "4:1: gate 'rx' expects 1 parameter, found 2");
  EXPECT_EQ(first_error(test::qasm2("qreg q[2];\ncx q[0];\n")), "4:4: gate 'cx' expects 2 qubit arguments, found 1");
  EXPECT_EQ(first_error(test::qasm2("qreg q[2];\nh q[2];\n")), "4:5: index 2 out of range [0, 2) for register 'q'");
  EXPECT_EQ(first_error(test::qasm2("qreg q[2];\nh q[-1];\n")), "4:5: index -1 out of range [0, 2) for register 'q'");
  EXPECT_EQ(first_error(test::qasm2("qreg q[2];\ncx q[1], q[1];\n")), "4:10: qubit q[1] is used twice in 'cx'");
  EXPECT_EQ(first_error(test::qasm2("qreg qr[2];\nh qq[0];\n")), "4:3: undeclared qubit register 'qq'; did you mean 'qr'?");
  EXPECT_EQ(first_error(test::qasm2("qreg q[2];\ncreg c[2];\nh c[0];\n")),
            "5:3: 'c' is not a qubit register (declared at line 4)");
  EXPECT_EQ(first_error(test::qasm2("qreg q[2];\nmeasure q[0] -> d[0];\n")), "4:17: undeclared classical register 'd'");
  EXPECT_EQ(first_error(test::qasm2("qreg q[2];\nqreg q[1];\n")), "4:6: 'q' is already declared (at line 3)");
  EXPECT_EQ(first_error(test::qasm2("qreg q[0];\n")), "3:8: register size must be at least 1, found 0");
  EXPECT_EQ(first_error(test::qasm2("qreg q[30];\nqreg r[11];\n")),
            "4:6: too many qubits: 'r' brings the total to 41, at most 40 are supported");
  EXPECT_EQ(first_error(test::qasm2("creg c[2];\n")), "4:1: the program declares no qubits (expected a qreg or qubit declaration)");
  EXPECT_EQ(first_error(test::qasm2("qreg q[2];\nh q[0.5];\n")), "4:5: an index must be an integer");
  EXPECT_EQ(first_error(test::qasm2("qreg q[2];\nopaque magic(a) x, y;\nmagic(0.1) q[0], q[1];\n")),
            "5:1: gate 'magic' is opaque (declared at line 4): it has no definition and cannot be simulated");
  // An opaque gate that is declared but never applied is fine.
  EXPECT_EQ(parse_ok(test::qasm2("qreg q[1];\nopaque magic q;\nh q[0];\n")).circuit.size(), 1U);
  // Every application error is reported, not only the first.
  EXPECT_EQ(errors_of(test::qasm2("qreg q[2];\nh q[5];\nhh q[0];\nx r[0];\n")).size(), 3U);
}

TEST(LoweringQasm2Test, ConditionsApplyToEveryExpandedOperation) {
  const Program p = parse_ok(test::qasm2("qreg q[2];\ncreg a[1];\ncreg c[2];\n"
                                         "gate pair x, y { h x; cx x, y; }\n"
                                         "measure q[0] -> c[1];\n"
                                         "if (c == 2) pair q[0], q[1];\n"
                                         "if (a == 1) measure q[1] -> c[0];\n"
                                         "if (c == 3) reset q;\n"));
  const auto& ops = p.circuit.operations();
  ASSERT_EQ(ops.size(), 6U);
  const Condition on_c{1, 2, 2};
  EXPECT_EQ(ops[1].condition, on_c);
  EXPECT_EQ(ops[2].condition, on_c);
  EXPECT_EQ(ops[3].kind, GateKind::Measure);
  EXPECT_EQ(ops[3].condition, (Condition{0, 1, 1}));
  EXPECT_EQ(ops[5].condition, (Condition{1, 2, 3}));
  EXPECT_EQ(first_error(test::qasm2("qreg q[1];\ncreg c[2];\nif (c == 4) x q[0];\n")),
            "5:10: condition value 4 does not fit in the 2 bits of 'c'");
  EXPECT_EQ(first_error(test::qasm2("qreg q[1];\ncreg c[2];\nif (d == 1) x q[0];\n")),
            "5:5: undeclared classical register 'd'");
}

// ---- OpenQASM 3 ------------------------------------------------------------------------------

TEST(LoweringQasm3Test, DeclarationsAndInputs) {
  const Program p = parse_ok(test::qasm3("input float[64] alpha;\ninput angle beta;\ninput angle[32] unused;\n"
                                         "qubit[2] q;\nqubit s;\nqreg r[2];\nbit[2] c;\nbit b;\ncreg d[1];\n"
                                         "rx(beta) s;\nrz(alpha) r[1];\n"));
  EXPECT_EQ(p.version, 3);
  EXPECT_EQ(p.circuit.num_qubits(), 5);
  EXPECT_EQ(p.circuit.num_clbits(), 4);
  EXPECT_EQ(p.circuit.num_parameters(), 3);  // the unused input is still a parameter
  EXPECT_EQ(p.inputs, (std::vector<std::string>{"alpha", "beta", "unused"}));
  EXPECT_EQ(p.circuit.parameter_names(), p.inputs);
  EXPECT_EQ(p.circuit.operations()[0].qubits, std::vector<Qubit>{2});
  EXPECT_EQ(p.circuit.operations()[0].params[0].index(), 1);
  EXPECT_EQ(p.circuit.operations()[1].qubits, std::vector<Qubit>{4});
  EXPECT_THAT(first_error(test::qasm3("qubit q;\nx q[0];\n")), HasSubstr("'q' is a single qubit and cannot be indexed"));
  EXPECT_THAT(first_error(test::qasm3("input float x;\nqubit[2] q;\ngate g a { rx(x) a; }\n")),
              HasSubstr("5:15: input 'x' cannot be used inside gate 'g'; pass it as a parameter"));
  EXPECT_THAT(first_error(test::qasm3("input float pi;\n")), HasSubstr("expected an input name, found keyword 'pi'"));
  EXPECT_THAT(first_error(test::qasm3("input float x;\ninput float x;\n")), HasSubstr("'x' is already declared"));
}

TEST(LoweringQasm3Test, ConstantsInGateBodiesAndIndices) {
  const Program p = parse_ok(test::qasm3("const int n = 3;\nconst float[64] half = 0.5;\nqubit[n] q;\n"
                                         "gate g a { U(half, 0, 0) a; }\ng q[n - 1];\nx q[-1];\n"));
  EXPECT_EQ(p.circuit.operations()[0].qubits, std::vector<Qubit>{2});
  EXPECT_DOUBLE_EQ(p.circuit.operations()[0].params[0].offset(), 0.5);
  EXPECT_EQ(p.circuit.operations()[1].qubits, std::vector<Qubit>{2});  // q[-1] is the last
}

TEST(LoweringQasm3Test, MeasurementForms) {
  const Program p = parse_ok(test::qasm3("qubit[2] q;\nbit[2] c;\nbit b;\nc = measure q;\nc[1] = measure q[0];\n"
                                         "measure q[1] -> b;\nbit[2] e = measure q;\nbit f = measure q[1];\n"
                                         "c[0:1] = measure q[0:1];\n"));
  std::vector<std::pair<Qubit, int>> m;
  for (const Operation& op : p.circuit.operations()) m.emplace_back(op.qubits[0], op.clbit);
  EXPECT_EQ(m, (std::vector<std::pair<Qubit, int>>{{0, 0}, {1, 1}, {0, 1}, {1, 2}, {0, 3}, {1, 4}, {1, 5}, {0, 0}, {1, 1}}));
  EXPECT_EQ(p.circuit.num_clbits(), 6);
}

TEST(LoweringQasm3Test, ConditionsOnBitsAndBlocks) {
  const Program p = parse_ok(test::qasm3("qubit[2] q;\nbit[3] c;\nbit b;\nif (c[1] == 1) x q[0];\nif (b) { x q[1]; y q[0]; }\n"
                                         "if (c == 5) { x q; }\nif (c[0:1] == 2) z q[1];\nif (c[2] == 0) x q[0];\n"));
  const auto& ops = p.circuit.operations();
  ASSERT_EQ(ops.size(), 7U);
  EXPECT_EQ(ops[0].condition, (Condition{1, 1, 1}));
  EXPECT_EQ(ops[1].condition, (Condition{3, 1, 1}));
  EXPECT_EQ(ops[2].condition, (Condition{3, 1, 1}));
  EXPECT_EQ(ops[3].condition, (Condition{0, 3, 5}));
  EXPECT_EQ(ops[5].condition, (Condition{0, 2, 2}));
  EXPECT_EQ(ops[6].condition, (Condition{2, 1, 0}));
  EXPECT_THAT(first_error(test::qasm3("qubit q;\nbit[2] c;\nif (c) x q;\n")), HasSubstr("'if (c)' needs a single bit"));
}

TEST(LoweringQasm3Test, SlicesAndBarriers) {
  const Program p = parse_ok(test::qasm3("qubit[5] q;\nh q[1:3];\nx q[0:2:4];\nbarrier;\nbarrier q[0], q[0:1];\n"));
  const auto& ops = p.circuit.operations();
  ASSERT_EQ(ops.size(), 3U + 3 + 2);  // stdgates' h is Qiskit's H: no phase left over
  EXPECT_EQ(ops[0].qubits, std::vector<Qubit>{1});
  EXPECT_EQ(ops[2].qubits, std::vector<Qubit>{3});
  EXPECT_EQ(ops[4].qubits, std::vector<Qubit>{2});
  EXPECT_EQ(ops[6].qubits, (std::vector<Qubit>{0, 1, 2, 3, 4}));
  EXPECT_EQ(ops[7].qubits, (std::vector<Qubit>{0, 1}));
}

TEST(LoweringQasm3Test, GlobalPhasesAreSummedIntoOneTrailingOperation) {
  const Program p = parse_ok(test::qasm3("input float x;\nqubit[2] q;\ngphase(0.25);\nrx(x) q[0];\nh q[1];\ngphase(-x/2);\n"
                                         "ry(2*x) q[1];\ngphase(pi/4 - x);\n"));
  const auto& ops = p.circuit.operations();
  ASSERT_EQ(ops.size(), 4U);
  EXPECT_EQ(ops[3].kind, GateKind::GPhase);
  // 0.25 - x/2 + pi/4 - x; the gates themselves add no phase (they are Qiskit's).
  EXPECT_EQ(ops[3].params[0].kind(), Param::Kind::Affine);
  EXPECT_DOUBLE_EQ(ops[3].params[0].scale(), -1.5);
  EXPECT_DOUBLE_EQ(ops[3].params[0].offset(), 0.25 + kPi / 4);
  EXPECT_EQ(parse_ok(test::qasm3("qubit q;\ngphase(0.5);\nx q;\ngphase(-0.5);\n")).circuit.size(), 1U);
  EXPECT_EQ(parse_ok(test::qasm3("qubit q;\ngphase(2*pi);\n")).circuit.size(), 0U);
}

TEST(LoweringQasm3Test, ControlledAndConditionedPhasesMerge) {
  const Program p = parse_ok(test::qasm3("qubit[2] q;\nbit c;\nctrl @ gphase(0.5) q[0];\nctrl @ gphase(0.25) q[0];\n"
                                         "crx(0.3) q[0], q[1];\nctrl @ gphase(0.15) q[0];\nctrl @ gphase(-0.15) q[0];\n"
                                         "if (c == 1) h q[0];\nif (c == 1) gphase(-pi/4);\nif (c == 1) gphase(pi/4);\n"));
  const auto& ops = p.circuit.operations();
  ASSERT_EQ(ops.size(), 3U);  // the first two merge; the two after crx cancel; so do the conditioned ones
  EXPECT_DOUBLE_EQ(ops[0].params[0].offset(), 0.75);
  EXPECT_EQ(ops[1].kind, GateKind::CRX);
  EXPECT_EQ(ops[2].kind, GateKind::H);
}

// ---- modifiers, against matrices built from gate matrix products -----------------------------

TEST(ModifierTest, CtrlAndNegctrlAddControls) {
  const Program p = parse_ok(test::qasm3("qubit[3] q;\nctrl @ U(0.3, 0.2, 0.1) q[2], q[0];\n"
                                         "negctrl @ x q[0], q[1];\nctrl(2) @ x q[0], q[2], q[1];\n"
                                         "negctrl @ ctrl @ rz(0.4) q[1], q[2], q[0];\n"));
  // OpenQASM 3's U and stdgates' rz are Qiskit's U and RZ, so the controls add to exactly them.
  const DenseMatrix expected =
      on(ref(GateKind::RZ, {0.4}), {0}, 3, bit(1) | bit(2), bit(2)) *
      on(ref(GateKind::X), {1}, 3, bit(0) | bit(2), bit(0) | bit(2)) *
      on(ref(GateKind::X), {1}, 3, bit(0), 0) *
      on(ref(GateKind::U, {0.3, 0.2, 0.1}), {0}, 3, bit(2), bit(2));
  EXPECT_LT(matrix_of(p.circuit).max_abs_diff(expected), 1e-14);
  ASSERT_EQ(p.circuit.size(), 4U);
  EXPECT_EQ(p.circuit.operations()[0].kind, GateKind::CU);   // ctrl @ U is cu
  EXPECT_EQ(p.circuit.operations()[2].kind, GateKind::CCX);  // ctrl(2) @ x is ccx
  EXPECT_EQ(p.circuit.operations()[2].qubits, (std::vector<Qubit>{0, 2, 1}));
}

TEST(ModifierTest, CtrlTurnsABodysGlobalPhaseIntoARelativePhase) {
  const Program p = parse_ok(test::qasm3("qubit[2] q;\ngate g a { gphase(0.3); x a; }\nctrl @ g q[1], q[0];\n"));
  const DenseMatrix expected = on(ref(GateKind::X) * std::polar(1.0, 0.3), {0}, 2, bit(1), bit(1));
  EXPECT_LT(matrix_of(p.circuit).max_abs_diff(expected), 1e-14);
  // Without the control the phase is global.
  const Program q = parse_ok(test::qasm3("qubit[2] q;\ngate g a { gphase(0.3); x a; }\ng q[0];\n"));
  EXPECT_LT(matrix_of(q.circuit).max_abs_diff(on(ref(GateKind::X), {0}, 2) * std::polar(1.0, 0.3)), 1e-14);
}

TEST(ModifierTest, InvReversesAndInvertsTheExpansion) {
  const std::string defs = "qubit[2] q;\ngate g(t) a, b { h a; cx a, b; rz(t) b; sx a; gphase(0.2); }\n";
  const Program fwd = parse_ok(test::qasm3(defs + "g(0.7) q[0], q[1];\n"));
  const Program inv = parse_ok(test::qasm3(defs + "inv @ g(0.7) q[0], q[1];\n"));
  EXPECT_LT(matrix_of(inv.circuit).max_abs_diff(matrix_of(fwd.circuit).adjoint()), 1e-14);
  const Program twice = parse_ok(test::qasm3(defs + "inv @ inv @ g(0.7) q[0], q[1];\n"));
  EXPECT_LT(distance(twice.circuit, fwd.circuit), 1e-14);
  EXPECT_EQ(parse_ok(test::qasm3("qubit q;\ninv @ s q;\ninv @ t q;\n")).circuit.operations()[1].kind, GateKind::Tdg);
}

TEST(ModifierTest, IntegerPowersRepeat) {
  const std::string defs = "qubit[2] q;\ngate g(t) a, b { ry(t) a; cx a, b; rz(t/3) b; }\n";
  const DenseMatrix g = matrix_of(parse_ok(test::qasm3(defs + "g(0.9) q[0], q[1];\n")).circuit);
  const DenseMatrix g3 = matrix_of(parse_ok(test::qasm3(defs + "pow(3) @ g(0.9) q[0], q[1];\n")).circuit);
  const DenseMatrix gm2 = matrix_of(parse_ok(test::qasm3(defs + "pow(-2) @ g(0.9) q[0], q[1];\n")).circuit);
  const DenseMatrix g0 = matrix_of(parse_ok(test::qasm3(defs + "pow(0) @ g(0.9) q[0], q[1];\n")).circuit);
  EXPECT_LT(g3.max_abs_diff(g * g * g), 1e-13);
  EXPECT_LT(gm2.max_abs_diff(g.adjoint() * g.adjoint()), 1e-13);
  EXPECT_LT(g0.max_abs_diff(DenseMatrix::identity(4)), 1e-15);
  // An integer exponent works with input-dependent angles too.
  const Program param = parse_ok(test::qasm3("input float x;\nqubit q;\npow(2) @ rx(x) q;\n"));
  const std::vector<double> theta = {0.4};
  EXPECT_LT(matrix_of(param.circuit, theta).max_abs_diff(ref(GateKind::RX, {0.8})), 1e-14);
}

TEST(ModifierTest, NonIntegerPowersUseThePrincipalBranch) {
  // sqrt(X) is Qiskit's SX; sqrt(Z) is S (principal branch: -1 -> e^{i pi/2}).
  const Program sx = parse_ok(test::qasm3("qubit q;\npow(0.5) @ x q;\n"));
  EXPECT_EQ(sx.circuit.operations()[0].kind, GateKind::Unitary);
  EXPECT_LT(matrix_of(sx.circuit).max_abs_diff(ref(GateKind::SX)), 1e-14);
  const Program s = parse_ok(test::qasm3("qubit q;\npow(1/2) @ z q;\n"));
  EXPECT_LT(matrix_of(s.circuit).max_abs_diff(ref(GateKind::S)), 1e-14);
  // A 2-qubit power: (pow(1/3) @ g)^3 == g.
  const std::string defs = "qubit[2] q;\ngate g a, b { h a; cx a, b; ry(0.3) b; }\n";
  const DenseMatrix g = matrix_of(parse_ok(test::qasm3(defs + "g q[0], q[1];\n")).circuit);
  const DenseMatrix r = matrix_of(parse_ok(test::qasm3(defs + "pow(1/3) @ g q[0], q[1];\n")).circuit);
  EXPECT_LT((r * r * r).max_abs_diff(g), 1e-12);
  // pow on a zero-qubit gphase, and under ctrl.
  const Program ph = parse_ok(test::qasm3("qubit[2] q;\nctrl @ pow(0.5) @ gphase(1.2) q[0];\n"));
  EXPECT_LT(matrix_of(ph.circuit).max_abs_diff(on(DenseMatrix::scalar(std::polar(1.0, 0.6)), {}, 2, bit(0), bit(0))), 1e-14);
}

TEST(ModifierTest, ModifierErrors) {
  EXPECT_THAT(first_error(test::qasm3("qubit[3] q;\npow(0.5) @ ccx q[0], q[1], q[2];\n")),
              HasSubstr("4:1: pow with a non-integer exponent is supported on gates of at most 2 qubits ('ccx' here acts on 3)"));
  EXPECT_THAT(first_error(test::qasm3("input float x;\nqubit q;\npow(x) @ h q;\n")),
              HasSubstr("5:5: the exponent of pow must be a constant"));
  EXPECT_THAT(first_error(test::qasm3("input float x;\nqubit q;\npow(0.5) @ rx(x) q;\n")),
              HasSubstr("needs constant gate parameters"));
  EXPECT_THAT(first_error(test::qasm3("qubit[2] q;\nctrl(0) @ x q[0], q[1];\n")),
              HasSubstr("the number of controls must be at least 1, found 0"));
  EXPECT_THAT(first_error(test::qasm3("qubit[2] q;\nctrl @ x q[0];\n")),
              HasSubstr("4:10: gate 'x' expects 2 qubit arguments (1 for the controls), found 1"));
  EXPECT_THAT(first_error(test::qasm3("qubit[2] q;\nctrl @ x q[0], q[0];\n")), HasSubstr("qubit q[0] is used twice in 'x'"));
  EXPECT_THAT(first_error(test::qasm3("qubit[2] q;\npow(1e15) @ x q[0];\n")), HasSubstr("circuit too large"));
}

TEST(ModifierTest, BroadcastingWithModifiers) {
  const Program p = parse_ok(test::qasm3("qubit[2] c;\nqubit[2] t;\nctrl @ x c, t;\n"));
  ASSERT_EQ(p.circuit.size(), 2U);
  EXPECT_EQ(p.circuit.operations()[1].kind, GateKind::CX);
  EXPECT_EQ(p.circuit.operations()[1].qubits, (std::vector<Qubit>{1, 3}));
}

TEST(ModifierTest, TheSimulatorAgreesWithTheDenseReference) {
  // Every form the lowering produces (extra controls on any kind, controlled phases, unitaries
  // from non-integer powers, normalised controlled kinds, parameters) run by the Simulator.
  const Program p = parse_ok(test::qasm3(
      "input float a;\ninput float b;\nqubit[4] q;\n"
      "gate g(t) u, v { h u; ctrl @ ry(t) u, v; gphase(t / 3); }\n"
      "h q;\nctrl @ g(a) q[3], q[0], q[1];\nnegctrl(2) @ rx(b) q[0], q[1], q[2];\npow(0.5) @ cx q[2], q[3];\n"
      "inv @ pow(3) @ g(a * b) q[1], q[2];\nctrl @ negctrl @ swap q[0], q[3], q[1], q[2];\nctrl(3) @ sx q[0], q[1], q[2], q[3];\n"
      "pow(1/3) @ u3(0.3, 0.4, 0.5) q[0];\nctrl @ pow(-0.25) @ t q[1], q[2];\ncu(a, b, 0.2, 0.1) q[3], q[0];\n"));
  Rng rng(12);
  for (int trial = 0; trial < 3; ++trial) {
    const std::vector<double> theta = {rng.uniform() * 6 - 3, rng.uniform() * 6 - 3};
    const StateVector<double> state = Simulator().run(p.circuit, theta);
    std::vector<cdouble> zero(16);
    zero[0] = 1.0;
    const std::vector<cdouble> expected = qmlsim::testing::apply_circuit(p.circuit, theta, zero);
    EXPECT_LT(qmlsim::testing::max_abs_diff<double>(state.amplitudes(), expected), 1e-12);
  }
}

TEST(LoweringTest, GateExpansionDepthIsBounded) {
  std::string defs = "OPENQASM 2.0;\nqreg q[1];\ngate g0 a { U(0.1, 0, 0) a; }\n";
  for (int i = 1; i <= 1100; ++i) defs += "gate g" + std::to_string(i) + " a { g" + std::to_string(i - 1) + " a; }\n";
  EXPECT_THAT(first_error(defs + "g1100 q[0];\n"), HasSubstr("nesting too deep: gate expansion exceeds 1000 levels"));
  EXPECT_EQ(parse_ok(defs + "g900 q[0];\n").circuit.size(), 1U);
}

TEST(LoweringTest, SemanticChecksStopAtTheFirstSyntaxError) {
  // The unknown gate before the syntax error is reported; the one after it is not (a broken
  // statement could have declared it), while later syntax errors still are.
  const auto d = errors_of(test::qasm2("qreg q[1];\nhh q[0];\nh q[0] q[0];\nxx q[0];\nh q[0]\n"));
  ASSERT_EQ(d.size(), 3U);
  EXPECT_EQ(d[0].line, 4);
  EXPECT_THAT(d[0].message, HasSubstr("unknown gate 'hh'"));
  EXPECT_EQ(d[1].line, 5);
  EXPECT_EQ(d[2].line, 7);
  EXPECT_THAT(d[2].message, HasSubstr("expected ';'"));
}

TEST(LoweringTest, OperationLimit) {
  Options options;
  options.max_operations = 10;
  EXPECT_THAT(first_error(test::qasm2("qreg q[5];\nh q;\nx q;\nz q;\n"), options),
              HasSubstr("6:1: circuit too large: more than 10 operations"));
  EXPECT_THAT(first_error(test::qasm3("qubit q;\ngate g a { x a; x a; }\ngate f a { g a; g a; g a; g a; }\n"
                                      "gate e a { f a; f a; }\ne q;\n"),
                          options),
              HasSubstr("circuit too large"));
}

}  // namespace
}  // namespace qmlsim::qasm

// to_qasm3: write, parse back, and compare (matrices or states at random parameters to 1e-12,
// operation counts where the spelling is exact).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "simulator/core/bits.hpp"
#include "simulator/core/rng.hpp"
#include "simulator/qasm/qasm.hpp"
#include "tests/simulator/qasm/qasm_test_util.hpp"
#include "tests/support/random_state.hpp"

namespace qmlsim::qasm {
namespace {

using qmlsim::testing::DenseMatrix;
using test::matrix_of;
using test::parse_ok;
using ::testing::HasSubstr;

Program program_of(Circuit c) {
  Program p;
  p.version = 3;
  p.circuit = std::move(c);
  p.inputs = p.circuit.parameter_names();
  return p;
}

/// Writes `p`, parses the text back (the text is shown if that fails).
Program round_trip(const Program& p) {
  const std::string text = to_qasm3(p);
  try {
    return parse(text, "written.qasm");
  } catch (const std::exception& e) {
    ADD_FAILURE() << e.what() << "\n--- written text ---\n" << text;
    throw;
  }
}

/// max |U_a - U_b| over `trials` random parameter vectors.
double max_distance(const Circuit& a, const Circuit& b, Rng& rng, int trials = 3) {
  double worst = 0;
  for (int t = 0; t < trials; ++t) {
    const std::vector<double> theta = qmlsim::testing::random_angles(static_cast<std::size_t>(a.num_parameters()), rng);
    worst = std::max(worst, matrix_of(a, theta).max_abs_diff(matrix_of(b, theta)));
  }
  return worst;
}

std::vector<GateKind> writable_kinds() {
  std::vector<GateKind> kinds;
  for (GateKind k : all_gate_kinds())
    if (k != GateKind::Unitary && k != GateKind::Measure && k != GateKind::Reset && k != GateKind::Barrier) kinds.push_back(k);
  return kinds;
}

/// max |a - b| over the states the two circuits make from `trials` random states.
double state_distance(const Circuit& a, const Circuit& b, Rng& rng, int trials = 2) {
  double worst = 0;
  for (int t = 0; t < trials; ++t) {
    const std::vector<double> theta = qmlsim::testing::random_angles(static_cast<std::size_t>(a.num_parameters()), rng);
    const std::vector<cdouble> in = qmlsim::testing::random_state(a.num_qubits(), rng);
    const auto x = qmlsim::testing::apply_circuit(a, theta, in);
    const auto y = qmlsim::testing::apply_circuit(b, theta, in);
    worst = std::max(worst, qmlsim::testing::max_abs_diff<double>(x, y));
  }
  return worst;
}

TEST(WriterTest, EveryKindRoundTripsExactly) {
  Rng rng(17);
  const std::vector<Qubit> order = {1, 3, 5, 0, 2, 4, 6};
  for (GateKind kind : writable_kinds()) {
    const GateInfo info = gate_info(kind);
    for (int variant = 0; variant < 3; ++variant) {
      // variant 0: plain; 1: an extra positive control; 2: positive and negative extra controls.
      Circuit c(7);
      const std::vector<Qubit> qubits(order.begin(), order.begin() + info.num_qubits);
      std::vector<Param> params;
      for (int i = 0; i < info.num_params; ++i) params.emplace_back(rng.uniform() * 6 - 3);
      std::vector<Qubit> controls;
      std::vector<bool> values;
      for (int i = 0; i < variant; ++i) {
        controls.push_back(order[static_cast<std::size_t>(info.num_qubits + i)]);
        values.push_back(i == 0);
      }
      c.controlled(kind, controls, qubits, params, values);
      const Program back = round_trip(program_of(c));
      EXPECT_LT(state_distance(c, back.circuit, rng), 1e-12) << info.name << " variant " << variant << "\n"
                                                              << to_qasm3(program_of(c));
    }
  }
}

TEST(WriterTest, SpellingsWithoutLeftoverOperations) {
  // Kinds with a stdgates or ctrl @ spelling come back as the same kind, one operation each.
  Circuit c(5);
  c.h(0).x(1).y(2).z(3).s(0).sdg(1).t(2).tdg(3).sx(4).sxdg(0).rx(0.1, 1).ry(0.2, 2).rz(0.3, 3).p(0.4, 4);
  c.gate(GateKind::U1, {0}, {0.5}).gate(GateKind::U2, {1}, {0.6, 0.7}).gate(GateKind::U3, {2}, {0.8, 0.9, 1.0});
  c.u(1.1, 1.2, 1.3, 3).cx(0, 1).cy(1, 2).cz(2, 3).ch(3, 4).swap(4, 0).crx(0.1, 0, 2).cry(0.2, 1, 3).crz(0.3, 2, 4);
  c.cp(0.4, 3, 0).gate(GateKind::CU1, {4, 1}, {0.5}).gate(GateKind::CU3, {0, 2}, {0.6, 0.7, 0.8});
  c.gate(GateKind::CU, {1, 3}, {0.9, 1.0, 1.1, 1.2}).gate(GateKind::CSX, {2, 4}, {}).ccx(0, 1, 2).cswap(1, 2, 3);
  c.gate(GateKind::CCZ, {2, 3, 4}, {}).gate(GateKind::C3X, {0, 1, 2, 3}, {}).gate(GateKind::C4X, {0, 1, 2, 3, 4}, {});
  c.gate(GateKind::C3SX, {4, 3, 2, 1}, {}).gate(GateKind::I, {0}, {});
  c.controlled(GateKind::H, {0}, {1}, {}, {false}).controlled(GateKind::RX, {2, 3}, {4}, {0.3}, {true, false});
  c.gphase(0.25);
  const Program back = round_trip(program_of(c));
  ASSERT_EQ(back.circuit.size(), c.size()) << to_qasm3(program_of(c));
  for (std::size_t i = 0; i < c.size(); ++i) EXPECT_EQ(back.circuit.operations()[i].kind, c.operations()[i].kind) << i;
  EXPECT_LT(matrix_of(back.circuit).max_abs_diff(matrix_of(c)), 1e-12);
}

TEST(WriterTest, ParametersKeepTheirNamesAndValues) {
  Circuit c(3);
  const Expr x = Expr::parameter(0), y = Expr::parameter(1);
  c.rx(Param::parameter(0, 2.0, 0.5), 0).ry(Param(x * y), 1).rz(Param(sin(x) - 2.0 * y), 2);
  c.cp(Param(2.0 * (kPi - x) * (kPi - y)), 0, 1).crx(Param::parameter(1, -1.0), 2, 0).gphase(Param::parameter(0));
  c.gate(GateKind::U3, {1}, {Param::parameter(0), Param(y / 3.0), Param(sqrt(x * x + 1.0))});
  c.gate(GateKind::RXX, {0, 2}, {Param(pow(x, 2.0))}).gate(GateKind::XXPlusYY, {1, 2}, {Param::parameter(1), Param(exp(x))});
  c.set_parameter_names({"alpha", "beta", "unused"});
  const Program p = program_of(c);
  const Program back = round_trip(p);
  EXPECT_EQ(back.inputs, (std::vector<std::string>{"alpha", "beta", "unused"}));
  EXPECT_EQ(back.circuit.num_parameters(), 3);
  Rng rng(9);
  EXPECT_LT(max_distance(c, back.circuit, rng, 5), 1e-12);
}

TEST(WriterTest, ParsedProgramsComeBackWithTheSameOperations) {
  const std::string source = test::qasm3(
      "input float[64] x0;\ninput float[64] x1;\nqubit[3] q;\nbit[3] c;\n"
      "gate layer(a) u, v { h u; cx u, v; rz(a) v; cx u, v; }\n"
      "h q;\np(2*(pi-x0)*(pi-x1)) q[0];\nlayer(x0) q[0], q[1];\ncrx(x1/2) q[1], q[2];\nctrl @ h q[0], q[2];\n"
      "negctrl @ ry(x0 * x1) q[2], q[0];\ninv @ u3(x0, 0.1, -x1) q[1];\ncu(x0, x1, 0.2, 0.3) q[2], q[1];\n"
      "pow(2) @ rx(x0) q[2];\nctrl(2) @ sx q[0], q[1], q[2];\nU(0.1, x0, 0.3) q[0];\ngphase(x1);\n"
      "ctrl @ gphase(0.4) q[1];\ncphase(x0) q[0], q[2];\nCX q[2], q[0];\n");
  const Program p = parse_ok(source);
  const Program back = round_trip(p);
  ASSERT_EQ(back.circuit.size(), p.circuit.size()) << to_qasm3(p);
  for (std::size_t i = 0; i < p.circuit.size(); ++i) {
    EXPECT_EQ(back.circuit.operations()[i].kind, p.circuit.operations()[i].kind) << i;
    EXPECT_EQ(back.circuit.operations()[i].qubits, p.circuit.operations()[i].qubits) << i;
    EXPECT_EQ(back.circuit.operations()[i].control_mask, p.circuit.operations()[i].control_mask) << i;
  }
  Rng rng(4);
  EXPECT_LT(max_distance(p.circuit, back.circuit, rng, 5), 1e-12);
  // Writing again gives the same text.
  EXPECT_EQ(to_qasm3(back), to_qasm3(p));
}

TEST(WriterTest, StatesAgreeOnRandomInputs) {
  // A feature-map-like circuit on 5 qubits: compare states from random inputs at random parameters.
  Circuit c(5);
  for (Qubit q = 0; q < 5; ++q) c.h(q).p(Param::parameter(q, 2.0), q);
  for (Qubit q = 0; q + 1 < 5; ++q) {
    const Expr e = 2.0 * (kPi - Expr::parameter(q)) * (kPi - Expr::parameter(q + 1));
    c.cx(q, q + 1).p(Param(e), q + 1).cx(q, q + 1);
  }
  for (Qubit q = 0; q < 5; ++q) c.gate(GateKind::U, {q}, {Param::parameter(5 + q), Param(0.3), Param::parameter(q, -1.0)});
  const Program back = round_trip(program_of(c));
  Rng rng(21);
  for (int t = 0; t < 4; ++t) {
    const std::vector<double> theta = qmlsim::testing::random_angles(10, rng);
    const std::vector<cdouble> in = qmlsim::testing::random_state(5, rng);
    const auto a = qmlsim::testing::apply_circuit(c, theta, in);
    const auto b = qmlsim::testing::apply_circuit(back.circuit, theta, in);
    EXPECT_LT(qmlsim::testing::max_abs_diff<double>(a, b), 1e-12);
  }
}

TEST(WriterTest, UserUnitariesAreDecomposedExactly) {
  Rng rng(8);
  for (int k = 1; k <= 3; ++k) {
    Circuit c(4);
    std::vector<Qubit> qubits = {3, 0, 2};
    qubits.resize(static_cast<std::size_t>(k));
    c.unitary(qmlsim::testing::random_unitary(k, rng).to_gate_matrix(), qubits);
    Operation controlled = c.operations().back();
    controlled.control_mask = bit(1);
    controlled.control_values = k == 2 ? 0 : bit(1);
    if (k < 3) c.append(controlled);
    const Program back = round_trip(program_of(c));
    EXPECT_LT(matrix_of(back.circuit).max_abs_diff(matrix_of(c)), 1e-12) << k;
  }
  // Non-integer powers parsed from OpenQASM 3 are unitaries too.
  const Program p = parse_ok(test::qasm3("qubit[2] q;\npow(0.3) @ cx q[0], q[1];\npow(0.5) @ h q[1];\n"));
  EXPECT_LT(matrix_of(round_trip(p).circuit).max_abs_diff(matrix_of(p.circuit)), 1e-12);
}

TEST(WriterTest, MeasurementsResetsBarriersAndConditions) {
  const Program p = parse_ok(test::qasm3("qubit[3] q;\nbit[2] c;\nbit[3] d;\nh q;\nbarrier q[0], q[2];\nc = measure q[0:1];\n"
                                         "if (c == 2) x q[2];\nif (d[1] == 1) { rx(0.5) q[0]; h q[1]; }\n"
                                         "if (d[0:1] == 3) reset q[1];\nif (c[0] == 1) d[2] = measure q[2];\nreset q[0];\n"));
  const Program back = round_trip(p);
  ASSERT_EQ(back.circuit.size(), p.circuit.size()) << to_qasm3(p);
  for (std::size_t i = 0; i < p.circuit.size(); ++i) {
    const Operation& a = p.circuit.operations()[i];
    const Operation& b = back.circuit.operations()[i];
    EXPECT_EQ(a.kind, b.kind) << i;
    EXPECT_EQ(a.qubits, b.qubits) << i;
    EXPECT_EQ(a.clbit, b.clbit) << i;
    EXPECT_EQ(a.condition, b.condition) << i;
    ASSERT_EQ(a.params.size(), b.params.size());
    for (std::size_t j = 0; j < a.params.size(); ++j) EXPECT_NEAR(a.params[j].offset(), b.params[j].offset(), 1e-15);
  }
  EXPECT_EQ(back.cregs.size(), 2U);
  EXPECT_EQ(back.cregs[1].name, "d");
}

TEST(WriterTest, OpenQasm2ProgramsBecomeOpenQasm3) {
  const Program p = parse_ok(test::qasm2("qreg q[4];\nh q;\nu2(0.1, 0.2) q[0];\ncu1(0.3) q[0], q[1];\nrccx q[0], q[1], q[2];\n"
                                         "rc3x q[3], q[1], q[0], q[2];\nrxx(0.4) q[1], q[3];\nrzz(0.5) q[0], q[2];\n"
                                         "c3sqrtx q[0], q[1], q[2], q[3];\nu0(1) q[1];\n"));
  const std::string text = to_qasm3(p);
  EXPECT_THAT(text, HasSubstr("OPENQASM 3.0;\ninclude \"stdgates.inc\";\n"));
  EXPECT_THAT(text, HasSubstr("gate rccx q0, q1, q2 {"));
  const Program back = round_trip(p);
  EXPECT_EQ(back.version, 3);
  EXPECT_LT(matrix_of(back.circuit).max_abs_diff(matrix_of(p.circuit)), 1e-12);
}

TEST(WriterTest, UnusableNamesAreReplaced) {
  Circuit c(3, 2);
  c.rx(Param::parameter(0), 0).ry(Param::parameter(1), 2).measure(2, 1);
  c.set_parameter_names({"x[0]", "for"});
  Program p = program_of(c);
  p.qregs = {{"q", 0, 2}, {"bad name", 2, 1}};
  p.cregs = {{"c", 0, 1}};  // does not cover every bit
  const std::string text = to_qasm3(p);
  EXPECT_THAT(text, HasSubstr("input float[64] theta_0;\ninput float[64] theta_1;\n"));
  EXPECT_THAT(text, HasSubstr("qubit[3] q;\nbit[2] c;\n"));
  const Program back = round_trip(p);
  Rng rng(1);
  Circuit unitary_part(3);
  unitary_part.rx(Param::parameter(0), 0).ry(Param::parameter(1), 2);
  Circuit back_unitary(3);
  for (const Operation& op : back.circuit.operations())
    if (op.kind != GateKind::Measure) back_unitary.append(op);
  EXPECT_LT(max_distance(unitary_part, back_unitary, rng), 1e-12);
  EXPECT_EQ(back.circuit.operations().back().clbit, 1);
}

}  // namespace
}  // namespace qmlsim::qasm

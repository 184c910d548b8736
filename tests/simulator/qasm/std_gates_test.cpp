#include "simulator/qasm/std_gates.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "simulator/core/bits.hpp"
#include "simulator/core/rng.hpp"
#include "tests/simulator/qasm/qasm_test_util.hpp"

namespace qmlsim::qasm {
namespace {

using qmlsim::testing::DenseMatrix;
using qmlsim::testing::embed;
using qmlsim::testing::reference_gate_matrix;
using qmlsim::testing::reference_target_matrix;
using test::matrix_of;
using test::parse_ok;

std::string number(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

/// `prefix name(params) q[...]` for a stdgates gate on a 4-qubit register, `controls` extra
/// qubits first.
std::string call(const detail::StdGateInfo& g, const std::vector<double>& params, const std::string& prefix, int controls) {
  static const int kOrder[] = {2, 0, 3, 1};
  std::string s = prefix + std::string(g.name);
  if (!params.empty()) {
    s += "(";
    for (std::size_t i = 0; i < params.size(); ++i) s += (i ? ", " : "") + number(params[i]);
    s += ")";
  }
  for (int i = 0; i < g.num_qubits + controls; ++i) s += (i ? ", q[" : " q[") + std::to_string(kOrder[i]) + "]";
  return s + ";\n";
}

TEST(StdGatesTest, Qelib1HasExactlyQiskitsGates) {
  std::vector<std::string> names;
  for (GateKind k : detail::qelib1_gates()) names.emplace_back(gate_info(k).name);
  EXPECT_THAT(names, ::testing::ElementsAre("u3", "u2", "u1", "cx", "id", "u0", "u", "p", "x", "y", "z", "h", "s", "sdg",
                                            "t", "tdg", "rx", "ry", "rz", "sx", "sxdg", "cz", "cy", "swap", "ch", "ccx",
                                            "cswap", "crx", "cry", "crz", "cu1", "cp", "cu3", "csx", "cu", "rxx", "rzz",
                                            "rccx", "rc3x", "c3x", "c3sqrtx", "c4x"));
}

TEST(StdGatesTest, TheTableCoversStdgatesIncExactly) {
  // Every `gate` of the embedded stdgates.inc is in the table, with its arity, and nothing else.
  const std::string_view text = detail::stdgates_inc_text();
  std::size_t defined = 0;
  for (const detail::StdGateInfo& g : detail::std_gates()) {
    const std::string head = "gate " + std::string(g.name);
    const std::size_t at = text.find(head + (g.num_params > 0 ? "(" : " "));
    EXPECT_NE(at, std::string_view::npos) << g.name;
    ++defined;
  }
  std::size_t gates_in_text = 0;
  for (std::size_t at = text.find("\ngate "); at != std::string_view::npos; at = text.find("\ngate ", at + 1)) ++gates_in_text;
  EXPECT_EQ(defined, gates_in_text);
}

/// Every stdgates gate, alone and under modifiers, equals its body in stdgates.inc expanded
/// literally (with OpenQASM 3's U = e^{i(phi+lambda)/2} U_qiskit), phase included.
TEST(StdGatesTest, EveryGateEqualsItsLiteralBodyUnderEveryModifier) {
  Options literal;
  literal.expand_stdgates_bodies = true;
  Rng rng(2024);
  const std::vector<std::pair<std::string, int>> modifiers = {
      {"", 0}, {"ctrl @ ", 1}, {"negctrl @ ", 1}, {"inv @ ", 0}, {"pow(2) @ ", 0}, {"ctrl @ inv @ ", 1}, {"pow(-3) @ ", 0}};
  for (const detail::StdGateInfo& g : detail::std_gates()) {
    std::vector<double> params;
    for (int i = 0; i < g.num_params; ++i) params.push_back(rng.uniform() * 6 - 3);
    for (const auto& [prefix, controls] : modifiers) {
      if (g.num_qubits + controls > 4) continue;
      const std::string source = test::qasm3("qubit[4] q;\nh q;\n" + call(g, params, prefix, controls));
      const Program fast = parse_ok(source);
      const Program slow = parse_ok(source, literal);
      EXPECT_LT(matrix_of(fast.circuit).max_abs_diff(matrix_of(slow.circuit)), 1e-12) << prefix << g.name;
    }
  }
}

TEST(StdGatesTest, SomePhasesSpelledOut) {
  auto single = [](const std::string& statement) { return matrix_of(parse_ok(test::qasm3("qubit q;\n" + statement)).circuit); };
  // x, y, z, s, sx are Qiskit's matrices exactly.
  EXPECT_LT(single("x q;\n").max_abs_diff(reference_target_matrix(GateKind::X)), 1e-15);
  EXPECT_LT(single("y q;\n").max_abs_diff(reference_target_matrix(GateKind::Y)), 1e-15);
  EXPECT_LT(single("sx q;\n").max_abs_diff(reference_target_matrix(GateKind::SX)), 1e-15);
  // h is e^{i pi/4} H, rx(t) is e^{-i t/2} RX(t), rz(l) is P(l), u3 is e^{-i theta/2} U3.
  EXPECT_LT(single("h q;\n").max_abs_diff(reference_target_matrix(GateKind::H) * std::polar(1.0, kPi / 4)), 1e-15);
  const double t = 0.9, phi = -0.4, lambda = 1.3;
  EXPECT_LT(single("rx(0.9) q;\n").max_abs_diff(reference_target_matrix(GateKind::RX, std::vector{t}) * std::polar(1.0, -t / 2)),
            1e-15);
  EXPECT_LT(single("rz(0.9) q;\n").max_abs_diff(reference_target_matrix(GateKind::P, std::vector{t})), 1e-15);
  EXPECT_LT(single("u3(0.9, -0.4, 1.3) q;\n")
                .max_abs_diff(reference_target_matrix(GateKind::U3, std::vector{t, phi, lambda}) * std::polar(1.0, -t / 2)),
            1e-15);
  EXPECT_LT(single("U(0.9, -0.4, 1.3) q;\n")
                .max_abs_diff(reference_target_matrix(GateKind::U, std::vector{t, phi, lambda}) *
                              std::polar(1.0, (phi + lambda) / 2)),
            1e-15);
  // crx(t) puts e^{-i t/2} on the control; CX (upper case) puts i there.
  const Program crx = parse_ok(test::qasm3("qubit[2] q;\ncrx(0.9) q[0], q[1];\n"));
  const Qubit target[] = {1};
  const DenseMatrix expected = embed(reference_target_matrix(GateKind::RX, std::vector{t}) * std::polar(1.0, -t / 2), target, 2,
                                     bit(0), bit(0));
  EXPECT_LT(matrix_of(crx.circuit).max_abs_diff(expected), 1e-15);
  const Program cnot = parse_ok(test::qasm3("qubit[2] q;\nCX q[0], q[1];\n"));
  const Qubit both[] = {0, 1};
  const DenseMatrix s_on_control = embed(reference_target_matrix(GateKind::S), std::span<const Qubit>(both, 1), 2);
  EXPECT_LT(matrix_of(cnot.circuit).max_abs_diff(s_on_control * embed(reference_gate_matrix(GateKind::CX), both, 2)), 1e-15);
}

TEST(StdGatesTest, ParametricGatesKeepTheirParameters) {
  // With input angles the same equality holds at any value, and the kinds stay cheap.
  Options literal;
  literal.expand_stdgates_bodies = true;
  const std::string source = test::qasm3("input float a;\ninput float b;\nqubit[2] q;\n"
                                         "rx(a) q[0];\nry(2*b) q[1];\nrz(a - b) q[0];\ncrx(a) q[1], q[0];\ncu(a, b, 0.3, a*b) q[0], q[1];\n"
                                         "u3(a, b, 1) q[1];\nu2(b, a) q[0];\nu1(a) q[1];\ncphase(b) q[0], q[1];\n");
  const Program fast = parse_ok(source);
  const Program slow = parse_ok(source, literal);
  Rng rng(5);
  for (int trial = 0; trial < 5; ++trial) {
    const std::vector<double> theta = {rng.uniform() * 6 - 3, rng.uniform() * 6 - 3};
    EXPECT_LT(matrix_of(fast.circuit, theta).max_abs_diff(matrix_of(slow.circuit, theta)), 1e-12);
  }
  EXPECT_EQ(fast.circuit.operations()[0].kind, GateKind::RX);
  EXPECT_EQ(fast.circuit.operations()[0].params[0].kind(), Param::Kind::Affine);
}

}  // namespace
}  // namespace qmlsim::qasm

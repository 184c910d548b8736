#include "simulator/qasm/std_gates.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <tuple>
#include <vector>

#include "simulator/core/bits.hpp"
#include "simulator/core/rng.hpp"
#include "simulator/execution/simulator.hpp"
#include "tests/simulator/qasm/qasm_test_util.hpp"

namespace qmlsim::qasm {
namespace {

using qmlsim::testing::DenseMatrix;
using qmlsim::testing::embed;
using qmlsim::testing::reference_gate_matrix;
using qmlsim::testing::reference_target_matrix;
using test::matrix_of;
using test::parse_ok;

constexpr int kQubits = 4;

std::string number(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string qubit_list(const std::vector<int>& qubits) {
  std::string s;
  for (std::size_t i = 0; i < qubits.size(); ++i) s += (i ? ", q[" : " q[") + std::to_string(qubits[i]) + "]";
  return s;
}

/// `name(params) q[...]` on the given qubits.
std::string call(std::string_view name, const std::vector<double>& params, const std::vector<int>& qubits) {
  std::string s(name);
  if (!params.empty()) {
    s += "(";
    for (std::size_t i = 0; i < params.size(); ++i) s += (i ? ", " : "") + number(params[i]);
    s += ")";
  }
  return s + qubit_list(qubits) + ";\n";
}

/// A random state on kQubits qubits, written with U and CNOTs (spelt `cx` in version 3, `CX` in
/// version 2): the same seed gives the same state in both versions.
std::string random_preparation(std::uint64_t seed, int version) {
  Rng rng(seed);
  std::string s;
  for (int layer = 0; layer < 2; ++layer) {
    for (int q = 0; q < kQubits; ++q) {
      const double t = rng.uniform() * 6 - 3, p = rng.uniform() * 6 - 3, l = rng.uniform() * 6 - 3;
      s += call("U", {t, p, l}, {q});
    }
    for (int q = 0; q + 1 < kQubits; ++q) s += call(version >= 3 ? "cx" : "CX", {}, {q, q + 1});
  }
  return s;
}

std::string program(int version, std::uint64_t seed, const std::string& gate) {
  // Hadamards on every qubit after the gate: whatever the gate did to a control's phase now
  // changes the probabilities.
  const std::string body = random_preparation(seed, version) + gate + "h q;\n";
  return version >= 3 ? test::qasm3("qubit[4] q;\n" + body) : test::qasm2("qreg q[4];\n" + body);
}

std::vector<cdouble> final_state(const std::string& source) {
  const Program p = parse_ok(source);
  const StateVector<double> s = Simulator().run(p.circuit);
  return {s.amplitudes().begin(), s.amplitudes().end()};
}

double max_diff(const std::vector<cdouble>& a, const std::vector<cdouble>& b) {
  return qmlsim::testing::max_abs_diff(std::span<const cdouble>(a), std::span<const cdouble>(b));
}

/// The qubits a gate of `arity` is applied to: the control(s) in the middle of the register, so
/// each role sits on a different bit position.
std::vector<int> operands(int arity) {
  static const int kOrder[] = {2, 0, 3, 1};
  return {kOrder, kOrder + arity};
}

// The names of stdgates.inc (OpenQASM 3.0 standard library, openqasm/openqasm), with the parameter
// and qubit counts of their `gate` lines, in the file's order.
const std::vector<std::tuple<std::string, int, int>> kStdgatesInc = {
    {"p", 1, 1},   {"x", 0, 1},    {"y", 0, 1},   {"z", 0, 1},     {"h", 0, 1},      {"s", 0, 1},
    {"sdg", 0, 1}, {"t", 0, 1},    {"tdg", 0, 1}, {"sx", 0, 1},    {"rx", 1, 1},     {"ry", 1, 1},
    {"rz", 1, 1},  {"cx", 0, 2},   {"cy", 0, 2},  {"cz", 0, 2},    {"cp", 1, 2},     {"crx", 1, 2},
    {"cry", 1, 2}, {"crz", 1, 2},  {"ch", 0, 2},  {"swap", 0, 2},  {"ccx", 0, 3},    {"cswap", 0, 3},
    {"cu", 4, 2},  {"CX", 0, 2},   {"phase", 1, 1}, {"cphase", 1, 2}, {"id", 0, 1},  {"u1", 1, 1},
    {"u2", 2, 1},  {"u3", 3, 1},
};

TEST(StdGatesTest, Qelib1HasExactlyQiskitsGates) {
  std::vector<std::string> names;
  for (GateKind k : detail::qelib1_gates()) names.emplace_back(gate_info(k).name);
  EXPECT_THAT(names, ::testing::ElementsAre("u3", "u2", "u1", "cx", "id", "u0", "u", "p", "x", "y", "z", "h", "s", "sdg",
                                            "t", "tdg", "rx", "ry", "rz", "sx", "sxdg", "cz", "cy", "swap", "ch", "ccx",
                                            "cswap", "crx", "cry", "crz", "cu1", "cp", "cu3", "csx", "cu", "rxx", "rzz",
                                            "rccx", "rc3x", "c3x", "c3sqrtx", "c4x"));
}

TEST(StdGatesTest, TheTableHasEveryGateOfStdgatesIncWithItsArity) {
  std::vector<std::tuple<std::string, int, int>> table;
  for (const detail::StdGateInfo& g : detail::std_gates()) {
    const GateInfo info = gate_info(g.kind);
    table.emplace_back(std::string(g.name), info.num_params, info.num_qubits);
  }
  EXPECT_EQ(table, kStdgatesInc);
}

/// Each stdgates name equals its OpenQASM 2 (qelib1.inc) namesake, phase included, on random
/// states with the controls in superposition and interference afterwards. `CX` is OpenQASM 2's
/// built-in CX; `phase` and `cphase` have no qelib1.inc namesake and are compared with `p`/`cp`
/// here and with Qiskit's matrices written out in the next test.
TEST(StdGatesTest, EveryNameEqualsItsOpenQasm2NamesakeOnRandomStates) {
  Rng rng(2024);
  for (const auto& [name, num_params, num_qubits] : kStdgatesInc) {
    std::string v2_name = name;
    if (name == "phase") v2_name = "p";
    if (name == "cphase") v2_name = "cp";
    for (std::uint64_t trial = 0; trial < 3; ++trial) {
      std::vector<double> params;
      for (int i = 0; i < num_params; ++i) params.push_back(rng.uniform() * 8 - 4);
      const std::vector<int> qubits = operands(num_qubits);
      const std::vector<cdouble> v3 = final_state(program(3, trial, call(name, params, qubits)));
      const std::vector<cdouble> v2 = final_state(program(2, trial, call(v2_name, params, qubits)));
      EXPECT_LT(max_diff(v3, v2), 1e-12) << name << " trial " << trial;
      // And the two circuits' matrices agree, phase included (dense reference).
      EXPECT_LT(matrix_of(parse_ok(program(3, trial, call(name, params, qubits))).circuit)
                    .max_abs_diff(matrix_of(parse_ok(program(2, trial, call(v2_name, params, qubits))).circuit)),
                1e-12)
          << name;
    }
  }
}

/// The gates that differ most from one literal reading of stdgates.inc, against Qiskit's matrices
/// written out here (qubit order: the first listed qubit is bit 0; controls first).
TEST(StdGatesTest, ControlledGatesAreQiskitsMatricesWrittenOut) {
  const double t = 0.83, phi = -1.21, lambda = 2.37, gamma = 0.44;
  const cdouble i(0, 1);
  const double c = std::cos(t / 2), s = std::sin(t / 2);
  auto controlled = [](const DenseMatrix& u) {  // |0><0| (x) I + |1><1| (x) U, control = bit 0
    DenseMatrix m(4);
    m(0, 0) = m(2, 2) = 1;
    m(1, 1) = u(0, 0);
    m(1, 3) = u(0, 1);
    m(3, 1) = u(1, 0);
    m(3, 3) = u(1, 1);
    return m;
  };
  const DenseMatrix rx{{c, -i * s}, {-i * s, c}};
  const DenseMatrix ry{{c, -s}, {s, c}};
  const DenseMatrix rz{{std::exp(-i * t / 2.0), 0}, {0, std::exp(i * t / 2.0)}};
  const DenseMatrix p{{1, 0}, {0, std::exp(i * t)}};
  const DenseMatrix h = DenseMatrix{{1, 1}, {1, -1}} * (1 / std::sqrt(2.0));
  const DenseMatrix u{{c, -std::exp(i * lambda) * s}, {std::exp(i * phi) * s, std::exp(i * (phi + lambda)) * c}};
  const DenseMatrix u2{{1, -std::exp(i * lambda)}, {std::exp(i * phi), std::exp(i * (phi + lambda))}};
  const std::string tt = number(t), all = number(t) + ", " + number(phi) + ", " + number(lambda);
  const std::vector<std::pair<std::string, DenseMatrix>> cases = {
      {"crx(" + tt + ") q[0], q[1];", controlled(rx)},
      {"cry(" + tt + ") q[0], q[1];", controlled(ry)},
      {"crz(" + tt + ") q[0], q[1];", controlled(rz)},
      {"cp(" + tt + ") q[0], q[1];", controlled(p)},
      {"cphase(" + tt + ") q[0], q[1];", controlled(p)},
      {"ch q[0], q[1];", controlled(h)},
      {"cu(" + all + ", " + number(gamma) + ") q[0], q[1];", controlled(u * std::exp(i * gamma))},
      {"ctrl @ U(" + all + ") q[0], q[1];", controlled(u)},
      {"ctrl @ rz(" + tt + ") q[0], q[1];", controlled(rz)},
      {"ctrl @ gphase(" + tt + ") q[0];", embed(p, std::vector<Qubit>{0}, 2)},
      {"gphase(" + tt + ");", DenseMatrix::identity(4) * std::exp(i * t)},
      {"U(" + all + ") q[1];", embed(u, std::vector<Qubit>{1}, 2)},
      {"u3(" + all + ") q[1];", embed(u, std::vector<Qubit>{1}, 2)},
      {"u2(" + number(phi) + ", " + number(lambda) + ") q[1];", embed(u2 * (1 / std::sqrt(2.0)), std::vector<Qubit>{1}, 2)},
      {"u1(" + tt + ") q[1];", embed(p, std::vector<Qubit>{1}, 2)},
      {"phase(" + tt + ") q[1];", embed(p, std::vector<Qubit>{1}, 2)},
      {"rz(" + tt + ") q[1];", embed(rz, std::vector<Qubit>{1}, 2)},
      {"h q[1];", embed(h, std::vector<Qubit>{1}, 2)},
      {"CX q[0], q[1];", controlled(DenseMatrix{{0, 1}, {1, 0}})},
  };
  for (const auto& [statement, expected] : cases) {
    const Program prog = parse_ok(test::qasm3("qubit[2] q;\n" + statement + "\n"));
    EXPECT_LT(matrix_of(prog.circuit).max_abs_diff(expected), 1e-14) << statement;
  }
}

/// The case reported in issue 10: controlled-RZ between Hadamard layers. P(000) = |<+++|CRZ|+++>|^2
/// = |(4 + 2 e^{-i theta/2} + 2 e^{i theta/2}) / 8|^2 = ((1 + cos(theta/2)) / 2)^2 = 0.672038 at
/// theta = -1.753745 (a controlled phase, cp, would give 0.556776).
TEST(StdGatesTest, ControlledRzBetweenHadamardsHasTheAnalyticProbability) {
  const Program prog = parse_ok(test::qasm3(
      "qubit[3] q;\nh q[0]; h q[1]; h q[2];\ncrz(-1.753745) q[1], q[2];\nh q[0]; h q[1]; h q[2];\n"));
  const StateVector<double> state = Simulator().run(prog.circuit);
  const double expected = std::pow((1 + std::cos(-1.753745 / 2)) / 2, 2);
  EXPECT_NEAR(std::norm(state[0]), expected, 1e-14);
  EXPECT_NEAR(std::norm(state[0]), 0.672038, 5e-7);
}

/// The same equality under modifiers: ctrl @ and negctrl @ add controls to exactly the gate, inv
/// @ and pow @ act on exactly its matrix (compared with the kind built directly in C++).
TEST(StdGatesTest, ModifiersActOnExactlyTheQiskitGate) {
  Rng rng(7);
  for (const detail::StdGateInfo& g : detail::std_gates()) {
    const GateInfo info = gate_info(g.kind);
    if (info.num_qubits + 1 > kQubits) continue;
    std::vector<double> params;
    for (int k = 0; k < info.num_params; ++k) params.push_back(rng.uniform() * 6 - 3);
    const std::vector<int> qubits = operands(info.num_qubits + 1);  // qubits[0] is the extra control
    const std::vector<int> gate_qubits(qubits.begin() + 1, qubits.end());
    std::vector<Qubit> targets;
    for (int q : gate_qubits) targets.push_back(q);
    const DenseMatrix gate = embed(reference_gate_matrix(g.kind, params), targets, kQubits);
    const Index control = bit(qubits[0]);
    auto under_control = [&](const DenseMatrix& m, Index values) {
      // The controlled matrix: m where the control bit equals `values`, identity elsewhere.
      DenseMatrix out(m.dim());
      for (Index r = 0; r < m.dim(); ++r)
        for (Index col = 0; col < m.dim(); ++col) {
          const bool on = (r & control) == values && (col & control) == values;
          const bool same_side = (r & control) == (col & control);
          if (on) out(r, col) = m(r, col);
          else if ((r & control) != values && same_side && r == col) out(r, col) = 1;
        }
      return out;
    };
    const std::string plain = call(g.name, params, gate_qubits);
    auto matrix = [&](const std::string& statement) {
      return matrix_of(parse_ok(test::qasm3("qubit[4] q;\n" + statement)).circuit);
    };
    EXPECT_LT(matrix("ctrl @ " + call(g.name, params, qubits)).max_abs_diff(under_control(gate, control)), 1e-12) << g.name;
    EXPECT_LT(matrix("negctrl @ " + call(g.name, params, qubits)).max_abs_diff(under_control(gate, 0)), 1e-12) << g.name;
    EXPECT_LT(matrix("inv @ " + plain).max_abs_diff(gate.adjoint()), 1e-12) << g.name;
    EXPECT_LT(matrix("pow(2) @ " + plain).max_abs_diff(gate * gate), 1e-12) << g.name;
  }
}

TEST(StdGatesTest, ParametricGatesKeepTheirParametersAndKinds) {
  // With input angles each stdgates name is one operation of its kind with an affine angle.
  const Program p = parse_ok(test::qasm3("input float a;\ninput float b;\nqubit[2] q;\n"
                                         "rx(a) q[0];\ncrz(2*b) q[1], q[0];\ncu(a, b, 0.3, a*b) q[0], q[1];\n"
                                         "cphase(b) q[0], q[1];\n"));
  const auto& ops = p.circuit.operations();
  ASSERT_EQ(ops.size(), 4u);
  EXPECT_EQ(ops[0].kind, GateKind::RX);
  EXPECT_EQ(ops[0].params[0].kind(), Param::Kind::Affine);
  EXPECT_EQ(ops[1].kind, GateKind::CRZ);
  EXPECT_EQ(ops[2].kind, GateKind::CU);
  EXPECT_EQ(ops[3].kind, GateKind::CP);
  Rng rng(5);
  for (int trial = 0; trial < 3; ++trial) {
    const std::vector<double> theta = {rng.uniform() * 6 - 3, rng.uniform() * 6 - 3};
    const Program v2 = parse_ok(test::qasm2("qreg q[2];\nrx(" + number(theta[0]) + ") q[0];\ncrz(" + number(2 * theta[1]) +
                                            ") q[1], q[0];\ncu(" + number(theta[0]) + ", " + number(theta[1]) + ", 0.3, " +
                                            number(theta[0] * theta[1]) + ") q[0], q[1];\ncp(" + number(theta[1]) +
                                            ") q[0], q[1];\n"));
    EXPECT_LT(matrix_of(p.circuit, theta).max_abs_diff(matrix_of(v2.circuit)), 1e-12);
  }
}

TEST(StdGatesTest, UnaryPlusIsAcceptedInOpenQasm2) {
  const Program plus = parse_ok(test::qasm2("qreg q[2];\nry(+0.4) q[1];\nrz(-(+0.3)) q[0];\nU(+pi/2, 0, +pi) q[0];\n"));
  const Program plain = parse_ok(test::qasm2("qreg q[2];\nry(0.4) q[1];\nrz(-0.3) q[0];\nU(pi/2, 0, pi) q[0];\n"));
  EXPECT_LT(matrix_of(plus.circuit).max_abs_diff(matrix_of(plain.circuit)), 1e-15);
}

}  // namespace
}  // namespace qmlsim::qasm

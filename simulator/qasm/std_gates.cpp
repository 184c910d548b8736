#include "simulator/qasm/std_gates.hpp"

#include <array>

#include "simulator/core/bits.hpp"

namespace qmlsim::qasm::detail {
namespace {

constexpr std::array kQelib1 = {
    GateKind::U3,   GateKind::U2,  GateKind::U1,   GateKind::CX,  GateKind::I,    GateKind::U0,   GateKind::U,
    GateKind::P,    GateKind::X,   GateKind::Y,    GateKind::Z,   GateKind::H,    GateKind::S,    GateKind::Sdg,
    GateKind::T,    GateKind::Tdg, GateKind::RX,   GateKind::RY,  GateKind::RZ,   GateKind::SX,   GateKind::SXdg,
    GateKind::CZ,   GateKind::CY,  GateKind::Swap, GateKind::CH,  GateKind::CCX,  GateKind::CSwap, GateKind::CRX,
    GateKind::CRY,  GateKind::CRZ, GateKind::CU1,  GateKind::CP,  GateKind::CU3,  GateKind::CSX,  GateKind::CU,
    GateKind::RXX,  GateKind::RZZ, GateKind::RCCX, GateKind::RC3X, GateKind::C3X, GateKind::C3SX, GateKind::C4X,
};

using S = StdGate;
constexpr std::array kStdGates = {
    StdGateInfo{S::P, "p", 1, 1},       StdGateInfo{S::X, "x", 0, 1},       StdGateInfo{S::Y, "y", 0, 1},
    StdGateInfo{S::Z, "z", 0, 1},       StdGateInfo{S::H, "h", 0, 1},       StdGateInfo{S::S, "s", 0, 1},
    StdGateInfo{S::Sdg, "sdg", 0, 1},   StdGateInfo{S::T, "t", 0, 1},       StdGateInfo{S::Tdg, "tdg", 0, 1},
    StdGateInfo{S::SX, "sx", 0, 1},     StdGateInfo{S::RX, "rx", 1, 1},     StdGateInfo{S::RY, "ry", 1, 1},
    StdGateInfo{S::RZ, "rz", 1, 1},     StdGateInfo{S::CX, "cx", 0, 2},     StdGateInfo{S::CY, "cy", 0, 2},
    StdGateInfo{S::CZ, "cz", 0, 2},     StdGateInfo{S::CP, "cp", 1, 2},     StdGateInfo{S::CRX, "crx", 1, 2},
    StdGateInfo{S::CRY, "cry", 1, 2},   StdGateInfo{S::CRZ, "crz", 1, 2},   StdGateInfo{S::CH, "ch", 0, 2},
    StdGateInfo{S::Swap, "swap", 0, 2}, StdGateInfo{S::CCX, "ccx", 0, 3},   StdGateInfo{S::CSwap, "cswap", 0, 3},
    StdGateInfo{S::CU, "cu", 4, 2},     StdGateInfo{S::CNot, "CX", 0, 2},   StdGateInfo{S::Phase, "phase", 1, 1},
    StdGateInfo{S::CPhase, "cphase", 1, 2}, StdGateInfo{S::Id, "id", 0, 1}, StdGateInfo{S::U1, "u1", 1, 1},
    StdGateInfo{S::U2, "u2", 2, 1},     StdGateInfo{S::U3, "u3", 3, 1},
};

// stdgates.inc of the OpenQASM 3 specification (openqasm/openqasm, Apache License 2.0), verbatim.
// Used when a program asks for literal expansion (Options::expand_stdgates_bodies) and by the
// tests that check the table in expand_std_gate against it.
constexpr std::string_view kStdgatesInc = R"QASM(// OpenQASM 3.0 standard gate library
//
// Note: the gates defined by this file are exactly the set that the OpenQASM
// 3.0 specification defined, as are the unitary actions, but implementations
// have some scope for how they handle the file internally.  See the
// `source/language/standard_library.rst` documentation for full detail.


// phase gate
gate p(λ) a { ctrl @ gphase(λ) a; }

// Pauli gate: bit-flip or NOT gate
gate x a { U(π, 0, π) a; gphase(-π/2);}
// Pauli gate: bit and phase flip
gate y a { U(π, π/2, π/2) a; gphase(-π/2);}
 // Pauli gate: phase flip
gate z a { p(π) a; }

// Clifford gate: Hadamard
gate h a { U(π/2, 0, π) a; gphase(-π/4);}
// Clifford gate: sqrt(Z) or S gate
gate s a { pow(0.5) @ z a; }
// Clifford gate: inverse of sqrt(Z)
gate sdg a { inv @ pow(0.5) @ z a; }

// sqrt(S) or T gate
gate t a { pow(0.5) @ s a; }
// inverse of sqrt(S)
gate tdg a { inv @ pow(0.5) @ s a; }

// sqrt(NOT) gate
gate sx a { pow(0.5) @ x a; }

// Rotation around X-axis
gate rx(θ) a { U(θ, -π/2, π/2) a; gphase(-θ/2);}
// rotation around Y-axis
gate ry(θ) a { U(θ, 0, 0) a; gphase(-θ/2);}
// rotation around Z axis
gate rz(λ) a { gphase(-λ/2); U(0, 0, λ) a; }

// controlled-NOT
gate cx a, b { ctrl @ x a, b; }
// controlled-Y
gate cy a, b { ctrl @ y a, b; }
// controlled-Z
gate cz a, b { ctrl @ z a, b; }
// controlled-phase
gate cp(λ) a, b { ctrl @ p(λ) a, b; }
// controlled-rx
gate crx(θ) a, b { ctrl @ rx(θ) a, b; }
// controlled-ry
gate cry(θ) a, b { ctrl @ ry(θ) a, b; }
// controlled-rz
gate crz(θ) a, b { ctrl @ rz(θ) a, b; }
// controlled-H
gate ch a, b { ctrl @ h a, b; }

// swap
gate swap a, b { cx a, b; cx b, a; cx a, b; }

// Toffoli
gate ccx a, b, c { ctrl @ ctrl @ x a, b, c; }
// controlled-swap
gate cswap a, b, c { ctrl @ swap a, b, c; }

// four parameter controlled-U gate with relative phase γ
gate cu(θ, φ, λ, γ) a, b { p(γ-θ/2) a; ctrl @ U(θ, φ, λ) a, b; }

// Gates for OpenQASM 2 backwards compatibility
// CNOT
gate CX a, b { ctrl @ U(π, 0, π) a, b; }
// phase gate
gate phase(λ) q { U(0, 0, λ) q; }
// controlled-phase
gate cphase(λ) a, b { ctrl @ phase(λ) a, b; }
// identity or idle gate
gate id a { U(0, 0, 0) a; }
// IBM Quantum experience gates
gate u1(λ) q { U(0, 0, λ) q; }
gate u2(φ, λ) q { gphase(-(φ+λ+π/2)/2); U(π/2, φ, λ) q; }
gate u3(θ, φ, λ) q { gphase(-(φ+λ+θ)/2); U(θ, φ, λ) q; }
)QASM";

}  // namespace

std::span<const GateKind> qelib1_gates() noexcept { return kQelib1; }
std::span<const StdGateInfo> std_gates() noexcept { return kStdGates; }
std::string_view stdgates_inc_text() noexcept { return kStdgatesInc; }

Operation make_operation(GateKind kind, std::vector<Qubit> qubits, std::vector<Param> params) {
  Operation op;
  op.kind = kind;
  op.qubits = std::move(qubits);
  op.params = std::move(params);
  return op;
}

Operation make_phase(const PhaseSum& phase, Qubit control) {
  Operation op;
  op.kind = GateKind::GPhase;
  op.params = {phase.to_param()};
  if (control >= 0) {
    op.control_mask = bit(control);
    op.control_values = bit(control);
  }
  return op;
}

PhaseSum u3_phase(const Value& /*theta*/, const Value& phi, const Value& lambda) {
  PhaseSum s;
  s.add(phi, 0.5);
  s.add(lambda, 0.5);
  return s;
}

void expand_u3(std::span<const Value> params, Qubit q, std::vector<Operation>& out) {
  out.push_back(make_operation(GateKind::U, {q}, {params[0].to_param(), params[1].to_param(), params[2].to_param()}));
  out.push_back(make_phase(u3_phase(params[0], params[1], params[2])));
}

void expand_std_gate(StdGate gate, std::span<const Value> params, std::span<const Qubit> qubits,
                     std::vector<Operation>& out) {
  std::vector<Qubit> qs(qubits.begin(), qubits.end());
  std::vector<Param> ps;
  for (const Value& v : params) ps.push_back(v.to_param());
  auto emit = [&](GateKind kind) { out.push_back(make_operation(kind, qs, ps)); };
  auto global = [&](const PhaseSum& phase) { out.push_back(make_phase(phase)); };
  auto on_control = [&](const PhaseSum& phase) { out.push_back(make_phase(phase, qs[0])); };
  constexpr double kQuarter = kPi / 4;
  switch (gate) {
    case S::P: return emit(GateKind::P);
    case S::X: return emit(GateKind::X);
    case S::Y: return emit(GateKind::Y);
    case S::Z: return emit(GateKind::Z);
    case S::H: emit(GateKind::H); return global(PhaseSum::from_constant(kQuarter));
    case S::S: return emit(GateKind::S);
    case S::Sdg: return emit(GateKind::Sdg);
    case S::T: return emit(GateKind::T);
    case S::Tdg: return emit(GateKind::Tdg);
    case S::SX: return emit(GateKind::SX);
    case S::RX: emit(GateKind::RX); return global(PhaseSum::from_term(params[0], -0.5));
    case S::RY: emit(GateKind::RY); return global(PhaseSum::from_term(params[0], -0.5));
    case S::RZ: emit(GateKind::RZ); return global(PhaseSum::from_term(params[0], 0.5));
    case S::CX: return emit(GateKind::CX);
    case S::CY: return emit(GateKind::CY);
    case S::CZ: return emit(GateKind::CZ);
    case S::CP: return emit(GateKind::CP);
    case S::CRX: emit(GateKind::CRX); return on_control(PhaseSum::from_term(params[0], -0.5));
    case S::CRY: emit(GateKind::CRY); return on_control(PhaseSum::from_term(params[0], -0.5));
    case S::CRZ: emit(GateKind::CRZ); return on_control(PhaseSum::from_term(params[0], 0.5));
    case S::CH: emit(GateKind::CH); return on_control(PhaseSum::from_constant(kQuarter));
    case S::Swap: return emit(GateKind::Swap);
    case S::CCX: return emit(GateKind::CCX);
    case S::CSwap: return emit(GateKind::CSwap);
    case S::CU: {
      // p(gamma - theta/2) a; ctrl @ U(theta, phi, lambda) a, b;  ==  Qiskit's CU(theta, phi,
      // lambda, gamma) with a further phase (phi + lambda)/2 - theta/2 on the control.
      emit(GateKind::CU);
      PhaseSum s = u3_phase(params[0], params[1], params[2]);
      s.add(params[0], -0.5);
      return on_control(s);
    }
    case S::CNot: emit(GateKind::CX); return on_control(PhaseSum::from_constant(2 * kQuarter));
    case S::Phase: emit(GateKind::P); return global(PhaseSum::from_term(params[0], 0.5));
    case S::CPhase: emit(GateKind::CP); return on_control(PhaseSum::from_term(params[0], 0.5));
    case S::Id: return emit(GateKind::I);
    case S::U1: emit(GateKind::U1); return global(PhaseSum::from_term(params[0], 0.5));
    case S::U2: emit(GateKind::U2); return global(PhaseSum::from_constant(-kQuarter));
    case S::U3: emit(GateKind::U3); return global(PhaseSum::from_term(params[0], -0.5));
  }
}

}  // namespace qmlsim::qasm::detail

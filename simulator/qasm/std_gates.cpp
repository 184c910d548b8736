#include "simulator/qasm/std_gates.hpp"

#include <array>

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

// stdgates.inc of the OpenQASM 3 specification, in the file's order, each name with the Qiskit
// standard gate of that name.
constexpr std::array kStdGates = {
    StdGateInfo{"p", GateKind::P},         StdGateInfo{"x", GateKind::X},         StdGateInfo{"y", GateKind::Y},
    StdGateInfo{"z", GateKind::Z},         StdGateInfo{"h", GateKind::H},         StdGateInfo{"s", GateKind::S},
    StdGateInfo{"sdg", GateKind::Sdg},     StdGateInfo{"t", GateKind::T},         StdGateInfo{"tdg", GateKind::Tdg},
    StdGateInfo{"sx", GateKind::SX},       StdGateInfo{"rx", GateKind::RX},       StdGateInfo{"ry", GateKind::RY},
    StdGateInfo{"rz", GateKind::RZ},       StdGateInfo{"cx", GateKind::CX},       StdGateInfo{"cy", GateKind::CY},
    StdGateInfo{"cz", GateKind::CZ},       StdGateInfo{"cp", GateKind::CP},       StdGateInfo{"crx", GateKind::CRX},
    StdGateInfo{"cry", GateKind::CRY},     StdGateInfo{"crz", GateKind::CRZ},     StdGateInfo{"ch", GateKind::CH},
    StdGateInfo{"swap", GateKind::Swap},   StdGateInfo{"ccx", GateKind::CCX},     StdGateInfo{"cswap", GateKind::CSwap},
    StdGateInfo{"cu", GateKind::CU},       StdGateInfo{"CX", GateKind::CX},       StdGateInfo{"phase", GateKind::P},
    StdGateInfo{"cphase", GateKind::CP},   StdGateInfo{"id", GateKind::I},        StdGateInfo{"u1", GateKind::U1},
    StdGateInfo{"u2", GateKind::U2},       StdGateInfo{"u3", GateKind::U3},
};

}  // namespace

std::span<const GateKind> qelib1_gates() noexcept { return kQelib1; }
std::span<const StdGateInfo> std_gates() noexcept { return kStdGates; }

Operation make_operation(GateKind kind, std::vector<Qubit> qubits, std::vector<Param> params) {
  Operation op;
  op.kind = kind;
  op.qubits = std::move(qubits);
  op.params = std::move(params);
  return op;
}

Operation make_phase(const PhaseSum& phase) {
  Operation op;
  op.kind = GateKind::GPhase;
  op.params = {phase.to_param()};
  return op;
}

}  // namespace qmlsim::qasm::detail

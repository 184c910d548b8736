#pragma once
/// Gates are data: a closed enum and a constexpr table of traits. Dispatch on GateKind uses a
/// `switch` without `default`, so the compiler flags a kind that was missed.
///
/// A gate's qubits are listed in its signature order, built-in controls first, then targets (cx:
/// control, target; ccx: c0, c1, target; crx: control, target). The *target matrix* acts on the
/// targets only and is indexed with the first target as the least significant bit (types.hpp).
/// Matrices are Qiskit's exactly, global phase included (see matrices.hpp).
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace qmlsim {

enum class GateKind : std::uint8_t {
  // one qubit, fixed
  I, X, Y, Z, H, S, Sdg, T, Tdg, SX, SXdg,
  // one qubit, parametric
  RX, RY, RZ, P, U1, U2, U3, U, U0,
  // zero qubits: global phase e^{i theta}; under controls, a phase on the controlled subspace
  GPhase,
  // two qubits
  CX, CY, CZ, CH, CSX, Swap, ISwap, ECR, DCX,
  CRX, CRY, CRZ, CP, CU1, CU3, CU,
  RXX, RYY, RZZ, RZX, XXPlusYY, XXMinusYY,
  // three and more
  CCX, CCZ, CSwap, RCCX, RC3X, C3X, C3SX, C4X,
  // a user-given unitary on 1..kMaxUnitaryQubits targets
  Unitary,
  // non-unitary
  Measure, Reset, Barrier,
};

inline constexpr int kNumGateKinds = static_cast<int>(GateKind::Barrier) + 1;
/// Largest user-given unitary (targets); fused gates use the same limit.
inline constexpr int kMaxUnitaryQubits = 6;
/// Most parameters of any gate (cu has four).
inline constexpr int kMaxGateParams = 4;

/// How the target matrix is structured, for choosing a kernel.
enum class MatrixShape : std::uint8_t {
  Dense,        // general
  Diagonal,     // diagonal for every parameter value
  Permutation,  // a 0/1 permutation matrix (x, swap)
  None,         // no matrix (measure, reset, barrier; gphase is a scalar)
};

struct GateInfo {
  std::string_view name;  // the OpenQASM 2 (qelib1.inc) / Qiskit name
  int num_qubits;         // qubits in the signature, built-in controls included (-1: variable)
  int num_controls;       // leading qubits that are controls
  int num_params;
  MatrixShape shape;
  bool unitary;           // false for measure and reset (barrier is a no-op, counted unitary)
  bool self_inverse;      // inverse() keeps the gate as it is (parameter-free gates only)
};

[[nodiscard]] constexpr GateInfo gate_info(GateKind kind) noexcept {
  using M = MatrixShape;
  switch (kind) {
    case GateKind::I: return {"id", 1, 0, 0, M::Diagonal, true, true};
    case GateKind::X: return {"x", 1, 0, 0, M::Permutation, true, true};
    case GateKind::Y: return {"y", 1, 0, 0, M::Dense, true, true};
    case GateKind::Z: return {"z", 1, 0, 0, M::Diagonal, true, true};
    case GateKind::H: return {"h", 1, 0, 0, M::Dense, true, true};
    case GateKind::S: return {"s", 1, 0, 0, M::Diagonal, true, false};
    case GateKind::Sdg: return {"sdg", 1, 0, 0, M::Diagonal, true, false};
    case GateKind::T: return {"t", 1, 0, 0, M::Diagonal, true, false};
    case GateKind::Tdg: return {"tdg", 1, 0, 0, M::Diagonal, true, false};
    case GateKind::SX: return {"sx", 1, 0, 0, M::Dense, true, false};
    case GateKind::SXdg: return {"sxdg", 1, 0, 0, M::Dense, true, false};
    case GateKind::RX: return {"rx", 1, 0, 1, M::Dense, true, false};
    case GateKind::RY: return {"ry", 1, 0, 1, M::Dense, true, false};
    case GateKind::RZ: return {"rz", 1, 0, 1, M::Diagonal, true, false};
    case GateKind::P: return {"p", 1, 0, 1, M::Diagonal, true, false};
    case GateKind::U1: return {"u1", 1, 0, 1, M::Diagonal, true, false};
    case GateKind::U2: return {"u2", 1, 0, 2, M::Dense, true, false};
    case GateKind::U3: return {"u3", 1, 0, 3, M::Dense, true, false};
    case GateKind::U: return {"u", 1, 0, 3, M::Dense, true, false};
    case GateKind::U0: return {"u0", 1, 0, 1, M::Diagonal, true, false};
    case GateKind::GPhase: return {"gphase", 0, 0, 1, M::None, true, false};
    case GateKind::CX: return {"cx", 2, 1, 0, M::Permutation, true, true};
    case GateKind::CY: return {"cy", 2, 1, 0, M::Dense, true, true};
    case GateKind::CZ: return {"cz", 2, 1, 0, M::Diagonal, true, true};
    case GateKind::CH: return {"ch", 2, 1, 0, M::Dense, true, true};
    case GateKind::CSX: return {"csx", 2, 1, 0, M::Dense, true, false};
    case GateKind::Swap: return {"swap", 2, 0, 0, M::Permutation, true, true};
    case GateKind::ISwap: return {"iswap", 2, 0, 0, M::Dense, true, false};
    case GateKind::ECR: return {"ecr", 2, 0, 0, M::Dense, true, true};
    case GateKind::DCX: return {"dcx", 2, 0, 0, M::Permutation, true, false};
    case GateKind::CRX: return {"crx", 2, 1, 1, M::Dense, true, false};
    case GateKind::CRY: return {"cry", 2, 1, 1, M::Dense, true, false};
    case GateKind::CRZ: return {"crz", 2, 1, 1, M::Diagonal, true, false};
    case GateKind::CP: return {"cp", 2, 1, 1, M::Diagonal, true, false};
    case GateKind::CU1: return {"cu1", 2, 1, 1, M::Diagonal, true, false};
    case GateKind::CU3: return {"cu3", 2, 1, 3, M::Dense, true, false};
    case GateKind::CU: return {"cu", 2, 1, 4, M::Dense, true, false};
    case GateKind::RXX: return {"rxx", 2, 0, 1, M::Dense, true, false};
    case GateKind::RYY: return {"ryy", 2, 0, 1, M::Dense, true, false};
    case GateKind::RZZ: return {"rzz", 2, 0, 1, M::Diagonal, true, false};
    case GateKind::RZX: return {"rzx", 2, 0, 1, M::Dense, true, false};
    case GateKind::XXPlusYY: return {"xx_plus_yy", 2, 0, 2, M::Dense, true, false};
    case GateKind::XXMinusYY: return {"xx_minus_yy", 2, 0, 2, M::Dense, true, false};
    case GateKind::CCX: return {"ccx", 3, 2, 0, M::Permutation, true, true};
    case GateKind::CCZ: return {"ccz", 3, 2, 0, M::Diagonal, true, true};
    case GateKind::CSwap: return {"cswap", 3, 1, 0, M::Permutation, true, true};
    case GateKind::RCCX: return {"rccx", 3, 0, 0, M::Dense, true, true};
    case GateKind::RC3X: return {"rc3x", 4, 0, 0, M::Dense, true, false};
    case GateKind::C3X: return {"c3x", 4, 3, 0, M::Permutation, true, true};
    case GateKind::C3SX: return {"c3sqrtx", 4, 3, 0, M::Dense, true, false};
    case GateKind::C4X: return {"c4x", 5, 4, 0, M::Permutation, true, true};
    case GateKind::Unitary: return {"unitary", -1, 0, 0, M::Dense, true, false};
    case GateKind::Measure: return {"measure", 1, 0, 0, M::None, false, false};
    case GateKind::Reset: return {"reset", 1, 0, 0, M::None, false, false};
    case GateKind::Barrier: return {"barrier", -1, 0, 0, M::None, true, true};
  }
  return {"?", 0, 0, 0, M::None, false, false};  // unreachable for valid enum values
}

/// Number of target qubits of a fixed-arity gate (qubits minus built-in controls).
[[nodiscard]] constexpr int gate_targets(GateKind kind) noexcept {
  const GateInfo info = gate_info(kind);
  return info.num_qubits - info.num_controls;
}

/// Every kind, in enum order (for tests and name lookup).
[[nodiscard]] constexpr std::array<GateKind, kNumGateKinds> all_gate_kinds() noexcept {
  std::array<GateKind, kNumGateKinds> kinds{};
  for (int k = 0; k < kNumGateKinds; ++k) kinds[static_cast<std::size_t>(k)] = static_cast<GateKind>(k);
  return kinds;
}

/// The kind with this qelib1/Qiskit name ("cx", "u3", "c3sqrtx", ...), if any. For the parser and
/// CLI edges; the library itself never dispatches on names.
[[nodiscard]] constexpr std::optional<GateKind> gate_kind_from_name(std::string_view name) noexcept {
  for (GateKind k : all_gate_kinds())
    if (gate_info(k).name == name) return k;
  return std::nullopt;
}

}  // namespace qmlsim

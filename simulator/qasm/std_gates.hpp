#pragma once
/// The built-in standard libraries (internal): OpenQASM 2's qelib1.inc and OpenQASM 3's
/// stdgates.inc.
///
/// qelib1.inc: each gate is the GateKind of the same name, with Qiskit's matrix exactly.
///
/// stdgates.inc is followed literally. Its gates are built on OpenQASM 3's U, which the
/// specification defines as U3(theta, phi, lambda) = e^{i(phi+lambda)/2} U_qiskit(theta, phi,
/// lambda) (so stdgates' `x`, U(pi, 0, pi) followed by gphase(-pi/2), is Pauli X exactly). Each
/// stdgates gate is emitted as the equivalent Qiskit kind plus exact phase corrections: a global
/// phase (a GPhase operation) and, for controlled gates whose target gate carries a phase, a phase
/// on the control (a GPhase controlled by it). For example (all exact):
///   h          = H . e^{i pi/4}               rx(t)  = RX(t) . e^{-i t/2}
///   rz(l)      = RZ(l) . e^{i l/2} (= P(l))   u3(t,p,l) = U3(t,p,l) . e^{-i t/2}
///   crx(t) a,b = CRX(t) a,b ; e^{-i t/2} on a = 1        CX a,b = CX a,b ; e^{i pi/2} on a = 1
/// The table is checked against the bodies of stdgates.inc expanded literally (tests).
#include <span>
#include <string_view>
#include <vector>

#include "simulator/gates/operation.hpp"
#include "simulator/qasm/expression.hpp"

namespace qmlsim::qasm::detail {

/// The gates of Qiskit's qelib1.inc, in its order.
[[nodiscard]] std::span<const GateKind> qelib1_gates() noexcept;

enum class StdGate : std::uint8_t {
  P, X, Y, Z, H, S, Sdg, T, Tdg, SX, RX, RY, RZ, CX, CY, CZ, CP, CRX, CRY, CRZ, CH, Swap, CCX, CSwap, CU,
  CNot,  // "CX" (upper case), OpenQASM 2 compatibility
  Phase, CPhase, Id, U1, U2, U3,
};

struct StdGateInfo {
  StdGate gate;
  std::string_view name;
  int num_params;
  int num_qubits;
};

/// Every gate of stdgates.inc, in the file's order.
[[nodiscard]] std::span<const StdGateInfo> std_gates() noexcept;

/// Appends the operations equivalent to stdgates' `gate` (see the header comment) on `qubits`.
void expand_std_gate(StdGate gate, std::span<const Value> params, std::span<const Qubit> qubits,
                     std::vector<Operation>& out);

/// Appends OpenQASM 3's built-in U(theta, phi, lambda) on `q`: the U kind and a global phase of
/// (phi + lambda) / 2.
void expand_u3(std::span<const Value> params, Qubit q, std::vector<Operation>& out);

/// The phase OpenQASM 3's U(theta, phi, lambda) has relative to Qiskit's U, as a linear
/// combination of the parameters: (phi + lambda) / 2.
[[nodiscard]] PhaseSum u3_phase(const Value& theta, const Value& phi, const Value& lambda);

/// The text of stdgates.inc (OpenQASM 3 standard library), for literal expansion.
[[nodiscard]] std::string_view stdgates_inc_text() noexcept;

/// Operation helpers.
[[nodiscard]] Operation make_operation(GateKind kind, std::vector<Qubit> qubits, std::vector<Param> params = {});
/// A GPhase of `phase`; controlled by `control` (phase applied where it is 1) unless it is < 0.
[[nodiscard]] Operation make_phase(const PhaseSum& phase, Qubit control = -1);

}  // namespace qmlsim::qasm::detail

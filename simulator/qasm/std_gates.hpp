#pragma once
/// The built-in standard libraries (internal): OpenQASM 2's qelib1.inc and OpenQASM 3's
/// stdgates.inc.
///
/// Both map each gate name to the GateKind of the same meaning, with Qiskit's matrix exactly,
/// global phase included: qelib1.inc's gates are Qiskit's qelib1.inc, stdgates.inc's are the
/// gates of those names in Qiskit's standard library (`crz` is controlled-RZ, `cu` has four
/// parameters with gamma on the control, `CX` is CNOT, `phase`/`cphase` are P/CP). OpenQASM 3's
/// built-in U is Qiskit's U. This departs from one literal reading of the specification's
/// stdgates.inc (whose bodies, with its `gphase` statements, would put phases on the controls of
/// crx, cry, crz, ch and cu): see "Phases in OpenQASM 3" in the README for why.
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "simulator/gates/operation.hpp"
#include "simulator/qasm/expression.hpp"

namespace qmlsim::qasm::detail {

/// The gates of Qiskit's qelib1.inc, in its order.
[[nodiscard]] std::span<const GateKind> qelib1_gates() noexcept;

/// One gate of stdgates.inc: its name there and the kind it means (arity and parameter count
/// are the kind's).
struct StdGateInfo {
  std::string_view name;
  GateKind kind;
};

/// Every gate of stdgates.inc, in the file's order.
[[nodiscard]] std::span<const StdGateInfo> std_gates() noexcept;

/// Operation helpers.
[[nodiscard]] Operation make_operation(GateKind kind, std::vector<Qubit> qubits, std::vector<Param> params = {});
/// A global phase e^{i phase} (a GPhase operation without controls).
[[nodiscard]] Operation make_phase(const PhaseSum& phase);

}  // namespace qmlsim::qasm::detail

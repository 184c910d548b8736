#pragma once
/// Circuit depth as Qiskit's QuantumCircuit.depth() counts it.
#include "simulator/circuit/circuit.hpp"

namespace qmlsim {

/// The length of the longest chain of operations in which each shares a qubit or classical bit
/// with the next (a measure writes its clbit, a condition reads its clbits): each gate, measure
/// and reset counts 1; a barrier counts 0 but aligns its qubits (what follows it starts after
/// everything before it on those qubits), and an operation on no qubit (gphase) is skipped, as
/// in Qiskit. 0 for an empty circuit.
[[nodiscard]] int circuit_depth(const Circuit& circuit);

}  // namespace qmlsim

#pragma once
/// Small dense unitaries of operation lists (internal): the matrix of a gate's expansion on its
/// own qubits, and principal matrix powers for `pow(k) @` with a non-integer k.
#include <span>

#include "simulator/gates/matrices.hpp"
#include "simulator/gates/operation.hpp"

namespace qmlsim::qasm::detail {

/// The 2^n x 2^n matrix of `ops` applied in order, on `qubits` (qubits[0] = matrix bit 0; every
/// qubit the operations touch must be listed; n <= kMaxUnitaryQubits). Barriers, id and u0 are
/// the identity. Throws InvalidArgument if an operation has a parameter that is not constant,
/// touches an unlisted qubit, or is not unitary.
[[nodiscard]] GateMatrix operations_matrix(std::span<const Operation> ops, std::span<const Qubit> qubits);

/// The principal power u^k of a unitary: u = Q diag(e^{i a_j}) Q^dagger with every a_j in
/// (-pi, pi] (by a complex Schur decomposition, which is diagonal for a normal matrix), and
/// u^k = Q diag(e^{i k a_j}) Q^dagger.
[[nodiscard]] GateMatrix principal_power(const GateMatrix& u, double k);

/// Writes u = e^{i alpha} U_qiskit(theta, phi, lambda) for a 2 x 2 unitary u.
struct ZyzAngles {
  double theta = 0, phi = 0, lambda = 0, alpha = 0;
};
[[nodiscard]] ZyzAngles zyz_decompose(const GateMatrix& u);

}  // namespace qmlsim::qasm::detail

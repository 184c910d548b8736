#pragma once
/// Target matrices of every gate, exactly as Qiskit defines them (global phase included).
/// A gate with built-in controls (cx, crx, ccx, cu, ...) has the matrix of what it applies to its
/// targets when all controls are 1: cx -> X, cu(theta, phi, lambda, gamma) -> e^{i gamma}
/// U(theta, phi, lambda). gphase has 0 targets and the 1 x 1 matrix [e^{i theta}].
/// Row-major, dimension 2^targets, index bit j = target j (first target least significant).
#include <span>
#include <vector>

#include "simulator/core/types.hpp"
#include "simulator/gates/gate_kind.hpp"

namespace qmlsim {

/// A small dense matrix on k qubits (dimension 2^k), row-major.
struct GateMatrix {
  int num_qubits = 0;
  std::vector<cdouble> data;

  [[nodiscard]] Index dim() const noexcept { return Index{1} << num_qubits; }
  [[nodiscard]] cdouble operator()(Index r, Index c) const noexcept { return data[r * dim() + c]; }
  [[nodiscard]] cdouble& operator()(Index r, Index c) noexcept { return data[r * dim() + c]; }
  [[nodiscard]] static GateMatrix identity(int num_qubits);
  [[nodiscard]] GateMatrix adjoint() const;
  [[nodiscard]] GateMatrix operator*(const GateMatrix& other) const;
  /// max |(U^dagger U - I)_{ij}|.
  [[nodiscard]] double unitarity_error() const;
  /// True if every off-diagonal entry is exactly zero.
  [[nodiscard]] bool is_diagonal() const noexcept;
};

/// Writes the 2^t x 2^t target matrix of `kind` (t = gate_targets(kind)) for parameter values
/// `params` (size gate_info(kind).num_params) into `out`. No allocation. Not for Unitary (its
/// matrix is the user's), measure, reset or barrier: those write nothing.
void fill_target_matrix(GateKind kind, std::span<const double> params, cdouble* out) noexcept;

/// Same as a value.
[[nodiscard]] GateMatrix target_matrix(GateKind kind, std::span<const double> params = {});

}  // namespace qmlsim

#pragma once
/// One application of a gate (or measure / reset / barrier) in a circuit.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "simulator/core/types.hpp"
#include "simulator/gates/gate_kind.hpp"
#include "simulator/gates/matrices.hpp"
#include "simulator/gates/param.hpp"

namespace qmlsim {

/// Classical condition: the operation runs only if clbits [first, first + width), read as an
/// unsigned integer with clbit `first` least significant, equal `value` (OpenQASM's if (c == v)).
struct Condition {
  int first_clbit = 0;
  int width = 0;
  std::uint64_t value = 0;
  friend bool operator==(const Condition&, const Condition&) = default;
};

/// Semantics:
/// - unitary kinds apply their target matrix (gate_info / matrices.hpp) to the targets when every
///   built-in control is 1 and every extra control equals its bit in `control_values`;
/// - GPhase multiplies the state by e^{i theta}; under extra controls, only the controlled part;
/// - Measure samples qubit `qubits[0]` in the Z basis, collapses and renormalises the state and
///   writes the outcome to clbit `clbit`;
/// - Reset measures `qubits[0]`, discards the outcome and brings the qubit to |0>;
/// - Barrier does nothing to the state;
/// - with a `condition`, the operation runs only when the classical bits match.
struct Operation {
  GateKind kind = GateKind::I;
  /// Signature order: built-in controls first, then targets. Unitary: its targets (first = matrix
  /// bit 0). Barrier: any qubits.
  std::vector<Qubit> qubits;
  std::vector<Param> params;
  /// Extra controls beyond the kind's own (ctrl @ / negctrl @): their qubit mask, and the value
  /// each must have (1 for a positive control, 0 for a negative one).
  Index control_mask = 0;
  Index control_values = 0;
  /// Unitary only: the user's matrix (immutable, shared between copies).
  std::shared_ptr<const GateMatrix> matrix;
  /// Measure only: the classical bit written.
  int clbit = -1;
  std::optional<Condition> condition;

  [[nodiscard]] const GateInfo& info() const noexcept;
  [[nodiscard]] std::string name() const { return std::string(gate_info(kind).name); }
  /// Number of built-in controls at the front of `qubits`.
  [[nodiscard]] int num_builtin_controls() const noexcept { return gate_info(kind).num_controls; }
  /// Target qubits (qubits after the built-in controls).
  [[nodiscard]] std::vector<Qubit> targets() const;
  /// Mask of every qubit the operation reads or writes (targets, built-in and extra controls).
  [[nodiscard]] Index qubit_mask() const noexcept;
  [[nodiscard]] bool is_parametric() const noexcept;
  [[nodiscard]] bool is_unitary() const noexcept { return gate_info(kind).unitary; }
};

}  // namespace qmlsim

#pragma once
/// The chain rule of a circuit's gradient, planned once from its structure and shared by every
/// gradient method (adjoint, parameter shift, finite differences: gradient_method.hpp).
///
/// For the selected parameters `wrt` (output slot s holds d/dtheta[wrt[s]]), the plan lists, in
/// record order, every gate angle that depends on a selected parameter: its record, which of the
/// gate's parameters it is, and its chain-rule terms (theta index -> output slot). The derivative
/// of an angle with respect to theta[index] comes from its Param (derivative()): the scale of an
/// affine angle, the compiled partial derivative of an expression. Angles whose gate does not
/// depend on them (u0's duration) and user unitaries are left out; an uncontrolled gphase has no
/// record of its own (its phase is folded into another record) and so no angle: a global phase is
/// not observable. A controlled gphase is a record like any gate.
///
/// The plan depends only on the circuit's structure, never on a binding: one plan serves every
/// row of a batch. check() refuses another circuit (by its fingerprint) and an unbound one.
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "simulator/execution/compiled_circuit.hpp"
#include "simulator/gates/param.hpp"

namespace qmlsim {

struct GradientPlan {
  /// d angle / d theta[index] adds into output slot `slot`.
  struct Term {
    std::int32_t index;
    std::int32_t slot;
  };
  /// One angle of a record that depends on a selected parameter: terms [first, last).
  struct Angle {
    std::uint32_t record;
    std::uint32_t param;  // which of the gate's parameters (0..3)
    std::uint32_t first;
    std::uint32_t last;
  };
  /// The angles of one record: angles [first_angle, last_angle) (empty for most records).
  struct Step {
    std::uint32_t first_angle;
    std::uint32_t last_angle;
  };

  std::vector<int> wrt;       // selected parameters, in output order
  std::vector<Step> steps;    // one per record
  std::vector<Angle> angles;  // in record order, then parameter order
  std::vector<Term> terms;
  std::size_t stop = 0;       // the earliest record with an angle (num_records when none)
  int num_qubits = 0;
  int num_parameters = 0;
  std::size_t num_records = 0;
  std::uint64_t fingerprint = 0;

  /// Plans for `circuit` (bound or not). Throws InvalidArgument for a circuit without a single
  /// final state (mid-circuit measurement, reset, condition: the reason is named, after
  /// `method`), and for a `wrt` index out of range or repeated (resolve_selection()).
  [[nodiscard]] static GradientPlan make(const CompiledCircuit& circuit, std::span<const int> wrt,
                                         std::string_view method);

  /// Throws InvalidArgument unless `circuit` is the planned circuit (same structure).
  void check_structure(const CompiledCircuit& circuit, std::string_view method) const;
  /// The same, and throws unless `bound` is bound.
  void check(const CompiledCircuit& bound, std::string_view method) const;

  /// d (angle `param` of the gate) / d theta[index] at theta.
  [[nodiscard]] static double derivative(const Param& param, std::span<const double> theta, int index) {
    return param.kind() == Param::Kind::Affine ? param.scale() : param.derivative(theta, index);
  }
};

/// The parameters a gradient is taken with respect to: `wrt` as given, or all of them.
/// Throws InvalidArgument for an index outside [0, num_parameters) or a repeated one.
[[nodiscard]] std::vector<int> resolve_selection(std::span<const int> wrt, int num_parameters);

}  // namespace qmlsim

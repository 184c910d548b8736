#include "simulator/circuit/circuit.hpp"

#include <algorithm>
#include <cmath>

#include "simulator/core/bits.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim {

Circuit::Circuit(int num_qubits, int num_clbits) : num_qubits_(num_qubits), num_clbits_(num_clbits) {
  check_range(num_qubits, 1, kMaxQubits, "circuit: number of qubits");
  check_range(num_clbits, 0, 1 << 20, "circuit: number of classical bits");
}

std::size_t Circuit::num_gates() const noexcept {
  return static_cast<std::size_t>(std::count_if(ops_.begin(), ops_.end(), [](const Operation& op) {
    return op.kind != GateKind::Barrier && op.kind != GateKind::Measure && op.kind != GateKind::Reset;
  }));
}

Circuit& Circuit::declare_parameters(int count) {
  check_non_negative(count, "circuit: parameter count");
  num_parameters_ = std::max(num_parameters_, count);
  return *this;
}

Circuit& Circuit::set_parameter_names(std::vector<std::string> names) {
  if (static_cast<int>(names.size()) < num_parameters_)
    throw InvalidArgument("circuit: " + plural(static_cast<int>(names.size()), "parameter name") + " for " +
                          plural(num_parameters_, "parameter"));
  num_parameters_ = static_cast<int>(names.size());
  names_ = std::move(names);
  return *this;
}

void Circuit::validate(const Operation& op) const {
  const GateInfo& info = op.info();
  const std::string name(info.name);
  const int nq = static_cast<int>(op.qubits.size());
  if (op.kind == GateKind::Unitary) {
    if (!op.matrix) throw InvalidArgument("unitary: no matrix given");
    const int k = op.matrix->num_qubits;
    check_range(k, 1, kMaxUnitaryQubits, "unitary: number of qubits");
    check_count(op.matrix->data.size(), op.matrix->dim() * op.matrix->dim(), "unitary", "matrix element");
    if (nq != k) throw InvalidArgument("unitary: a " + plural(k, "qubit") + " matrix applied to " + plural(nq, "qubit"));
    for (std::size_t i = 0; i < op.matrix->data.size(); ++i) {
      const cdouble z = op.matrix->data[i];
      const auto entry = [&] { return "unitary: matrix entry " + std::to_string(i); };
      check_finite(z.real(), [&] { return entry() + " (real part)"; });
      check_finite(z.imag(), [&] { return entry() + " (imaginary part)"; });
    }
    const double err = op.matrix->unitarity_error();
    if (!(err <= 1e-10))
      throw InvalidArgument("unitary: matrix is not unitary (max |U^dagger U - I| = " + format_number(err) + " > 1e-10)");
  } else if (info.num_qubits >= 0) {
    check_count(nq, info.num_qubits, name, "qubit");
  }
  check_count(op.params.size(), info.num_params, name, "parameter");
  const std::string qubit_what = name + ": qubit";
  Index seen = 0;
  for (Qubit q : op.qubits) {
    check_index(q, num_qubits_, qubit_what);
    if (seen & bit(q)) throw InvalidArgument(name + ": qubit " + std::to_string(q) + " used twice");
    seen |= bit(q);
  }
  if (op.control_mask != 0 || op.control_values != 0) {
    if (op.kind == GateKind::Measure || op.kind == GateKind::Reset || op.kind == GateKind::Barrier)
      throw InvalidArgument(name + ": cannot be controlled");
    if (op.control_mask >> num_qubits_)
      check_index(63 - std::countl_zero(op.control_mask), num_qubits_, name + ": control qubit");
    if (op.control_values & ~op.control_mask)
      throw InvalidArgument(name + ": control values set on qubits that are not controls");
    if (op.control_mask & seen)
      throw InvalidArgument(name + ": qubit " + std::to_string(std::countr_zero(op.control_mask & seen)) +
                            " is both a control and a target");
  }
  for (std::size_t j = 0; j < op.params.size(); ++j)
    if (op.params[j].is_constant()) check_finite(op.params[j].offset(), [&] { return name + ": parameter " + std::to_string(j); });
  if (op.kind == GateKind::Measure) check_index(op.clbit, num_clbits_, "measure: classical bit");
  if (op.condition) {
    const Condition& c = *op.condition;
    if (c.width < 1 || c.width > 64 || c.first_clbit < 0 || c.first_clbit > num_clbits_ - c.width)
      throw InvalidArgument(name + ": condition on classical bits " +
                            half_open_range(c.first_clbit, std::int64_t{c.first_clbit} + c.width) + " out of range " +
                            half_open_range(0, num_clbits_));
    if (c.width < 64 && (c.value >> c.width) != 0)
      throw InvalidArgument(name + ": condition value " + std::to_string(c.value) + " does not fit in " +
                            plural(c.width, "bit"));
  }
}

Circuit& Circuit::append(Operation op) {
  validate(op);
  for (const Param& p : op.params) num_parameters_ = std::max(num_parameters_, p.max_parameter() + 1);
  ops_.push_back(std::move(op));
  return *this;
}

Circuit& Circuit::append(const Circuit& other) {
  if (other.num_qubits_ > num_qubits_ || other.num_clbits_ > num_clbits_)
    throw InvalidArgument("circuit: cannot append a circuit on " + plural(other.num_qubits_, "qubit") + " and " +
                          plural(other.num_clbits_, "classical bit") + " to one on " + plural(num_qubits_, "qubit") +
                          " and " + plural(num_clbits_, "classical bit"));
  for (const Operation& op : other.ops_) append(op);
  num_parameters_ = std::max(num_parameters_, other.num_parameters_);
  return *this;
}

Circuit& Circuit::gate(GateKind kind, std::initializer_list<Qubit> qubits, std::initializer_list<Param> params) {
  return gate(kind, std::vector<Qubit>(qubits), std::vector<Param>(params));
}

Circuit& Circuit::gate(GateKind kind, std::vector<Qubit> qubits, std::vector<Param> params) {
  if (kind == GateKind::Unitary) throw InvalidArgument("unitary: use Circuit::unitary to give its matrix");
  Operation op;
  op.kind = kind;
  op.qubits = std::move(qubits);
  op.params = std::move(params);
  return append(std::move(op));
}

Circuit& Circuit::controlled(GateKind kind, std::vector<Qubit> controls, std::vector<Qubit> qubits,
                             std::vector<Param> params, std::vector<bool> control_values) {
  const std::string name(gate_info(kind).name);
  if (!control_values.empty() && control_values.size() != controls.size())
    throw InvalidArgument(name + ": " + plural(static_cast<int>(control_values.size()), "control value") + " for " +
                          plural(static_cast<int>(controls.size()), "control"));
  Operation op;
  op.kind = kind;
  op.qubits = std::move(qubits);
  op.params = std::move(params);
  for (std::size_t i = 0; i < controls.size(); ++i) {
    const Qubit q = controls[i];
    check_index(q, num_qubits_, [&] { return name + ": control qubit"; });
    if (op.control_mask & bit(q)) throw InvalidArgument(name + ": qubit " + std::to_string(q) + " used twice");
    op.control_mask |= bit(q);
    if (control_values.empty() || control_values[i]) op.control_values |= bit(q);
  }
  return append(std::move(op));
}

Circuit& Circuit::unitary(const GateMatrix& matrix, std::vector<Qubit> qubits) {
  Operation op;
  op.kind = GateKind::Unitary;
  op.qubits = std::move(qubits);
  op.matrix = std::make_shared<const GateMatrix>(matrix);
  return append(std::move(op));
}

Circuit& Circuit::measure(Qubit q, int clbit) {
  Operation op;
  op.kind = GateKind::Measure;
  op.qubits = {q};
  op.clbit = clbit;
  return append(std::move(op));
}

Circuit& Circuit::reset(Qubit q) { return gate(GateKind::Reset, {q}); }

Circuit& Circuit::barrier(std::vector<Qubit> qubits) {
  if (qubits.empty())
    for (Qubit q = 0; q < num_qubits_; ++q) qubits.push_back(q);
  return gate(GateKind::Barrier, std::move(qubits), {});
}

Circuit& Circuit::c_if(int first_clbit, int width, std::uint64_t value) {
  if (ops_.empty()) throw InvalidArgument("c_if: no operation to condition");
  Operation op = ops_.back();
  op.condition = Condition{first_clbit, width, value};
  validate(op);
  ops_.back() = std::move(op);
  return *this;
}

bool Circuit::is_unitary() const noexcept {
  return std::all_of(ops_.begin(), ops_.end(),
                     [](const Operation& op) { return op.is_unitary() && !op.condition; });
}

std::string Circuit::trajectory_reason() const {
  Index measured = 0;  // qubits measured so far
  for (const Operation& op : ops_) {
    if (op.kind == GateKind::Reset) return "reset on qubit " + std::to_string(op.qubits[0]);
    if (op.condition) return op.name() + " is conditioned on classical bits (if)";
    if (op.kind == GateKind::Barrier) continue;
    if (const Index reused = op.qubit_mask() & measured)
      return "qubit " + std::to_string(std::countr_zero(reused)) + " is measured and then used by " + op.name();
    if (op.kind == GateKind::Measure) measured |= bit(op.qubits[0]);
  }
  return "";
}

Operation inverse_operation(const Operation& op) {
  if (!op.is_unitary()) throw InvalidArgument(op.name() + ": has no inverse (not unitary)");
  if (op.condition) throw InvalidArgument(op.name() + ": a classically conditioned operation has no inverse");
  Operation inv = op;
  const auto& p = op.params;
  auto as_unitary = [&](const GateMatrix& adjoint_target) {
    // The adjoint of the target matrix, with the built-in controls moved to extra controls.
    const int nc = op.num_builtin_controls();
    for (int i = 0; i < nc; ++i) {
      inv.control_mask |= bit(op.qubits[static_cast<std::size_t>(i)]);
      inv.control_values |= bit(op.qubits[static_cast<std::size_t>(i)]);
    }
    inv.kind = GateKind::Unitary;
    inv.qubits = op.targets();
    inv.params.clear();
    inv.matrix = std::make_shared<const GateMatrix>(adjoint_target);
  };
  switch (op.kind) {
    case GateKind::S: inv.kind = GateKind::Sdg; break;
    case GateKind::Sdg: inv.kind = GateKind::S; break;
    case GateKind::T: inv.kind = GateKind::Tdg; break;
    case GateKind::Tdg: inv.kind = GateKind::T; break;
    case GateKind::SX: inv.kind = GateKind::SXdg; break;
    case GateKind::SXdg: inv.kind = GateKind::SX; break;
    case GateKind::CSX:
    case GateKind::C3SX:
      inv.kind = GateKind::SXdg;
      for (std::size_t i = 0; i + 1 < op.qubits.size(); ++i) {
        inv.control_mask |= bit(op.qubits[i]);
        inv.control_values |= bit(op.qubits[i]);
      }
      inv.qubits = {op.qubits.back()};
      break;
    case GateKind::RX:
    case GateKind::RY:
    case GateKind::RZ:
    case GateKind::P:
    case GateKind::U1:
    case GateKind::GPhase:
    case GateKind::CRX:
    case GateKind::CRY:
    case GateKind::CRZ:
    case GateKind::CP:
    case GateKind::CU1:
    case GateKind::RXX:
    case GateKind::RYY:
    case GateKind::RZZ:
    case GateKind::RZX: inv.params = {p[0].negated()}; break;
    case GateKind::U:
    case GateKind::U3:
    case GateKind::CU3: inv.params = {p[0].negated(), p[2].negated(), p[1].negated()}; break;
    case GateKind::U2:
      inv.kind = GateKind::U;
      inv.params = {Param(-kPi / 2), p[1].negated(), p[0].negated()};
      break;
    case GateKind::CU: inv.params = {p[0].negated(), p[2].negated(), p[1].negated(), p[3].negated()}; break;
    case GateKind::XXPlusYY:
    case GateKind::XXMinusYY: inv.params = {p[0].negated(), p[1]}; break;
    case GateKind::DCX: inv.qubits = {op.qubits[1], op.qubits[0]}; break;
    case GateKind::ISwap:
    case GateKind::RC3X: as_unitary(target_matrix(op.kind).adjoint()); break;
    case GateKind::Unitary: inv.matrix = std::make_shared<const GateMatrix>(op.matrix->adjoint()); break;
    case GateKind::I:
    case GateKind::X:
    case GateKind::Y:
    case GateKind::Z:
    case GateKind::H:
    case GateKind::U0:
    case GateKind::CX:
    case GateKind::CY:
    case GateKind::CZ:
    case GateKind::CH:
    case GateKind::Swap:
    case GateKind::ECR:
    case GateKind::CCX:
    case GateKind::CCZ:
    case GateKind::CSwap:
    case GateKind::RCCX:
    case GateKind::C3X:
    case GateKind::C4X:
    case GateKind::Barrier: break;
    case GateKind::Measure:
    case GateKind::Reset: break;  // rejected above
  }
  return inv;
}

Circuit Circuit::inverse() const {
  Circuit inv(num_qubits_, num_clbits_);
  inv.num_parameters_ = num_parameters_;
  inv.names_ = names_;
  for (auto it = ops_.rbegin(); it != ops_.rend(); ++it) inv.append(inverse_operation(*it));
  return inv;
}

}  // namespace qmlsim

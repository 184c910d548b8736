#include "simulator/qasm/emitter.hpp"

#include <algorithm>
#include <bit>
#include <string>

#include "simulator/core/errors.hpp"

#include "simulator/core/bits.hpp"

namespace qmlsim::qasm::detail {
namespace {

/// The kind `kind` becomes with `n` more positive controls, or itself if there is none.
GateKind controlled_kind(GateKind kind, int n) {
  using K = GateKind;
  switch (kind) {
    case K::X: return n == 1 ? K::CX : n == 2 ? K::CCX : n == 3 ? K::C3X : n == 4 ? K::C4X : kind;
    case K::CX: return n == 1 ? K::CCX : n == 2 ? K::C3X : n == 3 ? K::C4X : kind;
    case K::CCX: return n == 1 ? K::C3X : n == 2 ? K::C4X : kind;
    case K::C3X: return n == 1 ? K::C4X : kind;
    case K::Z: return n == 1 ? K::CZ : n == 2 ? K::CCZ : kind;
    case K::CZ: return n == 1 ? K::CCZ : kind;
    case K::SX: return n == 1 ? K::CSX : n == 3 ? K::C3SX : kind;
    case K::CSX: return n == 2 ? K::C3SX : kind;
    case K::Y: return n == 1 ? K::CY : kind;
    case K::H: return n == 1 ? K::CH : kind;
    case K::RX: return n == 1 ? K::CRX : kind;
    case K::RY: return n == 1 ? K::CRY : kind;
    case K::RZ: return n == 1 ? K::CRZ : kind;
    case K::P: return n == 1 ? K::CP : kind;
    case K::U1: return n == 1 ? K::CU1 : kind;
    case K::U3: return n == 1 ? K::CU3 : kind;
    case K::U: return n == 1 ? K::CU : kind;
    case K::Swap: return n == 1 ? K::CSwap : kind;
    default: return kind;
  }
}

bool same_controls(const Operation& a, const Operation& b) {
  return a.control_mask == b.control_mask && a.control_values == b.control_values && a.condition == b.condition;
}

}  // namespace

void normalize_controls(Operation& op) {
  if (op.control_mask == 0 || op.control_values != op.control_mask) return;
  const int n = std::popcount(op.control_mask);
  const GateKind kind = controlled_kind(op.kind, n);
  if (kind == op.kind) return;
  std::vector<Qubit> qubits;
  for (Qubit q = 0; q < 64; ++q)
    if (op.control_mask >> q & 1) qubits.push_back(q);
  qubits.insert(qubits.end(), op.qubits.begin(), op.qubits.end());
  if (op.kind == GateKind::U) op.params.emplace_back(0.0);  // cu's gamma
  op.kind = kind;
  op.qubits = std::move(qubits);
  op.control_mask = 0;
  op.control_values = 0;
}

void Emitter::reserve(std::uint64_t more, Location at) const {
  if (size() + more > max_operations_)
    throw SourceError{at, "circuit too large: more than " + std::to_string(max_operations_) +
                              " operations (Options::max_operations)"};
}

void Emitter::erase_operation(std::uint64_t index) {
  pending_.erase(pending_.begin() + static_cast<std::ptrdiff_t>(index - flushed_));
  for (auto* list : {&open_phases_, &conditioned_phases_})
    for (OpenPhase& other : *list)
      if (other.index > index) --other.index;
}

// Adds op's phase to the open phase with the same controls and condition, if there is one.
bool Emitter::merge_into(std::vector<OpenPhase>& open, const Operation& op) {
  for (std::size_t k = 0; k < open.size(); ++k) {
    Operation& target = pending_op(open[k].index);
    if (!same_controls(target, op)) continue;
    open[k].sum.add(op.params[0], 1.0);
    if (!open[k].sum.is_zero()) {
      target.params[0] = open[k].sum.to_param();
      return true;
    }
    const std::uint64_t index = open[k].index;  // the phases cancelled: drop the operation
    open.erase(open.begin() + static_cast<std::ptrdiff_t>(k));
    erase_operation(index);
    return true;
  }
  return false;
}

void Emitter::append(Operation op, Location at) {
  if (!circuit_ || circuit_->num_qubits() < num_qubits_ || circuit_->num_clbits() < num_clbits_) {
    // First operation, or registers declared since: a circuit of the sizes declared so far.
    Circuit bigger(std::max(num_qubits_, 1), num_clbits_);
    if (circuit_) bigger.append(*circuit_);
    circuit_ = std::move(bigger);
  }
  try {
    circuit_->append(std::move(op));
  } catch (const InvalidArgument& e) {
    throw SourceError{at, e.what()};
  }
}

void Emitter::flush(std::uint64_t up_to) {
  while (flushed_ < up_to && !pending_.empty()) {
    Pending p = std::move(pending_.front());
    pending_.pop_front();
    ++flushed_;
    append(std::move(p.op), p.at);
  }
}

void Emitter::emit(Operation op, Location at) {
  if (op.kind == GateKind::GPhase) {
    if (op.control_mask == 0 && !op.condition) {
      if (!has_global_) global_location_ = at;
      has_global_ = true;
      global_.add(op.params[0], 1.0);
      return;
    }
    std::vector<OpenPhase>& open = op.control_mask == 0 ? conditioned_phases_ : open_phases_;
    if (merge_into(open, op)) return;
    PhaseSum sum;
    sum.add(op.params[0], 1.0);
    if (sum.is_zero()) return;
    reserve(1, at);
    open.push_back({size(), std::move(sum)});
    pending_.push_back({std::move(op), at});
    return;
  }
  reserve(1, at);
  normalize_controls(op);
  open_phases_.clear();
  const std::uint64_t index = size();
  std::erase_if(conditioned_phases_, [&](const OpenPhase& p) {
    if (index - p.index > kConditionedWindow) return true;
    if (op.kind != GateKind::Measure) return false;
    const Condition& c = *pending_op(p.index).condition;
    return op.clbit >= c.first_clbit && op.clbit < c.first_clbit + c.width;
  });
  pending_.push_back({std::move(op), at});
  // Everything before the oldest open phase is settled.
  std::uint64_t keep = size();
  for (const OpenPhase& p : conditioned_phases_) keep = std::min(keep, p.index);
  flush(keep);
}

Circuit Emitter::finish(Location end) {
  flush(size());
  if (has_global_ && !global_.is_zero()) {
    Operation op;
    op.kind = GateKind::GPhase;
    op.params = {global_.to_param()};
    append(std::move(op), global_location_.file ? global_location_ : end);
  }
  if (!circuit_ || circuit_->num_qubits() < num_qubits_ || circuit_->num_clbits() < num_clbits_) {
    Circuit sized(std::max(num_qubits_, 1), num_clbits_);
    if (circuit_) sized.append(*circuit_);
    circuit_ = std::move(sized);
  }
  Circuit out = std::move(*circuit_);
  circuit_.reset();
  open_phases_.clear();
  conditioned_phases_.clear();
  has_global_ = false;
  global_ = PhaseSum();
  return out;
}

}  // namespace qmlsim::qasm::detail

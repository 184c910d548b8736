#include "simulator/gates/operation.hpp"

#include "simulator/core/bits.hpp"

namespace qmlsim {

const GateInfo& Operation::info() const noexcept {
  static constexpr auto kTable = [] {
    std::array<GateInfo, kNumGateKinds> t{};
    for (GateKind k : all_gate_kinds()) t[static_cast<std::size_t>(k)] = gate_info(k);
    return t;
  }();
  return kTable[static_cast<std::size_t>(kind)];
}

std::vector<Qubit> Operation::targets() const {
  const auto nc = static_cast<std::size_t>(num_builtin_controls());
  return {qubits.begin() + static_cast<std::ptrdiff_t>(std::min(nc, qubits.size())), qubits.end()};
}

Index Operation::qubit_mask() const noexcept {
  Index mask = control_mask;
  for (Qubit q : qubits) mask |= bit(q);
  return mask;
}

bool Operation::is_parametric() const noexcept {
  for (const Param& p : params)
    if (!p.is_constant()) return true;
  return false;
}

}  // namespace qmlsim

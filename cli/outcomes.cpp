#include "cli/outcomes.hpp"

#include "simulator/core/errors.hpp"
#include "simulator/execution/outcomes.hpp"

namespace qmlsim::cli {

OutcomeLayout outcome_layout(const Circuit& circuit, const std::vector<qasm::Register>& cregs) {
  OutcomeLayout layout;
  if (circuit.num_clbits() > 64 && has_measurement(circuit))
    throw InvalidArgument("the circuit has " + std::to_string(circuit.num_clbits()) +
                          " classical bits; at most 64 can be read out");
  if (!has_measurement(circuit)) {
    layout.groups.push_back(qasm::Register{"q", 0, circuit.num_qubits()});
    layout.width = circuit.num_qubits();
    return layout;
  }
  layout.groups = cregs;
  if (layout.groups.empty()) layout.groups.push_back(qasm::Register{"c", 0, circuit.num_clbits()});
  for (const auto& g : layout.groups) layout.width += g.size;
  return layout;
}

std::string format_outcome(Index outcome, const OutcomeLayout& layout) {
  std::string key;
  for (auto g = layout.groups.rbegin(); g != layout.groups.rend(); ++g) {
    if (!key.empty()) key += ' ';
    for (int b = g->size - 1; b >= 0; --b) key += ((outcome >> (g->offset + b)) & 1U) ? '1' : '0';
  }
  return key;
}

}  // namespace qmlsim::cli

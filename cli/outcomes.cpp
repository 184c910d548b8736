#include "cli/outcomes.hpp"

#include "simulator/core/errors.hpp"
#include "simulator/core/validate.hpp"
#include "simulator/execution/outcomes.hpp"

namespace qmlsim::cli {

OutcomeLayout outcome_layout(const Circuit& circuit, const std::vector<qasm::Register>& cregs) {
  OutcomeLayout layout;
  // An outcome is one 64-bit key.
  if (has_measurement(circuit)) check_range(circuit.num_clbits(), 0, 64, "outcomes: number of classical bits");
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

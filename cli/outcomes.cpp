#include "cli/outcomes.hpp"

#include <algorithm>
#include <bit>

#include "simulator/core/bits.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim::cli {
bool has_measurement(const Circuit& circuit) noexcept {
  return std::any_of(circuit.operations().begin(), circuit.operations().end(),
                     [](const Operation& op) { return op.kind == GateKind::Measure; });
}

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

Index TerminalMeasurements::clbit_key(Index distinct_outcome) const noexcept {
  Index key = 0;
  for (std::size_t j = 0; j < clbits.size(); ++j) key |= ((distinct_outcome >> positions[j]) & 1U) << clbits[j];
  return key;
}

TerminalMeasurements terminal_measurements(const Circuit& circuit) {
  TerminalMeasurements m;
  for (const Operation& op : circuit.operations()) {
    if (op.kind != GateKind::Measure) continue;
    const auto same_bit = std::find(m.clbits.begin(), m.clbits.end(), op.clbit);
    if (same_bit != m.clbits.end()) {  // a later measurement into the same bit wins
      m.qubits.erase(m.qubits.begin() + (same_bit - m.clbits.begin()));
      m.clbits.erase(same_bit);
    }
    m.qubits.push_back(op.qubits[0]);
    m.clbits.push_back(op.clbit);
  }
  for (Qubit q : m.qubits) {
    auto it = std::find(m.distinct.begin(), m.distinct.end(), q);
    if (it == m.distinct.end()) it = m.distinct.insert(it, q);
    m.positions.push_back(static_cast<int>(it - m.distinct.begin()));
  }
  return m;
}

template <class R>
std::vector<std::pair<Index, double>> top_measured_outcomes(const StateVector<R>& state,
                                                            const TerminalMeasurements& measured, std::size_t k,
                                                            const MemoryLimit& memory) {
  const std::vector<double> p = state.marginal_probabilities(measured.distinct, memory);
  // Ranked by key (not by the marginal's index), so ties break in the documented order.
  return top_k<double>(
      static_cast<Index>(p.size()), k, [&](Index i) { return std::pair{measured.clbit_key(i), p[i]}; },
      memory.remaining_after(p.size() * sizeof(double)));
}

template <class R>
Counts sample_measured(const StateVector<R>& state, const TerminalMeasurements& measured, std::uint64_t shots,
                       std::uint64_t seed, const MemoryLimit& memory) {
  if (measured.distinct.empty()) return sample_counts(state, shots, seed, memory);
  Counts out;
  for (const auto& [outcome, k] : sample_counts(state, measured.distinct, shots, seed, memory))
    out[measured.clbit_key(outcome)] += k;
  return out;
}

std::vector<std::pair<Index, std::uint64_t>> top_counts(const Counts& counts, std::size_t k) {
  std::vector<std::pair<Index, std::uint64_t>> all(counts.begin(), counts.end());
  return top_k<std::uint64_t>(static_cast<Index>(all.size()), k, [&](Index i) { return all[i]; });
}

template std::vector<std::pair<Index, double>> top_measured_outcomes<double>(const StateVector<double>&,
                                                                             const TerminalMeasurements&,
                                                                             std::size_t, const MemoryLimit&);
template std::vector<std::pair<Index, double>> top_measured_outcomes<float>(const StateVector<float>&,
                                                                            const TerminalMeasurements&,
                                                                            std::size_t, const MemoryLimit&);
template Counts sample_measured<double>(const StateVector<double>&, const TerminalMeasurements&, std::uint64_t,
                                        std::uint64_t, const MemoryLimit&);
template Counts sample_measured<float>(const StateVector<float>&, const TerminalMeasurements&, std::uint64_t,
                                       std::uint64_t, const MemoryLimit&);

}  // namespace qmlsim::cli

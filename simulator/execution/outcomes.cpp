#include "simulator/execution/outcomes.hpp"

#include <algorithm>

#include "simulator/core/errors.hpp"

namespace qmlsim {

template <class R>
std::vector<Outcome> top_outcomes(const StateVector<R>& state, std::size_t k, const MemoryLimit& memory) {
  // The ranking's pairs, then the result beside them: 32 bytes per outcome at the peak.
  const auto kept = static_cast<std::uint64_t>(std::min<Index>(k, state.size()));
  ensure_memory(kept * (sizeof(std::pair<Index, double>) + sizeof(Outcome)),
                "the " + std::to_string(kept) + " most likely outcomes", memory);
  const auto best =
      top_k<double>(state.size(), k, [&](Index i) { return std::pair{i, probability_of(state, i)}; }, memory);
  std::vector<Outcome> out;
  out.reserve(best.size());
  for (const auto& [i, p] : best) out.push_back({i, p});
  return out;
}

bool has_measurement(const Circuit& circuit) noexcept {
  return std::any_of(circuit.operations().begin(), circuit.operations().end(),
                     [](const Operation& op) { return op.kind == GateKind::Measure; });
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
                                                            const MemoryLimit& memory, const Parallelism& par) {
  if (measured.distinct.empty())
    return top_k<double>(state.size(), k, [&](Index i) { return std::pair{i, probability_of(state, i)}; }, memory);
  const std::vector<double> p = state.marginal_probabilities(measured.distinct, memory, par);
  // Ranked by key (not by the marginal's index), so ties break in the documented order.
  return top_k<double>(
      static_cast<Index>(p.size()), k, [&](Index i) { return std::pair{measured.clbit_key(i), p[i]}; },
      memory.remaining_after(p.size() * sizeof(double)));
}

template <class R>
Counts sample_measured(const StateVector<R>& state, const TerminalMeasurements& measured, std::uint64_t shots,
                       std::uint64_t seed, const MemoryLimit& memory, const Parallelism& par) {
  if (measured.distinct.empty()) return sample_counts(state, shots, seed, memory, par);
  Counts out;
  for (const auto& [outcome, k] : sample_counts(state, measured.distinct, shots, seed, memory, par))
    out[measured.clbit_key(outcome)] += k;
  return out;
}

std::vector<std::pair<Index, std::uint64_t>> top_counts(const Counts& counts, std::size_t k) {
  std::vector<std::pair<Index, std::uint64_t>> all(counts.begin(), counts.end());
  return top_k<std::uint64_t>(static_cast<Index>(all.size()), k, [&](Index i) { return all[i]; });
}

template std::vector<Outcome> top_outcomes<double>(const StateVector<double>&, std::size_t, const MemoryLimit&);
template std::vector<Outcome> top_outcomes<float>(const StateVector<float>&, std::size_t, const MemoryLimit&);
template std::vector<std::pair<Index, double>> top_measured_outcomes<double>(const StateVector<double>&,
                                                                             const TerminalMeasurements&,
                                                                             std::size_t, const MemoryLimit&,
                                                                             const Parallelism&);
template std::vector<std::pair<Index, double>> top_measured_outcomes<float>(const StateVector<float>&,
                                                                            const TerminalMeasurements&,
                                                                            std::size_t, const MemoryLimit&,
                                                                            const Parallelism&);
template Counts sample_measured<double>(const StateVector<double>&, const TerminalMeasurements&, std::uint64_t,
                                        std::uint64_t, const MemoryLimit&, const Parallelism&);
template Counts sample_measured<float>(const StateVector<float>&, const TerminalMeasurements&, std::uint64_t,
                                       std::uint64_t, const MemoryLimit&, const Parallelism&);

}  // namespace qmlsim

#pragma once
/// Measurement outcomes as `qmlsim run` prints them.
///
/// Keys: a circuit that measures is read out over its classical bits (Simulator::sample's
/// outcome: bit j = clbit j), printed in Qiskit's count-key format: the registers in REVERSE
/// declaration order, separated by single spaces, each register's bits with its highest bit
/// leftmost. With cregs c[2], d[1], c = 01 (c[0] = 1) and d = 1, the key is "1 01". A circuit
/// without measurement is read out over all its qubits: an n-bit string, qubit n-1 leftmost.
///
/// Terminal measurements: when no measured qubit is touched again (Circuit::needs_trajectories()
/// is false), the classical outcome is a function of the measured qubits' outcome, so its exact
/// distribution is a marginal of the final state, and sampling it means sampling those qubits.
/// The rule for a bit measured twice is Simulator::sample's: the last measurement into a bit wins.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <queue>
#include <span>
#include <string>
#include <vector>

#include "simulator/circuit/circuit.hpp"
#include "simulator/core/memory.hpp"
#include "simulator/core/state_vector.hpp"
#include "simulator/execution/sampling.hpp"
#include "simulator/execution/simulator.hpp"
#include "simulator/qasm/qasm.hpp"

namespace qmlsim::cli {

/// "a before b" in a ranked list of (key, value): larger value first, then smaller key.
template <class V>
bool ranks_before(const std::pair<Index, V>& a, const std::pair<Index, V>& b) noexcept {
  return a.second > b.second || (a.second == b.second && a.first < b.first);
}

/// The k best of `count` (key, value) pairs produced by item(i), best first. O(count log k).
template <class V, class Item>
std::vector<std::pair<Index, V>> top_k(Index count, std::size_t k, Item item) {
  k = static_cast<std::size_t>(std::min<Index>(k, count));
  std::vector<std::pair<Index, V>> out;
  if (k == 0) return out;
  // Max-heap under ranks_before: its top is the worst pair kept so far.
  std::priority_queue<std::pair<Index, V>, std::vector<std::pair<Index, V>>, decltype(&ranks_before<V>)> kept(
      &ranks_before<V>);
  for (Index i = 0; i < count; ++i) {
    const std::pair<Index, V> p = item(i);
    if (kept.size() < k) {
      kept.push(p);
    } else if (ranks_before(p, kept.top())) {
      kept.pop();
      kept.push(p);
    }
  }
  out.reserve(k);
  for (; !kept.empty(); kept.pop()) out.push_back(kept.top());
  std::reverse(out.begin(), out.end());
  return out;
}


/// How outcome integers print: groups of consecutive bits (registers), in declaration order.
struct OutcomeLayout {
  std::vector<qasm::Register> groups;
  int width = 0;  // total number of bits
};

/// The layout of `circuit`'s outcomes: its classical registers `cregs` when it measures (one
/// unnamed register of all clbits when `cregs` is empty), else one group of all qubits. Throws
/// InvalidArgument when a measuring circuit has more than 64 classical bits.
[[nodiscard]] OutcomeLayout outcome_layout(const Circuit& circuit, const std::vector<qasm::Register>& cregs);

/// The printed key of `outcome` (see the header comment).
[[nodiscard]] std::string format_outcome(Index outcome, const OutcomeLayout& layout);

/// True if the circuit has a measure operation.
[[nodiscard]] bool has_measurement(const Circuit& circuit) noexcept;

/// Which qubit each classical bit holds at the end of a circuit without mid-circuit measurement.
struct TerminalMeasurements {
  std::vector<Qubit> qubits;  // qubits[k] is measured into clbits[k]
  std::vector<int> clbits;
  std::vector<Qubit> distinct;  // the measured qubits, each once, in first-appearance order
  std::vector<int> positions;   // positions[k]: where qubits[k] is in `distinct`

  /// The classical outcome for an outcome of `distinct` (bit j = distinct[j]).
  [[nodiscard]] Index clbit_key(Index distinct_outcome) const noexcept;
};

[[nodiscard]] TerminalMeasurements terminal_measurements(const Circuit& circuit);

/// The exact distribution of the classical outcome: the `k` most likely outcomes (by probability
/// descending, then key ascending), as (key, probability) pairs. Needs 2^m doubles for m
/// distinct measured qubits (checked against `memory`).
template <class R>
[[nodiscard]] std::vector<std::pair<Index, double>> top_measured_outcomes(const StateVector<R>& state,
                                                                          const TerminalMeasurements& measured,
                                                                          std::size_t k, const MemoryLimit& memory);

/// Counts of `shots` readouts of the measured bits, sampled from the final state: the same draws
/// as Simulator::sample for this circuit and seed.
template <class R>
[[nodiscard]] Counts sample_measured(const StateVector<R>& state, const TerminalMeasurements& measured,
                                     std::uint64_t shots, std::uint64_t seed);

/// The `k` largest counts, by count descending then key ascending.
[[nodiscard]] std::vector<std::pair<Index, std::uint64_t>> top_counts(const Counts& counts, std::size_t k);

}  // namespace qmlsim::cli

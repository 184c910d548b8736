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

/// The k best of `count` (key, value) pairs produced by item(i), best first. O(count log k) time;
/// one vector of min(k, count) pairs, checked against `memory` first (ResourceError).
template <class V, class Item>
std::vector<std::pair<Index, V>> top_k(Index count, std::size_t k, Item item, const MemoryLimit& memory = {}) {
  using Pair = std::pair<Index, V>;
  k = static_cast<std::size_t>(std::min<Index>(k, count));
  std::vector<Pair> kept;
  if (k == 0) return kept;
  ensure_memory(static_cast<std::uint64_t>(k) * sizeof(Pair), "the " + std::to_string(k) + " most likely outcomes",
                memory);
  kept.reserve(k);  // exactly k: no growth past it
  // A heap under ranks_before: its front is the worst pair kept so far. Sorting the heap in place
  // at the end gives best first without a second vector.
  for (Index i = 0; i < count; ++i) {
    const Pair p = item(i);
    if (kept.size() < k) {
      kept.push_back(p);
      std::push_heap(kept.begin(), kept.end(), &ranks_before<V>);
    } else if (ranks_before(p, kept.front())) {
      std::pop_heap(kept.begin(), kept.end(), &ranks_before<V>);
      kept.back() = p;
      std::push_heap(kept.begin(), kept.end(), &ranks_before<V>);
    }
  }
  std::sort_heap(kept.begin(), kept.end(), &ranks_before<V>);
  return kept;
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
/// distinct measured qubits and min(k, 2^m) pairs, each checked against `memory` (the budget
/// left beside the state: MemoryLimit::remaining_after) before allocating.
template <class R>
[[nodiscard]] std::vector<std::pair<Index, double>> top_measured_outcomes(const StateVector<R>& state,
                                                                          const TerminalMeasurements& measured,
                                                                          std::size_t k, const MemoryLimit& memory);

/// Counts of `shots` readouts of the measured bits, sampled from the final state: the same draws
/// as Simulator::sample for this circuit and seed. Scratch as sample_counts(), checked against
/// `memory`.
template <class R>
[[nodiscard]] Counts sample_measured(const StateVector<R>& state, const TerminalMeasurements& measured,
                                     std::uint64_t shots, std::uint64_t seed, const MemoryLimit& memory = {});

/// The `k` largest counts, by count descending then key ascending.
[[nodiscard]] std::vector<std::pair<Index, std::uint64_t>> top_counts(const Counts& counts, std::size_t k);

}  // namespace qmlsim::cli

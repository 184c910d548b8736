#pragma once
/// Which outcomes are likely: ranking basis states of a final state by probability, the exact
/// distribution and samples of a circuit's terminal measurements, and ranking sampled counts.
/// What `qmlsim run` shows as a circuit's outcomes; a classifier's readout needs the same.
///
/// Outcomes are integers. Over a state: the basis-state index (bit q = qubit q). Over a circuit
/// that measures: the classical outcome (bit j = clbit j), as Simulator::sample gives it.
/// Rankings put the larger value first and, among equal values, the smaller outcome first, so
/// they do not depend on the thread count or the order of work.
///
/// Terminal measurements: when no measured qubit is touched again (Circuit::needs_trajectories()
/// is false), the classical outcome is a function of the measured qubits' outcome, so its exact
/// distribution is a marginal of the final state, and sampling it means sampling those qubits.
/// The rule for a bit measured twice is Simulator::sample's: the last measurement into a bit wins.
///
/// Memory: every function that allocates in proportion to k, 2^m or the shots asks the memory
/// guard first (ResourceError); a caller holding the state passes memory.remaining_after(its bytes).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "simulator/circuit/circuit.hpp"
#include "simulator/core/memory.hpp"
#include "simulator/core/parallel.hpp"
#include "simulator/core/state_vector.hpp"
#include "simulator/core/types.hpp"
#include "simulator/execution/sampling.hpp"

namespace qmlsim {

/// |state[i]|^2, computed in double whatever R is. No range check: i < state.size().
template <class R>
[[nodiscard]] double probability_of(const StateVector<R>& state, Index i) noexcept {
  const double re = state[i].real(), im = state[i].imag();
  return re * re + im * im;
}

/// "a before b" in a ranked list of (key, value): larger value first, then smaller key.
template <class V>
[[nodiscard]] bool ranks_before(const std::pair<Index, V>& a, const std::pair<Index, V>& b) noexcept {
  return a.second > b.second || (a.second == b.second && a.first < b.first);
}

/// The k best of `count` (key, value) pairs produced by item(i), best first (ranks_before).
/// O(count log k) time; one vector of min(k, count) pairs, checked against `memory` first
/// (ResourceError "the k most likely outcomes need ...").
template <class V, class Item>
[[nodiscard]] std::vector<std::pair<Index, V>> top_k(Index count, std::size_t k, Item item,
                                                     const MemoryLimit& memory = {}) {
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

/// A basis state and its probability.
struct Outcome {
  Index index = 0;
  double probability = 0.0;
};

/// The `k` most likely basis states of `state` (k is clamped to 2^n), by probability descending
/// then index ascending; probabilities in double (probability_of). One pass over the amplitudes,
/// O(2^n log k) time; 32 bytes per outcome kept (the ranking and the result), checked against
/// `memory` before allocating (ResourceError).
template <class R>
[[nodiscard]] std::vector<Outcome> top_outcomes(const StateVector<R>& state, std::size_t k,
                                                const MemoryLimit& memory = {});

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

/// The measurements of `circuit`, a later one into the same bit replacing an earlier one. Meant
/// for circuits whose needs_trajectories() is false (it does not look at what follows a measure).
[[nodiscard]] TerminalMeasurements terminal_measurements(const Circuit& circuit);

/// The exact distribution of the classical outcome: the `k` most likely outcomes (by probability
/// descending, then key ascending), as (key, probability) pairs. Needs 2^m doubles for m
/// distinct measured qubits and min(k, 2^m) pairs, each checked against `memory` (the budget
/// left beside the state) before allocating. With no measurement, like sample_measured, the
/// outcomes of all qubits (basis-state indices), ranked in one pass without the 2^n marginal.
/// The marginal's pass over the amplitudes runs under `par`.
template <class R>
[[nodiscard]] std::vector<std::pair<Index, double>> top_measured_outcomes(const StateVector<R>& state,
                                                                          const TerminalMeasurements& measured,
                                                                          std::size_t k, const MemoryLimit& memory,
                                                                          const Parallelism& par = {});

/// Counts of `shots` readouts of the measured bits, sampled from the final state: the same draws
/// as Simulator::sample for this circuit and seed. With no measurement, the outcomes of all
/// qubits (sample_counts). Scratch as sample_counts(), checked against `memory`; the pass over
/// the amplitudes runs under `par` (the counts do not depend on it).
template <class R>
[[nodiscard]] Counts sample_measured(const StateVector<R>& state, const TerminalMeasurements& measured,
                                     std::uint64_t shots, std::uint64_t seed, const MemoryLimit& memory = {},
                                     const Parallelism& par = {});

/// The `k` largest counts, by count descending then key ascending. Copies the counts once.
[[nodiscard]] std::vector<std::pair<Index, std::uint64_t>> top_counts(const Counts& counts, std::size_t k);

}  // namespace qmlsim

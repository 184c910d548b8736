#include "simulator/execution/simulator.hpp"

#include "simulator/core/bits.hpp"
#include "simulator/core/errors.hpp"

namespace qmlsim {

namespace {

// One outcome over all qubits, drawn with `rng` by a serial walk (used once per trajectory).
template <class R>
Index sample_one(const StateVector<R>& state, Rng& rng) {
  const double u = rng.uniform() * state.norm_squared();
  double cum = 0.0;
  Index last = 0;
  for (Index i = 0; i < state.size(); ++i) {
    const double p = static_cast<double>(std::norm(state[i]));
    if (p == 0.0) continue;
    last = i;
    cum += p;
    if (u < cum) return i;
  }
  return last;  // rounding left u just past the total
}

}  // namespace

template <class R>
void Simulator::check_state_run(const CompiledCircuit& compiled) const {
  if (compiled.circuit().needs_trajectories())
    throw InvalidArgument(
        "circuit has a mid-circuit measurement, reset or classical condition: it has no single final state; "
        "sample it shot by shot instead");
}

template <class R>
StateVector<R> Simulator::run(const Circuit& circuit, std::span<const double> theta) const {
  CompiledCircuit compiled(circuit);
  if (circuit.num_parameters() > 0 || !theta.empty()) compiled.bind(theta);
  return run<R>(compiled);
}

template <class R>
StateVector<R> Simulator::run(const CompiledCircuit& compiled) const {
  check_state_run<R>(compiled);
  StateVector<R> state(compiled.num_qubits(), options_.parallel, options_.memory);
  compiled.apply(state);
  return state;
}

template <class R>
void Simulator::apply(const CompiledCircuit& compiled, StateVector<R>& state) const {
  check_state_run<R>(compiled);
  compiled.apply(state);
}

template <class R>
Shot<R> Simulator::run_shot(const Circuit& circuit, std::span<const double> theta, std::uint64_t seed,
                            std::uint64_t shot_index) const {
  CompiledCircuit compiled(circuit);
  if (circuit.num_parameters() > 0 || !theta.empty()) compiled.bind(theta);
  Shot<R> shot{StateVector<R>(circuit.num_qubits(), options_.parallel, options_.memory),
               std::vector<std::uint8_t>(static_cast<std::size_t>(circuit.num_clbits()), 0)};
  Rng rng(seed, shot_index);
  compiled.apply(shot.state, Classical{&rng, &shot.clbits});
  return shot;
}

template <class R>
Counts Simulator::sample(const Circuit& circuit, std::span<const double> theta, std::uint64_t shots,
                         std::uint64_t seed) const {
  CompiledCircuit compiled(circuit);
  if (circuit.num_parameters() > 0 || !theta.empty()) compiled.bind(theta);
  // Which qubit each classical bit finally holds (terminal measurements).
  std::vector<Qubit> measured_qubits;
  std::vector<int> measured_clbits;
  for (const Operation& op : circuit.operations()) {
    if (op.kind != GateKind::Measure) continue;
    for (std::size_t j = 0; j < measured_clbits.size(); ++j)
      if (measured_clbits[j] == op.clbit) {  // a later measurement into the same bit wins
        measured_clbits.erase(measured_clbits.begin() + static_cast<std::ptrdiff_t>(j));
        measured_qubits.erase(measured_qubits.begin() + static_cast<std::ptrdiff_t>(j));
        break;
      }
    measured_qubits.push_back(op.qubits[0]);
    measured_clbits.push_back(op.clbit);
  }
  for (int b : measured_clbits)
    if (b >= 64) throw InvalidArgument("sampling supports classical bits 0 to 63; clbit " + std::to_string(b) + " is measured");
  if (!circuit.needs_trajectories()) {
    StateVector<R> state = run<R>(compiled);
    if (measured_qubits.empty()) return sample_counts(state, shots, seed);
    // A qubit measured into several bits gives the same outcome in each: sample distinct qubits.
    std::vector<Qubit> distinct;
    for (Qubit q : measured_qubits)
      if (std::find(distinct.begin(), distinct.end(), q) == distinct.end()) distinct.push_back(q);
    Counts by_qubit = sample_counts(state, distinct, shots, seed), out;
    for (const auto& [o, k] : by_qubit) {
      Index key = 0;
      for (std::size_t j = 0; j < measured_qubits.size(); ++j) {
        const auto pos = static_cast<std::size_t>(std::find(distinct.begin(), distinct.end(), measured_qubits[j]) - distinct.begin());
        key |= ((o >> pos) & 1U) << measured_clbits[j];
      }
      out[key] += k;
    }
    return out;
  }
  if (circuit.num_clbits() > 64) throw InvalidArgument("sampling supports at most 64 classical bits");
  // Shot by shot: the part before the first measurement, reset or condition is computed once.
  ensure_state_memory(circuit.num_qubits(), sizeof(R), 2, options_.memory, "shot-by-shot sampling");
  StateVector<R> start(circuit.num_qubits(), options_.parallel, options_.memory);
  compiled.apply(start, {}, 0, compiled.deterministic_prefix());
  StateVector<R> state(start);
  std::vector<std::uint8_t> clbits(static_cast<std::size_t>(circuit.num_clbits()));
  Counts out;
  for (std::uint64_t s = 0; s < shots; ++s) {
    state.assign(start);
    std::fill(clbits.begin(), clbits.end(), 0);
    Rng rng(seed, s);
    compiled.apply(state, Classical{&rng, &clbits}, compiled.deterministic_prefix());
    if (measured_qubits.empty()) {
      ++out[sample_one(state, rng)];  // nothing measured: read out every qubit at the end
      continue;
    }
    Index key = 0;
    for (std::size_t b = 0; b < clbits.size(); ++b) key |= static_cast<Index>(clbits[b] & 1U) << b;
    ++out[key];
  }
  return out;
}

#define QMLSIM_INSTANTIATE(R)                                                                        \
  template StateVector<R> Simulator::run<R>(const Circuit&, std::span<const double>) const;          \
  template StateVector<R> Simulator::run<R>(const CompiledCircuit&) const;                           \
  template void Simulator::apply<R>(const CompiledCircuit&, StateVector<R>&) const;                  \
  template Shot<R> Simulator::run_shot<R>(const Circuit&, std::span<const double>, std::uint64_t,    \
                                          std::uint64_t) const;                                      \
  template Counts Simulator::sample<R>(const Circuit&, std::span<const double>, std::uint64_t,       \
                                       std::uint64_t) const;
QMLSIM_INSTANTIATE(double)
QMLSIM_INSTANTIATE(float)
#undef QMLSIM_INSTANTIATE

}  // namespace qmlsim

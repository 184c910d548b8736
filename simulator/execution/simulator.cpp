#include "simulator/execution/simulator.hpp"

#include "simulator/core/bits.hpp"
#include "simulator/core/validate.hpp"
#include "simulator/execution/batch.hpp"

namespace qmlsim {

template <class R>
void Simulator::check_state_run(const CompiledCircuit& compiled) const {
  const std::string reason = compiled.circuit().trajectory_reason();
  if (!reason.empty()) throw InvalidArgument("run: " + no_single_final_state(reason) + "; sample it shot by shot instead");
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
  compiled.apply(state, options_.parallel);
  return state;
}

template <class R>
void Simulator::apply(const CompiledCircuit& compiled, StateVector<R>& state) const {
  check_state_run<R>(compiled);
  compiled.apply(state, options_.parallel);
}

template <class R>
Shot<R> Simulator::run_shot(const Circuit& circuit, std::span<const double> theta, std::uint64_t seed,
                            std::uint64_t shot_index) const {
  CompiledCircuit compiled(circuit);
  if (circuit.num_parameters() > 0 || !theta.empty()) compiled.bind(theta);
  Shot<R> shot{StateVector<R>(circuit.num_qubits(), options_.parallel, options_.memory),
               std::vector<std::uint8_t>(static_cast<std::size_t>(circuit.num_clbits()), 0)};
  Rng rng(seed, shot_index);
  compiled.apply(shot.state, options_.parallel, Classical{&rng, &shot.clbits});
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
  for (int b : measured_clbits) check_index(b, 64, "sample: measured classical bit");  // outcomes are 64-bit keys
  if (!circuit.needs_trajectories()) {
    StateVector<R> state = run<R>(compiled);
    // The sampling scratch counts against what the state left of the budget.
    const MemoryLimit scratch = options_.memory.remaining_after(state_bytes(state.num_qubits(), sizeof(R)));
    if (measured_qubits.empty()) return sample_counts(state, shots, seed, scratch, options_.parallel);
    // A qubit measured into several bits gives the same outcome in each: sample distinct qubits.
    std::vector<Qubit> distinct;
    for (Qubit q : measured_qubits)
      if (std::find(distinct.begin(), distinct.end(), q) == distinct.end()) distinct.push_back(q);
    Counts by_qubit = sample_counts(state, distinct, shots, seed, scratch, options_.parallel), out;
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
  check_range(circuit.num_clbits(), 0, 64, "sample: number of classical bits");
  // Shot by shot on the batch scheduler (across the shots for small states); the part before the
  // first measurement, reset or condition is computed once.
  return sample_trajectories<R>(compiled, shots, seed, measured_qubits, measured_clbits, options_);
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

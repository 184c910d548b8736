#pragma once
/// Runs circuits. Stateless and thread-safe: every call takes its options from the Simulator and
/// allocates what it needs after asking the memory guard.
///
/// Measurement semantics:
/// - run(): the state before measurement. Terminal measurements (nothing touches the qubit or
///   reads its bit afterwards) are ignored; a circuit with mid-circuit measurement, reset or a
///   classical condition is refused (InvalidArgument): use run_shot() or sample().
/// - run_shot(): one trajectory; each measurement samples its qubit, collapses the state and
///   writes its classical bit; reset measures and brings the qubit to |0>; conditions read the
///   classical bits. Shot i draws from Rng(seed, i).
/// - sample(): counts over the classical bits (bit j of an outcome = clbit j), or over all qubits
///   if the circuit measures nothing. Circuits without mid-circuit measurement are run once and
///   sampled from the final state; others run shot by shot, reusing the state before the first
///   measurement.
///
/// Memory (checked against SimulatorOptions::memory before each allocation; with a cap, the cap
/// bounds the call's total): run() and run_shot() hold one state vector and nothing else in
/// proportion to 2^n; sample() of a circuit without mid-circuit measurement holds one state plus
/// the sampling scratch (sampling.hpp: 8 bytes per shot, 1/2048 of the state, a little per
/// distinct outcome); shot by shot, one state per worker plus the shared prefix state.
#include <cstdint>
#include <span>
#include <vector>

#include "simulator/circuit/circuit.hpp"
#include "simulator/core/memory.hpp"
#include "simulator/core/parallel.hpp"
#include "simulator/core/state_vector.hpp"
#include "simulator/execution/compiled_circuit.hpp"
#include "simulator/execution/sampling.hpp"

namespace qmlsim {

struct SimulatorOptions {
  Parallelism parallel;
  MemoryLimit memory;
};

template <class R>
struct Shot {
  StateVector<R> state;
  std::vector<std::uint8_t> clbits;
};

class Simulator {
 public:
  explicit Simulator(SimulatorOptions options = {}) : options_(options) {}
  [[nodiscard]] const SimulatorOptions& options() const noexcept { return options_; }

  /// The final state from |0...0>. theta must have circuit.num_parameters() values.
  template <class R = double>
  [[nodiscard]] StateVector<R> run(const Circuit& circuit, std::span<const double> theta = {}) const;
  /// Same with a circuit lowered once (bind it first, or pass theta to bind here).
  template <class R = double>
  [[nodiscard]] StateVector<R> run(const CompiledCircuit& compiled) const;
  /// Applies a unitary circuit to `state` in place (no allocation).
  template <class R>
  void apply(const CompiledCircuit& compiled, StateVector<R>& state) const;

  /// One trajectory (see the header comment).
  template <class R = double>
  [[nodiscard]] Shot<R> run_shot(const Circuit& circuit, std::span<const double> theta, std::uint64_t seed,
                                 std::uint64_t shot_index = 0) const;

  /// `shots` samples (see the header comment).
  template <class R = double>
  [[nodiscard]] Counts sample(const Circuit& circuit, std::span<const double> theta, std::uint64_t shots,
                              std::uint64_t seed) const;

 private:
  template <class R>
  void check_state_run(const CompiledCircuit& compiled) const;
  SimulatorOptions options_;
};

}  // namespace qmlsim

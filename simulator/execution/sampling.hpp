#pragma once
/// Shot sampling from a state vector: one streaming pass over the amplitudes with sorted uniforms
/// (generated in order from exponential spacings, O(shots)), no O(2^n) scratch. Deterministic:
/// the same seed gives the same counts on any thread count and machine.
#include <cstdint>
#include <map>
#include <span>

#include "simulator/core/state_vector.hpp"

namespace qmlsim {

/// Outcome (an integer whose bit j is the j-th sampled qubit or classical bit) -> count.
using Counts = std::map<Index, std::uint64_t>;

/// Samples `shots` outcomes over all qubits. Throws InvalidArgument for a zero state.
template <class R>
[[nodiscard]] Counts sample_counts(const StateVector<R>& state, std::uint64_t shots, std::uint64_t seed);

/// Samples `shots` outcomes of `qubits` (outcome bit j = qubits[j]); throws for an out-of-range
/// or repeated qubit.
template <class R>
[[nodiscard]] Counts sample_counts(const StateVector<R>& state, std::span<const Qubit> qubits, std::uint64_t shots,
                                   std::uint64_t seed);

/// `shots` sorted uniforms in [0, total), from Rng(seed, stream) (exposed for tests).
[[nodiscard]] std::vector<double> sorted_uniforms(std::uint64_t shots, double total, std::uint64_t seed,
                                                  std::uint64_t stream = 0);

}  // namespace qmlsim

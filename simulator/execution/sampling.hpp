#pragma once
/// Shot sampling from a state vector: one streaming pass over the amplitudes with sorted uniforms
/// (generated in order from exponential spacings, O(shots)). Deterministic: the same seed gives
/// the same counts on any thread count and machine.
///
/// Memory, besides the state: 8 bytes per shot (the sorted uniforms), 32 bytes per 4096
/// amplitudes (the per-chunk probability mass and outcome lists: 1/2048 of a complex-double
/// state) and up to 160 bytes per distinct outcome, of which there are at most min(shots, 2^n).
/// sample_scratch_bytes() is that total; it is checked against `memory` before anything is
/// allocated (ResourceError). A caller holding the state passes memory.remaining_after(its bytes).
#include <cstdint>
#include <map>
#include <span>

#include "simulator/core/state_vector.hpp"

namespace qmlsim {

/// Outcome (an integer whose bit j is the j-th sampled qubit or classical bit) -> count.
using Counts = std::map<Index, std::uint64_t>;

/// Samples `shots` outcomes over all qubits. Throws InvalidArgument for a zero state or more than
/// 2^56 shots, ResourceError when the scratch does not fit in `memory`. The passes over the state
/// run under `par` (the counts do not depend on it).
template <class R>
[[nodiscard]] Counts sample_counts(const StateVector<R>& state, std::uint64_t shots, std::uint64_t seed,
                                   const MemoryLimit& memory = {}, const Parallelism& par = {});

/// Samples `shots` outcomes of `qubits` (outcome bit j = qubits[j]), the same draws as the
/// overload above; throws for an out-of-range or repeated qubit.
template <class R>
[[nodiscard]] Counts sample_counts(const StateVector<R>& state, std::span<const Qubit> qubits, std::uint64_t shots,
                                   std::uint64_t seed, const MemoryLimit& memory = {}, const Parallelism& par = {});

/// Bytes the scratch of sample_counts() on `num_qubits` qubits may need: the figure checked
/// against the memory guard. Per outcome it counts the outcome list entry (with vector growth),
/// the map node (with allocator overhead), and one re-keyed copy made by a caller.
[[nodiscard]] std::uint64_t sample_scratch_bytes(int num_qubits, std::uint64_t shots) noexcept;

/// `shots` sorted uniforms in [0, total), from Rng(seed, stream) (exposed for tests).
[[nodiscard]] std::vector<double> sorted_uniforms(std::uint64_t shots, double total, std::uint64_t seed,
                                                  std::uint64_t stream = 0);

}  // namespace qmlsim

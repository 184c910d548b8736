#pragma once
/// Bit tricks shared by kernels, sampling and observables.
#include <bit>
#include <cstdint>

#include "simulator/core/types.hpp"

namespace qmlsim {

[[nodiscard]] constexpr Index bit(Qubit q) noexcept { return Index{1} << q; }

[[nodiscard]] constexpr int popcount(Index x) noexcept { return std::popcount(x); }

/// Parity (0 or 1) of the set bits of x.
[[nodiscard]] constexpr int parity(Index x) noexcept { return std::popcount(x) & 1; }

/// Inserts a zero bit at position q: bits below q stay, bits at and above q move up by one.
[[nodiscard]] constexpr Index insert_zero_bit(Index k, Qubit q) noexcept {
  const Index low = k & (bit(q) - 1);
  return ((k >> q) << (q + 1)) | low;
}

/// Inserts zero bits at the positions set in `sorted_positions` (ascending, `count` entries).
/// Maps k in [0, 2^(n-count)) onto the indices whose bits at those positions are 0.
[[nodiscard]] constexpr Index insert_zero_bits(Index k, const Qubit* sorted_positions,
                                               int count) noexcept {
  for (int j = 0; j < count; ++j) k = insert_zero_bit(k, sorted_positions[j]);
  return k;
}

/// Gathers the bits of `index` at `qubits[0..count)` into a small integer (qubits[0] -> bit 0).
[[nodiscard]] constexpr Index extract_bits(Index index, const Qubit* qubits, int count) noexcept {
  Index out = 0;
  for (int j = 0; j < count; ++j) out |= ((index >> qubits[j]) & 1U) << j;
  return out;
}

/// Scatters the low `count` bits of `value` to positions `qubits[0..count)`.
[[nodiscard]] constexpr Index deposit_bits(Index value, const Qubit* qubits, int count) noexcept {
  Index out = 0;
  for (int j = 0; j < count; ++j) out |= ((value >> j) & 1U) << qubits[j];
  return out;
}

}  // namespace qmlsim

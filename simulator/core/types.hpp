#pragma once
/// Basic types and the conventions every module shares.
///
/// Qubit order: qubit 0 is the least significant bit of a basis-state index (Qiskit's order).
/// The basis state |q_{n-1} ... q_1 q_0> has index sum_k q_k 2^k, and a bitstring prints with
/// qubit n-1 leftmost: index 6 on 3 qubits prints as "110" (qubits 1 and 2 are 1).
///
/// Multi-qubit matrices: a k-qubit matrix applied to qubits (a_0, a_1, ..., a_{k-1}) is indexed by
/// bit(a_0) + 2 bit(a_1) + ... + 2^{k-1} bit(a_{k-1}), as in Qiskit's `unitary(U, [a_0, a_1])`.
/// The first listed qubit is the least significant bit of the matrix index.
#include <complex>
#include <cstdint>
#include <string>

namespace qmlsim {

/// Index of a basis state or amplitude. Unsigned 64-bit: enough for any state that fits in memory.
using Index = std::uint64_t;
/// A qubit number, 0 .. n-1.
using Qubit = int;

template <class R>
using Complex = std::complex<R>;
using cdouble = std::complex<double>;
using cfloat = std::complex<float>;

/// Largest register the state vector accepts; memory decides the real limit (see core/memory.hpp).
inline constexpr int kMaxQubits = 40;

inline constexpr double kPi = 3.14159265358979323846;

/// The bitstring of `index` on `num_qubits` qubits, qubit n-1 leftmost.
std::string to_bitstring(Index index, int num_qubits);

/// Parses a bitstring written with qubit n-1 leftmost (only '0'/'1'; throws InvalidArgument).
Index from_bitstring(const std::string& bits);

}  // namespace qmlsim

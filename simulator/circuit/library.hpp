#pragma once
/// Standard circuits, built with the C++ builders: used by the CLI (`--circuit NAME`), the demo,
/// benchmarks and tests.
#include <cstdint>
#include <string>
#include <vector>

#include "simulator/circuit/circuit.hpp"

namespace qmlsim::library {

/// (|0...0> + |1...1>)/sqrt(2): h(0), then cx(i, i+1).
[[nodiscard]] Circuit ghz(int num_qubits);

/// The quantum Fourier transform: QFT|x> = 2^{-n/2} sum_y e^{2 pi i x y / 2^n} |y>
/// (h and cp gates, then swaps that reverse the qubit order).
[[nodiscard]] Circuit qft(int num_qubits);

/// The standard variational layer, `layers` times: rx on every qubit, rz on every qubit, then
/// cx(i, i+1) for i = 0..n-2. Angles are parameters theta[0 .. 2 n layers), in gate order.
[[nodiscard]] Circuit layered(int num_qubits, int layers);

/// `depth` layers of random gates from the whole parametric and fixed gate set (random qubits,
/// random constant angles), reproducible from `seed`.
[[nodiscard]] Circuit random(int num_qubits, int depth, std::uint64_t seed);

/// Names accepted by by_name(): "ghz", "qft", "layers", "random".
[[nodiscard]] const std::vector<std::string>& names();

/// One of names(); `depth` is the layer count of "layers" and "random" (ignored otherwise).
/// Throws InvalidArgument for an unknown name, listing the known ones.
[[nodiscard]] Circuit by_name(const std::string& name, int num_qubits, int depth = 1, std::uint64_t seed = 1);

}  // namespace qmlsim::library

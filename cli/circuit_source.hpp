#pragma once
/// Where the subcommands get their circuits: a standard circuit by name (simulator/circuit/library)
/// with its parameters bound to reproducible random angles. (A circuit file read through the
/// OpenQASM front end will be a second source here.)
#include <cstdint>
#include <string>
#include <vector>

#include "simulator/circuit/circuit.hpp"

namespace qmlsim::cli {

/// A circuit ready to run: its display name, the circuit and the values of its parameters.
struct BoundCircuit {
  std::string name;
  Circuit circuit;
  std::vector<double> theta;
};

/// `count` angles uniform in [-pi, pi), drawn in order from qmlsim::Rng(seed).
[[nodiscard]] std::vector<double> random_angles(int count, std::uint64_t seed);

/// library::by_name(name, num_qubits, depth, seed), with theta = random_angles(P, seed) for its
/// P parameters. Throws InvalidArgument for an unknown name (listing the known ones) or a bad size.
[[nodiscard]] BoundCircuit library_circuit(const std::string& name, int num_qubits, int depth, std::uint64_t seed);

/// "ghz, qft, layers, random".
[[nodiscard]] std::string library_names();

}  // namespace qmlsim::cli

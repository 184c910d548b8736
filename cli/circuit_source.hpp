#pragma once
/// Where the subcommands get their circuits: a standard circuit by name (simulator/circuit/library)
/// with its parameters bound to reproducible random angles, or an OpenQASM file read through the
/// front end (simulator/qasm) with its `input` parameters bound to given values or random angles.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cli/parameter_binding.hpp"
#include "simulator/circuit/circuit.hpp"
#include "simulator/qasm/qasm.hpp"

namespace qmlsim::cli {

/// A circuit ready to run: its display name, the circuit and the values of its parameters.
struct BoundCircuit {
  std::string name;
  Circuit circuit;
  std::vector<double> theta;
  /// A file's classical registers in declaration order (empty for a standard circuit).
  std::vector<qasm::Register> cregs;
};

/// library::by_name(name, num_qubits, depth, seed), with theta = uniform_angles(P, seed)
/// (simulator/core/random_angles.hpp: uniform in [-pi, pi), drawn in order from Rng(seed)) for its
/// P parameters. Throws InvalidArgument for an unknown name (listing the known ones) or a bad size.
[[nodiscard]] BoundCircuit library_circuit(const std::string& name, int num_qubits, int depth, std::uint64_t seed);

/// "ghz, qft, layers, random".
[[nodiscard]] std::string library_names();

/// True if `name` ends in ".qasm" (how bench tells a file from a standard circuit's name).
[[nodiscard]] bool is_qasm_path(std::string_view name) noexcept;

/// `program`, read from `path`, with its inputs bound by `assignments` (applied in order; see
/// bind_parameters, which throws InvalidArgument for an unknown or unbound input).
[[nodiscard]] BoundCircuit bind_program(qasm::Program program, const std::string& path,
                                        std::span<const ParameterAssignment> assignments);

/// bind_program(qasm::parse_file(path), path, assignments). Throws qasm::QasmError (a ParseError)
/// for a bad file, InvalidArgument for an unreadable one or a binding problem, ResourceError for
/// a huge one.
[[nodiscard]] BoundCircuit file_circuit(const std::string& path, std::span<const ParameterAssignment> assignments);

/// The circuit of an OpenQASM file with its P inputs bound to uniform_angles(P, seed), in
/// declaration order (what `bench` runs).
[[nodiscard]] BoundCircuit file_circuit_with_random_inputs(const std::string& path, std::uint64_t seed);

}  // namespace qmlsim::cli

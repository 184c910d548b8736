#include "cli/circuit_source.hpp"

#include "simulator/circuit/library.hpp"
#include "simulator/core/random_angles.hpp"

namespace qmlsim::cli {

BoundCircuit library_circuit(const std::string& name, int num_qubits, int depth, std::uint64_t seed) {
  Circuit circuit = library::by_name(name, num_qubits, depth, seed);
  std::vector<double> theta = uniform_angles(circuit.num_parameters(), seed);
  return BoundCircuit{name, std::move(circuit), std::move(theta), {}};
}

std::string library_names() {
  std::string out;
  for (const auto& name : library::names()) out += (out.empty() ? "" : ", ") + name;
  return out;
}

bool is_qasm_path(std::string_view name) noexcept { return name.size() > 5 && name.ends_with(".qasm"); }

BoundCircuit bind_program(qasm::Program program, const std::string& path,
                          std::span<const ParameterAssignment> assignments) {
  std::vector<double> theta = bind_parameters(program.inputs, assignments, path);
  return BoundCircuit{path, std::move(program.circuit), std::move(theta), std::move(program.cregs)};
}

BoundCircuit file_circuit(const std::string& path, std::span<const ParameterAssignment> assignments) {
  return bind_program(qasm::parse_file(path), path, assignments);
}

BoundCircuit file_circuit_with_random_inputs(const std::string& path, std::uint64_t seed) {
  qasm::Program program = qasm::parse_file(path);
  std::vector<double> theta = uniform_angles(program.circuit.num_parameters(), seed);
  return BoundCircuit{path, std::move(program.circuit), std::move(theta), std::move(program.cregs)};
}

}  // namespace qmlsim::cli

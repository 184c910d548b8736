#include "cli/circuit_source.hpp"

#include "simulator/circuit/library.hpp"
#include "simulator/core/rng.hpp"
#include "simulator/core/types.hpp"

namespace qmlsim::cli {

std::vector<double> random_angles(int count, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<double> theta;
  theta.reserve(static_cast<std::size_t>(count > 0 ? count : 0));
  for (int i = 0; i < count; ++i) theta.push_back((2.0 * rng.uniform() - 1.0) * kPi);
  return theta;
}

BoundCircuit library_circuit(const std::string& name, int num_qubits, int depth, std::uint64_t seed) {
  Circuit circuit = library::by_name(name, num_qubits, depth, seed);
  std::vector<double> theta = random_angles(circuit.num_parameters(), seed);
  return BoundCircuit{name, std::move(circuit), std::move(theta)};
}

std::string library_names() {
  std::string out;
  for (const auto& name : library::names()) out += (out.empty() ? "" : ", ") + name;
  return out;
}

}  // namespace qmlsim::cli

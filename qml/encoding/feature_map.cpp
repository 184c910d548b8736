#include "qml/encoding/feature_map.hpp"

#include <algorithm>

#include "qml/encoding/builtin_feature_maps.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/validate.hpp"
#include "simulator/execution/simulator.hpp"

namespace qmlsim::qml {

namespace {

using Factory = std::unique_ptr<FeatureMap> (*)(const ComponentSpec&, int);

struct NamedFactory {
  const char* name;
  Factory make;
};

// The one table of feature map names (QML_DESIGN.md 3.1, rule 7), in --help order.
constexpr NamedFactory kFeatureMaps[] = {
    {"zz", detail::make_pauli_family},         {"z", detail::make_pauli_family},
    {"pauli", detail::make_pauli_family},      {"angle", detail::make_angle_embedding},
    {"iqp", detail::make_iqp_embedding},       {"amplitude", detail::make_amplitude_embedding},
};

void check_entanglement(const std::string& entanglement) {
  const auto& valid = entanglement_names();
  if (std::find(valid.begin(), valid.end(), entanglement) == valid.end())
    throw InvalidArgument("entanglement must be one of " + join_names(valid) + ", got '" + entanglement + "'");
}

// The windows of `k` consecutive qubits, first window first.
std::vector<std::vector<int>> linear_blocks(int k, int n) {
  std::vector<std::vector<int>> blocks;
  for (int start = 0; start + k <= n; ++start) {
    std::vector<int> b(static_cast<std::size_t>(k));
    for (int i = 0; i < k; ++i) b[static_cast<std::size_t>(i)] = start + i;
    blocks.push_back(std::move(b));
  }
  return blocks;
}

// Every k-combination of [0, n) in lexicographic order (itertools.combinations).
std::vector<std::vector<int>> full_blocks(int k, int n) {
  std::vector<std::vector<int>> blocks;
  std::vector<int> c(static_cast<std::size_t>(k));
  for (int i = 0; i < k; ++i) c[static_cast<std::size_t>(i)] = i;
  while (true) {
    blocks.push_back(c);
    int i = k - 1;  // the last position that can still grow
    while (i >= 0 && c[static_cast<std::size_t>(i)] == n - k + i) --i;
    if (i < 0) return blocks;
    ++c[static_cast<std::size_t>(i)];
    for (int j = i + 1; j < k; ++j) c[static_cast<std::size_t>(j)] = c[static_cast<std::size_t>(j - 1)] + 1;
  }
}

}  // namespace

namespace detail {

std::vector<std::string> feature_names(int num_features) {
  std::vector<std::string> names(static_cast<std::size_t>(num_features), "x");
  for (std::size_t i = 0; i < names.size(); ++i) names[i] += std::to_string(i);  // not "x" + ...: GCC 12 -Wrestrict
  return names;
}

std::string map_context(const std::string& name) { return "feature map " + name; }

int qubits_per_feature(ComponentOptions& options, const std::string& name, int num_features) {
  check_range(num_features, 1, kMaxQubits, map_context(name) + ": number of features");
  const int qubits = options.integer("qubits", num_features, 1, kMaxQubits);
  if (qubits != num_features)
    throw InvalidArgument(map_context(name) + " has " + plural(qubits, "qubit") + " but the data has " +
                          plural(num_features, "feature"));
  return qubits;
}

void check_sample(const FeatureMap& map, std::span<const double> x, std::span<const cdouble> state) {
  // Called once per sample: the message (which builds the map's spec) only on failure.
  const auto context = [&] { return map_context(map.spec().type); };
  check_count(x.size(), map.num_features(), context, "feature");
  for (std::size_t i = 0; i < x.size(); ++i)
    check_finite(x[i], [&] { return context() + ": feature x" + std::to_string(i); });
  const Index dim = Index{1} << map.num_qubits();
  if (state.size() != dim)
    throw InvalidArgument(context() + ": the state has " + std::to_string(state.size()) + " amplitudes, expected " +
                          std::to_string(dim) + " (" + plural(map.num_qubits(), "qubit") + ")");
}

Circuit feature_circuit(int num_qubits, int num_features) {
  Circuit c(num_qubits);
  c.declare_parameters(num_features);
  c.set_parameter_names(feature_names(num_features));
  return c;
}

}  // namespace detail

void FeatureMap::encode(std::span<const double> x, std::span<cdouble> state) const {
  detail::check_sample(*this, x, state);
  const Circuit* c = circuit();
  if (c == nullptr)  // a map without a circuit must override encode()
    throw InvalidArgument(detail::map_context(spec().type) + ": has no circuit to run");
  const StateVector<double> psi = Simulator().run(*c, x);
  std::copy(psi.amplitudes().begin(), psi.amplitudes().end(), state.begin());
}

std::vector<std::string> feature_map_names() {
  std::vector<std::string> names;
  for (const auto& f : kFeatureMaps) names.emplace_back(f.name);
  return names;
}

std::unique_ptr<FeatureMap> make_feature_map(const ComponentSpec& spec, int num_features) {
  for (const auto& f : kFeatureMaps)
    if (spec.type == f.name) return f.make(spec, num_features);
  if (spec.type == "file")  // qml/ never parses circuit files: the caller turns them into a Circuit
    throw InvalidArgument("feature map '" + spec.get("path").value_or("") +
                          "' is a circuit file: parse it first and use circuit_feature_map");
  throw InvalidArgument("unknown feature map '" + spec.type + "' (known: " + join_names(feature_map_names()) +
                        ", or a .qasm file)");
}

std::unique_ptr<FeatureMap> circuit_feature_map(Circuit circuit, ComponentSpec spec, int num_features) {
  const std::string label = spec.get("path").value_or(spec.text());
  const std::string context = "feature map " + label;
  check_positive(num_features, context + ": number of features");
  if (circuit.num_parameters() != num_features)
    throw InvalidArgument(context + ": the circuit has " + plural(circuit.num_parameters(), "parameter") +
                          " but the data has " + plural(num_features, "feature"));
  for (const Operation& op : circuit.operations()) {
    if (op.kind == GateKind::Measure || op.kind == GateKind::Reset || op.condition)
      throw InvalidArgument(context + ": the circuit has " +
                            (op.condition ? op.name() + " conditioned on classical bits"
                                          : op.name() + " on qubit " + std::to_string(op.qubits[0])) +
                            "; a feature map must be unitary (remove measurements, resets and conditions)");
  }
  if (circuit.parameter_names().empty()) circuit.set_parameter_names(detail::feature_names(num_features));
  std::string description = "circuit " + label + ": " +
                            plural(circuit.num_qubits(), "qubit") + ", " + plural(num_features, "feature") + ", " +
                            plural(static_cast<int>(circuit.num_gates()), "gate");
  return std::make_unique<detail::CircuitFeatureMap>(std::move(circuit), num_features, std::move(spec),
                                                     std::move(description));
}

const std::vector<std::string>& entanglement_names() {
  static const std::vector<std::string> names = {"full", "linear", "reverse_linear", "circular", "pairwise"};
  return names;
}

std::vector<std::vector<int>> entangling_blocks(const std::string& entanglement, int block_size, int num_qubits) {
  check_entanglement(entanglement);
  check_range(num_qubits, 1, kMaxQubits, "entanglement: number of qubits");
  check_range(block_size, 1, num_qubits, "entanglement " + entanglement + ": block size");
  const int k = block_size, n = num_qubits;
  if (entanglement == "full") return full_blocks(k, n);
  if (entanglement == "linear") return linear_blocks(k, n);
  if (entanglement == "reverse_linear") {
    auto blocks = linear_blocks(k, n);
    std::reverse(blocks.begin(), blocks.end());
    return blocks;
  }
  if (entanglement == "circular") {
    if (k == 1 || k == n) return linear_blocks(k, n);
    std::vector<std::vector<int>> blocks;
    const int first = n - k + 1;  // Qiskit's historic start
    for (int start = 0; start < n; ++start) {
      std::vector<int> b(static_cast<std::size_t>(k));
      for (int i = 0; i < k; ++i) b[static_cast<std::size_t>(i)] = (first + start + i) % n;
      blocks.push_back(std::move(b));
    }
    return blocks;
  }
  // pairwise: linear[::2] + linear[1::2] for pairs
  if (k > 2)
    throw InvalidArgument("entanglement pairwise: blocks of " + plural(k, "qubit") +
                          " are not supported (at most 2, as in Qiskit)");
  auto line = linear_blocks(k, n);
  if (k == 1) return line;
  std::vector<std::vector<int>> blocks;
  for (std::size_t i = 0; i < line.size(); i += 2) blocks.push_back(line[i]);
  for (std::size_t i = 1; i < line.size(); i += 2) blocks.push_back(line[i]);
  return blocks;
}

std::vector<std::pair<int, int>> entangling_pairs(const std::string& entanglement, int num_qubits) {
  if (num_qubits == 1) {  // no pairs (Qiskit's NLocal skips the entanglement layer on one qubit)
    check_entanglement(entanglement);
    return {};
  }
  std::vector<std::pair<int, int>> pairs;
  for (const auto& b : entangling_blocks(entanglement, 2, num_qubits)) pairs.emplace_back(b[0], b[1]);
  return pairs;
}

}  // namespace qmlsim::qml

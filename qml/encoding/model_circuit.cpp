#include "qml/encoding/model_circuit.hpp"

#include <algorithm>
#include <numeric>

#include "simulator/core/errors.hpp"
#include "simulator/core/validate.hpp"
#include "simulator/execution/batch.hpp"

namespace qmlsim::qml {

namespace {

// "x0", ..., then "w0", ...: the canonical names of a model circuit's parameters.
std::vector<std::string> model_parameter_names(int num_features, int num_weights) {
  std::vector<std::string> names;
  for (int i = 0; i < num_features + num_weights; ++i) {
    std::string name = i < num_features ? "x" : "w";  // appended, not "x" + ...: GCC 12 -Wrestrict
    name += std::to_string(i < num_features ? i : i - num_features);
    names.push_back(std::move(name));
  }
  return names;
}

// `circuit` with parameter p replaced by replacement[p] in every angle, in a circuit declaring
// `num_parameters` parameters (every replacement must use indices below it).
Circuit substitute_parameters(const Circuit& circuit, std::span<const Expr> replacement, int num_parameters) {
  Circuit out(circuit.num_qubits(), circuit.num_clbits());
  out.declare_parameters(num_parameters);
  for (Operation op : circuit.operations()) {
    for (Param& p : op.params) p = p.substituted(replacement);
    out.append(std::move(op));
  }
  return out;
}

// The layout of a canonical model circuit: features 0 .. F-1, weights F .. F+W-1.
ParameterLayout canonical_layout(int num_features, int num_weights) {
  ParameterLayout layout;
  layout.inputs.resize(static_cast<std::size_t>(num_features));
  layout.weights.resize(static_cast<std::size_t>(num_weights));
  std::iota(layout.inputs.begin(), layout.inputs.end(), 0);
  std::iota(layout.weights.begin(), layout.weights.end(), num_features);
  return layout;
}

// The number after `prefix` in `name` if the rest is all digits (at most 9), else -1.
long long numbered_suffix(const std::string& name, const std::string& prefix) {
  const std::string rest = name.substr(prefix.size());
  if (rest.empty() || rest.size() > 9 || !std::all_of(rest.begin(), rest.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return -1;
  return std::stoll(rest);
}

}  // namespace

std::vector<double> ModelCircuit::rows(std::span<const double> inputs, std::size_t count,
                                       std::span<const double> weights) const {
  const ParameterRows input_rows{inputs, count, layout.inputs.size()};
  return make_rows(circuit.num_parameters(), layout.inputs, input_rows, layout.weights, weights);
}

ModelCircuit compose(const FeatureMap& map, const Ansatz& ansatz, int layers, bool weights_first) {
  const Circuit* encoding = map.circuit();
  if (encoding == nullptr)
    throw InvalidArgument("feature map " + map.spec().type +
                          " writes states directly and cannot be composed with an ansatz; use a circuit map "
                          "(zz, z, pauli, angle, iqp or a .qasm file)");
  if (ansatz.num_qubits() > map.num_qubits())
    throw InvalidArgument("ansatz " + ansatz.spec().type + " acts on " + plural(ansatz.num_qubits(), "qubit") +
                          " but feature map " + map.spec().type + " has " + plural(map.num_qubits(), "qubit"));
  check_range(layers, 1, 10'000, "model circuit: layers");
  const int features = map.num_features(), per_layer = ansatz.num_parameters();
  const int weights = layers * per_layer;
  Circuit c(map.num_qubits());
  c.declare_parameters(features + weights);
  std::vector<int> shift(static_cast<std::size_t>(per_layer));
  for (int l = 0; l < layers; ++l) {
    std::iota(shift.begin(), shift.end(), features + l * per_layer);  // layer l's weights
    const Circuit trainable = renumber_parameters(ansatz.circuit(), shift, features + weights);
    if (weights_first) c.append(trainable);
    c.append(*encoding);
    if (!weights_first) c.append(trainable);
  }
  c.set_parameter_names(model_parameter_names(features, weights));
  return ModelCircuit{std::move(c), canonical_layout(features, weights)};
}

ModelCircuit split_circuit(const Circuit& circuit, const std::string& input_prefix, int num_features) {
  const std::string context = "model circuit: input prefix '" + input_prefix + "'";
  const int total = circuit.num_parameters();
  const auto& names = circuit.parameter_names();
  std::vector<int> inputs, weights;
  for (int p = 0; p < total; ++p) {
    const std::string name = parameter_name(static_cast<std::size_t>(p), names);
    (name.rfind(input_prefix, 0) == 0 ? inputs : weights).push_back(p);
  }
  if (inputs.empty())
    throw InvalidArgument(context + ": no parameter of the circuit has it, so it has no features (parameters: " +
                          std::to_string(total) + ")");
  if (weights.empty())
    throw InvalidArgument(context + ": every parameter of the circuit has it, so it has no weights to train");
  if (static_cast<int>(inputs.size()) != num_features)
    throw InvalidArgument(context + ": the circuit has " + plural(static_cast<int>(inputs.size()), "input") +
                          " but the data has " + plural(num_features, "feature"));
  // Numbered names ("x0", "x1", ...) in the order of their numbers; otherwise circuit order.
  const auto number = [&](int p) { return numbered_suffix(parameter_name(static_cast<std::size_t>(p), names), input_prefix); };
  if (std::all_of(inputs.begin(), inputs.end(), [&](int p) { return number(p) >= 0; }))
    std::stable_sort(inputs.begin(), inputs.end(), [&](int a, int b) { return number(a) < number(b); });

  std::vector<int> map(static_cast<std::size_t>(total));
  for (std::size_t k = 0; k < inputs.size(); ++k) map[static_cast<std::size_t>(inputs[k])] = static_cast<int>(k);
  for (std::size_t k = 0; k < weights.size(); ++k)
    map[static_cast<std::size_t>(weights[k])] = num_features + static_cast<int>(k);
  Circuit c = renumber_parameters(circuit, map, total);
  c.set_parameter_names(model_parameter_names(num_features, static_cast<int>(weights.size())));
  return ModelCircuit{std::move(c), canonical_layout(num_features, static_cast<int>(weights.size()))};
}

Circuit renumber_parameters(const Circuit& circuit, std::span<const int> map, int num_parameters) {
  check_count(map.size(), circuit.num_parameters(), "renumber_parameters", "map entry");
  check_non_negative(num_parameters, "renumber_parameters: number of parameters");
  std::vector<Expr> replacement;
  replacement.reserve(map.size());
  for (const int target : map) {
    check_index(target, static_cast<std::size_t>(num_parameters), "renumber_parameters: parameter index");
    replacement.push_back(Expr::parameter(target));
  }
  return substitute_parameters(circuit, replacement, num_parameters);
}

Circuit bind_weights(const ModelCircuit& m, std::span<const double> weights) {
  check_count(weights.size(), m.layout.weights.size(), "bind_weights", "weight");
  std::vector<Expr> replacement(static_cast<std::size_t>(m.circuit.num_parameters()), Expr(0.0));
  for (std::size_t k = 0; k < m.layout.inputs.size(); ++k)
    replacement[static_cast<std::size_t>(m.layout.inputs[k])] = Expr::parameter(static_cast<int>(k));
  for (std::size_t k = 0; k < weights.size(); ++k) {
    check_finite(weights[k], [&] { return "bind_weights: weight w" + std::to_string(k); });
    replacement[static_cast<std::size_t>(m.layout.weights[k])] = Expr(weights[k]);
  }
  Circuit c = substitute_parameters(m.circuit, replacement, m.num_features());
  c.set_parameter_names(model_parameter_names(m.num_features(), 0));
  return c;
}

}  // namespace qmlsim::qml

// The named ansatze, gate for gate as their peers build them:
//   Qiskit's n_local (today's Rust circuit_library/n_local.rs; RealAmplitudes, EfficientSU2 and
//   TwoLocal are n_local with fixed blocks): per repetition a rotation layer (each rotation block,
//   in the order given, on every qubit 0 .. n-1), then an entanglement layer (each entanglement
//   block, in the order given, on every pair entangling_pairs yields); after the last repetition a
//   final rotation layer unless skipped. Parameters theta[0], theta[1], ... in order of appearance.
//   One qubit: no entanglement layers (no pairs).
//   PennyLane's StronglyEntanglingLayers and BasicEntanglerLayers: see ansatz.hpp.
#include "qml/ansatz/ansatz.hpp"

#include <algorithm>
#include <cmath>

#include "qml/encoding/feature_map.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/rng.hpp"
#include "simulator/core/types.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim::qml {

namespace {

class CircuitAnsatz final : public Ansatz {
 public:
  CircuitAnsatz(Circuit circuit, ComponentSpec spec, std::string description)
      : circuit_(std::move(circuit)), spec_(std::move(spec)), description_(std::move(description)) {}
  [[nodiscard]] int num_qubits() const noexcept override { return circuit_.num_qubits(); }
  [[nodiscard]] int num_parameters() const noexcept override { return circuit_.num_parameters(); }
  [[nodiscard]] const Circuit& circuit() const noexcept override { return circuit_; }
  [[nodiscard]] ComponentSpec spec() const override { return spec_; }
  [[nodiscard]] std::string description() const override { return description_; }

 private:
  Circuit circuit_;
  ComponentSpec spec_;
  std::string description_;
};

std::string ansatz_context(const std::string& name) { return "ansatz " + name; }

std::vector<std::string> weight_names(int count) {
  std::vector<std::string> names(static_cast<std::size_t>(count), "w");
  for (std::size_t i = 0; i < names.size(); ++i) names[i] += std::to_string(i);  // not "w" + ...: GCC 12 -Wrestrict
  return names;
}

// Hands out theta[0], theta[1], ... in order of appearance.
class ParameterCounter {
 public:
  Param next() { return Param::parameter(next_++); }
  [[nodiscard]] int count() const noexcept { return next_; }

 private:
  int next_ = 0;
};

// Names the finished circuit's parameters w0, w1, ...; refuses a circuit without any.
Circuit finish_circuit(Circuit c, const std::string& context) {
  if (c.num_parameters() == 0) throw InvalidArgument(context + ": the circuit has no weights to train");
  c.set_parameter_names(weight_names(c.num_parameters()));
  return c;
}

// "ry+rz" -> {"ry", "rz"}, each one of `valid`.
std::vector<std::string> parse_blocks(const std::string& text, const std::string& key,
                                      const std::vector<std::string>& valid, const std::string& context) {
  std::vector<std::string> blocks;
  std::size_t begin = 0;
  while (true) {
    const std::size_t end = text.find('+', begin);
    std::string b = text.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
    for (char& ch : b)
      if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    if (std::find(valid.begin(), valid.end(), b) == valid.end())
      throw InvalidArgument(context + ": " + key + " '" + text + "' has block '" + b + "' (valid: " +
                            join_names(valid, ", ") + ", several joined by '+')");
    blocks.push_back(std::move(b));
    if (end == std::string::npos) return blocks;
    begin = end + 1;
  }
}

const std::vector<std::string>& rotation_block_names() {
  static const std::vector<std::string> names = {"rx", "ry", "rz"};
  return names;
}

const std::vector<std::string>& entanglement_block_names() {
  static const std::vector<std::string> names = {"cx", "cz", "crx", "cry", "crz", "rxx", "ryy", "rzz"};
  return names;
}

GateKind rotation_kind(const std::string& name) {
  return name == "rx" ? GateKind::RX : name == "ry" ? GateKind::RY : GateKind::RZ;
}

// The TwoLocal family's settings.
struct TwoLocalOptions {
  std::vector<std::string> rotation_blocks;
  std::vector<std::string> entanglement_blocks;
  std::string entanglement;
  int reps = 3;
  bool skip_final_rotation_layer = false;
};

Circuit two_local_circuit(const TwoLocalOptions& o, int n, const std::string& context) {
  Circuit c(n);
  ParameterCounter theta;
  const auto rotation_layer = [&] {
    for (const auto& block : o.rotation_blocks)
      for (int q = 0; q < n; ++q) c.gate(rotation_kind(block), {q}, {theta.next()});
  };
  const auto pairs = entangling_pairs(o.entanglement, n);
  for (int r = 0; r < o.reps; ++r) {
    rotation_layer();
    for (const auto& block : o.entanglement_blocks)
      for (const auto& [a, b] : pairs) {
        if (block == "cx") c.cx(a, b);
        else if (block == "cz") c.cz(a, b);
        else if (block == "crx") c.crx(theta.next(), a, b);
        else if (block == "cry") c.cry(theta.next(), a, b);
        else if (block == "crz") c.crz(theta.next(), a, b);
        else if (block == "rxx") c.rxx(theta.next(), a, b);
        else if (block == "ryy") c.ryy(theta.next(), a, b);
        else c.rzz(theta.next(), a, b);
      }
  }
  if (!o.skip_final_rotation_layer) rotation_layer();
  return finish_circuit(std::move(c), context);
}

int check_qubits(int num_qubits, const std::string& context) {
  check_range(num_qubits, 1, kMaxQubits, context + ": number of qubits");
  return num_qubits;
}

std::unique_ptr<Ansatz> make_two_local_family(const ComponentSpec& spec, int num_qubits) {
  const std::string& name = spec.type;  // real-amplitudes, efficient-su2 or two-local
  const std::string context = ansatz_context(name);
  const int n = check_qubits(num_qubits, context);
  ComponentOptions options(spec, context);
  TwoLocalOptions o;
  if (name == "two-local") {
    o.rotation_blocks = parse_blocks(options.text("rotation_blocks", "ry"), "rotation_blocks",
                                     rotation_block_names(), context);
    o.entanglement_blocks = parse_blocks(options.text("entanglement_blocks", "cx"), "entanglement_blocks",
                                         entanglement_block_names(), context);
  } else {
    o.rotation_blocks = name == "real-amplitudes" ? std::vector<std::string>{"ry"} : std::vector<std::string>{"ry", "rz"};
    o.entanglement_blocks = {"cx"};
  }
  o.entanglement = options.choice("entanglement", name == "two-local" ? "full" : "reverse_linear", entanglement_names());
  o.reps = options.integer("reps", 3, 0, 1000);
  o.skip_final_rotation_layer = options.flag("skip_final_rotation_layer", false);
  options.finish();

  Circuit circuit = two_local_circuit(o, n, context);
  ComponentSpec canonical{name, {}};
  if (name == "two-local") {
    canonical.set("rotation_blocks", join_names(o.rotation_blocks, "+"));
    canonical.set("entanglement_blocks", join_names(o.entanglement_blocks, "+"));
  }
  canonical.set("entanglement", o.entanglement);
  canonical.set("reps", std::to_string(o.reps));
  canonical.set("skip_final_rotation_layer", o.skip_final_rotation_layer ? "true" : "false");
  const char* peer = name == "real-amplitudes" ? "RealAmplitudes" : name == "efficient-su2" ? "EfficientSU2" : "TwoLocal";
  std::string description = std::string(peer) + " (Qiskit): " + plural(n, "qubit") + ", reps " +
                            std::to_string(o.reps) + ", " + o.entanglement;
  if (name == "two-local")
    description += ", rotations " + join_names(o.rotation_blocks, "+") + ", entanglers " + join_names(o.entanglement_blocks, "+");
  if (o.skip_final_rotation_layer) description += ", no final rotation layer";
  description += ", " + plural(circuit.num_parameters(), "weight");
  return std::make_unique<CircuitAnsatz>(std::move(circuit), std::move(canonical), std::move(description));
}

// PennyLane's layer count: `reps`, or its own name `layers` (not both).
int pennylane_layers(ComponentOptions& options, const std::string& context) {
  if (options.has("reps") && options.has("layers"))
    throw InvalidArgument(context + ": give reps or layers, not both (they are the same option)");
  return options.integer(options.has("layers") ? "layers" : "reps", 1, 1, 1000);
}

// "1+2+1" -> {1, 2, 1}: one range per layer, each in [1, n).
std::vector<int> parse_ranges(const std::string& text, int layers, int n, const std::string& context) {
  std::vector<int> ranges;
  std::size_t begin = 0;
  while (true) {
    const std::size_t end = text.find('+', begin);
    const std::string item = text.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
    const bool digits = !item.empty() && item.size() <= 6 &&
                        std::all_of(item.begin(), item.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    const int r = digits ? std::stoi(item) : -1;
    if (r < 1 || r >= n)
      throw InvalidArgument(context + ": ranges '" + text + "' has '" + item + "'; each range must be an integer in [1, " +
                            std::to_string(n - 1) + "] (one per layer, joined by '+')");
    ranges.push_back(r);
    if (end == std::string::npos) break;
    begin = end + 1;
  }
  if (static_cast<int>(ranges.size()) != layers)
    throw InvalidArgument(context + ": ranges '" + text + "' gives " + plural(static_cast<int>(ranges.size()), "range") +
                          " for " + plural(layers, "layer") + " (one per layer)");
  return ranges;
}

std::unique_ptr<Ansatz> make_strongly_entangling(const ComponentSpec& spec, int num_qubits) {
  const std::string context = ansatz_context(spec.type);
  const int n = check_qubits(num_qubits, context);
  ComponentOptions options(spec, context);
  const int layers = pennylane_layers(options, context);
  std::vector<int> ranges(static_cast<std::size_t>(layers), 0);  // PennyLane: no CNOTs on one wire
  if (n > 1)
    for (int l = 0; l < layers; ++l) ranges[static_cast<std::size_t>(l)] = l % (n - 1) + 1;
  const bool custom = options.has("ranges");
  if (custom) {
    const std::string text = options.text("ranges", "");
    if (n == 1) throw InvalidArgument(context + ": ranges needs at least 2 qubits (one wire has no CNOTs)");
    ranges = parse_ranges(text, layers, n, context);
  }
  options.finish();

  Circuit c(n);
  ParameterCounter w;
  for (int l = 0; l < layers; ++l) {
    for (int q = 0; q < n; ++q) {  // Rot(phi, theta, omega) = RZ(omega) RY(theta) RZ(phi)
      const Param phi = w.next(), theta = w.next(), omega = w.next();
      c.rz(phi, q).ry(theta, q).rz(omega, q);
    }
    if (n > 1)
      for (int q = 0; q < n; ++q) c.cx(q, (q + ranges[static_cast<std::size_t>(l)]) % n);
  }
  Circuit circuit = finish_circuit(std::move(c), context);
  std::vector<std::string> range_text;
  for (const int r : ranges) range_text.push_back(std::to_string(r));
  ComponentSpec canonical{spec.type, {{"reps", std::to_string(layers)}}};
  if (n > 1) canonical.set("ranges", join_names(range_text, "+"));
  std::string description = "StronglyEntanglingLayers (PennyLane): " + plural(n, "qubit") + ", " +
                            plural(layers, "layer") + (n > 1 ? ", ranges " + join_names(range_text, "+") : std::string()) +
                            ", " + plural(circuit.num_parameters(), "weight");
  return std::make_unique<CircuitAnsatz>(std::move(circuit), std::move(canonical), std::move(description));
}

std::unique_ptr<Ansatz> make_basic_entangler(const ComponentSpec& spec, int num_qubits) {
  const std::string context = ansatz_context(spec.type);
  const int n = check_qubits(num_qubits, context);
  ComponentOptions options(spec, context);
  const int layers = pennylane_layers(options, context);
  const std::string rotation = options.choice("rotation", "x", {"x", "y", "z"});
  options.finish();

  const GateKind kind = rotation == "x" ? GateKind::RX : rotation == "y" ? GateKind::RY : GateKind::RZ;
  Circuit c(n);
  ParameterCounter w;
  for (int l = 0; l < layers; ++l) {
    for (int q = 0; q < n; ++q) c.gate(kind, {q}, {w.next()});
    if (n == 2) c.cx(0, 1);  // PennyLane: a ring on two wires would apply the same pair twice
    if (n > 2)
      for (int q = 0; q < n; ++q) c.cx(q, (q + 1) % n);
  }
  Circuit circuit = finish_circuit(std::move(c), context);
  ComponentSpec canonical{spec.type, {{"reps", std::to_string(layers)}, {"rotation", rotation}}};
  std::string description = "BasicEntanglerLayers (PennyLane): " + plural(n, "qubit") + ", " + plural(layers, "layer") +
                            ", rotation R" + std::string(1, static_cast<char>(rotation[0] - 'a' + 'A')) + ", " +
                            plural(circuit.num_parameters(), "weight");
  return std::make_unique<CircuitAnsatz>(std::move(circuit), std::move(canonical), std::move(description));
}

using Factory = std::unique_ptr<Ansatz> (*)(const ComponentSpec&, int);

struct NamedFactory {
  const char* name;
  Factory make;
};

// The one table of ansatz names, in --help order.
constexpr NamedFactory kAnsatze[] = {
    {"real-amplitudes", make_two_local_family},       {"efficient-su2", make_two_local_family},
    {"two-local", make_two_local_family},             {"strongly-entangling", make_strongly_entangling},
    {"basic-entangler", make_basic_entangler},
};

}  // namespace

std::unique_ptr<Ansatz> make_ansatz(const ComponentSpec& spec, int num_qubits) {
  for (const auto& f : kAnsatze)
    if (spec.type == f.name) return f.make(spec, num_qubits);
  if (spec.type == "file")  // qml/ never parses circuit files: the caller turns them into a Circuit
    throw InvalidArgument("ansatz '" + spec.get("path").value_or("") +
                          "' is a circuit file: parse it first and use circuit_ansatz");
  throw InvalidArgument("unknown ansatz '" + spec.type + "' (known: " + join_names(ansatz_names(), ", ") +
                        ", or a .qasm file)");
}

std::unique_ptr<Ansatz> circuit_ansatz(Circuit circuit, ComponentSpec spec, int num_qubits) {
  const std::string label = spec.get("path").value_or(spec.text());
  const std::string context = "ansatz " + label;
  check_qubits(num_qubits, context);
  if (circuit.num_qubits() > num_qubits)
    throw InvalidArgument(context + ": the circuit has " + plural(circuit.num_qubits(), "qubit") + " but the model has " +
                          plural(num_qubits, "qubit"));
  for (const Operation& op : circuit.operations()) {
    if (op.kind == GateKind::Measure || op.kind == GateKind::Reset || op.condition)
      throw InvalidArgument(context + ": the circuit has " +
                            (op.condition ? op.name() + " conditioned on classical bits"
                                          : op.name() + " on qubit " + std::to_string(op.qubits[0])) +
                            "; an ansatz must be unitary (remove measurements, resets and conditions)");
  }
  // Widened to the model's qubits (the extra ones idle), parameters and names kept.
  Circuit wide(num_qubits);
  wide.declare_parameters(circuit.num_parameters());
  wide.append(circuit);
  wide = finish_circuit(std::move(wide), context);
  if (!circuit.parameter_names().empty()) wide.set_parameter_names(circuit.parameter_names());
  std::string description = "circuit " + label + ": " + plural(num_qubits, "qubit") + ", " +
                            plural(wide.num_parameters(), "weight") + ", " +
                            plural(static_cast<int>(wide.num_gates()), "gate");
  return std::make_unique<CircuitAnsatz>(std::move(wide), std::move(spec), std::move(description));
}

std::vector<std::string> ansatz_names() {
  std::vector<std::string> names;
  for (const auto& f : kAnsatze) names.emplace_back(f.name);
  return names;
}

std::vector<double> initial_weights(std::size_t count, std::uint64_t seed) {
  Rng rng(seed, kInitialWeightStream);
  std::vector<double> w(count);
  for (double& v : w) v = 2.0 * kPi * rng.uniform();
  return w;
}

}  // namespace qmlsim::qml

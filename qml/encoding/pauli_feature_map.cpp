// Qiskit's PauliFeatureMap family, gate for gate as today's Qiskit builds it (the Rust
// circuit_library/pauli_feature_map.rs and pauli_evolution.rs; ZZFeatureMap = paulis Z, ZZ and
// ZFeatureMap = paulis Z). Per repetition: H on every qubit, then for each Pauli string, in the
// order given, for each block of qubits its entanglement yields (entangling_blocks), the
// evolution of that string on that block:
//   - the string is read right to left: its last letter acts on the block's first qubit (Qiskit
//     reverses it); identities are skipped;
//   - angle alpha * phi, where phi = x_i for a one-qubit block and prod_{j in block} (pi - x_j)
//     otherwise (over the whole block, identities included, as Qiskit's data map does);
//   - basis change (H for X, SX for Y), a CX chain down to the active qubit of the highest block
//     position, P(angle) there, the chain back, the inverse basis change (H, SXdg).
// So every block applies e^{i angle/2} exp(-i angle/2 P_S), global phase included. Qiskit before
// its Rust rewrite used RX(pi/2) / RX(-pi/2) for Y: the same unitary, the two phases cancel.
#include <string>
#include <vector>

#include "qml/encoding/builtin_feature_maps.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim::qml::detail {

namespace {

struct PauliOptions {
  std::vector<std::string> paulis;  // upper case, each of I, X, Y, Z
  int reps = 2;
  std::string entanglement = "full";
  double alpha = 2.0;
};

std::string join_paulis(const std::vector<std::string>& paulis) {
  std::string out;
  for (const auto& p : paulis) out += (out.empty() ? "" : "+") + p;
  return out;
}

// "Z+ZZ" -> {"Z", "ZZ"} (case-insensitive), each string at most num_qubits letters.
std::vector<std::string> parse_paulis(const std::string& text, int num_qubits, const std::string& context) {
  std::vector<std::string> paulis;
  std::size_t begin = 0;
  while (true) {
    const std::size_t end = text.find('+', begin);
    std::string p = text.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
    if (p.empty())
      throw InvalidArgument(context + ": paulis '" + text + "' has an empty Pauli string (write e.g. Z+ZZ or X+YY)");
    for (char& c : p) {
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      if (c != 'I' && c != 'X' && c != 'Y' && c != 'Z')
        throw InvalidArgument(context + ": Pauli string '" + p + "' may contain only I, X, Y and Z");
    }
    if (static_cast<int>(p.size()) > num_qubits)
      throw InvalidArgument(context + ": Pauli string '" + p + "' acts on " +
                            plural(static_cast<long long>(p.size()), "qubit") + " but the map has " +
                            plural(num_qubits, "qubit"));
    paulis.push_back(std::move(p));
    if (end == std::string::npos) return paulis;
    begin = end + 1;
  }
}

// The evolution of `pauli` on `block` (see the file comment).
void append_evolution(Circuit& c, const std::string& pauli, const std::vector<int>& block, double alpha) {
  const std::size_t m = block.size();
  std::vector<Qubit> active;  // in string order: active[0] holds the highest block position
  std::vector<char> letters;
  for (std::size_t k = 0; k < m; ++k)
    if (pauli[k] != 'I') {
      active.push_back(block[m - 1 - k]);
      letters.push_back(pauli[k]);
    }
  if (active.empty()) return;
  Param angle;
  if (m == 1) {
    angle = Param::parameter(block[0], alpha);
  } else {
    Expr phi = kPi - Expr::parameter(block[0]);
    for (std::size_t j = 1; j < m; ++j) phi = phi * (kPi - Expr::parameter(block[j]));
    angle = alpha * phi;
  }
  for (std::size_t i = 0; i < active.size(); ++i) {
    if (letters[i] == 'X') c.h(active[i]);
    if (letters[i] == 'Y') c.sx(active[i]);
  }
  for (std::size_t i = active.size() - 1; i-- > 0;) c.cx(active[i + 1], active[i]);
  c.p(angle, active[0]);
  for (std::size_t i = 0; i + 1 < active.size(); ++i) c.cx(active[i + 1], active[i]);
  for (std::size_t i = 0; i < active.size(); ++i) {
    if (letters[i] == 'X') c.h(active[i]);
    if (letters[i] == 'Y') c.sxdg(active[i]);
  }
}

Circuit pauli_circuit(const PauliOptions& o, int n) {
  Circuit c = feature_circuit(n, n);
  for (int r = 0; r < o.reps; ++r) {
    for (int q = 0; q < n; ++q) c.h(q);
    for (const auto& p : o.paulis)
      for (const auto& block : entangling_blocks(o.entanglement, static_cast<int>(p.size()), n))
        append_evolution(c, p, block, o.alpha);
  }
  return c;
}

}  // namespace

std::unique_ptr<FeatureMap> make_pauli_family(const ComponentSpec& spec, int num_features) {
  const std::string& name = spec.type;  // zz, z or pauli
  const std::string context = map_context(name);
  ComponentOptions options(spec, context);
  const int n = qubits_per_feature(options, name, num_features);
  PauliOptions o;
  if (name == "pauli") o.paulis = parse_paulis(options.text("paulis", "Z+ZZ"), n, context);
  o.reps = options.integer("reps", 2, 1, 100);
  if (name != "z") o.entanglement = options.choice("entanglement", "full", entanglement_names());
  o.alpha = options.real("alpha", 2.0);
  options.finish();
  if (name == "zz") {
    // Qiskit refuses a ZZFeatureMap on one qubit (its ZZ string needs two).
    if (n < 2) throw InvalidArgument(context + ": needs at least 2 qubits (its ZZ terms act on pairs), got 1");
    o.paulis = {"Z", "ZZ"};
  }
  if (name == "z") o.paulis = {"Z"};
  if (o.entanglement == "pairwise")
    for (const auto& p : o.paulis)
      if (p.size() > 2)
        throw InvalidArgument(context + ": entanglement pairwise takes Pauli strings of at most 2 letters (as in "
                              "Qiskit), got '" + p + "'");

  ComponentSpec canonical{name, {}};
  std::string description;
  const std::string reps = std::to_string(o.reps), alpha = format_number(o.alpha);
  if (name == "pauli") {
    canonical.set("paulis", join_paulis(o.paulis));
    description = "PauliFeatureMap (Qiskit): " + plural(n, "qubit") + ", paulis " + join_paulis(o.paulis) + ", reps " +
                  reps + ", entanglement " + o.entanglement + ", alpha " + alpha;
  } else if (name == "zz") {
    description = "ZZFeatureMap (Qiskit): " + plural(n, "qubit") + ", reps " + reps + ", entanglement " +
                  o.entanglement + ", alpha " + alpha;
  } else {
    description = "ZFeatureMap (Qiskit): " + plural(n, "qubit") + ", reps " + reps + ", alpha " + alpha;
  }
  canonical.set("reps", reps);
  if (name != "z") canonical.set("entanglement", o.entanglement);
  canonical.set("alpha", alpha);
  return std::make_unique<CircuitFeatureMap>(pauli_circuit(o, n), num_features, std::move(canonical),
                                             std::move(description));
}

}  // namespace qmlsim::qml::detail

#pragma once
/// A model's circuit, built ONCE: features and trainable weights are parameters of one Circuit,
/// split by a ParameterLayout that feeds BatchExecutor rows (make_rows) directly. Never a circuit
/// per sample.
#include <span>
#include <string>
#include <vector>

#include "qml/ansatz/ansatz.hpp"
#include "qml/encoding/feature_map.hpp"
#include "simulator/circuit/circuit.hpp"

namespace qmlsim::qml {

/// Which circuit parameters are features (inputs[k] = parameter of feature k) and which are
/// trainable weights (weights[k] = parameter of weight k). Together they cover every parameter once.
struct ParameterLayout {
  std::vector<int> inputs;
  std::vector<int> weights;
};

struct ModelCircuit {
  Circuit circuit;          ///< parameters named x0.. (features) and w0.. (weights)
  ParameterLayout layout;
  [[nodiscard]] int num_qubits() const noexcept { return circuit.num_qubits(); }
  [[nodiscard]] int num_features() const noexcept { return static_cast<int>(layout.inputs.size()); }
  [[nodiscard]] int num_weights() const noexcept { return static_cast<int>(layout.weights.size()); }
  /// Full parameter rows (count x num_parameters) for `inputs` (count x num_features, row-major)
  /// and shared weights: make_rows with this layout.
  [[nodiscard]] std::vector<double> rows(std::span<const double> inputs, std::size_t count,
                                         std::span<const double> weights) const;
};

/// U(x) W(w_1) U(x) W(w_2) ... for `layers` >= 1 (data re-uploading, Perez-Salinas et al. 2020,
/// when layers > 1; each layer has its own weights, layer l's at w[l P .. (l + 1) P)). Features
/// are parameters 0 .. F-1 in every layer (the same x re-uploaded); weights follow. layers = 1 is
/// "feature map + ansatz" (Qiskit's VQC/QNN circuit). The map must be a circuit map (not
/// amplitude: InvalidArgument) and the ansatz must not act on more qubits than the map.
/// `weights_first`: W(w) U(x) per layer instead (a trainable layer BEFORE the encoding, the
/// trainable feature map of Qiskit ML's kernel-training tutorial, used by qsvc-trained).
[[nodiscard]] ModelCircuit compose(const FeatureMap& map, const Ansatz& ansatz, int layers = 1,
                                   bool weights_first = false);

/// A whole model circuit from one file: parameters whose name starts with `input_prefix` are the
/// features (ordered by the number after the prefix, "x0", "x1", ... or by appearance when not
/// numbered), all others are weights, in circuit order. Throws InvalidArgument when no parameter
/// or every parameter has the prefix, or when the feature count differs from num_features.
[[nodiscard]] ModelCircuit split_circuit(const Circuit& circuit, const std::string& input_prefix, int num_features);

/// `circuit` with every parameter index p replaced by map[p] (map.size() == circuit.num_parameters();
/// affine and expression angles alike) in a circuit declaring `num_parameters` parameters.
/// Gradients chain through as before. Throws InvalidArgument for an index out of range.
[[nodiscard]] Circuit renumber_parameters(const Circuit& circuit, std::span<const int> map, int num_parameters);

/// The model circuit with the weights substituted as constants (affine and expression angles
/// alike; expressions partially evaluated, Expr::substituted): parameters 0 .. F-1 are the
/// features in order, named x0, x1, ...; states equal m.circuit's at (x, weights) bit for bit.
/// What qsvc-trained's trained feature map is built from (circuit_feature_map). Throws
/// InvalidArgument for a weight count other than m.num_weights() or a non-finite weight.
[[nodiscard]] Circuit bind_weights(const ModelCircuit& m, std::span<const double> weights);

}  // namespace qmlsim::qml

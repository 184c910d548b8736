// PennyLane's AngleEmbedding: R(x_i) on qubit i, R = RX, RY or RZ (rotation=x|y|z, default x as
// PennyLane's rotation='X'). PennyLane allows fewer features than wires; here the qubit count is
// the feature count (make_feature_map's rule for every circuit map).
#include "qml/encoding/builtin_feature_maps.hpp"
#include "simulator/core/errors.hpp"

namespace qmlsim::qml::detail {

std::unique_ptr<FeatureMap> make_angle_embedding(const ComponentSpec& spec, int num_features) {
  ComponentOptions options(spec, map_context("angle"));
  const int n = qubits_per_feature(options, "angle", num_features);
  const std::string rotation = options.choice("rotation", "x", {"x", "y", "z"});
  options.finish();
  const GateKind kind = rotation == "x" ? GateKind::RX : rotation == "y" ? GateKind::RY : GateKind::RZ;
  Circuit c = feature_circuit(n, n);
  for (int q = 0; q < n; ++q) c.gate(kind, {q}, {Param::parameter(q)});
  return std::make_unique<CircuitFeatureMap>(std::move(c), num_features,
                                             ComponentSpec{"angle", {{"rotation", rotation}}},
                                             "AngleEmbedding (PennyLane): " + plural(n, "qubit") + ", rotation " +
                                                 rotation);
}

}  // namespace qmlsim::qml::detail

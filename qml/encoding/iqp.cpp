// PennyLane's IQPEmbedding with its default pattern: per repetition, H then RZ(x_i) on each qubit
// i in turn, then MultiRZ(x_i x_j) = RZZ(x_i x_j) = exp(-i x_i x_j Z_i Z_j / 2) on every pair
// (i, j), i < j, in itertools.combinations order.
// The entanglers belong in EVERY repetition: PennyLane up to 0.33 applied them in the first only
// (its default pattern was a one-shot iterator, consumed by the first repetition; fixed in 0.34),
// so results published with those versions differ from this map when repeats > 1.
#include "qml/encoding/builtin_feature_maps.hpp"
#include "simulator/core/errors.hpp"

namespace qmlsim::qml::detail {

std::unique_ptr<FeatureMap> make_iqp_embedding(const ComponentSpec& spec, int num_features) {
  ComponentOptions options(spec, map_context("iqp"));
  const int n = qubits_per_feature(options, "iqp", num_features);
  const int repeats = options.integer("repeats", 1, 1, 100);
  options.finish();
  Circuit c = feature_circuit(n, n);
  for (int r = 0; r < repeats; ++r) {
    for (int q = 0; q < n; ++q) c.h(q).rz(Param::parameter(q), q);
    for (const auto& [i, j] : entangling_pairs("full", n)) c.rzz(Expr::parameter(i) * Expr::parameter(j), i, j);
  }
  return std::make_unique<CircuitFeatureMap>(std::move(c), num_features,
                                             ComponentSpec{"iqp", {{"repeats", std::to_string(repeats)}}},
                                             "IQPEmbedding (PennyLane): " + plural(n, "qubit") + ", repeats " +
                                                 std::to_string(repeats));
}

}  // namespace qmlsim::qml::detail

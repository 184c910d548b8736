#pragma once
/// The pieces make_feature_map assembles (internal to qml/encoding: callers use feature_map.hpp).
/// Each factory reads its options through ComponentOptions (unknown keys and bad values are
/// InvalidArgument naming the valid ones) and returns a map whose spec() spells out every default.
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "qml/encoding/feature_map.hpp"

namespace qmlsim::qml::detail {

/// A map that is one fixed circuit with the features as its parameters: every built-in circuit
/// map and circuit_feature_map.
class CircuitFeatureMap final : public FeatureMap {
 public:
  CircuitFeatureMap(Circuit circuit, int num_features, ComponentSpec spec, std::string description)
      : circuit_(std::move(circuit)), num_features_(num_features), spec_(std::move(spec)),
        description_(std::move(description)) {}
  [[nodiscard]] int num_qubits() const noexcept override { return circuit_.num_qubits(); }
  [[nodiscard]] int num_features() const noexcept override { return num_features_; }
  [[nodiscard]] const Circuit* circuit() const noexcept override { return &circuit_; }
  [[nodiscard]] ComponentSpec spec() const override { return spec_; }
  [[nodiscard]] std::string description() const override { return description_; }

 private:
  Circuit circuit_;
  int num_features_;
  ComponentSpec spec_;
  std::string description_;
};

/// "feature map zz": the context of every message about a named map.
[[nodiscard]] std::string map_context(const std::string& name);

/// For a map with one qubit per feature: checks 1 <= num_features <= kMaxQubits and reads the
/// optional `qubits` option, which must equal num_features ("feature map zz has 3 qubits but the
/// data has 4 features"). Returns the qubit count.
[[nodiscard]] int qubits_per_feature(ComponentOptions& options, const std::string& name, int num_features);

/// What FeatureMap::encode checks before it writes: x.size() == num_features(), every feature
/// finite, state.size() == 2^num_qubits(). Throws InvalidArgument naming the map and the value.
void check_sample(const FeatureMap& map, std::span<const double> x, std::span<const cdouble> state);

/// "x0", "x1", ...: the names of the features as circuit parameters.
[[nodiscard]] std::vector<std::string> feature_names(int num_features);

/// An empty circuit on `num_qubits` qubits with parameters theta[0..F) named x0, x1, ...
[[nodiscard]] Circuit feature_circuit(int num_qubits, int num_features);

/// zz, z and pauli (Qiskit's PauliFeatureMap family): pauli_feature_map.cpp.
[[nodiscard]] std::unique_ptr<FeatureMap> make_pauli_family(const ComponentSpec& spec, int num_features);
/// angle (PennyLane AngleEmbedding): angle_encoding.cpp.
[[nodiscard]] std::unique_ptr<FeatureMap> make_angle_embedding(const ComponentSpec& spec, int num_features);
/// iqp (PennyLane IQPEmbedding): iqp.cpp.
[[nodiscard]] std::unique_ptr<FeatureMap> make_iqp_embedding(const ComponentSpec& spec, int num_features);
/// amplitude (PennyLane AmplitudeEmbedding): amplitude_encoding.cpp.
[[nodiscard]] std::unique_ptr<FeatureMap> make_amplitude_embedding(const ComponentSpec& spec, int num_features);

}  // namespace qmlsim::qml::detail

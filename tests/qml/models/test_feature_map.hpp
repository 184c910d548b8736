#pragma once
/// Test helper for kernel models: a feature map written here, independent of qml/encoding, with
/// a closed-form fidelity kernel. "ry-test" puts RY(x_i) on qubit i, so
/// |<phi(x)|phi(y)>|^2 = prod_i cos^2((x_i - y_i) / 2).
#include <cmath>
#include <memory>
#include <string>

#include "qml/encoding/feature_map.hpp"
#include "qml/models/kernel_model.hpp"

namespace qmlsim::testing {

class RyTestMap final : public qml::FeatureMap {
 public:
  explicit RyTestMap(int features) : circuit_(features) {
    for (int i = 0; i < features; ++i) circuit_.ry(Param::parameter(i), static_cast<Qubit>(i));
  }
  [[nodiscard]] int num_qubits() const noexcept override { return circuit_.num_qubits(); }
  [[nodiscard]] int num_features() const noexcept override { return circuit_.num_qubits(); }
  [[nodiscard]] const Circuit* circuit() const noexcept override { return &circuit_; }
  [[nodiscard]] qml::ComponentSpec spec() const override { return {"ry-test", {}}; }
  [[nodiscard]] std::string description() const override { return "RY test map"; }

 private:
  Circuit circuit_;
};

/// Builds "ry-test" maps; any other name goes to make_feature_map.
inline qml::FeatureMapFactory ry_test_factory() {
  return [](const qml::ComponentSpec& spec, int features) -> std::unique_ptr<qml::FeatureMap> {
    if (spec.type == "ry-test") return std::make_unique<RyTestMap>(features);
    return qml::make_feature_map(spec, features);
  };
}

/// The closed form of the ry-test fidelity kernel between the rows of a and b.
inline Eigen::MatrixXd ry_test_kernel(const qml::FeatureMatrix& a, const qml::FeatureMatrix& b) {
  Eigen::MatrixXd k(a.rows(), b.rows());
  for (Eigen::Index i = 0; i < a.rows(); ++i)
    for (Eigen::Index j = 0; j < b.rows(); ++j) {
      double v = 1.0;
      for (Eigen::Index f = 0; f < a.cols(); ++f) v *= std::pow(std::cos((a(i, f) - b(j, f)) / 2.0), 2);
      k(i, j) = v;
    }
  return k;
}

}  // namespace qmlsim::testing

#pragma once
/// Test-local feature maps for the kernel tests (the real maps live in qml/encoding): a ZZ-style
/// circuit map built here, and an amplitude-style map without a circuit (the encode() route).
#include <cmath>
#include <memory>
#include <numeric>
#include <span>
#include <string>
#include <vector>

#include "qml/data/dataset.hpp"
#include "qml/encoding/feature_map.hpp"
#include "simulator/circuit/circuit.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/rng.hpp"
#include "simulator/core/types.hpp"
#include "simulator/execution/simulator.hpp"

namespace qmlsim::testing {

/// H, P(2 x_i) on every qubit, then for every pair i < j: CX(i, j), P(2 (pi - x_i)(pi - x_j)) on j,
/// CX(i, j); `reps` times (Qiskit's ZZFeatureMap with full entanglement).
inline Circuit zz_circuit(int n, int reps = 2) {
  Circuit c(n);
  c.declare_parameters(n);
  for (int r = 0; r < reps; ++r) {
    for (int q = 0; q < n; ++q) c.h(q).p(Param::parameter(q, 2.0), q);
    for (int i = 0; i < n; ++i)
      for (int j = i + 1; j < n; ++j) {
        const Expr e = 2.0 * (kPi - Expr::parameter(i)) * (kPi - Expr::parameter(j));
        c.cx(i, j).p(Param(e), j).cx(i, j);
      }
  }
  return c;
}

class CircuitMap final : public qml::FeatureMap {
 public:
  explicit CircuitMap(Circuit circuit) : circuit_(std::move(circuit)) {}
  [[nodiscard]] int num_qubits() const noexcept override { return circuit_.num_qubits(); }
  [[nodiscard]] int num_features() const noexcept override { return circuit_.num_parameters(); }
  [[nodiscard]] const Circuit* circuit() const noexcept override { return &circuit_; }
  [[nodiscard]] qml::ComponentSpec spec() const override { return {"test-circuit", {}}; }
  [[nodiscard]] std::string description() const override { return "test circuit map"; }

 private:
  Circuit circuit_;
};

/// x (2^n features) normalised into the amplitudes; an all-zero sample throws InvalidArgument.
class AmplitudeMap final : public qml::FeatureMap {
 public:
  explicit AmplitudeMap(int n) : n_(n) {}
  [[nodiscard]] int num_qubits() const noexcept override { return n_; }
  [[nodiscard]] int num_features() const noexcept override { return 1 << n_; }
  [[nodiscard]] const Circuit* circuit() const noexcept override { return nullptr; }
  void encode(std::span<const double> x, std::span<cdouble> state) const override {
    const double norm = std::sqrt(std::inner_product(x.begin(), x.end(), x.begin(), 0.0));
    if (norm == 0.0) throw InvalidArgument("test amplitude map: all-zero sample");
    for (std::size_t i = 0; i < x.size(); ++i) state[i] = x[i] / norm;
  }
  [[nodiscard]] qml::ComponentSpec spec() const override { return {"test-amplitude", {}}; }
  [[nodiscard]] std::string description() const override { return "test amplitude map"; }

 private:
  int n_;
};

inline std::shared_ptr<const qml::FeatureMap> zz_map(int n, int reps = 2) {
  return std::make_shared<CircuitMap>(zz_circuit(n, reps));
}

/// rows x cols features uniform in [lo, hi), seeded.
inline qml::FeatureMatrix random_features(Eigen::Index rows, Eigen::Index cols, std::uint64_t seed, double lo = 0.0,
                                          double hi = kPi) {
  Rng rng(seed);
  qml::FeatureMatrix x(rows, cols);
  for (Eigen::Index i = 0; i < rows; ++i)
    for (Eigen::Index j = 0; j < cols; ++j) x(i, j) = lo + (hi - lo) * rng.uniform();
  return x;
}

/// |phi(x_i)> of every row, simulated one at a time (Simulator::run) or encoded.
inline std::vector<std::vector<cdouble>> states_one_by_one(const qml::FeatureMap& map, const qml::FeatureMatrix& x) {
  std::vector<std::vector<cdouble>> out;
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    const std::span<const double> row(x.data() + i * x.cols(), static_cast<std::size_t>(x.cols()));
    std::vector<cdouble> s(std::size_t{1} << map.num_qubits());
    if (map.circuit()) {
      const auto state = Simulator{}.run(*map.circuit(), row);
      s.assign(state.data(), state.data() + state.size());
    } else {
      map.encode(row, s);
    }
    out.push_back(std::move(s));
  }
  return out;
}

/// <a|b> by a plain loop.
inline cdouble inner(const std::vector<cdouble>& a, const std::vector<cdouble>& b) {
  cdouble sum = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) sum += std::conj(a[i]) * b[i];
  return sum;
}

}  // namespace qmlsim::testing

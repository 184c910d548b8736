#pragma once
/// Shared by the tests of qml/encoding: the states a feature map produces, both ways a caller
/// gets them (BatchExecutor::states_into over rows, FeatureMap::encode per sample), and
/// product states written out from 2-vectors.
#include <gtest/gtest.h>

#include <array>
#include <complex>
#include <span>
#include <vector>

#include "qml/encoding/feature_map.hpp"
#include "simulator/core/rng.hpp"
#include "simulator/execution/batch.hpp"
#include "tests/support/dense_reference.hpp"
#include "tests/support/random_state.hpp"

namespace qmlsim::qml::testing {

/// `count` samples of `features` values uniform in [-1, 4) (around the usual [0, pi] scaling,
/// negative values included), row-major.
inline std::vector<double> random_samples(int count, int features, std::uint64_t seed) {
  Rng rng(seed, static_cast<std::uint64_t>(features));
  return qmlsim::testing::random_angles(static_cast<std::size_t>(count * features), rng, -1.0, 4.0);
}

/// The states of every row of `samples` (row-major), one vector per row: through the batch
/// engine for circuit maps (and checked equal, bit for bit, to encode()), through encode() for
/// maps without a circuit.
inline std::vector<std::vector<cdouble>> map_states(const FeatureMap& map, std::span<const double> samples) {
  const std::size_t f = static_cast<std::size_t>(map.num_features());
  const std::size_t count = samples.size() / f;
  const std::size_t dim = std::size_t{1} << map.num_qubits();
  std::vector<std::vector<cdouble>> states(count, std::vector<cdouble>(dim));
  for (std::size_t i = 0; i < count; ++i) map.encode(samples.subspan(i * f, f), states[i]);
  if (const Circuit* c = map.circuit()) {
    std::vector<cdouble> block(count * dim);
    BatchExecutor(*c).states_into(ParameterRows::of(samples, f), block);
    for (std::size_t i = 0; i < count; ++i)
      for (std::size_t k = 0; k < dim; ++k) EXPECT_EQ(block[i * dim + k], states[i][k]) << "row " << i << ", amplitude " << k;
  }
  return states;
}

/// The product state with qubit q in the one-qubit state factors[q] (qubit 0 least significant).
inline std::vector<cdouble> product_state(const std::vector<std::array<cdouble, 2>>& factors) {
  std::vector<cdouble> psi(std::size_t{1} << factors.size());
  for (std::size_t b = 0; b < psi.size(); ++b) {
    cdouble a = 1.0;
    for (std::size_t q = 0; q < factors.size(); ++q) a *= factors[q][(b >> q) & 1];
    psi[b] = a;
  }
  return psi;
}

/// max_i |a_i - b_i| (sizes must agree; a size mismatch gives a huge value).
inline double max_diff(std::span<const cdouble> a, std::span<const cdouble> b) {
  return qmlsim::testing::max_abs_diff<double>(a, b);
}

}  // namespace qmlsim::qml::testing

// iqp (PennyLane IQPEmbedding) against its closed form: each repetition is H on every qubit,
// then one diagonal D(b) = exp(-i/2 [sum_i x_i z_i + sum_{i<j} x_i x_j z_i z_j]), z_i = 1 - 2 b_i
// (RZ and MultiRZ written out), the entanglers in every repetition.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "qml/encoding/feature_map.hpp"
#include "tests/qml/encoding/encoding_testing.hpp"
#include "tests/support/error_message.hpp"

namespace qmlsim::qml {
namespace {

using qmlsim::testing::invalid_argument_of;
using testing::map_states;
using testing::max_diff;
using testing::random_samples;

// H on every qubit of psi (n qubits), by the butterfly on each bit.
void hadamard_all(std::vector<cdouble>& psi, int n) {
  const double s = 1.0 / std::sqrt(2.0);
  for (int q = 0; q < n; ++q)
    for (std::size_t b = 0; b < psi.size(); ++b)
      if (((b >> q) & 1) == 0) {
        const cdouble a0 = psi[b], a1 = psi[b | (std::size_t{1} << q)];
        psi[b] = s * (a0 + a1);
        psi[b | (std::size_t{1} << q)] = s * (a0 - a1);
      }
}

std::vector<cdouble> iqp_reference(std::span<const double> x, int n, int repeats, bool entangle_every_repeat = true) {
  std::vector<cdouble> psi(std::size_t{1} << n);
  psi[0] = 1.0;
  for (int r = 0; r < repeats; ++r) {
    hadamard_all(psi, n);
    for (std::size_t b = 0; b < psi.size(); ++b) {
      auto z = [&](int i) { return ((b >> i) & 1) ? -1.0 : 1.0; };
      double e = 0.0;
      for (int i = 0; i < n; ++i) e += x[static_cast<std::size_t>(i)] * z(i);
      if (entangle_every_repeat || r == 0)
        for (int i = 0; i < n; ++i)
          for (int j = i + 1; j < n; ++j)
            e += x[static_cast<std::size_t>(i)] * x[static_cast<std::size_t>(j)] * z(i) * z(j);
      psi[b] *= std::polar(1.0, -e / 2);
    }
  }
  return psi;
}

TEST(IqpEmbeddingTest, EqualsTheClosedFormForEveryRepeatCount) {
  for (int n = 1; n <= 4; ++n)
    for (int repeats : {1, 2, 3}) {
      SCOPED_TRACE(std::to_string(n) + " qubits, repeats " + std::to_string(repeats));
      const auto map = make_feature_map({"iqp", {{"repeats", std::to_string(repeats)}}}, n);
      const std::vector<double> x = random_samples(3, n, 41);
      const auto states = map_states(*map, x);
      for (std::size_t i = 0; i < states.size(); ++i)
        EXPECT_LT(max_diff(states[i], iqp_reference(std::span<const double>(x).subspan(i * n, n), n, repeats)), 1e-12);
    }
}

TEST(IqpEmbeddingTest, DiffersFromPennyLaneBefore034WhenRepeated) {
  // PennyLane <= 0.33 entangled in the first repetition only; this map does not.
  const auto map = make_feature_map({"iqp", {{"repeats", "2"}}}, 3);
  const std::vector<double> x{0.4, 1.3, 2.2};
  std::vector<cdouble> psi(8);
  map->encode(x, psi);
  EXPECT_LT(max_diff(psi, iqp_reference(x, 3, 2)), 1e-12);
  EXPECT_GT(max_diff(psi, iqp_reference(x, 3, 2, false)), 1e-3);
}

TEST(IqpEmbeddingTest, GatesArePennyLanesDecomposition) {
  // compute_decomposition for 3 wires: H, RZ per wire, then MultiRZ on (0,1), (0,2), (1,2).
  const auto map = make_feature_map({"iqp", {}}, 3);
  const auto& ops = map->circuit()->operations();
  const std::vector<GateKind> kinds{GateKind::H,   GateKind::RZ,  GateKind::H,   GateKind::RZ, GateKind::H,
                                    GateKind::RZ,  GateKind::RZZ, GateKind::RZZ, GateKind::RZZ};
  ASSERT_EQ(ops.size(), kinds.size());
  for (std::size_t i = 0; i < ops.size(); ++i) EXPECT_EQ(ops[i].kind, kinds[i]) << i;
  EXPECT_EQ(ops[7].qubits, (std::vector<Qubit>{0, 2}));
  const std::vector<double> x{0.4, 1.3, 2.2};
  EXPECT_DOUBLE_EQ(ops[8].params[0].value(x), 1.3 * 2.2);
}

TEST(IqpEmbeddingTest, SpecDescriptionAndOptions) {
  const auto map = make_feature_map({"iqp", {}}, 2);
  EXPECT_EQ(map->spec().text(), "iqp:repeats=1");
  EXPECT_EQ(map->description(), "IQPEmbedding (PennyLane): 2 qubits, repeats 1");
  EXPECT_EQ(invalid_argument_of([] { (void)make_feature_map({"iqp", {{"repeats", "0"}}}, 2); }),
            "feature map iqp: repeats must be an integer in [1, 100], got '0'");
  EXPECT_EQ(invalid_argument_of([] { (void)make_feature_map({"iqp", {{"reps", "2"}}}, 2); }),
            "feature map iqp: unknown option 'reps' (valid: qubits, repeats)");
}

}  // namespace
}  // namespace qmlsim::qml

// angle (PennyLane AngleEmbedding) against the product of its rotations written out:
// RX(x)|0> = (cos x/2, -i sin x/2), RY(x)|0> = (cos x/2, sin x/2), RZ(x)|0> = (e^{-i x/2}, 0).
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

std::array<cdouble, 2> rotated_zero(char axis, double x) {
  const double c = std::cos(x / 2), s = std::sin(x / 2);
  if (axis == 'x') return {c, cdouble(0, -s)};
  if (axis == 'y') return {c, s};
  return {std::polar(1.0, -x / 2), 0.0};
}

TEST(AngleEmbeddingTest, IsTheProductOfRotationsForEveryAxis) {
  for (const char axis : {'x', 'y', 'z'})
    for (int n = 1; n <= 4; ++n) {
      SCOPED_TRACE(std::string(1, axis) + ", " + std::to_string(n) + " qubits");
      const auto map = make_feature_map({"angle", {{"rotation", std::string(1, axis)}}}, n);
      const std::vector<double> x = random_samples(3, n, 51);
      const auto states = map_states(*map, x);
      for (std::size_t i = 0; i < states.size(); ++i) {
        std::vector<std::array<cdouble, 2>> factors;
        for (int q = 0; q < n; ++q) factors.push_back(rotated_zero(axis, x[i * n + q]));
        EXPECT_LT(max_diff(states[i], testing::product_state(factors)), 1e-12);
      }
    }
}

TEST(AngleEmbeddingTest, DefaultsToXAsPennyLane) {
  const auto map = make_feature_map({"angle", {}}, 3);
  EXPECT_EQ(map->spec().text(), "angle:rotation=x");
  EXPECT_EQ(map->description(), "AngleEmbedding (PennyLane): 3 qubits, rotation x");
  for (const auto& op : map->circuit()->operations()) EXPECT_EQ(op.kind, GateKind::RX);
  EXPECT_EQ(invalid_argument_of([] { (void)make_feature_map({"angle", {{"rotation", "X"}}}, 2); }),
            "feature map angle: rotation must be one of x, y, z, got 'X'");
}

}  // namespace
}  // namespace qmlsim::qml

// SGD's update rules against their closed forms on f(x) = h x^2 / 2 (gradient h x): plain steps
// contract by (1 - lr h); heavy-ball and Nesterov momentum as PyTorch's SGD (dampening 0).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "qml/optim/optimizer.hpp"

namespace qmlsim::qml {
namespace {

constexpr double kH = 2.0;

FunctionObjective parabola() {
  return FunctionObjective(
      1, [](std::span<const double> x) { return 0.5 * kH * x[0] * x[0]; },
      [](std::span<const double> x, std::span<double> g) {
        g[0] = kH * x[0];
        return 0.5 * kH * x[0] * x[0];
      });
}

std::vector<double> path(const std::string& spec, int epochs, double x0) {
  OptimizerSettings settings;
  settings.maxiter = epochs;
  auto objective = parabola();
  std::vector<double> xs;
  (void)make_optimizer(parse_component_spec(spec), settings)->minimize(objective, {x0}, [&](const IterationInfo& i) {
    xs.push_back(i.x[0]);
    return false;
  });
  return xs;
}

TEST(SgdTest, PlainStepsContractGeometrically) {
  const auto xs = path("sgd:lr=0.1", 5, 1.0);
  ASSERT_EQ(xs.size(), 6u);
  for (std::size_t k = 0; k < xs.size(); ++k) EXPECT_NEAR(xs[k], std::pow(1.0 - 0.1 * kH, k), 1e-15);
}

TEST(SgdTest, HeavyBallMomentum) {
  // v1 = g0, x1 = x0 - lr v1; v2 = mu v1 + g1, x2 = x1 - lr v2.
  const double lr = 0.1, mu = 0.9, x0 = 1.0;
  const double v1 = kH * x0, x1 = x0 - lr * v1;
  const double v2 = mu * v1 + kH * x1, x2 = x1 - lr * v2;
  const auto xs = path("sgd:lr=0.1,momentum=0.9", 2, x0);
  ASSERT_EQ(xs.size(), 3u);
  EXPECT_DOUBLE_EQ(xs[1], x1);
  EXPECT_DOUBLE_EQ(xs[2], x2);
}

TEST(SgdTest, NesterovMomentumLooksAhead) {
  // v1 = g0, x1 = x0 - lr (g0 + mu v1); v2 = mu v1 + g1, x2 = x1 - lr (g1 + mu v2).
  const double lr = 0.1, mu = 0.9, x0 = 1.0;
  const double g0 = kH * x0, v1 = g0, x1 = x0 - lr * (g0 + mu * v1);
  const double g1 = kH * x1, v2 = mu * v1 + g1, x2 = x1 - lr * (g1 + mu * v2);
  const auto xs = path("sgd:lr=0.1,momentum=0.9,nesterov=true", 2, x0);
  ASSERT_EQ(xs.size(), 3u);
  EXPECT_DOUBLE_EQ(xs[1], x1);
  EXPECT_DOUBLE_EQ(xs[2], x2);
}

}  // namespace
}  // namespace qmlsim::qml

// Adam and AMSGrad against their closed forms on f(x) = x^2 / 2: the first bias-corrected step
// has length lr whatever the gradient's scale; AMSGrad keeps the largest second moment when the
// gradients shrink (beta2 = 0.5 makes the raw moment fall at the second step).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "qml/optim/optimizer.hpp"

namespace qmlsim::qml {
namespace {

std::vector<double> path(const std::string& spec, int epochs, double x0, double scale = 1.0) {
  OptimizerSettings settings;
  settings.maxiter = epochs;
  FunctionObjective objective(
      1, [scale](std::span<const double> x) { return 0.5 * scale * x[0] * x[0]; },
      [scale](std::span<const double> x, std::span<double> g) {
        g[0] = scale * x[0];
        return 0.5 * scale * x[0] * x[0];
      });
  std::vector<double> xs;
  (void)make_optimizer(parse_component_spec(spec), settings)->minimize(objective, {x0}, [&](const IterationInfo& i) {
    xs.push_back(i.x[0]);
    return false;
  });
  return xs;
}

TEST(AdamTest, FirstStepHasLengthLrWhateverTheGradientScale) {
  for (const double scale : {1e-3, 1.0, 1e3}) {
    const auto xs = path("adam:lr=0.25", 1, 2.0, scale);
    ASSERT_EQ(xs.size(), 2u);
    const double g = 2.0 * scale;
    EXPECT_DOUBLE_EQ(xs[1], 2.0 - 0.25 * g / (g + 1e-8)) << scale;
  }
}

TEST(AdamTest, TwoStepsAndAmsGradKeepsTheLargestSecondMoment) {
  const double lr = 0.5, b1 = 0.9, b2 = 0.5, eps = 1e-8, x0 = 1.0;
  const double m1 = (1 - b1) * x0, v1 = (1 - b2) * x0 * x0;
  const double x1 = x0 - lr * (m1 / (1 - b1)) / (std::sqrt(v1 / (1 - b2)) + eps);
  const double m2 = b1 * m1 + (1 - b1) * x1, v2 = b2 * v1 + (1 - b2) * x1 * x1;
  ASSERT_LT(v2, v1);
  const double c1 = 1 - b1 * b1, c2 = 1 - b2 * b2;
  const double adam_x2 = x1 - lr * (m2 / c1) / (std::sqrt(v2 / c2) + eps);
  const double ams_x2 = x1 - lr * (m2 / c1) / (std::sqrt(v1 / c2) + eps);

  const auto adam = path("adam:lr=0.5,beta2=0.5", 2, x0);
  const auto ams = path("adam:lr=0.5,beta2=0.5,amsgrad=true", 2, x0);
  ASSERT_EQ(adam.size(), 3u);
  ASSERT_EQ(ams.size(), 3u);
  EXPECT_DOUBLE_EQ(adam[1], x1);
  EXPECT_DOUBLE_EQ(ams[1], x1);
  EXPECT_DOUBLE_EQ(adam[2], adam_x2);
  EXPECT_DOUBLE_EQ(ams[2], ams_x2);
  EXPECT_NE(adam[2], ams[2]);
}

TEST(AdamTest, AmsGradConvergesOnAQuadratic) {
  const auto xs = path("adam:lr=0.1,amsgrad=true", 500, 3.0);
  EXPECT_LT(std::abs(xs.back()), 1e-3);
}

}  // namespace
}  // namespace qmlsim::qml

// SPSA as Qiskit's: the calibrated gain on a linear function (closed form: the first step is
// exactly the target magnitude 2 pi / 10), the power-series gains, a given lr skipping the
// calibration, the evaluation count, seeded perturbations and mini-batches.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "qml/optim/loop.hpp"
#include "qml/optim/optimizer.hpp"
#include "tests/qml/optim/optim_testing.hpp"

namespace qmlsim::qml {
namespace {

constexpr double kTarget = 2.0 * std::numbers::pi / 10.0;

struct Run {
  std::vector<IterationInfo> infos;
  std::vector<std::vector<double>> xs;
  OptimizeResult result;
};

Run run(const std::string& spec, Objective& objective, std::vector<double> x0, int maxiter, std::uint64_t seed = 1,
        std::size_t batch_size = 0) {
  OptimizerSettings settings;
  settings.maxiter = maxiter;
  settings.seed = seed;
  settings.batch_size = batch_size;
  Run r;
  const auto optimizer = make_optimizer(parse_component_spec(spec), settings);
  r.result = optimizer->minimize(objective, std::move(x0), [&](const IterationInfo& i) {
    r.infos.push_back(i);
    r.xs.emplace_back(i.x.begin(), i.x.end());
    return false;
  });
  return r;
}

// f(x) = x_0: every perturbation pair differs by exactly 2 c delta_0, so the calibrated gain is
// a = target / 1 and the update of x_0 is a_k whatever the signs drawn.
FunctionObjective first_coordinate() {
  return FunctionObjective(3, [](std::span<const double> x) { return x[0]; });
}

TEST(SpsaTest, CalibratedFirstStepIsTheTargetMagnitude) {
  auto objective = first_coordinate();
  const auto r = run("spsa", objective, {0.5, 0.0, 0.0}, 3);
  ASSERT_EQ(r.xs.size(), 4u);
  double x = 0.5;
  for (int k = 1; k <= 3; ++k) {
    const double a_k = kTarget / std::pow(k, 0.602);
    x -= a_k;
    EXPECT_NEAR(r.xs[k][0], x, 1e-12) << k;
    EXPECT_NEAR(r.infos[k].learning_rate, a_k, 1e-15);
    EXPECT_NEAR(r.infos[k].step_size, a_k * std::sqrt(3.0), 1e-12);  // every coordinate moves by a_k
  }
  // value(x0), 25 calibration pairs, 2 per iteration, value(x) at the end.
  EXPECT_EQ(r.result.evaluations, 1u + 50u + 6u + 1u);
  EXPECT_EQ(r.infos[1].evaluations, 1u + 50u + 2u);
  EXPECT_DOUBLE_EQ(r.result.loss, r.result.x[0]);
}

TEST(SpsaTest, StabilityConstantAndGivenLrSkipCalibration) {
  auto objective = first_coordinate();
  const auto r = run("spsa:lr=0.3,stability=2,alpha=1", objective, {0.0, 0.0, 0.0}, 2);
  ASSERT_EQ(r.xs.size(), 3u);
  EXPECT_NEAR(r.xs[1][0], -0.3 / 3.0, 1e-15);
  EXPECT_NEAR(r.xs[2][0], -0.3 / 3.0 - 0.3 / 4.0, 1e-15);
  EXPECT_EQ(r.result.evaluations, 1u + 4u + 1u);
}

TEST(SpsaTest, PerturbationsAreSignsAndShrinkWithGamma) {
  // f(x) = |x|^2: f(x + c d) - f(x - c d) = 4 c x.d, so the estimate is 2 (x.d) d, which does not
  // depend on c; x moves along the drawn sign vector d.
  FunctionObjective objective(2, [](std::span<const double> x) { return x[0] * x[0] + x[1] * x[1]; });
  const auto r = run("spsa:lr=0.1,c=0.3,gamma=0.5", objective, {1.0, 2.0}, 5);
  for (int k = 1; k <= 5; ++k) {
    const auto& before = r.xs[k - 1];
    const auto& after = r.xs[k];
    const double d0 = after[0] - before[0], d1 = after[1] - before[1];
    EXPECT_NEAR(std::abs(d0), std::abs(d1), 1e-12) << k;  // both coordinates move by a_k |2 x.d|
  }
}

TEST(SpsaTest, SeedChoosesThePerturbations) {
  testing::LeastSquares a({1.0, -1.0, 0.5}, 8), b({1.0, -1.0, 0.5}, 8), c({1.0, -1.0, 0.5}, 8);
  const auto r1 = run("spsa", a, {0.0, 0.0, 0.0}, 10, 1);
  const auto r2 = run("spsa", b, {0.0, 0.0, 0.0}, 10, 2);
  const auto r3 = run("spsa", c, {0.0, 0.0, 0.0}, 10, 1);
  EXPECT_NE(r1.xs, r2.xs);
  EXPECT_EQ(r1.xs, r3.xs);
}

TEST(SpsaTest, MiniBatchesFeedEachPerturbationPairOneBatch) {
  testing::LeastSquares objective({1.0, -1.0}, 12);
  const auto r = run("spsa:lr=0.1", objective, {0.0, 0.0}, 6, 3, 4);
  // value(x0) on all rows, 6 pairs on batches of 4, value(x) on all rows.
  ASSERT_EQ(objective.batches.size(), 14u);
  EXPECT_EQ(objective.batches.front().size(), 12u);
  EXPECT_EQ(objective.batches.back().size(), 12u);
  for (std::size_t pair = 0; pair < 6; ++pair) {
    const auto& plus = objective.batches[1 + 2 * pair];
    const auto& minus = objective.batches[2 + 2 * pair];
    EXPECT_EQ(plus, minus);
    const auto epoch_rows = detail::shuffled_rows(12, 3, 1 + pair / 3);
    const auto first = epoch_rows.begin() + static_cast<std::ptrdiff_t>(4 * (pair % 3));
    const std::vector<std::size_t> expected(first, first + 4);
    EXPECT_EQ(plus, expected) << pair;
  }
  EXPECT_EQ(r.result.evaluations, 14u);
}

TEST(SpsaTest, FlatObjectiveFallsBackToTheTargetGain) {
  // Calibration measures no slope (a would be infinite): Qiskit then uses the target magnitude.
  FunctionObjective objective(2, [](std::span<const double>) { return 1.0; });
  const auto r = run("spsa", objective, {0.25, 0.5}, 2);
  EXPECT_EQ(r.result.x, (std::vector<double>{0.25, 0.5}));
  EXPECT_NEAR(r.infos[1].learning_rate, kTarget, 1e-15);
}

}  // namespace
}  // namespace qmlsim::qml

// The epoch loop of sgd and adam: mini-batches from the seeded shuffles (every row once per
// epoch), the epoch loss as the row-weighted mean of the batch losses, the learning-rate schedule
// as reported, step sizes and gradient norms, and the evaluation count.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "qml/optim/loop.hpp"
#include "qml/optim/optimizer.hpp"
#include "tests/qml/optim/optim_testing.hpp"

namespace qmlsim::qml {
namespace {

OptimizerSettings settings_with(int maxiter, std::size_t batch_size, std::uint64_t seed = 1) {
  OptimizerSettings settings;
  settings.maxiter = maxiter;
  settings.batch_size = batch_size;
  settings.seed = seed;
  return settings;
}

std::vector<IterationInfo> run(const std::string& spec, const OptimizerSettings& settings, Objective& objective,
                               std::vector<double> x0, std::vector<std::vector<double>>* xs = nullptr,
                               OptimizeResult* result = nullptr) {
  std::vector<IterationInfo> infos;
  const auto optimizer = make_optimizer(parse_component_spec(spec), settings);
  auto r = optimizer->minimize(objective, std::move(x0), [&](const IterationInfo& i) {
    infos.push_back(i);
    if (xs) xs->emplace_back(i.x.begin(), i.x.end());
    return false;
  });
  if (result) *result = std::move(r);
  return infos;
}

TEST(FirstOrderTest, MiniBatchesCoverEveryRowOncePerEpoch) {
  for (const std::string spec : {"sgd", "adam"}) {
    testing::LeastSquares objective({1.0, -1.0}, 10);
    OptimizeResult result;
    (void)run(spec, settings_with(3, 3, 42), objective, {0.0, 0.0}, nullptr, &result);
    // value(x0), 3 epochs of 4 batches (3 + 3 + 3 + 1 rows), value(x) at the end.
    ASSERT_EQ(objective.batches.size(), 14u) << spec;
    EXPECT_EQ(result.evaluations, 14u);
    EXPECT_EQ(objective.batches.front().size(), 10u);
    EXPECT_EQ(objective.batches.back().size(), 10u);
    for (std::uint64_t epoch = 1; epoch <= 3; ++epoch) {
      std::vector<std::size_t> rows;
      for (std::size_t b = 0; b < 4; ++b) {
        const auto& batch = objective.batches[1 + (epoch - 1) * 4 + b];
        EXPECT_EQ(batch.size(), b < 3 ? 3u : 1u);
        rows.insert(rows.end(), batch.begin(), batch.end());
      }
      EXPECT_EQ(rows, detail::shuffled_rows(10, 42, epoch)) << spec << " epoch " << epoch;
    }
  }
}

TEST(FirstOrderTest, SeedChangesTheMiniBatchPathButNotTheFullBatchOne) {
  auto path = [](std::size_t batch_size, std::uint64_t seed) {
    testing::LeastSquares objective({1.0, -1.0, 0.5}, 12);
    std::vector<std::vector<double>> xs;
    (void)run("adam:lr=0.05", settings_with(10, batch_size, seed), objective, {0.0, 0.0, 0.0}, &xs);
    return xs;
  };
  EXPECT_NE(path(5, 1), path(5, 2));
  EXPECT_EQ(path(5, 1), path(5, 1));
  EXPECT_EQ(path(0, 1), path(0, 2));
}

// Row r costs r whatever x is (zero gradient): the epoch loss must be the mean over rows, 4.5,
// not the mean of the batch means (3 + 3 + 3 + 1 rows weigh differently).
class ConstantRows final : public Objective {
 public:
  std::size_t num_parameters() const override { return 1; }
  std::size_t num_samples() const override { return 10; }
  double value(std::span<const double>) override { return 4.5; }
  double value_and_gradient(std::span<const double>, std::span<double> grad) override {
    grad[0] = 0.0;
    return 4.5;
  }
  double batch_value_and_gradient(std::span<const double>, std::span<const std::size_t> rows,
                                  std::span<double> grad) override {
    grad[0] = 0.0;
    double sum = 0.0;
    for (const auto r : rows) sum += static_cast<double>(r);
    return sum / static_cast<double>(rows.size());
  }
};

TEST(FirstOrderTest, EpochLossIsTheRowWeightedMeanOfTheBatchLosses) {
  ConstantRows objective;
  const auto infos = run("sgd", settings_with(4, 3, 5), objective, {0.0});
  ASSERT_EQ(infos.size(), 5u);
  for (std::size_t k = 1; k < infos.size(); ++k) EXPECT_NEAR(infos[k].loss, 4.5, 1e-14);
}

TEST(FirstOrderTest, LearningRateFollowsTheSchedule) {
  testing::LeastSquares objective({1.0, -1.0}, 6);
  const auto exponential = run("sgd:lr=0.1,schedule=exponential,decay=0.5", settings_with(4, 0), objective, {0.0, 0.0});
  ASSERT_EQ(exponential.size(), 5u);
  EXPECT_EQ(exponential[0].learning_rate, 0.0);  // iteration 0: no step yet
  EXPECT_DOUBLE_EQ(exponential[1].learning_rate, 0.1);
  EXPECT_DOUBLE_EQ(exponential[2].learning_rate, 0.05);
  EXPECT_DOUBLE_EQ(exponential[3].learning_rate, 0.025);
  EXPECT_DOUBLE_EQ(exponential[4].learning_rate, 0.0125);
  const auto constant = run("adam:lr=0.03", settings_with(3, 2), objective, {0.0, 0.0});
  for (std::size_t k = 1; k < constant.size(); ++k) EXPECT_EQ(constant[k].learning_rate, 0.03);
}

TEST(FirstOrderTest, FullBatchReportsTheLossAndGradientAtTheCurrentPoint) {
  // Gradient descent on f(x) = |x|^2 / 2 from (3, 4) with lr 1/2: x_k = x_{k-1} / 2, so |x_k| =
  // 5 / 2^k, f(x_k) = |x_k|^2 / 2, the gradient at x_k is x_k, and the step has length |x_k|.
  FunctionObjective objective(
      2, [](std::span<const double> x) { return 0.5 * (x[0] * x[0] + x[1] * x[1]); },
      [](std::span<const double> x, std::span<double> g) {
        g[0] = x[0];
        g[1] = x[1];
        return 0.5 * (x[0] * x[0] + x[1] * x[1]);
      });
  OptimizeResult result;
  const auto infos = run("sgd:lr=0.5", settings_with(3, 0), objective, {3.0, 4.0}, nullptr, &result);
  ASSERT_EQ(infos.size(), 4u);
  double radius = 5.0;
  EXPECT_DOUBLE_EQ(infos[0].gradient_norm, radius);
  for (std::size_t k = 1; k < infos.size(); ++k) {
    radius *= 0.5;
    EXPECT_DOUBLE_EQ(infos[k].loss, 0.5 * radius * radius);
    EXPECT_DOUBLE_EQ(infos[k].gradient_norm, radius);
    EXPECT_DOUBLE_EQ(infos[k].step_size, radius);
  }
  EXPECT_EQ(result.iterations, 3);
  EXPECT_EQ(result.stop_reason, "maxiter");
  EXPECT_DOUBLE_EQ(result.loss, 0.5 * radius * radius);
  EXPECT_EQ(result.evaluations, 4u);  // value and gradient at x0, x1, x2, x3
}

}  // namespace
}  // namespace qmlsim::qml

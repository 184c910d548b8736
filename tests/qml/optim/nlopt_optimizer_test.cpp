// The NLopt adapter: maxiter counts function evaluations (x0 included, answered once), the best
// point comes back, result codes become stop reasons, exceptions keep their exact type (also
// std::invalid_argument, which NLopt's C++ wrapper would turn into its own), seeding makes runs
// repeat, and problems NLopt cannot take are refused with InvalidArgument.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>
#include <vector>

#include "qml/optim/optimizer.hpp"
#include "simulator/core/errors.hpp"
#include "tests/qml/optim/optim_testing.hpp"
#include "tests/support/error_message.hpp"

namespace qmlsim::qml {
namespace {

using ::testing::HasSubstr;

const std::vector<std::string> kMethods = {"cobyla", "lbfgs", "nelder-mead", "bobyqa"};

std::unique_ptr<Optimizer> make(const std::string& spec, int maxiter) {
  OptimizerSettings settings;
  settings.maxiter = maxiter;
  return make_optimizer(parse_component_spec(spec), settings);
}

TEST(NloptOptimizerTest, MaxiterBoundsTheEvaluationsAndTheirCountIsReported) {
  for (const auto& method : kMethods) {
    auto rosenbrock = testing::rosenbrock_objective();
    testing::Counting objective(rosenbrock);
    const auto result = make(method, 30)->minimize(objective, {-1.2, 1.0});
    EXPECT_EQ(objective.calls, 30) << method;
    EXPECT_EQ(result.evaluations, 30u) << method;
    EXPECT_EQ(result.iterations, 29) << method;  // iteration 0 is x0
    EXPECT_EQ(result.stop_reason, "maxiter") << method;
  }
}

TEST(NloptOptimizerTest, ReturnsTheBestPointEvaluated) {
  for (const auto& method : kMethods) {
    auto objective = testing::rosenbrock_objective();
    double best = 1e300;
    const auto result = make(method, 40)->minimize(objective, {-1.2, 1.0}, [&](const IterationInfo& info) {
      best = std::min(best, info.loss);
      return false;
    });
    EXPECT_EQ(result.loss, best) << method;
    EXPECT_EQ(result.loss, testing::rosenbrock(result.x)) << method;
  }
}

TEST(NloptOptimizerTest, ToleranceEndsAsConverged) {
  testing::LeastSquares objective({0.5, -1.0, 2.0}, 12);
  const auto cobyla = make("cobyla:tol=1e-6", 10000)->minimize(objective, {0.0, 0.0, 0.0});
  EXPECT_EQ(cobyla.stop_reason, "converged");
  EXPECT_LT(cobyla.evaluations, 10000u);
  const auto lbfgs = make("lbfgs:tol=1e-6", 10000)->minimize(objective, {0.0, 0.0, 0.0});
  EXPECT_THAT(lbfgs.stop_reason, ::testing::AnyOf("converged", "nlopt: success"));
  EXPECT_LT(lbfgs.loss, 1e-10);
}

TEST(NloptOptimizerTest, GradientMethodReportsGradientNorms) {
  auto objective = testing::rosenbrock_objective();
  std::vector<double> norms;
  (void)make("lbfgs", 10)->minimize(objective, {-1.2, 1.0}, [&](const IterationInfo& info) {
    norms.push_back(info.gradient_norm);
    return false;
  });
  ASSERT_FALSE(norms.empty());
  // At (-1.2, 1): g = (-2 (2.2) - 400 (-1.2)(1 - 1.44), 200 (1 - 1.44)) = (-215.6, -88).
  EXPECT_NEAR(norms[0], std::hypot(215.6, 88.0), 1e-9);
}

TEST(NloptOptimizerTest, StandardExceptionsKeepTheirTypeAndMessage) {
  for (const auto& method : kMethods) {
    auto rosenbrock = testing::rosenbrock_objective();
    testing::Counting objective(rosenbrock, [](int call) {
      if (call == 4) throw std::invalid_argument("std invalid argument from the objective");
    });
    try {
      (void)make(method, 100)->minimize(objective, {-1.2, 1.0});
      ADD_FAILURE() << method << ": no exception";
    } catch (const std::invalid_argument& e) {
      EXPECT_STREQ(e.what(), "std invalid argument from the objective") << method;
    }
  }
}

TEST(NloptOptimizerTest, RepeatedRunsAreIdentical) {
  // nlopt::srand(seed) before each run: nothing depends on the clock or on earlier runs.
  auto path = [](const std::string& method) {
    auto objective = testing::rosenbrock_objective();
    std::vector<std::vector<double>> xs;
    (void)make(method, 60)->minimize(objective, {-1.2, 1.0}, [&](const IterationInfo& info) {
      xs.emplace_back(info.x.begin(), info.x.end());
      return false;
    });
    return xs;
  };
  for (const auto& method : kMethods) {
    const auto first = path(method);
    (void)path("cobyla");
    EXPECT_EQ(path(method), first) << method;
  }
}

TEST(NloptOptimizerTest, BobyqaNeedsTwoParameters) {
  FunctionObjective objective(1, [](std::span<const double> x) { return x[0] * x[0]; });
  EXPECT_THAT(qmlsim::testing::invalid_argument_of([&] { (void)make("bobyqa", 10)->minimize(objective, {1.0}); }),
              HasSubstr("optimizer bobyqa needs at least 2 parameters, got 1"));
  for (const std::string method : {"cobyla", "nelder-mead"})
    EXPECT_LT(make(method, 200)->minimize(objective, {1.0}).loss, 1e-6) << method;
}

}  // namespace
}  // namespace qmlsim::qml

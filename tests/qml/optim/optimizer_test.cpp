// What every optimizer promises through the one interface: convergence on a convex quadratic and
// on Rosenbrock's valley, the same path for the same seed, exceptions from the objective and the
// callback reaching the caller unchanged, callback stops, counted evaluations, iteration 0 at x0;
// and the factory's names, options, messages and canonical specs.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "qml/optim/optimizer.hpp"
#include "simulator/core/errors.hpp"
#include "tests/qml/optim/optim_testing.hpp"
#include "tests/support/error_message.hpp"

namespace qmlsim::qml {
namespace {

using qmlsim::testing::invalid_argument_of;
using testing::Counting;
using testing::LeastSquares;
using ::testing::HasSubstr;

std::unique_ptr<Optimizer> make(const std::string& text, int maxiter, std::uint64_t seed = 1,
                                std::size_t batch_size = 0) {
  OptimizerSettings settings;
  settings.maxiter = maxiter;
  settings.seed = seed;
  settings.batch_size = batch_size;
  return make_optimizer(parse_component_spec(text), settings);
}

double distance_to(std::span<const double> x, std::span<const double> target) {
  double s = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) s += (x[i] - target[i]) * (x[i] - target[i]);
  return std::sqrt(s);
}

// One optimizer with the settings it needs on each problem (iterations generous).
struct Case {
  std::string quadratic;  // spec on the 3-parameter least-squares problem
  int quadratic_maxiter;
  std::string rosenbrock;  // spec on Rosenbrock from (-1.2, 1)
  int rosenbrock_maxiter;
  double rosenbrock_distance;  // bound on |x - (1, 1)|
};

const std::vector<Case>& cases() {
  static const std::vector<Case> all = {
      {"sgd:lr=0.2,momentum=0.5", 300, "sgd:lr=0.001,momentum=0.95,nesterov=true", 20000, 1e-6},
      {"adam:lr=0.1", 1000, "adam:lr=0.02", 5000, 1e-6},
      {"spsa", 5000, "spsa:lr=0.002,c=0.01,alpha=0.1", 20000, 0.01},
      {"cobyla", 1000, "cobyla", 20000, 1e-3},
      {"lbfgs", 100, "lbfgs", 200, 1e-6},
      {"nelder-mead", 1000, "nelder-mead", 1000, 1e-6},
      {"bobyqa", 1000, "bobyqa", 1000, 1e-6},
  };
  return all;
}

void PrintTo(const Case& c, std::ostream* os) { *os << c.quadratic; }

class EachOptimizer : public ::testing::TestWithParam<Case> {
 protected:
  // The optimizer of this case with its quadratic spec, `maxiter` iterations, mini-batches of 4
  // rows where it takes them.
  std::unique_ptr<Optimizer> quadratic_optimizer(int maxiter, std::uint64_t seed = 1, double time_limit = 0.0) const {
    OptimizerSettings settings;
    settings.maxiter = maxiter;
    settings.seed = seed;
    const ComponentSpec spec = parse_component_spec(GetParam().quadratic);
    const bool batches = spec.type == "sgd" || spec.type == "adam" || spec.type == "spsa";
    settings.batch_size = batches ? 4 : 0;
    settings.time_limit = time_limit;
    return make_optimizer(spec, settings);
  }
};

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
  std::string name = parse_component_spec(info.param.quadratic).type;
  for (auto& ch : name)
    if (ch == '-') ch = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(All, EachOptimizer, ::testing::ValuesIn(cases()), case_name);

TEST_P(EachOptimizer, ConvergesOnAConvexQuadratic) {
  LeastSquares objective({0.5, -1.0, 2.0}, 12);
  const auto result = make(GetParam().quadratic, GetParam().quadratic_maxiter)->minimize(objective, {0.0, 0.0, 0.0});
  EXPECT_LT(result.loss, 1e-6) << result.stop_reason;
  EXPECT_LT(distance_to(result.x, objective.x_star()), 1e-3);
}

TEST_P(EachOptimizer, ConvergesOnRosenbrock) {
  auto objective = testing::rosenbrock_objective();
  const auto result =
      make(GetParam().rosenbrock, GetParam().rosenbrock_maxiter)->minimize(objective, {-1.2, 1.0});
  const std::vector<double> optimum = {1.0, 1.0};
  EXPECT_LT(distance_to(result.x, optimum), GetParam().rosenbrock_distance) << result.stop_reason;
  EXPECT_DOUBLE_EQ(result.loss, testing::rosenbrock(result.x));
}

// Every x the callback sees, in order.
std::vector<std::vector<double>> path_of(const Optimizer& optimizer, Objective& objective, std::vector<double> x0) {
  std::vector<std::vector<double>> path;
  (void)optimizer.minimize(objective, std::move(x0), [&](const IterationInfo& info) {
    path.emplace_back(info.x.begin(), info.x.end());
    return false;
  });
  return path;
}

TEST_P(EachOptimizer, SameSeedGivesTheSamePathBitForBit) {
  LeastSquares a({0.5, -1.0, 2.0}, 12), b({0.5, -1.0, 2.0}, 12);
  const auto first = path_of(*quadratic_optimizer(20, 5), a, {0.1, 0.2, 0.3});
  const auto second = path_of(*quadratic_optimizer(20, 5), b, {0.1, 0.2, 0.3});
  ASSERT_GT(first.size(), 5u);
  EXPECT_EQ(first, second);  // exact comparison of every coordinate
  EXPECT_EQ(a.batches, b.batches);
}

TEST_P(EachOptimizer, IterationZeroIsTheInitialPoint) {
  LeastSquares objective({0.5, -1.0, 2.0}, 12);
  const std::vector<double> x0 = {0.1, 0.2, 0.3};
  const double f0 = objective.value(x0);
  std::vector<IterationInfo> seen;
  std::vector<std::vector<double>> xs;
  (void)quadratic_optimizer(5)->minimize(objective, x0, [&](const IterationInfo& info) {
    seen.push_back(info);
    xs.emplace_back(info.x.begin(), info.x.end());
    return false;
  });
  ASSERT_GE(seen.size(), 2u);
  EXPECT_EQ(seen[0].iteration, 0);
  EXPECT_EQ(xs[0], x0);
  EXPECT_EQ(seen[0].loss, f0);
  EXPECT_EQ(seen[0].evaluations, 1u);
  for (std::size_t i = 1; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i].iteration, static_cast<int>(i));
    EXPECT_GT(seen[i].evaluations, seen[i - 1].evaluations);
    EXPECT_GE(seen[i].seconds, seen[i - 1].seconds);
  }
}

TEST_P(EachOptimizer, CountsEveryEvaluation) {
  LeastSquares inner({0.5, -1.0, 2.0}, 12);
  Counting objective(inner);
  std::uint64_t last_seen = 0;
  const auto result = quadratic_optimizer(30)->minimize(objective, {0.0, 0.0, 0.0}, [&](const IterationInfo& info) {
    last_seen = info.evaluations;
    return false;
  });
  EXPECT_EQ(result.evaluations, static_cast<std::uint64_t>(objective.calls));
  EXPECT_LE(last_seen, result.evaluations);
  EXPECT_GT(result.iterations, 0);
}

TEST_P(EachOptimizer, ExceptionFromTheObjectiveReachesTheCallerUnchanged) {
  for (const int failing : {1, 3}) {
    LeastSquares inner({0.5, -1.0, 2.0}, 12);
    Counting objective(inner, [&](int call) {
      if (call == failing) throw InvalidArgument("objective failed at evaluation " + std::to_string(call));
    });
    try {
      (void)quadratic_optimizer(20)->minimize(objective, {0.0, 0.0, 0.0});
      ADD_FAILURE() << "no exception (evaluation " << failing << ")";
    } catch (const InvalidArgument& e) {
      EXPECT_EQ(std::string(e.what()), "objective failed at evaluation " + std::to_string(failing));
    }
    EXPECT_EQ(objective.calls, failing);  // nothing evaluated after the failure
  }
}

TEST_P(EachOptimizer, OtherExceptionTypesKeepTheirType) {
  LeastSquares inner({0.5, -1.0, 2.0}, 12);
  Counting objective(inner, [](int call) {
    if (call == 2) throw DatasetError("row 7: bad label");
  });
  EXPECT_THROW((void)quadratic_optimizer(20)->minimize(objective, {0.0, 0.0, 0.0}), DatasetError);
}

TEST_P(EachOptimizer, ExceptionFromTheCallbackReachesTheCallerUnchanged) {
  LeastSquares objective({0.5, -1.0, 2.0}, 12);
  try {
    (void)quadratic_optimizer(20)->minimize(objective, {0.0, 0.0, 0.0}, [](const IterationInfo& info) -> bool {
      if (info.iteration == 2) throw InvalidArgument("callback refused iteration 2");
      return false;
    });
    ADD_FAILURE() << "no exception";
  } catch (const InvalidArgument& e) {
    EXPECT_STREQ(e.what(), "callback refused iteration 2");
  }
}

TEST_P(EachOptimizer, CallbackReturningTrueStops) {
  LeastSquares objective({0.5, -1.0, 2.0}, 12);
  int calls = 0;
  const auto result = quadratic_optimizer(50)->minimize(objective, {0.0, 0.0, 0.0}, [&](const IterationInfo& info) {
    ++calls;
    return info.iteration == 3;
  });
  EXPECT_EQ(result.stop_reason, "callback");
  EXPECT_EQ(result.iterations, 3);
  EXPECT_EQ(calls, 4);  // iterations 0, 1, 2, 3
}

TEST_P(EachOptimizer, CallbackStopAtTheInitialPointReturnsIt) {
  LeastSquares objective({0.5, -1.0, 2.0}, 12);
  const std::vector<double> x0 = {0.1, 0.2, 0.3};
  const auto result = quadratic_optimizer(50)->minimize(objective, x0, [](const IterationInfo&) { return true; });
  EXPECT_EQ(result.stop_reason, "callback");
  EXPECT_EQ(result.iterations, 0);
  EXPECT_EQ(result.evaluations, 1u);
  EXPECT_EQ(result.x, x0);
  EXPECT_EQ(result.loss, objective.value(x0));
}

TEST_P(EachOptimizer, TimeLimitStops) {
  // A limit of 1 ns has passed by the first report (an evaluation takes longer).
  LeastSquares objective({0.5, -1.0, 2.0}, 12);
  const auto result = quadratic_optimizer(1000, 1, 1e-9)->minimize(objective, {0.0, 0.0, 0.0});
  EXPECT_EQ(result.stop_reason, "time_limit");
  EXPECT_EQ(result.iterations, 0);
}

TEST_P(EachOptimizer, RejectsAnInitialPointOfTheWrongSize) {
  LeastSquares objective({0.5, -1.0, 2.0}, 12);
  EXPECT_THAT(invalid_argument_of([&] { (void)quadratic_optimizer(5)->minimize(objective, {0.0, 0.0}); }),
              HasSubstr("initial point: expects 3 values, got 2"));
}

TEST_P(EachOptimizer, CanonicalSpecRebuildsTheSameOptimizer) {
  const auto optimizer = quadratic_optimizer(5);
  const ComponentSpec spec = optimizer->spec();
  EXPECT_EQ(spec.type, parse_component_spec(GetParam().quadratic).type);
  const auto rebuilt = make_optimizer(parse_component_spec(spec.text()), OptimizerSettings{});
  EXPECT_EQ(rebuilt->spec(), spec);
  EXPECT_EQ(rebuilt->uses_gradient(), optimizer->uses_gradient());
}

TEST(MakeOptimizerTest, NamesInHelpOrder) {
  EXPECT_EQ(optimizer_names(),
            (std::vector<std::string>{"sgd", "adam", "spsa", "cobyla", "lbfgs", "nelder-mead", "bobyqa"}));
  for (const auto& name : optimizer_names()) EXPECT_NO_THROW((void)make(name, 10)) << name;
}

TEST(MakeOptimizerTest, UnknownNameListsTheKnownOnes) {
  EXPECT_EQ(invalid_argument_of([] { (void)make("adm", 10); }),
            "unknown optimizer 'adm' (known: sgd, adam, spsa, cobyla, lbfgs, nelder-mead, bobyqa)");
}

TEST(MakeOptimizerTest, UnknownOptionListsTheValidOnes) {
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"sgd", "lr, schedule, decay, momentum, nesterov"},
      {"adam", "lr, schedule, decay, beta1, beta2, epsilon, amsgrad"},
      {"spsa", "lr, c, alpha, gamma, stability"},
      {"cobyla", "rhobeg, tol"},
      {"lbfgs", "tol, memory"},
      {"nelder-mead", "step, tol"},
      {"bobyqa", "rhobeg, tol"},
  };
  for (const auto& [name, valid] : expected)
    EXPECT_EQ(invalid_argument_of([&] { (void)make(name + ":bogus=1", 10); }),
              "optimizer " + name + ": unknown option 'bogus' (valid: " + valid + ")");
}

TEST(MakeOptimizerTest, BadValuesNameTheValueAndTheValidRange) {
  EXPECT_THAT(invalid_argument_of([] { (void)make("sgd:momentum=1", 10); }),
              HasSubstr("optimizer sgd: momentum 1 out of range [0, 1)"));
  EXPECT_THAT(invalid_argument_of([] { (void)make("sgd:nesterov=true", 10); }), HasSubstr("needs momentum > 0"));
  EXPECT_THAT(invalid_argument_of([] { (void)make("sgd:lr=0", 10); }),
              HasSubstr("optimizer sgd: lr 0 must be positive"));
  EXPECT_THAT(invalid_argument_of([] { (void)make("adam:schedule=linear", 10); }),
              HasSubstr("schedule must be one of constant, exponential, got 'linear'"));
  EXPECT_THAT(invalid_argument_of([] { (void)make("adam:decay=1.5", 10); }),
              HasSubstr("optimizer adam: decay 1.5 out of range (0, 1]"));
  EXPECT_THAT(invalid_argument_of([] { (void)make("adam:beta2=1", 10); }),
              HasSubstr("optimizer adam: beta2 1 out of range [0, 1)"));
  EXPECT_THAT(invalid_argument_of([] { (void)make("adam:amsgrad=yes", 10); }), HasSubstr("true, false"));
  EXPECT_THAT(invalid_argument_of([] { (void)make("spsa:c=-0.1", 10); }),
              HasSubstr("optimizer spsa: c -0.1 must be positive"));
  EXPECT_THAT(invalid_argument_of([] { (void)make("cobyla:rhobeg=0", 10); }),
              HasSubstr("optimizer cobyla: rhobeg 0 must be positive"));
  EXPECT_THAT(invalid_argument_of([] { (void)make("bobyqa:tol=-1", 10); }),
              HasSubstr("optimizer bobyqa: tol -1 must be >= 0"));
  EXPECT_THAT(invalid_argument_of([] { (void)make("lbfgs:memory=0", 10); }),
              HasSubstr("optimizer lbfgs: memory must be an integer in [1, 1000], got '0'"));
}

TEST(MakeOptimizerTest, BadSettings) {
  EXPECT_THAT(invalid_argument_of([] { (void)make("adam", 0); }), HasSubstr("optimizer: maxiter 0 must be positive"));
  OptimizerSettings settings;
  settings.time_limit = -1.0;
  EXPECT_THAT(invalid_argument_of([&] { (void)make_optimizer({"cobyla", {}}, settings); }),
              HasSubstr("optimizer: time limit -1 must be >= 0"));
  // NLopt's methods evaluate every row: a batch size would be ignored, so it is refused.
  settings.time_limit = 0.0;
  settings.batch_size = 8;
  EXPECT_THAT(invalid_argument_of([&] { (void)make_optimizer({"cobyla", {}}, settings); }),
              HasSubstr("optimizer cobyla: a batch size applies to sgd, adam and spsa only"));
  EXPECT_NO_THROW((void)make_optimizer({"spsa", {}}, settings));
}

TEST(MakeOptimizerTest, CanonicalSpecsSpellTheDefaultsOut) {
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"sgd", "sgd:lr=0.01,schedule=constant,decay=0.99,momentum=0,nesterov=false"},
      {"adam", "adam:lr=0.01,schedule=constant,decay=0.99,beta1=0.9,beta2=0.999,epsilon=1e-08,amsgrad=false"},
      {"spsa", "spsa:c=0.2,alpha=0.602,gamma=0.101,stability=0"},
      {"spsa:lr=0.5", "spsa:lr=0.5,c=0.2,alpha=0.602,gamma=0.101,stability=0"},
      {"cobyla", "cobyla:rhobeg=1,tol=0"},
      {"lbfgs", "lbfgs:tol=1e-10,memory=10"},
      {"nelder-mead", "nelder-mead:step=0.5,tol=0"},
      {"bobyqa", "bobyqa:rhobeg=0.5,tol=0"},
  };
  for (const auto& [text, canonical] : expected) EXPECT_EQ(make(text, 10)->spec().text(), canonical);
}

TEST(MakeOptimizerTest, GradientMethodsSayWhatTheyNeed) {
  for (const auto& name : optimizer_names())
    EXPECT_EQ(make(name, 10)->uses_gradient(), name == "sgd" || name == "adam" || name == "lbfgs") << name;
  FunctionObjective no_gradient(2, testing::rosenbrock);
  for (const std::string name : {"sgd", "adam", "lbfgs"})
    EXPECT_THAT(invalid_argument_of([&] { (void)make(name, 10)->minimize(no_gradient, {0.0, 0.0}); }),
                HasSubstr("optimizer " + name + " needs exact gradients"));
}

TEST(FunctionObjectiveTest, WithoutAGradientFunctionHasNoGradient) {
  FunctionObjective objective(2, testing::rosenbrock);
  EXPECT_FALSE(objective.has_gradient());
  EXPECT_EQ(objective.num_samples(), 0u);
  std::vector<double> grad(2);
  const std::vector<double> x = {1.0, 1.0};
  EXPECT_THAT(invalid_argument_of([&] { (void)objective.value_and_gradient(x, grad); }), HasSubstr("no gradient"));
  const std::vector<std::size_t> rows = {0};
  EXPECT_THAT(invalid_argument_of([&] { (void)objective.batch_value(x, rows); }), HasSubstr("mini-batch"));
}

}  // namespace
}  // namespace qmlsim::qml

#include "qml/qnn/qnn_objective.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "simulator/core/rng.hpp"
#include "simulator/execution/simulator.hpp"
#include "tests/qml/qnn/qnn_testing.hpp"
#include "tests/support/error_message.hpp"

namespace qmlsim::qml {
namespace {

using ::testing::DoubleNear;
using ::testing::HasSubstr;
using ::testing::Pointwise;

// Inputs x0, x1 are parameters 0 and 1; six weights follow, one of them inside an expression
// with an input (w * x + b, as data re-uploading encodes).
struct TestCircuit {
  Circuit circuit{2};
  ParameterLayout layout{{0, 1}, {2, 3, 4, 5, 6, 7}};
  TestCircuit() {
    const auto p = [](int i) { return Param::parameter(i); };
    circuit.ry(p(0), 0).ry(p(1), 1).ry(p(2), 0).rz(p(3), 1).cx(0, 1);
    circuit.rx(Expr::parameter(4) * Expr::parameter(0) + Expr::parameter(5), 0);
    circuit.ry(p(6), 1).cx(1, 0).ry(p(7), 0);
  }
};

FeatureMatrix features(int rows) {
  Rng rng(7);
  FeatureMatrix x(rows, 2);
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < 2; ++j) x(i, j) = 3.0 * rng.uniform();
  return x;
}

Labels labels(int rows, int classes) {
  Labels y(static_cast<std::size_t>(rows));
  for (int i = 0; i < rows; ++i) y[static_cast<std::size_t>(i)] = i % classes;
  return y;
}

std::vector<double> weights(std::size_t n) {
  Rng rng(11);
  std::vector<double> w(n);
  for (double& v : w) v = 2.0 * rng.uniform() - 1.0;
  return w;
}

void expect_gradient_matches_finite_differences(QnnObjective& objective, const std::string& what) {
  const std::vector<double> w = weights(objective.num_parameters());
  std::vector<double> grad(w.size());
  const double value = objective.value_and_gradient(w, grad);
  EXPECT_DOUBLE_EQ(value, objective.value(w)) << what;
  const auto f = [&](std::span<const double> v) { return objective.value(v); };
  EXPECT_THAT(grad, Pointwise(DoubleNear(1e-7), testing::finite_difference_gradient(f, w))) << what;
}

SimulatorOptions threads(int n) {
  SimulatorOptions o;
  o.parallel = n == 1 ? Parallelism::serial() : Parallelism{n, 16};
  return o;
}

TEST(QnnObjectiveTest, ClassifierGradientsEqualFiniteDifferencesForEveryReadoutAndLoss) {
  const TestCircuit t;
  const int rows = 7;
  for (const auto& [kind, classes] : std::vector<std::pair<ReadoutKind, int>>{
           {ReadoutKind::Modulo, 3}, {ReadoutKind::Parity, 2}, {ReadoutKind::PerClassZ, 2}, {ReadoutKind::ClassStates, 3}}) {
    for (const std::string& loss : loss_names()) {
      Readout readout(kind, classes, 2, 0.8);
      std::vector<Observable> observables = readout.observables();
      auto sample_loss = std::make_shared<ClassifierLoss>(std::move(readout), loss_kind(loss), labels(rows, classes));
      QnnObjective objective(t.circuit, t.layout, std::move(observables), features(rows), sample_loss, 0.01);
      expect_gradient_matches_finite_differences(objective, readout_names()[static_cast<std::size_t>(kind)] + " " + loss);
    }
  }
}

TEST(QnnObjectiveTest, RegressionAndDressedGradientsEqualFiniteDifferences) {
  const TestCircuit t;
  const int rows = 6;
  QnnObjective regression(t.circuit, t.layout, {PauliSum::parse("Z0 + 0.5*X1")}, features(rows),
                          std::make_shared<RegressionLoss>(std::vector<double>{0.1, -0.4, 0.9, 0.0, -1.0, 0.3}), 0.0);
  expect_gradient_matches_finite_differences(regression, "regression");

  auto dressed_loss = std::make_shared<DressedLoss>(2, 3, LossKind::CrossEntropy, labels(rows, 3));
  QnnObjective dressed(t.circuit, t.layout, {PauliSum::parse("Z0"), PauliSum::parse("Z1")}, features(rows),
                       dressed_loss, 0.02);
  EXPECT_EQ(dressed.num_parameters(), 6u + 3u * 3u);
  expect_gradient_matches_finite_differences(dressed, "dressed");
}

TEST(QnnObjectiveTest, ValueIsTheMeanOfPerSampleLossesOfSimulatedStates) {
  const TestCircuit t;
  const int rows = 5;
  const FeatureMatrix x = features(rows);
  const Labels y = labels(rows, 3);
  Readout readout(ReadoutKind::Modulo, 3, 2);
  std::vector<Observable> observables = readout.observables();
  QnnObjective objective(t.circuit, t.layout, observables, x,
                         std::make_shared<ClassifierLoss>(readout, LossKind::CrossEntropyLog2, y), 0.0);
  const std::vector<double> w = weights(6);
  double expected = 0.0;
  for (int i = 0; i < rows; ++i) {
    const std::vector<double> theta = {x(i, 0), x(i, 1), w[0], w[1], w[2], w[3], w[4], w[5]};
    const std::vector<double> basis = Simulator().run(t.circuit, theta).probabilities();
    const double p = basis[static_cast<std::size_t>(y[static_cast<std::size_t>(i)])] +
                     (y[static_cast<std::size_t>(i)] == 0 ? basis[3] : 0.0);
    expected += -std::log2(p);
  }
  EXPECT_NEAR(objective.value(w), expected / rows, 1e-13);
}

TEST(QnnObjectiveTest, BatchesAreMeansOverTheirSamples) {
  const TestCircuit t;
  const int rows = 6;
  Readout readout(ReadoutKind::Parity, 2, 2);
  std::vector<Observable> observables = readout.observables();
  QnnObjective objective(t.circuit, t.layout, observables, features(rows),
                         std::make_shared<ClassifierLoss>(readout, LossKind::CrossEntropy, labels(rows, 2)), 0.0);
  EXPECT_EQ(objective.num_samples(), 6u);
  const std::vector<double> w = weights(6);
  const std::vector<std::size_t> a = {4}, b = {1}, both = {4, 1};
  std::vector<double> ga(6), gb(6), gboth(6);
  const double va = objective.batch_value_and_gradient(w, a, ga);
  const double vb = objective.batch_value_and_gradient(w, b, gb);
  EXPECT_NEAR(objective.batch_value_and_gradient(w, both, gboth), (va + vb) / 2, 1e-15);
  EXPECT_NEAR(objective.batch_value(w, both), (va + vb) / 2, 1e-15);
  for (std::size_t k = 0; k < 6; ++k) EXPECT_NEAR(gboth[k], (ga[k] + gb[k]) / 2, 1e-15);
  EXPECT_EQ(objective.circuit_evaluations(), 2u + 2u + 4u + 2u);
}

TEST(QnnObjectiveTest, SameBitsOnOneAndTwoThreads) {
  const TestCircuit t;
  const int rows = 40;
  std::vector<double> values, grads;
  for (int n : {1, 2}) {
    Readout readout(ReadoutKind::Modulo, 3, 2);
    std::vector<Observable> observables = readout.observables();
    QnnObjective objective(t.circuit, t.layout, observables, features(rows),
                           std::make_shared<ClassifierLoss>(readout, LossKind::CrossEntropy, labels(rows, 3)), 0.1,
                           threads(n));
    std::vector<double> g(6);
    values.push_back(objective.value_and_gradient(weights(6), g));
    grads.insert(grads.end(), g.begin(), g.end());
  }
  EXPECT_EQ(values[0], values[1]);
  EXPECT_TRUE(std::equal(grads.begin(), grads.begin() + 6, grads.begin() + 6));
}

TEST(QnnObjectiveTest, RefusesMismatchedShapes) {
  using qmlsim::testing::invalid_argument_of;
  const TestCircuit t;
  Readout readout(ReadoutKind::Parity, 2, 2);
  const auto loss = std::make_shared<ClassifierLoss>(readout, LossKind::CrossEntropy, labels(4, 2));
  EXPECT_THAT(invalid_argument_of([&] {
                QnnObjective(t.circuit, t.layout, readout.observables(), FeatureMatrix::Zero(4, 3), loss, 0.0);
              }),
              HasSubstr("the circuit has 2 inputs but the data has 3 features"));
  EXPECT_THAT(invalid_argument_of([&] {
                QnnObjective(t.circuit, ParameterLayout{{0, 1}, {2, 3}}, readout.observables(), features(4), loss, 0.0);
              }),
              HasSubstr("parameter"));
  QnnObjective objective(t.circuit, t.layout, readout.observables(), features(4), loss, 0.0);
  EXPECT_THAT(invalid_argument_of([&] { (void)objective.value(std::vector<double>(5)); }),
              HasSubstr("qnn objective: expects 6 weights, got 5"));
  EXPECT_THAT(invalid_argument_of([] {
                (void)ClassifierLoss(Readout(ReadoutKind::Parity, 2, 2), LossKind::CrossEntropy, Labels{0, 2});
              }),
              HasSubstr("sample 1: label 2 out of range [0, 2)"));
}

}  // namespace
}  // namespace qmlsim::qml

#include "qml/models/qnn_model.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "qml/data/csv.hpp"
#include "qml/data/split.hpp"
#include "qml/data/synthetic.hpp"
#include "qml/eval/metrics.hpp"
#include "tests/qml/qnn/qnn_testing.hpp"
#include "tests/support/error_message.hpp"

namespace qmlsim::qml {
namespace {

using ::testing::DoubleNear;
using ::testing::HasSubstr;
using ::testing::Pointwise;

Dataset iris_file(const std::string& part) {
  return read_csv(std::string(QMLSIM_SOURCE_DIR) + "/qml/data/builtin/iris_qiskit_tutorial_" + part + ".csv").data;
}

// Qiskit ML's iris tutorial: ZZFeatureMap(4, reps=1) + RealAmplitudes(4, reps=3), the VQC's
// parity-style interpretation (basis index mod 3), its base-2 cross-entropy, COBYLA for 100
// evaluations from numpy's default_rng(123).random(16).
QnnModelSpec iris_spec() {
  QnnModelSpec s;
  s.type = "vqc";
  s.feature_map = parse_component_spec("zz:reps=1");
  s.ansatz = parse_component_spec("real-amplitudes:reps=3");
  s.preprocess = "none";
  s.readout = "modulo";
  s.loss = "cross-entropy-log2";
  s.optimizer = parse_component_spec("cobyla");
  s.settings.maxiter = 100;
  s.initial_point = std::vector<double>{
      0.6823518632481435, 0.053821018802222675, 0.22035987277261138, 0.1843718106986697,
      0.17590590108503035, 0.8120945066557737,  0.9233449980270564,  0.27657439779710624,
      0.8197545615930021,  0.8898926931111859,  0.5129704552295319,  0.24496460106879647,
      0.8242415960974113,  0.21376296337509548, 0.7414670522347097,  0.6299402045896808};
  return s;
}

QnnOptions with_threads(int threads) {
  QnnOptions o;
  o.simulator.parallel = threads == 1 ? Parallelism::serial() : Parallelism{threads, 16};
  return o;
}

double test_accuracy(const QnnModel& model, const Dataset& test) {
  const Labels predicted = model.predict(test.x());
  return accuracy(test.y(), predicted);
}

TEST(QnnModelTest, IrisFirstLossIsQiskitsAndCobylaReachesTheIssuesAccuracy) {
  const Dataset train = iris_file("train"), test = iris_file("test");
  QnnModel model(iris_spec());
  const QnnFitReport report = model.fit(train);
  ASSERT_FALSE(report.history.empty());
  EXPECT_EQ(report.history.front().iteration, 0);
  // Qiskit ML's tutorial logs 1.746721 as its first objective value (the mean base-2 cross-entropy).
  EXPECT_NEAR(report.history.front().loss, 1.746721, 1e-6);
  EXPECT_EQ(model.num_weights(), 16u);
  EXPECT_EQ(model.num_qubits(), 4);
  EXPECT_GE(test_accuracy(model, test), 0.8);
  EXPECT_LE(report.evaluations, 100u);
}

// Fits briefly (a couple of optimizer steps), then checks the gradient of what fit minimises.
void expect_exact_gradient(QnnModelSpec spec, const Dataset& data, const std::string& what) {
  spec.optimizer = parse_component_spec("adam");
  spec.settings.maxiter = 1;
  spec.l2 = 0.01;
  QnnModel model(spec);
  (void)model.fit(data);
  const std::unique_ptr<Objective> objective = model.training_objective(data);
  const std::vector<double> w = model.weights();
  ASSERT_EQ(objective->num_parameters(), w.size()) << what;
  std::vector<double> grad(w.size());
  (void)objective->value_and_gradient(w, grad);
  const auto f = [&](std::span<const double> v) { return objective->value(v); };
  EXPECT_THAT(grad, Pointwise(DoubleNear(1e-7), testing::finite_difference_gradient(f, w))) << what;
}

Dataset small_classes(int classes) {
  const Dataset d = make_blobs(12, 3, classes, 1.5, 5);
  return d;
}

TEST(QnnModelTest, GradientsOfEveryModelAndReadoutEqualFiniteDifferences) {
  for (const std::string readout : {"modulo", "parity", "per-class-z", "class-states"}) {
    QnnModelSpec s;
    s.type = "vqc";
    s.feature_map = parse_component_spec("zz:reps=1");
    s.ansatz = parse_component_spec("real-amplitudes:reps=1");
    s.readout = readout;
    s.loss = "cross-entropy";
    expect_exact_gradient(s, small_classes(readout == std::string("parity") ? 2 : 3), "vqc " + readout);
  }
  for (const std::string loss : {"fidelity", "squared-error", "cross-entropy-log2"}) {
    QnnModelSpec s;
    s.type = "reupload";
    s.layers = 2;
    s.qubits = 2;
    s.readout = "class-states";
    s.loss = loss;
    expect_exact_gradient(s, small_classes(3), "reupload " + loss);
  }
  QnnModelSpec dressed;
  dressed.type = "dressed";
  dressed.qubits = 2;
  dressed.ansatz = parse_component_spec("real-amplitudes:reps=1");
  expect_exact_gradient(dressed, small_classes(3), "dressed");

  QnnModelSpec regressor;
  regressor.type = "qnn-regressor";
  regressor.feature_map = parse_component_spec("angle");
  regressor.ansatz = parse_component_spec("real-amplitudes:reps=1");
  regressor.observable = "Z0 + 0.5*Z1 Z2";
  const Dataset blobs = small_classes(2);
  std::vector<double> targets;
  for (Eigen::Index i = 0; i < blobs.x().rows(); ++i) targets.push_back(std::sin(blobs.x()(i, 0)) + 0.1 * blobs.x()(i, 1));
  expect_exact_gradient(regressor, Dataset::regression(blobs.x(), targets), "qnn-regressor");
}

TEST(QnnModelTest, VqcLearnsMoons) {
  const Split s = train_test_split(make_moons(120, 0.1, 3), 0.25, 3);
  QnnModelSpec spec;
  spec.type = "vqc";
  spec.feature_map = parse_component_spec("zz:reps=1");
  spec.ansatz = parse_component_spec("real-amplitudes:reps=3");
  spec.optimizer = parse_component_spec("adam:lr=0.1");
  spec.settings.maxiter = 60;
  QnnModel model(spec);
  const QnnFitReport report = model.fit(s.train);
  EXPECT_LT(report.history.back().loss, report.history.front().loss);
  EXPECT_GE(test_accuracy(model, s.test), 0.8);
}

TEST(QnnModelTest, ReuploadLearnsCircles) {
  const Split s = train_test_split(make_circles(160, 0.05, 0.5, 4), 0.25, 4);
  QnnModelSpec spec;
  spec.type = "reupload";
  spec.layers = 3;
  spec.readout = "class-states";
  spec.loss = "fidelity";
  spec.preprocess = "standard";
  spec.optimizer = parse_component_spec("adam:lr=0.1");
  spec.settings.maxiter = 100;
  QnnModel model(spec);
  (void)model.fit(s.train);
  EXPECT_EQ(model.num_qubits(), 1);
  EXPECT_GE(test_accuracy(model, s.test), 0.8);
}

TEST(QnnModelTest, SameSeedSameWeightsOnOneAndTwoThreads) {
  const Dataset data = make_moons(60, 0.1, 9);
  QnnModelSpec spec;
  spec.type = "vqc";
  spec.ansatz = parse_component_spec("real-amplitudes:reps=2");
  spec.optimizer = parse_component_spec("adam:lr=0.05");
  spec.settings.maxiter = 5;
  spec.settings.seed = 17;
  QnnModel one(spec, with_threads(1)), two(spec, with_threads(2));
  (void)one.fit(data);
  (void)two.fit(data);
  EXPECT_EQ(one.weights(), two.weights());
  const Eigen::MatrixXd p1 = one.predict_proba(data.x()), p2 = two.predict_proba(data.x());
  EXPECT_TRUE(p1 == p2);
}

TEST(QnnModelTest, EarlyStoppingKeepsTheBestValidationWeights) {
  const Dataset data = make_moons(80, 0.2, 2);
  QnnModelSpec spec;
  spec.type = "vqc";
  spec.ansatz = parse_component_spec("real-amplitudes:reps=1");
  spec.optimizer = parse_component_spec("adam:lr=0.3");
  spec.settings.maxiter = 200;
  spec.validation = 0.25;
  spec.patience = 5;
  QnnModel model(spec, QnnOptions{{}, true});
  const QnnFitReport report = model.fit(data);
  double best = -1.0;
  for (const TrainingRecord& r : report.history) {
    EXPECT_FALSE(std::isnan(r.validation_metric));
    EXPECT_FALSE(std::isnan(r.train_metric));
    best = std::max(best, r.validation_metric);
  }
  EXPECT_EQ(report.stop_reason, "early_stopping");
  EXPECT_LT(report.history.size(), 200u);
  const auto kept = std::find_if(report.history.begin(), report.history.end(),
                                 [&](const TrainingRecord& r) { return r.iteration == report.best_iteration; });
  ASSERT_NE(kept, report.history.end());
  EXPECT_EQ(kept->validation_metric, best);
}

TEST(QnnModelTest, ResumeContinuesTheIterationCount) {
  const Dataset data = make_moons(40, 0.1, 1);
  QnnModelSpec spec;
  spec.type = "vqc";
  spec.ansatz = parse_component_spec("real-amplitudes:reps=1");
  spec.optimizer = parse_component_spec("adam:lr=0.1");
  spec.settings.maxiter = 3;
  QnnModel model(spec);
  (void)model.fit(data);
  const std::vector<double> before = model.weights();
  const QnnFitReport more = model.resume(data);
  EXPECT_EQ(more.history.front().iteration, 3);
  EXPECT_EQ(model.state().iterations, 6);
  EXPECT_NE(model.weights(), before);
}

TEST(QnnModelTest, RegressorPredictsScaledExpectations) {
  FeatureMatrix x(30, 1);
  std::vector<double> y;
  for (int i = 0; i < 30; ++i) {
    x(i, 0) = -1.0 + 2.0 * i / 29.0;
    y.push_back(5.0 + 3.0 * std::sin(1.5 * x(i, 0)));
  }
  QnnModelSpec spec;
  spec.type = "qnn-regressor";
  spec.feature_map = parse_component_spec("angle:rotation=y");
  spec.ansatz = parse_component_spec("real-amplitudes:reps=1");
  spec.optimizer = parse_component_spec("lbfgs");
  spec.settings.maxiter = 60;
  QnnModel model(spec);
  (void)model.fit(Dataset::regression(x, y));
  EXPECT_DOUBLE_EQ(model.state().output_shift, 5.0);
  EXPECT_GE(r2_score(y, model.predict_values(x)), 0.9);
}

TEST(QnnModelTest, RefusesBadSpecsAndShapes) {
  using qmlsim::testing::invalid_argument_of;
  QnnModelSpec spec;
  spec.readout = "softmax";
  EXPECT_THAT(invalid_argument_of([&] { QnnModel m(spec); }), HasSubstr("unknown readout 'softmax'"));
  spec = {};
  spec.loss = "fidelity";
  EXPECT_THAT(invalid_argument_of([&] { QnnModel m(spec); }),
              HasSubstr("vqc: loss 'fidelity' is not for this model (valid: cross-entropy, cross-entropy-log2, squared-error)"));
  spec = {};
  spec.type = "qnn-regressor";
  spec.readout = "parity";
  EXPECT_THAT(invalid_argument_of([&] { QnnModel m(spec); }), HasSubstr("qnn-regressor: takes no readout"));
  spec = {};
  spec.type = "perceptron";
  EXPECT_THAT(invalid_argument_of([&] { QnnModel m(spec); }), HasSubstr("unknown QNN model 'perceptron' (valid: vqc, qnn-regressor"));
  spec = iris_spec();
  spec.initial_point->pop_back();
  QnnModel short_point(spec);
  EXPECT_THAT(invalid_argument_of([&] { (void)short_point.fit(iris_file("train")); }),
              HasSubstr("fit: the initial point has 15 values but the vqc model has 16 weights"));
  QnnModelSpec regression_spec;
  regression_spec.type = "qnn-regressor";
  QnnModel regressor(regression_spec);
  EXPECT_THAT(invalid_argument_of([&] { (void)regressor.fit(iris_file("train")); }),
              HasSubstr("qnn-regressor is a regression model but the data set has class labels"));
  QnnModel unfitted{QnnModelSpec{}};
  EXPECT_THAT(invalid_argument_of([&] { (void)unfitted.predict(FeatureMatrix::Zero(1, 4)); }),
              HasSubstr("predict: the vqc model is not fitted"));
}

}  // namespace
}  // namespace qmlsim::qml

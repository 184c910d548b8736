#include "qml/models/estimator.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "qml/data/builtin.hpp"
#include "qml/data/synthetic.hpp"
#include "qml/encoding/feature_map.hpp"
#include "qml/eval/metrics.hpp"
#include "simulator/circuit/depth.hpp"
#include "tests/support/error_message.hpp"

namespace qmlsim::qml {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::invalid_argument_of;

Dataset iris() { return load_builtin(DatasetRequest{"iris", {}, 1}).data; }

// Rows [begin, end) of `data`.
Dataset rows(const Dataset& data, std::size_t begin, std::size_t end) {
  std::vector<std::size_t> idx(end - begin);
  std::iota(idx.begin(), idx.end(), begin);
  return data.subset(idx);
}

// The iris rows of its first two classes (100 rows, 4 features).
Dataset iris_two_classes() {
  const Dataset data = iris();
  FeatureMatrix x(100, 4);
  Labels y;
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (data.y()[i] > 1) continue;
    x.row(static_cast<Eigen::Index>(y.size())) = data.x().row(static_cast<Eigen::Index>(i));
    y.push_back(data.y()[i]);
  }
  return Dataset(std::move(x), std::move(y), {data.class_names()[0], data.class_names()[1]});
}

// 60 seeded moons: the first 40 rows train, the last 20 test.
struct Moons {
  Dataset all = make_moons(60, 0.1, 7);
  Dataset train = rows(all, 0, 40);
  Dataset test = rows(all, 40, 60);
};

std::unique_ptr<Estimator> make(const std::string& type, std::vector<std::pair<std::string, std::string>> params = {},
                                const EstimatorContext& context = {}) {
  return make_estimator(ModelConfig{type, type, std::move(params)}, context);
}

double test_accuracy(Estimator& model, const Dataset& train, const Dataset& test) {
  (void)model.fit(train);
  return accuracy(test.y(), model.predict(test.x()));
}

// score_class1 ranks agree with the predictions: class 1 exactly where the score is on its side.
void expect_scores_agree(const Estimator& model, const FeatureMatrix& x, double threshold) {
  const Labels predicted = model.predict(x);
  const std::vector<double> score = model.score_class1(x);
  ASSERT_EQ(score.size(), predicted.size());
  for (std::size_t i = 0; i < score.size(); ++i) EXPECT_EQ(predicted[i], score[i] > threshold ? 1 : 0) << "row " << i;
}

TEST(EstimatorTest, RegistryNamesKindsAndTasks) {
  const std::vector<std::string> names = compare_model_names();
  ASSERT_EQ(names.size(), 22U);
  EXPECT_EQ(names.front(), "qsvc");
  EXPECT_EQ(names[8], "svm-rbf");
  EXPECT_EQ(names.back(), "ridge");
  EXPECT_TRUE(is_compare_model("reupload"));
  EXPECT_FALSE(is_compare_model("qoneclass"));
  EXPECT_EQ(model_kind("qsvc-projected"), ModelKind::Quantum);
  EXPECT_EQ(model_kind("logreg"), ModelKind::Classical);
  EXPECT_EQ(model_task("vqc"), Task::Classification);
  EXPECT_EQ(model_task("qkrr"), Task::Regression);
  EXPECT_EQ(model_task("knn-regressor"), Task::Regression);
  EXPECT_THAT(model_parameter_keys("qsvc"), ElementsAre("feature_map", "reps", "C", "scaling"));
  EXPECT_THAT(model_parameter_keys("reupload"),
              ElementsAre("layers", "qubits", "readout", "loss", "optimizer", "maxiter", "learning_rate", "l2"));
}

TEST(EstimatorTest, UnknownModelsAndParametersNameTheValidOnes) {
  EXPECT_THAT(invalid_argument_of([] { (void)model_kind("svm"); }),
              HasSubstr("unknown model 'svm' (valid: qsvc, qsvc-z, qsvc-iqp"));
  EXPECT_THAT(invalid_argument_of([] { (void)make("qsvm"); }), HasSubstr("unknown model 'qsvm' (valid: qsvc,"));
  EXPECT_THAT(invalid_argument_of([] { (void)make("qsvc", {{"c", "10"}}); }),
              HasSubstr("model 'qsvc': unknown option 'c' (valid: feature_map, reps, C, scaling)"));
  EXPECT_THAT(invalid_argument_of([] { (void)make("vqc", {{"readout", "softmax"}}); }), HasSubstr("per-class-z"));
  EXPECT_THAT(invalid_argument_of([] { (void)make("qsvc", {{"C", "-1"}}); }), HasSubstr("model 'qsvc' C"));
  EXPECT_THAT(invalid_argument_of([] { (void)make("qsvc", {{"feature_map", "zzz"}}); }),
              HasSubstr("model 'qsvc': unknown feature map 'zzz'"));
  EXPECT_THAT(invalid_argument_of([] { (void)make("qsvc", {{"feature_map", "angle"}, {"reps", "2"}}); }),
              HasSubstr("reps applies to the feature maps zz, z, pauli and iqp"));
  EXPECT_THAT(invalid_argument_of([] { (void)make("vqc", {{"optimizer", "cobyla"}, {"learning_rate", "0.1"}}); }),
              HasSubstr("learning_rate applies to the optimizers sgd, adam and spsa, not 'cobyla'"));
  EXPECT_THAT(invalid_argument_of([] { (void)make("vqc", {{"optimizer", "adm"}}); }), HasSubstr("unknown optimizer 'adm'"));
  EstimatorContext explicit_preprocess;
  explicit_preprocess.preprocess = "standard";
  EXPECT_THAT(invalid_argument_of([&] { (void)make("qsvc", {{"scaling", "0.5"}}, explicit_preprocess); }),
              HasSubstr("cannot be combined with the explicit preprocessing 'standard'"));
}

TEST(EstimatorTest, DescriptionsShowResolvedHyperparameters) {
  EXPECT_EQ(make("qsvc-z", {{"C", "10"}, {"reps", "1"}})->description(),
            "qsvc-z feature_map=z:reps=1 kernel=fidelity C=10 preprocess=standard,minmax:0:pi");
  EXPECT_THAT(make("qsvc", {{"scaling", "0.5"}})->description(), HasSubstr("preprocess=standard,minmax:0:0.5*pi"));
  EXPECT_THAT(make("qsvc-iqp", {{"reps", "2"}})->description(), HasSubstr("feature_map=iqp:repeats=2"));
  EXPECT_THAT(make("vqc", {{"optimizer", "cobyla:maxiter=7"}})->description(), HasSubstr("optimizer=cobyla maxiter=7"));
  EXPECT_THAT(make("vqc", {{"learning_rate", "0.05"}, {"reps", "3"}})->description(),
              HasSubstr("ansatz=real-amplitudes:reps=3 layers=1 readout=per-class-z"));
  EXPECT_THAT(make("vqc", {{"learning_rate", "0.05"}})->description(), HasSubstr("optimizer=adam:lr=0.05"));
}

TEST(EstimatorTest, KernelClassifiersFitAndRankByDecisionValues) {
  const Moons m;
  for (const std::string type : {"qsvc", "qsvc-z", "qsvc-iqp", "qsvc-projected"}) {
    SCOPED_TRACE(type);
    const std::unique_ptr<Estimator> model = make(type, {{"scaling", "0.5"}, {"reps", "1"}});
    EXPECT_EQ(model->kind(), ModelKind::Quantum);
    EXPECT_EQ(model->task(), Task::Classification);
    EXPECT_GE(test_accuracy(*model, m.train, m.test), 0.7);
    EXPECT_FALSE(model->has_proba());
    EXPECT_THAT(invalid_argument_of([&] { (void)model->predict_proba(m.test.x()); }), HasSubstr("no probabilities"));
    expect_scores_agree(*model, m.test.x(), 0.0);
    EXPECT_THAT(invalid_argument_of([&] { (void)model->predict_values(m.test.x()); }), HasSubstr("predicts classes"));
  }
}

TEST(EstimatorTest, KernelInfoCountsQubitsDepthAndDualCoefficients) {
  const Dataset data = iris_two_classes();
  const std::unique_ptr<Estimator> model = make("qsvc");
  const EstimatorFit fit = model->fit(data);
  EXPECT_GT(fit.circuit_evaluations, 0U);
  EXPECT_EQ(fit.iterations, 0);
  const EstimatorInfo info = model->info();
  EXPECT_EQ(info.qubits, 4);
  EXPECT_EQ(info.circuit_depth, circuit_depth(*make_feature_map({"zz", {}}, 4)->circuit()));
  EXPECT_GT(info.circuit_depth, 0);
  EXPECT_GE(info.trainable_parameters, 3U);  // at least two support vectors and the intercept
}

TEST(EstimatorTest, KernelMatrixIsTheFittedModelsKernel) {
  const Moons m;
  const std::unique_ptr<Estimator> model = make("qsvc");
  (void)model->fit(m.train);
  const std::optional<Eigen::MatrixXd> k = model->kernel_matrix(m.test.x(), m.test.x());
  ASSERT_TRUE(k.has_value());
  ASSERT_EQ(k->rows(), 20);
  EXPECT_TRUE(k->isApprox(k->transpose(), 1e-12));
  for (Eigen::Index i = 0; i < k->rows(); ++i) EXPECT_NEAR((*k)(i, i), 1.0, 1e-12);
  EXPECT_FALSE(make("vqc")->kernel_matrix(m.test.x(), m.test.x()).has_value());
}

TEST(EstimatorTest, ReduceToBuildsTheCircuitForTheReducedFeatures) {
  EstimatorContext context;
  context.reduce_to = 2;
  const std::unique_ptr<Estimator> model = make("qsvc", {}, context);
  EXPECT_THAT(model->description(), HasSubstr("preprocess=standard,pca:2,minmax:0:pi"));
  const Dataset data = iris();
  (void)model->fit(data);
  EXPECT_EQ(model->info().qubits, 2);
  EXPECT_EQ(model->predict(data.x()).size(), data.size());
}

TEST(EstimatorTest, QuantumRegressorsFitSmoothTargets) {
  FeatureMatrix x(30, 1);
  std::vector<double> y(30);
  for (int i = 0; i < 30; ++i) {
    x(i, 0) = -1.0 + 2.0 * i / 29.0;
    y[static_cast<std::size_t>(i)] = std::sin(2.0 * x(i, 0));
  }
  const Dataset data = Dataset::regression(x, y);
  for (const auto& [type, strength] : std::vector<std::pair<std::string, std::pair<std::string, std::string>>>{
           {"qsvr", {"C", "100"}}, {"qkrr", {"alpha", "0.001"}}}) {
    SCOPED_TRACE(type);
    const std::unique_ptr<Estimator> model = make(type, {{"feature_map", "z"}, {"reps", "1"}, strength});
    EXPECT_EQ(model->task(), Task::Regression);
    (void)model->fit(data);
    const std::vector<double> p = model->predict_values(x);
    // The 1-qubit z kernel is cos^2 of the angle difference: its functions are a + b cos 2x + c sin 2x,
    // which match one period of the sine only roughly (R^2 about 0.75 for both models).
    EXPECT_GT(r2_score(y, p), 0.6);
    EXPECT_THAT(invalid_argument_of([&] { (void)model->predict(x); }), HasSubstr("regression model"));
    EXPECT_THAT(invalid_argument_of([&] { (void)model->score_class1(x); }), HasSubstr("for classifiers"));
    EXPECT_EQ(model->info().qubits, 1);
  }
}

TEST(EstimatorTest, VariationalClassifiersFitWithProbabilities) {
  const Moons m;
  for (const std::string type : {"vqc", "reupload", "dressed"}) {
    SCOPED_TRACE(type);
    const std::unique_ptr<Estimator> model = make(type, {{"maxiter", "25"}});
    EXPECT_GE(test_accuracy(*model, m.train, m.test), 0.7);
    ASSERT_TRUE(model->has_proba());
    const Eigen::MatrixXd p = model->predict_proba(m.test.x());
    ASSERT_EQ(p.cols(), 2);
    for (Eigen::Index i = 0; i < p.rows(); ++i) EXPECT_NEAR(p.row(i).sum(), 1.0, 1e-12);
    expect_scores_agree(*model, m.test.x(), 0.5);
    const EstimatorInfo info = model->info();
    EXPECT_GT(info.circuit_depth, 0);
    EXPECT_GT(info.trainable_parameters, 0U);
  }
}

TEST(EstimatorTest, VqcInfoMatchesItsCircuit) {
  const Moons m;
  const std::unique_ptr<Estimator> model = make("vqc", {{"maxiter", "2"}});
  const EstimatorFit fit = model->fit(m.train);
  EXPECT_EQ(fit.iterations, 2);
  EXPECT_GT(fit.circuit_evaluations, 0U);
  const EstimatorInfo info = model->info();
  EXPECT_EQ(info.qubits, 2);
  // angle map (one RY layer, depth 1) then RealAmplitudes reps 2 on 2 qubits: RY, CX, RY, CX, RY.
  EXPECT_EQ(info.circuit_depth, 6);
  EXPECT_EQ(info.trainable_parameters, 6U);  // (reps + 1) * qubits
}

TEST(EstimatorTest, ReuploadInfoCountsItsLayers) {
  const Dataset data = iris_two_classes();
  const std::unique_ptr<Estimator> model = make("reupload", {{"maxiter", "1"}, {"layers", "2"}});
  (void)model->fit(data);
  const EstimatorInfo info = model->info();
  EXPECT_EQ(info.qubits, 1);
  EXPECT_EQ(info.circuit_depth, 2 * 2 * 3);  // 2 layers x 2 feature groups x Rot = RZ RY RZ
  EXPECT_EQ(info.trainable_parameters, 2U * 2U * 6U);
}

TEST(EstimatorTest, TrainedKernelScoresAgreeWithItsPredictions) {
  const Moons m;
  const std::unique_ptr<Estimator> model = make("qsvc-trained", {{"maxiter", "3"}});
  EXPECT_GE(test_accuracy(*model, m.train, m.test), 0.6);
  EXPECT_FALSE(model->has_proba());
  expect_scores_agree(*model, m.test.x(), 0.0);
  EXPECT_GT(model->info().trainable_parameters, model->info().qubits * 2U);
}

TEST(EstimatorTest, ScoreClass1RefusesMoreThanTwoClasses) {
  const Dataset data = iris();
  const std::unique_ptr<Estimator> model = make("qsvc-z");
  (void)model->fit(data);
  EXPECT_THAT(invalid_argument_of([&] { (void)model->score_class1(data.x()); }),
              HasSubstr("model 'qsvc-z': score_class1 is for two classes, the model has 3 classes"));
}

TEST(EstimatorTest, RefitsAreDeterministic) {
  const Moons m;
  for (const auto& [type, params] : std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>>{
           {"qsvc-projected", {}}, {"vqc", {{"maxiter", "10"}}}}) {
    SCOPED_TRACE(type);
    const std::unique_ptr<Estimator> model = make(type, params);
    (void)model->fit(m.train);
    const std::vector<double> first = model->score_class1(m.test.x());
    (void)model->fit(m.train);
    EXPECT_EQ(model->score_class1(m.test.x()), first);
    const std::unique_ptr<Estimator> other = make(type, params);
    (void)other->fit(m.train);
    EXPECT_EQ(other->score_class1(m.test.x()), first);
  }
}

TEST(EstimatorTest, UnfittedModelsRefusePredictions) {
  const Moons m;
  EXPECT_THAT(invalid_argument_of([&] { (void)make("qsvc")->predict(m.test.x()); }), HasSubstr("not fitted"));
  EXPECT_THAT(invalid_argument_of([&] { (void)make("vqc")->predict(m.test.x()); }), HasSubstr("not fitted"));
}

TEST(EstimatorTest, DefaultGridsUseTheTypesKeysAndBuild) {
  EXPECT_TRUE(default_grid("qsvc-trained").empty());
  EXPECT_EQ(default_grid("svm-rbf").size(), 2U);
  EXPECT_EQ(default_grid("logreg").front().values.size(), 5U);
  for (const std::string& type : compare_model_names()) {
    if (model_kind(type) != ModelKind::Quantum) continue;
    SCOPED_TRACE(type);
    const std::vector<std::string> keys = model_parameter_keys(type);
    std::vector<std::pair<std::string, std::string>> last;
    for (const GridAxis& a : default_grid(type)) {
      EXPECT_NE(std::find(keys.begin(), keys.end(), a.key), keys.end()) << a.key;
      last.emplace_back(a.key, a.values.back());
    }
    EXPECT_NO_THROW((void)make(type, last));
  }
}

}  // namespace
}  // namespace qmlsim::qml

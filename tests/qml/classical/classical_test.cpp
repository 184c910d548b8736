#include "qml/classical/classical.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "qml/classical/mlp.hpp"
#include "qml/encoding/component_spec.hpp"
#include "simulator/core/errors.hpp"
#include "tests/qml/classical/reference_data.hpp"
#include "tests/support/error_message.hpp"

namespace qmlsim::qml {
namespace {

using classical_test::fitted;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// The types this package implements (the MLPs have their own tests, mlp_test.cpp).
std::vector<std::string> non_mlp_types() {
  std::vector<std::string> types;
  for (const auto& t : classical_model_names())
    if (t.rfind("mlp", 0) != 0) types.push_back(t);
  return types;
}

bool is_regressor(const std::string& type) {
  return type == "svr-rbf" || type == "krr-rbf" || type == "ridge" || type == "knn-regressor";
}

// Iris for the classifiers, the iris regression for the regressors.
Split data_for(const std::string& type) {
  return is_regressor(type) ? classical_test::iris_regression_split() : classical_test::iris_split();
}

// The model's predictions on the test rows as numbers (classes or values).
std::vector<double> outputs(const Estimator& model, const FeatureMatrix& x) {
  if (model.task() == Task::Regression) return model.predict_values(x);
  const Labels y = model.predict(x);
  return std::vector<double>(y.begin(), y.end());
}

TEST(ClassicalRegistryTest, NamesKeysAndDispatch) {
  EXPECT_THAT(classical_model_names(), ElementsAre("svm-rbf", "svm-linear", "svm-poly", "logreg", "mlp", "knn", "svr-rbf",
                                                   "krr-rbf", "ridge", "mlp-regressor", "knn-regressor"));
  EXPECT_EQ(classical_parameter_keys("mlp"), mlp_parameter_keys());
  EXPECT_EQ(classical_parameter_keys("mlp-regressor"), mlp_parameter_keys());
  EXPECT_THAT(classical_parameter_keys("svm-poly"), ElementsAre("C", "gamma", "degree", "coef0", "tol"));
  EXPECT_THAT(testing::invalid_argument_of([] { (void)make_classical_estimator(ModelConfig{"x", "svm", {}}, {}); }),
              HasSubstr("unknown classical model 'svm' (valid: svm-rbf, svm-linear, svm-poly, logreg, mlp, knn,"));
  EXPECT_THAT(testing::invalid_argument_of([] { (void)classical_parameter_keys("forest"); }),
              HasSubstr("unknown classical model 'forest'"));
  // Every key a type lists is the list its unknown-key message gives; the name defaults to the type.
  for (const auto& type : non_mlp_types()) {
    SCOPED_TRACE(type);
    EXPECT_EQ(testing::invalid_argument_of(
                  [&] { (void)make_classical_estimator(ModelConfig{"", type, {{"bogus", "1"}}}, {}); }),
              "model '" + type + "': unknown option 'bogus' (valid: " + join_names(classical_parameter_keys(type)) + ")");
    const auto model = make_classical_estimator(ModelConfig{type, type, {}}, {});
    EXPECT_EQ(model->kind(), ModelKind::Classical);
    EXPECT_EQ(model->task(), is_regressor(type) ? Task::Regression : Task::Classification);
    EXPECT_EQ(model->description().substr(0, type.size() + 1), type + " ");
  }
}

TEST(ClassicalRegistryTest, RefusesDataOfTheOtherTaskAndSingleClasses) {
  FeatureMatrix x(4, 2);
  x << 0, 1, 1, 0, 2, 2, 3, 1;
  const Dataset one_class(x, Labels{0, 0, 0, 0}, {"only"});
  const Dataset missing_class(x, Labels{0, 0, 2, 2}, {"a", "b", "c"});
  for (const auto& type : non_mlp_types()) {
    SCOPED_TRACE(type);
    const Split wrong = is_regressor(type) ? classical_test::iris_split() : classical_test::iris_regression_split();
    auto model = make_classical_estimator(ModelConfig{"m", type, {}}, {});
    EXPECT_EQ(testing::invalid_argument_of([&] { (void)model->fit(wrong.train); }),
              is_regressor(type) ? "model 'm' is a regressor but the data are a classification task"
                                 : "model 'm' is a classifier but the data are a regression task");
    if (is_regressor(type)) continue;
    EXPECT_EQ(testing::invalid_argument_of([&] { (void)model->fit(one_class); }),
              "model 'm': the data have 1 class, a classifier needs at least 2");
    EXPECT_EQ(testing::invalid_argument_of([&] { (void)model->fit(missing_class); }),
              "model 'm': class 'b' has no training rows");
  }
}

TEST(ClassicalRegistryTest, WrongCallsAndUnfittedModelsThrow) {
  for (const auto& type : non_mlp_types()) {
    SCOPED_TRACE(type);
    const Split s = data_for(type);
    auto model = make_classical_estimator(ModelConfig{"m", type, {}}, {});
    EXPECT_EQ(testing::invalid_argument_of([&] { (void)outputs(*model, s.test.x()); }),
              "model 'm' is not fitted (call fit first)");
    EXPECT_THAT(testing::invalid_argument_of([&] { (void)model->info(); }), HasSubstr("is not fitted"));
    (void)model->fit(s.train);
    EXPECT_EQ(testing::invalid_argument_of([&] { (void)outputs(*model, s.test.x().leftCols(2)); }),
              "model 'm': rows of 2 features, fitted on " + std::to_string(s.train.num_features()));
    if (is_regressor(type)) {
      EXPECT_EQ(testing::invalid_argument_of([&] { (void)model->predict(s.test.x()); }),
                "model 'm' is a regressor: predict needs a classifier");
      EXPECT_EQ(testing::invalid_argument_of([&] { (void)model->score_class1(s.test.x()); }),
                "model 'm' is a regressor: score_class1 needs a classifier");
    } else {
      EXPECT_EQ(testing::invalid_argument_of([&] { (void)model->predict_values(s.test.x()); }),
                "model 'm' is a classifier: predict_values needs a regressor");
    }
  }
}

TEST(ClassicalRegistryTest, DeterministicAcrossFitsAndThreadCounts) {
  EstimatorContext one, two;
  one.simulator.parallel = Parallelism{1, 0};
  two.simulator.parallel = Parallelism{2, 0};
  for (const auto& type : non_mlp_types()) {
    SCOPED_TRACE(type);
    const Split s = data_for(type);
    auto model = make_classical_estimator(ModelConfig{type, type, {}}, one);
    (void)model->fit(classical_test::even_odd(s.test).train);  // an earlier fit leaves nothing behind
    const EstimatorFit fit = model->fit(s.train);
    EXPECT_GE(fit.seconds, 0.0);
    EXPECT_EQ(fit.circuit_evaluations, 0u);
    const std::vector<double> first = outputs(*model, s.test.x());
    EXPECT_EQ(first, outputs(*fitted(type, s.train, {}, one), s.test.x()));
    EXPECT_EQ(first, outputs(*fitted(type, s.train, {}, two), s.test.x()));
    if (model->has_proba()) {
      EXPECT_EQ(model->predict_proba(s.test.x()), fitted(type, s.train, {}, two)->predict_proba(s.test.x()));
    }
  }
}

TEST(ClassicalRegistryTest, PreprocessingIsFittedInsideFitOnTheTrainingRows) {
  // Standardising by hand and preprocessing "none" gives the default ("standard") predictions.
  const Split s = classical_test::iris_split();
  const Eigen::RowVectorXd mean = s.train.x().colwise().mean();
  const Eigen::RowVectorXd sd = ((s.train.x().rowwise() - mean).array().square().colwise().mean()).sqrt();
  const auto standardise = [&](const FeatureMatrix& x) -> FeatureMatrix {
    return (x.rowwise() - mean).array().rowwise() / sd.array();
  };
  EstimatorContext none;
  none.preprocess = "none";
  for (const std::string type : {"svm-rbf", "logreg", "knn"}) {
    SCOPED_TRACE(type);
    const auto by_hand = fitted(type, s.train.with_features(standardise(s.train.x())), {}, none);
    EXPECT_EQ(by_hand->predict(standardise(s.test.x())), fitted(type, s.train)->predict(s.test.x()));
  }
  // --sweep-features 2: the rows are reduced to 2 principal components before the model.
  EstimatorContext reduced;
  reduced.reduce_to = 2;
  const auto svm = fitted("svm-rbf", s.train, {}, reduced);
  EXPECT_EQ(svm->kernel_matrix(s.test.x(), s.test.x())->rows(), 75);
  // At every component the reduction is a rotation of the standardised rows, which the RBF kernel
  // and gamma 'scale' (the variance of all entries) do not see: the plain model's predictions.
  EstimatorContext all;
  all.reduce_to = 4;
  EXPECT_EQ(fitted("svm-rbf", s.train, {}, all)->predict(s.test.x()), fitted("svm-rbf", s.train)->predict(s.test.x()));
  EXPECT_THAT(testing::invalid_argument_of([] {
                EstimatorContext bad;
                bad.preprocess = "scale";
                (void)make_classical_estimator(ModelConfig{"m", "ridge", {}}, bad);
              }),
              HasSubstr("unknown preprocessing step 'scale'"));
}

}  // namespace
}  // namespace qmlsim::qml

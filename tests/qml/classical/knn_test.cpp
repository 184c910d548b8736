#include "qml/classical/knn.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "qml/classical/classical.hpp"
#include "simulator/core/errors.hpp"
#include "tests/qml/classical/reference_data.hpp"
#include "tests/support/error_message.hpp"

namespace qmlsim::qml {
namespace {

using classical_test::digits;
using classical_test::fitted;
using ::testing::DoubleNear;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pointwise;

// The references below: scikit-learn 1.2.1,
//   from sklearn.datasets import load_iris, load_breast_cancer
//   from sklearn.pipeline import make_pipeline
//   from sklearn.preprocessing import StandardScaler
//   from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
//   d = load_iris()  # or load_breast_cancer()
//   m = make_pipeline(StandardScaler(), KNeighborsClassifier()).fit(d.data[0::2], d.target[0::2])
//   m.predict(d.data[1::2]); m.predict_proba(d.data[1::2])
//   x, y = d.data[:, :3], d.data[:, 3]  # iris regression: petal width
//   make_pipeline(StandardScaler(), KNeighborsRegressor()).fit(x[0::2], y[0::2]).predict(x[1::2])
// The classifiers' predictions and probabilities are the same with algorithm='brute'. In the
// regression, test rows 14 and 61 have an exact tie for the 5th neighbour between training rows
// with different targets (rows 3 and 6; the duplicates 64 and 66), which scikit-learn's
// algorithms break differently: kd_tree ('auto') 0.22 and 1.78, brute 0.18 and 1.76. qmlsim takes
// the lower training index: 0.22 (as kd_tree) and 1.76 (as brute), the value written below.

TEST(ClassicalKnnTest, PredictionsEqualScikitLearn) {
  const Split iris = classical_test::iris_split();
  const auto a = fitted("knn", iris.train);
  EXPECT_EQ(a->predict(iris.test.x()),
            digits("000000000000000000000000011111111111111112211111112222222221222222122222221"));
  const Split bc = classical_test::breast_cancer_split();
  const auto b = fitted("knn", bc.train);
  EXPECT_EQ(b->predict(bc.test.x()),
            digits("0000001001100000001010001101011101111001100011101111011111000110001111011111111101101011010111110100001"
                   "0111110101101010011111101000101111101101111111111111111010011111000101110011111010101101101010111111"
                   "111110111111100110111001111011111111011100111100011011101011111001111111111111000"));
  const Eigen::MatrixXd p = b->predict_proba(bc.test.x());
  EXPECT_THAT(std::vector<double>(p.col(1).data(), p.col(1).data() + 10),
              ElementsAre(0, 0, 0.2, 0.2, 0, 0, 0.6, 0, 0, 1));
  const std::vector<double> score = b->score_class1(bc.test.x());
  EXPECT_EQ(score, std::vector<double>(p.col(1).data(), p.col(1).data() + p.rows()));
  EXPECT_TRUE(b->has_proba());
  EXPECT_EQ(b->info().trainable_parameters, 0u);
}

TEST(ClassicalKnnTest, RegressorEqualsScikitLearn) {
  const Split s = classical_test::iris_regression_split();
  const std::vector<double> expected = {
      0.18, 0.18, 0.3,  0.26, 0.18, 0.28, 0.18, 0.24, 0.26, 0.28, 0.24, 0.24, 0.18, 0.26, 0.22, 0.24, 0.24, 0.24, 0.26,
      0.26, 0.52, 0.26, 0.18, 0.22, 0.26, 1.74, 1.12, 1.62, 1.22, 1.32, 1.48, 1.76, 1.54, 1.24, 1.2,  1.42, 1.88, 1.42,
      1.64, 1.2,  1.18, 1.8,  2.02, 1.42, 1.2,  1.64, 1.22, 1.38, 1.58, 1.28, 1.76, 2.02, 2.12, 2.08, 2.14, 1.8,  1.4,
      2.06, 2.08, 1.46, 1.68, 1.76, 2.28, 1.64, 1.98, 2.08, 1.78, 2.12, 2.1,  2.08, 1.78, 2.28, 1.86, 1.96, 1.8};
  const auto model = fitted("knn-regressor", s.train);
  EXPECT_THAT(model->predict_values(s.test.x()), Pointwise(DoubleNear(1e-12), expected));
  EXPECT_FALSE(model->has_proba());
  EXPECT_THAT(testing::invalid_argument_of([&] { (void)model->predict_proba(s.test.x()); }),
              HasSubstr("is a regressor: predict_proba needs a classifier"));
}

TEST(ClassicalKnnTest, EqualDistancesGoToTheLowerTrainingIndexAndVotesToTheLowerClass) {
  // Query 0 is at distance 1 from rows 0 (class 1), 1 (class 0) and 2 (class 0): with k = 2 the
  // neighbours are rows 0 and 1, a 1-1 vote that goes to class 0.
  FeatureMatrix x(4, 1);
  x << -1, 1, 1, 5;
  const Dataset train(x, Labels{1, 0, 0, 1}, {"a", "b"});
  const EstimatorContext raw{{}, 1, std::string("none"), 0};
  const auto model = fitted("knn", train, {{"n_neighbors", "2"}}, raw);
  const FeatureMatrix query = FeatureMatrix::Zero(1, 1);
  EXPECT_EQ(model->predict(query), Labels{0});
  EXPECT_EQ(model->predict_proba(query), (Eigen::MatrixXd(1, 2) << 0.5, 0.5).finished());
  const auto three = fitted("knn", train, {{"n_neighbors", "3"}}, raw);
  EXPECT_EQ(three->predict(query), Labels{0});
  EXPECT_THAT(std::vector<double>{three->predict_proba(query)(0, 1)}, ElementsAre(DoubleNear(1.0 / 3.0, 1e-15)));
}

TEST(ClassicalKnnTest, SameOnOneAndTwoThreads) {
  const Split s = classical_test::breast_cancer_split();
  EstimatorContext one, two;
  one.simulator.parallel = Parallelism{1, 0};
  two.simulator.parallel = Parallelism{2, 0};
  EXPECT_EQ(fitted("knn", s.train, {}, one)->predict_proba(s.test.x()),
            fitted("knn", s.train, {}, two)->predict_proba(s.test.x()));
}

TEST(ClassicalKnnTest, RefusesMoreNeighboursThanRowsAndBadParameters) {
  const Split s = classical_test::iris_split();
  auto model = make_knn(ModelConfig{"k", "knn", {{"n_neighbors", "76"}}}, {});
  EXPECT_EQ(testing::invalid_argument_of([&] { (void)model->fit(s.train); }),
            "model 'k': n_neighbors 76 exceeds the 75 training rows");
  EXPECT_EQ(testing::invalid_argument_of([&] { (void)make_knn(ModelConfig{"k", "knn", {{"k", "3"}}}, {}); }),
            "model 'k': unknown option 'k' (valid: n_neighbors)");
  EXPECT_THAT(testing::invalid_argument_of([&] { (void)make_knn(ModelConfig{"k", "knn", {{"n_neighbors", "0"}}}, {}); }),
              HasSubstr("n_neighbors must be an integer in [1, 1000000], got '0'"));
  EXPECT_EQ(make_knn(ModelConfig{"k", "knn-regressor", {{"n_neighbors", "3"}}}, {})->description(),
            "knn-regressor n_neighbors=3");
  EXPECT_EQ(knn_parameter_keys(), classical_parameter_keys("knn"));
}

}  // namespace
}  // namespace qmlsim::qml

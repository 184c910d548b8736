#include "qml/classical/logistic_regression.hpp"

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
using ::testing::HasSubstr;
using ::testing::Pointwise;

// The references below: scikit-learn 1.2.1 (lbfgs; 'auto' is multinomial for iris, the binary
// logistic model for breast_cancer),
//   from sklearn.datasets import load_iris, load_breast_cancer
//   from sklearn.pipeline import make_pipeline
//   from sklearn.preprocessing import StandardScaler
//   from sklearn.linear_model import LogisticRegression
//   d = load_iris()  # or load_breast_cancer()
//   m = make_pipeline(StandardScaler(), LogisticRegression()).fit(d.data[0::2], d.target[0::2])
//   m.predict(d.data[1::2]); m.predict_proba(d.data[1::2])[:10].ravel()
// (n_iter_ 22 and 27). scikit-learn stops on scipy's ftol as much as on tol: its probabilities are
// up to 2.2e-5 (iris) and 5.7e-5 (breast_cancer) from those of the exact optimum of its objective,
// so at the defaults the two agree to 1e-4, and tightly converged fits agree with the optimum:
//   from scipy.optimize import minimize  # on the standardised training rows x, labels y
//   def f(t):  # scikit-learn 1.2's objective: sum of cross-entropies + |W|^2 / 2 (C = 1)
//       W = t[:M*F].reshape(M, F); b = t[M*F:]; z = x @ W.T + b  # M = 1 output for two classes
//       ... loss and gradient (logaddexp / logsumexp) ...
//   r = minimize(f, zeros, jac=True, method='L-BFGS-B', options=dict(gtol=1e-13, ftol=1e-16))
// whose probabilities (first 10 test rows) are in the Optimum test.

std::vector<double> first_rows(const Eigen::MatrixXd& p, Eigen::Index rows) {
  std::vector<double> out;
  for (Eigen::Index i = 0; i < rows; ++i)
    for (Eigen::Index j = 0; j < p.cols(); ++j) out.push_back(p(i, j));
  return out;
}

TEST(ClassicalLogisticRegressionTest, IrisEqualsScikitLearnMultinomial) {
  const Split s = classical_test::iris_split();
  const auto model = fitted("logreg", s.train);
  EXPECT_EQ(model->predict(s.test.x()),
            digits("000000000000000000000000011111111111111111111111112222222221222222122222222"));
  const Eigen::MatrixXd p = model->predict_proba(s.test.x());
  ASSERT_EQ(p.rows(), 75);
  ASSERT_EQ(p.cols(), 3);
  EXPECT_TRUE(p.rowwise().sum().isApprox(Eigen::VectorXd::Ones(75), 1e-14));
  const std::vector<double> expected = {
      0.884219736811, 0.115765056001,  1.52071877574e-05, 0.94448418421,  0.0555073674721, 8.44831805393e-06,
      0.982081118219, 0.0179147967627, 4.08501855577e-06, 0.961592456685, 0.038402877676,  4.66563899334e-06,
      0.917830686666, 0.0821612220014, 8.091332609e-06,   0.970534498442, 0.0294612925921, 4.20896632811e-06,
      0.96601323549,  0.0339841465967, 2.61791358489e-06, 0.995532874124, 0.0044665090681, 6.16807886108e-07,
      0.967133747814, 0.0328614679146, 4.78427168028e-06, 0.987673340955, 0.0123248853884, 1.77365646565e-06};
  EXPECT_THAT(first_rows(p, 10), Pointwise(DoubleNear(1e-4), expected));
  EXPECT_EQ(model->info().trainable_parameters, 3u * 4u + 3u);
  EXPECT_THAT(testing::invalid_argument_of([&] { (void)model->score_class1(s.test.x()); }),
              HasSubstr("score_class1 needs two classes, the model has 3"));
}

TEST(ClassicalLogisticRegressionTest, BreastCancerEqualsScikitLearnBinary) {
  const Split s = classical_test::breast_cancer_split();
  const auto model = fitted("logreg", s.train);
  EXPECT_EQ(model->predict(s.test.x()),
            digits("0000000001100000001010001101011101111001100011101111011111000110001111011111110101101011010111110100001"
                   "0111010101101010011111101000101111101101111111111111111010011011000101110011111010101101101010111111"
                   "111010111111100110111001111011111111011100111100011011101011111001101111111111000"));
  const Eigen::MatrixXd p = model->predict_proba(s.test.x());
  const std::vector<double> expected = {
      0.999795797413, 0.000204202586646, 0.992086228485, 0.00791377151456, 0.664570230456, 0.335429769544,
      0.868011709627, 0.131988290373,    0.998646561377, 0.00135343862335, 0.998145355042, 0.00185464495787,
      0.604069670547, 0.395930329453,    0.999857671961, 0.000142328039076, 0.999914652194, 8.5347806246e-05,
      0.0268275293883, 0.973172470612};
  EXPECT_THAT(first_rows(p, 10), Pointwise(DoubleNear(1e-4), expected));
  const std::vector<double> score = model->score_class1(s.test.x());
  for (Eigen::Index i = 0; i < p.rows(); ++i) EXPECT_EQ(score[static_cast<std::size_t>(i)], p(i, 1));
  // Two classes: one weight vector and one intercept, as scikit-learn's coef_ (1 x 30).
  EXPECT_EQ(model->info().trainable_parameters, 31u);
}

TEST(ClassicalLogisticRegressionTest, TightFitsReachTheExactOptimumOfScikitLearnsObjective) {
  const std::vector<std::pair<std::string, std::string>> tight = {{"tol", "1e-8"}, {"max_iter", "10000"}};
  const Split iris = classical_test::iris_split();
  const std::vector<double> iris_optimum = {
      0.884224187954, 0.115760605274,  1.52067717672e-05, 0.94448685688,  0.0555046949953, 8.44812457099e-06,
      0.982081227275, 0.0179146874867, 4.08523854271e-06, 0.96159343597,  0.0384018983473, 4.66568243146e-06,
      0.917832978876, 0.0821589298807, 8.09124376924e-06, 0.970535414984, 0.0294603760119, 4.20900399989e-06,
      0.966015576298, 0.033981805907,  2.61779544638e-06, 0.995532818947, 0.00446656418591, 6.16867417595e-07,
      0.967134717857, 0.0328604978241, 4.78431915779e-06, 0.987673587643, 0.0123246386314, 1.77372588508e-06};
  EXPECT_THAT(first_rows(fitted("logreg", iris.train, tight)->predict_proba(iris.test.x()), 10),
              Pointwise(DoubleNear(1e-7), iris_optimum));
  const Split bc = classical_test::breast_cancer_split();
  const std::vector<double> bc_optimum = {
      0.999795819496, 0.000204180504306, 0.992086310008, 0.00791368999173, 0.66457727835,  0.33542272165,
      0.868014769896, 0.131985230104,    0.998646348047, 0.00135365195295, 0.998145200767, 0.00185479923301,
      0.60407891944,  0.39592108056,     0.999857657687, 0.000142342312833, 0.999914649527, 8.53504729159e-05,
      0.0268293413466, 0.973170658653};
  EXPECT_THAT(first_rows(fitted("logreg", bc.train, tight)->predict_proba(bc.test.x()), 10),
              Pointwise(DoubleNear(1e-7), bc_optimum));
}

TEST(ClassicalLogisticRegressionTest, SmallerCShrinksTheWeightsTowardsUniform) {
  const Split s = classical_test::iris_split();
  const Eigen::MatrixXd strong = fitted("logreg", s.train, {{"C", "0.001"}})->predict_proba(s.test.x());
  const Eigen::MatrixXd weak = fitted("logreg", s.train, {{"C", "100"}})->predict_proba(s.test.x());
  EXPECT_LT((strong.array() - 1.0 / 3.0).abs().maxCoeff(), 0.1);
  EXPECT_GT(weak.maxCoeff(), 0.99);
}

TEST(ClassicalLogisticRegressionTest, MaxIterBoundsTheEvaluations) {
  const Split s = classical_test::iris_split();
  auto model = make_logistic_regression(ModelConfig{"lr", "logreg", {{"max_iter", "3"}}}, {});
  const EstimatorFit fit = model->fit(s.train);
  EXPECT_LE(fit.iterations, 3);
  EXPECT_EQ(fit.circuit_evaluations, 0u);
  EXPECT_GT(fitted("logreg", s.train)->fit(s.train).iterations, 3);
}

TEST(ClassicalLogisticRegressionTest, BadParametersNameTheValidOnes) {
  const auto make = [](std::vector<std::pair<std::string, std::string>> params) {
    return testing::invalid_argument_of([&] { (void)make_logistic_regression(ModelConfig{"lr", "logreg", params}, {}); });
  };
  EXPECT_EQ(make({{"penalty", "l1"}}), "model 'lr': unknown option 'penalty' (valid: C, tol, max_iter)");
  EXPECT_EQ(make({{"C", "-1"}}), "model 'lr': C must be > 0, got -1");
  EXPECT_THAT(make({{"max_iter", "0"}}), HasSubstr("max_iter must be an integer in [1, 1000000], got '0'"));
  EXPECT_EQ(logistic_regression_parameter_keys(), classical_parameter_keys("logreg"));
  EXPECT_EQ(make_logistic_regression(ModelConfig{"lr", "logreg", {}}, {})->description(),
            "logreg C=1 tol=1e-04 max_iter=100");
}

}  // namespace
}  // namespace qmlsim::qml

#include "qml/classical/mlp.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "qml/classical/mlp_network.hpp"
#include "qml/data/builtin.hpp"
#include "qml/data/split.hpp"
#include "qml/data/synthetic.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/rng.hpp"
#include "tests/support/error_message.hpp"

namespace qmlsim::qml {
namespace {

using detail::MlpNetwork;
using detail::MlpOutput;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Params = std::vector<std::pair<std::string, std::string>>;

std::unique_ptr<Estimator> mlp(const std::string& type, Params params = {}, std::uint64_t seed = 1) {
  EstimatorContext context;
  context.seed = seed;
  return make_mlp(ModelConfig{"net", type, std::move(params)}, context);
}

Dataset iris() { return load_builtin(DatasetRequest{"iris", {}, 1}).data; }

double accuracy(const Labels& predicted, const Labels& truth) {
  std::size_t right = 0;
  for (std::size_t i = 0; i < truth.size(); ++i) right += predicted[i] == truth[i] ? 1 : 0;
  return static_cast<double>(right) / static_cast<double>(truth.size());
}

/// y = sin(x0) + x1^2 / 2 on [-2, 2]^2.
Dataset smooth_regression(int samples, std::uint64_t seed) {
  Rng rng(seed);
  FeatureMatrix x(samples, 2);
  std::vector<double> y(static_cast<std::size_t>(samples));
  for (int i = 0; i < samples; ++i) {
    x(i, 0) = 4.0 * rng.uniform() - 2.0;
    x(i, 1) = 4.0 * rng.uniform() - 2.0;
    y[static_cast<std::size_t>(i)] = std::sin(x(i, 0)) + 0.5 * x(i, 1) * x(i, 1);
  }
  return Dataset::regression(std::move(x), std::move(y));
}

double r_squared(const std::vector<double>& predicted, const std::vector<double>& truth) {
  double mean = 0.0;
  for (double t : truth) mean += t / static_cast<double>(truth.size());
  double residual = 0.0, total = 0.0;
  for (std::size_t i = 0; i < truth.size(); ++i) {
    residual += (predicted[i] - truth[i]) * (predicted[i] - truth[i]);
    total += (truth[i] - mean) * (truth[i] - mean);
  }
  return 1.0 - residual / total;
}

/// Random inputs and valid targets for a network with `outputs` outputs of kind `output`.
std::pair<Eigen::MatrixXd, Eigen::MatrixXd> random_batch(int rows, int inputs, int outputs, MlpOutput output, Rng& rng) {
  Eigen::MatrixXd x(rows, inputs), target = Eigen::MatrixXd::Zero(rows, outputs);
  for (Eigen::Index i = 0; i < x.size(); ++i) x(i) = 2.0 * rng.uniform() - 1.0;
  for (int i = 0; i < rows; ++i) {
    if (output == MlpOutput::Softmax)
      target(i, static_cast<Eigen::Index>(rng.below(static_cast<std::uint64_t>(outputs)))) = 1.0;
    else if (output == MlpOutput::Logistic)
      target(i, 0) = static_cast<double>(rng.below(2));
    else
      for (int o = 0; o < outputs; ++o) target(i, o) = rng.normal();
  }
  return {x, target};
}

TEST(MlpTest, GradientMatchesCentralDifferences) {
  for (const auto& [output, outputs] : {std::pair{MlpOutput::Softmax, 3}, std::pair{MlpOutput::Logistic, 1},
                                         std::pair{MlpOutput::Identity, 1}}) {
    Rng rng(11, static_cast<std::uint64_t>(outputs) + static_cast<std::uint64_t>(output));
    MlpNetwork net({3, 6, 4, outputs}, output, rng);  // two hidden layers
    const auto [x, target] = random_batch(9, 3, outputs, output, rng);
    const double alpha = 0.3;
    Eigen::VectorXd gradient, unused;
    (void)net.loss_gradient(x, target, alpha, gradient);
    ASSERT_EQ(gradient.size(), net.parameters().size());
    const double h = 1e-6;
    for (Eigen::Index k = 0; k < gradient.size(); ++k) {
      const double saved = net.parameters()[k];
      net.parameters()[k] = saved + h;
      const double up = net.loss_gradient(x, target, alpha, unused);
      net.parameters()[k] = saved - h;
      const double down = net.loss_gradient(x, target, alpha, unused);
      net.parameters()[k] = saved;
      EXPECT_NEAR(gradient[k], (up - down) / (2.0 * h), 1e-7 * (1.0 + std::abs(gradient[k])))
          << "output " << static_cast<int>(output) << ", parameter " << k;
    }
  }
}

TEST(MlpTest, LossIsCrossEntropyOfPredictionsPlusWeightPenalty) {
  Rng rng(5);
  MlpNetwork net({2, 4, 3}, MlpOutput::Softmax, rng);
  const auto [x, target] = random_batch(7, 2, 3, MlpOutput::Softmax, rng);
  const Eigen::MatrixXd p = net.predict(x);
  double cross_entropy = 0.0;
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    Eigen::Index c = 0;
    target.row(i).maxCoeff(&c);
    cross_entropy -= std::log(p(i, c)) / 7.0;
    EXPECT_NEAR(p.row(i).sum(), 1.0, 1e-12);
  }
  // Weights only (layer 0: 2 x 4 then 4 biases; layer 1: 4 x 3 then 3 biases), not the biases.
  const Eigen::VectorXd& w = net.parameters();
  const double squares = w.segment(0, 8).squaredNorm() + w.segment(12, 12).squaredNorm();
  Eigen::VectorXd gradient;
  EXPECT_NEAR(net.loss_gradient(x, target, 0.0, gradient), cross_entropy, 1e-12);
  EXPECT_NEAR(net.loss_gradient(x, target, 0.5, gradient), cross_entropy + 0.5 * 0.5 * squares / 7.0, 1e-12);
  EXPECT_EQ(MlpNetwork::parameter_count({2, 4, 3}), 27u);
}

TEST(MlpTest, GlorotBoundsAsScikitLearn) {
  Rng rng(3);
  const MlpNetwork net({4, 100, 3}, MlpOutput::Softmax, rng);
  const Eigen::VectorXd& w = net.parameters();
  const double first = std::sqrt(6.0 / 104.0), second = std::sqrt(6.0 / 103.0);
  EXPECT_LE(w.segment(0, 500).cwiseAbs().maxCoeff(), first);
  EXPECT_GT(w.segment(0, 500).cwiseAbs().maxCoeff(), 0.9 * first);  // the whole range is used
  EXPECT_LE(w.segment(500, 303).cwiseAbs().maxCoeff(), second);
  EXPECT_GT(w.segment(500, 303).cwiseAbs().maxCoeff(), 0.9 * second);
  EXPECT_NEAR(w.mean(), 0.0, 0.02);
}

TEST(MlpTest, ClassifierSeparatesBlobs) {
  const Dataset blobs = make_blobs(200, 2, 3, 1.0, 3);
  auto model = mlp("mlp");
  const EstimatorFit fit = model->fit(blobs);
  EXPECT_GE(accuracy(model->predict(blobs.x()), blobs.y()), 0.95);
  EXPECT_GE(fit.iterations, 1);
  EXPECT_LE(fit.iterations, 200);
  EXPECT_EQ(fit.circuit_evaluations, 0u);
}

// scikit-learn 1.2.1 MLPClassifier() after StandardScaler on iris, 30% stratified test splits
// (random_state 0..9): test accuracy 0.84 to 1.0, mean 0.93 (initialisation and splits differ).
TEST(MlpTest, IrisStratifiedTestAccuracy) {
  const Split split = train_test_split(iris(), 0.3, 1);
  auto model = mlp("mlp");
  (void)model->fit(split.train);
  EXPECT_GE(accuracy(model->predict(split.test.x()), split.test.y()), 0.9);
  EXPECT_EQ(model->info().trainable_parameters, 5u * 100u + 101u * 3u);
  EXPECT_EQ(model->kind(), ModelKind::Classical);
  EXPECT_EQ(model->task(), Task::Classification);
}

// scikit-learn 1.2.1 MLPRegressor() after StandardScaler on 200 such rows: training R^2 0.94 to
// 0.97 over random_state 0..4.
TEST(MlpTest, RegressorFitsSmoothFunction) {
  const Dataset train = smooth_regression(200, 7), test = smooth_regression(200, 8);
  auto model = mlp("mlp-regressor");
  (void)model->fit(train);
  EXPECT_GE(r_squared(model->predict_values(train.x()), train.targets()), 0.9);
  EXPECT_GE(r_squared(model->predict_values(test.x()), test.targets()), 0.85);
  EXPECT_FALSE(model->has_proba());
  EXPECT_EQ(model->task(), Task::Regression);
  EXPECT_EQ(model->info().trainable_parameters, 3u * 100u + 101u);
}

TEST(MlpTest, SameSeedSamePredictionsBitForBitOtherSeedOtherWeights) {
  const Dataset data = make_moons(120, 0.2, 4);
  auto a = mlp("mlp", {{"max_iter", "30"}}, 9), b = mlp("mlp", {{"max_iter", "30"}}, 9);
  auto c = mlp("mlp", {{"max_iter", "30"}}, 10);
  (void)a->fit(data);
  (void)b->fit(data);
  (void)c->fit(data);
  const Eigen::MatrixXd pa = a->predict_proba(data.x());
  EXPECT_TRUE(pa == b->predict_proba(data.x()));  // exact
  EXPECT_FALSE(pa == c->predict_proba(data.x()));
  (void)a->fit(data);  // a second fit starts afresh
  EXPECT_TRUE(pa == a->predict_proba(data.x()));

  const Dataset values = smooth_regression(80, 2);
  auto r = mlp("mlp-regressor", {{"max_iter", "20"}, {"batch_size", "16"}}, 9);
  auto s = mlp("mlp-regressor", {{"max_iter", "20"}, {"batch_size", "16"}}, 9);
  (void)r->fit(values);
  (void)s->fit(values);
  EXPECT_EQ(r->predict_values(values.x()), s->predict_values(values.x()));
}

TEST(MlpTest, ProbabilitiesSumToOneAndMatchPredictions) {
  const Dataset three = make_blobs(90, 3, 3, 2.0, 5), two = make_moons(80, 0.2, 6);
  auto m3 = mlp("mlp", {{"max_iter", "20"}}), m2 = mlp("mlp", {{"max_iter", "20"}});
  (void)m3->fit(three);
  (void)m2->fit(two);
  for (const auto& [model, data] : {std::pair{m3.get(), &three}, std::pair{m2.get(), &two}}) {
    ASSERT_TRUE(model->has_proba());
    const Eigen::MatrixXd p = model->predict_proba(data->x());
    ASSERT_EQ(p.rows(), data->x().rows());
    ASSERT_EQ(p.cols(), data->num_classes());
    const Labels predicted = model->predict(data->x());
    for (Eigen::Index i = 0; i < p.rows(); ++i) {
      EXPECT_NEAR(p.row(i).sum(), 1.0, 1e-12);
      EXPECT_GE(p.row(i).minCoeff(), 0.0);
      Eigen::Index best = 0;
      p.row(i).maxCoeff(&best);
      EXPECT_EQ(predicted[static_cast<std::size_t>(i)], best);
    }
  }
  const std::vector<double> score = m2->score_class1(two.x());
  const Eigen::MatrixXd p2 = m2->predict_proba(two.x());
  for (std::size_t i = 0; i < score.size(); ++i) EXPECT_EQ(score[i], p2(static_cast<Eigen::Index>(i), 1));
  EXPECT_THAT(testing::invalid_argument_of([&] { (void)m3->score_class1(three.x()); }), HasSubstr("two classes"));
}

// scikit-learn 1.2.1: MLPClassifier(tol=10) on iris stops after n_iter_ = 12 epochs, with
// early_stopping=True too, and after 5 with n_iter_no_change=3: the first epoch sets the best,
// every later one fails to improve by tol, and training stops once that happened more than
// n_iter_no_change times.
TEST(MlpTest, PlateauStopsAfterNIterNoChangePlusTwoEpochs) {
  const Dataset data = iris();
  EXPECT_EQ(mlp("mlp", {{"tol", "10"}})->fit(data).iterations, 12);
  EXPECT_EQ(mlp("mlp", {{"tol", "10"}, {"early_stopping", "true"}})->fit(data).iterations, 12);
  EXPECT_EQ(mlp("mlp", {{"tol", "10"}, {"n_iter_no_change", "3"}})->fit(data).iterations, 5);
  EXPECT_EQ(mlp("mlp-regressor", {{"tol", "1e9"}})->fit(smooth_regression(50, 1)).iterations, 12);
}

TEST(MlpTest, EarlyStoppingStopsBeforeMaxIterOnSeparableData) {
  // The validation accuracy reaches its ceiling within a few epochs, then cannot improve.
  const Dataset blobs = make_blobs(300, 2, 2, 0.5, 8);
  auto model = mlp("mlp", {{"early_stopping", "true"}, {"validation_fraction", "0.2"}});
  const EstimatorFit fit = model->fit(blobs);
  EXPECT_LT(fit.iterations, 200);
  EXPECT_GE(accuracy(model->predict(blobs.x()), blobs.y()), 0.95);
}

TEST(MlpTest, HiddenLayersAndDescription) {
  EXPECT_THAT(mlp_parameter_keys(), ElementsAre("hidden", "alpha", "learning_rate_init", "batch_size", "max_iter", "tol",
                                                "n_iter_no_change", "early_stopping", "validation_fraction"));
  EXPECT_EQ(mlp("mlp")->description(), "mlp hidden=100 alpha=1e-04 lr=0.001");
  auto deep = mlp("mlp-regressor", {{"hidden", "10x5"}, {"alpha", "0.01"}, {"max_iter", "5"}, {"early_stopping", "true"}});
  EXPECT_EQ(deep->description(), "mlp-regressor hidden=10,5 alpha=0.01 lr=0.001 max_iter=5 early_stopping=true "
                                 "validation_fraction=0.1");
  (void)deep->fit(smooth_regression(40, 3));
  EXPECT_EQ(deep->info().trainable_parameters, 3u * 10u + 11u * 5u + 6u);
  EXPECT_EQ(mlp("mlp", {{"hidden", "100,50"}})->description(), "mlp hidden=100,50 alpha=1e-04 lr=0.001");
}

TEST(MlpTest, BadParametersAndMisuseAreNamed) {
  const auto message = [](Params params) {
    return testing::invalid_argument_of([&] { (void)mlp("mlp", std::move(params)); });
  };
  EXPECT_THAT(message({{"hiden", "10"}}),
              HasSubstr("model 'net': unknown option 'hiden' (valid: hidden, alpha, learning_rate_init, batch_size, "
                        "max_iter, tol, n_iter_no_change, early_stopping, validation_fraction)"));
  EXPECT_THAT(message({{"hidden", "0"}}), HasSubstr("hidden must be layer sizes in [1, 100000]"));
  EXPECT_THAT(message({{"hidden", "10,,5"}}), HasSubstr("got '10,,5'"));
  EXPECT_THAT(message({{"alpha", "-1"}}), HasSubstr("alpha -1 must be >= 0"));
  EXPECT_THAT(message({{"learning_rate_init", "0"}}), HasSubstr("learning_rate_init"));
  EXPECT_THAT(message({{"batch_size", "big"}}), HasSubstr("batch_size must be auto or an integer"));
  EXPECT_THAT(message({{"max_iter", "0"}}), HasSubstr("max_iter must be an integer in [1, 1000000]"));
  EXPECT_THAT(message({{"early_stopping", "yes"}}), HasSubstr("early_stopping"));
  EXPECT_THAT(message({{"validation_fraction", "1"}}), HasSubstr("validation_fraction 1 out of range (0, 1)"));
  EXPECT_THAT(testing::invalid_argument_of([] { (void)mlp("svm-rbf"); }), HasSubstr("mlp or mlp-regressor"));

  auto classifier = mlp("mlp", {{"max_iter", "1"}}), regressor = mlp("mlp-regressor");
  const Dataset data = iris();
  EXPECT_THAT(testing::invalid_argument_of([&] { (void)classifier->predict(data.x()); }), HasSubstr("is not fitted"));
  EXPECT_THAT(testing::invalid_argument_of([&] { (void)regressor->fit(data); }), HasSubstr("needs regression data"));
  EXPECT_THAT(testing::invalid_argument_of([&] { (void)regressor->predict_proba(data.x()); }), HasSubstr("is a regressor"));
  (void)classifier->fit(data);
  EXPECT_THAT(testing::invalid_argument_of([&] { (void)classifier->predict_values(data.x()); }), HasSubstr("is a classifier"));
  EXPECT_THAT(testing::invalid_argument_of([&] { (void)classifier->predict(data.x().leftCols(3)); }),
              HasSubstr("fitted on 4 features, got 3"));
  const Dataset tiny = smooth_regression(1, 1);  // one row cannot be split
  EXPECT_THAT(testing::invalid_argument_of([&] { (void)mlp("mlp-regressor", {{"early_stopping", "true"}})->fit(tiny); }),
              HasSubstr("model 'net': early stopping's validation split: test size"));
}

}  // namespace
}  // namespace qmlsim::qml

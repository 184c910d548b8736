#include "qml/svm/svm_model.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <libsvm/svm.h>  // the oracle: libsvm's own svm_predict on the model libsvm trains

#include <cmath>
#include <limits>
#include <memory>
#include <numeric>
#include <vector>

#include "simulator/core/errors.hpp"
#include "simulator/core/rng.hpp"
#include "tests/support/error_message.hpp"

namespace qmlsim::qml {
namespace {

using ::testing::ElementsAreArray;
using ::testing::HasSubstr;

// RBF kernel exp(-gamma |a_i - b_j|^2) of the rows of a and b.
Eigen::MatrixXd rbf(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b, double gamma) {
  Eigen::MatrixXd k(a.rows(), b.rows());
  for (Eigen::Index i = 0; i < a.rows(); ++i)
    for (Eigen::Index j = 0; j < b.rows(); ++j) k(i, j) = std::exp(-gamma * (a.row(i) - b.row(j)).squaredNorm());
  return k;
}

Eigen::MatrixXd random_points(Eigen::Index n, Eigen::Index features, std::uint64_t seed) {
  Rng rng(seed);
  Eigen::MatrixXd x(n, features);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < features; ++j) x(i, j) = rng.normal();
  return x;
}

// Columns `support` of k (the kernel rows against the support vectors).
Eigen::MatrixXd support_columns(const Eigen::MatrixXd& k, const std::vector<std::size_t>& support) {
  Eigen::MatrixXd out(k.rows(), static_cast<Eigen::Index>(support.size()));
  for (std::size_t s = 0; s < support.size(); ++s) out.col(static_cast<Eigen::Index>(s)) = k.col(static_cast<Eigen::Index>(support[s]));
  return out;
}

// ---------------------------------------------------------------------------------------------
// scikit-learn 1.2.1 (libsvm inside) as the oracle. Produced offline with /usr/bin/python3:
//   X = the 15 points below, y = [0]*5 + [1]*5 + [2]*5, T = the 6 test points,
//   K = exp(-0.5 |x - y|^2); m = SVC(kernel='precomputed', C=1.0).fit(rbf(X, X), y)
//   m.support_, m.n_support_, m._dual_coef_, m._intercept_ (= -rho),
//   m.predict(rbf(T, X)), and with m.decision_function_shape = 'ovo', m.decision_function(rbf(T, X)).
//   Binary: SVC(kernel='precomputed', C=0.5).fit(K[:10, :10], y[:10]).

Eigen::MatrixXd oracle_points() {
  Eigen::MatrixXd x(15, 2);
  x << 0.0, 0.0, 0.3, 0.5, -0.4, 0.2, 0.6, -0.1, 0.1, 0.9,  //
      2.0, 2.1, 1.6, 2.4, 2.5, 1.7, 1.2, 1.5, 2.2, 2.8,      //
      -1.8, 2.0, -2.2, 1.5, -1.0, 2.4, -1.5, 1.0, 0.2, 1.6;
  return x;
}
Eigen::MatrixXd oracle_tests() {
  Eigen::MatrixXd t(6, 2);
  t << 0.1, 0.1, 2.0, 2.0, -1.5, 1.8, 0.5, 1.3, -0.5, 1.0, 1.0, 1.0;
  return t;
}
const std::vector<double> kOracleLabels{0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2};

TEST(SvmModelTest, MatchesScikitLearnOnAPrecomputedThreeClassKernel) {
  const Eigen::MatrixXd x = oracle_points(), t = oracle_tests();
  const SvmTraining fit = train_precomputed(rbf(x, x, 0.5), kOracleLabels, SvmParams{});
  EXPECT_THAT(fit.support, ElementsAreArray<std::size_t>({1, 2, 3, 4, 6, 7, 8, 9, 11, 12, 13, 14}));
  EXPECT_THAT(fit.model.n_support, ElementsAreArray({4, 4, 4}));
  Eigen::MatrixXd dual(2, 12);
  dual << 0.0, 0.07998152638741901, 0.7404298778084462, 1.0, -0.0, -0.2884961982332629, -1.0, -0.5319152059626023,
      -0.06962608900288919, -0.32428396813302507, -1.0, -1.0,  //
      0.004812413307529902, 1.0, 0.38909764382838435, 1.0, 0.07070718597737959, 0.37862214668952926, 1.0,
      0.671520179441151, -0.5874084841510291, -0.34241402039631286, -0.19102700756071778, -1.0;
  ASSERT_EQ(fit.model.dual_coef.rows(), 2);
  ASSERT_EQ(fit.model.dual_coef.cols(), 12);
  EXPECT_LT((fit.model.dual_coef - dual).cwiseAbs().maxCoeff(), 1e-6);
  const std::vector<double> intercept{-0.07827213619284121, -0.22547966858562335, -0.11640980173401554};
  ASSERT_EQ(fit.model.rho.size(), 3u);
  for (std::size_t p = 0; p < 3; ++p) EXPECT_NEAR(fit.model.rho[p], -intercept[p], 1e-6);

  const Eigen::MatrixXd k_test = support_columns(rbf(t, x, 0.5), fit.support);
  EXPECT_THAT(fit.model.predict_labels(k_test), ElementsAreArray({0, 1, 2, 0, 0, 1}));
  Eigen::MatrixXd ovo(6, 3);
  ovo << 1.1476142881550186, 1.1967903723706548, -0.28937767419683225,  //
      -1.219750463672372, -0.2954317601680888, 1.195540496548766,       //
      0.10733050631071969, -1.1291044053108747, -1.152123936631444,     //
      0.23554974222111938, 0.0370281707290287, -0.24381372375119054,    //
      0.8181118099848668, 0.06507154259638165, -0.9039276623188435,     //
      -0.009150230587643207, 0.24286070364074314, 0.29626082577161766;
  EXPECT_LT((fit.model.decision_values(k_test) - ovo).cwiseAbs().maxCoeff(), 1e-6);
}

TEST(SvmModelTest, MatchesScikitLearnOnABinaryProblem) {
  const Eigen::MatrixXd x = oracle_points().topRows(10), t = oracle_tests();
  SvmParams params;
  params.C = 0.5;
  const std::vector<double> y(kOracleLabels.begin(), kOracleLabels.begin() + 10);
  const SvmTraining fit = train_precomputed(rbf(x, x, 0.5), y, params);
  EXPECT_THAT(fit.support, ElementsAreArray<std::size_t>({1, 2, 3, 4, 6, 7, 8, 9}));
  EXPECT_THAT(fit.model.n_support, ElementsAreArray({4, 4}));
  Eigen::MatrixXd dual(1, 8);
  dual << 0.1787622088323255, 0.36359334815435074, 0.5, 0.5, -0.07817359730840048, -0.4641819596782758, -0.5, -0.5;
  ASSERT_EQ(fit.model.dual_coef.cols(), 8);
  EXPECT_LT((fit.model.dual_coef - dual).cwiseAbs().maxCoeff(), 1e-6);
  EXPECT_NEAR(fit.model.rho[0], 0.06917658264801665, 1e-6);
  EXPECT_THAT(fit.model.predict_labels(support_columns(rbf(t, x, 0.5), fit.support)),
              ElementsAreArray({0, 1, 0, 0, 0, 0}));
}

// ---------------------------------------------------------------------------------------------
// Our prediction against libsvm's svm_predict on the model libsvm itself trains from the same
// problem (labels whose first occurrences come in class order, so libsvm's class order is ours).

struct LibsvmOracle {
  std::vector<svm_node> nodes;
  std::vector<svm_node*> rows;
  std::vector<double> y;
  svm_problem problem{};
  svm_parameter parameters{};
  svm_model* model = nullptr;
  ~LibsvmOracle() { svm_free_and_destroy_model(&model); }
};

void train_oracle(LibsvmOracle& o, const Eigen::MatrixXd& k, const std::vector<double>& y, int type) {
  const auto n = static_cast<std::size_t>(k.rows());
  o.nodes.resize(n * (n + 2));
  o.rows.resize(n);
  o.y = y;
  for (std::size_t i = 0; i < n; ++i) {
    svm_node* row = o.nodes.data() + i * (n + 2);
    row[0] = {0, static_cast<double>(i + 1)};
    for (std::size_t j = 0; j < n; ++j) row[j + 1] = {static_cast<int>(j + 1), k(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j))};
    row[n + 1] = {-1, 0.0};
    o.rows[i] = row;
  }
  o.problem = {static_cast<int>(n), o.y.data(), o.rows.data()};
  o.parameters.svm_type = type;
  o.parameters.kernel_type = PRECOMPUTED;
  o.parameters.cache_size = 200;
  o.parameters.eps = 1e-3;
  o.parameters.C = 1.0;
  o.parameters.nu = 0.5;
  o.parameters.p = 0.1;
  o.parameters.shrinking = 1;
  o.model = svm_train(&o.problem, &o.parameters);
}

// libsvm's prediction input for kernel row `cross` (against all training rows).
std::vector<svm_node> test_row(const Eigen::MatrixXd& cross, Eigen::Index i) {
  std::vector<svm_node> row(static_cast<std::size_t>(cross.cols()) + 2);
  row[0] = {0, 0.0};
  for (Eigen::Index j = 0; j < cross.cols(); ++j) row[static_cast<std::size_t>(j) + 1] = {static_cast<int>(j + 1), cross(i, j)};
  row.back() = {-1, 0.0};
  return row;
}

void expect_equal_to_libsvm(SvmType type, int libsvm_type, const std::vector<double>& y, std::uint64_t seed) {
  const auto n = static_cast<Eigen::Index>(y.size());
  const Eigen::MatrixXd x = random_points(n, 3, seed), t = random_points(25, 3, seed + 100);
  const Eigen::MatrixXd k = rbf(x, x, 0.4), cross = rbf(t, x, 0.4);
  SvmParams params;
  params.type = type;
  const SvmTraining ours = train_precomputed(k, y, params);
  LibsvmOracle oracle;
  train_oracle(oracle, k, y, libsvm_type);

  ASSERT_EQ(static_cast<int>(ours.support.size()), oracle.model->l);
  for (int s = 0; s < oracle.model->l; ++s)
    EXPECT_EQ(ours.support[static_cast<std::size_t>(s)], static_cast<std::size_t>(oracle.model->SV[s][0].value) - 1);
  const Eigen::MatrixXd k_support = support_columns(cross, ours.support);
  const Eigen::MatrixXd decisions = ours.model.decision_values(k_support);
  const int classes = oracle.model->nr_class;
  std::vector<double> values(static_cast<std::size_t>(classes * (classes - 1) / 2));
  std::vector<int> labels;
  std::vector<double> reals;
  if (type == SvmType::EpsilonSvr) reals = ours.model.predict_values(k_support);
  else labels = ours.model.predict_labels(k_support);
  for (Eigen::Index i = 0; i < t.rows(); ++i) {
    const std::vector<svm_node> row = test_row(cross, i);
    const double predicted = svm_predict_values(oracle.model, row.data(), values.data());
    for (std::size_t p = 0; p < (type == SvmType::CSvc ? values.size() : 1); ++p)
      EXPECT_NEAR(decisions(i, static_cast<Eigen::Index>(p)), values[p], 1e-12) << "sample " << i << " pair " << p;
    EXPECT_EQ(predicted, svm_predict(oracle.model, row.data()));
    switch (type) {
      case SvmType::CSvc: EXPECT_EQ(labels[static_cast<std::size_t>(i)], static_cast<int>(predicted)) << i; break;
      case SvmType::OneClass: EXPECT_EQ(labels[static_cast<std::size_t>(i)], predicted > 0 ? 0 : 1) << i; break;
      case SvmType::EpsilonSvr: EXPECT_NEAR(reals[static_cast<std::size_t>(i)], predicted, 1e-12) << i; break;
    }
  }
}

// Random labels in 0 .. classes-1 whose first occurrences are 0, 1, 2, ... in order.
std::vector<double> random_labels(std::size_t n, int classes, std::uint64_t seed) {
  Rng rng(seed, 7);
  std::vector<double> y(n);
  for (std::size_t i = 0; i < n; ++i)
    y[i] = i < static_cast<std::size_t>(classes) ? static_cast<double>(i) : static_cast<double>(rng.below(static_cast<std::uint64_t>(classes)));
  return y;
}

TEST(SvmModelTest, ClassifierPredictionEqualsLibsvmOnRandomKernels) {
  for (int classes : {2, 3, 4, 5})
    for (std::uint64_t seed : {1u, 2u, 3u}) {
      SCOPED_TRACE(::testing::Message() << classes << " classes, seed " << seed);
      expect_equal_to_libsvm(SvmType::CSvc, C_SVC, random_labels(40, classes, seed), seed);
    }
}

TEST(SvmModelTest, RegressionPredictionEqualsLibsvmOnRandomKernels) {
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    Rng rng(seed, 9);
    std::vector<double> y(35);
    for (double& v : y) v = 2.0 * rng.normal();
    expect_equal_to_libsvm(SvmType::EpsilonSvr, EPSILON_SVR, y, seed);
  }
}

TEST(SvmModelTest, OneClassPredictionEqualsLibsvmOnRandomKernels) {
  for (std::uint64_t seed : {1u, 2u, 3u}) expect_equal_to_libsvm(SvmType::OneClass, ONE_CLASS, std::vector<double>(30, 1.0), seed);
}

TEST(SvmModelTest, ClassesAreGroupedBeforeLibsvmSeesThem) {
  // Labels in the order 2, 0, 1: libsvm alone would order its classes 2, 0, 1; ours are 0, 1, 2.
  const Eigen::MatrixXd x = oracle_points(), t = oracle_tests();
  std::vector<std::size_t> order{10, 0, 5, 11, 1, 6, 12, 2, 7, 13, 3, 8, 14, 4, 9};
  Eigen::MatrixXd shuffled(15, 2);
  std::vector<double> y(15);
  for (std::size_t i = 0; i < 15; ++i) {
    shuffled.row(static_cast<Eigen::Index>(i)) = x.row(static_cast<Eigen::Index>(order[i]));
    y[i] = kOracleLabels[order[i]];
  }
  const SvmTraining a = train_precomputed(rbf(x, x, 0.5), kOracleLabels, SvmParams{});
  const SvmTraining b = train_precomputed(rbf(shuffled, shuffled, 0.5), y, SvmParams{});
  EXPECT_EQ(a.model.dual_coef, b.model.dual_coef);
  EXPECT_EQ(a.model.rho, b.model.rho);
  for (std::size_t s = 0; s < a.support.size(); ++s) EXPECT_EQ(a.support[s], order[b.support[s]]);
}

TEST(SvmModelTest, TrainingPrintsNothing) {
  const Eigen::MatrixXd x = random_points(30, 2, 5);
  ::testing::internal::CaptureStdout();
  (void)train_precomputed(rbf(x, x, 1.0), random_labels(30, 3, 5), SvmParams{});
  EXPECT_EQ(::testing::internal::GetCapturedStdout(), "");
}

// ---------------------------------------------------------------------------------------------
// Validation

TEST(SvmModelTest, RefusesBadParametersWithLibsvmsReason) {
  const Eigen::MatrixXd x = random_points(10, 2, 1), k = rbf(x, x, 1.0);
  const std::vector<double> y = random_labels(10, 2, 1);
  SvmParams bad_c;
  bad_c.C = -1.0;
  EXPECT_THAT(testing::invalid_argument_of([&] { (void)train_precomputed(k, y, bad_c); }),
              HasSubstr("svm: C <= 0 (C = -1"));
  SvmParams bad_nu;
  bad_nu.type = SvmType::OneClass;
  bad_nu.nu = 1.5;
  EXPECT_THAT(testing::invalid_argument_of([&] { (void)train_precomputed(k, {}, bad_nu); }),
              HasSubstr("nu <= 0 or nu > 1"));
  SvmParams nan_c;
  nan_c.C = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(testing::invalid_argument_of([&] { (void)train_precomputed(k, y, nan_c); }), "svm: C = nan is not finite");
  SvmParams regression_probability;
  regression_probability.type = SvmType::EpsilonSvr;
  regression_probability.probability = true;
  EXPECT_THAT(testing::invalid_argument_of([&] { (void)train_precomputed(k, y, regression_probability); }),
              HasSubstr("probability estimates are for C-SVC"));
}

TEST(SvmModelTest, RefusesBadLabelsAndKernels) {
  const Eigen::MatrixXd x = random_points(6, 2, 1), k = rbf(x, x, 1.0);
  EXPECT_EQ(testing::invalid_argument_of([&] { (void)train_precomputed(k, std::vector<double>{0, 0, 2, 2, 0, 2}, SvmParams{}); }),
            "svm: class 1 has no training samples");
  EXPECT_THAT(testing::invalid_argument_of([&] { (void)train_precomputed(k, std::vector<double>{0, 0, 0, 0, 0, 0}, SvmParams{}); }),
              HasSubstr("at least 2 classes"));
  EXPECT_EQ(testing::invalid_argument_of([&] { (void)train_precomputed(k, std::vector<double>{0, 1, 0.5, 1, 0, 1}, SvmParams{}); }),
            "svm: label 0.5 of sample 2 is not a class index");
  EXPECT_THAT(testing::invalid_argument_of([&] { (void)train_precomputed(k, std::vector<double>{0, 1, 0}, SvmParams{}); }),
              HasSubstr("6 rows but there are 3 labels"));
  Eigen::MatrixXd bad = k;
  bad(1, 2) = std::numeric_limits<double>::infinity();
  EXPECT_EQ(testing::invalid_argument_of([&] { (void)train_precomputed(bad, std::vector<double>{0, 1, 0, 1, 0, 1}, SvmParams{}); }),
            "svm: kernel entry (1, 2) = inf is not finite");
  const SvmTraining fit = train_precomputed(k, std::vector<double>{0, 1, 0, 1, 0, 1}, SvmParams{});
  EXPECT_THAT(testing::invalid_argument_of([&] { (void)fit.model.decision_values(Eigen::MatrixXd::Zero(2, 99)); }),
              HasSubstr("99 columns"));
  EXPECT_THAT(testing::invalid_argument_of([&] { (void)fit.model.predict_values(k); }),
              HasSubstr("predicts labels, not values"));
  EXPECT_THAT(testing::invalid_argument_of([&] { (void)fit.model.predict_proba(k); }),
              HasSubstr("probability = true"));
}

TEST(SvmModelTest, ChecksLibsvmsNodesAgainstTheMemoryLimit) {
  const Eigen::MatrixXd x = random_points(40, 2, 1);
  SvmParams params;
  params.memory.max_bytes = 1000;
  try {
    (void)train_precomputed(rbf(x, x, 1.0), random_labels(40, 2, 1), params);
    FAIL() << "no ResourceError";
  } catch (const ResourceError& e) {
    EXPECT_THAT(e.what(), HasSubstr("libsvm: the precomputed kernel of 40 samples need"));
  }
}

TEST(SvmModelTest, ValidateNamesTheFieldThatDoesNotFit) {
  const Eigen::MatrixXd x = oracle_points();
  SvmModel m = train_precomputed(rbf(x, x, 0.5), kOracleLabels, SvmParams{}).model;
  EXPECT_NO_THROW(m.validate());
  const auto message = [](const SvmModel& bad) {
    try {
      bad.validate();
    } catch (const DatasetError& e) {
      return std::string(e.what());
    }
    return std::string("(no DatasetError)");
  };
  SvmModel rows = m;
  rows.dual_coef.conservativeResize(1, Eigen::NoChange);
  EXPECT_EQ(message(rows), "dual_coef: expected 2 rows, got 1");
  SvmModel counts = m;
  counts.n_support[0] = 5;
  EXPECT_EQ(message(counts), "n_support: the counts add up to 13 but there are 12 support vectors");
  SvmModel rho = m;
  rho.rho.pop_back();
  EXPECT_EQ(message(rho), "rho: expected 3 values, got 2");
  SvmModel probability = m;
  probability.prob_a = {1, 2, 3};
  EXPECT_EQ(message(probability), "prob_b: expected as many values as prob_a (3), got 0");
}

// ---------------------------------------------------------------------------------------------
// Probabilities

TEST(SvmModelTest, ProbabilitiesAreRowStochasticAndSeeded) {
  const Eigen::MatrixXd x = random_points(60, 3, 11), t = random_points(20, 3, 12);
  const std::vector<double> y = random_labels(60, 3, 11);
  SvmParams params;
  params.probability = true;
  params.seed = 42;
  const SvmTraining a = train_precomputed(rbf(x, x, 0.5), y, params);
  const SvmTraining b = train_precomputed(rbf(x, x, 0.5), y, params);
  ASSERT_EQ(a.model.prob_a.size(), 3u);
  EXPECT_EQ(a.model.prob_a, b.model.prob_a);
  EXPECT_EQ(a.model.prob_b, b.model.prob_b);
  // The decision function does not depend on the probability fit.
  SvmParams plain = params;
  plain.probability = false;
  EXPECT_EQ(train_precomputed(rbf(x, x, 0.5), y, plain).model.dual_coef, a.model.dual_coef);
  params.seed = 43;
  EXPECT_NE(train_precomputed(rbf(x, x, 0.5), y, params).model.prob_b, a.model.prob_b);

  const Eigen::MatrixXd p = a.model.predict_proba(support_columns(rbf(t, x, 0.5), a.support));
  ASSERT_EQ(p.rows(), 20);
  ASSERT_EQ(p.cols(), 3);
  for (Eigen::Index i = 0; i < p.rows(); ++i) {
    EXPECT_NEAR(p.row(i).sum(), 1.0, 1e-12);
    EXPECT_GE(p.row(i).minCoeff(), 0.0);
  }
}

TEST(SvmModelTest, BinaryProbabilitiesFollowTheDecisionValue) {
  // Two overlapping clouds: Platt's sigmoid must be increasing in the decision value of class 0.
  Eigen::MatrixXd x = random_points(80, 2, 21);
  std::vector<double> y(80);
  for (Eigen::Index i = 0; i < 80; ++i) {
    y[static_cast<std::size_t>(i)] = i % 2;
    x(i, 0) += i % 2 ? 1.0 : -1.0;
  }
  SvmParams params;
  params.probability = true;
  const SvmTraining fit = train_precomputed(rbf(x, x, 0.5), y, params);
  EXPECT_LT(fit.model.prob_a[0], 0.0);
  const Eigen::MatrixXd t = random_points(40, 2, 22) * 1.5;
  const Eigen::MatrixXd k = support_columns(rbf(t, x, 0.5), fit.support);
  const Eigen::MatrixXd d = fit.model.decision_values(k), p = fit.model.predict_proba(k);
  for (Eigen::Index i = 0; i < t.rows(); ++i) {
    EXPECT_NEAR(p(i, 0) + p(i, 1), 1.0, 1e-15);
    for (Eigen::Index j = 0; j < t.rows(); ++j)
      if (d(i, 0) > d(j, 0)) {
        EXPECT_GE(p(i, 0), p(j, 0)) << i << " " << j;
      }
  }
}

}  // namespace
}  // namespace qmlsim::qml

#include "qml/models/kernel_model.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

#include "qml/data/builtin.hpp"
#include "qml/eval/metrics.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/rng.hpp"
#include "tests/qml/models/test_feature_map.hpp"
#include "tests/support/error_message.hpp"

namespace qmlsim::qml {
namespace {

using qmlsim::testing::dataset_error_of;

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using testing::invalid_argument_of;
using testing::ry_test_factory;

Dataset iris() { return load_builtin(DatasetRequest{"iris", {}, 1}).data; }

// Two Gaussian clouds in 2 features around (-c, -c) and (c, c), labels alternating.
Dataset two_clouds(Eigen::Index n, double c, std::uint64_t seed) {
  Rng rng(seed);
  FeatureMatrix x(n, 2);
  Labels y(static_cast<std::size_t>(n));
  for (Eigen::Index i = 0; i < n; ++i) {
    const int label = static_cast<int>(i % 2);
    y[static_cast<std::size_t>(i)] = label;
    for (Eigen::Index f = 0; f < 2; ++f) x(i, f) = (label ? c : -c) + 0.3 * rng.normal();
  }
  return Dataset(std::move(x), std::move(y), {"minus", "plus"});
}

// y = sin(2 x) on n points of [-1, 1] (odd offsets for the test points).
Dataset wave(int n, double offset) {
  FeatureMatrix x(n, 1);
  std::vector<double> y(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    x(i, 0) = -1.0 + 2.0 * (i + offset) / n;
    y[static_cast<std::size_t>(i)] = std::sin(2.0 * x(i, 0));
  }
  return Dataset::regression(std::move(x), std::move(y));
}

KernelModelSpec quantum_spec(const std::string& type) {
  KernelModelSpec spec;
  spec.type = type;
  spec.feature_map = {"ry-test", {}};
  return spec;
}

// ---------------------------------------------------------------------------------------------
// scikit-learn 1.2.1 as the oracle, produced offline with /usr/bin/python3:
//   d = np.loadtxt('iris.csv', delimiter=',', skiprows=1); X, y = d[:, :4], d[:, 4]
//   Z = StandardScaler().fit_transform(X); m = SVC(kernel='rbf', gamma='scale', C=1.0).fit(Z, y)
//   1 / (4 * Z.var()), m.support_, m.n_support_, m._dual_coef_, m._intercept_ (= -rho), m.predict(Z)

TEST(KernelModelTest, SvmRbfEqualsScikitLearnOnIris) {
  const Dataset data = iris();
  KernelModelSpec spec;
  spec.type = "svm-rbf";
  KernelModel model(spec);
  const KernelFitReport report = model.fit(data);
  const KernelModel::State& s = model.state();
  EXPECT_EQ(model.pipeline().spec(), "standard");
  EXPECT_NEAR(s.gamma, 0.25, 1e-12);
  EXPECT_THAT(s.svm.n_support, ElementsAre(8, 22, 21));
  EXPECT_EQ(report.n_support, 51u);

  const std::vector<Eigen::Index> support{8,   13,  15,  20,  22,  23,  25,  41,  50,  52,  53,  54,  56,
                                          57,  59,  60,  63,  66,  68,  70,  72,  76,  77,  78,  83,  84,
                                          85,  86,  87,  98,  106, 108, 110, 116, 118, 119, 121, 123, 125,
                                          126, 127, 129, 131, 133, 134, 137, 138, 142, 146, 148, 149};
  const FeatureMatrix z = model.pipeline().transform(data.x());
  ASSERT_EQ(s.support_features.rows(), 51);
  for (std::size_t r = 0; r < support.size(); ++r)
    EXPECT_LT((s.support_features.row(static_cast<Eigen::Index>(r)) - z.row(support[r])).cwiseAbs().maxCoeff(), 1e-12)
        << r;
  Eigen::MatrixXd dual(2, 51);
  dual << 0.09044193403705042, 0.0, 0.8676727144411697, 0.0, 0.0, 0.8389519342414699, 0.47649945800179366, 1.0,
      -0.49405177557505486, -0.0, -0.0, -0.0, -0.0, -0.5383652823078224, -0.0, -0.37933404786561503, -0.0, -0.0,
      -0.12080748271588602, -0.0, -0.0, -0.0, -0.0, -0.0, -0.0, -0.0, -0.7410074522571051, -0.0, -0.0, -1.0,
      -0.8295263464187339, -0.0, -0.0, -0.0, -0.6195578973344403, -0.3592388148258736, -0.0, -0.0, -0.0, -0.0, -0.0,
      -0.0, -0.6611948750002279, -0.0, -0.0, -0.0, -0.0, -0.0, -0.0, -0.49595512135499215, -0.0,  //
      0.0, 0.1483536849938923, 0.9484029707596414, 0.13900834876156112, 0.28031642964531467, 0.44939162077385836, 0.0,
      1.0, 1.0, 1.0, 0.6228514120941054, 1.0, 1.0, 0.0, 0.522311228623458, 0.5059618370495534, 1.0, 1.0, 1.0, 1.0,
      1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.08763968663963144, 1.0, 0.5971229914177361, 0.0, -1.0, -0.059690639200621176,
      -1.0, -1.0, -0.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -0.7821095479925015, -1.0, -1.0, -1.0, -1.0,
      -0.49408696863136164, -1.0, -0.0, -1.0;
  EXPECT_LT((s.svm.dual_coef - dual).cwiseAbs().maxCoeff(), 1e-6);
  const std::vector<double> intercept{0.01942134760225545, -0.13122672000467428, 0.06293108411422838};
  for (std::size_t p = 0; p < 3; ++p) EXPECT_NEAR(s.svm.rho[p], -intercept[p], 1e-6);

  Labels expected(150);
  for (int i = 0; i < 150; ++i) expected[static_cast<std::size_t>(i)] = i / 50;
  for (int i : {77, 83, 119, 133}) expected[static_cast<std::size_t>(i)] = i == 77 || i == 83 ? 2 : 1;
  const Labels predicted = model.predict(data.x());
  EXPECT_EQ(predicted, expected);
  EXPECT_GE(accuracy(data.y(), predicted), 0.95);
}

TEST(KernelModelTest, ExplicitGammaIsUsedAndClassicalModelsHaveNoDescription) {
  KernelModelSpec spec;
  spec.type = "svm-rbf";
  spec.gamma = 0.7;
  KernelModel model(spec);
  (void)model.fit(two_clouds(30, 1.0, 1));
  EXPECT_EQ(model.state().gamma, 0.7);
  EXPECT_FALSE(model.is_quantum());
  EXPECT_EQ(model.description(), "");
}

// ---------------------------------------------------------------------------------------------
// Quantum models, against the closed form of the test map's kernel.

TEST(KernelModelTest, QsvcEqualsAnSvmOnTheClosedFormKernel) {
  const Dataset train = two_clouds(40, 1.0, 3), test = two_clouds(20, 1.0, 4);
  KernelModelSpec spec = quantum_spec("qsvc");
  spec.preprocess = "none";
  KernelModel model(spec, {}, ry_test_factory());
  const KernelFitReport report = model.fit(train);
  EXPECT_TRUE(model.is_quantum());
  EXPECT_EQ(report.circuit_evaluations, 40u);
  EXPECT_EQ(model.class_names(), (std::vector<std::string>{"minus", "plus"}));
  EXPECT_THAT(model.description(), HasSubstr("RY test map"));

  std::vector<double> y(train.y().begin(), train.y().end());
  const SvmTraining reference = train_precomputed(testing::ry_test_kernel(train.x(), train.x()), y, SvmParams{});
  ASSERT_EQ(model.n_support(), reference.support.size());
  EXPECT_LT((model.state().svm.dual_coef - reference.model.dual_coef).cwiseAbs().maxCoeff(), 1e-9);
  FeatureMatrix support(static_cast<Eigen::Index>(reference.support.size()), 2);
  for (std::size_t s = 0; s < reference.support.size(); ++s)
    support.row(static_cast<Eigen::Index>(s)) = train.x().row(static_cast<Eigen::Index>(reference.support[s]));
  EXPECT_EQ(model.predict(test.x()), reference.model.predict_labels(testing::ry_test_kernel(test.x(), support)));
  EXPECT_EQ(accuracy(test.y(), model.predict(test.x())), 1.0);
}

TEST(KernelModelTest, QuantumModelsPreprocessByDefault) {
  KernelModel model(quantum_spec("qsvc"), {}, ry_test_factory());
  (void)model.fit(two_clouds(20, 1.0, 5));
  EXPECT_EQ(model.pipeline().spec(), "standard,minmax:0:pi");
  const FeatureMatrix z = model.pipeline().transform(two_clouds(20, 1.0, 5).x());
  EXPECT_NEAR(z.minCoeff(), 0.0, 1e-12);
  EXPECT_NEAR(z.maxCoeff(), M_PI, 1e-12);
}

TEST(KernelModelTest, RegressionModelsFitASmoothFunction) {
  const Dataset train = wave(40, 0.0), test = wave(13, 0.5);
  for (const char* type : {"qkrr", "qsvr", "svr-rbf"}) {
    KernelModelSpec spec = quantum_spec(type);
    spec.alpha = 1e-3;
    spec.C = 10.0;
    spec.epsilon = 0.01;
    KernelModel model(spec, {}, ry_test_factory());
    (void)model.fit(train);
    EXPECT_EQ(model.task(), Task::Regression);
    EXPECT_TRUE(model.class_names().empty());
    const std::vector<double> predicted = model.predict_values(test.x());
    EXPECT_GT(r2_score(test.targets(), predicted), 0.95) << type;
    EXPECT_LT(mean_squared_error(test.targets(), predicted), 0.01) << type;
  }
}

TEST(KernelModelTest, QkrrSolvesTheRegularisedSystem) {
  const Dataset train = wave(15, 0.0);
  KernelModelSpec spec = quantum_spec("qkrr");
  spec.preprocess = "none";
  spec.alpha = 0.1;
  KernelModel model(spec, {}, ry_test_factory());
  (void)model.fit(train);
  // (K + alpha I) c = y, checked by the residual; every training row is kept.
  const Eigen::MatrixXd k = testing::ry_test_kernel(train.x(), train.x());
  const Eigen::VectorXd& c = model.state().krr_coef;
  const Eigen::Map<const Eigen::VectorXd> y(train.targets().data(), 15);
  EXPECT_LT((k * c + 0.1 * c - y).cwiseAbs().maxCoeff(), 1e-10);
  EXPECT_EQ(model.n_support(), 15u);
  const std::vector<double> fitted = model.predict_values(train.x());
  for (int i = 0; i < 15; ++i) EXPECT_NEAR(fitted[static_cast<std::size_t>(i)], (k * c)(i), 1e-12);
}

TEST(KernelModelTest, OneClassFlagsFarOutliers) {
  Rng rng(9);
  FeatureMatrix x(40, 2);
  for (Eigen::Index i = 0; i < 40; ++i)
    for (Eigen::Index f = 0; f < 2; ++f) x(i, f) = 0.3 * rng.normal();
  // Labels do not matter to one-class training; a single class is fine.
  const Dataset train(x, Labels(40, 0), {"normal"});
  KernelModelSpec spec = quantum_spec("qoneclass");
  spec.preprocess = "none";
  spec.nu = 0.1;
  KernelModel model(spec, {}, ry_test_factory());
  (void)model.fit(train);
  EXPECT_EQ(model.class_names(), (std::vector<std::string>{"inlier", "outlier"}));
  FeatureMatrix probe(4, 2);
  probe << 0.0, 0.0, 0.05, -0.1, 3.0, 3.0, -2.5, 2.8;
  EXPECT_EQ(model.predict(probe), (Labels{0, 0, 1, 1}));
  const Labels on_train = model.predict(x);
  EXPECT_LE(std::count(on_train.begin(), on_train.end(), 1), 8);  // about nu of the training rows
}

// ---------------------------------------------------------------------------------------------
// Probabilities and determinism

TEST(KernelModelTest, ProbabilitiesSumToOneAndAreSeeded) {
  const Dataset data = iris();
  KernelModelSpec spec;
  spec.type = "svm-rbf";
  spec.probability = true;
  KernelOptions options;
  options.seed = 5;
  KernelModel a(spec, options), b(spec, options);
  (void)a.fit(data);
  (void)b.fit(data);
  const Eigen::MatrixXd pa = a.predict_proba(data.x()), pb = b.predict_proba(data.x());
  EXPECT_EQ(pa, pb);
  ASSERT_EQ(pa.cols(), 3);
  for (Eigen::Index i = 0; i < pa.rows(); ++i) EXPECT_NEAR(pa.row(i).sum(), 1.0, 1e-12);
  // The most likely class is the predicted one on nearly every row (Platt and votes can differ
  // near a boundary).
  const Labels labels = a.predict(data.x());
  int agree = 0;
  for (Eigen::Index i = 0; i < pa.rows(); ++i) {
    Eigen::Index best = 0;
    pa.row(i).maxCoeff(&best);
    agree += best == labels[static_cast<std::size_t>(i)];
  }
  EXPECT_GE(agree, 145);
}

// The quantum path: 150 iris rows (two Gram tiles), states across rows on two workers, tiles on
// two threads; then libsvm and Platt scaling on the same bits.
TEST(KernelModelTest, PredictionsAreBitIdenticalOnOneAndTwoThreads) {
  const Dataset data = iris();
  for (const char* type : {"qsvc", "svm-rbf"}) {
    KernelModelSpec spec;
    spec.type = type;
    spec.feature_map = {"zz", {{"reps", "1"}}};
    spec.probability = true;
    KernelOptions one, two;
    one.simulator.parallel = Parallelism::serial();
    two.simulator.parallel = Parallelism{2, 128};
    KernelModel a(spec, one), b(spec, two);
    (void)a.fit(data);
    (void)b.fit(data);
    EXPECT_EQ(a.state().svm.dual_coef, b.state().svm.dual_coef) << type;
    EXPECT_EQ(a.predict_proba(data.x()), b.predict_proba(data.x())) << type;
  }
}

// ---------------------------------------------------------------------------------------------
// Validation

TEST(KernelModelTest, SpecIsValidatedAtConstruction) {
  const auto message = [](KernelModelSpec spec) { return invalid_argument_of([&] { KernelModel m(spec); }); };
  KernelModelSpec s;
  s.type = "qsvm";
  EXPECT_EQ(message(s), "unknown kernel model 'qsvm' (valid: qsvc, qsvr, qkrr, qoneclass, svm-rbf, svr-rbf)");
  s = {};
  s.C = 0.0;
  EXPECT_EQ(message(s), "qsvc: C 0 must be positive and finite");
  s = {};
  s.type = "qoneclass";
  s.nu = 1.5;
  EXPECT_EQ(message(s), "qoneclass: nu 1.5 out of range (0, 1]");
  s = {};
  s.type = "qkrr";
  s.probability = true;
  EXPECT_THAT(message(s), HasSubstr("probability estimates are for the classifiers qsvc and svm-rbf"));
  s = {};
  s.preprocess = "scale";
  EXPECT_THAT(message(s), HasSubstr("standard, minmax:LO:HI, pca:K, none"));
}

TEST(KernelModelTest, FitRefusesDataOfTheWrongTask) {
  KernelModelSpec classical;
  classical.type = "svm-rbf";
  EXPECT_THAT(invalid_argument_of([&] { KernelModel(classical).fit(wave(10, 0.0)); }),
              HasSubstr("svm-rbf is a classifier but the data set has real targets"));
  classical.type = "svr-rbf";
  EXPECT_THAT(invalid_argument_of([&] { KernelModel(classical).fit(two_clouds(10, 1.0, 1)); }),
              HasSubstr("svr-rbf is a regression model but the data set has class labels"));
  classical.type = "svm-rbf";
  const Dataset single(FeatureMatrix::Zero(3, 2), Labels{0, 0, 0}, {"a", "b"});
  EXPECT_THAT(invalid_argument_of([&] { KernelModel(classical).fit(single); }), HasSubstr("single class"));
  FeatureMatrix x(4, 2);
  x << 0, 1, 2, 3, 4, 5, 6, 7;
  const Dataset missing(x, Labels{0, 2, 0, 2}, {"a", "b", "c"});
  EXPECT_EQ(invalid_argument_of([&] { KernelModel(classical).fit(missing); }),
            "fit: class 'b' has no training samples");
}

TEST(KernelModelTest, PredictChecksStateAndShape) {
  KernelModelSpec spec;
  spec.type = "svm-rbf";
  KernelModel model(spec);
  EXPECT_EQ(invalid_argument_of([&] { (void)model.predict(FeatureMatrix::Zero(1, 2)); }),
            "predict: the svm-rbf model is not fitted");
  (void)model.fit(two_clouds(20, 1.0, 2));
  EXPECT_EQ(invalid_argument_of([&] { (void)model.predict(FeatureMatrix::Zero(1, 3)); }),
            "predict: the model was trained on 2 features, got 3");
  EXPECT_THAT(invalid_argument_of([&] { (void)model.predict_values(FeatureMatrix::Zero(1, 2)); }),
              HasSubstr("svm-rbf predicts classes, not values"));
  EXPECT_THAT(invalid_argument_of([&] { (void)model.predict_proba(FeatureMatrix::Zero(1, 2)); }),
              HasSubstr("trained without probability estimates"));
}


TEST(KernelModelTest, FromStateRebuildsTheModelAndNamesTheFieldThatDoesNotFit) {
  const Dataset data = iris();
  KernelModelSpec spec;
  spec.type = "svm-rbf";
  KernelModel model(spec);
  (void)model.fit(data);
  const KernelModel::State good = model.state();
  const KernelModel rebuilt = KernelModel::from_state(good);
  EXPECT_EQ(rebuilt.predict(data.x()), model.predict(data.x()));
  EXPECT_EQ(rebuilt.pipeline().spec(), "standard");

  const auto message = [](KernelModel::State s) { return dataset_error_of([&] { (void)KernelModel::from_state(s); }); };
  KernelModel::State s = good;
  s.svm.dual_coef.conservativeResize(1, Eigen::NoChange);
  EXPECT_EQ(message(s), "dual_coef: expected 2 rows, got 1");
  s = good;
  s.support_features.conservativeResize(50, Eigen::NoChange);
  EXPECT_EQ(message(s), "dual_coef: expected 50 columns (one per support vector), got 51");
  s = good;
  s.class_names.pop_back();
  EXPECT_EQ(message(s), "n_support: expected 2 counts (one per class), got 3");
  s = good;
  s.spec.probability = true;
  EXPECT_EQ(message(s), "prob_a: the spec asks for probability estimates but there are none");
  s = good;
  s.gamma = -1.0;
  EXPECT_EQ(message(s), "gamma: -1 must be positive and finite");
  s = good;
  s.spec.C = -2.0;
  EXPECT_EQ(message(s), "spec: svm-rbf: C -2 must be positive and finite");
  s = good;
  s.support_features.conservativeResize(Eigen::NoChange, 3);
  EXPECT_EQ(message(s), "support_features: expected 4 columns (the preprocessed features), got 3");
}

}  // namespace
}  // namespace qmlsim::qml

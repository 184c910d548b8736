#include "qml/classical/svc.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "qml/classical/classical.hpp"
#include "qml/kernel/rbf_kernel.hpp"
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

// The references below: scikit-learn 1.2.1,
//   from sklearn.datasets import load_iris, load_breast_cancer
//   from sklearn.pipeline import make_pipeline
//   from sklearn.preprocessing import StandardScaler
//   from sklearn.svm import SVC, SVR
//   d = load_iris()  # or load_breast_cancer()
//   m = make_pipeline(StandardScaler(), SVC(kernel=k)).fit(d.data[0::2], d.target[0::2])
//   m.predict(d.data[1::2]); m.decision_function(d.data[1::2])[:40]; m[-1].n_support_.sum()
//   x, y = d.data[:, :3], d.data[:, 3]  # iris regression: petal width
//   make_pipeline(StandardScaler(), SVR()).fit(x[0::2], y[0::2]).predict(x[1::2])

TEST(ClassicalSvcTest, IrisPredictionsEqualScikitLearn) {
  const Split s = classical_test::iris_split();
  const struct {
    const char* type;
    const char* labels;
    std::size_t support;
  } cases[] = {
      {"svm-rbf", "000000000000000000000000011111111111111111111111112222222221222122122222222", 36},
      {"svm-linear", "000000000000000000000000011111111111111112111111112222222222222222122222222", 21},
      {"svm-poly", "000000000000000000000000011111111111111111111111111122222221112122121222221", 32},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.type);
    const auto model = fitted(c.type, s.train);
    EXPECT_EQ(model->predict(s.test.x()), digits(c.labels));
    // 3 classes: 2 dual coefficients per support vector and 3 intercepts.
    EXPECT_EQ(model->info().trainable_parameters, 2 * c.support + 3);
  }
}

TEST(ClassicalSvcTest, BreastCancerPredictionsAndDecisionValuesEqualScikitLearn) {
  const Split s = classical_test::breast_cancer_split();
  const struct {
    const char* type;
    const char* labels;
    std::size_t support;
    std::vector<double> decision;  // of the first 40 test rows
  } cases[] = {
      {"svm-rbf",
       "00000000011000000010100011010111011110011000111010110111110001100011110111111111011010110101111101000010110010"
       "10110101001111110100010111110110111111111111111101001101100010111001111101010110111101011111111101011111110011"
       "0111001111011111111011100111100011011101011111001101111111111000",
       70,
       {-1.58206312589, -0.322236446936, -0.388170764002, -0.406264088145, -0.435741039712, -1.62333435986,
        -0.000978213897583, -1.45615115568, -1.9050643806, 1.34443466712, 2.3028818871, -1.92595350375,
        -1.04491142081, -1.55468600888, -0.4866020262, -0.679544138311, -2.14712787118, -2.04477062391,
        1.78670955833, -0.360869808284, 0.0852071787118, -0.619066483372, -2.05483888943, -0.853713800294,
        0.669217653374, 1.75140269515, -1.34156297353, 1.68763444037, -1.31917642821, 1.55209042619, 1.54189759948,
        1.56518540156, -1.31606881475, 1.87755426673, 1.90645145859, 0.486963391317, 0.955247284778,
        -1.08668559687, -1.40680587811, 1.8301606107}},
      {"svm-linear",
       "00000000011000000010100011010111011110011000011011110111110001100011110111111101011010110101111101000000111010"
       "10010101001111110000000111110110111111111111111101001101100010111001111101010110110101011111111101011111110011"
       "0111001111011111111011100111100011011101011111001101111111111000",
       20,
       {-5.10467538157, -1.98943978076, -0.696104450581, -1.17193937474, -4.64663459088, -3.77832742339,
        -0.69305853745, -6.0320061375, -5.70061523408, 1.66514939379, 7.42051227617, -9.89087854746, -9.45511107885,
        -4.34519181555, -1.88478191225, -3.2071497917, -8.3994621763, -5.75131115158, 6.57686408412, -0.41991373391,
        0.697016093064, -1.56059922821, -7.36564100103, -2.21663032972, 0.670761630496, 4.54813134085,
        -4.53954492641, 3.56512841217, -3.08303395852, 8.11753869267, 6.70385643948, 6.80771975709, -2.34162663682,
        4.58010222463, 4.65759309849, 11.6891010966, 1.66310482103, -3.76799607526, -6.7691286669, 2.9952768376}},
      {"svm-poly",
       "00110110011000100011110111011111111111011000111011110111110001100111111111111111011111111101111101111011110110"
       "11110101001111111100110111111111111111111111111101001111100010111011111101010110111101011111111111011111110111"
       "0111001111011111111111101111100011011101011111001111111111111000",
       94,
       {-0.953333571532, -13.6525748901, 0.0502080228688, 0.256104416354, -9.84999094611, 0.209342534083,
        0.637099305389, -2.15892861756, -1.91788687422, 0.812941142956, 2.28859893328, -5.55240739304,
        -6.59766450473, -0.555997599513, 0.492943627499, -0.874700514403, -2.93435861377, -0.189499571528,
        2.20048847659, 0.604278415513, 0.684755155304, 0.581114007293, -2.90295588067, 0.091661944564,
        0.776512723236, 1.58885514653, -0.129581276374, 1.31125036602, 0.300515347615, 3.35221030069, 2.39479001623,
        3.08986919112, 0.349449029427, 1.58198604086, 1.43062997551, 8.44357118658, 0.833149036109, 0.355516253041,
        -3.49169875787, 0.902928967474}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.type);
    const auto model = fitted(c.type, s.train);
    EXPECT_EQ(model->predict(s.test.x()), digits(c.labels));
    EXPECT_EQ(model->info().trainable_parameters, c.support + 1);
    const std::vector<double> score = model->score_class1(s.test.x());
    ASSERT_EQ(score.size(), s.test.size());
    EXPECT_THAT(std::vector<double>(score.begin(), score.begin() + 40), Pointwise(DoubleNear(1e-6), c.decision));
  }
}

TEST(ClassicalSvcTest, SvrPredictionsEqualScikitLearn) {
  const Split s = classical_test::iris_regression_split();
  const std::vector<double> expected = {
      0.209399809268, 0.204746979038, 0.268126219077, 0.228596697727, 0.197205264244, 0.243888539447, 0.248013945284,
      0.420291949268, 0.241962354026, 0.265361319752, 0.267344165683, 0.250445261589, 0.252373727425, 0.257544045921,
      0.210505849836, 0.275325481426, 0.278367617052, 0.168643346349, 0.263255899362, 0.23484203886, 0.844409088284,
      0.261110765433, 0.204694967628, 0.189860213043, 0.197642050951, 1.57473860807, 1.22957724749, 1.5615963903,
      1.15143030246, 1.29424401644, 1.40960030902, 1.66401014008, 1.36632631532, 1.32745804703, 1.240461866,
      1.22781064739, 1.62614706708, 1.36213373519, 1.7269920669, 1.07224893409, 1.16763568779, 1.79638824743,
      1.64937318332, 1.34596869489, 1.29110913423, 1.63730999537, 1.13361310098, 1.42329722755, 1.39277614185,
      1.35062459865, 1.79969211887, 2.13629424193, 2.0711775213, 2.1242769616, 2.01099333539, 1.8463437689,
      1.63711153139, 2.11362426342, 1.60275148274, 1.45407494164, 1.75435767259, 1.66018877668, 2.11222500638,
      1.82931602789, 1.98539565324, 1.50112996273, 1.81434685074, 1.88336256069, 2.18790316343, 1.94371693844,
      1.75590105489, 2.29055007835, 1.85731223232, 1.92874439929, 1.95315860527};
  const auto model = fitted("svr-rbf", s.train);
  EXPECT_EQ(model->task(), Task::Regression);
  EXPECT_THAT(model->predict_values(s.test.x()), Pointwise(DoubleNear(1e-6), expected));
  EXPECT_THAT(testing::invalid_argument_of([&] { (void)model->predict(s.test.x()); }),
              HasSubstr("is a regressor: predict needs a classifier"));
}

TEST(ClassicalSvcTest, KernelMatrixIsTheModelsKernelOnPreprocessedRows) {
  const Split s = classical_test::iris_split();
  const auto model = fitted("svm-rbf", s.train, {{"gamma", "0.5"}});
  // The pipeline standardises with the training rows' mean and population deviation.
  const Eigen::RowVectorXd mean = s.train.x().colwise().mean();
  const Eigen::RowVectorXd sd = ((s.train.x().rowwise() - mean).array().square().colwise().mean()).sqrt();
  const FeatureMatrix z = (s.test.x().rowwise() - mean).array().rowwise() / sd.array();
  const auto k = model->kernel_matrix(s.test.x(), s.test.x());
  ASSERT_TRUE(k.has_value());
  EXPECT_TRUE(k->isApprox(rbf_kernel(z, z, 0.5), 1e-12));
  EXPECT_EQ(model->description(), "svm-rbf C=1 gamma=0.5 tol=0.001");
  // Standardised training rows have variance 1, so 'scale' is 1 / features.
  EXPECT_EQ(fitted("svm-rbf", s.train)->description().substr(0, 20), "svm-rbf C=1 gamma=0.");
  const auto poly = make_classical_estimator(ModelConfig{"p", "svm-poly", {{"degree", "2"}}}, {});
  EXPECT_EQ(poly->description(), "svm-poly C=1 gamma=scale degree=2 coef0=0 tol=0.001");
  EXPECT_EQ(fitted("svm-linear", s.train, {{"C", "10"}})->description(), "svm-linear C=10 tol=0.001");
}

TEST(ClassicalSvcTest, LinearAndPolyKernelsFollowTheirFormulas) {
  const Split s = classical_test::iris_split();
  const auto linear = fitted("svm-linear", s.train);
  const auto poly = fitted("svm-poly", s.train, {{"gamma", "0.5"}, {"coef0", "1"}, {"degree", "2"}});
  const Eigen::MatrixXd dot = *linear->kernel_matrix(s.test.x().topRows(5), s.test.x().topRows(4));
  const Eigen::MatrixXd p = *poly->kernel_matrix(s.test.x().topRows(5), s.test.x().topRows(4));
  EXPECT_TRUE(p.isApprox((0.5 * dot.array() + 1.0).square().matrix(), 1e-12));
}

TEST(ClassicalSvcTest, GammaAutoIsOneOverFeatures) {
  const Split s = classical_test::iris_split();
  const auto model = fitted("svm-rbf", s.train, {{"gamma", "auto"}});
  EXPECT_EQ(model->description(), "svm-rbf C=1 gamma=0.25 tol=0.001");
  EXPECT_FALSE(model->has_proba());
  EXPECT_THAT(testing::invalid_argument_of([&] { (void)model->predict_proba(s.test.x()); }),
              HasSubstr("model 'svm-rbf' gives no probabilities"));
}

TEST(ClassicalSvcTest, BadParametersNameTheValidOnes) {
  const auto make = [](const std::string& type, std::vector<std::pair<std::string, std::string>> params) {
    return testing::invalid_argument_of([&] { (void)make_svc(ModelConfig{"m", type, params}, {}); });
  };
  EXPECT_EQ(make("svm-rbf", {{"c", "1"}}), "model 'm': unknown option 'c' (valid: C, gamma, tol)");
  EXPECT_EQ(make("svr-rbf", {{"degree", "2"}}), "model 'm': unknown option 'degree' (valid: C, epsilon, gamma, tol)");
  EXPECT_EQ(make("svm-rbf", {{"gamma", "big"}}), "model 'm': gamma must be scale, auto or a number > 0, got 'big'");
  EXPECT_EQ(make("svm-poly", {{"gamma", "-1"}}), "model 'm': gamma must be scale, auto or a number > 0, got '-1'");
  EXPECT_EQ(make("svm-linear", {{"C", "0"}}), "model 'm': C must be > 0, got 0");
  EXPECT_THAT(make("svm-poly", {{"degree", "2.5"}}), HasSubstr("degree must be an integer in [0, 100]"));
  EXPECT_EQ(make("svm", {}), "unknown SVM model 'svm' (valid: svm-rbf, svm-linear, svm-poly, svr-rbf)");
  for (const auto& type : svc_model_names()) EXPECT_EQ(svc_parameter_keys(type), classical_parameter_keys(type));
}

}  // namespace
}  // namespace qmlsim::qml

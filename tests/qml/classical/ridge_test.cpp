#include "qml/classical/ridge.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "qml/classical/classical.hpp"
#include "simulator/core/errors.hpp"
#include "tests/qml/classical/reference_data.hpp"
#include "tests/support/error_message.hpp"

namespace qmlsim::qml {
namespace {

using classical_test::fitted;
using ::testing::DoubleNear;
using ::testing::HasSubstr;
using ::testing::Pointwise;

// The references below: scikit-learn 1.2.1 on the iris regression (petal width from the other
// three features), even rows to train, odd rows to test,
//   from sklearn.datasets import load_iris
//   from sklearn.pipeline import make_pipeline
//   from sklearn.preprocessing import StandardScaler
//   from sklearn.linear_model import Ridge
//   from sklearn.kernel_ridge import KernelRidge
//   d = load_iris(); x, y = d.data[:, :3], d.data[:, 3]
//   make_pipeline(StandardScaler(), Ridge()).fit(x[0::2], y[0::2]).predict(x[1::2])
//   g = 1 / (3 * StandardScaler().fit_transform(x[0::2]).var())  # 'scale': 0.3333333333333334
//   make_pipeline(StandardScaler(), KernelRidge(alpha=1, kernel='rbf', gamma=g)).fit(...).predict(...)

TEST(ClassicalRidgeTest, LinearRidgeEqualsScikitLearn) {
  const Split s = classical_test::iris_regression_split();
  const std::vector<double> expected = {
      0.133941289447, 0.256508260169, 0.417050671599, 0.262199092382, 0.208521662949, 0.345546210084, 0.0758463252189,
      0.382473571666, 0.218071827699, 0.339100842427, 0.315876521814, 0.325691345141, 0.220657862819, 0.253432348181,
      0.315093101265, 0.198216962755, 0.316659942364, 0.0616822924876, 0.273287213125, 0.246203559975,
      -0.0160028781075, 0.336779465884, 0.149936821853, 0.228376527893, 0.187618718879, 1.53249458414, 1.21065522584,
      1.55156602854, 0.970360370665, 1.30018305262, 1.41195544628, 1.6135203253, 1.40992761342, 1.30692196396,
      1.18975228177, 1.23080363446, 1.59029600469, 1.40269882521, 1.69483961014, 0.991556858417, 1.07981138778,
      1.78849142804, 1.64292535499, 1.28811517814, 1.25710386706, 1.58538859302, 0.931140517646, 1.44394651109,
      1.39210058134, 1.34614181698, 1.82048249285, 2.04373373649, 2.37257666471, 2.24327078265, 2.31912445357,
      1.82722140419, 1.73867333114, 1.94334300726, 2.5937317501, 1.62101377208, 1.7729857725, 1.63779272504,
      2.17487111823, 1.73945675169, 2.02571037122, 2.40767252662, 1.76372915143, 2.09980086786, 2.02283079242,
      1.8914970775, 1.73742891883, 2.18749719497, 1.79755171592, 1.82954278073, 1.87415992228};
  const auto model = fitted("ridge", s.train);
  EXPECT_THAT(model->predict_values(s.test.x()), Pointwise(DoubleNear(1e-9), expected));
  EXPECT_EQ(model->info().trainable_parameters, 4u);  // 3 weights and the intercept
  EXPECT_EQ(model->description(), "ridge alpha=1");
}

TEST(ClassicalRidgeTest, KernelRidgeEqualsScikitLearn) {
  const Split s = classical_test::iris_regression_split();
  const std::vector<double> expected = {
      0.237239629608, 0.21711255797,  0.248813828927, 0.23628841397,  0.241100971539, 0.23487111379,  0.146506590961,
      0.10350210954,  0.231633309766, 0.235164410108, 0.243336106065, 0.27464957991,  0.284309193157, 0.248380207506,
      0.232191137531, 0.247082407826, 0.155817393065, 0.188256657316, 0.224123454938, 0.241097109216, 0.316490830343,
      0.251295158512, 0.231613943688, 0.195571672787, 0.219405490634, 1.64321828907,  1.16335929455,  1.5351244044,
      0.93072321536,  1.18281446487,  1.46189613022,  1.71822534735,  1.48998610327,  1.36382235346,  1.23718316982,
      1.31650088222,  1.67052547211,  1.50863495708,  1.8328707361,   1.09639153718,  1.14017988948,  1.73317379263,
      1.51329323043,  1.16481974175,  1.26348853681,  1.69986150923,  0.933606580688, 1.41684959989,  1.50344296755,
      1.37208062878,  1.68757133372,  2.05772813449,  1.70468697107,  1.93403574953,  1.33173785661,  1.81197041307,
      1.4986313863,   2.04570989695,  0.609651807063, 1.19372065579,  1.6194501173,   1.6793512476,   1.86987599798,
      1.84487891389,  1.9098298464,   0.502429189077, 1.83516697472,  1.57732940742,  2.12223169459,  1.94693622569,
      1.80893936531,  2.10876818291,  1.93303206677,  1.9818898133,   1.86021508183};
  const auto model = fitted("krr-rbf", s.train);
  EXPECT_THAT(model->predict_values(s.test.x()), Pointwise(DoubleNear(1e-9), expected));
  EXPECT_EQ(model->info().trainable_parameters, 75u);  // one dual coefficient per training row
  EXPECT_EQ(model->description(), "krr-rbf alpha=1 gamma=0.3333333333333334");
  const auto k = model->kernel_matrix(s.test.x(), s.test.x());
  ASSERT_TRUE(k.has_value());
  EXPECT_TRUE(k->isApprox(k->transpose()));
  EXPECT_TRUE((k->diagonal().array() == 1.0).all());
}

TEST(ClassicalRidgeTest, LargeAlphaPredictsTheMeanTarget) {
  const Split s = classical_test::iris_regression_split();
  const double mean = Eigen::Map<const Eigen::VectorXd>(s.train.targets().data(), 75).mean();
  for (double v : fitted("ridge", s.train, {{"alpha", "1e12"}})->predict_values(s.test.x())) EXPECT_NEAR(v, mean, 1e-9);
}

TEST(ClassicalRidgeTest, BadParametersNameTheValidOnes) {
  const auto make = [](const std::string& type, std::vector<std::pair<std::string, std::string>> params) {
    return testing::invalid_argument_of([&] { (void)make_ridge(ModelConfig{"r", type, params}, {}); });
  };
  EXPECT_EQ(make("ridge", {{"gamma", "1"}}), "model 'r': unknown option 'gamma' (valid: alpha)");
  EXPECT_EQ(make("krr-rbf", {{"C", "1"}}), "model 'r': unknown option 'C' (valid: alpha, gamma)");
  EXPECT_EQ(make("ridge", {{"alpha", "-1"}}), "model 'r': alpha must be >= 0, got -1");
  EXPECT_EQ(make("krr-rbf", {{"alpha", "0"}}), "model 'r': alpha must be > 0, got 0");
  EXPECT_EQ(make("lasso", {}), "unknown ridge model 'lasso' (valid: ridge, krr-rbf)");
  for (const std::string type : {"ridge", "krr-rbf"}) EXPECT_EQ(ridge_parameter_keys(type), classical_parameter_keys(type));
  EXPECT_THAT(make("ridge", {{"alpha", "x"}}), HasSubstr("alpha"));
}

}  // namespace
}  // namespace qmlsim::qml

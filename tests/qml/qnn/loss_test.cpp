#include "qml/qnn/loss.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "tests/qml/qnn/qnn_testing.hpp"
#include "tests/support/error_message.hpp"

namespace qmlsim::qml {
namespace {

using ::testing::DoubleNear;
using ::testing::HasSubstr;
using ::testing::Pointwise;

TEST(LossTest, ValuesFollowTheDocumentedFormulas) {
  const std::vector<double> p = {0.2, 0.5, 0.3};
  std::vector<double> dp(3);
  EXPECT_DOUBLE_EQ(classification_loss(LossKind::CrossEntropy, p, 1, dp), -std::log(0.5));
  EXPECT_DOUBLE_EQ(classification_loss(LossKind::CrossEntropyLog2, p, 1, dp), 1.0);
  EXPECT_DOUBLE_EQ(classification_loss(LossKind::SquaredError, p, 1, dp), 0.04 + 0.25 + 0.09);
  EXPECT_DOUBLE_EQ(classification_loss(LossKind::Fidelity, p, 2, dp), 0.7);
  double d = 0.0;
  EXPECT_DOUBLE_EQ(squared_error(1.5, 1.0, d), 0.25);
  EXPECT_DOUBLE_EQ(d, 1.0);
}

TEST(LossTest, CrossEntropyClipsAsQiskitDoes) {
  const std::vector<double> p = {1.0, 0.0};
  std::vector<double> dp(2);
  EXPECT_NEAR(classification_loss(LossKind::CrossEntropyLog2, p, 1, dp), -std::log2(1e-10), 1e-12);
  EXPECT_EQ(dp, (std::vector<double>{0.0, 0.0}));
}

TEST(LossTest, DerivativesEqualFiniteDifferences) {
  const std::vector<double> p = {0.15, 0.6, 0.25};
  for (const std::string& name : loss_names()) {
    const LossKind kind = loss_kind(name);
    for (int label = 0; label < 3; ++label) {
      std::vector<double> dp(3), scratch(3);
      (void)classification_loss(kind, p, label, dp);
      const auto f = [&](std::span<const double> q) { return classification_loss(kind, q, label, scratch); };
      EXPECT_THAT(dp, Pointwise(DoubleNear(1e-9), testing::finite_difference_gradient(f, p, 1e-4))) << name << " " << label;
    }
  }
}

TEST(LossTest, UnknownNameListsTheValidOnes) {
  EXPECT_THAT(qmlsim::testing::invalid_argument_of([] { (void)loss_kind("hinge"); }),
              HasSubstr("unknown loss 'hinge' (valid: cross-entropy, cross-entropy-log2, squared-error, fidelity)"));
}

}  // namespace
}  // namespace qmlsim::qml

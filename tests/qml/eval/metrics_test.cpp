#include "qml/eval/metrics.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "simulator/core/errors.hpp"
#include "tests/support/error_message.hpp"

namespace qmlsim::qml {
namespace {

using ::testing::HasSubstr;

TEST(MetricsTest, AccuracyCountsEqualEntries) {
  const std::vector<int> truth{0, 1, 2, 1}, predicted{0, 1, 1, 1};
  EXPECT_DOUBLE_EQ(accuracy(truth, predicted), 0.75);
}

TEST(MetricsTest, RegressionScoresMatchHandComputedValues) {
  // scikit-learn's documented example of r2_score: y_true = [3, -0.5, 2, 7],
  // y_pred = [2.5, 0.0, 2, 8] gives 0.948... and mean_squared_error 0.375.
  const std::vector<double> truth{3, -0.5, 2, 7}, predicted{2.5, 0.0, 2, 8};
  EXPECT_DOUBLE_EQ(mean_squared_error(truth, predicted), 0.375);
  EXPECT_NEAR(r2_score(truth, predicted), 0.9486081370449679, 1e-15);
  const std::vector<double> constant{1, 1}, off{1, 2};
  EXPECT_EQ(r2_score(constant, constant), 1.0);
  EXPECT_EQ(r2_score(constant, off), 0.0);
}

TEST(MetricsTest, MismatchedOrEmptyInputsAreRefused) {
  const std::vector<int> a{0, 1}, b{0};
  try {
    (void)accuracy(a, b);
    FAIL() << "no exception";
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), HasSubstr("2 true values but 1 prediction"));
  }
  EXPECT_THROW((void)accuracy(std::vector<int>{}, std::vector<int>{}), InvalidArgument);
}

// Ten rows, five classes: class 3 is never predicted, class 4 is predicted but never true.
const std::vector<int> kTruth{0, 0, 0, 1, 1, 2, 2, 2, 3, 3};
const std::vector<int> kPredicted{0, 0, 1, 1, 2, 2, 2, 4, 0, 1};

TEST(MetricsTest, ConfusionMatrixCountsTrueRowsAgainstPredictedColumns) {
  Eigen::MatrixXi expected(5, 5);
  expected << 2, 1, 0, 0, 0,  //
      0, 1, 1, 0, 0,          //
      0, 0, 2, 0, 1,          //
      1, 1, 0, 0, 0,          //
      0, 0, 0, 0, 0;
  EXPECT_EQ(confusion_matrix(kTruth, kPredicted, 5), expected);
  EXPECT_EQ(confusion_matrix(kTruth, kPredicted, 6).sum(), 10);
}

TEST(MetricsTest, BalancedAccuracyAveragesRecallOverTrueClasses) {
  // Recalls of classes 0..3 (class 4 has no true row, so it does not count):
  // 2/3, 1/2, 2/3, 0 -> (2/3 + 1/2 + 2/3 + 0) / 4 = 11/24.
  // sklearn 1.2.1: balanced_accuracy_score(t, p) = 0.45833333333333326 (t, p = kTruth, kPredicted)
  EXPECT_NEAR(balanced_accuracy(kTruth, kPredicted, 5), 11.0 / 24.0, 1e-15);
  EXPECT_NEAR(balanced_accuracy(kTruth, kPredicted, 5), 0.45833333333333326, 1e-15);
  // A class absent from both changes nothing.
  EXPECT_EQ(balanced_accuracy(kTruth, kPredicted, 7), balanced_accuracy(kTruth, kPredicted, 5));
  EXPECT_EQ(balanced_accuracy(kTruth, kTruth, 5), 1.0);
}

TEST(MetricsTest, MacroF1AveragesOverClassesTrueOrPredicted) {
  // F1 = 2TP / (2TP + FP + FN) per class:
  //   0: TP 2, FP 1, FN 1 -> 4/6;  1: TP 1, FP 2, FN 1 -> 2/5;  2: TP 2, FP 1, FN 1 -> 4/6;
  //   3: TP 0 (never predicted) -> 0;  4: TP 0, FP 1 (never true) -> 0.
  //   (2/3 + 2/5 + 2/3) / 5 = 26/75.
  // sklearn 1.2.1: f1_score(t, p, average='macro') = 0.3466666666666667
  EXPECT_NEAR(f1_macro(kTruth, kPredicted, 5), 26.0 / 75.0, 1e-15);
  EXPECT_NEAR(f1_macro(kTruth, kPredicted, 5), 0.3466666666666667, 1e-15);
  EXPECT_EQ(f1_macro(kTruth, kPredicted, 6), f1_macro(kTruth, kPredicted, 5));
  EXPECT_EQ(f1_macro(kTruth, kTruth, 5), 1.0);
}

TEST(MetricsTest, RocAucCountsPairsWithTiesAsOneHalf) {
  // scikit-learn's documented example: roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) = 0.75.
  EXPECT_EQ(roc_auc(std::vector<int>{0, 0, 1, 1}, std::vector<double>{0.1, 0.4, 0.35, 0.8}), 0.75);
  // Positives 0.35, 0.8, 0.4, 0.9 against negatives 0.1, 0.4, 0.4, 0.2 (16 pairs):
  // 0.35 beats 2; 0.8 beats 4; 0.4 beats 2 and ties 2 (+1); 0.9 beats 4 -> 13/16.
  // sklearn 1.2.1: roc_auc_score(t, s) = 0.8125
  const std::vector<int> t{0, 0, 1, 1, 0, 1, 1, 0};
  const std::vector<double> s{0.1, 0.4, 0.35, 0.8, 0.4, 0.4, 0.9, 0.2};
  EXPECT_EQ(roc_auc(t, s), 0.8125);
  // Many ties: y = default_rng(7).integers(0, 2, 40), s = round(default_rng(7).random(40), 1)
  // after it; sklearn 1.2.1: roc_auc_score(y, s) = 0.22786458333333331
  const std::vector<int> y{1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
                           1, 0, 0, 0, 1, 0, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1};
  const std::vector<double> scores{0.2, 0.2, 0.6, 0.0, 0.0, 0.5, 0.5, 0.9, 0.6, 0.5, 0.5, 0.2, 0.0, 0.2,
                                   0.7, 0.2, 0.4, 0.0, 0.8, 0.2, 0.3, 0.9, 0.5, 0.8, 0.6, 0.7, 0.1, 0.5,
                                   0.5, 0.9, 0.4, 0.6, 0.1, 0.4, 0.3, 0.2, 0.8, 0.4, 1.0, 0.6};
  EXPECT_NEAR(roc_auc(y, scores), 0.22786458333333331, 1e-15);
  // Flipping the scores flips the area; constant scores give 1/2.
  std::vector<double> flipped;
  for (const double v : scores) flipped.push_back(-v);
  EXPECT_NEAR(roc_auc(y, flipped), 1.0 - 0.22786458333333331, 1e-15);
  EXPECT_EQ(roc_auc(y, std::vector<double>(y.size(), 0.3)), 0.5);
}

TEST(MetricsTest, LogLossClipsAndRenormalisesLikeScikitLearn) {
  // scikit-learn's documented example (ham = 0, spam = 1):
  // -(ln 0.9 + ln 0.9 + ln 0.8 + ln 0.65) / 4; sklearn 1.2.1: log_loss(["spam", "ham", "ham",
  // "spam"], [[.1, .9], [.9, .1], [.8, .2], [.35, .65]], eps=1e-15) = 0.21616187468057912
  Eigen::MatrixXd two(4, 2);
  two << 0.1, 0.9, 0.9, 0.1, 0.8, 0.2, 0.35, 0.65;
  const std::vector<int> spam{1, 0, 0, 1};
  EXPECT_NEAR(log_loss(spam, two), -(2 * std::log(0.9) + std::log(0.8) + std::log(0.65)) / 4, 1e-15);
  EXPECT_NEAR(log_loss(spam, two), 0.21616187468057912, 1e-15);
  // Rows that do not sum to 1 are renormalised; a 0 is clipped to 1e-15:
  // -(ln(0.5 / 0.9) + ln(0.2 / (1 + 1e-15)) + ln 0.6) / 3.
  // sklearn 1.2.1: log_loss([0, 1, 2], [[.5, .3, .1], [0, .2, .8], [.2, .2, .6]], eps=1e-15,
  // labels=[0, 1, 2]) = 0.9026834003674038
  Eigen::MatrixXd three(3, 3);
  three << 0.5, 0.3, 0.1, 0.0, 0.2, 0.8, 0.2, 0.2, 0.6;
  const std::vector<int> classes{0, 1, 2};
  EXPECT_NEAR(log_loss(classes, three), -(std::log(0.5 / 0.9) + std::log(0.2 / (1 + 1e-15)) + std::log(0.6)) / 3,
              1e-15);
  EXPECT_NEAR(log_loss(classes, three), 0.9026834003674038, 1e-15);
  // A confident wrong answer costs -ln(1e-15) = 34.5..., not infinity.
  // sklearn 1.2.1: log_loss([0, 1, 2], [[1, 0, 0], [1, 0, 0], [.2, .2, .6]], eps=1e-15,
  // labels=[0, 1, 2]) = 11.683200672892225
  Eigen::MatrixXd wrong(3, 3);
  wrong << 1, 0, 0, 1, 0, 0, 0.2, 0.2, 0.6;
  EXPECT_NEAR(log_loss(classes, wrong), 11.683200672892225, 1e-13);
}

TEST(MetricsTest, MeanAbsoluteErrorMatchesScikitLearnExample) {
  // (0.5 + 0.5 + 0 + 1) / 4; sklearn 1.2.1: mean_absolute_error([3, -0.5, 2, 7], [2.5, 0, 2, 8]) = 0.5
  EXPECT_EQ(mean_absolute_error(std::vector<double>{3, -0.5, 2, 7}, std::vector<double>{2.5, 0.0, 2, 8}), 0.5);
}

TEST(MetricsTest, NewMetricsRefuseBadInput) {
  using testing::invalid_argument_of;
  const std::vector<int> two{0, 1}, three{0, 1, 2};
  EXPECT_THAT(invalid_argument_of([&] { (void)confusion_matrix(two, three, 3); }),
              HasSubstr("confusion matrix: 2 true values but 3 predictions"));
  EXPECT_THAT(invalid_argument_of([&] { (void)confusion_matrix(three, three, 2); }),
              HasSubstr("confusion matrix: row 2, true label 2 out of range [0, 2)"));
  EXPECT_THAT(invalid_argument_of([&] { (void)balanced_accuracy(two, std::vector<int>{0, -1}, 2); }),
              HasSubstr("row 1, predicted label -1 out of range [0, 2)"));
  EXPECT_THAT(invalid_argument_of([&] { (void)f1_macro(two, two, 0); }),
              HasSubstr("number of classes 0 must be positive"));
  EXPECT_THAT(invalid_argument_of([&] { (void)f1_macro(std::vector<int>{}, std::vector<int>{}, 2); }),
              HasSubstr("no samples"));
  EXPECT_THAT(invalid_argument_of([&] { (void)roc_auc(std::vector<int>{1, 1}, std::vector<double>{0.1, 0.2}); }),
              HasSubstr("only class 1 is present"));
  EXPECT_THAT(invalid_argument_of([&] { (void)roc_auc(three, std::vector<double>{0.1, 0.2, 0.3}); }),
              HasSubstr("out of range [0, 2)"));
  EXPECT_THAT(invalid_argument_of([&] { (void)roc_auc(two, std::vector<double>{0.1, std::nan("")}); }),
              HasSubstr("score of row 1 = nan is not finite"));
  EXPECT_THAT(invalid_argument_of([&] { (void)log_loss(three, Eigen::MatrixXd::Constant(2, 3, 0.3)); }),
              HasSubstr("3 true values but 2 predictions"));
  EXPECT_THAT(invalid_argument_of([&] { (void)log_loss(three, Eigen::MatrixXd::Constant(3, 2, 0.5)); }),
              HasSubstr("row 2, true label 2 out of range [0, 2)"));
  EXPECT_THAT(invalid_argument_of([&] { (void)mean_absolute_error(std::vector<double>{1}, std::vector<double>{}); }),
              HasSubstr("1 true value but 0 predictions"));
}

}  // namespace
}  // namespace qmlsim::qml

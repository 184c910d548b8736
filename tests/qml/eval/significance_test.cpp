#include "qml/eval/significance.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <string>
#include <vector>

#include "simulator/core/errors.hpp"
#include "tests/support/error_message.hpp"

namespace qmlsim::qml {
namespace {

using ::testing::HasSubstr;
using ::testing::StrEq;

TEST(SignificanceTest, StudentTCdfMatchesReferenceValues) {
  // Closed forms: one degree of freedom is the Cauchy distribution, 1/2 + atan(t) / pi, so
  // T_1(1) = 3/4 exactly; two: 1/2 + t / (2 sqrt(2 + t^2)).
  EXPECT_NEAR(student_t_cdf(1.0, 1.0), 0.75, 1e-15);
  EXPECT_NEAR(student_t_cdf(-3.0, 1.0), 0.5 + std::atan(-3.0) / std::numbers::pi, 1e-15);
  EXPECT_NEAR(student_t_cdf(1.5, 2.0), 0.5 + 1.5 / (2.0 * std::sqrt(2.0 + 2.25)), 1e-15);
  EXPECT_EQ(student_t_cdf(0.0, 5.0), 0.5);
  // scipy 1.10.1: scipy.stats.t.cdf(t, dof) for each (t, dof) below (2.776 is the tables'
  // two-sided 5 % point of 4 degrees of freedom).
  struct Case {
    double t, dof, cdf;
  };
  for (const Case c : {Case{2.776, 4, 0.9749886108400118}, Case{0.5, 3, 0.6742760175759246},
                       Case{-2.0, 2.5, 0.078695747878983}, Case{3.0, 10, 0.9933281724887152},
                       Case{0.7, 30, 0.7553397782501642}, Case{-8.0, 7, 4.5574605854376834e-05},
                       Case{25.0, 3, 0.9999298343050212}, Case{1e-8, 4, 0.50000000375},
                       Case{2.0, 0.5, 0.7772425549084344}})
    EXPECT_NEAR(student_t_cdf(c.t, c.dof), c.cdf, 1e-12 * std::max(c.cdf, 1e-3)) << c.t << ", " << c.dof;
  // Accuracy degrades slowly with dof (documented): scipy.stats.t.cdf(-3, 1e4) = 0.0013532240949988318.
  EXPECT_NEAR(student_t_cdf(-3.0, 1e4) / 0.0013532240949988318, 1.0, 1e-11);
  // A far tail keeps its relative accuracy: scipy.stats.t.cdf(-40, 200) = 1.124369826760113e-97.
  EXPECT_NEAR(student_t_cdf(-40.0, 200.0) / 1.124369826760113e-97, 1.0, 1e-9);
  // Many degrees of freedom: the normal distribution. scipy: t.cdf(1.96, 1e6) =
  // 0.9750019662073651, norm.cdf(1.96) = 0.9750021048517795.
  EXPECT_NEAR(student_t_cdf(1.96, 1e6), 0.9750019662073651, 1e-10);
  EXPECT_NEAR(student_t_cdf(1.96, 1e6), 0.9750021048517795, 1e-6);
  EXPECT_EQ(student_t_cdf(std::numeric_limits<double>::infinity(), 3.0), 1.0);
  EXPECT_EQ(student_t_cdf(-std::numeric_limits<double>::infinity(), 3.0), 0.0);
}

TEST(SignificanceTest, StudentTCdfIsSymmetricAndIncreasing) {
  for (const double dof : {1.0, 2.0, 4.0, 9.0, 50.0}) {
    double previous = 0.0;
    for (double t = -6.0; t <= 6.0; t += 0.25) {
      const double p = student_t_cdf(t, dof);
      EXPECT_NEAR(p + student_t_cdf(-t, dof), 1.0, 1e-14) << t << ", " << dof;
      EXPECT_GT(p, previous) << t << ", " << dof;
      previous = p;
    }
  }
}

TEST(SignificanceTest, StudentTCdfRefusesBadArguments) {
  using testing::invalid_argument_of;
  EXPECT_THAT(invalid_argument_of([] { (void)student_t_cdf(1.0, 0.0); }),
              HasSubstr("degrees of freedom 0 must be positive and finite"));
  EXPECT_THAT(invalid_argument_of([] { (void)student_t_cdf(std::nan(""), 3.0); }), HasSubstr("t = nan"));
}

TEST(SignificanceTest, CorrectedTTestWorkedExample) {
  // Five folds, 120 training and 30 test rows each; differences d = a - b:
  //   d = 0.02, 0.05, -0.01, 0.03, 0.04;  mean = 0.13 / 5 = 0.026
  //   d - mean = -0.006, 0.024, -0.036, 0.004, 0.014
  //   squares 0.000036 + 0.000576 + 0.001296 + 0.000016 + 0.000196 = 0.00212; var = 0.00212 / 4 = 0.00053
  //   corrected:   t = 0.026 / sqrt((1/5 + 30/120) 0.00053) = 0.026 / sqrt(0.0002385) = 1.68356...
  //   uncorrected: t = 0.026 / sqrt(0.00053 / 5)           = 0.026 / sqrt(0.000106)  = 2.52534...
  // p = 2 (1 - T_4(|t|)); scipy 1.10.1: 2 * scipy.stats.t.sf(1.683562161419258, 4) =
  // 0.167553221478923 and 2 * t.sf(2.5253432421288866, 4) = 0.06498591034212065 (=
  // scipy.stats.ttest_rel(d, zeros(5)).pvalue, the uncorrected paired test).
  const std::vector<double> a{0.82, 0.85, 0.79, 0.83, 0.84}, b{0.80, 0.80, 0.80, 0.80, 0.80};
  const TTestResult r = corrected_resampled_ttest(a, b, 120, 30);
  EXPECT_NEAR(r.mean_difference, 0.026, 1e-15);
  EXPECT_EQ(r.degrees_of_freedom, 4);
  EXPECT_NEAR(r.t, 0.026 / std::sqrt(0.45 * 0.00053), 1e-12);
  EXPECT_NEAR(r.t, 1.683562161419258, 1e-12);
  EXPECT_NEAR(r.p_value, 0.167553221478923, 1e-12);
  // n_test / n_train -> 0 is the ordinary paired t-test, whose p is smaller: the correction only
  // widens the variance.
  const TTestResult paired = corrected_resampled_ttest(a, b, 1e300, 1e-300);
  EXPECT_NEAR(paired.t, 2.5253432421288866, 1e-12);
  EXPECT_NEAR(paired.p_value, 0.06498591034212065, 1e-12);
  EXPECT_GE(r.p_value, paired.p_value);
  EXPECT_STREQ(verdict(r), "equal within noise");
  // Swapping the models flips t and keeps p.
  const TTestResult swapped = corrected_resampled_ttest(b, a, 120, 30);
  EXPECT_NEAR(swapped.t, -r.t, 1e-15);
  EXPECT_NEAR(swapped.p_value, r.p_value, 1e-15);
}

TEST(SignificanceTest, ZeroVarianceDifferences) {
  // Identical scores: t = 0, p = 1.
  const std::vector<double> a{0.9, 0.7, 0.8};
  const TTestResult same = corrected_resampled_ttest(a, a, 100, 50);
  EXPECT_EQ(same.mean_difference, 0.0);
  EXPECT_EQ(same.t, 0.0);
  EXPECT_EQ(same.p_value, 1.0);
  EXPECT_STREQ(verdict(same), "equal within noise");
  // The same (exactly representable) difference on every fold: the t statistic would be
  // infinite, which is no evidence; the test is undefined.
  const std::vector<double> up{1.0, 0.75, 0.5}, down{0.75, 0.5, 0.25};
  const TTestResult better = corrected_resampled_ttest(up, down, 100, 50);
  EXPECT_EQ(better.mean_difference, 0.25);
  EXPECT_TRUE(std::isnan(better.t));
  EXPECT_TRUE(std::isnan(better.p_value));
  EXPECT_STREQ(verdict(better), "untestable");
  const TTestResult worse = corrected_resampled_ttest(down, up, 100, 50);
  EXPECT_EQ(worse.mean_difference, -0.25);
  EXPECT_STREQ(verdict(worse), "untestable");
}

TEST(SignificanceTest, VerdictNeedsBothSignAndSignificance) {
  EXPECT_THAT(verdict(TTestResult{0.1, 3.0, 4, 0.01}), StrEq("better"));
  EXPECT_THAT(verdict(TTestResult{-0.1, -3.0, 4, 0.01}), StrEq("worse"));
  EXPECT_THAT(verdict(TTestResult{0.1, 1.0, 4, 0.2}), StrEq("equal within noise"));
  EXPECT_THAT(verdict(TTestResult{0.1, 3.0, 4, 0.05}), StrEq("equal within noise"));  // p < alpha, strictly
  EXPECT_THAT(verdict(TTestResult{0.1, 1.0, 4, 0.2}, 0.25), StrEq("better"));
}

TEST(SignificanceTest, CorrectedTTestRefusesBadInput) {
  using testing::invalid_argument_of;
  const std::vector<double> three{0.1, 0.2, 0.3}, two{0.1, 0.2}, one{0.5};
  EXPECT_THAT(invalid_argument_of([&] { (void)corrected_resampled_ttest(three, two, 10, 5); }),
              HasSubstr("3 scores for the first model but 2 for the second"));
  EXPECT_THAT(invalid_argument_of([&] { (void)corrected_resampled_ttest(one, one, 10, 5); }),
              HasSubstr("1 fold; needs at least 2"));
  EXPECT_THAT(invalid_argument_of([&] { (void)corrected_resampled_ttest(two, two, 0, 5); }),
              HasSubstr("training rows 0 must be positive"));
  EXPECT_THAT(invalid_argument_of([&] { (void)corrected_resampled_ttest(two, two, 10, -1); }),
              HasSubstr("test rows -1 must be positive"));
  const std::vector<double> bad{0.1, std::numeric_limits<double>::infinity()};
  EXPECT_THAT(invalid_argument_of([&] { (void)corrected_resampled_ttest(two, bad, 10, 5); }),
              HasSubstr("second model's score of fold 1 = inf is not finite"));
}

}  // namespace
}  // namespace qmlsim::qml

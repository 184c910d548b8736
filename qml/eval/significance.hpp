#pragma once
/// Whether one model's cross-validated scores differ from another's beyond noise: the corrected
/// resampled t-test of Nadeau and Bengio (2003, "Inference for the generalization error"), which
/// widens the paired t-test's variance by the overlap of the training sets of k-fold (or repeated
/// random) splits:
///   d_j = a_j - b_j (per fold, same folds for both models), k folds,
///   t = mean(d) / sqrt((1/k + n_test/n_train) * var(d)),  var with denominator k - 1,
///   p = 2 * (1 - T_{k-1}(|t|)), Student's t distribution with k - 1 degrees of freedom.
/// When var(d) = 0: t = 0 and p = 1 if mean(d) = 0; else the test is undefined (t and p NaN):
/// the same difference on every fold, which small folds with discrete accuracies produce often,
/// is no evidence of the size the t statistic would claim (it would be infinite).
#include <span>

namespace qmlsim::qml {

struct TTestResult {
  double mean_difference = 0.0;  ///< mean(a - b)
  double t = 0.0;
  int degrees_of_freedom = 0;    ///< k - 1
  double p_value = 1.0;          ///< two-sided
};

/// The corrected resampled t-test of paired scores `a` and `b` (one entry per fold), with
/// n_train and n_test the (mean) training and test rows per fold. Throws InvalidArgument for
/// fewer than 2 folds, lengths that differ, non-finite scores or non-positive sizes.
[[nodiscard]] TTestResult corrected_resampled_ttest(std::span<const double> a, std::span<const double> b,
                                                    double n_train, double n_test);

/// Student's t cumulative distribution function with `dof` degrees of freedom (> 0, finite),
/// through the regularised incomplete beta function (Numerical Recipes' continued fraction by
/// Lentz's method). Relative error (tails included) below 1e-13 for dof <= 3000 (the t-test's
/// dof are folds - 1), growing beyond: about 1e-12 at dof 1e5, 1e-9 at 1e8. t = +-inf gives 1 or
/// 0. Throws InvalidArgument for a NaN t or a bad dof.
[[nodiscard]] double student_t_cdf(double t, double dof);

/// The words of the summary: "better" when the mean difference is positive and p < alpha,
/// "worse" when it is negative and p < alpha, "untestable" when p is NaN (the same nonzero
/// difference on every fold), else "equal within noise".
[[nodiscard]] const char* verdict(const TTestResult& result, double alpha = 0.05) noexcept;

}  // namespace qmlsim::qml

#include "qml/eval/significance.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "simulator/core/errors.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim::qml {

namespace {

// The continued fraction of the incomplete beta function (Numerical Recipes' betacf), evaluated
// by the modified Lentz method; converges fast for x < (a + 1) / (a + b + 2).
double beta_continued_fraction(double a, double b, double x) {
  constexpr double tiny = 1e-300, tolerance = 1e-15;
  constexpr int max_terms = 100'000;
  const auto guard = [](double v) { return std::abs(v) < tiny ? tiny : v; };
  double c = 1.0;
  double d = 1.0 / guard(1.0 - (a + b) * x / (a + 1.0));
  double h = d;
  for (int m = 1; m <= max_terms; ++m) {
    const double m2 = 2.0 * m;
    // Even step: d_2m = m (b - m) x / ((a + 2m - 1)(a + 2m)).
    double coefficient = m * (b - m) * x / ((a - 1.0 + m2) * (a + m2));
    d = 1.0 / guard(1.0 + coefficient * d);
    c = guard(1.0 + coefficient / c);
    h *= d * c;
    // Odd step: d_2m+1 = -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)).
    coefficient = -(a + m) * (a + b + m) * x / ((a + m2) * (a + 1.0 + m2));
    d = 1.0 / guard(1.0 + coefficient * d);
    c = guard(1.0 + coefficient / c);
    const double step = d * c;
    h *= step;
    if (std::abs(step - 1.0) < tolerance) return h;
  }
  throw Error("incomplete beta: the continued fraction did not converge (a = " + format_number(a) +
              ", b = " + format_number(b) + ", x = " + format_number(x) + ")");
}

// ln B(a, b) = lgamma(a) + lgamma(b) - lgamma(a + b). When one argument is large, by Stirling's
// series lgamma(x) = (x - 1/2) ln x - x + ln(2 pi) / 2 + 1/(12x) - 1/(360x^3) + ..., with the
// large terms cancelled by hand (lgamma(L) - lgamma(L + s) has no digits left at L ~ 1e10).
double log_beta(double a, double b) {
  const double small = std::min(a, b), large = std::max(a, b);
  if (large < 20.0) return std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b);
  // The series' tail after 1/(12x); the next term, 691 / (360360 x^11), is below 1e-17 for x >= 20.
  const auto correction = [](double x) {
    const double r = 1.0 / x, r2 = r * r;
    return r * (1.0 / 12 - r2 * (1.0 / 360 - r2 * (1.0 / 1260 - r2 * (1.0 / 1680 - r2 / 1188))));
  };
  return std::lgamma(small) - (large - 0.5) * std::log1p(small / large) - small * std::log(large + small) + small +
         correction(large) - correction(large + small);
}

// The regularised incomplete beta function I_x(a, b), given x and 1 - x (each computed directly
// by the caller, so neither loses digits to cancellation; the logs of the one near 1 by log1p).
double incomplete_beta(double a, double b, double x, double one_minus_x) {
  if (x <= 0.0) return 0.0;
  if (one_minus_x <= 0.0) return 1.0;
  const double log_x = x > 0.5 ? std::log1p(-one_minus_x) : std::log(x);
  const double log_one_minus_x = one_minus_x > 0.5 ? std::log1p(-x) : std::log(one_minus_x);
  const double front = std::exp(a * log_x + b * log_one_minus_x - log_beta(a, b));
  if (x < (a + 1.0) / (a + b + 2.0)) return front * beta_continued_fraction(a, b, x) / a;
  return 1.0 - front * beta_continued_fraction(b, a, one_minus_x) / b;
}

}  // namespace

double student_t_cdf(double t, double dof) {
  check_positive(dof, "student t cdf: degrees of freedom");
  if (std::isnan(t)) throw InvalidArgument("student t cdf: t = nan is not a number");
  if (std::isinf(t)) return t > 0.0 ? 1.0 : 0.0;
  // P(|T| > |t|) = I_x(dof / 2, 1 / 2) with x = dof / (dof + t^2).
  const double t2 = t * t;
  const double both_tails = incomplete_beta(0.5 * dof, 0.5, dof / (dof + t2), t2 / (dof + t2));
  return t > 0.0 ? 1.0 - 0.5 * both_tails : 0.5 * both_tails;
}

TTestResult corrected_resampled_ttest(std::span<const double> a, std::span<const double> b, double n_train,
                                      double n_test) {
  if (a.size() != b.size())
    throw InvalidArgument("corrected resampled t-test: " + plural(static_cast<long long>(a.size()), "score") +
                          " for the first model but " + std::to_string(b.size()) + " for the second");
  if (a.size() < 2)
    throw InvalidArgument("corrected resampled t-test: " + plural(static_cast<long long>(a.size()), "fold") +
                          "; needs at least 2");
  check_positive(n_train, "corrected resampled t-test: training rows");
  check_positive(n_test, "corrected resampled t-test: test rows");
  const std::size_t k = a.size();
  for (std::size_t j = 0; j < k; ++j) {
    check_finite(a[j], [&] { return "corrected resampled t-test: first model's score of fold " + std::to_string(j); });
    check_finite(b[j], [&] { return "corrected resampled t-test: second model's score of fold " + std::to_string(j); });
  }
  TTestResult r;
  r.degrees_of_freedom = static_cast<int>(k) - 1;
  for (std::size_t j = 0; j < k; ++j) r.mean_difference += a[j] - b[j];
  r.mean_difference /= static_cast<double>(k);
  double variance = 0.0;
  for (std::size_t j = 0; j < k; ++j) {
    const double centred = a[j] - b[j] - r.mean_difference;
    variance += centred * centred;
  }
  variance /= static_cast<double>(k - 1);
  if (variance == 0.0) {
    if (r.mean_difference == 0.0) return r;  // t = 0, p = 1
    r.t = std::numeric_limits<double>::quiet_NaN();
    r.p_value = std::numeric_limits<double>::quiet_NaN();
    return r;
  }
  r.t = r.mean_difference / std::sqrt((1.0 / static_cast<double>(k) + n_test / n_train) * variance);
  // 2 (1 - T(|t|)) = 2 T(-|t|): the lower tail keeps its digits when p is tiny.
  r.p_value = 2.0 * student_t_cdf(-std::abs(r.t), r.degrees_of_freedom);
  return r;
}

const char* verdict(const TTestResult& result, double alpha) noexcept {
  if (std::isnan(result.p_value)) return "untestable";
  if (result.p_value < alpha && result.mean_difference > 0.0) return "better";
  if (result.p_value < alpha && result.mean_difference < 0.0) return "worse";
  return "equal within noise";
}

}  // namespace qmlsim::qml

#include "qml/kernel/binomial.hpp"

#include <array>
#include <cmath>

namespace qmlsim::qml {
namespace {

// log(k!) : a table below 32, Stirling's series above (error below 1e-15 there).
double log_factorial(std::uint64_t k) noexcept {
  static const std::array<double, 32> table = [] {
    std::array<double, 32> t{};
    for (std::size_t i = 2; i < t.size(); ++i) t[i] = t[i - 1] + std::log(static_cast<double>(i));
    return t;
  }();
  if (k < table.size()) return table[k];
  const double x = static_cast<double>(k), inv = 1.0 / x, inv2 = inv * inv;
  return x * std::log(x) - x + 0.5 * std::log(6.283185307179586 * x) +
         inv * (1.0 / 12.0 - inv2 * (1.0 / 360.0 - inv2 * (1.0 / 1260.0 - inv2 / 1680.0)));
}

// Inversion from 0: the pmf f(x + 1) = f(x) (n - x) / (x + 1) * p / q.
std::uint64_t binomial_from_zero(Rng& rng, std::uint64_t n, double p) noexcept {
  const double q = 1.0 - p, ratio = p / q, f0 = std::pow(q, static_cast<double>(n));
  for (;;) {
    double u = rng.uniform(), f = f0;
    for (std::uint64_t x = 0; x <= n; ++x) {
      if (u < f) return x;
      u -= f;
      f *= ratio * static_cast<double>(n - x) / static_cast<double>(x + 1);
    }
    // Rounding left u above the summed pmf: draw again (exact rejection, vanishingly rare).
  }
}

// Inversion from the mode: the support enumerated m, m + 1, m - 1, m + 2, m - 2, ... (any fixed
// order inverts exactly); the pmf at the mode from log factorials, the rest by ratios.
std::uint64_t binomial_from_mode(Rng& rng, std::uint64_t n, double p) noexcept {
  const double q = 1.0 - p, nd = static_cast<double>(n);
  const auto m = static_cast<std::uint64_t>(std::floor((nd + 1.0) * p));
  const double md = static_cast<double>(m);
  const double fm = std::exp(log_factorial(n) - log_factorial(m) - log_factorial(n - m) + md * std::log(p) +
                             (nd - md) * std::log(q));
  for (;;) {
    double u = rng.uniform();
    if (u < fm) return m;
    u -= fm;
    double f_hi = fm, f_lo = fm;
    std::uint64_t hi = m, lo = m;
    bool hi_open = m < n, lo_open = m > 0;
    while (hi_open || lo_open) {
      if (hi_open) {
        f_hi *= p / q * static_cast<double>(n - hi) / static_cast<double>(hi + 1);
        ++hi;
        if (u < f_hi) return hi;
        u -= f_hi;
        hi_open = hi < n && f_hi > 0.0;
      }
      if (lo_open) {
        f_lo *= q / p * static_cast<double>(lo) / static_cast<double>(n - lo + 1);
        --lo;
        if (u < f_lo) return lo;
        u -= f_lo;
        lo_open = lo > 0 && f_lo > 0.0;
      }
    }
  }
}

}  // namespace

std::uint64_t binomial(Rng& rng, std::uint64_t n, double p) noexcept {
  if (!(p > 0.0) || n == 0) return 0;
  if (p >= 1.0) return n;
  if (p > 0.5) return n - binomial(rng, n, 1.0 - p);
  return static_cast<double>(n) * p < 10.0 ? binomial_from_zero(rng, n, p) : binomial_from_mode(rng, n, p);
}

}  // namespace qmlsim::qml

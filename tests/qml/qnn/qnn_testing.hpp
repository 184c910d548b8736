#pragma once
/// Test helpers for the QNN layer: fourth-order central finite differences.
#include <functional>
#include <span>
#include <vector>

namespace qmlsim::qml::testing {

/// d f / d x_k for every k by the fourth-order central difference
/// (-f(x + 2h) + 8 f(x + h) - 8 f(x - h) + f(x - 2h)) / (12 h): error O(h^4) + O(eps / h).
inline std::vector<double> finite_difference_gradient(const std::function<double(std::span<const double>)>& f,
                                                      std::vector<double> x, double h = 1e-3) {
  std::vector<double> g(x.size());
  for (std::size_t k = 0; k < x.size(); ++k) {
    const double x0 = x[k];
    const auto at = [&](double d) {
      x[k] = x0 + d;
      return f(x);
    };
    g[k] = (-at(2 * h) + 8 * at(h) - 8 * at(-h) + at(-2 * h)) / (12 * h);
    x[k] = x0;
  }
  return g;
}

}  // namespace qmlsim::qml::testing

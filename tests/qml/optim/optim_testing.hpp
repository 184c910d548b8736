#pragma once
// Objectives with known minima for the optimizer tests: a separable least-squares problem (a
// convex quadratic with mini-batches), the 2-D Rosenbrock function, and a wrapper that counts
// evaluations, records the rows it was asked for and throws on request.
#include <cmath>
#include <cstddef>
#include <functional>
#include <span>
#include <vector>

#include "qml/optim/optimizer.hpp"
#include "simulator/core/rng.hpp"

namespace qmlsim::qml::testing {

/// f(x) = mean_r (a_r . x - b_r)^2 over `rows` rows with b_r = a_r . x_star, so the minimum is
/// f(x_star) = 0 (unique: the a_r span the space). Separable: mini-batches allowed.
class LeastSquares final : public Objective {
 public:
  LeastSquares(std::vector<double> x_star, std::size_t rows, std::uint64_t seed = 7) : x_star_(std::move(x_star)) {
    Rng rng(seed);
    for (std::size_t r = 0; r < rows; ++r) {
      std::vector<double> a(x_star_.size());
      double b = 0.0;
      for (std::size_t j = 0; j < a.size(); ++j) {
        a[j] = 2.0 * rng.uniform() - 1.0 + (j == r % a.size() ? 1.0 : 0.0);
        b += a[j] * x_star_[j];
      }
      a_.push_back(std::move(a));
      b_.push_back(b);
    }
  }

  [[nodiscard]] const std::vector<double>& x_star() const { return x_star_; }
  /// Every batch of rows asked for, in order (value() and value_and_gradient() record all rows).
  std::vector<std::vector<std::size_t>> batches;

  std::size_t num_parameters() const override { return x_star_.size(); }
  std::size_t num_samples() const override { return a_.size(); }
  double value(std::span<const double> x) override { return batch_value(x, all_rows()); }
  double value_and_gradient(std::span<const double> x, std::span<double> grad) override {
    return batch_value_and_gradient(x, all_rows(), grad);
  }
  double batch_value(std::span<const double> x, std::span<const std::size_t> rows) override {
    std::vector<double> grad(x.size());
    return batch_value_and_gradient(x, rows, grad);
  }
  double batch_value_and_gradient(std::span<const double> x, std::span<const std::size_t> rows,
                                  std::span<double> grad) override {
    batches.emplace_back(rows.begin(), rows.end());
    double f = 0.0;
    std::fill(grad.begin(), grad.end(), 0.0);
    const double scale = 1.0 / static_cast<double>(rows.size());
    for (const std::size_t r : rows) {
      double residual = -b_[r];
      for (std::size_t j = 0; j < x.size(); ++j) residual += a_[r][j] * x[j];
      f += residual * residual * scale;
      for (std::size_t j = 0; j < x.size(); ++j) grad[j] += 2.0 * residual * a_[r][j] * scale;
    }
    return f;
  }

 private:
  std::vector<std::size_t> all_rows() const {
    std::vector<std::size_t> rows(a_.size());
    for (std::size_t r = 0; r < rows.size(); ++r) rows[r] = r;
    return rows;
  }

  std::vector<double> x_star_;
  std::vector<std::vector<double>> a_;
  std::vector<double> b_;
};

/// Rosenbrock's function (1 - x)^2 + 100 (y - x^2)^2: minimum 0 at (1, 1), a curved valley.
inline double rosenbrock(std::span<const double> p) {
  return (1.0 - p[0]) * (1.0 - p[0]) + 100.0 * (p[1] - p[0] * p[0]) * (p[1] - p[0] * p[0]);
}

inline double rosenbrock_with_gradient(std::span<const double> p, std::span<double> g) {
  g[0] = -2.0 * (1.0 - p[0]) - 400.0 * p[0] * (p[1] - p[0] * p[0]);
  g[1] = 200.0 * (p[1] - p[0] * p[0]);
  return rosenbrock(p);
}

inline FunctionObjective rosenbrock_objective() { return FunctionObjective(2, rosenbrock, rosenbrock_with_gradient); }

/// Wraps an objective: counts its evaluations (each call 1) and runs `hook` before each with the
/// 1-based evaluation number (a hook may throw).
class Counting final : public Objective {
 public:
  explicit Counting(Objective& inner, std::function<void(int)> hook = {}) : inner_(inner), hook_(std::move(hook)) {}
  int calls = 0;

  std::size_t num_parameters() const override { return inner_.num_parameters(); }
  bool has_gradient() const override { return inner_.has_gradient(); }
  std::size_t num_samples() const override { return inner_.num_samples(); }
  double value(std::span<const double> x) override {
    before();
    return inner_.value(x);
  }
  double value_and_gradient(std::span<const double> x, std::span<double> grad) override {
    before();
    return inner_.value_and_gradient(x, grad);
  }
  double batch_value(std::span<const double> x, std::span<const std::size_t> rows) override {
    before();
    return inner_.batch_value(x, rows);
  }
  double batch_value_and_gradient(std::span<const double> x, std::span<const std::size_t> rows,
                                  std::span<double> grad) override {
    before();
    return inner_.batch_value_and_gradient(x, rows, grad);
  }

 private:
  void before() {
    ++calls;
    if (hook_) hook_(calls);
  }
  Objective& inner_;
  std::function<void(int)> hook_;
};

}  // namespace qmlsim::qml::testing

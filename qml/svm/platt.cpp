#include "qml/svm/platt.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace qmlsim::qml {

double PlattSigmoid::operator()(double f) const noexcept {
  const double z = a * f + b;
  // 1 / (1 + e^z), written so that the exponential never overflows.
  return z >= 0.0 ? std::exp(-z) / (1.0 + std::exp(-z)) : 1.0 / (1.0 + std::exp(z));
}

namespace {

// The regularised cross-entropy of Lin, Lin and Weng, stable for any sign of a f + b.
double platt_objective(std::span<const double> f, const std::vector<double>& t, double a, double b) {
  double value = 0.0;
  for (std::size_t i = 0; i < f.size(); ++i) {
    const double z = f[i] * a + b;
    value += z >= 0.0 ? t[i] * z + std::log1p(std::exp(-z)) : (t[i] - 1.0) * z + std::log1p(std::exp(z));
  }
  return value;
}

}  // namespace

PlattSigmoid fit_platt_sigmoid(std::span<const double> f, std::span<const std::uint8_t> positive) {
  constexpr int kMaxIterations = 100;
  constexpr double kMinStep = 1e-10;
  constexpr double kSigma = 1e-12;  // keeps the Hessian positive definite
  constexpr double kEps = 1e-5;
  double n_pos = 0.0, n_neg = 0.0;
  for (std::uint8_t p : positive) (p ? n_pos : n_neg) += 1.0;
  const double hi = (n_pos + 1.0) / (n_pos + 2.0), lo = 1.0 / (n_neg + 2.0);
  std::vector<double> t(f.size());
  for (std::size_t i = 0; i < f.size(); ++i) t[i] = positive[i] ? hi : lo;

  PlattSigmoid s{0.0, std::log((n_neg + 1.0) / (n_pos + 1.0))};
  double value = platt_objective(f, t, s.a, s.b);
  for (int iteration = 0; iteration < kMaxIterations; ++iteration) {
    double h11 = kSigma, h22 = kSigma, h21 = 0.0, g1 = 0.0, g2 = 0.0;
    for (std::size_t i = 0; i < f.size(); ++i) {
      const double z = f[i] * s.a + s.b;
      double p, q;  // p = 1 / (1 + e^z), q = 1 - p
      if (z >= 0.0) {
        p = std::exp(-z) / (1.0 + std::exp(-z));
        q = 1.0 / (1.0 + std::exp(-z));
      } else {
        p = 1.0 / (1.0 + std::exp(z));
        q = std::exp(z) / (1.0 + std::exp(z));
      }
      const double d2 = p * q;
      h11 += f[i] * f[i] * d2;
      h22 += d2;
      h21 += f[i] * d2;
      const double d1 = t[i] - p;
      g1 += f[i] * d1;
      g2 += d1;
    }
    if (std::abs(g1) < kEps && std::abs(g2) < kEps) break;
    // Newton direction, then backtracking until the decrease is sufficient (Armijo, 1e-4).
    const double det = h11 * h22 - h21 * h21;
    const double da = -(h22 * g1 - h21 * g2) / det;
    const double db = -(-h21 * g1 + h11 * g2) / det;
    const double gd = g1 * da + g2 * db;
    double step = 1.0;
    while (step >= kMinStep) {
      const double a = s.a + step * da, b = s.b + step * db;
      const double candidate = platt_objective(f, t, a, b);
      if (candidate < value + 1e-4 * step * gd) {
        s = {a, b};
        value = candidate;
        break;
      }
      step /= 2.0;
    }
    if (step < kMinStep) break;  // the line search found no decrease
  }
  return s;
}

Eigen::VectorXd couple_pairwise(const Eigen::MatrixXd& r) {
  const Eigen::Index k = r.rows();
  Eigen::MatrixXd q(k, k);
  for (Eigen::Index t = 0; t < k; ++t) {
    q(t, t) = 0.0;
    for (Eigen::Index j = 0; j < k; ++j) {
      if (j == t) continue;
      q(t, t) += r(j, t) * r(j, t);
      q(t, j) = -r(j, t) * r(t, j);
    }
  }
  Eigen::VectorXd p = Eigen::VectorXd::Constant(k, 1.0 / static_cast<double>(k));
  Eigen::VectorXd qp(k);
  double pqp = 0.0;
  for (Eigen::Index t = 0; t < k; ++t) {
    qp(t) = 0.0;
    for (Eigen::Index j = 0; j < k; ++j) qp(t) += q(t, j) * p(j);
    pqp += p(t) * qp(t);
  }
  const int max_iterations = std::max(100, static_cast<int>(k));
  const double eps = 0.005 / static_cast<double>(k);
  for (int iteration = 0; iteration < max_iterations; ++iteration) {
    double max_error = 0.0;
    for (Eigen::Index t = 0; t < k; ++t) max_error = std::max(max_error, std::abs(qp(t) - pqp));
    if (max_error < eps) break;
    // One coordinate step per class, keeping sum p = 1 and the products Qp, p'Qp up to date.
    for (Eigen::Index t = 0; t < k; ++t) {
      const double diff = (-qp(t) + pqp) / q(t, t);
      p(t) += diff;
      pqp = (pqp + diff * (diff * q(t, t) + 2.0 * qp(t))) / (1.0 + diff) / (1.0 + diff);
      for (Eigen::Index j = 0; j < k; ++j) {
        qp(j) = (qp(j) + diff * q(t, j)) / (1.0 + diff);
        p(j) /= 1.0 + diff;
      }
    }
  }
  return p;
}

}  // namespace qmlsim::qml

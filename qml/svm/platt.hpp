#pragma once
/// Probability estimates from SVM decision values, as libsvm computes them (written anew from the
/// papers): Platt's sigmoid fitted by Newton's method with backtracking (Lin, Lin and Weng 2007,
/// "A note on Platt's probabilistic outputs for support vector machines"), and pairwise coupling of
/// one-vs-one probabilities (Wu, Lin and Weng 2004, method 2, libsvm's multiclass_probability).
#include <Eigen/Core>
#include <cstdint>
#include <span>

namespace qmlsim::qml {

/// P(positive | f) = 1 / (1 + exp(a f + b)).
struct PlattSigmoid {
  double a = 0.0;
  double b = 0.0;
  /// The probability for decision value f, computed without overflow.
  [[nodiscard]] double operator()(double f) const noexcept;
};

/// Fits the sigmoid to decision values `f` with `positive[i]` != 0 for the positive examples,
/// using Platt's regularised targets (N+ + 1) / (N+ + 2) and 1 / (N- + 2). Deterministic; at most
/// 100 Newton steps.
[[nodiscard]] PlattSigmoid fit_platt_sigmoid(std::span<const double> f, std::span<const std::uint8_t> positive);

/// Class probabilities (summing to 1) from pairwise ones, r(i, j) = P(i | i or j), r(j, i) = 1 - r(i, j)
/// (the diagonal is ignored): the minimiser of sum_i sum_{j != i} (r(j, i) p_i - r(i, j) p_j)^2
/// over the simplex, iterated to libsvm's tolerance 0.005 / C.
[[nodiscard]] Eigen::VectorXd couple_pairwise(const Eigen::MatrixXd& r);

}  // namespace qmlsim::qml

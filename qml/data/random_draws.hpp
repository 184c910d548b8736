#pragma once
/// Internal to the data generators (synthetic.cpp, benchmark_families.cpp): the shuffles, noise
/// and noise-level check they share. Every draw comes from the Rng passed in, in a fixed order.
#include <Eigen/Core>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

#include "qml/data/dataset.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/rng.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim::qml::detail {

/// Throws InvalidArgument "<what> <value> must be >= 0 and finite" (a noise level).
inline void check_non_negative_real(double value, const std::string& what) {
  if (!(value >= 0.0) || !std::isfinite(value))
    throw InvalidArgument(what + " " + format_number(value) + " must be >= 0 and finite");
}

/// Fisher-Yates over n items: swap(i, j) for i = n-1 down to 1, j = rng.below(i + 1).
template <class Swap>
void shuffle_by_swaps(std::size_t n, Rng& rng, Swap&& swap) {
  for (std::size_t i = n; i-- > 1;) swap(i, static_cast<std::size_t>(rng.below(static_cast<std::uint64_t>(i) + 1)));
}

/// Shuffles the rows and labels together, as scikit-learn's generators shuffle before adding noise.
inline void shuffle_rows(FeatureMatrix& x, Labels& y, Rng& rng) {
  shuffle_by_swaps(static_cast<std::size_t>(x.rows()), rng, [&](std::size_t i, std::size_t j) {
    x.row(static_cast<Eigen::Index>(i)).swap(x.row(static_cast<Eigen::Index>(j)));
    std::swap(y[i], y[j]);
  });
}

/// Adds N(0, noise^2) to every entry, row by row (scikit-learn's order of draws).
inline void add_noise(FeatureMatrix& x, double noise, Rng& rng) {
  if (noise == 0.0) return;
  for (Eigen::Index i = 0; i < x.rows(); ++i)
    for (Eigen::Index j = 0; j < x.cols(); ++j) x(i, j) += noise * rng.normal();
}

}  // namespace qmlsim::qml::detail

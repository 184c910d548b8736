#include "qml/data/benchmark_families.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numbers>
#include <numeric>
#include <string>
#include <utility>

#include "qml/data/preprocess.hpp"
#include "qml/data/random_draws.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/memory.hpp"
#include "simulator/core/rng.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim::qml {

namespace {

constexpr int kMaxSamples = 10'000'000;
constexpr int kMaxFeatures = 10'000;
/// Label indices: class "-1" is index 0, class "1" index 1 (Dataset sorts the names numerically).
constexpr int kMinus = 0, kPlus = 1;

Dataset two_class(FeatureMatrix x, Labels y) { return Dataset(std::move(x), std::move(y), {"-1", "1"}); }

/// Checks that `samples` rows of `doubles_per_row` doubles fit in memory, then returns the
/// samples x features matrix.
FeatureMatrix allocate_rows(int samples, int features, long long doubles_per_row, const std::string& what) {
  ensure_memory(static_cast<std::uint64_t>(samples) * static_cast<std::uint64_t>(doubles_per_row) * sizeof(double),
                what + ": " + std::to_string(samples) + " x " + std::to_string(doubles_per_row) + " values");
  return FeatureMatrix(samples, features);
}

/// samples / 2 labels "-1" then the rest "1", shuffled.
Labels balanced_labels(int samples, Rng& rng) {
  Labels y(static_cast<std::size_t>(samples), kPlus);
  std::fill_n(y.begin(), samples / 2, kMinus);
  detail::shuffle_by_swaps(y.size(), rng, [&](std::size_t i, std::size_t j) { std::swap(y[i], y[j]); });
  return y;
}

/// A matrix of standard normal entries, row by row.
Eigen::MatrixXd normal_matrix(Eigen::Index rows, Eigen::Index cols, Rng& rng) {
  Eigen::MatrixXd m(rows, cols);
  for (Eigen::Index i = 0; i < rows; ++i)
    for (Eigen::Index j = 0; j < cols; ++j) m(i, j) = rng.normal();
  return m;
}

/// A matrix of entries uniform in [0, 1), row by row.
Eigen::MatrixXd uniform_matrix(Eigen::Index rows, Eigen::Index cols, Rng& rng) {
  Eigen::MatrixXd m(rows, cols);
  for (Eigen::Index i = 0; i < rows; ++i)
    for (Eigen::Index j = 0; j < cols; ++j) m(i, j) = rng.uniform();
  return m;
}

/// Zero mean and unit variance per feature (a constant feature is only centred).
FeatureMatrix standardized(const FeatureMatrix& x) { return Pipeline::parse("standard").fit_transform(x); }

}  // namespace

Dataset make_linearly_separable(int samples, int features, double margin, std::uint64_t seed) {
  check_range(samples, 2, kMaxSamples, "linearly-separable: samples");
  check_range(features, 1, 400, "linearly-separable: features");
  check_range(margin, 0.0, std::sqrt(static_cast<double>(features)) / 2.0, "linearly-separable: margin");
  FeatureMatrix x = allocate_rows(samples, features, features, "linearly-separable");
  Labels y(static_cast<std::size_t>(samples));
  Rng rng(seed, 1);
  for (int row = 0; row < samples;) {
    double sum = 0.0;
    for (int j = 0; j < features; ++j) sum += x(row, j) = 2.0 * rng.uniform() - 1.0;
    if (std::abs(sum) <= margin) continue;  // inside the margin: drawn again
    y[static_cast<std::size_t>(row++)] = sum > 0.0 ? kMinus : kPlus;
  }
  return two_class(std::move(x), std::move(y));
}

HiddenManifoldData make_hidden_manifold(int samples, int features, int manifold_dimension, std::uint64_t seed) {
  check_range(samples, 2, kMaxSamples, "hidden-manifold: samples");
  check_range(features, 1, kMaxFeatures, "hidden-manifold: features");
  check_range(manifold_dimension, 1, 1'000, "hidden-manifold: manifold_dimension");
  const int m = manifold_dimension;
  FeatureMatrix x = allocate_rows(samples, features, features + m, "hidden-manifold");
  HiddenManifoldData out;
  Rng model(seed, 0);
  out.embedding = normal_matrix(m, features, model);
  out.biases = (2.0 * uniform_matrix(features, 1, model).array() - 1.0).matrix();
  out.hidden_weights = normal_matrix(m, m, model);
  out.output_weights = normal_matrix(m, 1, model);
  Rng rng(seed, 1);
  out.latent = normal_matrix(samples, m, rng);

  const double root_m = std::sqrt(static_cast<double>(m));
  x = ((out.latent * out.embedding / root_m).rowwise() - out.biases.transpose()).array().tanh().matrix();
  std::vector<double> score(static_cast<std::size_t>(samples));
  for (int i = 0; i < samples; ++i)
    score[static_cast<std::size_t>(i)] =
        out.output_weights.dot((out.hidden_weights * out.latent.row(i).transpose()).array().tanh().matrix()) / root_m;
  // The samples / 2 lowest scores are "-1": the study's threshold at the median, for odd counts too.
  std::vector<std::size_t> order(score.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return score[a] < score[b]; });
  Labels y(score.size(), kPlus);
  for (int k = 0; k < samples / 2; ++k) y[order[static_cast<std::size_t>(k)]] = kMinus;
  out.data = two_class(std::move(x), std::move(y));
  return out;
}

TwoCurvesData make_two_curves(int samples, int features, int degree, double offset, double noise, std::uint64_t seed) {
  check_range(samples, 2, kMaxSamples, "two-curves: samples");
  check_range(features, 1, kMaxFeatures, "two-curves: features");
  check_range(degree, 1, 100, "two-curves: degree");
  check_finite(offset, "two-curves: offset");
  detail::check_non_negative_real(noise, "two-curves: noise");
  FeatureMatrix x = allocate_rows(samples, features, features, "two-curves");
  TwoCurvesData out;
  // Coefficients per feature and frequency, the cosine's then the sine's (the study's order).
  Rng model(seed, 0);
  out.cos_coefficients.resize(features, degree + 1);
  out.sin_coefficients.resize(features, degree + 1);
  for (int j = 0; j < features; ++j)
    for (int k = 0; k <= degree; ++k) {
      out.cos_coefficients(j, k) = model.uniform();
      out.sin_coefficients(j, k) = model.uniform();
    }
  const double norm = std::hypot(out.cos_coefficients.norm(), out.sin_coefficients.norm());
  out.cos_coefficients /= norm;
  out.sin_coefficients /= norm;

  Rng rng(seed, 1);
  Labels y = balanced_labels(samples, rng);
  out.positions.resize(static_cast<std::size_t>(samples));
  Eigen::ArrayXd cos_kt(degree + 1), sin_kt(degree + 1);
  for (int i = 0; i < samples; ++i) {
    const double t = out.positions[static_cast<std::size_t>(i)] = rng.uniform();
    for (int k = 0; k <= degree; ++k) {
      // Frequency 0 contributes a + b: cos 0 = 1 and, as the study writes it, "sin 0" = 1 too.
      cos_kt(k) = k == 0 ? 1.0 : std::cos(k * std::numbers::pi * t);
      sin_kt(k) = k == 0 ? 1.0 : std::sin(k * std::numbers::pi * t);
    }
    const double shift = y[static_cast<std::size_t>(i)] == kPlus ? offset : 0.0;
    for (int j = 0; j < features; ++j)
      x(i, j) = (out.cos_coefficients.row(j).array() * cos_kt.transpose()).sum() +
                (out.sin_coefficients.row(j).array() * sin_kt.transpose()).sum() + noise * rng.normal() + shift;
  }
  out.data = two_class(standardized(x), std::move(y));
  return out;
}

Dataset make_bars_and_stripes(int samples, int height, int width, double noise, std::uint64_t seed) {
  check_range(samples, 2, kMaxSamples, "bars-and-stripes: samples");
  check_range(height, 1, 64, "bars-and-stripes: height");
  check_range(width, 1, 64, "bars-and-stripes: width");
  detail::check_non_negative_real(noise, "bars-and-stripes: noise");
  FeatureMatrix x = allocate_rows(samples, height * width, height * width, "bars-and-stripes");
  Labels y(static_cast<std::size_t>(samples));
  Rng rng(seed, 1);
  for (int i = 0; i < samples; ++i) {
    const bool stripes = rng.below(2) == 1;
    y[static_cast<std::size_t>(i)] = stripes ? kPlus : kMinus;
    const int lines = stripes ? height : width;
    std::vector<bool> on(static_cast<std::size_t>(lines));
    for (int l = 0; l < lines; ++l) on[static_cast<std::size_t>(l)] = rng.below(2) == 1;
    for (int r = 0; r < height; ++r)
      for (int c = 0; c < width; ++c)
        x(i, r * width + c) = (on[static_cast<std::size_t>(stripes ? r : c)] ? 1.0 : -1.0) + noise * rng.normal();
  }
  return two_class(std::move(x), std::move(y));
}

HyperplanesParityData make_hyperplanes_parity(int samples, int features, int hyperplanes, int dim_hyperplanes,
                                              std::uint64_t seed) {
  check_range(samples, 2, kMaxSamples, "hyperplanes-parity: samples");
  check_range(features, 1, kMaxFeatures, "hyperplanes-parity: features");
  check_range(hyperplanes, 1, 1'000, "hyperplanes-parity: hyperplanes");
  check_range(dim_hyperplanes, 1, 1'000, "hyperplanes-parity: dim_hyperplanes");
  const int m = dim_hyperplanes;
  FeatureMatrix x = allocate_rows(samples, features, features + m, "hyperplanes-parity");
  HyperplanesParityData out;
  Rng model(seed, 0);
  out.normals = uniform_matrix(hyperplanes, m, model);
  out.offsets = uniform_matrix(hyperplanes, 1, model);
  out.embedding = uniform_matrix(m, features, model);

  // Each drawn point fills the next row of its class that is still empty (rows in shuffled order).
  Rng rng(seed, 1);
  Labels y = balanced_labels(samples, rng);
  std::vector<std::vector<int>> rows_of(2);
  for (int i = samples - 1; i >= 0; --i) rows_of[static_cast<std::size_t>(y[static_cast<std::size_t>(i)])].push_back(i);
  out.latent.resize(samples, m);
  Eigen::VectorXd z(m);
  const long long max_draws = 100LL * samples + 10'000;
  long long draws = 0;
  for (; draws < max_draws && !(rows_of[0].empty() && rows_of[1].empty()); ++draws) {
    for (int j = 0; j < m; ++j) z(j) = rng.normal();
    const auto positive = ((out.normals * z + out.offsets).array() > 0.0).count();
    auto& rows = rows_of[positive % 2 == 1 ? std::size_t{kPlus} : std::size_t{kMinus}];
    if (rows.empty()) continue;
    out.latent.row(rows.back()) = z.transpose();
    rows.pop_back();
  }
  for (int cls : {kMinus, kPlus})
    if (!rows_of[static_cast<std::size_t>(cls)].empty())
      throw InvalidArgument("hyperplanes-parity: the hyperplanes of seed " + std::to_string(seed) + " put " +
                            (cls == kPlus ? "an odd" : "an even") + " number of positive sides on too few points (" +
                            std::to_string(draws) + " draws left class " + (cls == kPlus ? "1" : "-1") + " " +
                            std::to_string(rows_of[static_cast<std::size_t>(cls)].size()) +
                            " rows short); choose another seed or more hyperplanes");
  x = out.latent * out.embedding;
  out.data = two_class(standardized(x), std::move(y));
  return out;
}

}  // namespace qmlsim::qml

#pragma once
/// Seeded generators of the five data families of Bowles, Ahmed and Schuld, "Better than
/// classical? The subtle art of benchmarking quantum machine learning models" (arXiv:2403.07059;
/// their generators are in XanaduAI/qml-benchmarks, src/qml_benchmarks/data/). The same
/// constructions with qmlsim's Rng where the study draws from numpy, so other points than the
/// study's files (which are not shipped).
///
/// Every family has two classes named "-1" and "1" (the study's labels; index 0 is "-1"). Model
/// parameters (hyperplanes, embeddings, curves) come from Rng(seed, 0) and the samples from
/// Rng(seed, 1), so for one seed the hidden model does not change with `samples`. Every function
/// throws InvalidArgument naming the bad option and its valid range, and ResourceError when the
/// feature matrix would not fit in memory.
#include <Eigen/Core>
#include <cstdint>
#include <vector>

#include "qml/data/dataset.hpp"

namespace qmlsim::qml {

/// "Linearly separable": points uniform in the cube [-1, 1]^features, kept only when
/// |sum_j x_j| > margin (the hyperplane with normal (1, ..., 1) through the origin; a point's
/// distance to it is |sum_j x_j| / sqrt(features)), labelled "-1" when sum_j x_j > 0 and "1"
/// otherwise (the study's signs). Draws until `samples` points are kept (the study draws
/// 2 samples candidates and keeps those outside the margin). The classes are balanced only in
/// expectation. The study uses margin = 0.02 features. Valid: samples in [2, 10^7], features in
/// [1, 400], margin in [0, sqrt(features) / 2] (so at least about a third of the draws are kept).
[[nodiscard]] Dataset make_linearly_separable(int samples, int features, double margin, std::uint64_t seed);

/// "Hidden manifold" (Goldt et al.'s hidden manifold model) with its hidden model, for checks.
struct HiddenManifoldData {
  Dataset data;
  Eigen::MatrixXd latent;          ///< samples x manifold_dimension: c, standard normal
  Eigen::MatrixXd embedding;       ///< manifold_dimension x features: F, standard normal
  Eigen::VectorXd biases;          ///< features: b, uniform in [-1, 1)
  Eigen::MatrixXd hidden_weights;  ///< manifold_dimension x manifold_dimension: W, standard normal
  Eigen::VectorXd output_weights;  ///< manifold_dimension: v, standard normal
};
/// Latent points c ~ N(0, I_m) on an m = manifold_dimension dimensional manifold, embedded as
/// x = tanh(c F / sqrt(m) - b) (each feature in (-1, 1)). The label is a one-layer network of the
/// latent point, score(c) = v . tanh(W c) / sqrt(m), thresholded at its median: the samples / 2
/// rows of lowest score are "-1", the others "1" (ties by row order), so the classes are balanced
/// exactly. Rows come in the order drawn (already random). Valid: samples in [2, 10^7], features
/// in [1, 10^4], manifold_dimension in [1, 10^3].
[[nodiscard]] HiddenManifoldData make_hidden_manifold(int samples, int features, int manifold_dimension,
                                                      std::uint64_t seed);

/// "Two curves" with its curve, for checks.
struct TwoCurvesData {
  Dataset data;
  Eigen::MatrixXd cos_coefficients;  ///< features x (degree + 1): a_jk
  Eigen::MatrixXd sin_coefficients;  ///< features x (degree + 1): b_jk
  std::vector<double> positions;     ///< per row: its curve parameter t, uniform in [0, 1)
};
/// Coordinate j of the curve at t in [0, 1) is the Fourier series
///   f_j(t) = a_j0 + b_j0 + sum_{k=1..degree} (a_jk cos(k pi t) + b_jk sin(k pi t)),
/// the coefficients uniform in [0, 1) and then divided by the norm of all 2 features (degree + 1)
/// of them. Class "-1" is f(t) + noise, class "1" is f(t) + offset (added to every coordinate)
/// + noise, noise N(0, noise^2) per coordinate, t uniform per row. samples / 2 rows are "-1" and
/// the rest "1" (the study drops the last row of an odd count), rows shuffled. Finally each
/// feature is standardized (zero mean, unit variance over the rows, as scikit-learn's
/// StandardScaler). Valid: samples in [2, 10^7], features in [1, 10^4], degree in [1, 100],
/// offset finite, noise >= 0 and finite.
[[nodiscard]] TwoCurvesData make_two_curves(int samples, int features, int degree, double offset, double noise,
                                            std::uint64_t seed);

/// "Bars and stripes": height x width images, feature r width + c the pixel in row r, column c.
/// Each image is, with probability 1/2, "stripes" (class "1": each row independently on with
/// probability 1/2) or else "bars" (class "-1": each column on with probability 1/2); pixels that
/// are on are +1, the others -1, then N(0, noise^2) is added to every pixel. An image with every
/// row (column) on or off is both a bar and a stripe image; it keeps the class it was drawn as.
/// The classes are balanced only in expectation. Valid: samples in [2, 10^7], height and width
/// in [1, 64], noise >= 0 and finite.
[[nodiscard]] Dataset make_bars_and_stripes(int samples, int height, int width, double noise, std::uint64_t seed);

/// "Hyperplanes and parity" with its hyperplanes, for checks.
struct HyperplanesParityData {
  Dataset data;
  Eigen::MatrixXd normals;    ///< hyperplanes x dim_hyperplanes: w_k, uniform in [0, 1)
  Eigen::VectorXd offsets;    ///< hyperplanes: b_k, uniform in [0, 1)
  Eigen::MatrixXd latent;     ///< samples x dim_hyperplanes: z, standard normal
  Eigen::MatrixXd embedding;  ///< dim_hyperplanes x features: E, uniform in [0, 1)
};
/// Points z ~ N(0, I_m) in m = dim_hyperplanes dimensions; z is on the positive side of
/// hyperplane k when w_k . z + b_k > 0, and its label is "1" when it is on the positive side of
/// an odd number of the hyperplanes, "-1" for an even number (the labels of the study's
/// published data). Points are drawn until each class has its rows (samples / 2 of "-1", the rest
/// "1"), rows shuffled; the features are z E, standardized per feature (as scikit-learn's
/// StandardScaler). Throws InvalidArgument when the hyperplanes of this seed leave one parity so
/// rare that 100 samples + 10^4 draws do not fill its rows. Valid: samples in [2, 10^7], features in
/// [1, 10^4], hyperplanes in [1, 1000], dim_hyperplanes in [1, 1000].
[[nodiscard]] HyperplanesParityData make_hyperplanes_parity(int samples, int features, int hyperplanes,
                                                            int dim_hyperplanes, std::uint64_t seed);

}  // namespace qmlsim::qml

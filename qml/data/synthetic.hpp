#pragma once
/// Seeded generators (every draw from Rng(seed, stream); never std distributions).
#include <cstdint>

#include "qml/data/dataset.hpp"

namespace qmlsim::qml {

/// scikit-learn's make_moons: two interleaving half circles, Gaussian noise of std `noise`.
[[nodiscard]] Dataset make_moons(int samples, double noise, std::uint64_t seed);
/// scikit-learn's make_circles: two concentric circles, inner radius `factor`.
[[nodiscard]] Dataset make_circles(int samples, double noise, double factor, std::uint64_t seed);
/// XOR: points uniform in [-1, 1]^2 (plus noise), class = sign(x0) != sign(x1).
[[nodiscard]] Dataset make_xor(int samples, double noise, std::uint64_t seed);
/// scikit-learn's make_blobs: `centers` isotropic Gaussian clusters (std cluster_std) with
/// centres uniform in [-10, 10]^features.
[[nodiscard]] Dataset make_blobs(int samples, int features, int centers, double cluster_std, std::uint64_t seed);

/// Qiskit Machine Learning's ad_hoc_data (Havlicek et al. 2019) for 2 or 3 features: a random
/// unitary V from the eigenvectors of A^dagger A (A complex Gaussian), the parity observable
/// V^dagger Z..Z V, the ZZ-style feature state on a grid of `plot_steps` (default 2*pi/20) points
/// per axis in [0, 2 pi), a point labelled +1/-1 when the expectation exceeds +gap/-gap, then
/// training_size and test_size points drawn per class.
struct AdHocData {
  Dataset train;
  Dataset test;
};
[[nodiscard]] AdHocData make_ad_hoc(int training_size, int test_size, int features, double gap, std::uint64_t seed);

}  // namespace qmlsim::qml

#pragma once
/// Seeded generators (every draw from Rng(seed, stream); never std distributions).
#include <Eigen/Core>
#include <cstdint>

#include "qml/data/dataset.hpp"

namespace qmlsim::qml {

/// scikit-learn's make_moons: two interleaving half circles, Gaussian noise of std `noise`.
[[nodiscard]] Dataset make_moons(int samples, double noise, std::uint64_t seed);
/// scikit-learn's make_circles: two concentric circles, inner radius `factor`.
[[nodiscard]] Dataset make_circles(int samples, double noise, double factor, std::uint64_t seed);
/// XOR: class 0 uniform on the quadrants where x0 and x1 have the same sign, class 1 on the
/// other two, inside [-1, 1]^2 (samples/2 rows of class 0, the rest class 1, shuffled), then
/// Gaussian noise of std `noise`.
[[nodiscard]] Dataset make_xor(int samples, double noise, std::uint64_t seed);
/// scikit-learn's make_blobs: `centers` isotropic Gaussian clusters (std cluster_std) with
/// centres uniform in [-10, 10]^features; samples split evenly (the first samples % centers
/// clusters one more), shuffled.
[[nodiscard]] Dataset make_blobs(int samples, int features, int centers, double cluster_std, std::uint64_t seed);

/// Qiskit Machine Learning's ad_hoc_data (Havlicek et al. 2019) for 2 or 3 features, the same
/// construction with qmlsim's Rng where Qiskit draws from numpy (so other points than Qiskit's):
///  - a random unitary V: the eigenvectors of A^dagger A (A's real and imaginary parts uniform in
///    [0, 1)), by descending eigenvalue, each with its largest entry real positive (as numpy's
///    eig returns them); the observable M = V^dagger D V with D the parity of the basis index
///    (2 features) or Qiskit's majority (3 features: -1 when two or more bits are 1);
///  - a grid of ad_hoc_grid_points(features) values per axis, k 2 pi / points (100 for 2
///    features, 20 for 3, as Qiskit);
///  - per grid point x the state psi = U H U H |0..0> with U = exp(i phi), phi = sum_i x_i Z_i +
///    sum_{i<j} (pi - x_i)(pi - x_j) Z_i Z_j (feature 0 on the most significant bit of the basis
///    index), labelled A (+1) when <psi|M|psi> > gap, B (-1) when < -gap, else dropped;
///  - training_size + test_size grid points drawn per class (uniform index per axis, rejection,
///    repeats possible), class A first; the first training_size of each class train.
/// Classes are "A" (index 0) and "B" (index 1), rows class A first. Throws InvalidArgument for
/// features other than 2 or 3, a gap outside [0, 1) or one that leaves a class empty.
struct AdHocData {
  Dataset train;
  Dataset test;
};
[[nodiscard]] AdHocData make_ad_hoc(int training_size, int test_size, int features, double gap, std::uint64_t seed);
/// Grid values per axis of make_ad_hoc: 100 for 2 features, 20 for 3.
[[nodiscard]] int ad_hoc_grid_points(int features);
/// The labelling observable M = V^dagger D V of make_ad_hoc(..., features, gap, seed) (2^features
/// square, Hermitian, eigenvalues +-1), for checks.
[[nodiscard]] Eigen::MatrixXcd ad_hoc_observable(int features, std::uint64_t seed);

}  // namespace qmlsim::qml

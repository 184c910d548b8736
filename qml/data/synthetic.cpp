#include "qml/data/synthetic.hpp"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <bit>
#include <cmath>
#include <complex>
#include <numbers>
#include <string>
#include <utility>
#include <vector>

#include "qml/data/random_draws.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/rng.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim::qml {

namespace {

using detail::add_noise;
using detail::check_non_negative_real;
using detail::shuffle_rows;

constexpr double kPi = std::numbers::pi;

/// numpy.linspace(0, stop, n, endpoint): point k of n.
double linspace(double stop, int n, int k, bool endpoint) {
  if (endpoint) return n == 1 ? 0.0 : (k == n - 1 ? stop : k * (stop / (n - 1)));
  return k * (stop / n);
}

Dataset two_class(FeatureMatrix x, Labels y) {
  return Dataset(std::move(x), std::move(y), {"0", "1"});
}

}  // namespace

Dataset make_moons(int samples, double noise, std::uint64_t seed) {
  check_range(samples, 2, 10'000'000, "moons: samples");
  check_non_negative_real(noise, "moons: noise");
  const int outer = samples / 2, inner = samples - outer;
  FeatureMatrix x(samples, 2);
  Labels y(static_cast<std::size_t>(samples));
  for (int k = 0; k < outer; ++k) {
    const double t = linspace(kPi, outer, k, true);
    x.row(k) << std::cos(t), std::sin(t);
    y[static_cast<std::size_t>(k)] = 0;
  }
  for (int k = 0; k < inner; ++k) {
    const double t = linspace(kPi, inner, k, true);
    x.row(outer + k) << 1.0 - std::cos(t), 1.0 - std::sin(t) - 0.5;
    y[static_cast<std::size_t>(outer + k)] = 1;
  }
  Rng rng(seed);
  shuffle_rows(x, y, rng);
  add_noise(x, noise, rng);
  return two_class(std::move(x), std::move(y));
}

Dataset make_circles(int samples, double noise, double factor, std::uint64_t seed) {
  check_range(samples, 2, 10'000'000, "circles: samples");
  check_non_negative_real(noise, "circles: noise");
  if (!(factor >= 0.0 && factor < 1.0))
    throw InvalidArgument("circles: factor " + format_number(factor) + " out of range [0, 1)");
  const int outer = samples / 2, inner = samples - outer;
  FeatureMatrix x(samples, 2);
  Labels y(static_cast<std::size_t>(samples));
  for (int k = 0; k < outer; ++k) {
    const double t = linspace(2.0 * kPi, outer, k, false);
    x.row(k) << std::cos(t), std::sin(t);
    y[static_cast<std::size_t>(k)] = 0;
  }
  for (int k = 0; k < inner; ++k) {
    const double t = linspace(2.0 * kPi, inner, k, false);
    x.row(outer + k) << factor * std::cos(t), factor * std::sin(t);
    y[static_cast<std::size_t>(outer + k)] = 1;
  }
  Rng rng(seed);
  shuffle_rows(x, y, rng);
  add_noise(x, noise, rng);
  return two_class(std::move(x), std::move(y));
}

Dataset make_xor(int samples, double noise, std::uint64_t seed) {
  check_range(samples, 2, 10'000'000, "xor: samples");
  check_non_negative_real(noise, "xor: noise");
  FeatureMatrix x(samples, 2);
  Labels y(static_cast<std::size_t>(samples));
  Rng rng(seed);
  // The first half class 0 (both coordinates of one sign), the rest class 1 (signs differ): each
  // class uniform on its two quadrants, the classes balanced as the other generators are.
  for (int k = 0; k < samples; ++k) {
    const int label = k < samples / 2 ? 0 : 1;
    const double s0 = rng.below(2) == 0 ? 1.0 : -1.0;
    const double s1 = label == 0 ? s0 : -s0;
    x.row(k) << s0 * rng.uniform_pos(), s1 * rng.uniform_pos();
    y[static_cast<std::size_t>(k)] = label;
  }
  shuffle_rows(x, y, rng);
  add_noise(x, noise, rng);
  return two_class(std::move(x), std::move(y));
}

Dataset make_blobs(int samples, int features, int centers, double cluster_std, std::uint64_t seed) {
  check_range(features, 1, 10'000, "blobs: features");
  check_range(centers, 1, 1'000, "blobs: centers");
  check_range(samples, centers, 10'000'000, "blobs: samples");
  check_non_negative_real(cluster_std, "blobs: cluster_std");
  Rng rng(seed);
  Eigen::MatrixXd centre(centers, features);
  for (int c = 0; c < centers; ++c)
    for (int j = 0; j < features; ++j) centre(c, j) = -10.0 + 20.0 * rng.uniform();
  FeatureMatrix x(samples, features);
  Labels y(static_cast<std::size_t>(samples));
  std::vector<std::string> names;
  int row = 0;
  for (int c = 0; c < centers; ++c) {
    const int count = samples / centers + (c < samples % centers ? 1 : 0);
    for (int k = 0; k < count; ++k, ++row) {
      for (int j = 0; j < features; ++j) x(row, j) = centre(c, j) + cluster_std * rng.normal();
      y[static_cast<std::size_t>(row)] = c;
    }
    names.push_back(std::to_string(c));
  }
  shuffle_rows(x, y, rng);
  return Dataset(std::move(x), std::move(y), std::move(names));
}

int ad_hoc_grid_points(int features) {
  check_range(features, 2, 3, "ad_hoc: features");
  return features == 2 ? 100 : 20;
}

Eigen::MatrixXcd ad_hoc_observable(int features, std::uint64_t seed) {
  check_range(features, 2, 3, "ad_hoc: features");
  const int dim = 1 << features;
  // A with entries uniform in [0, 1) + i [0, 1) (numpy's random((d, d)) + 1j * random((d, d)):
  // the whole real part first, row by row), then the eigenvectors of the Hermitian A^dagger A.
  Rng rng(seed, 0);
  Eigen::MatrixXd re(dim, dim), im(dim, dim);
  for (auto* part : {&re, &im})
    for (int r = 0; r < dim; ++r)
      for (int c = 0; c < dim; ++c) (*part)(r, c) = rng.uniform();
  const Eigen::MatrixXcd a = re.cast<std::complex<double>>() + std::complex<double>(0.0, 1.0) * im.cast<std::complex<double>>();
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXcd> solver(a.adjoint() * a);
  // Columns by descending eigenvalue (Eigen's are ascending). An eigenvector is defined up to a
  // phase, and the observable depends on it: each is fixed as LAPACK's zgeev (numpy.linalg.eig)
  // fixes it, its entry of largest modulus real and positive.
  Eigen::MatrixXcd v(dim, dim);
  for (int k = 0; k < dim; ++k) {
    Eigen::VectorXcd col = solver.eigenvectors().col(dim - 1 - k);
    Eigen::Index top = 0;
    col.cwiseAbs2().maxCoeff(&top);
    col *= std::conj(col(top)) / std::abs(col(top));
    v.col(k) = col;
  }
  // D: parity of the basis index for 2 features; for 3, Qiskit's majority (-1 when two or more
  // bits are 1).
  Eigen::VectorXcd d(dim);
  for (int b = 0; b < dim; ++b) {
    const int ones = std::popcount(static_cast<unsigned>(b));
    const bool odd = features == 2 ? ones % 2 == 1 : ones >= 2;
    d(b) = odd ? -1.0 : 1.0;
  }
  return v.adjoint() * d.asDiagonal() * v;
}

AdHocData make_ad_hoc(int training_size, int test_size, int features, double gap, std::uint64_t seed) {
  check_range(training_size, 1, 1'000'000, "ad_hoc: training_size");
  check_range(test_size, 0, 1'000'000, "ad_hoc: test_size");
  const int count = ad_hoc_grid_points(features);
  if (!(gap >= 0.0 && gap < 1.0)) throw InvalidArgument("ad_hoc: gap " + format_number(gap) + " out of range [0, 1)");
  const Eigen::MatrixXcd observable = ad_hoc_observable(features, seed);
  const int dim = 1 << features;

  // H^n: entry (a, b) = (-1)^popcount(a & b) / sqrt(dim).
  Eigen::MatrixXcd hadamard(dim, dim);
  for (int r = 0; r < dim; ++r)
    for (int c = 0; c < dim; ++c)
      hadamard(r, c) = (std::popcount(static_cast<unsigned>(r & c)) % 2 ? -1.0 : 1.0) / std::sqrt(double(dim));

  // The label of every grid point: psi = U H U H |0>, U = exp(i phi) diagonal with
  // phi(b) = sum_i x_i z_i(b) + sum_{i<j} (pi - x_i)(pi - x_j) z_i(b) z_j(b), where feature i is
  // the most significant bit first (numpy's kron order: z_i(b) = +1 when bit n-1-i of b is 0).
  std::size_t total = 1;
  for (int i = 0; i < features; ++i) total *= static_cast<std::size_t>(count);
  std::vector<signed char> label(total, 0);
  std::vector<int> digits(static_cast<std::size_t>(features), 0);
  Eigen::VectorXcd u(dim), psi(dim);
  std::vector<double> xs(static_cast<std::size_t>(features));
  for (std::size_t g = 0; g < total; ++g) {
    std::size_t rest = g;
    for (int i = features - 1; i >= 0; --i) {
      xs[static_cast<std::size_t>(i)] = linspace(2.0 * kPi, count, static_cast<int>(rest % count), false);
      rest /= static_cast<std::size_t>(count);
    }
    for (int b = 0; b < dim; ++b) {
      double phi = 0.0;
      const auto z = [&](int i) { return (b >> (features - 1 - i)) & 1 ? -1.0 : 1.0; };
      for (int i = 0; i < features; ++i) phi += xs[static_cast<std::size_t>(i)] * z(i);
      for (int i = 0; i < features; ++i)
        for (int j = i + 1; j < features; ++j)
          phi += (kPi - xs[static_cast<std::size_t>(i)]) * (kPi - xs[static_cast<std::size_t>(j)]) * z(i) * z(j);
      u(b) = std::polar(1.0, phi);
    }
    psi = u.cwiseProduct(hadamard * u.cwiseProduct(Eigen::VectorXcd::Constant(dim, 1.0 / std::sqrt(double(dim)))));
    const double expectation = psi.dot(observable * psi).real();  // dot conjugates the first
    if (std::abs(expectation) > gap) label[g] = expectation > 0.0 ? 1 : -1;
  }

  // Class A (+1, index 0) then B (-1, index 1): grid points drawn uniformly, one index per axis,
  // until training_size + test_size of the class are found (repeats allowed, as in Qiskit).
  const int per_class = training_size + test_size;
  AdHocData out;
  FeatureMatrix train(2 * training_size, features), test(2 * test_size, features);
  Labels train_y, test_y;
  Rng rng(seed, 1);
  for (int cls = 0; cls < 2; ++cls) {
    const signed char want = cls == 0 ? 1 : -1;
    if (std::find(label.begin(), label.end(), want) == label.end())
      throw InvalidArgument("ad_hoc: gap " + format_number(gap) + " leaves no grid point of class " +
                            (cls == 0 ? "A" : "B") + "; choose a smaller gap");
    for (int found = 0; found < per_class;) {
      std::size_t g = 0;
      for (int i = 0; i < features; ++i) {
        digits[static_cast<std::size_t>(i)] = static_cast<int>(rng.below(static_cast<std::uint64_t>(count)));
        g = g * static_cast<std::size_t>(count) + static_cast<std::size_t>(digits[static_cast<std::size_t>(i)]);
      }
      if (label[g] != want) continue;
      const bool to_train = found < training_size;
      FeatureMatrix& target = to_train ? train : test;
      const int row = to_train ? cls * training_size + found : cls * test_size + (found - training_size);
      for (int i = 0; i < features; ++i)
        target(row, i) = linspace(2.0 * kPi, count, digits[static_cast<std::size_t>(i)], false);
      (to_train ? train_y : test_y).push_back(cls);
      ++found;
    }
  }
  out.train = Dataset(std::move(train), std::move(train_y), {"A", "B"});
  out.test = Dataset(std::move(test), std::move(test_y), {"A", "B"});
  return out;
}

}  // namespace qmlsim::qml

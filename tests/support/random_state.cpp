#include "tests/support/random_state.hpp"

#include <cmath>

namespace qmlsim::testing {

std::vector<cdouble> random_state(int n, Rng& rng) {
  std::vector<cdouble> a(std::size_t{1} << n);
  double norm2 = 0.0;
  for (auto& z : a) {
    z = {rng.normal(), rng.normal()};
    norm2 += std::norm(z);
  }
  const double scale = 1.0 / std::sqrt(norm2);
  for (auto& z : a) z *= scale;
  return a;
}

std::vector<double> random_angles(std::size_t count, Rng& rng, double lo, double hi) {
  std::vector<double> v(count);
  for (auto& x : v) x = lo + (hi - lo) * rng.uniform();
  return v;
}

DenseMatrix random_unitary(int k, Rng& rng) {
  const Index dim = Index{1} << k;
  DenseMatrix m(dim);
  for (Index r = 0; r < dim; ++r)
    for (Index c = 0; c < dim; ++c) m(r, c) = {rng.normal(), rng.normal()};
  // Orthonormalise the columns in order; two passes of modified Gram-Schmidt keep the loss of
  // orthogonality at the rounding level.
  for (Index c = 0; c < dim; ++c) {
    for (int pass = 0; pass < 2; ++pass) {
      for (Index p = 0; p < c; ++p) {
        cdouble dot = 0.0;
        for (Index r = 0; r < dim; ++r) dot += std::conj(m(r, p)) * m(r, c);
        for (Index r = 0; r < dim; ++r) m(r, c) -= dot * m(r, p);
      }
    }
    double norm2 = 0.0;
    for (Index r = 0; r < dim; ++r) norm2 += std::norm(m(r, c));
    const double scale = 1.0 / std::sqrt(norm2);
    for (Index r = 0; r < dim; ++r) m(r, c) *= scale;
  }
  return m;
}

DenseMatrix random_diagonal_unitary(int k, Rng& rng) {
  const Index dim = Index{1} << k;
  DenseMatrix m(dim);
  for (Index i = 0; i < dim; ++i) m(i, i) = std::polar(1.0, 2 * kPi * rng.uniform());
  return m;
}

}  // namespace qmlsim::testing

#include "qml/kernel/gram.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "simulator/core/rng.hpp"
#include "tests/qml/kernel/test_maps.hpp"
#include "tests/support/random_state.hpp"

namespace qmlsim::qml {
namespace {

// count random normalised states of n qubits, column-major.
std::vector<cdouble> random_states(int n, Index count, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<cdouble> s;
  for (Index i = 0; i < count; ++i) {
    const auto state = testing::random_state(n, rng);
    s.insert(s.end(), state.begin(), state.end());
  }
  return s;
}

double fidelity(const cdouble* a, const cdouble* b, Index dim) {
  cdouble sum = 0.0;
  for (Index k = 0; k < dim; ++k) sum += std::conj(a[k]) * b[k];
  return std::norm(sum);
}

TEST(GramTest, TilesCoverEveryEntryOfBothShapes) {
  const int n = 5;
  const Index dim = 32, na = 150, nb = 70;  // partial last tiles
  const auto a = random_states(n, na, 1), b = random_states(n, nb, 2);
  for (GramBackend backend : {GramBackend::Blas, GramBackend::Eigen}) {
    Eigen::MatrixXd k = Eigen::MatrixXd::Constant(na, na, -1.0);
    fidelity_tiles({a.data(), dim, 0, na}, {a.data(), dim, 0, na}, true, backend, Parallelism{2, 0}, k);
    for (Index j = 0; j < na; ++j)
      for (Index i = 0; i <= j; ++i) EXPECT_NEAR(k(i, j), fidelity(&a[i * dim], &a[j * dim], dim), 1e-13);
    for (Index j = 0; j < na; ++j)
      for (Index i = j + 1; i < na; ++i)
        if (i / kGramTile != j / kGramTile) EXPECT_EQ(k(i, j), -1.0);  // below the diagonal tiles: untouched
    finish_training_gram(k);
    EXPECT_TRUE(k == k.transpose());
    for (Index i = 0; i < na; ++i) EXPECT_EQ(k(i, i), 1.0);

    Eigen::MatrixXd c(na, nb);
    fidelity_tiles({a.data(), dim, 0, na}, {b.data(), dim, 0, nb}, false, backend, Parallelism{2, 0}, c);
    for (Index i = 0; i < na; ++i)
      for (Index j = 0; j < nb; ++j) EXPECT_NEAR(c(i, j), fidelity(&a[i * dim], &b[j * dim], dim), 1e-13);
  }
}

TEST(GramTest, BlocksOfColumnsGiveTheSameBits) {
  const Index dim = 16, count = 200;
  const auto s = random_states(4, count, 3);
  Eigen::MatrixXd whole = Eigen::MatrixXd::Zero(count, count), parts = Eigen::MatrixXd::Zero(count, count);
  fidelity_tiles({s.data(), dim, 0, count}, {s.data(), dim, 0, count}, true, GramBackend::Blas, Parallelism{2, 0}, whole);
  // Blocks of 128 and 72 columns, copied elsewhere (other addresses, other alignment).
  std::vector<cdouble> first(s.begin(), s.begin() + 128 * dim), second(s.begin() + 128 * dim, s.end());
  const StateColumns b0{first.data(), dim, 0, 128}, b1{second.data(), dim, 128, 72};
  fidelity_tiles(b0, b0, true, GramBackend::Blas, Parallelism::serial(), parts);
  fidelity_tiles(b0, b1, true, GramBackend::Blas, Parallelism::serial(), parts);
  fidelity_tiles(b1, b1, true, GramBackend::Blas, Parallelism::serial(), parts);
  finish_training_gram(whole);
  finish_training_gram(parts);
  EXPECT_TRUE(whole == parts);
}

TEST(GramTest, FlopsCountComplexMultiplyAdds) {
  EXPECT_EQ(gram_flops(10, 10, 4, true), 8.0 * 4 * 55);
  EXPECT_EQ(gram_flops(10, 3, 4, false), 8.0 * 4 * 30);
}

}  // namespace
}  // namespace qmlsim::qml

// The optimised kernels of every instruction set this CPU supports, against the plain reference
// kernels (kernels_reference.hpp) on random states: every target position (inside and above the
// SIMD lanes), random extra controls with random values (so negative controls too), both
// precisions; and 1 vs 2 threads bit-identical. The reference kernels themselves are checked
// against dense matrices through the circuit tests.
#include "simulator/gates/kernels.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "simulator/core/rng.hpp"

namespace qmlsim::kernels {
namespace {

template <class R>
constexpr double kTolerance = std::is_same_v<R, double> ? 1e-12 : 1e-5;

std::vector<Isa> supported_isas() {
  std::vector<Isa> out;
  for (Isa isa : {Isa::Generic, Isa::Avx2, Isa::Avx512})
    if (isa_supported(isa)) out.push_back(isa);
  return out;
}

template <class R>
std::vector<R> random_reals(std::size_t count, Rng& rng) {
  std::vector<R> v(count);
  for (auto& x : v) x = static_cast<R>(2.0 * rng.uniform() - 1.0);
  return v;
}

// Distinct qubits: `k` targets in random order, then up to `max_controls` controls.
struct Placement {
  std::vector<Qubit> targets;
  Index cmask = 0, cval = 0;
};

Placement random_placement(int n, int k, int max_controls, Rng& rng) {
  std::vector<Qubit> all(static_cast<std::size_t>(n));
  std::iota(all.begin(), all.end(), 0);
  for (std::size_t i = all.size(); i > 1; --i) std::swap(all[i - 1], all[rng.below(i)]);
  Placement p;
  p.targets.assign(all.begin(), all.begin() + k);
  const int controls = std::min<int>(n - k, static_cast<int>(rng.below(static_cast<std::uint64_t>(max_controls) + 1)));
  for (int c = 0; c < controls; ++c) {
    const Qubit q = all[static_cast<std::size_t>(k + c)];
    p.cmask |= bit(q);
    if (rng.uniform() < 0.5) p.cval |= bit(q);
  }
  return p;
}

std::string describe(Isa isa, int n, const Placement& p) {
  std::string s = std::string(isa_name(isa)) + " n=" + std::to_string(n) + " targets=";
  for (Qubit t : p.targets) s += std::to_string(t) + ",";
  return s + " cmask=" + std::to_string(p.cmask) + " cval=" + std::to_string(p.cval);
}

template <class R>
void expect_close(const std::vector<R>& got, const std::vector<R>& want, double scale, const std::string& what) {
  ASSERT_EQ(got.size(), want.size());
  double worst = 0.0;
  for (std::size_t i = 0; i < got.size(); ++i) worst = std::max(worst, std::abs(static_cast<double>(got[i]) - want[i]));
  EXPECT_LE(worst, kTolerance<R> * scale) << what;
}

template <class R>
class KernelsTest : public ::testing::Test {};
using Reals = ::testing::Types<double, float>;
TYPED_TEST_SUITE(KernelsTest, Reals);

// Qubit counts: below one vector (1), exactly one vector (2 double / 3 float), and larger.
const int kSizes[] = {1, 2, 3, 4, 5, 6, 8};

TYPED_TEST(KernelsTest, DenseMatricesMatchReferenceForAllTargetSetsAndControls) {
  using R = TypeParam;
  Rng rng(11);
  const Parallelism serial = Parallelism::serial();
  for (Isa isa : supported_isas()) {
    const KernelTable<R>& table = kernel_table<R>(isa);
    for (int n : kSizes)
      for (int k = 1; k <= std::min(n, 6); ++k)
        for (int draw = 0; draw < 12; ++draw) {
          const Placement p = random_placement(n, k, 3, rng);
          const std::size_t dim = std::size_t{1} << k;
          const std::vector<R> m = random_reals<R>(2 * dim * dim, rng);
          const std::vector<R> psi = random_reals<R>(std::size_t{2} << n, rng);
          std::vector<R> got = psi, want = psi;
          table.matrix(got.data(), n, p.targets.data(), k, m.data(), p.cmask, p.cval, serial);
          reference::apply_matrixk(want.data(), n, p.targets.data(), k, m.data(), p.cmask, p.cval, serial);
          expect_close(got, want, static_cast<double>(dim), "matrix " + describe(isa, n, p));
        }
  }
}

TYPED_TEST(KernelsTest, EveryOneAndTwoQubitPositionMatchesReference) {
  using R = TypeParam;
  Rng rng(12);
  const int n = 6;
  const Parallelism serial = Parallelism::serial();
  for (Isa isa : supported_isas()) {
    const KernelTable<R>& table = kernel_table<R>(isa);
    for (Qubit a = 0; a < n; ++a)
      for (Qubit b = 0; b < n; ++b) {
        const std::vector<R> psi = random_reals<R>(std::size_t{2} << n, rng);
        // Single target a, controlled (negatively when a > b) by b unless a == b.
        const Index cmask = a == b ? 0 : bit(b), cval = a > b ? 0 : cmask;
        const std::vector<R> m1 = random_reals<R>(8, rng);
        std::vector<R> got = psi, want = psi;
        table.matrix(got.data(), n, &a, 1, m1.data(), cmask, cval, serial);
        reference::apply_matrix1(want.data(), n, a, m1.data(), cmask, cval, serial);
        expect_close(got, want, 2.0, "matrix1 " + std::string(isa_name(isa)) + " t=" + std::to_string(a));
        got = want = psi;
        table.pauli_x(got.data(), n, a, cmask, cval, serial);
        reference::apply_x(want.data(), n, a, cmask, cval, serial);
        EXPECT_EQ(got, want) << "x " << isa_name(isa) << " t=" << a << " c=" << b;
        if (a == b) continue;
        const Qubit ts[2] = {a, b};
        const std::vector<R> m2 = random_reals<R>(32, rng);
        got = want = psi;
        table.matrix(got.data(), n, ts, 2, m2.data(), 0, 0, serial);
        reference::apply_matrix2(want.data(), n, a, b, m2.data(), 0, 0, serial);
        expect_close(got, want, 4.0, "matrix2 " + std::string(isa_name(isa)) + " t=" + std::to_string(a) + "," + std::to_string(b));
        got = want = psi;
        table.swap(got.data(), n, a, b, 0, 0, serial);
        reference::apply_swap(want.data(), n, a, b, 0, 0, serial);
        EXPECT_EQ(got, want) << "swap " << isa_name(isa) << " " << a << "," << b;
      }
  }
}

TYPED_TEST(KernelsTest, DiagonalsPhasesAndPermutationsMatchReference) {
  using R = TypeParam;
  Rng rng(13);
  const Parallelism serial = Parallelism::serial();
  for (Isa isa : supported_isas()) {
    const KernelTable<R>& table = kernel_table<R>(isa);
    for (int n : kSizes) {
      for (int k = 0; k <= std::min(n, 6); ++k)
        for (int draw = 0; draw < 10; ++draw) {
          const Placement p = random_placement(n, k, 3, rng);
          const std::vector<R> d = random_reals<R>(std::size_t{2} << k, rng);
          const std::vector<R> psi = random_reals<R>(std::size_t{2} << n, rng);
          std::vector<R> got = psi, want = psi;
          table.diagonal(got.data(), n, p.targets.data(), k, d.data(), p.cmask, p.cval, serial);
          reference::apply_diagonal(want.data(), n, p.targets.data(), k, d.data(), p.cmask, p.cval, serial);
          expect_close(got, want, 1.0, "diagonal " + describe(isa, n, p));
        }
      for (int draw = 0; draw < 20; ++draw) {
        const int k = n >= 2 && draw % 2 ? 2 : 1;
        const Placement p = random_placement(n, k, 4, rng);
        const std::vector<R> psi = random_reals<R>(std::size_t{2} << n, rng);
        std::vector<R> got = psi, want = psi;
        if (k == 1) {
          table.pauli_x(got.data(), n, p.targets[0], p.cmask, p.cval, serial);
          reference::apply_x(want.data(), n, p.targets[0], p.cmask, p.cval, serial);
        } else {
          table.swap(got.data(), n, p.targets[0], p.targets[1], p.cmask, p.cval, serial);
          reference::apply_swap(want.data(), n, p.targets[0], p.targets[1], p.cmask, p.cval, serial);
        }
        // Permutations move amplitudes without arithmetic: exactly equal.
        EXPECT_EQ(got, want) << (k == 1 ? "x " : "swap ") << describe(isa, n, p);
      }
    }
  }
}

TYPED_TEST(KernelsTest, PublicFunctionsUseTheActiveInstructionSet) {
  using R = TypeParam;
  Rng rng(14);
  const int n = 7;
  const Parallelism serial = Parallelism::serial();
  const KernelTable<R>& table = kernel_table<R>(active_isa());
  const std::vector<R> psi = random_reals<R>(std::size_t{2} << n, rng);
  const std::vector<R> m = random_reals<R>(32, rng);
  const Qubit ts[3] = {5, 0, 3};
  std::vector<R> a = psi, b = psi;
  apply_matrix1(a.data(), n, 3, m.data(), bit(6), 0, serial);
  table.matrix(b.data(), n, ts + 2, 1, m.data(), bit(6), 0, serial);
  apply_matrix2(a.data(), n, 5, 0, m.data(), 0, 0, serial);
  table.matrix(b.data(), n, ts, 2, m.data(), 0, 0, serial);
  apply_diagonal(a.data(), n, ts, 3, m.data(), 0, 0, serial);
  table.diagonal(b.data(), n, ts, 3, m.data(), 0, 0, serial);
  apply_phase(a.data(), n, m[0], m[1], bit(1), bit(1), serial);
  table.diagonal(b.data(), n, nullptr, 0, m.data(), bit(1), bit(1), serial);
  apply_x(a.data(), n, 1, bit(4), bit(4), serial);
  table.pauli_x(b.data(), n, 1, bit(4), bit(4), serial);
  apply_swap(a.data(), n, 2, 6, 0, 0, serial);
  table.swap(b.data(), n, 2, 6, 0, 0, serial);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, psi);
}

TYPED_TEST(KernelsTest, TwoThreadsGiveBitIdenticalResults) {
  using R = TypeParam;
  Rng rng(15);
  const int n = 12;
  const Parallelism serial = Parallelism::serial(), two{2, 0};
  for (Isa isa : supported_isas()) {
    const KernelTable<R>& table = kernel_table<R>(isa);
    for (int k = 1; k <= 5; ++k)
      for (int draw = 0; draw < 4; ++draw) {
        const Placement p = random_placement(n, k, 2, rng);
        const std::size_t dim = std::size_t{1} << k;
        const std::vector<R> m = random_reals<R>(2 * dim * dim, rng);
        const std::vector<R> psi = random_reals<R>(std::size_t{2} << n, rng);
        std::vector<R> a = psi, b = psi;
        table.matrix(a.data(), n, p.targets.data(), k, m.data(), p.cmask, p.cval, serial);
        table.matrix(b.data(), n, p.targets.data(), k, m.data(), p.cmask, p.cval, two);
        table.diagonal(a.data(), n, p.targets.data(), k, m.data(), p.cmask, p.cval, serial);
        table.diagonal(b.data(), n, p.targets.data(), k, m.data(), p.cmask, p.cval, two);
        table.pauli_x(a.data(), n, p.targets[0], p.cmask, p.cval, serial);
        table.pauli_x(b.data(), n, p.targets[0], p.cmask, p.cval, two);
        EXPECT_EQ(a, b) << describe(isa, n, p);
      }
  }
}

TEST(KernelsIsa, GenericIsAlwaysSupportedAndActiveIsSupported) {
  EXPECT_TRUE(isa_supported(Isa::Generic));
  EXPECT_TRUE(isa_supported(active_isa()));
  EXPECT_EQ(isa_name(Isa::Avx512), "avx512");
  // The active set is the best one supported.
  if (isa_supported(Isa::Avx512)) {
    EXPECT_EQ(active_isa(), Isa::Avx512);
  }
}

}  // namespace
}  // namespace qmlsim::kernels

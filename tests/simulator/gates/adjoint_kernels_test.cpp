// The vectorised two-vector kernels of the adjoint gradient (every instruction set this CPU
// supports) against the scalar reference kernels (kernels::reference::adjoint_*, which the
// gradient tests check against finite differences, parameter shift and a dense simulator) on
// random normalised states: every target position and pair (inside and above the SIMD lanes),
// no / positive / negative controls inside and above the lanes, dense generators, monomials with
// one XOR pattern (rotation angles) and general monomials, 0..4 generators; X and SWAP exactly;
// the dispatching functions; 1 vs 2 threads bit-identical on states with several reduction chunks.
#include "simulator/gates/adjoint_kernels.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "simulator/core/rng.hpp"

namespace qmlsim::kernels {
namespace {

constexpr double kTolerance = 1e-12;

std::vector<Isa> supported_isas() {
  std::vector<Isa> out;
  for (Isa isa : {Isa::Generic, Isa::Avx2, Isa::Avx512})
    if (isa_supported(isa)) out.push_back(isa);
  return out;
}

std::vector<double> random_reals(std::size_t count, Rng& rng) {
  std::vector<double> v(count);
  for (double& x : v) x = 2.0 * rng.uniform() - 1.0;
  return v;
}

std::vector<double> random_state(int n, Rng& rng) {
  std::vector<double> v = random_reals(std::size_t{2} << n, rng);
  double norm = 0.0;
  for (double x : v) norm += x * x;
  for (double& x : v) x /= std::sqrt(norm);
  return v;
}

struct Placement {
  std::vector<Qubit> targets;
  Index cmask = 0, cval = 0;
};

std::string describe(Isa isa, int n, const Placement& p) {
  std::string s = std::string(isa_name(isa)) + " n=" + std::to_string(n) + " targets=";
  for (Qubit t : p.targets) s += std::to_string(t) + ",";
  return s + " cmask=" + std::to_string(p.cmask) + " cval=" + std::to_string(p.cval);
}

// The control patterns of one target set: none; the lowest free qubit (inside the lanes unless
// the targets take qubits 0 and 1) set and clear; the highest free qubit set; lowest clear and
// highest set together.
std::vector<Placement> control_patterns(int n, const std::vector<Qubit>& targets) {
  std::vector<Qubit> free;
  for (Qubit q = 0; q < n; ++q)
    if (std::find(targets.begin(), targets.end(), q) == targets.end()) free.push_back(q);
  std::vector<Placement> out = {{targets, 0, 0}};
  if (free.empty()) return out;
  const Index lo = bit(free.front()), hi = bit(free.back());
  out.push_back({targets, lo, lo});
  out.push_back({targets, lo, 0});
  out.push_back({targets, hi, hi});
  if (lo != hi) out.push_back({targets, lo | hi, hi});
  return out;
}

// Random target sets of k qubits with up to 3 random controls of random values.
Placement random_placement(int n, int k, Rng& rng) {
  std::vector<Qubit> all(static_cast<std::size_t>(n));
  std::iota(all.begin(), all.end(), 0);
  for (std::size_t i = all.size(); i > 1; --i) std::swap(all[i - 1], all[rng.below(i)]);
  Placement p;
  p.targets.assign(all.begin(), all.begin() + k);
  const int controls = std::min<int>(n - k, static_cast<int>(rng.below(4)));
  for (int c = 0; c < controls; ++c) {
    const Qubit q = all[static_cast<std::size_t>(k + c)];
    p.cmask |= bit(q);
    if (rng.uniform() < 0.5) p.cval |= bit(q);
  }
  return p;
}

enum class GenForm { Dense, DensePattern, XorMonomial, SharedPattern, Monomial, Zero };
constexpr GenForm kForms[] = {GenForm::Dense,         GenForm::DensePattern, GenForm::XorMonomial,
                              GenForm::SharedPattern, GenForm::Monomial,     GenForm::Zero};

// nd generators for k targets (row r, column c):
//   Dense         dim x dim random entries (every XOR pattern r ^ c);
//   DensePattern  dim x dim storage, nonzero only at c = r ^ p (one pattern: a rotation given densely);
//   XorMonomial   compact (one coefficient per row at cols[d * dim + r]) with c = r ^ p_d, a pattern per generator;
//   SharedPattern compact, one pattern for all the generators;
//   Monomial      compact, any column per row (on 1 target the reference takes a 2 x 2 monomial to be
//                 diagonal or anti-diagonal, true of the anti-Hermitian generators of unitary gates);
//   Zero          compact, all coefficients zero (the sums must not move).
// Some rows of the compact forms are zero (never the last one).
struct Generators {
  std::vector<std::vector<double>> storage;
  std::vector<const double*> ptrs;
  std::vector<std::uint8_t> cols;
  [[nodiscard]] const std::uint8_t* columns() const { return cols.empty() ? nullptr : cols.data(); }
};

Generators random_generators(int k, int nd, GenForm form, Rng& rng) {
  const std::size_t dim = std::size_t{1} << k;
  const std::size_t shared = rng.below(dim);
  Generators g;
  for (int d = 0; d < nd; ++d) {
    const std::size_t pattern = form == GenForm::SharedPattern ? shared : rng.below(dim);
    if (form == GenForm::Dense || form == GenForm::DensePattern) {
      std::vector<double> m = random_reals(2 * dim * dim, rng);
      if (form == GenForm::DensePattern)
        for (std::size_t r = 0; r < dim; ++r)
          for (std::size_t c = 0; c < dim; ++c)
            if (c != (r ^ pattern)) m[2 * (r * dim + c)] = m[2 * (r * dim + c) + 1] = 0.0;
      g.storage.push_back(std::move(m));
      continue;
    }
    std::vector<double> c = random_reals(2 * dim, rng);
    const bool any_column = form == GenForm::Monomial && k > 1;
    for (std::size_t r = 0; r < dim; ++r) {
      if (form == GenForm::Zero || (r + 1 < dim && rng.uniform() < 0.2)) c[2 * r] = c[2 * r + 1] = 0.0;
      g.cols.push_back(static_cast<std::uint8_t>(any_column ? rng.below(dim) : r ^ pattern));
    }
    g.storage.push_back(std::move(c));
  }
  for (const auto& st : g.storage) g.ptrs.push_back(st.data());
  return g;
}

// A random target matrix; real (as ry's) half of the time.
std::vector<double> random_matrix(std::size_t dim, Rng& rng) {
  std::vector<double> m = random_reals(2 * dim * dim, rng);
  if (rng.uniform() < 0.5)
    for (std::size_t e = 0; e < dim * dim; ++e) m[2 * e + 1] = 0.0;
  return m;
}

// One dense call on the table and on the reference; states, lambda and sums compared.
void check_dense(const AdjointKernelTable<double>& table, Isa isa, int n, const Placement& p, int nd, GenForm form,
                 Rng& rng) {
  const int k = static_cast<int>(p.targets.size());
  const std::size_t dim = std::size_t{1} << k;
  const std::vector<double> m = random_matrix(dim, rng);
  const Generators g = random_generators(k, nd, form, rng);
  const std::vector<double> psi = random_state(n, rng), lam = random_state(n, rng);
  std::vector<double> psi_a = psi, lam_a = lam, psi_b = psi, lam_b = lam;
  const double initial[4] = {0.25, -0.5, 1.0, 2.0};
  double acc_a[4], acc_b[4];
  std::copy(initial, initial + 4, acc_a);
  std::copy(initial, initial + 4, acc_b);
  const Parallelism serial = Parallelism::serial();
  table.dense(psi_a.data(), lam_a.data(), n, p.targets.data(), k, m.data(), g.ptrs.data(), g.columns(), nd, p.cmask,
              p.cval, serial, acc_a);
  reference::adjoint_dense(psi_b.data(), lam_b.data(), n, p.targets.data(), k, m.data(), g.ptrs.data(), g.columns(),
                           nd, p.cmask, p.cval, serial, acc_b);
  const std::string what = "dense " + describe(isa, n, p) + " nd=" + std::to_string(nd) +
                           " form=" + std::to_string(static_cast<int>(form));
  double worst = 0.0;
  for (std::size_t i = 0; i < psi.size(); ++i)
    worst = std::max({worst, std::abs(psi_a[i] - psi_b[i]), std::abs(lam_a[i] - lam_b[i])});
  EXPECT_LE(worst, kTolerance) << what;
  for (int d = 0; d < 4; ++d) EXPECT_NEAR(acc_a[d], acc_b[d], kTolerance) << what << " d=" << d;
  // The sums moved (or not, for zero generators): the test would not see a missing term otherwise.
  if (nd > 0 && form != GenForm::Zero) {
    EXPECT_NE(acc_b[nd - 1], initial[nd - 1]) << what;
  }
  if (form == GenForm::Zero) {
    for (int d = 0; d < 4; ++d) EXPECT_EQ(acc_a[d], initial[d]) << what;
  }
}

void check_diagonal(const AdjointKernelTable<double>& table, Isa isa, int n, const Placement& p, int nd, Rng& rng) {
  const int k = static_cast<int>(p.targets.size());
  const std::size_t dim = std::size_t{1} << k;
  const std::vector<double> m = random_reals(2 * dim, rng);
  std::vector<std::vector<double>> gs;
  std::vector<const double*> ptrs;
  for (int d = 0; d < nd; ++d) gs.push_back(random_reals(2 * dim, rng));
  for (const auto& s : gs) ptrs.push_back(s.data());
  const std::vector<double> psi = random_state(n, rng), lam = random_state(n, rng);
  std::vector<double> psi_a = psi, lam_a = lam, psi_b = psi, lam_b = lam;
  const double initial[4] = {0.5, 0.0, -1.0, 3.0};
  double acc_a[4], acc_b[4];
  std::copy(initial, initial + 4, acc_a);
  std::copy(initial, initial + 4, acc_b);
  const Parallelism serial = Parallelism::serial();
  table.diagonal(psi_a.data(), lam_a.data(), n, p.targets.data(), k, m.data(), ptrs.data(), nd, p.cmask, p.cval,
                 serial, acc_a);
  reference::adjoint_diagonal(psi_b.data(), lam_b.data(), n, p.targets.data(), k, m.data(), ptrs.data(), nd, p.cmask,
                              p.cval, serial, acc_b);
  const std::string what = "diagonal " + describe(isa, n, p) + " nd=" + std::to_string(nd);
  double worst = 0.0;
  for (std::size_t i = 0; i < psi.size(); ++i)
    worst = std::max({worst, std::abs(psi_a[i] - psi_b[i]), std::abs(lam_a[i] - lam_b[i])});
  EXPECT_LE(worst, kTolerance) << what;
  for (int d = 0; d < 4; ++d) EXPECT_NEAR(acc_a[d], acc_b[d], kTolerance) << what << " d=" << d;
  if (nd > 0) {
    EXPECT_NE(acc_b[nd - 1], initial[nd - 1]) << what;
  }
}

void check_permutation(const AdjointKernelTable<double>& table, Isa isa, int n, const Placement& p, Rng& rng) {
  const std::vector<double> psi = random_state(n, rng), lam = random_state(n, rng);
  std::vector<double> psi_a = psi, lam_a = lam, psi_b = psi, lam_b = lam;
  const Parallelism serial = Parallelism::serial();
  if (p.targets.size() == 1) {
    table.pauli_x(psi_a.data(), lam_a.data(), n, p.targets[0], p.cmask, p.cval, serial);
    reference::adjoint_x(psi_b.data(), lam_b.data(), n, p.targets[0], p.cmask, p.cval, serial);
  } else {
    table.swap(psi_a.data(), lam_a.data(), n, p.targets[0], p.targets[1], p.cmask, p.cval, serial);
    reference::adjoint_swap(psi_b.data(), lam_b.data(), n, p.targets[0], p.targets[1], p.cmask, p.cval, serial);
  }
  // Permutations move amplitudes without rounding: exactly equal.
  EXPECT_EQ(psi_a, psi_b) << describe(isa, n, p);
  EXPECT_EQ(lam_a, lam_b) << describe(isa, n, p);
  EXPECT_NE(psi_a, psi) << describe(isa, n, p);
}

// Every 1- and 2-target position on 6 qubits (2 lane qubits, 4 above), every control pattern.
std::vector<Placement> every_placement(int n, int k) {
  std::vector<Placement> out;
  for (Qubit a = 0; a < n; ++a)
    for (Qubit b = 0; b < n; ++b) {
      if (k == 1 && b > 0) break;
      if (k == 2 && a == b) continue;
      const std::vector<Qubit> ts = k == 1 ? std::vector<Qubit>{a} : std::vector<Qubit>{a, b};
      for (const Placement& p : control_patterns(n, ts)) out.push_back(p);
    }
  return out;
}

TEST(AdjointKernelsTest, DenseMatchesReferenceAtEveryPositionControlAndGeneratorForm) {
  Rng rng(21);
  const int n = 6;
  for (Isa isa : supported_isas()) {
    const AdjointKernelTable<double>& table = adjoint_kernel_table(isa);
    for (int k = 1; k <= 2; ++k)
      for (const Placement& p : every_placement(n, k)) {
        check_dense(table, isa, n, p, 0, GenForm::Dense, rng);
        for (int nd = 1; nd <= 4; ++nd)
          for (GenForm form : kForms) check_dense(table, isa, n, p, nd, form, rng);
      }
  }
}

TEST(AdjointKernelsTest, DenseMatchesReferenceOnOtherSizes) {
  Rng rng(22);
  for (Isa isa : supported_isas()) {
    const AdjointKernelTable<double>& table = adjoint_kernel_table(isa);
    for (int n : {2, 3, 4, 5, 9})
      for (int k = 1; k <= std::min(n, 2); ++k)
        for (int draw = 0; draw < 8; ++draw) {
          const Placement p = random_placement(n, k, rng);
          const int nd = static_cast<int>(rng.below(5));
          for (GenForm form : kForms) check_dense(table, isa, n, p, nd, form, rng);
        }
  }
}

TEST(AdjointKernelsTest, DiagonalsMatchReferenceAtEveryPositionAndControl) {
  Rng rng(23);
  for (Isa isa : supported_isas()) {
    const AdjointKernelTable<double>& table = adjoint_kernel_table(isa);
    for (int nd = 0; nd <= 4; ++nd) {
      for (const Placement& p : control_patterns(6, {})) check_diagonal(table, isa, 6, p, nd, rng);  // phases
      for (int k = 1; k <= 2; ++k)
        for (const Placement& p : every_placement(6, k)) check_diagonal(table, isa, 6, p, nd, rng);
    }
    for (int n : {2, 3, 4, 9})
      for (int draw = 0; draw < 10; ++draw) {
        const int k = static_cast<int>(rng.below(3));
        check_diagonal(table, isa, n, random_placement(n, std::min(k, n), rng), static_cast<int>(rng.below(5)), rng);
      }
  }
}

TEST(AdjointKernelsTest, XAndSwapEqualReferenceExactly) {
  Rng rng(24);
  for (Isa isa : supported_isas()) {
    const AdjointKernelTable<double>& table = adjoint_kernel_table(isa);
    for (int k = 1; k <= 2; ++k)
      for (const Placement& p : every_placement(6, k)) check_permutation(table, isa, 6, p, rng);
    for (int n : {2, 3, 9})
      for (int draw = 0; draw < 10; ++draw)
        check_permutation(table, isa, n, random_placement(n, 1 + draw % 2, rng), rng);
  }
}

// The public functions: the active table where it applies, the gate kernels once per vector for
// wider matrices without generators, the reference otherwise (1-qubit states, derivatives of
// 3-target matrices).
TEST(AdjointKernelsTest, PublicFunctionsDispatchToTheActiveTableOrAFallback) {
  Rng rng(25);
  const Parallelism serial = Parallelism::serial();
  const AdjointKernelTable<double>& table = adjoint_kernel_table(active_isa());
  const int n = 7;
  const std::vector<double> psi = random_state(n, rng), lam = random_state(n, rng);
  const std::vector<double> m = random_reals(2 * 64 * 64, rng);
  const Generators g = random_generators(2, 2, GenForm::XorMonomial, rng);
  const Qubit ts[3] = {1, 5, 3};
  {  // 2 targets with generators: the active table, bit for bit
    std::vector<double> pa = psi, la = lam, pb = psi, lb = lam;
    double aa[2] = {}, ab[2] = {};
    adjoint_dense(pa.data(), la.data(), n, ts, 2, m.data(), g.ptrs.data(), g.columns(), 2, bit(6), 0, serial, aa);
    table.dense(pb.data(), lb.data(), n, ts, 2, m.data(), g.ptrs.data(), g.columns(), 2, bit(6), 0, serial, ab);
    EXPECT_EQ(pa, pb);
    EXPECT_EQ(la, lb);
    EXPECT_EQ(aa[0], ab[0]);
    EXPECT_EQ(aa[1], ab[1]);
    adjoint_diagonal(pa.data(), la.data(), n, ts, 2, m.data(), g.ptrs.data(), 2, 0, 0, serial, aa);
    table.diagonal(pb.data(), lb.data(), n, ts, 2, m.data(), g.ptrs.data(), 2, 0, 0, serial, ab);
    adjoint_x(pa.data(), la.data(), n, 2, bit(0), bit(0), serial);
    table.pauli_x(pb.data(), lb.data(), n, 2, bit(0), bit(0), serial);
    adjoint_swap(pa.data(), la.data(), n, 0, 4, 0, 0, serial);
    table.swap(pb.data(), lb.data(), n, 0, 4, 0, 0, serial);
    EXPECT_EQ(pa, pb);
    EXPECT_EQ(la, lb);
    EXPECT_EQ(aa[0], ab[0]);
  }
  {  // 3 targets: gate kernels (nd = 0) to rounding, the reference (nd > 0) exactly
    std::vector<double> pa = psi, la = lam, pb = psi, lb = lam;
    adjoint_dense(pa.data(), la.data(), n, ts, 3, m.data(), nullptr, nullptr, 0, bit(0), bit(0), serial, nullptr);
    reference::adjoint_dense<double>(pb.data(), lb.data(), n, ts, 3, m.data(), nullptr, nullptr, 0, bit(0), bit(0),
                                     serial, nullptr);
    for (std::size_t i = 0; i < pa.size(); ++i) {
      EXPECT_NEAR(pa[i], pb[i], kTolerance);
      EXPECT_NEAR(la[i], lb[i], kTolerance);
    }
    adjoint_diagonal(pa.data(), la.data(), n, ts, 3, m.data(), nullptr, 0, 0, 0, serial, nullptr);
    reference::adjoint_diagonal<double>(pb.data(), lb.data(), n, ts, 3, m.data(), nullptr, 0, 0, 0, serial, nullptr);
    for (std::size_t i = 0; i < pa.size(); ++i) EXPECT_NEAR(pa[i], pb[i], kTolerance);
    const std::vector<double> g3 = random_reals(2 * 64, rng);
    const double* gp = g3.data();
    pb = pa;
    lb = la;
    double aa = 0.0, ab = 0.0;
    adjoint_dense(pa.data(), la.data(), n, ts, 3, m.data(), &gp, nullptr, 1, 0, 0, serial, &aa);
    reference::adjoint_dense(pb.data(), lb.data(), n, ts, 3, m.data(), &gp, nullptr, 1, 0, 0, serial, &ab);
    EXPECT_EQ(pa, pb);
    EXPECT_EQ(aa, ab);
  }
  // A 1-qubit state (below one vector), and a state below kAdjointSimdMinQubits: the reference.
  for (int small : {1, kAdjointSimdMinQubits - 1}) {
    std::vector<double> pa = random_state(small, rng), la = random_state(small, rng);
    std::vector<double> pb = pa, lb = la;
    double aa = 0.0, ab = 0.0;
    const Qubit t = small - 1;
    adjoint_dense(pa.data(), la.data(), small, &t, 1, m.data(), g.ptrs.data(), nullptr, 1, 0, 0, serial, &aa);
    reference::adjoint_dense(pb.data(), lb.data(), small, &t, 1, m.data(), g.ptrs.data(), nullptr, 1, 0, 0, serial,
                             &ab);
    EXPECT_EQ(pa, pb) << small;
    EXPECT_EQ(la, lb) << small;
    EXPECT_EQ(aa, ab) << small;
  }
}

// 17 qubits: 2^15 vectors, so every sum has several chunks of kSumChunk bases (also under two
// controls) and every pass is split between the threads (threshold 0).
TEST(AdjointKernelsTest, TwoThreadsGiveBitIdenticalStatesAndSums) {
  Rng rng(26);
  const int n = 17;
  const Parallelism serial = Parallelism::serial(), two{2, 0};
  const std::vector<double> psi = random_state(n, rng), lam = random_state(n, rng);
  const std::vector<double> m = random_reals(32, rng);
  std::vector<double> mr = m;
  for (std::size_t e = 1; e < mr.size(); e += 2) mr[e] = 0.0;
  for (Isa isa : supported_isas()) {
    const AdjointKernelTable<double>& table = adjoint_kernel_table(isa);
    std::vector<double> pa = psi, la = lam, pb = psi, lb = lam;
    double aa[4] = {}, ab[4] = {};
    struct Case {
      std::vector<Qubit> targets;
      Index cmask, cval;
      int nd;
      GenForm form;
      bool real;
    };
    const Case cases[] = {{{0}, bit(1), 0, 1, GenForm::XorMonomial, false},
                          {{9}, 0, 0, 3, GenForm::Dense, false},
                          {{5}, bit(0), bit(0), 2, GenForm::SharedPattern, true},
                          {{1, 12}, bit(0) | bit(16), bit(16), 2, GenForm::XorMonomial, false},
                          {{14, 3}, 0, 0, 4, GenForm::Dense, true},
                          {{0, 1}, bit(7), bit(7), 2, GenForm::Monomial, false}};
    for (const Case& c : cases) {
      const int k = static_cast<int>(c.targets.size());
      const Generators g = random_generators(k, c.nd, c.form, rng);
      const std::vector<double>& mm = c.real ? mr : m;
      table.dense(pa.data(), la.data(), n, c.targets.data(), k, mm.data(), g.ptrs.data(), g.columns(), c.nd, c.cmask,
                  c.cval, serial, aa);
      table.dense(pb.data(), lb.data(), n, c.targets.data(), k, mm.data(), g.ptrs.data(), g.columns(), c.nd, c.cmask,
                  c.cval, two, ab);
      table.diagonal(pa.data(), la.data(), n, c.targets.data(), k, m.data(), g.ptrs.data(), c.nd, c.cmask, c.cval,
                     serial, aa);
      table.diagonal(pb.data(), lb.data(), n, c.targets.data(), k, m.data(), g.ptrs.data(), c.nd, c.cmask, c.cval, two,
                     ab);
      table.pauli_x(pa.data(), la.data(), n, c.targets[0], c.cmask, c.cval, serial);
      table.pauli_x(pb.data(), lb.data(), n, c.targets[0], c.cmask, c.cval, two);
      if (k == 2) {
        table.swap(pa.data(), la.data(), n, c.targets[0], c.targets[1], c.cmask, c.cval, serial);
        table.swap(pb.data(), lb.data(), n, c.targets[0], c.targets[1], c.cmask, c.cval, two);
      }
    }
    EXPECT_EQ(pa, pb) << isa_name(isa);
    EXPECT_EQ(la, lb) << isa_name(isa);
    for (int d = 0; d < 4; ++d) EXPECT_EQ(aa[d], ab[d]) << isa_name(isa) << " d=" << d;
  }
}

}  // namespace
}  // namespace qmlsim::kernels

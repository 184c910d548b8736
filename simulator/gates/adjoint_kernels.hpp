#pragma once
/// Two-vector kernels for the adjoint gradient's backward sweep (execution/gradient.hpp). Each
/// call is ONE pass over the psi and lambda vectors: it applies M^dagger to both and, when
/// generator matrices are given, accumulates
///     acc[d] += Re <lambda | G_d | psi>,   G_d = (dM/da_d) M^dagger,
/// reading both vectors before they are updated: Re <lambda| dM/da |M^dagger psi> without forming
/// M^dagger psi twice. Sharing the pass is what keeps a full gradient near three forward runs:
/// the plain algorithm streams the vectors once more per gate. For rotation-type angles G_d is
/// -i/2 times a Pauli string (conjugated by a diagonal): one nonzero per row. Such *monomial*
/// generators are passed compactly (`cols` non-null: gens[d] holds one coefficient per row r,
/// at column cols[d * Dim + r]), which halves the derivative's arithmetic.
///
/// Conventions as in kernels_reference.hpp: interleaved (re, im) reals, target j = matrix index bit j,
/// controls as a (mask, value) pair walked as a subspace (the derivative of a controlled gate is
/// zero outside it), at most one parallel region per call. Sums are reduced in fixed chunks in
/// double (parallel_sums), so `acc` is bit-identical on any thread count. `mdag` is the adjoint
/// (conjugate transpose) of the target matrix, prepared by the caller; for Diagonal/Phase records,
/// `mdag` and `gens[d]` hold diagonals (2^k and 1 entries).
///
/// Two implementations:
/// - kernels::adjoint_* (double): the vectorised kernels (adjoint_simd.hpp, compiled per
///   instruction set like the gate kernels of kernels.hpp and chosen by active_isa()) for 1-2
///   target dense matrices, 0-2 target diagonals, X and SWAP, which covers every parametric
///   gate, on states of kAdjointSimdMinQubits (5) qubits or more. Without generators (nd == 0),
///   wider matrices and diagonals go through the vectorised gate kernels, once per vector (the
///   same memory traffic as one fused pass). The rest (derivatives on 3+ targets, smaller states)
///   uses the reference kernels below. Results agree with the reference to rounding (FMA
///   contraction, another summation order inside a chunk); on a given machine they are
///   bit-identical on any thread count.
/// - kernels::reference::adjoint_* (any R): plain scalar loops, the oracle of the tests.
#include <cstddef>
#include <cstdint>

#include "simulator/gates/kernels.hpp"
#include "simulator/gates/kernels_reference.hpp"

namespace qmlsim::kernels {

namespace detail {

// y = m x for a Dim x Dim complex matrix (interleaved).
template <class R, int Dim>
inline void matvec(const R* m, const R* x, R* y) noexcept {
  for (int r = 0; r < Dim; ++r) {
    R re = 0, im = 0;
    const R* row = m + 2 * Dim * r;
    for (int c = 0; c < Dim; ++c) {
      re += row[2 * c] * x[2 * c] - row[2 * c + 1] * x[2 * c + 1];
      im += row[2 * c] * x[2 * c + 1] + row[2 * c + 1] * x[2 * c];
    }
    y[2 * r] = re;
    y[2 * r + 1] = im;
  }
}

// Re <w | D v> for a Dim x Dim matrix D.
template <class R, int Dim>
inline double re_inner_matvec(const R* d, const R* w, const R* v) noexcept {
  double s = 0.0;
  for (int r = 0; r < Dim; ++r) {
    R re = 0, im = 0;
    const R* row = d + 2 * Dim * r;
    for (int c = 0; c < Dim; ++c) {
      re += row[2 * c] * v[2 * c] - row[2 * c + 1] * v[2 * c + 1];
      im += row[2 * c] * v[2 * c + 1] + row[2 * c + 1] * v[2 * c];
    }
    s += static_cast<double>(w[2 * r]) * re + static_cast<double>(w[2 * r + 1]) * im;
  }
  return s;
}

// Re <w | G v> for a monomial G: row r has coefficient c[r] at column col[r].
template <class R, int Dim>
inline double re_inner_monomial(const R* c, const std::uint8_t* col, const R* w, const R* v) noexcept {
  double s = 0.0;
  for (int r = 0; r < Dim; ++r) {
    const R* x = v + 2 * col[r];
    const R re = c[2 * r] * x[0] - c[2 * r + 1] * x[1];
    const R im = c[2 * r] * x[1] + c[2 * r + 1] * x[0];
    s += static_cast<double>(w[2 * r]) * re + static_cast<double>(w[2 * r + 1]) * im;
  }
  return s;
}

template <class R, int Dim>
void adjoint_dense(R* psi, R* lam, int n, const Qubit* targets, int k, const R* mdag, const R* const* gens,
                   const std::uint8_t* cols, int nd, Index cmask, Index cval, const Parallelism& par,
                   double* acc) noexcept {
  const Subspace sub(n, targets, k, cmask, cval);
  Index o[Dim];
  for (int j = 0; j < Dim; ++j) o[j] = deposit_bits(static_cast<Index>(j), targets, k);
  auto body = [&](Index b, Index e, double* sums) noexcept {
    R v[2 * Dim], w[2 * Dim], vp[2 * Dim], wp[2 * Dim];
    double local[4] = {0.0, 0.0, 0.0, 0.0};  // in registers: `sums` may alias the vectors
    for (Index kk = b; kk < e; ++kk) {
      const Index i0 = sub.base(kk);
      for (int j = 0; j < Dim; ++j) {
        const Index i = 2 * (i0 | o[j]);
        v[2 * j] = psi[i];
        v[2 * j + 1] = psi[i + 1];
        w[2 * j] = lam[i];
        w[2 * j + 1] = lam[i + 1];
      }
      if (cols) {
        for (int d = 0; d < nd; ++d) local[d] += re_inner_monomial<R, Dim>(gens[d], cols + d * Dim, w, v);
      } else {
        for (int d = 0; d < nd; ++d) local[d] += re_inner_matvec<R, Dim>(gens[d], w, v);
      }
      matvec<R, Dim>(mdag, v, vp);
      matvec<R, Dim>(mdag, w, wp);
      for (int j = 0; j < Dim; ++j) {
        const Index i = 2 * (i0 | o[j]);
        psi[i] = vp[2 * j];
        psi[i + 1] = vp[2 * j + 1];
        lam[i] = wp[2 * j];
        lam[i + 1] = wp[2 * j + 1];
      }
    }
    for (int d = 0; d < nd; ++d) sums[d] += local[d];
  };
  const Parallelism p = scaled(par, 2 * Dim);
  if (nd == 0) {
    parallel_for(sub.count, kBlock, p, [&](Index b, Index e) noexcept { body(b, e, nullptr); });
  } else {
    double out[4];
    parallel_sums(sub.count, static_cast<std::size_t>(nd), out, p, body);
    for (int d = 0; d < nd; ++d) acc[d] += out[d];
  }
}

// The one-target case written out with scalars and the generator count as a constant: the
// common rotation gates, kept in registers.
template <class R, int ND, bool Monomial>
void adjoint_matrix1(R* psi, R* lam, int n, Qubit t, const R* md, const R* const* gens, const std::uint8_t* cols,
                     Index cmask, Index cval, const Parallelism& par, double* acc) noexcept {
  const Subspace sub(n, &t, 1, cmask, cval);
  const Index off = bit(t);
  R m[8];  // local copies: the vectors' stores could otherwise alias the matrices
  std::copy(md, md + 8, m);
  R g[ND > 0 ? ND : 1][8];
  std::uint8_t c[ND > 0 ? ND : 1][2];
  for (int d = 0; d < ND; ++d) {
    for (int j = 0; j < (Monomial ? 4 : 8); ++j) g[d][j] = gens[d][j];
    if constexpr (Monomial) c[d][0] = cols[2 * d], c[d][1] = cols[2 * d + 1];
  }
  auto body = [&](Index b, Index e, double* sums) noexcept {
    double local[ND > 0 ? ND : 1] = {};
    for (Index kk = b; kk < e; ++kk) {
      const Index i0 = sub.base(kk), i1 = i0 | off;
      R* p0 = psi + 2 * i0;
      R* p1 = psi + 2 * i1;
      R* l0 = lam + 2 * i0;
      R* l1 = lam + 2 * i1;
      if constexpr (ND > 0) {
        const R v[4] = {p0[0], p0[1], p1[0], p1[1]};
        const R w[4] = {l0[0], l0[1], l1[0], l1[1]};
        for (int d = 0; d < ND; ++d) {
          if constexpr (Monomial) {
            // A 2 x 2 monomial is diagonal or anti-diagonal: select, do not index the stack.
            const bool anti = c[d][0] != 0;
            const R x0r = anti ? v[2] : v[0], x0i = anti ? v[3] : v[1];
            const R x1r = anti ? v[0] : v[2], x1i = anti ? v[1] : v[3];
            const R r0 = g[d][0] * x0r - g[d][1] * x0i, i0v = g[d][0] * x0i + g[d][1] * x0r;
            const R r1 = g[d][2] * x1r - g[d][3] * x1i, i1v = g[d][2] * x1i + g[d][3] * x1r;
            // One add on the accumulator's dependency chain per pair, not four.
            local[d] += (static_cast<double>(w[0]) * r0 + static_cast<double>(w[1]) * i0v) +
                        (static_cast<double>(w[2]) * r1 + static_cast<double>(w[3]) * i1v);
          } else {
            local[d] += re_inner_matvec<R, 2>(g[d], w, v);
          }
        }
      }
      apply_2x2(m, p0, p1);
      apply_2x2(m, l0, l1);
    }
    for (int d = 0; d < ND; ++d) sums[d] += local[d];
  };
  const Parallelism p = scaled(par, 4);
  if constexpr (ND == 0) {
    parallel_for(sub.count, kBlock, p, [&](Index b, Index e) noexcept { body(b, e, nullptr); });
  } else {
    double out[ND];
    parallel_sums(sub.count, static_cast<std::size_t>(ND), out, p, body);
    for (int d = 0; d < ND; ++d) acc[d] += out[d];
  }
}

template <class R, int ND>
void adjoint_matrix1(R* psi, R* lam, int n, Qubit t, const R* md, const R* const* gens, const std::uint8_t* cols,
                     Index cmask, Index cval, const Parallelism& par, double* acc) noexcept {
  if (cols) {
    adjoint_matrix1<R, ND, true>(psi, lam, n, t, md, gens, cols, cmask, cval, par, acc);
  } else {
    adjoint_matrix1<R, ND, false>(psi, lam, n, t, md, gens, cols, cmask, cval, par, acc);
  }
}

template <class R>
void adjoint_matrix1(R* psi, R* lam, int n, Qubit t, const R* md, const R* const* gens, const std::uint8_t* cols,
                     int nd, Index cmask, Index cval, const Parallelism& par, double* acc) noexcept {
  switch (nd) {
    case 0: adjoint_matrix1<R, 0>(psi, lam, n, t, md, gens, cols, cmask, cval, par, acc); return;
    case 1: adjoint_matrix1<R, 1>(psi, lam, n, t, md, gens, cols, cmask, cval, par, acc); return;
    case 2: adjoint_matrix1<R, 2>(psi, lam, n, t, md, gens, cols, cmask, cval, par, acc); return;
    case 3: adjoint_matrix1<R, 3>(psi, lam, n, t, md, gens, cols, cmask, cval, par, acc); return;
    default: adjoint_matrix1<R, 4>(psi, lam, n, t, md, gens, cols, cmask, cval, par, acc); return;
  }
}

}  // namespace detail

namespace reference {

/// Dense target matrix on k = 1..6 targets; nd <= 4 generators.
template <class R>
void adjoint_dense(R* psi, R* lam, int n, const Qubit* targets, int k, const R* mdag, const R* const* gens,
                   const std::uint8_t* cols, int nd, Index cmask, Index cval, const Parallelism& par,
                   double* acc) noexcept {
  switch (k) {
    case 1: detail::adjoint_matrix1(psi, lam, n, targets[0], mdag, gens, cols, nd, cmask, cval, par, acc); return;
    case 2: detail::adjoint_dense<R, 4>(psi, lam, n, targets, k, mdag, gens, cols, nd, cmask, cval, par, acc); return;
    case 3: detail::adjoint_dense<R, 8>(psi, lam, n, targets, k, mdag, gens, cols, nd, cmask, cval, par, acc); return;
    case 4: detail::adjoint_dense<R, 16>(psi, lam, n, targets, k, mdag, gens, cols, nd, cmask, cval, par, acc); return;
    case 5: detail::adjoint_dense<R, 32>(psi, lam, n, targets, k, mdag, gens, cols, nd, cmask, cval, par, acc); return;
    default: detail::adjoint_dense<R, 64>(psi, lam, n, targets, k, mdag, gens, cols, nd, cmask, cval, par, acc); return;
  }
}

/// Diagonal target matrix on k = 0..6 targets (k = 0: a phase on the controlled subspace).
/// `mdag` and `gens[d]` are diagonals of 2^k complex entries.
template <class R>
void adjoint_diagonal(R* psi, R* lam, int n, const Qubit* targets, int k, const R* mdag, const R* const* gens,
                      int nd, Index cmask, Index cval, const Parallelism& par, double* acc) noexcept {
  if (k == 1 && nd <= 1) {
    // One target (rz, p, crz, cp, ...): walk amplitude pairs, no bit extraction per amplitude.
    const Subspace pairs(n, targets, 1, cmask, cval);
    const Index off = bit(targets[0]);
    const R m0r = mdag[0], m0i = mdag[1], m1r = mdag[2], m1i = mdag[3];
    const R g0r = nd ? gens[0][0] : R(0), g0i = nd ? gens[0][1] : R(0);
    const R g1r = nd ? gens[0][2] : R(0), g1i = nd ? gens[0][3] : R(0);
    auto body = [&](Index b, Index e, double* sums) noexcept {
      double local = 0.0;
      for (Index kk = b; kk < e; ++kk) {
        const Index i0 = pairs.base(kk), i1 = i0 | off;
        R* a0 = psi + 2 * i0;
        R* a1 = psi + 2 * i1;
        R* l0 = lam + 2 * i0;
        R* l1 = lam + 2 * i1;
        if (sums) {
          const double u0r = static_cast<double>(g0r) * a0[0] - static_cast<double>(g0i) * a0[1];
          const double u0i = static_cast<double>(g0r) * a0[1] + static_cast<double>(g0i) * a0[0];
          const double u1r = static_cast<double>(g1r) * a1[0] - static_cast<double>(g1i) * a1[1];
          const double u1i = static_cast<double>(g1r) * a1[1] + static_cast<double>(g1i) * a1[0];
          local += (static_cast<double>(l0[0]) * u0r + static_cast<double>(l0[1]) * u0i) +
                   (static_cast<double>(l1[0]) * u1r + static_cast<double>(l1[1]) * u1i);
        }
        mul_phase(a0, m0r, m0i);
        mul_phase(a1, m1r, m1i);
        mul_phase(l0, m0r, m0i);
        mul_phase(l1, m1r, m1i);
      }
      if (sums) sums[0] += local;
    };
    const Parallelism p = scaled(par, 4);
    if (nd == 0) {
      parallel_for(pairs.count, kBlock, p, [&](Index b, Index e) noexcept { body(b, e, nullptr); });
    } else {
      double out[1];
      parallel_sums(pairs.count, 1, out, p, body);
      acc[0] += out[0];
    }
    return;
  }
  const Subspace sub(n, nullptr, 0, cmask, cval);
  auto body = [&](Index b, Index e, double* sums) noexcept {
    double local[4] = {0.0, 0.0, 0.0, 0.0};  // in registers: `sums` may alias the vectors
    for (Index kk = b; kk < e; ++kk) {
      const Index i = sub.base(kk);
      const Index j = extract_bits(i, targets, k);
      R* a = psi + 2 * i;
      R* l = lam + 2 * i;
      for (int d = 0; d < nd; ++d) {
        const R dr = gens[d][2 * j], di = gens[d][2 * j + 1];
        // Re( conj(l) * (D_j a) )
        const double ur = static_cast<double>(dr) * a[0] - static_cast<double>(di) * a[1];
        const double ui = static_cast<double>(dr) * a[1] + static_cast<double>(di) * a[0];
        local[d] += (static_cast<double>(l[0]) * ur + static_cast<double>(l[1]) * ui);
      }
      mul_phase(a, mdag[2 * j], mdag[2 * j + 1]);
      mul_phase(l, mdag[2 * j], mdag[2 * j + 1]);
    }
    for (int d = 0; d < nd; ++d) sums[d] += local[d];
  };
  if (nd == 0) {
    parallel_for(sub.count, kBlock, par, [&](Index b, Index e) noexcept { body(b, e, nullptr); });
  } else {
    double out[4];
    parallel_sums(sub.count, static_cast<std::size_t>(nd), out, par, body);
    for (int d = 0; d < nd; ++d) acc[d] += out[d];
  }
}

/// Pauli X on t (with controls) applied to both vectors in one pass (X is its own adjoint).
template <class R>
void adjoint_x(R* psi, R* lam, int n, Qubit t, Index cmask, Index cval, const Parallelism& par) noexcept {
  const Subspace sub(n, &t, 1, cmask, cval);
  const Index off = bit(t);
  parallel_for(sub.count, kBlock, scaled(par, 4), [&](Index b, Index e) noexcept {
    for (Index k = b; k < e; ++k) {
      const Index i0 = sub.base(k), i1 = i0 | off;
      std::swap(psi[2 * i0], psi[2 * i1]);
      std::swap(psi[2 * i0 + 1], psi[2 * i1 + 1]);
      std::swap(lam[2 * i0], lam[2 * i1]);
      std::swap(lam[2 * i0 + 1], lam[2 * i1 + 1]);
    }
  });
}

/// SWAP of qubits a and b (with controls) on both vectors in one pass.
template <class R>
void adjoint_swap(R* psi, R* lam, int n, Qubit a, Qubit bq, Index cmask, Index cval, const Parallelism& par) noexcept {
  const Qubit ts[2] = {a, bq};
  const Subspace sub(n, ts, 2, cmask, cval);
  const Index oa = bit(a), ob = bit(bq);
  parallel_for(sub.count, kBlock, scaled(par, 4), [&](Index b, Index e) noexcept {
    for (Index k = b; k < e; ++k) {
      const Index i = sub.base(k), i01 = i | oa, i10 = i | ob;
      std::swap(psi[2 * i01], psi[2 * i10]);
      std::swap(psi[2 * i01 + 1], psi[2 * i10 + 1]);
      std::swap(lam[2 * i01], lam[2 * i10]);
      std::swap(lam[2 * i01 + 1], lam[2 * i10 + 1]);
    }
  });
}

}  // namespace reference

/// One instruction set's vectorised two-vector kernels (double precision). Preconditions, which
/// the adjoint_* functions below check before choosing them: n >= 2 (one SIMD vector), nd <= 4,
/// 1 <= k <= 2 for `dense`, 0 <= k <= 2 for `diagonal` (k = 0: a phase on the controlled subspace).
template <class R>
struct AdjointKernelTable {
  void (*dense)(R* psi, R* lam, int n, const Qubit* targets, int k, const R* mdag, const R* const* gens,
                const std::uint8_t* cols, int nd, Index cmask, Index cval, const Parallelism& par,
                double* acc) noexcept;
  void (*diagonal)(R* psi, R* lam, int n, const Qubit* targets, int k, const R* mdag, const R* const* gens, int nd,
                   Index cmask, Index cval, const Parallelism& par, double* acc) noexcept;
  void (*pauli_x)(R* psi, R* lam, int n, Qubit t, Index cmask, Index cval, const Parallelism& par) noexcept;
  void (*swap)(R* psi, R* lam, int n, Qubit a, Qubit b, Index cmask, Index cval, const Parallelism& par) noexcept;
};

/// Most generators (derivative angles) of one call: a gate's parameter count.
inline constexpr int kAdjointMaxGenerators = 4;
/// Largest target count of the vectorised dense and diagonal two-vector kernels.
inline constexpr int kAdjointSimdMaxTargets = 2;
/// The adjoint_* functions below use the vectorised kernels from this state size on: below it,
/// their fixed cost (coefficient tables, base walk) exceeds the scalar pass (measured: about
/// equal at 5 qubits, the scalar pass up to 2x faster at 2-4, 2-3x slower at 8).
inline constexpr int kAdjointSimdMinQubits = 5;

/// The kernels of `isa`, which must be supported (the tests compare every supported one).
/// Double precision only: the gradient's state vectors are double.
[[nodiscard]] const AdjointKernelTable<double>& adjoint_kernel_table(Isa isa) noexcept;

/// Dense target matrix on k = 1..6 targets; nd <= 4 generators.
void adjoint_dense(double* psi, double* lam, int n, const Qubit* targets, int k, const double* mdag,
                   const double* const* gens, const std::uint8_t* cols, int nd, Index cmask, Index cval,
                   const Parallelism& par, double* acc) noexcept;
/// Diagonal target matrix on k = 0..6 targets (k = 0: a phase on the controlled subspace).
/// `mdag` and `gens[d]` are diagonals of 2^k complex entries.
void adjoint_diagonal(double* psi, double* lam, int n, const Qubit* targets, int k, const double* mdag,
                      const double* const* gens, int nd, Index cmask, Index cval, const Parallelism& par,
                      double* acc) noexcept;
/// Pauli X on t (with controls) applied to both vectors in one pass (X is its own adjoint).
void adjoint_x(double* psi, double* lam, int n, Qubit t, Index cmask, Index cval, const Parallelism& par) noexcept;
/// SWAP of qubits a and b (with controls) on both vectors in one pass.
void adjoint_swap(double* psi, double* lam, int n, Qubit a, Qubit b, Index cmask, Index cval,
                  const Parallelism& par) noexcept;

}  // namespace qmlsim::kernels

#pragma once
/// The reference gate kernels: plain scalar loops, one amplitude (pair) at a time, written for
/// clarity. The optimised kernels (kernels.hpp) are tested against them on random states and
/// fall back to them where vectors do not apply (states smaller than one SIMD vector, 6-qubit
/// matrices with targets inside a vector). Measurement kernels (probability_one, collapse) live
/// here only: they run once per measurement, not once per gate.
///
/// Conventions shared by all kernels: free noexcept functions on a raw interleaved
/// (re, im, re, im, ...) amplitude array of 2^n entries, plus integers, masks and small matrices.
/// No allocation, no virtual calls, no knowledge of Circuit. Real and imaginary parts are
/// computed explicitly.
///
/// Controls: a (mask, value) pair. Only amplitudes whose bits under `cmask` equal `cval` are
/// touched; the loops enumerate that subspace directly (the controlled part only).
/// Matrices: row-major, interleaved reals, dimension 2^k for k targets, target j = index bit j.
/// Threads: every kernel makes at most one parallel region (core/parallel.hpp), and the
/// arithmetic on each amplitude does not depend on the thread count.
#include <algorithm>
#include <array>

#include "simulator/core/bits.hpp"
#include "simulator/core/parallel.hpp"
#include "simulator/core/types.hpp"

namespace qmlsim::kernels {

/// The subspace a kernel walks: amplitudes base(k) + offset, k in [0, count), where base(k)
/// inserts zeros at the target and control positions and sets the control values.
struct Subspace {
  std::array<Qubit, 64> fixed;  // sorted positions of targets and controls ([0, num_fixed) only: no zero-fill)
  int num_fixed = 0;
  Index cval = 0;
  Index count = 0;  // number of bases

  Subspace(int n, const Qubit* targets, int k, Index cmask, Index cval_) noexcept : cval(cval_) {
    for (int j = 0; j < k; ++j) fixed[static_cast<std::size_t>(num_fixed++)] = targets[j];
    for (Index m = cmask; m; m &= m - 1) fixed[static_cast<std::size_t>(num_fixed++)] = std::countr_zero(m);
    std::sort(fixed.begin(), fixed.begin() + num_fixed);
    count = Index{1} << (n - num_fixed);
  }
  [[nodiscard]] Index base(Index k) const noexcept { return insert_zero_bits(k, fixed.data(), num_fixed) | cval; }
};

/// Policy for a loop of `count` bases that each touch `per_base` amplitudes: the threshold is
/// measured in amplitudes.
[[nodiscard]] inline Parallelism scaled(const Parallelism& par, Index per_base) noexcept {
  return Parallelism{par.threads, std::max<Index>(par.threshold / per_base, 1)};
}

/// Applies a 2x2 matrix m (8 reals) to the amplitude pair (a, b).
template <class R>
inline void apply_2x2(const R* m, R* a, R* b) noexcept {
  const R ar = a[0], ai = a[1], br = b[0], bi = b[1];
  a[0] = m[0] * ar - m[1] * ai + m[2] * br - m[3] * bi;
  a[1] = m[0] * ai + m[1] * ar + m[2] * bi + m[3] * br;
  b[0] = m[4] * ar - m[5] * ai + m[6] * br - m[7] * bi;
  b[1] = m[4] * ai + m[5] * ar + m[6] * bi + m[7] * br;
}

/// (re, im) *= (pr, pi)
template <class R>
inline void mul_phase(R* a, R pr, R pi) noexcept {
  const R ar = a[0], ai = a[1];
  a[0] = ar * pr - ai * pi;
  a[1] = ar * pi + ai * pr;
}

namespace reference {

/// Dense 1-qubit matrix on target t.
template <class R>
void apply_matrix1(R* psi, int n, Qubit t, const R* m, Index cmask, Index cval, const Parallelism& par) noexcept {
  const Subspace sub(n, &t, 1, cmask, cval);
  const Index off = bit(t);
  parallel_for(sub.count, kBlock, scaled(par, 2), [&](Index b, Index e) noexcept {
    for (Index k = b; k < e; ++k) {
      const Index i0 = sub.base(k);
      apply_2x2(m, psi + 2 * i0, psi + 2 * (i0 | off));
    }
  });
}

/// Dense 2-qubit matrix on (t0, t1), t0 = matrix bit 0. m has 32 reals.
template <class R>
void apply_matrix2(R* psi, int n, Qubit t0, Qubit t1, const R* m, Index cmask, Index cval,
                   const Parallelism& par) noexcept {
  const Qubit ts[2] = {t0, t1};
  const Subspace sub(n, ts, 2, cmask, cval);
  const Index o[4] = {0, bit(t0), bit(t1), bit(t0) | bit(t1)};
  parallel_for(sub.count, kBlock, scaled(par, 4), [&](Index b, Index e) noexcept {
    for (Index k = b; k < e; ++k) {
      const Index i0 = sub.base(k);
      R v[8];
      for (int j = 0; j < 4; ++j) {
        v[2 * j] = psi[2 * (i0 | o[j])];
        v[2 * j + 1] = psi[2 * (i0 | o[j]) + 1];
      }
      for (int r = 0; r < 4; ++r) {
        R re = 0, im = 0;
        for (int c = 0; c < 4; ++c) {
          const R mr = m[8 * r + 2 * c], mi = m[8 * r + 2 * c + 1];
          re += mr * v[2 * c] - mi * v[2 * c + 1];
          im += mr * v[2 * c + 1] + mi * v[2 * c];
        }
        psi[2 * (i0 | o[r])] = re;
        psi[2 * (i0 | o[r]) + 1] = im;
      }
    }
  });
}

/// Dense k-qubit matrix (1 <= k <= 6) on targets[0..k).
template <class R>
void apply_matrixk(R* psi, int n, const Qubit* targets, int k, const R* m, Index cmask, Index cval,
                   const Parallelism& par) noexcept {
  const Subspace sub(n, targets, k, cmask, cval);
  const int dim = 1 << k;
  Index o[64];
  for (int j = 0; j < dim; ++j) o[j] = deposit_bits(static_cast<Index>(j), targets, k);
  parallel_for(sub.count, kBlock, scaled(par, static_cast<Index>(dim)), [&](Index b, Index e) noexcept {
    R v[128];
    for (Index kk = b; kk < e; ++kk) {
      const Index i0 = sub.base(kk);
      for (int j = 0; j < dim; ++j) {
        v[2 * j] = psi[2 * (i0 | o[j])];
        v[2 * j + 1] = psi[2 * (i0 | o[j]) + 1];
      }
      for (int r = 0; r < dim; ++r) {
        R re = 0, im = 0;
        const R* row = m + 2 * dim * r;
        for (int c = 0; c < dim; ++c) {
          re += row[2 * c] * v[2 * c] - row[2 * c + 1] * v[2 * c + 1];
          im += row[2 * c] * v[2 * c + 1] + row[2 * c + 1] * v[2 * c];
        }
        psi[2 * (i0 | o[r])] = re;
        psi[2 * (i0 | o[r]) + 1] = im;
      }
    }
  });
}

/// Diagonal matrix d (2^k complex = 2^(k+1) reals) on targets[0..k), k <= 6.
template <class R>
void apply_diagonal(R* psi, int n, const Qubit* targets, int k, const R* d, Index cmask, Index cval,
                    const Parallelism& par) noexcept {
  // Walk the controlled subspace amplitude by amplitude: only the controls are fixed.
  const Subspace sub(n, nullptr, 0, cmask, cval);
  parallel_for(sub.count, kBlock, par, [&](Index b, Index e) noexcept {
    for (Index kk = b; kk < e; ++kk) {
      const Index i = sub.base(kk);
      const Index j = extract_bits(i, targets, k);
      mul_phase(psi + 2 * i, d[2 * j], d[2 * j + 1]);
    }
  });
}

/// Pauli X on t (cx, ccx, c3x, c4x with controls): swaps amplitude pairs.
template <class R>
void apply_x(R* psi, int n, Qubit t, Index cmask, Index cval, const Parallelism& par) noexcept {
  const Subspace sub(n, &t, 1, cmask, cval);
  const Index off = bit(t);
  parallel_for(sub.count, kBlock, scaled(par, 2), [&](Index b, Index e) noexcept {
    for (Index k = b; k < e; ++k) {
      const Index i0 = sub.base(k), i1 = i0 | off;
      std::swap(psi[2 * i0], psi[2 * i1]);
      std::swap(psi[2 * i0 + 1], psi[2 * i1 + 1]);
    }
  });
}

/// SWAP of qubits a and b (cswap with controls).
template <class R>
void apply_swap(R* psi, int n, Qubit a, Qubit bq, Index cmask, Index cval, const Parallelism& par) noexcept {
  const Qubit ts[2] = {a, bq};
  const Subspace sub(n, ts, 2, cmask, cval);
  const Index oa = bit(a), ob = bit(bq);
  parallel_for(sub.count, kBlock, scaled(par, 2), [&](Index b, Index e) noexcept {
    for (Index k = b; k < e; ++k) {
      const Index i = sub.base(k), i01 = i | oa, i10 = i | ob;
      std::swap(psi[2 * i01], psi[2 * i10]);
      std::swap(psi[2 * i01 + 1], psi[2 * i10 + 1]);
    }
  });
}

/// Multiplies the controlled subspace (the whole state when cmask == 0) by the phase (pr, pi).
template <class R>
void apply_phase(R* psi, int n, R pr, R pi, Index cmask, Index cval, const Parallelism& par) noexcept {
  const Subspace sub(n, nullptr, 0, cmask, cval);
  parallel_for(sub.count, kBlock, par, [&](Index b, Index e) noexcept {
    for (Index k = b; k < e; ++k) mul_phase(psi + 2 * sub.base(k), pr, pi);
  });
}

/// Probability that qubit q reads 1 (deterministic reduction).
template <class R>
[[nodiscard]] double probability_one(const R* psi, int n, Qubit q, const Parallelism& par) noexcept {
  const Subspace sub(n, &q, 1, 0, 0);
  const Index off = bit(q);
  return parallel_sum(sub.count, scaled(par, 2), [&](Index b, Index e) noexcept {
    double s = 0.0;
    for (Index k = b; k < e; ++k) {
      const Index i = sub.base(k) | off;
      s += static_cast<double>(psi[2 * i]) * psi[2 * i] + static_cast<double>(psi[2 * i + 1]) * psi[2 * i + 1];
    }
    return s;
  });
}

/// Projects qubit q onto `outcome` and scales by `scale` (1/sqrt(p)); with `reset`, the kept
/// amplitudes move to the |0> branch (measure then X if 1). One pass.
template <class R>
void collapse(R* psi, int n, Qubit q, int outcome, R scale, bool reset, const Parallelism& par) noexcept {
  const Subspace sub(n, &q, 1, 0, 0);
  const Index off = bit(q);
  parallel_for(sub.count, kBlock, scaled(par, 2), [&](Index b, Index e) noexcept {
    for (Index k = b; k < e; ++k) {
      const Index i0 = sub.base(k), i1 = i0 | off;
      R* keep = psi + 2 * (outcome ? i1 : i0);
      R* drop = psi + 2 * (outcome ? i0 : i1);
      const R kr = keep[0] * scale, ki = keep[1] * scale;
      drop[0] = drop[1] = R(0);
      R* dst = (reset && outcome) ? drop : keep;
      if (dst != keep) keep[0] = keep[1] = R(0);
      dst[0] = kr;
      dst[1] = ki;
    }
  });
}

}  // namespace reference
}  // namespace qmlsim::kernels

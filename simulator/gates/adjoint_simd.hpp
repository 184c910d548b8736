// The vectorised two-vector kernels of the adjoint gradient's backward sweep (contract:
// adjoint_kernels.hpp). Like kernels_simd.hpp, whose vectors, lane permutations, Split and base
// walk it uses, this file is included by adjoint_<isa>.cpp only, inside the instruction set's
// `#pragma GCC target` region, after every other header (see kernels_simd.hpp for why).
//
// One pass per record over psi and lambda. Per base (the vectors v0 + offset(h) of the high
// target combinations h), both vectors are loaded once and the lane permutations of the low
// targets are formed once per vector, shared by M^dagger and the derivative terms:
// - the derivative terms are not formed per generator: for each XOR pattern the generators use,
//   the pass accumulates lane-wise products of lambda with the (permuted) psi in vector
//   accumulators, and the generators' per-lane coefficients, constant over the bases, are applied
//   to those sums once per chunk (see adjoint_lanes). A rotation (one pattern) costs two FMAs per
//   output vector whatever the number of generators;
// - M^dagger is applied to both vectors with per-lane coefficients (identity in the lanes that
//   fail a low control); a real M^dagger (ry, h, ...) skips the imaginary half.
// Measured per gate (ry, rz, controlled X on 12-20 qubits, AVX-512 on a Zen 4 core): this pass
// costs 1.3-2.2x one forward gate pass (which streams one vector, this pass two); the scalar
// fused pass cost 4-8x.
//
// Determinism: the derivative sums go through parallel_sums, which calls the chunk body on fixed
// chunks of kSumChunk bases in index order whatever the thread count; inside a chunk the vector
// accumulators are updated base by base in walk order and reduced lane by lane in a fixed order.
// The chunk body is one compiled function for the serial and the threaded path.
#if !defined(QMLSIM_KERNEL_ISA)
#error "adjoint_simd.hpp is included by adjoint_<isa>.cpp only"
#endif

// NOLINTBEGIN(cppcoreguidelines-pro-type-union-access)
namespace qmlsim::kernels::QMLSIM_KERNEL_ISA {

/// The two vectors of a state of at most this many qubits (2 x 2^n x 16 bytes: 2 MiB) stay in a
/// core's L2 cache (the blocked sweep's chunk buffers, execution/adjoint_sweep.hpp, are such
/// states): the in-order pre-read of for_bases, which helps the prefetchers stream from memory,
/// only costs loads there.
inline constexpr int kCacheResidentQubits = 16;

/// for_bases over both vectors, without the pre-read on cache-resident states.
template <class R, class F>
inline void for_bases2(const Subspace& sub, Index begin, Index end, R* psi, R* lam, int n, const Index* off, int count,
                       F&& body) noexcept {
  if (n > kCacheResidentQubits) {
    for_bases(sub, begin, end, psi, off, count, body, lam);
    return;
  }
  const Index run = sub.num_fixed ? Index{1} << sub.fixed[0] : sub.count;
  for (Index k = begin; k < end;) {
    const Index v0 = sub.base(k);
    const Index stop = std::min(end, (k | (run - 1)) + 1);
    for (Index j = 0; j < stop - k; ++j) body(v0 + j);
    k = stop;
  }
}

/// Sum of the reals of v in lane order (fixed order: part of the determinism contract).
template <class R>
inline double sum_reals(const Vec<R>& v) noexcept {
  double s = 0.0;
  for (Index i = 0; i < kReals<R>; ++i) s += static_cast<double>(v[i]);
  return s;
}

/// The lane permutations of x for the low-target submasks: p[s] lane l = x lane l ^ deposit(LM, s).
template <class R, unsigned LM>
inline void lane_perms(const Vec<R>& x, Vec<R>* p) noexcept {
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    ((p[I] = xor_lanes<R, deposit_into(LM, I)>(x)), ...);
  }(std::make_index_sequence<std::size_t{1} << std::popcount(LM)>{});
}

/// Entry (row, row ^ p) of generator g: dense (dim x dim) or compact (cols non-null: one
/// coefficient per row, at column cols[row]).
template <class R>
inline void generator_component(const R* g, const std::uint8_t* cols, int dim, unsigned row, unsigned p, R& re,
                                R& im) noexcept {
  const unsigned col = row ^ p;
  if (cols) {
    const bool hit = cols[row] == col;
    re = hit ? g[2 * row] : R(0);
    im = hit ? g[2 * row + 1] : R(0);
  } else {
    const std::size_t e = static_cast<std::size_t>(row) * static_cast<std::size_t>(dim) + col;
    re = g[2 * e];
    im = g[2 * e + 1];
  }
}

/// Bit p set when generator g has a nonzero entry (row, row ^ p) for some row.
template <class R>
inline unsigned generator_patterns(const R* g, const std::uint8_t* cols, int dim) noexcept {
  unsigned u = 0;
  for (unsigned r = 0; r < static_cast<unsigned>(dim); ++r)
    for (unsigned p = 0; p < static_cast<unsigned>(dim); ++p) {
      R re, im;
      generator_component(g, cols, dim, r, p, re, im);
      if (re != R(0) || im != R(0)) u |= 1U << p;
    }
  return u;
}

/// Per-lane coefficient pairs of complex c_l = re[l] + i im[l]: (re, re) and (-im, im) per lane.
/// Products: c x = re * x + im' * swap(x); Re conj(y) c x = sum of the reals of
/// re * (y x) + im' * (y swap(x)). Built in registers from the scalars (element-wise stores into a
/// vector in memory would stall its first load: a fixed cost that dominates small states).
template <class R, std::size_t... I>
inline void lane_pairs_impl(const R* re, const R* im, Vec<R>& vr, Vec<R>& vi, std::index_sequence<I...>) noexcept {
  vr = Vec<R>{re[I / 2]...};
  vi = Vec<R>{(I % 2 ? im[I / 2] : -im[I / 2])...};
}
template <class R>
inline void lane_pairs(const R* re, const R* im, Vec<R>& vr, Vec<R>& vi) noexcept {
  lane_pairs_impl<R>(re, im, vr, vi, std::make_index_sequence<kReals<R>>{});
}

// ---- dense target matrices on 1-2 qubits ------------------------------------------------------
//
// Derivative terms. Write a generator as a sum over XOR patterns p of a diagonal times a
// permutation: (G x)_row = sum_p g_p(row) x_{row ^ p}. In split terms a pattern is (xh, s): high
// combination h reads input combination h ^ xh, lane l reads lane l ^ deposit(LM, s); its index
// in the permuted inputs is j = (h ^ xh) * S + s. Per (pattern, h) the pass accumulates, lane by
// lane, A += y_h * px_j and B += y_h * swap(px_j) over the bases of a chunk; the generators'
// coefficients are constant over the bases, so each sum is Re <y | G_d x> = sum of the reals of
// sum_{p,h} ga_d * A + gb_d * B, applied once per chunk. Two FMAs per (pattern, h) and base,
// whatever the number of generators: a rotation (one pattern) costs 2 H FMAs per base.

/// Template value of the accumulated patterns: none (no generator), one split pattern 0..3, all.
inline constexpr int kNoPattern = -1;
inline constexpr int kAllPatterns = 4;

/// KH high targets, LM = the lane bits that are targets (KH + popcount(LM) = k); P: the split
/// patterns accumulated; Real: M^dagger has no imaginary part (ry, h, ...: half the products).
template <class R, int KH, unsigned LM, int P, bool Real>
void adjoint_lanes(R* psi, R* lam, int n, const Split& g, const R* mdag, const R* const* gens,
                   const std::uint8_t* cols, int nd, const Parallelism& par, double* acc) noexcept {
  constexpr int H = 1 << KH;
  constexpr int S = 1 << std::popcount(LM);
  constexpr int Dim = H * S;  // 2^k: the permuted input vectors of a base
  constexpr int C = H * Dim;  // M^dagger coefficients
  constexpr int NP = P == kNoPattern ? 0 : P == kAllPatterns ? Dim : 1;
  constexpr int NA = NP > 0 ? NP * H : 1;  // accumulators of each kind (A, B)
  // M^dagger: cr/cs[h * Dim + j], input j = hp * S + s, as the gate kernel's dense_lanes.
  alignas(64) Vec<R> cr[C], cs[C];
  for (int h = 0; h < H; ++h)
    for (int hp = 0; hp < H; ++hp)
      for (int s = 0; s < S; ++s) {
        const unsigned x = deposit_into(LM, static_cast<unsigned>(s));
        const int j = (h * H + hp) * S + s;
        R re[kLanes<R>], im[kLanes<R>];
        for (int l = 0; l < kLanes<R>; ++l) {
          const auto lane = static_cast<unsigned>(l);
          re[l] = im[l] = 0;
          if (g.lane_ok(lane)) {
            const std::size_t row = g.row_high(static_cast<unsigned>(h)) | g.row_low(lane);
            const std::size_t col = g.row_high(static_cast<unsigned>(hp)) | g.row_low(lane ^ x);
            re[l] = mdag[2 * (row * Dim + col)];
            im[l] = mdag[2 * (row * Dim + col) + 1];
          } else if (h == hp && s == 0) {
            re[l] = 1;
          }
        }
        lane_pairs(re, im, cr[j], cs[j]);
      }
  // Generators: ga/gb[(d * NP + q) * H + h] for the q-th accumulated pattern (zero in the lanes
  // that fail a low control: the derivative vanishes outside the controlled subspace).
  constexpr int NG = NP > 0 ? kAdjointMaxGenerators * NP * H : 1;
  alignas(64) Vec<R> ga[NG], gb[NG];
  if constexpr (NP > 0) {
    for (int d = 0; d < nd; ++d)
      for (int q = 0; q < NP; ++q) {
        const int ps = P == kAllPatterns ? q : P;
        const unsigned pm = g.row_high(static_cast<unsigned>(ps / S)) |
                            g.row_low(deposit_into(LM, static_cast<unsigned>(ps % S)));  // matrix pattern
        for (int h = 0; h < H; ++h) {
          R re[kLanes<R>], im[kLanes<R>];
          for (int l = 0; l < kLanes<R>; ++l) {
            re[l] = im[l] = 0;
            if (g.lane_ok(static_cast<unsigned>(l)))
              generator_component(gens[d], cols ? cols + d * Dim : nullptr, Dim,
                                  g.row_high(static_cast<unsigned>(h)) | g.row_low(static_cast<unsigned>(l)), pm,
                                  re[l], im[l]);
          }
          lane_pairs(re, im, ga[(d * NP + q) * H + h], gb[(d * NP + q) * H + h]);
        }
      }
  }
  Index off[H];
  for (int h = 0; h < H; ++h) off[h] = g.offset(static_cast<unsigned>(h));
  const Subspace sub = g.bases(n, kLaneBits<R>);
  auto chunk = [&](Index b, Index e, double* sums) noexcept {
    Vec<R> a[NA] = {}, bs[NA] = {};
    for_bases2(sub, b, e, psi, lam, n, off, H, [&](Index v0) {
      Vec<R> px[Dim], py[Dim], y[H], xs[Dim], ws[Dim];
      for (int hp = 0; hp < H; ++hp) {
        const Vec<R> x = load(psi + kReals<R> * (v0 + off[hp]));
        y[hp] = load(lam + kReals<R> * (v0 + off[hp]));
        lane_perms<R, LM>(x, px + hp * S);
        lane_perms<R, LM>(y[hp], py + hp * S);
      }
      for (int j = 0; j < Dim; ++j) {  // the ones not used are dead code
        xs[j] = swap_re_im<R>(px[j]);
        ws[j] = swap_re_im<R>(py[j]);
      }
      for (int q = 0; q < NP; ++q) {
        const int ps = P == kAllPatterns ? q : P;
        for (int h = 0; h < H; ++h) {
          const int j = (h ^ (ps / S)) * S + ps % S;
          a[q * H + h] += y[h] * px[j];
          bs[q * H + h] += y[h] * xs[j];
        }
      }
      for (int h = 0; h < H; ++h) {
        const Vec<R>* r = cr + h * Dim;
        const Vec<R>* i = cs + h * Dim;
        Vec<R> xo = r[0] * px[0], wo = r[0] * py[0];
        for (int j = 1; j < Dim; ++j) {
          xo += r[j] * px[j];
          wo += r[j] * py[j];
        }
        if constexpr (!Real) {
          for (int j = 0; j < Dim; ++j) {
            xo += i[j] * xs[j];
            wo += i[j] * ws[j];
          }
        }
        store(psi + kReals<R> * (v0 + off[h]), xo);
        store(lam + kReals<R> * (v0 + off[h]), wo);
      }
    });
    if constexpr (NP > 0) {
      for (int d = 0; d < nd; ++d) {
        Vec<R> v = ga[d * NA] * a[0] + gb[d * NA] * bs[0];
        for (int t = 1; t < NA; ++t) v += ga[d * NA + t] * a[t] + gb[d * NA + t] * bs[t];
        sums[d] += sum_reals<R>(v);
      }
    }
  };
  const Parallelism p = scaled(par, 2 * Index{kLanes<R>} * H);
  if (nd == 0) {
    parallel_for(sub.count, kBlock, p, [&](Index b, Index e) noexcept { chunk(b, e, nullptr); });
  } else {
    double out[kAdjointMaxGenerators];
    parallel_sums(sub.count, static_cast<std::size_t>(nd), out, p, chunk);
    for (int d = 0; d < nd; ++d) acc[d] += out[d];
  }
}

template <class R>
using AdjointLanesFn = void (*)(R*, R*, int, const Split&, const R*, const R* const*, const std::uint8_t*, int,
                                const Parallelism&, double*) noexcept;

/// Index of the pattern choice in the table: 0 none, 1 + p single split pattern p, 5 all.
inline constexpr int kPatternChoices = 6;

template <class R, int KH, unsigned LM, int Choice, bool Real>
constexpr AdjointLanesFn<R> adjoint_lanes_entry() noexcept {
  constexpr int k = KH + std::popcount(LM);
  constexpr int P = Choice == 0 ? kNoPattern : Choice == 5 ? kAllPatterns : Choice - 1;
  if constexpr (k < 1 || k > kAdjointSimdMaxTargets || (P >= 0 && P < kAllPatterns && P >= (1 << k))) {
    return nullptr;
  } else {
    return &adjoint_lanes<R, KH, LM, P, Real>;
  }
}
template <class R, int KH, unsigned LM, std::size_t... I>
constexpr std::array<AdjointLanesFn<R>, sizeof...(I)> adjoint_choice_row(std::index_sequence<I...>) noexcept {
  // [2 * choice + real]
  return {adjoint_lanes_entry<R, KH, LM, static_cast<int>(I / 2), (I % 2) != 0>()...};
}
template <class R, int KH, std::size_t... L>
constexpr auto adjoint_lm_rows(std::index_sequence<L...>) noexcept {
  return std::array{
      adjoint_choice_row<R, KH, static_cast<unsigned>(L)>(std::make_index_sequence<2 * kPatternChoices>{})...};
}
/// [KH][LM][2 * choice + real]
template <class R>
constexpr auto kAdjointLanesTable = std::array{adjoint_lm_rows<R, 0>(std::make_index_sequence<kLanes<R>>{}),
                                               adjoint_lm_rows<R, 1>(std::make_index_sequence<kLanes<R>>{}),
                                               adjoint_lm_rows<R, 2>(std::make_index_sequence<kLanes<R>>{})};

template <class R>
void adjoint_dense(R* psi, R* lam, int n, const Qubit* targets, int k, const R* mdag, const R* const* gens,
                   const std::uint8_t* cols, int nd, Index cmask, Index cval, const Parallelism& par,
                   double* acc) noexcept {
  const Split g(targets, k, cmask, cval, kLaneBits<R>);
  const int dim = 1 << k;
  bool real = true;
  for (int e = 0; e < dim * dim; ++e) real = real && mdag[2 * e + 1] == R(0);
  unsigned used = 0;  // matrix patterns with a nonzero generator entry
  for (int d = 0; d < nd; ++d) used |= generator_patterns(gens[d], cols ? cols + d * dim : nullptr, dim);
  int choice = 0;  // none: no generator, or all of them zero (the sums do not change)
  if (std::popcount(used) > 1) {
    choice = 5;
  } else if (used != 0) {
    const auto pm = static_cast<unsigned>(std::countr_zero(used));
    const int s = 1 << g.kl;
    for (int ps = 0; ps < dim; ++ps) {  // the split pattern of matrix pattern pm
      const auto xl = deposit_into(g.lane_targets, static_cast<unsigned>(ps % s));
      if ((g.row_high(static_cast<unsigned>(ps / s)) | g.row_low(xl)) == pm) choice = 1 + ps;
    }
  }
  const auto entry = static_cast<std::size_t>(2 * choice + (real ? 1 : 0));
  kAdjointLanesTable<R>[static_cast<std::size_t>(g.kh)][g.lane_targets][entry](psi, lam, n, g, mdag, gens, cols,
                                                                               choice == 0 ? 0 : nd, par, acc);
}

// ---- diagonals on 0-2 qubits ------------------------------------------------------------------

/// Deriv: accumulate A_h += y x and B_h += y swap(x) (the one pattern of a diagonal), applied to
/// the generators' coefficients once per chunk as in adjoint_lanes.
template <class R, int KH, bool Deriv>
void adjoint_diag(R* psi, R* lam, int n, const Split& g, const R* mdag, const R* const* gens, int nd,
                  const Parallelism& par, double* acc) noexcept {
  constexpr int H = 1 << KH;
  constexpr int NG = Deriv ? kAdjointMaxGenerators * H : 1;
  // Per high combination h: re(d) and (-im(d), im(d)) per lane, for M^dagger and the generators.
  alignas(64) Vec<R> dre[H], dsi[H], ga[NG], gb[NG];
  for (int h = 0; h < H; ++h) {
    R re[kLanes<R>], im[kLanes<R>], gr[kAdjointMaxGenerators][kLanes<R>], gi[kAdjointMaxGenerators][kLanes<R>];
    for (int l = 0; l < kLanes<R>; ++l) {
      const auto lane = static_cast<unsigned>(l);
      const bool on = g.lane_ok(lane);
      const std::size_t j = g.row_high(static_cast<unsigned>(h)) | g.row_low(lane);
      re[l] = on ? mdag[2 * j] : R(1);
      im[l] = on ? mdag[2 * j + 1] : R(0);
      for (int d = 0; d < (Deriv ? nd : 0); ++d) {
        gr[d][l] = on ? gens[d][2 * j] : R(0);
        gi[d][l] = on ? gens[d][2 * j + 1] : R(0);
      }
    }
    lane_pairs(re, im, dre[h], dsi[h]);
    for (int d = 0; d < (Deriv ? nd : 0); ++d) lane_pairs(gr[d], gi[d], ga[d * H + h], gb[d * H + h]);
  }
  Index off[H];
  for (int h = 0; h < H; ++h) off[h] = g.offset(static_cast<unsigned>(h));
  const Subspace sub = g.bases(n, kLaneBits<R>);
  auto chunk = [&](Index b, Index e, double* sums) noexcept {
    Vec<R> a[H] = {}, bs[H] = {};
    for_bases2(sub, b, e, psi, lam, n, off, H, [&](Index v0) {
      for (int h = 0; h < H; ++h) {
        R* pp = psi + kReals<R> * (v0 + off[h]);
        R* pl = lam + kReals<R> * (v0 + off[h]);
        const Vec<R> x = load(pp), y = load(pl);
        const Vec<R> xs = swap_re_im<R>(x);
        if constexpr (Deriv) {
          a[h] += y * x;
          bs[h] += y * xs;
        }
        store(pp, dre[h] * x + dsi[h] * xs);
        store(pl, dre[h] * y + dsi[h] * swap_re_im<R>(y));
      }
    });
    if constexpr (Deriv) {
      for (int d = 0; d < nd; ++d) {
        Vec<R> v = ga[d * H] * a[0] + gb[d * H] * bs[0];
        for (int h = 1; h < H; ++h) v += ga[d * H + h] * a[h] + gb[d * H + h] * bs[h];
        sums[d] += sum_reals<R>(v);
      }
    }
  };
  const Parallelism p = scaled(par, 2 * Index{kLanes<R>} * H);
  if constexpr (!Deriv) {
    (void)acc;
    parallel_for(sub.count, kBlock, p, [&](Index b, Index e) noexcept { chunk(b, e, nullptr); });
  } else {
    double out[kAdjointMaxGenerators];
    parallel_sums(sub.count, static_cast<std::size_t>(nd), out, p, chunk);
    for (int d = 0; d < nd; ++d) acc[d] += out[d];
  }
}

template <class R>
using AdjointDiagFn = void (*)(R*, R*, int, const Split&, const R*, const R* const*, int, const Parallelism&,
                               double*) noexcept;
/// [KH][deriv]
template <class R>
constexpr std::array<std::array<AdjointDiagFn<R>, 2>, 3> kAdjointDiagTable = {
    {{&adjoint_diag<R, 0, false>, &adjoint_diag<R, 0, true>},
     {&adjoint_diag<R, 1, false>, &adjoint_diag<R, 1, true>},
     {&adjoint_diag<R, 2, false>, &adjoint_diag<R, 2, true>}}};

template <class R>
void adjoint_diagonal(R* psi, R* lam, int n, const Qubit* targets, int k, const R* mdag, const R* const* gens, int nd,
                      Index cmask, Index cval, const Parallelism& par, double* acc) noexcept {
  const Split g(targets, k, cmask, cval, kLaneBits<R>);
  kAdjointDiagTable<R>[static_cast<std::size_t>(g.kh)][nd > 0 ? 1 : 0](psi, lam, n, g, mdag, gens, nd, par, acc);
}

// ---- X and SWAP ---------------------------------------------------------------------------------

template <class R, unsigned X>
void x_in_lanes2(R* psi, R* lam, int n, const Split& g, const Parallelism& par) noexcept {
  const Subspace sub = g.bases(n, kLaneBits<R>);
  const bool blend = g.lane_cmask != 0;
  const Mask<R> sel = lane_select<R>(g);
  const Index zero = 0;
  parallel_for(sub.count, kBlock, scaled(par, 2 * Index{kLanes<R>}), [&](Index b, Index e) noexcept {
    for_bases2(sub, b, e, psi, lam, n, &zero, 1, [&](Index v0) {
      for (R* p : {psi + kReals<R> * v0, lam + kReals<R> * v0}) {
        const Vec<R> x = load(p);
        const Vec<R> y = xor_lanes<R, X>(x);
        store(p, blend ? (sel ? y : x) : y);
      }
    });
  });
}

/// Exchanges the vectors at v0 + o0 and v0 + o1 for every base (in the selected lanes), in both.
template <class R>
void exchange_vectors2(R* psi, R* lam, int n, const Split& g, Index o0, Index o1, const Parallelism& par) noexcept {
  const Subspace sub = g.bases(n, kLaneBits<R>);
  const bool blend = g.lane_cmask != 0;
  const Mask<R> sel = lane_select<R>(g);
  const Index off[2] = {o0, o1};
  parallel_for(sub.count, kBlock, scaled(par, 4 * Index{kLanes<R>}), [&](Index b, Index e) noexcept {
    for_bases2(sub, b, e, psi, lam, n, off, 2, [&](Index v0) {
      for (R* base : {psi, lam}) {
        R* p0 = base + kReals<R> * (v0 + o0);
        R* p1 = base + kReals<R> * (v0 + o1);
        const Vec<R> a = load(p0), c = load(p1);
        store(p0, blend ? (sel ? c : a) : c);
        store(p1, blend ? (sel ? a : c) : a);
      }
    });
  });
}

template <class R>
void adjoint_pauli_x(R* psi, R* lam, int n, Qubit t, Index cmask, Index cval, const Parallelism& par) noexcept {
  const Split g(&t, 1, cmask, cval, kLaneBits<R>);
  if (g.kh == 1) {
    exchange_vectors2(psi, lam, n, g, 0, Index{1} << g.high_pos[0], par);
    return;
  }
  switch (t) {
    case 0: x_in_lanes2<R, 1>(psi, lam, n, g, par); return;
    case 1: x_in_lanes2<R, 2>(psi, lam, n, g, par); return;
    default:
      if constexpr (kLaneBits<R> > 2) {
        x_in_lanes2<R, 4>(psi, lam, n, g, par);
      }
      return;
  }
}

template <class R>
void adjoint_swap(R* psi, R* lam, int n, Qubit a, Qubit b, Index cmask, Index cval, const Parallelism& par) noexcept {
  const Qubit ts[2] = {a, b};
  if (a >= kLaneBits<R> && b >= kLaneBits<R>) {
    const Split g(ts, 2, cmask, cval, kLaneBits<R>);
    exchange_vectors2(psi, lam, n, g, Index{1} << g.high_pos[0], Index{1} << g.high_pos[1], par);
    return;
  }
  // A target inside a vector: the SWAP permutation as a dense matrix (lane kernel, no generator).
  R m[32] = {};
  m[0] = m[2 * (1 * 4 + 2)] = m[2 * (2 * 4 + 1)] = m[2 * (3 * 4 + 3)] = R(1);
  adjoint_dense<R>(psi, lam, n, ts, 2, m, nullptr, nullptr, 0, cmask, cval, par, nullptr);
}

template <class R>
AdjointKernelTable<R> adjoint_table() noexcept {
  static_assert(std::is_same_v<R, double>, "the two-vector kernels are double precision (gradient state vectors)");
  return AdjointKernelTable<R>{&adjoint_dense<R>, &adjoint_diagonal<R>, &adjoint_pauli_x<R>, &adjoint_swap<R>};
}

}  // namespace qmlsim::kernels::QMLSIM_KERNEL_ISA
// NOLINTEND(cppcoreguidelines-pro-type-union-access)

// The vectorised gate kernels (contract: kernels.hpp). Written once with GCC vector extensions and
// compiled once per instruction set: kernels_generic.cpp, kernels_avx2.cpp and kernels_avx512.cpp
// each include this file inside `namespace qmlsim::kernels::<isa>`-named code (the macro
// QMLSIM_KERNEL_ISA) after a `#pragma GCC target`, having included every other header BEFORE the
// pragma. That order matters: inline functions from shared headers must be compiled for the
// baseline CPU (the linker keeps one copy of them), and only this file's functions, which live
// in the per-ISA namespace, use the wider instructions.
//
// Layout: a vector (Vec<R>, 64 bytes) holds kLanes<R> complex amplitudes, interleaved. Index bits
// below kLaneBits<R> select a lane; the bits above select the vector ("vector index" v, amplitude
// i = v * kLanes + lane). A gate's targets and controls are split at that line (Split):
// - high targets address whole vectors: a "base" vector index v0 with zeros at the high target
//   bits and the high controls' values, plus offsets for each combination of high target bits;
// - low targets mix lanes: lane l of the output takes the input lanes l ^ X for each submask X of
//   the low target bits, each with its own per-lane coefficient;
// - low controls make the coefficients of failing lanes the identity (or a blend for X/SWAP).
// Complex products avoid per-term shuffles: for coefficients c (per lane) and inputs p,
// sum c*p = sum re(c)*p + sign * swap_re_im(sum im(c)*p), with sign = (-1, +1, -1, +1, ...).
// The bases are walked in contiguous runs (insert_zero_bits once per run, not once per vector),
// split between threads by parallel_for in blocks of kBlock bases: every vector goes through the
// same instructions whatever the thread count.
#if !defined(QMLSIM_KERNEL_ISA)
#error "kernels_simd.hpp is included by kernels_<isa>.cpp and adjoint_<isa>.cpp only"
#endif

// NOLINTBEGIN(cppcoreguidelines-pro-type-union-access)
namespace qmlsim::kernels::QMLSIM_KERNEL_ISA {

template <class R>
struct Simd;
template <>
struct Simd<double> {
  typedef double V __attribute__((vector_size(64)));
  typedef std::int64_t M __attribute__((vector_size(64)));
  using E = std::int64_t;
  static constexpr int kLaneBits = 2;
};
template <>
struct Simd<float> {
  typedef float V __attribute__((vector_size(64)));
  typedef std::int32_t M __attribute__((vector_size(64)));
  using E = std::int32_t;
  static constexpr int kLaneBits = 3;
};

template <class R>
using Vec = typename Simd<R>::V;
template <class R>
using Mask = typename Simd<R>::M;
template <class R>
inline constexpr int kLaneBits = Simd<R>::kLaneBits;
template <class R>
inline constexpr int kLanes = 1 << kLaneBits<R>;
template <class R>
inline constexpr Index kReals = 2 * kLanes<R>;

template <class R>
inline Vec<R> load(const R* p) noexcept {
  Vec<R> v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
template <class R>
inline void store(R* p, const Vec<R>& v) noexcept {
  std::memcpy(p, &v, sizeof v);
}

template <class R, unsigned X, std::size_t... I>
inline Vec<R> xor_lanes_impl(const Vec<R>& v, std::index_sequence<I...>) noexcept {
#if defined(__clang__)
  return __builtin_shufflevector(v, v, static_cast<int>(2 * ((I / 2) ^ X) + (I % 2))...);
#else
  using E = typename Simd<R>::E;
  return __builtin_shuffle(v, Mask<R>{static_cast<E>(2 * ((I / 2) ^ X) + (I % 2))...});
#endif
}
/// Lane l of the result is lane l ^ X of v.
template <class R, unsigned X>
inline Vec<R> xor_lanes(const Vec<R>& v) noexcept {
  if constexpr (X == 0) {
    return v;
  } else {
    return xor_lanes_impl<R, X>(v, std::make_index_sequence<kReals<R>>{});
  }
}
template <class R, std::size_t... I>
inline Vec<R> swap_re_im_impl(const Vec<R>& v, std::index_sequence<I...>) noexcept {
#if defined(__clang__)
  return __builtin_shufflevector(v, v, static_cast<int>(I ^ 1)...);
#else
  using E = typename Simd<R>::E;
  return __builtin_shuffle(v, Mask<R>{static_cast<E>(I ^ 1)...});
#endif
}
/// (re, im) -> (im, re) in every lane.
template <class R>
inline Vec<R> swap_re_im(const Vec<R>& v) noexcept {
  return swap_re_im_impl<R>(v, std::make_index_sequence<kReals<R>>{});
}
template <class R, std::size_t... I>
inline Vec<R> signs_impl(std::index_sequence<I...>) noexcept {
  return Vec<R>{(I % 2 ? R(1) : R(-1))...};
}
/// (-1, +1) in every lane.
template <class R>
inline Vec<R> alternating_signs() noexcept {
  return signs_impl<R>(std::make_index_sequence<kReals<R>>{});
}

/// Deposits the bits of s into the set bits of mask (ascending).
constexpr unsigned deposit_into(unsigned mask, unsigned s) noexcept {
  unsigned out = 0;
  for (unsigned b = 0; mask; mask &= mask - 1, ++b)
    if ((s >> b) & 1U) out |= mask & (~mask + 1);
  return out;
}

/// A gate's targets and controls split at the lane bits.
struct Split {
  int kl = 0, kh = 0;           // low / high targets
  int low_pos[6] = {};          // lane bit of low target i
  int low_bit[6] = {};          // matrix bit of low target i
  Qubit high_pos[6] = {};       // vector-index bit of high target i
  int high_bit[6] = {};         // matrix bit of high target i
  unsigned lane_targets = 0;    // lane bits that are targets
  unsigned lane_cmask = 0, lane_cval = 0;  // controls inside a vector
  Index vcmask = 0, vcval = 0;  // controls above, as vector-index bits

  Split(const Qubit* targets, int k, Index cmask, Index cval, int lane_bits) noexcept {
    for (int j = 0; j < k; ++j) {
      const Qubit t = targets[j];
      if (t < lane_bits) {
        low_pos[kl] = t;
        low_bit[kl++] = j;
        lane_targets |= 1U << t;
      } else {
        high_pos[kh] = t - lane_bits;
        high_bit[kh++] = j;
      }
    }
    const Index lanes = (Index{1} << lane_bits) - 1;
    lane_cmask = static_cast<unsigned>(cmask & lanes);
    lane_cval = static_cast<unsigned>(cval & cmask & lanes);
    vcmask = cmask >> lane_bits;
    vcval = (cval & cmask) >> lane_bits;
  }
  /// Matrix index bits given by the low targets' bits of `lane`.
  [[nodiscard]] unsigned row_low(unsigned lane) const noexcept {
    unsigned r = 0;
    for (int i = 0; i < kl; ++i) r |= ((lane >> low_pos[i]) & 1U) << low_bit[i];
    return r;
  }
  /// Matrix index bits given by high-target combination h (bit i = high target i).
  [[nodiscard]] unsigned row_high(unsigned h) const noexcept {
    unsigned r = 0;
    for (int i = 0; i < kh; ++i) r |= ((h >> i) & 1U) << high_bit[i];
    return r;
  }
  /// Vector-index offset of high-target combination h.
  [[nodiscard]] Index offset(unsigned h) const noexcept {
    Index o = 0;
    for (int i = 0; i < kh; ++i)
      if ((h >> i) & 1U) o |= Index{1} << high_pos[i];
    return o;
  }
  [[nodiscard]] bool lane_ok(unsigned lane) const noexcept { return (lane & lane_cmask) == lane_cval; }
  /// The bases: vector indices with zeros at the high targets and the high controls' values.
  [[nodiscard]] Subspace bases(int n, int lane_bits) const noexcept {
    return Subspace(n - lane_bits, high_pos, kh, vcmask, vcval);
  }
};

/// Runs of this many vectors (512 B .. 8 KiB) are read once in order before they are processed. A
/// gate on a target around qubits 5..9 otherwise reads two or more interleaved streams a few
/// hundred bytes to a few KiB apart, which the hardware prefetchers follow badly: measured here,
/// 2-3x slower than a far target; the in-order read brings the block into L1/L2 at streaming
/// speed. Software prefetch did not help; shorter and longer runs do not need it.
inline constexpr Index kTouchMin = 8;
inline constexpr Index kTouchMax = 128;

/// Reads vectors [v0 + off[h], v0 + off[h] + len) for every h, in address order per h.
template <class R>
inline void touch(const R* psi, Index v0, Index len, const Index* off, int count) noexcept {
  Mask<R> acc{};
  for (int h = 0; h < count; ++h)
    for (Index j = 0; j < len; ++j) acc |= reinterpret_cast<Mask<R>>(load(psi + kReals<R> * (v0 + off[h] + j)));
  const auto first = acc[0];
  __asm__ volatile("" : : "r"(first));  // keep the loads
}

/// Calls body(v0) for the bases [begin, end) of `sub`, in contiguous runs; each base's vectors are
/// v0 + off[h], h < count, in `psi` (and in `also`, a second vector a two-vector pass walks in
/// step, e.g. the adjoint gradient's lambda).
template <class R, class F>
inline void for_bases(const Subspace& sub, Index begin, Index end, const R* psi, const Index* off, int count,
                      F&& body, const R* also = nullptr) noexcept {
  const Index run = sub.num_fixed ? Index{1} << sub.fixed[0] : sub.count;
  const bool pretouch = run >= kTouchMin && run <= kTouchMax;
  for (Index k = begin; k < end;) {
    const Index v0 = sub.base(k);
    const Index stop = std::min(end, (k | (run - 1)) + 1);
    const Index len = stop - k;
    if (pretouch) {
      touch(psi, v0, len, off, count);
      if (also) touch(also, v0, len, off, count);
    }
    for (Index j = 0; j < len; ++j) body(v0 + j);
    k = stop;
  }
}

/// All-ones in the lanes whose low control bits match, zero elsewhere.
template <class R>
inline Mask<R> lane_select(const Split& g) noexcept {
  Mask<R> m{};
  for (int l = 0; l < kLanes<R>; ++l)
    if (g.lane_ok(static_cast<unsigned>(l))) m[2 * l] = m[2 * l + 1] = -1;
  return m;
}

// ---- dense matrices ----------------------------------------------------------------------------

/// No low targets, no low controls: every coefficient is one complex number for all lanes.
template <class R, int KH>
void dense_broadcast(R* psi, int n, const Split& g, const R* m, int k, const Parallelism& par) noexcept {
  constexpr int H = 1 << KH;
  const int dim = 1 << k;
  alignas(64) R cr[H * H], ci[H * H];
  for (int h = 0; h < H; ++h)
    for (int hp = 0; hp < H; ++hp) {
      const std::size_t e = static_cast<std::size_t>(g.row_high(static_cast<unsigned>(h))) * static_cast<std::size_t>(dim) +
                            g.row_high(static_cast<unsigned>(hp));
      cr[h * H + hp] = m[2 * e];
      ci[h * H + hp] = m[2 * e + 1];
    }
  Index off[H];
  for (int h = 0; h < H; ++h) off[h] = g.offset(static_cast<unsigned>(h));
  const Subspace sub = g.bases(n, kLaneBits<R>);
  const Vec<R> sg = alternating_signs<R>();
  parallel_for(sub.count, kBlock, scaled(par, Index{kLanes<R>} * H), [&](Index b, Index e) noexcept {
    for_bases(sub, b, e, psi, off, H, [&](Index v0) {
      Vec<R> x[H];
      for (int h = 0; h < H; ++h) x[h] = load(psi + kReals<R> * (v0 + off[h]));
      for (int h = 0; h < H; ++h) {
        Vec<R> ar{}, ai{};
        for (int hp = 0; hp < H; ++hp) {
          ar += cr[h * H + hp] * x[hp];
          ai += ci[h * H + hp] * x[hp];
        }
        store(psi + kReals<R> * (v0 + off[h]), ar + sg * swap_re_im<R>(ai));
      }
    });
  });
}

/// Any split: per-lane coefficients for each (output combination, input combination, lane
/// submask). KH high targets, LM = the lane bits that are targets.
template <class R, int KH, unsigned LM>
void dense_lanes(R* psi, int n, const Split& g, const R* m, int k, const Parallelism& par) noexcept {
  constexpr int H = 1 << KH;
  constexpr int S = 1 << std::popcount(LM);
  constexpr int C = H * H * S;
  static_assert(C <= 512, "coefficient table too large for the stack");
  const int dim = 1 << k;
  alignas(64) Vec<R> cre[C], cim[C];
  for (int h = 0; h < H; ++h)
    for (int hp = 0; hp < H; ++hp)
      for (int s = 0; s < S; ++s) {
        const unsigned x = deposit_into(LM, static_cast<unsigned>(s));
        Vec<R> re{}, im{};
        for (int l = 0; l < kLanes<R>; ++l) {
          const auto lane = static_cast<unsigned>(l);
          R cr = 0, cim_l = 0;
          if (g.lane_ok(lane)) {
            const std::size_t row = g.row_high(static_cast<unsigned>(h)) | g.row_low(lane);
            const std::size_t col = g.row_high(static_cast<unsigned>(hp)) | g.row_low(lane ^ x);
            cr = m[2 * (row * static_cast<std::size_t>(dim) + col)];
            cim_l = m[2 * (row * static_cast<std::size_t>(dim) + col) + 1];
          } else if (h == hp && s == 0) {
            cr = 1;
          }
          re[2 * l] = re[2 * l + 1] = cr;
          im[2 * l] = im[2 * l + 1] = cim_l;
        }
        cre[(h * H + hp) * S + s] = re;
        cim[(h * H + hp) * S + s] = im;
      }
  Index off[H];
  for (int h = 0; h < H; ++h) off[h] = g.offset(static_cast<unsigned>(h));
  const Subspace sub = g.bases(n, kLaneBits<R>);
  const Vec<R> sg = alternating_signs<R>();
  parallel_for(sub.count, kBlock, scaled(par, Index{kLanes<R>} * H), [&](Index b, Index e) noexcept {
    for_bases(sub, b, e, psi, off, H, [&](Index v0) {
      Vec<R> p[H * S];
      for (int hp = 0; hp < H; ++hp) {
        const Vec<R> x = load(psi + kReals<R> * (v0 + off[hp]));
        [&]<std::size_t... I>(std::index_sequence<I...>) {
          ((p[hp * S + static_cast<int>(I)] = xor_lanes<R, deposit_into(LM, I)>(x)), ...);
        }(std::make_index_sequence<S>{});
      }
      for (int h = 0; h < H; ++h) {
        Vec<R> ar{}, ai{};
        const Vec<R>* cr = cre + h * H * S;
        const Vec<R>* ci = cim + h * H * S;
        for (int j = 0; j < H * S; ++j) {
          ar += cr[j] * p[j];
          ai += ci[j] * p[j];
        }
        store(psi + kReals<R> * (v0 + off[h]), ar + sg * swap_re_im<R>(ai));
      }
    });
  });
}

template <class R>
using DenseFn = void (*)(R*, int, const Split&, const R*, int, const Parallelism&) noexcept;

/// dense_lanes<R, KH, LM> for KH in [0, 4], LM in [0, kLanes), or null where the table would be
/// too large (those go to the reference kernel).
template <class R, int KH, unsigned LM>
constexpr DenseFn<R> lanes_entry() noexcept {
  if constexpr ((1 << (2 * KH + std::popcount(LM))) <= 512) {
    return &dense_lanes<R, KH, LM>;
  } else {
    return nullptr;
  }
}
template <class R, int KH, std::size_t... L>
constexpr std::array<DenseFn<R>, sizeof...(L)> lanes_row(std::index_sequence<L...>) noexcept {
  return {lanes_entry<R, KH, static_cast<unsigned>(L)>()...};
}
template <class R>
constexpr auto kLanesTable = std::array{lanes_row<R, 0>(std::make_index_sequence<kLanes<R>>{}),
                                        lanes_row<R, 1>(std::make_index_sequence<kLanes<R>>{}),
                                        lanes_row<R, 2>(std::make_index_sequence<kLanes<R>>{}),
                                        lanes_row<R, 3>(std::make_index_sequence<kLanes<R>>{}),
                                        lanes_row<R, 4>(std::make_index_sequence<kLanes<R>>{})};
template <class R>
constexpr std::array<DenseFn<R>, 7> kBroadcastTable = {nullptr,
                                                       &dense_broadcast<R, 1>,
                                                       &dense_broadcast<R, 2>,
                                                       &dense_broadcast<R, 3>,
                                                       &dense_broadcast<R, 4>,
                                                       &dense_broadcast<R, 5>,
                                                       &dense_broadcast<R, 6>};

template <class R>
void matrix(R* psi, int n, const Qubit* targets, int k, const R* m, Index cmask, Index cval,
            const Parallelism& par) noexcept {
  if (n >= kLaneBits<R> && k >= 1 && k <= 6) {
    const Split g(targets, k, cmask, cval, kLaneBits<R>);
    DenseFn<R> fn = nullptr;
    if (g.kl == 0 && g.lane_cmask == 0) {
      fn = kBroadcastTable<R>[static_cast<std::size_t>(g.kh)];
    } else if (g.kh <= 4) {
      fn = kLanesTable<R>[static_cast<std::size_t>(g.kh)][g.lane_targets];
    }
    if (fn) {
      fn(psi, n, g, m, k, par);
      return;
    }
  }
  detail::reference_matrix(psi, n, targets, k, m, cmask, cval, par);
}

// ---- diagonal, X, SWAP -------------------------------------------------------------------------

template <class R>
void diagonal(R* psi, int n, const Qubit* targets, int k, const R* d, Index cmask, Index cval,
              const Parallelism& par) noexcept {
  if (n < kLaneBits<R> || k > 6) {
    detail::reference_diagonal(psi, n, targets, k, d, cmask, cval, par);
    return;
  }
  const Split g(targets, k, cmask, cval, kLaneBits<R>);
  const int H = 1 << g.kh;
  alignas(64) Vec<R> dre[64], dsi[64];  // per high combination: re(d) and (-im(d), im(d)) per lane
  for (int h = 0; h < H; ++h) {
    Vec<R> re{}, si{};
    for (int l = 0; l < kLanes<R>; ++l) {
      const auto lane = static_cast<unsigned>(l);
      R dr = 1, di = 0;
      if (g.lane_ok(lane)) {
        const std::size_t j = g.row_high(static_cast<unsigned>(h)) | g.row_low(lane);
        dr = d[2 * j];
        di = d[2 * j + 1];
      }
      re[2 * l] = re[2 * l + 1] = dr;
      si[2 * l] = -di;
      si[2 * l + 1] = di;
    }
    dre[h] = re;
    dsi[h] = si;
  }
  Index off[64];
  for (int h = 0; h < H; ++h) off[h] = g.offset(static_cast<unsigned>(h));
  const Subspace sub = g.bases(n, kLaneBits<R>);
  parallel_for(sub.count, kBlock, scaled(par, Index{kLanes<R>} * H), [&](Index b, Index e) noexcept {
    for_bases(sub, b, e, psi, off, H, [&](Index v0) {
      for (int h = 0; h < H; ++h) {
        R* p = psi + kReals<R> * (v0 + off[h]);
        const Vec<R> x = load(p);
        store(p, dre[h] * x + dsi[h] * swap_re_im<R>(x));
      }
    });
  });
}

template <class R, unsigned X>
void x_in_lanes(R* psi, int n, const Split& g, const Parallelism& par) noexcept {
  const Subspace sub = g.bases(n, kLaneBits<R>);
  const bool blend = g.lane_cmask != 0;
  const Mask<R> sel = lane_select<R>(g);
  const Index zero = 0;
  parallel_for(sub.count, kBlock, scaled(par, kLanes<R>), [&](Index b, Index e) noexcept {
    for_bases(sub, b, e, psi, &zero, 1, [&](Index v0) {
      R* p = psi + kReals<R> * v0;
      const Vec<R> x = load(p);
      const Vec<R> y = xor_lanes<R, X>(x);
      store(p, blend ? (sel ? y : x) : y);
    });
  });
}

/// Exchanges the vectors at v0 + o0 and v0 + o1 for every base (in the selected lanes).
template <class R>
void exchange_vectors(R* psi, int n, const Split& g, Index o0, Index o1, const Parallelism& par) noexcept {
  const Subspace sub = g.bases(n, kLaneBits<R>);
  const bool blend = g.lane_cmask != 0;
  const Mask<R> sel = lane_select<R>(g);
  const Index off[2] = {o0, o1};
  parallel_for(sub.count, kBlock, scaled(par, 2 * kLanes<R>), [&](Index b, Index e) noexcept {
    for_bases(sub, b, e, psi, off, 2, [&](Index v0) {
      R* p0 = psi + kReals<R> * (v0 + o0);
      R* p1 = psi + kReals<R> * (v0 + o1);
      const Vec<R> a = load(p0), c = load(p1);
      store(p0, blend ? (sel ? c : a) : c);
      store(p1, blend ? (sel ? a : c) : a);
    });
  });
}

template <class R>
void pauli_x(R* psi, int n, Qubit t, Index cmask, Index cval, const Parallelism& par) noexcept {
  if (n < kLaneBits<R>) {
    detail::reference_x(psi, n, t, cmask, cval, par);
    return;
  }
  const Split g(&t, 1, cmask, cval, kLaneBits<R>);
  if (g.kh == 1) {
    exchange_vectors(psi, n, g, 0, Index{1} << g.high_pos[0], par);
    return;
  }
  // The target is inside a vector: the split has no high target, the bases are all vectors.
  switch (t) {
    case 0: x_in_lanes<R, 1>(psi, n, g, par); return;
    case 1: x_in_lanes<R, 2>(psi, n, g, par); return;
    default:
      if constexpr (kLaneBits<R> > 2) {
        x_in_lanes<R, 4>(psi, n, g, par);
      }
      return;
  }
}

/// All-ones in the lanes whose low control bits match and whose lane bits under `bits` equal
/// `value` (or, with `differ`, whose bits a and b of `bits` differ).
template <class R>
inline Mask<R> lane_select_where(const Split& g, unsigned bits, unsigned value, bool differ) noexcept {
  Mask<R> m{};
  for (int l = 0; l < kLanes<R>; ++l) {
    const auto lane = static_cast<unsigned>(l);
    const unsigned under = lane & bits;
    const bool pick = differ ? (under != 0 && under != bits) : under == value;
    if (g.lane_ok(lane) && pick) m[2 * l] = m[2 * l + 1] = -1;
  }
  return m;
}

/// SWAP of a qubit above the lanes (vector offset o) and lane bit X: in each base pair (X0, X1),
/// the lanes of X0 with the lane bit set take X1's lanes with it clear, and the other way round.
template <class R, unsigned X>
void swap_high_low(R* psi, int n, const Split& g, Index o, const Parallelism& par) noexcept {
  const Subspace sub = g.bases(n, kLaneBits<R>);
  const Mask<R> into0 = lane_select_where<R>(g, X, X, false), into1 = lane_select_where<R>(g, X, 0, false);
  const Index off[2] = {0, o};
  parallel_for(sub.count, kBlock, scaled(par, 2 * kLanes<R>), [&](Index b, Index e) noexcept {
    for_bases(sub, b, e, psi, off, 2, [&](Index v0) {
      R* p0 = psi + kReals<R> * v0;
      R* p1 = psi + kReals<R> * (v0 + o);
      const Vec<R> x0 = load(p0), x1 = load(p1);
      store(p0, into0 ? xor_lanes<R, X>(x1) : x0);
      store(p1, into1 ? xor_lanes<R, X>(x0) : x1);
    });
  });
}

/// SWAP of two lane bits (X = both bits): the lanes where they differ exchange.
template <class R, unsigned X>
void swap_in_lanes(R* psi, int n, const Split& g, const Parallelism& par) noexcept {
  const Subspace sub = g.bases(n, kLaneBits<R>);
  const Mask<R> sel = lane_select_where<R>(g, X, 0, true);
  const Index zero = 0;
  parallel_for(sub.count, kBlock, scaled(par, kLanes<R>), [&](Index b, Index e) noexcept {
    for_bases(sub, b, e, psi, &zero, 1, [&](Index v0) {
      R* p = psi + kReals<R> * v0;
      const Vec<R> x = load(p);
      store(p, sel ? xor_lanes<R, X>(x) : x);
    });
  });
}

template <class R>
void swap_qubits(R* psi, int n, Qubit a, Qubit b, Index cmask, Index cval, const Parallelism& par) noexcept {
  const Qubit ts[2] = {a, b};
  if (n < kLaneBits<R>) {
    R m[32] = {};  // the SWAP permutation as a dense matrix
    m[0] = m[2 * (1 * 4 + 2)] = m[2 * (2 * 4 + 1)] = m[2 * (3 * 4 + 3)] = R(1);
    detail::reference_matrix(psi, n, ts, 2, m, cmask, cval, par);
    return;
  }
  const Split g(ts, 2, cmask, cval, kLaneBits<R>);
  if (g.kh == 2) {
    exchange_vectors(psi, n, g, Index{1} << g.high_pos[0], Index{1} << g.high_pos[1], par);
  } else if (g.kh == 1) {
    const Index o = Index{1} << g.high_pos[0];
    switch (g.lane_targets) {
      case 1: swap_high_low<R, 1>(psi, n, g, o, par); return;
      case 2: swap_high_low<R, 2>(psi, n, g, o, par); return;
      default:
        if constexpr (kLaneBits<R> > 2) swap_high_low<R, 4>(psi, n, g, o, par);
        return;
    }
  } else {
    switch (g.lane_targets) {
      case 3: swap_in_lanes<R, 3>(psi, n, g, par); return;
      default:
        if constexpr (kLaneBits<R> > 2) {
          if (g.lane_targets == 5) swap_in_lanes<R, 5>(psi, n, g, par);
          if (g.lane_targets == 6) swap_in_lanes<R, 6>(psi, n, g, par);
        }
        return;
    }
  }
}

template <class R>
KernelTable<R> table() noexcept {
  return KernelTable<R>{&matrix<R>, &diagonal<R>, &pauli_x<R>, &swap_qubits<R>};
}

}  // namespace qmlsim::kernels::QMLSIM_KERNEL_ISA
// NOLINTEND(cppcoreguidelines-pro-type-union-access)

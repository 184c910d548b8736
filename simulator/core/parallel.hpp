#pragma once
/// The only place that speaks OpenMP. Everything parallel in qmlsim goes through these templates.
///
/// Determinism contract:
/// - parallel_for hands each thread one contiguous range [begin, end) whose bounds are multiples
///   of `block` (except the final end == n), so a kernel whose inner loop is blocked by `block`
///   executes the same instructions on every amplitude whatever the thread count.
/// - parallel_sum / parallel_sums reduce fixed-size chunks (kSumChunk items, independent of the
///   thread count) and add the chunk results in index order, so sums are bit-identical on any
///   thread count, and equal to the serial path.
/// Thread count is a per-call option (Parallelism); no global OpenMP state is ever changed.
/// Bodies passed here must not throw: validate before entering a parallel region.
#include <algorithm>
#include <cstddef>
#include <vector>

#include "simulator/core/types.hpp"

#if defined(QMLSIM_HAVE_OPENMP)
#include <omp.h>
#endif

namespace qmlsim {

/// Work items (amplitudes, pairs, samples) below which a call runs on the calling thread only.
/// A barrier costs microseconds and far more when a core is busy elsewhere; 2^14 amplitudes of
/// complex double is 256 KiB, the size where two threads start to pay (tuned in benchmarks).
inline constexpr Index kDefaultParallelThreshold = Index{1} << 14;

/// Loop items handed to threads together: thread ranges start at multiples of it, so vectorised
/// loops see the same alignment whatever the thread count (a multiple of any SIMD width).
inline constexpr Index kBlock = 64;

/// Items in one reduction chunk; fixed so that sums do not depend on the thread count.
inline constexpr Index kSumChunk = Index{1} << 12;

/// Most doubles of chunk results parallel_sums() keeps at once (512 KiB): its scratch does not
/// grow with n. Chunks are reduced in rounds of at most kSumScratch / k chunks.
inline constexpr std::size_t kSumScratch = std::size_t{1} << 16;

/// How one call may use the cores.
struct Parallelism {
  /// Threads to use; 0 means default_thread_count().
  int threads = 0;
  /// Minimum number of work items before more than one thread is used.
  Index threshold = kDefaultParallelThreshold;

  /// A single-threaded policy.
  [[nodiscard]] static Parallelism serial() noexcept { return Parallelism{1, kDefaultParallelThreshold}; }
};

/// Threads this process may use: the CPU affinity mask, capped by the cgroup's cpu.max quota
/// (rounded up). Read once; at least 1.
[[nodiscard]] int default_thread_count() noexcept;

/// True when called from inside an active parallel region (then calls here run serially).
[[nodiscard]] bool in_parallel_region() noexcept;

/// The number of threads a call with `work` items will use under policy `p`.
[[nodiscard]] inline int resolve_threads(const Parallelism& p, Index work) noexcept {
  if (work < p.threshold || work < 2 || in_parallel_region()) return 1;
  const int t = p.threads > 0 ? p.threads : default_thread_count();
  return static_cast<int>(std::min<Index>(static_cast<Index>(std::max(t, 1)), work));
}

namespace detail {
/// [begin, end) of part `part` of `parts` when n items are split in multiples of `block`.
[[nodiscard]] inline std::pair<Index, Index> split_range(Index n, Index block, int part,
                                                         int parts) noexcept {
  const Index blocks = (n + block - 1) / block;
  const auto p = static_cast<Index>(part), ps = static_cast<Index>(parts);
  const Index b0 = blocks * p / ps, b1 = blocks * (p + 1) / ps;
  return {std::min(b0 * block, n), std::min(b1 * block, n)};
}
}  // namespace detail

/// Calls f(begin, end) on disjoint ranges covering [0, n); one parallel region at most.
/// `block` must be a power of two >= 1; f must be noexcept in effect.
template <class F>
void parallel_for(Index n, Index block, const Parallelism& p, F&& f) {
  if (n == 0) return;
  const int threads = resolve_threads(p, n);
  if (threads <= 1) {
    f(Index{0}, n);
    return;
  }
#if defined(QMLSIM_HAVE_OPENMP)
#pragma omp parallel num_threads(threads)
  {
    const auto [begin, end] = detail::split_range(n, block, omp_get_thread_num(), omp_get_num_threads());
    if (begin < end) f(begin, end);
  }
#else
  (void)block;
  f(Index{0}, n);
#endif
}

/// Sums f(begin, end) -> double over fixed chunks of kSumChunk items, added in index order.
template <class F>
[[nodiscard]] double parallel_sum(Index n, const Parallelism& p, F&& f) {
  if (n == 0) return 0.0;
  const Index chunks = (n + kSumChunk - 1) / kSumChunk;
  if (chunks == 1) return f(Index{0}, n);
  if (resolve_threads(p, n) <= 1) {  // same chunks, same order, nothing allocated
    double total = 0.0;
    for (Index c = 0; c < chunks; ++c) total += f(c * kSumChunk, std::min(n, (c + 1) * kSumChunk));
    return total;
  }
  std::vector<double> partial(chunks);
  parallel_for(chunks, 1, resolve_threads(p, n) > 1 ? Parallelism{p.threads, 0} : Parallelism::serial(),
               [&](Index c0, Index c1) {
                 for (Index c = c0; c < c1; ++c)
                   partial[c] = f(c * kSumChunk, std::min(n, (c + 1) * kSumChunk));
               });
  double total = 0.0;
  for (double v : partial) total += v;
  return total;
}

/// Vector-valued sum: f(begin, end, acc) adds into acc[0..k) (zeroed per chunk); the chunk results
/// are added in index order into out[0..k). Scratch: at most max(kSumScratch, threads * k)
/// doubles whatever n is (rounds of chunks, one parallel region each; the order of the additions
/// into out is the same as in one round, so the result is too).
template <class F>
void parallel_sums(Index n, std::size_t k, double* out, const Parallelism& p, F&& f) {
  std::fill(out, out + k, 0.0);
  if (n == 0 || k == 0) return;
  const Index chunks = (n + kSumChunk - 1) / kSumChunk;
  constexpr std::size_t kSmall = 8;
  if (k <= kSmall && resolve_threads(p, n) <= 1) {  // same chunks, same order, nothing allocated
    double acc[kSmall];
    for (Index c = 0; c < chunks; ++c) {
      std::fill(acc, acc + k, 0.0);
      f(c * kSumChunk, std::min(n, (c + 1) * kSumChunk), acc);
      for (std::size_t j = 0; j < k; ++j) out[j] += acc[j];
    }
    return;
  }
  const int threads = resolve_threads(p, n);
  const Parallelism chunk_policy = threads > 1 ? Parallelism{threads, 0} : Parallelism::serial();
  // Chunks per round: enough for every thread, few enough that the scratch stays small.
  const Index round = std::min(chunks, std::max<Index>(kSumScratch / k, static_cast<Index>(threads)));
  std::vector<double> partial(round * k);
  for (Index r0 = 0; r0 < chunks; r0 += round) {
    const Index r1 = std::min(chunks, r0 + round);
    std::fill(partial.begin(), partial.begin() + static_cast<std::ptrdiff_t>((r1 - r0) * k), 0.0);
    parallel_for(r1 - r0, 1, chunk_policy, [&](Index c0, Index c1) {
      for (Index c = r0 + c0; c < r0 + c1; ++c)
        f(c * kSumChunk, std::min(n, (c + 1) * kSumChunk), partial.data() + (c - r0) * k);
    });
    for (Index c = r0; c < r1; ++c)
      for (std::size_t j = 0; j < k; ++j) out[j] += partial[(c - r0) * k + j];
  }
}

}  // namespace qmlsim

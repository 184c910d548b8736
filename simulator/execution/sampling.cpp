#include "simulator/execution/sampling.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "simulator/core/bits.hpp"
#include "simulator/core/validate.hpp"
#include "simulator/core/rng.hpp"

namespace qmlsim {

std::vector<double> sorted_uniforms(std::uint64_t shots, double total, std::uint64_t seed, std::uint64_t stream) {
  // U_(k) = (E_1 + ... + E_k) / (E_1 + ... + E_{S+1}) for i.i.d. Exp(1) E_j are the order
  // statistics of S uniforms: sorted without sorting.
  std::vector<double> u(shots);
  Rng rng(seed, stream);
  double acc = 0.0;
  for (auto& x : u) {
    acc += rng.exponential();
    x = acc;
  }
  acc += rng.exponential();
  const double scale = total / acc;
  for (auto& x : u) x *= scale;
  return u;
}

namespace {

// Per distinct outcome: its (index, count) entry in a chunk's list (16 bytes, up to twice that
// with vector growth), its std::map node (48 bytes, 64 with the allocator's header and
// rounding), and the node of one re-keyed copy a caller makes (clbit keys, ranking).
constexpr std::uint64_t kBytesPerOutcome = 32 + 64 + 64;
// Per chunk of kSumChunk amplitudes: its prefix sum (8 bytes) and its outcome list (24 bytes).
constexpr std::uint64_t kBytesPerChunk = 8 + 24;
constexpr std::uint64_t kMaxShots = std::uint64_t{1} << 56;

// Draws `shots` outcomes over all qubits and calls add(index, count) once per distinct outcome,
// in ascending index order. What the two sample_counts() overloads share: the subset overload
// folds outcomes as they come, so no map over all qubits is ever built.
template <class R, class Add>
void sample_outcomes(const StateVector<R>& state, std::uint64_t shots, std::uint64_t seed, const MemoryLimit& memory,
                     const Parallelism& par, Add&& add) {
  if (shots == 0) return;
  check_range(shots, 0, kMaxShots, "sample: number of shots");
  ensure_memory(sample_scratch_bytes(state.num_qubits(), shots), std::to_string(shots) + " shots", memory);
  const Index n = state.size();
  const auto* d = state.data();
  // Pass 1: probability mass per fixed chunk (deterministic), prefix sums in order.
  const Index chunks = (n + kSumChunk - 1) / kSumChunk;
  std::vector<double> prefix(chunks + 1, 0.0);
  const int threads = resolve_threads(par, n);
  parallel_for(chunks, 1, Parallelism{threads, 0}, [&](Index c0, Index c1) noexcept {
    for (Index c = c0; c < c1; ++c) {
      double s = 0.0;
      for (Index i = c * kSumChunk, e = std::min(n, (c + 1) * kSumChunk); i < e; ++i) s += static_cast<double>(std::norm(d[i]));
      prefix[c + 1] = s;
    }
  });
  for (Index c = 0; c < chunks; ++c) prefix[c + 1] += prefix[c];
  const double total = prefix[chunks];
  if (!(total > 0.0)) throw InvalidArgument("cannot sample from a state of norm zero");
  const std::vector<double> u = sorted_uniforms(shots, total, seed);
  // The last chunk with probability mass takes any uniform that rounding puts at the very top.
  Index last_chunk = chunks - 1;
  while (last_chunk > 0 && prefix[last_chunk + 1] == prefix[last_chunk]) --last_chunk;
  // Pass 2: each chunk walks its amplitudes and assigns the uniforms that fall in its range.
  std::vector<std::vector<std::pair<Index, std::uint64_t>>> found(chunks);
  parallel_for(chunks, 1, Parallelism{threads, 0}, [&](Index c0, Index c1) noexcept {
    for (Index c = c0; c < c1; ++c) {
      auto lo = std::lower_bound(u.begin(), u.end(), prefix[c]);
      if (c > last_chunk) continue;
      auto hi = c == last_chunk ? u.end() : std::lower_bound(lo, u.end(), prefix[c + 1]);
      if (lo == hi) continue;
      double cum = prefix[c];
      Index last_nonzero = c * kSumChunk;
      auto& out = found[c];
      for (Index i = c * kSumChunk, e = std::min(n, (c + 1) * kSumChunk); i < e && lo != hi; ++i) {
        const double p = static_cast<double>(std::norm(d[i]));
        if (p == 0.0) continue;
        last_nonzero = i;
        cum += p;
        std::uint64_t k = 0;
        while (lo != hi && *lo < cum) {
          ++lo;
          ++k;
        }
        if (k) out.emplace_back(i, k);
      }
      // Rounding may leave the last few uniforms just past the running sum: they belong here.
      if (lo != hi) {
        const auto k = static_cast<std::uint64_t>(hi - lo);
        if (!out.empty() && out.back().first == last_nonzero) out.back().second += k;
        else out.emplace_back(last_nonzero, k);
      }
    }
  });
  for (auto& v : found) {
    for (const auto& [i, k] : v) add(i, k);
    std::vector<std::pair<Index, std::uint64_t>>().swap(v);  // freed as it is folded
  }
}

}  // namespace

std::uint64_t sample_scratch_bytes(int num_qubits, std::uint64_t shots) noexcept {
  const Index n = Index{1} << num_qubits;
  const Index chunks = (n + kSumChunk - 1) / kSumChunk;
  const std::uint64_t s = std::min(shots, kMaxShots);
  return s * sizeof(double) + (chunks + 1) * kBytesPerChunk + std::min<std::uint64_t>(s, n) * kBytesPerOutcome;
}

template <class R>
Counts sample_counts(const StateVector<R>& state, std::uint64_t shots, std::uint64_t seed, const MemoryLimit& memory,
                     const Parallelism& par) {
  Counts counts;
  // Outcomes arrive in ascending order, each once: every insertion goes at the end.
  sample_outcomes(state, shots, seed, memory, par, [&](Index i, std::uint64_t k) { counts.emplace_hint(counts.end(), i, k); });
  return counts;
}

template <class R>
Counts sample_counts(const StateVector<R>& state, std::span<const Qubit> qubits, std::uint64_t shots, std::uint64_t seed,
                     const MemoryLimit& memory, const Parallelism& par) {
  Index mask = 0;
  for (Qubit q : qubits) {
    check_index(q, state.num_qubits(), "sample: qubit");
    if (mask & bit(q)) throw InvalidArgument("sample: qubit " + std::to_string(q) + " used twice");
    mask |= bit(q);
  }
  Counts out;
  const int m = static_cast<int>(qubits.size());
  sample_outcomes(state, shots, seed, memory, par,
                  [&](Index i, std::uint64_t k) { out[extract_bits(i, qubits.data(), m)] += k; });
  return out;
}

template Counts sample_counts<double>(const StateVector<double>&, std::uint64_t, std::uint64_t, const MemoryLimit&,
                                      const Parallelism&);
template Counts sample_counts<float>(const StateVector<float>&, std::uint64_t, std::uint64_t, const MemoryLimit&,
                                     const Parallelism&);
template Counts sample_counts<double>(const StateVector<double>&, std::span<const Qubit>, std::uint64_t, std::uint64_t,
                                      const MemoryLimit&, const Parallelism&);
template Counts sample_counts<float>(const StateVector<float>&, std::span<const Qubit>, std::uint64_t, std::uint64_t,
                                     const MemoryLimit&, const Parallelism&);

}  // namespace qmlsim

#include "simulator/execution/sampling.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "simulator/core/bits.hpp"
#include "simulator/core/errors.hpp"
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

template <class R>
Counts sample_counts(const StateVector<R>& state, std::uint64_t shots, std::uint64_t seed) {
  Counts counts;
  if (shots == 0) return counts;
  const Index n = state.size();
  // The sorted uniforms, plus per distinct outcome a found-pair and a map node.
  if (shots > (std::uint64_t{1} << 56)) throw InvalidArgument("at most 2^56 shots can be sampled at once");
  ensure_memory(shots * sizeof(double) + std::min<std::uint64_t>(shots, n) * 96, std::to_string(shots) + " shots");
  const auto* d = state.data();
  const Parallelism& par = state.parallelism();
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
  for (const auto& v : found)
    for (const auto& [i, k] : v) counts[i] += k;
  return counts;
}

template <class R>
Counts sample_counts(const StateVector<R>& state, std::span<const Qubit> qubits, std::uint64_t shots, std::uint64_t seed) {
  Index mask = 0;
  for (Qubit q : qubits) {
    if (q < 0 || q >= state.num_qubits())
      throw InvalidArgument("sample: qubit " + std::to_string(q) + " out of range [0, " + std::to_string(state.num_qubits()) + ")");
    if (mask & bit(q)) throw InvalidArgument("sample: qubit " + std::to_string(q) + " used twice");
    mask |= bit(q);
  }
  Counts full = sample_counts(state, shots, seed), out;
  const int m = static_cast<int>(qubits.size());
  for (const auto& [i, k] : full) out[extract_bits(i, qubits.data(), m)] += k;
  return out;
}

template Counts sample_counts<double>(const StateVector<double>&, std::uint64_t, std::uint64_t);
template Counts sample_counts<float>(const StateVector<float>&, std::uint64_t, std::uint64_t);
template Counts sample_counts<double>(const StateVector<double>&, std::span<const Qubit>, std::uint64_t, std::uint64_t);
template Counts sample_counts<float>(const StateVector<float>&, std::span<const Qubit>, std::uint64_t, std::uint64_t);

}  // namespace qmlsim

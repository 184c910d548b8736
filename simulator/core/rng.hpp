#pragma once
/// Reproducible randomness: xoshiro256** seeded through splitmix64, with our own conversions to
/// doubles (never std::*_distribution, whose output differs between standard libraries).
/// Independent streams: Rng(seed, stream) gives stream `stream` of seed `seed`; shot i and batch
/// item i use stream i, so results do not depend on the thread count or the order of work.
#include <cmath>
#include <cstdint>

namespace qmlsim {

/// splitmix64 step: advances `state` and returns a well-mixed 64-bit value.
[[nodiscard]] constexpr std::uint64_t splitmix64(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

class Rng {
 public:
  using result_type = std::uint64_t;

  /// Stream `stream` of `seed`. Different (seed, stream) pairs give unrelated sequences.
  explicit constexpr Rng(std::uint64_t seed, std::uint64_t stream = 0) noexcept {
    std::uint64_t x = seed;
    const std::uint64_t a = splitmix64(x);
    std::uint64_t y = stream ^ 0xD1B54A32D192ED03ULL;
    const std::uint64_t b = splitmix64(y);
    std::uint64_t sm = a ^ (b * 0x9E3779B97F4A7C15ULL) ^ (b >> 29);
    for (auto& word : s_) word = splitmix64(sm);
  }

  [[nodiscard]] static constexpr result_type min() noexcept { return 0; }
  [[nodiscard]] static constexpr result_type max() noexcept { return ~result_type{0}; }

  /// Next 64 random bits (xoshiro256**).
  constexpr result_type operator()() noexcept {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  /// Uniform double in [0, 1) with 53 random bits.
  [[nodiscard]] constexpr double uniform() noexcept {
    return static_cast<double>((*this)() >> 11) * 0x1.0p-53;
  }

  /// Uniform double in (0, 1]: safe for log().
  [[nodiscard]] constexpr double uniform_pos() noexcept {
    return static_cast<double>(((*this)() >> 11) + 1) * 0x1.0p-53;
  }

  /// Uniform integer in [0, n) (n > 0), by Lemire's multiply-shift with rejection.
  [[nodiscard]] std::uint64_t below(std::uint64_t n) noexcept {
    __extension__ using u128 = unsigned __int128;
    u128 m = static_cast<u128>((*this)()) * n;
    auto low = static_cast<std::uint64_t>(m);
    if (low < n) {
      const std::uint64_t threshold = (0 - n) % n;
      while (low < threshold) {
        m = static_cast<u128>((*this)()) * n;
        low = static_cast<std::uint64_t>(m);
      }
    }
    return static_cast<std::uint64_t>(m >> 64);
  }

  /// Exponential(1) variate.
  [[nodiscard]] double exponential() noexcept { return -std::log(uniform_pos()); }

  /// Standard normal variate (Box-Muller, one value per call; deterministic).
  [[nodiscard]] double normal() noexcept {
    const double u1 = uniform_pos(), u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept {
    return (x << k) | (x >> (64 - k));
  }
  std::uint64_t s_[4]{};
};

}  // namespace qmlsim

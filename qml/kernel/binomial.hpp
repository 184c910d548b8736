#pragma once
/// Binomial variates on qmlsim's Rng (never std::binomial_distribution, whose output differs
/// between standard libraries): shot-based kernel estimates draw Binomial(shots, K_ij).
#include <cstdint>

#include "simulator/core/rng.hpp"

namespace qmlsim::qml {

/// A Binomial(n, p) variate (p is clamped to [0, 1]). Exact in distribution up to the rounding of
/// the probabilities it sums: inversion of the CDF, walked from 0 when n min(p, 1 - p) < 10 and
/// from the mode outwards otherwise (expected O(sqrt(n p (1 - p))) steps), with p <= 1/2 by the
/// symmetry Binomial(n, p) = n - Binomial(n, 1 - p). One uniform per draw (another only in the
/// rare case where rounding leaves the walk short of the uniform). Deterministic per Rng state.
[[nodiscard]] std::uint64_t binomial(Rng& rng, std::uint64_t n, double p) noexcept;

}  // namespace qmlsim::qml

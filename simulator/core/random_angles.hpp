#pragma once
/// Seeded random angles: initial values for a circuit's parameters (a standard circuit's angles,
/// a model's initial weights, a benchmark's inputs). The angles are a function of (seed, stream)
/// alone, the same on every machine and thread count.
#include <cstdint>
#include <vector>

#include "simulator/core/rng.hpp"

namespace qmlsim {

/// `count` angles uniform in [-pi, pi): angle i is (2 u_i - 1) pi, u_i the i-th rng.uniform().
/// Advances `rng` by `count` draws. Throws InvalidArgument for a negative count.
[[nodiscard]] std::vector<double> uniform_angles(int count, Rng& rng);

/// uniform_angles(count, Rng(seed, stream)): a longer list starts with the shorter one, and
/// streams 0, 1, ... of one seed give unrelated lists (one per restart or per model).
[[nodiscard]] std::vector<double> uniform_angles(int count, std::uint64_t seed, std::uint64_t stream = 0);

}  // namespace qmlsim

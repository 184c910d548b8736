#include "simulator/core/random_angles.hpp"

#include <string>

#include "simulator/core/errors.hpp"
#include "simulator/core/types.hpp"

namespace qmlsim {

std::vector<double> uniform_angles(int count, Rng& rng) {
  if (count < 0) throw InvalidArgument("uniform_angles: count " + std::to_string(count) + " is negative");
  std::vector<double> theta;
  theta.reserve(static_cast<std::size_t>(count));
  // Our own conversion (never std::uniform_real_distribution): the same doubles everywhere.
  for (int i = 0; i < count; ++i) theta.push_back((2.0 * rng.uniform() - 1.0) * kPi);
  return theta;
}

std::vector<double> uniform_angles(int count, std::uint64_t seed, std::uint64_t stream) {
  Rng rng(seed, stream);
  return uniform_angles(count, rng);
}

}  // namespace qmlsim

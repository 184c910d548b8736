#include "qml/eval/importance.hpp"

#include <cmath>
#include <utility>

#include "simulator/core/errors.hpp"
#include "simulator/core/rng.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim::qml {

std::vector<FeatureImportance> permutation_importance(const Dataset& data, const ScoreFunction& score, int repeats,
                                                      std::uint64_t seed) {
  check_positive(repeats, "permutation importance: repeats");
  if (data.size() == 0) throw InvalidArgument("permutation importance: no rows");
  const auto checked = [&](const FeatureMatrix& x, const auto& what) {
    const double s = score(x);
    check_finite(s, what);
    return s;
  };
  const double baseline = checked(data.x(), "permutation importance: score of the unpermuted rows");
  FeatureMatrix x = data.x();
  const Eigen::Index n = x.rows();
  std::vector<FeatureImportance> result;
  std::vector<double> drops(static_cast<std::size_t>(repeats));
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    // Each repeat shuffles the column as the previous one left it (a uniform permutation again).
    Rng rng(seed, static_cast<std::uint64_t>(j));
    for (int r = 0; r < repeats; ++r) {
      for (Eigen::Index i = n - 1; i > 0; --i)
        std::swap(x(i, j), x(static_cast<Eigen::Index>(rng.below(static_cast<std::uint64_t>(i) + 1)), j));
      drops[static_cast<std::size_t>(r)] =
          baseline - checked(x, [&] { return "permutation importance: score with feature " + std::to_string(j) +
                                             " shuffled (repeat " + std::to_string(r) + ")"; });
    }
    x.col(j) = data.x().col(j);
    FeatureImportance f;
    f.feature = data.feature_names()[static_cast<std::size_t>(j)];
    for (const double d : drops) f.mean += d;
    f.mean /= repeats;
    for (const double d : drops) f.std += (d - f.mean) * (d - f.mean);
    f.std = std::sqrt(f.std / repeats);
    result.push_back(std::move(f));
  }
  return result;
}

}  // namespace qmlsim::qml

#pragma once
/// Permutation feature importance (Breiman 2001; scikit-learn's permutation_importance): the drop
/// in a score when one feature column of held-out rows is shuffled, `repeats` times per feature.
/// Shuffles are Fisher-Yates from Rng(seed, stream = feature), so the result depends on the seed
/// only; the model is only asked to predict (any Estimator, quantum or classical).
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "qml/data/dataset.hpp"

namespace qmlsim::qml {

/// Scores a prediction run on `x` against the rows' truth (higher is better): accuracy for
/// classifiers, R^2 for regressors, as the caller chooses.
using ScoreFunction = std::function<double(const FeatureMatrix& x)>;

struct FeatureImportance {
  std::string feature;  ///< the feature's name
  double mean = 0.0;    ///< baseline score - permuted score, mean over repeats
  double std = 0.0;     ///< standard deviation over repeats (denominator repeats, as scikit-learn)
};

/// Importance of every column of `data.x()`, in column order (not sorted). `score` is called once
/// on the rows as they are, then `repeats` times per feature, in order (never in parallel: it may
/// run circuits); repeat r of feature j shuffles column j as repeat r - 1 left it, with one
/// Rng(seed, j) per feature. Throws InvalidArgument for repeats < 1, no rows, or a score that is
/// not finite.
[[nodiscard]] std::vector<FeatureImportance> permutation_importance(const Dataset& data, const ScoreFunction& score,
                                                                    int repeats, std::uint64_t seed);

}  // namespace qmlsim::qml

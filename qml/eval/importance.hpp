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

/// Importance of every column of `data.x()`, in column order (not sorted). Throws InvalidArgument
/// for repeats < 1 or no rows.
[[nodiscard]] std::vector<FeatureImportance> permutation_importance(const Dataset& data, const ScoreFunction& score,
                                                                    int repeats, std::uint64_t seed);

}  // namespace qmlsim::qml

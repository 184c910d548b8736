#pragma once
/// Scores of predictions against the truth (plain functions; the compare issue adds more).
#include <span>

#include "qml/data/dataset.hpp"

namespace qmlsim::qml {

/// Fraction of equal entries. Throws InvalidArgument for different lengths or empty input.
[[nodiscard]] double accuracy(std::span<const int> truth, std::span<const int> predicted);
/// Mean of (truth - predicted)^2. Same checks.
[[nodiscard]] double mean_squared_error(std::span<const double> truth, std::span<const double> predicted);
/// Coefficient of determination 1 - SS_res / SS_tot, as scikit-learn's r2_score (1 when both
/// are 0; 0 when only SS_tot is 0 and the prediction is not perfect).
[[nodiscard]] double r2_score(std::span<const double> truth, std::span<const double> predicted);

}  // namespace qmlsim::qml

#pragma once
/// `qmlsim predict`: applies a saved model (`train --save`) to the rows of a CSV file: one row per
/// sample with the predicted label name (or value), class probabilities on request, and the
/// accuracy (R^2 and MSE for regression) when the file has labels.
#include <iosfwd>
#include <string>
#include <vector>

namespace qmlsim::cli {

inline constexpr const char* kPredictSummary = "predict with a saved model on the rows of a CSV file";

void predict_command(const std::vector<std::string>& args, std::ostream& out);

}  // namespace qmlsim::cli

#pragma once
/// `qmlsim explain`: which features a saved model (`train --save`) relies on, by permutation
/// importance on labelled rows of a CSV file: the drop in accuracy (R^2 for regression models)
/// when one feature column is shuffled, per feature, sorted by importance.
#include <iosfwd>
#include <string>
#include <vector>

namespace qmlsim::cli {

inline constexpr const char* kExplainSummary = "permutation feature importance of a saved model on labelled rows";

void explain_command(const std::vector<std::string>& args, std::ostream& out);

}  // namespace qmlsim::cli

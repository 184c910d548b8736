#pragma once
/// `qmlsim compare`: quantum against classical models on the same folds and preprocessing (the
/// protocol of qml/eval/compare.hpp), printed as one table row per model with the significance
/// summary; optionally a plot and a self-contained HTML report. With no arguments, the embedded
/// default run (iris, the default models, 5 folds, seed 1).
#include <iosfwd>
#include <string>
#include <vector>

namespace qmlsim::cli {

inline constexpr const char* kCompareSummary = "compare quantum and classical models on the same folds, with significance";

void compare_command(const std::vector<std::string>& args, std::ostream& out);

}  // namespace qmlsim::cli

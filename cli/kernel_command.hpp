#pragma once
/// `qmlsim kernel`: the quantum kernel matrix of a data set: the training Gram matrix (and the
/// test-by-train cross-Gram matrix when there are test rows), its time split (states / product),
/// the product's GFLOP/s and the diagnostics (kernel-target alignment, off-diagonal concentration,
/// smallest eigenvalue, geometric difference to an RBF kernel). Writes the matrices as CSV and a
/// heat map on request. JSON: one object with the same keys as the table.
#include <iosfwd>
#include <string>
#include <vector>

namespace qmlsim::cli {

inline constexpr const char* kKernelSummary = "compute a quantum kernel (Gram) matrix, its timing and diagnostics";

void kernel_command(const std::vector<std::string>& args, std::ostream& out);

}  // namespace qmlsim::cli

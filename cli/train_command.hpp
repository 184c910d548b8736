#pragma once
/// `qmlsim train`: fits a kernel machine (qsvc, qsvr, qkrr, qoneclass on a quantum kernel; svm-rbf,
/// svr-rbf classically), prints its training and test scores, support vectors and time, and saves
/// the model (JSON, atomic) for `qmlsim predict`.
#include <iosfwd>
#include <string>
#include <vector>

namespace qmlsim::cli {

inline constexpr const char* kTrainSummary = "train a kernel machine (qsvc, qsvr, qkrr, ...) or a variational model (vqc, reupload, ...) and save it";

void train_command(const std::vector<std::string>& args, std::ostream& out);

}  // namespace qmlsim::cli

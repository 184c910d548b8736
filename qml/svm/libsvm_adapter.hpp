#pragma once
/// The one door to libsvm (implemented in libsvm_adapter.cpp, the only file that includes
/// <libsvm/svm.h>). Used by svm_model.cpp; nothing else calls it.
#include <Eigen/Core>
#include <cstddef>
#include <span>

#include "qml/svm/svm_model.hpp"

namespace qmlsim::qml::detail {

/// Trains libsvm on the sub-problem of kernel `k` formed by `rows` (indices into k; sub-kernels
/// are free with a precomputed kernel), y[p] the label of rows[p]. C-SVC labels must be the class
/// indices 0 .. C-1, each present; the rows are grouped by class (stably) before libsvm sees them,
/// so its class order is the index order. Never asks libsvm for probabilities (they use rand()).
/// Support indices in the result index `k`. Throws ResourceError before allocating libsvm's
/// N(N+2) nodes beyond params.memory, InvalidArgument with svm_check_parameter's text.
[[nodiscard]] SvmTraining libsvm_train(const Eigen::MatrixXd& k, std::span<const std::size_t> rows,
                                       std::span<const double> y, const SvmParams& params);

}  // namespace qmlsim::qml::detail

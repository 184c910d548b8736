#pragma once
/// Support vector machines on classical kernels, as scikit-learn's SVC and SVR (libsvm, trained
/// through qml/svm on the kernel matrix computed here; prediction with SvmModel from the kernel
/// against the stored support rows):
///   svm-rbf     C (1), gamma (scale), tol (1e-3)
///   svm-linear  C (1), tol (1e-3)
///   svm-poly    C (1), gamma (scale), degree (3), coef0 (0), tol (1e-3)
///   svr-rbf     C (1), epsilon (0.1), gamma (scale), tol (1e-3)
/// gamma: 'scale' = 1 / (features * var(X)) of the preprocessed training rows, 'auto' =
/// 1 / features, or a number > 0. No probabilities (SVC's probability=False); score_class1 is
/// the decision value, positive for class 1 (scikit-learn's decision_function).
#include <memory>
#include <string>
#include <vector>

#include "qml/models/estimator.hpp"

namespace qmlsim::qml {

/// The types above.
[[nodiscard]] std::vector<std::string> svc_model_names();
/// The parameter keys of one of svc_model_names(), in the order above.
[[nodiscard]] std::vector<std::string> svc_parameter_keys(const std::string& type);
/// config.type is one of svc_model_names(). Validates every parameter.
[[nodiscard]] std::unique_ptr<Estimator> make_svc(const ModelConfig& config, const EstimatorContext& context);

}  // namespace qmlsim::qml

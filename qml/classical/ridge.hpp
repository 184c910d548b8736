#pragma once
/// Ridge regressors as scikit-learn's Ridge() and KernelRidge(kernel='rbf'):
///   ridge    linear, alpha (1): w = (Xc^T Xc + alpha I)^-1 Xc^T yc on the centred rows and
///            targets, intercept mean(y) - mean(X) w (not penalised)
///   krr-rbf  kernel ridge, alpha (1), gamma (scale): c = (K + alpha I)^-1 y, prediction
///            K(x, train) c, no intercept (as KernelRidge)
/// Both solve with Eigen's LDLT.
#include <memory>
#include <string>
#include <vector>

#include "qml/models/estimator.hpp"

namespace qmlsim::qml {

/// ridge: alpha; krr-rbf: alpha, gamma.
[[nodiscard]] std::vector<std::string> ridge_parameter_keys(const std::string& type);
/// config.type is "ridge" or "krr-rbf". Validates every parameter.
[[nodiscard]] std::unique_ptr<Estimator> make_ridge(const ModelConfig& config, const EstimatorContext& context);

}  // namespace qmlsim::qml

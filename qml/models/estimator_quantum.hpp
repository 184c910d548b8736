#pragma once
/// Private to models/estimator.cpp: the Estimator adapters over KernelModel and QnnModel and the
/// parsing of their hyperparameters (documented in estimator.hpp).
#include <memory>
#include <string>
#include <vector>

#include "qml/models/estimator.hpp"

namespace qmlsim::qml {

/// The quantum types, in --help order (classifiers, then regressors).
[[nodiscard]] const std::vector<std::string>& quantum_model_names();
/// The hyperparameter keys of a quantum type, in --help order.
[[nodiscard]] std::vector<std::string> quantum_parameter_keys(const std::string& type);
/// Builds an unfitted quantum model (config.type one of quantum_model_names()), every parameter
/// validated; InvalidArgument "model 'NAME': ..." naming the valid keys or values.
[[nodiscard]] std::unique_ptr<Estimator> make_quantum_estimator(const ModelConfig& config, const EstimatorContext& context);

}  // namespace qmlsim::qml

#pragma once
/// Multi-layer perceptrons on Eigen with scikit-learn's MLPClassifier / MLPRegressor defaults:
/// hidden_layer_sizes (100,), ReLU, Adam (learning_rate_init 1e-3, beta1 0.9, beta2 0.999, eps
/// 1e-8), alpha (L2) 1e-4, batch_size min(200, n), max_iter 200 epochs, tol 1e-4,
/// n_iter_no_change 10, shuffled mini-batches (from Rng(seed)), Glorot-uniform initialisation as
/// scikit-learn's (bound sqrt(6 / (fan_in + fan_out)), factor 2 for logistic outputs), softmax
/// (or logistic for two classes) output with cross-entropy; identity output with half squared
/// error for the regressor. early_stopping=false by default (as scikit-learn): training stops when
/// the training loss has not improved by tol for n_iter_no_change epochs; early_stopping=true holds
/// out validation_fraction (0.1, stratified for classifiers) and stops on its score, keeping the
/// best weights.
/// Parameters (ModelConfig::params): hidden ("100" or "100,50"), alpha, learning_rate_init,
/// batch_size, max_iter, tol, n_iter_no_change, early_stopping (true|false), validation_fraction.
#include <memory>
#include <string>
#include <vector>

#include "qml/models/estimator.hpp"

namespace qmlsim::qml {

/// The parameter keys above, in that order.
[[nodiscard]] std::vector<std::string> mlp_parameter_keys();
/// config.type is "mlp" (classifier) or "mlp-regressor". Validates every parameter.
[[nodiscard]] std::unique_ptr<Estimator> make_mlp(const ModelConfig& config, const EstimatorContext& context);

}  // namespace qmlsim::qml

#pragma once
/// Multi-layer perceptrons on Eigen with scikit-learn's MLPClassifier / MLPRegressor defaults:
/// hidden_layer_sizes (100,), ReLU, Adam (learning_rate_init 1e-3, beta1 0.9, beta2 0.999, eps
/// 1e-8), alpha (L2) 1e-4, batch_size min(200, n), max_iter 200 epochs, tol 1e-4,
/// n_iter_no_change 10, mini-batches reshuffled every epoch (from Rng(seed)), Glorot-uniform
/// initialisation as scikit-learn's for ReLU (weights and biases uniform in
/// +-sqrt(6 / (fan_in + fan_out))), softmax (or one logistic unit for two classes) output with
/// cross-entropy; identity output with half squared error for the regressor; the L2 term
/// alpha/2 |W|^2 / batch rows on the weights, not the biases. early_stopping=false by default (as
/// scikit-learn): training stops once the epoch's training loss has failed to improve on the best
/// by tol more than n_iter_no_change times in a row; early_stopping=true holds out
/// validation_fraction (0.1, stratified for classifiers) and applies the same test to its score
/// (accuracy, or R^2 for the regressor), keeping the best-scoring weights.
/// Parameters (ModelConfig::params): hidden ("100", "100,50" or "100x50", the form a
/// command-line spec can carry), alpha, learning_rate_init, batch_size (auto|N), max_iter, tol,
/// n_iter_no_change, early_stopping (true|false), validation_fraction.
/// fit() reports the epochs run as iterations; a diverging loss (non-finite) throws
/// InvalidArgument asking for a lower learning_rate_init. Preprocessing:
/// model_preprocess_spec(context, "standard"), fitted in fit().
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

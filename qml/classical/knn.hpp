#pragma once
/// k nearest neighbours as scikit-learn's KNeighborsClassifier / KNeighborsRegressor defaults:
/// n_neighbors (5), uniform weights, Euclidean distance on the preprocessed rows. Neighbours are
/// the k closest training rows, equal distances broken by the lower training index. knn predicts
/// the most frequent class among them (ties to the lowest class index, as scikit-learn's argmax
/// of the counts) and gives their class fractions as probabilities; knn-regressor predicts their
/// mean target.
#include <memory>
#include <string>
#include <vector>

#include "qml/models/estimator.hpp"

namespace qmlsim::qml {

/// n_neighbors.
[[nodiscard]] std::vector<std::string> knn_parameter_keys();
/// config.type is "knn" or "knn-regressor". Validates every parameter; fit() throws
/// InvalidArgument when n_neighbors exceeds the training rows.
[[nodiscard]] std::unique_ptr<Estimator> make_knn(const ModelConfig& config, const EstimatorContext& context);

}  // namespace qmlsim::qml

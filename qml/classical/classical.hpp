#pragma once
/// The classical baselines of `compare`, each an Estimator (models/estimator.hpp) with
/// scikit-learn's defaults, so "a good classical model" means what the field's users expect:
///   svm-rbf, svm-linear, svm-poly  SVC (libsvm through qml/svm), C = 1, gamma = 'scale'
///                                  (1 / (features * var(X))), poly degree 3, coef0 0, tol 1e-3
///   logreg                         logistic regression, L2, C = 1: multinomial (softmax) for
///                                  3+ classes, one logistic output for 2 (scikit-learn's 'auto');
///                                  objective sum of cross-entropies + |W|^2 / (2C), intercepts
///                                  not penalised; L-BFGS from the NLopt adapter (qml/optim), tol
///                                  1e-4, max_iter 100 (classical/logistic_regression.hpp)
///   mlp                            MLPClassifier (classical/mlp.hpp)
///   knn                            k nearest neighbours, k = 5, uniform weights, Euclidean
///   svr-rbf                        epsilon-SVR, C = 1, epsilon 0.1, gamma 'scale'
///   krr-rbf                        kernel ridge, alpha 1, RBF gamma 'scale'
///   ridge                          linear ridge regression, alpha 1, intercept not penalised
///   mlp-regressor                  MLPRegressor (classical/mlp.hpp)
///   knn-regressor                  mean of the 5 nearest targets
/// Every model fits its preprocessing (model_preprocess_spec(context, "standard")) on its training
/// rows inside fit().
#include <memory>
#include <string>
#include <vector>

#include "qml/models/estimator.hpp"

namespace qmlsim::qml {

/// The classical types, in --help order: svm-rbf, svm-linear, svm-poly, logreg, mlp, knn,
/// svr-rbf, krr-rbf, ridge, mlp-regressor, knn-regressor.
[[nodiscard]] std::vector<std::string> classical_model_names();
/// The hyperparameter keys of a classical type (e.g. svm-rbf: C, gamma, tol), in --help order.
[[nodiscard]] std::vector<std::string> classical_parameter_keys(const std::string& type);
/// Builds an unfitted classical model, validating every parameter (InvalidArgument naming the
/// valid keys or values). Throws InvalidArgument for a type not in classical_model_names().
[[nodiscard]] std::unique_ptr<Estimator> make_classical_estimator(const ModelConfig& config,
                                                                  const EstimatorContext& context);

}  // namespace qmlsim::qml

#pragma once
/// logreg: L2-regularised logistic regression as scikit-learn 1.2's LogisticRegression() (solver
/// lbfgs, multi_class 'auto'): for two classes one weight vector with the logistic loss (what
/// 'auto' picks for binary data), for more classes the multinomial (softmax) model. Objective
/// sum_i CE_i + |W|^2 / (2 C), intercepts not penalised (scikit-learn 1.2's scaling, so that tol
/// means the same), minimised from zero by L-BFGS (qml/optim's NLopt adapter, memory 10) with
/// the exact gradient. Stops when the largest gradient entry is <= tol (scipy's pgtol, the rule
/// scikit-learn's tol sets), when NLopt's L-BFGS can make no more progress, or after max_iter
/// objective evaluations (scipy counts L-BFGS iterations, each at least one evaluation). scipy
/// also stops on a relative decrease of the objective below 2.2e-9, which qmlsim does not: its
/// solutions are at least as close to the optimum as scikit-learn's (whose probabilities are
/// within 6e-5 of the exact optimum's on iris and breast_cancer).
/// Parameters: C (1), tol (1e-4), max_iter (100). Probabilities: softmax (logistic) of the scores.
#include <memory>
#include <string>
#include <vector>

#include "qml/models/estimator.hpp"

namespace qmlsim::qml {

/// C, tol, max_iter.
[[nodiscard]] std::vector<std::string> logistic_regression_parameter_keys();
/// config.type is "logreg". Validates every parameter.
[[nodiscard]] std::unique_ptr<Estimator> make_logistic_regression(const ModelConfig& config,
                                                                  const EstimatorContext& context);

}  // namespace qmlsim::qml

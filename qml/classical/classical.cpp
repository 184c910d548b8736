#include "qml/classical/classical.hpp"

#include <algorithm>

#include "qml/classical/knn.hpp"
#include "qml/classical/logistic_regression.hpp"
#include "qml/classical/mlp.hpp"
#include "qml/classical/ridge.hpp"
#include "qml/classical/svc.hpp"
#include "qml/encoding/component_spec.hpp"
#include "simulator/core/errors.hpp"

namespace qmlsim::qml {

namespace {

// Each classical type with its factory and parameter keys: the one table the registry reads.
struct ClassicalType {
  const char* name;
  std::unique_ptr<Estimator> (*make)(const ModelConfig&, const EstimatorContext&);
  std::vector<std::string> (*keys)(const std::string& type);
};

std::vector<std::string> logreg_keys(const std::string&) { return logistic_regression_parameter_keys(); }
std::vector<std::string> mlp_keys(const std::string&) { return mlp_parameter_keys(); }
std::vector<std::string> knn_keys(const std::string&) { return knn_parameter_keys(); }

constexpr ClassicalType kTypes[] = {
    {"svm-rbf", make_svc, svc_parameter_keys},
    {"svm-linear", make_svc, svc_parameter_keys},
    {"svm-poly", make_svc, svc_parameter_keys},
    {"logreg", make_logistic_regression, logreg_keys},
    {"mlp", make_mlp, mlp_keys},
    {"knn", make_knn, knn_keys},
    {"svr-rbf", make_svc, svc_parameter_keys},
    {"krr-rbf", make_ridge, ridge_parameter_keys},
    {"ridge", make_ridge, ridge_parameter_keys},
    {"mlp-regressor", make_mlp, mlp_keys},
    {"knn-regressor", make_knn, knn_keys},
};

const ClassicalType& find_type(const std::string& type) {
  const auto* it = std::find_if(std::begin(kTypes), std::end(kTypes), [&](const auto& t) { return type == t.name; });
  if (it == std::end(kTypes))
    throw InvalidArgument("unknown classical model '" + type + "' (valid: " + join_names(classical_model_names()) + ")");
  return *it;
}

}  // namespace

std::vector<std::string> classical_model_names() {
  std::vector<std::string> names;
  for (const auto& t : kTypes) names.emplace_back(t.name);
  return names;
}

std::vector<std::string> classical_parameter_keys(const std::string& type) { return find_type(type).keys(type); }

std::unique_ptr<Estimator> make_classical_estimator(const ModelConfig& config, const EstimatorContext& context) {
  return find_type(config.type).make(config, context);
}

}  // namespace qmlsim::qml

// The compare registry: one list of names, each mapped to its kind and task; quantum types go to
// the adapters of estimator_quantum.cpp, classical ones to classical/ (make_classical_estimator).
#include "qml/models/estimator.hpp"

#include <algorithm>

#include "qml/classical/classical.hpp"
#include "qml/models/estimator_quantum.hpp"
#include "simulator/core/errors.hpp"

namespace qmlsim::qml {

namespace {

struct RegistryEntry {
  const char* name;
  ModelKind kind;
  Task task;
};

// --help order: quantum classifiers, classical classifiers, quantum regressors, classical ones.
constexpr RegistryEntry kRegistry[] = {
    {"qsvc", ModelKind::Quantum, Task::Classification},
    {"qsvc-z", ModelKind::Quantum, Task::Classification},
    {"qsvc-iqp", ModelKind::Quantum, Task::Classification},
    {"qsvc-projected", ModelKind::Quantum, Task::Classification},
    {"qsvc-trained", ModelKind::Quantum, Task::Classification},
    {"vqc", ModelKind::Quantum, Task::Classification},
    {"reupload", ModelKind::Quantum, Task::Classification},
    {"dressed", ModelKind::Quantum, Task::Classification},
    {"svm-rbf", ModelKind::Classical, Task::Classification},
    {"svm-linear", ModelKind::Classical, Task::Classification},
    {"svm-poly", ModelKind::Classical, Task::Classification},
    {"logreg", ModelKind::Classical, Task::Classification},
    {"mlp", ModelKind::Classical, Task::Classification},
    {"knn", ModelKind::Classical, Task::Classification},
    {"qsvr", ModelKind::Quantum, Task::Regression},
    {"qkrr", ModelKind::Quantum, Task::Regression},
    {"qnn-regressor", ModelKind::Quantum, Task::Regression},
    {"svr-rbf", ModelKind::Classical, Task::Regression},
    {"krr-rbf", ModelKind::Classical, Task::Regression},
    {"mlp-regressor", ModelKind::Classical, Task::Regression},
    {"knn-regressor", ModelKind::Classical, Task::Regression},
    {"ridge", ModelKind::Classical, Task::Regression},
};

const RegistryEntry& entry_of(const std::string& type) {
  for (const RegistryEntry& e : kRegistry)
    if (type == e.name) return e;
  throw InvalidArgument("unknown model '" + type + "' (valid: " + join_names(compare_model_names()) + ")");
}

GridAxis axis(std::string key, std::vector<std::string> values) { return {std::move(key), std::move(values)}; }

}  // namespace

std::string model_preprocess_spec(const EstimatorContext& context, const std::string& model_default) {
  const std::string own = context.preprocess.value_or(model_default);
  if (context.reduce_to <= 0) return own;
  const std::string reduce = "standard,pca:" + std::to_string(context.reduce_to);
  if (own == "none" || own == "standard") return reduce;
  return own.starts_with("standard,") ? reduce + own.substr(std::string("standard").size()) : reduce + "," + own;
}

std::vector<std::string> compare_model_names() {
  std::vector<std::string> names;
  for (const RegistryEntry& e : kRegistry) names.emplace_back(e.name);
  return names;
}

bool is_compare_model(const std::string& type) {
  return std::any_of(std::begin(kRegistry), std::end(kRegistry), [&](const RegistryEntry& e) { return type == e.name; });
}

ModelKind model_kind(const std::string& type) { return entry_of(type).kind; }

Task model_task(const std::string& type) { return entry_of(type).task; }

std::vector<std::string> model_parameter_keys(const std::string& type) {
  return entry_of(type).kind == ModelKind::Quantum ? quantum_parameter_keys(type) : classical_parameter_keys(type);
}

std::unique_ptr<Estimator> make_estimator(const ModelConfig& config, const EstimatorContext& context) {
  if (entry_of(config.type).kind == ModelKind::Classical) return make_classical_estimator(config, context);
  return make_quantum_estimator(config, context);
}

std::vector<GridAxis> default_grid(const std::string& type) {
  (void)entry_of(type);  // an unknown type names the valid ones
  const std::vector<std::string> svm_c{"0.1", "1", "10", "100"};
  if (type == "svm-rbf" || type == "svm-poly" || type == "svr-rbf")
    return {axis("C", svm_c), axis("gamma", {"scale", "0.01", "0.1", "1"})};
  if (type == "svm-linear") return {axis("C", svm_c)};
  if (type == "logreg") return {axis("C", {"0.01", "0.1", "1", "10", "100"})};
  if (type == "mlp")
    return {axis("hidden", {"10", "100", "100,100"}), axis("alpha", {"1e-4", "1e-2"}),
            axis("learning_rate_init", {"1e-3", "1e-2"})};
  if (type == "knn") return {axis("n_neighbors", {"1", "3", "5", "9", "15"})};
  const std::vector<GridAxis> bandwidth{axis("scaling", {"0.1", "0.5", "1"}), axis("reps", {"1", "2"})};
  if (type == "qsvc" || type == "qsvc-z" || type == "qsvc-iqp" || type == "qsvc-projected" || type == "qsvr") {
    std::vector<GridAxis> grid{axis("C", {"0.1", "1", "10"})};
    grid.insert(grid.end(), bandwidth.begin(), bandwidth.end());
    return grid;
  }
  const std::vector<GridAxis> adam{axis("optimizer", {"adam"}), axis("learning_rate", {"0.01", "0.1"})};
  if (type == "vqc" || type == "reupload" || type == "dressed") {
    std::vector<GridAxis> grid{axis(type == "dressed" ? "reps" : "layers", {"1", "2", "3"})};
    grid.insert(grid.end(), adam.begin(), adam.end());
    return grid;
  }
  return {};
}

}  // namespace qmlsim::qml

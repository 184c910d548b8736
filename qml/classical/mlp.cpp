#include "qml/classical/mlp.hpp"

#include "simulator/core/errors.hpp"

namespace qmlsim::qml {

// Placeholder until the MLP lands (work package A2 replaces this file).
std::vector<std::string> mlp_parameter_keys() { return {}; }

std::unique_ptr<Estimator> make_mlp(const ModelConfig& config, const EstimatorContext&) {
  throw InvalidArgument("model '" + config.name + "': the MLP is not built yet");
}

}  // namespace qmlsim::qml

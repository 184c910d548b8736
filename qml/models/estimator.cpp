#include "qml/models/estimator.hpp"

namespace qmlsim::qml {

std::string model_preprocess_spec(const EstimatorContext& context, const std::string& model_default) {
  const std::string own = context.preprocess.value_or(model_default);
  if (context.reduce_to <= 0) return own;
  const std::string reduce = "standard,pca:" + std::to_string(context.reduce_to);
  return own == "none" ? reduce : reduce + "," + own;
}

}  // namespace qmlsim::qml

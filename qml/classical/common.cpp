#include "qml/classical/common.hpp"

#include <chrono>
#include <cmath>

#include "qml/kernel/rbf_kernel.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/memory.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim::qml::detail {

namespace {

const char* task_noun(Task task) { return task == Task::Classification ? "a classifier" : "a regressor"; }
const char* data_noun(Task task) { return task == Task::Classification ? "classification" : "regression"; }

std::string model_context(const ModelConfig& config) {
  return "model '" + (config.name.empty() ? config.type : config.name) + "'";
}

}  // namespace

ComponentOptions model_options(const ModelConfig& config) {
  return ComponentOptions(ComponentSpec{config.type, config.params}, model_context(config));
}

ClassicalModel::ClassicalModel(const ModelConfig& config, Task task, const EstimatorContext& context)
    : type_(config.type),
      context_text_(model_context(config)),
      options_(context.simulator),
      seed_(context.seed),
      task_(task),
      preprocess_(model_preprocess_spec(context, "standard")),
      pipeline_(Pipeline::parse(preprocess_)) {}

EstimatorFit ClassicalModel::fit(const Dataset& train) {
  const auto start = std::chrono::steady_clock::now();
  if (train.task() != task_)
    throw InvalidArgument(context_text_ + " is " + task_noun(task_) + " but the data are a " +
                          data_noun(train.task()) + " task");
  if (train.size() == 0) throw InvalidArgument(context_text_ + ": no training rows");
  if (task_ == Task::Classification) {
    if (train.num_classes() < 2)
      throw InvalidArgument(context_text_ + ": the data have " + plural(train.num_classes(), "class") +
                            ", a classifier needs at least 2");
    const auto counts = train.class_counts();
    for (std::size_t c = 0; c < counts.size(); ++c)
      if (counts[c] == 0)
        throw InvalidArgument(context_text_ + ": class '" + train.class_names()[c] + "' has no training rows");
  }
  fitted_ = false;
  num_classes_ = train.num_classes();
  input_features_ = train.num_features();
  pipeline_ = Pipeline::parse(preprocess_);
  const FeatureMatrix x = pipeline_.fit_transform(train.x());
  const int iterations = fit_rows(x, train);
  fitted_ = true;
  const std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - start;
  return EstimatorFit{seconds.count(), 0, iterations};
}

void ClassicalModel::require_fitted() const {
  if (!fitted_) throw InvalidArgument(context_text_ + " is not fitted (call fit first)");
}

InvalidArgument ClassicalModel::wrong_task(const char* call) const {
  const Task needed = task_ == Task::Classification ? Task::Regression : Task::Classification;
  return InvalidArgument(context_text_ + " is " + task_noun(task_) + ": " + call + " needs " + task_noun(needed));
}

void ClassicalModel::require_task(Task needed, const char* call) const {
  if (task_ != needed) throw wrong_task(call);
}

FeatureMatrix ClassicalModel::prepare(const FeatureMatrix& x) const {
  require_fitted();
  if (x.cols() != input_features_)
    throw InvalidArgument(context_text_ + ": rows of " + plural(x.cols(), "feature") + ", fitted on " +
                          std::to_string(input_features_));
  return pipeline_.transform(x);
}

FeatureMatrix ClassicalModel::prepare_two_class(const FeatureMatrix& x) const {
  FeatureMatrix rows = prepare(x);
  if (num_classes_ != 2)
    throw InvalidArgument(context_text_ + ": score_class1 needs two classes, the model has " +
                          std::to_string(num_classes_));
  return rows;
}

Labels ClassicalModel::predict(const FeatureMatrix&) const { throw wrong_task("predict"); }

std::vector<double> ClassicalModel::predict_values(const FeatureMatrix&) const { throw wrong_task("predict_values"); }

Eigen::MatrixXd ClassicalModel::predict_proba(const FeatureMatrix&) const {
  if (task_ == Task::Regression) throw wrong_task("predict_proba");
  throw InvalidArgument(context_text_ + " gives no probabilities (use predict or score_class1)");
}

std::vector<double> ClassicalModel::score_class1(const FeatureMatrix&) const { throw wrong_task("score_class1"); }

void ClassicalKernel::read(ComponentOptions& options, const std::string& context) {
  if (kind == Kind::Linear) return;
  gamma_text = options.text("gamma", "scale");
  if (gamma_text != "scale" && gamma_text != "auto") {
    try {
      gamma = parse_angle_value(gamma_text, context + ": gamma");
    } catch (const InvalidArgument&) {
      throw InvalidArgument(context + ": gamma must be scale, auto or a number > 0, got '" + gamma_text + "'");
    }
    if (!(gamma > 0.0 && std::isfinite(gamma)))
      throw InvalidArgument(context + ": gamma must be scale, auto or a number > 0, got '" + gamma_text + "'");
  }
  if (kind != Kind::Poly) return;
  degree = options.integer("degree", 3, 0, 100);
  coef0 = options.real("coef0", 0.0);
  check_finite(coef0, context + ": coef0");
}

void ClassicalKernel::resolve_gamma(const FeatureMatrix& x) {
  if (gamma_text == "scale")
    gamma = rbf_scale_gamma(x);
  else if (gamma_text == "auto")
    gamma = 1.0 / static_cast<double>(std::max<Eigen::Index>(1, x.cols()));
}

Eigen::MatrixXd ClassicalKernel::matrix(const FeatureMatrix& a, const FeatureMatrix& b,
                                        const SimulatorOptions& options) const {
  if (kind == Kind::Rbf) return rbf_kernel(a, b, gamma, options);
  if (kind == Kind::Linear) return pairwise_kernel(a, b, PairwiseSum::Dot, [](double dot) { return dot; }, options, "kernel");
  return pairwise_kernel(
      a, b, PairwiseSum::Dot, [this](double dot) { return std::pow(gamma * dot + coef0, degree); }, options, "kernel");
}

std::string ClassicalKernel::description() const {
  if (kind == Kind::Linear) return "";
  const std::string g = gamma > 0.0 ? format_number(gamma) : gamma_text;
  if (kind == Kind::Rbf) return " gamma=" + g;
  return " gamma=" + g + " degree=" + std::to_string(degree) + " coef0=" + format_number(coef0);
}

double read_positive(ComponentOptions& options, const std::string& context, const std::string& key,
                     double fallback, bool allow_zero) {
  const double v = options.real(key, fallback);
  if (!std::isfinite(v) || v < 0.0 || (v == 0.0 && !allow_zero))
    throw InvalidArgument(context + ": " + key + " must be " + (allow_zero ? ">= 0" : "> 0") + ", got " +
                          format_number(v));
  return v;
}

}  // namespace qmlsim::qml::detail

#include "qml/classical/svc.hpp"

#include <utility>

#include "qml/classical/common.hpp"
#include "qml/svm/svm_model.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim::qml {

namespace {

struct SvcType {
  const char* name;
  detail::ClassicalKernel::Kind kernel;
  SvmType svm;
  const char* keys[5];  // in the order the constructor reads them; nullptr after the last
};

constexpr SvcType kTypes[] = {
    {"svm-rbf", detail::ClassicalKernel::Kind::Rbf, SvmType::CSvc, {"C", "gamma", "tol"}},
    {"svm-linear", detail::ClassicalKernel::Kind::Linear, SvmType::CSvc, {"C", "tol"}},
    {"svm-poly", detail::ClassicalKernel::Kind::Poly, SvmType::CSvc, {"C", "gamma", "degree", "coef0", "tol"}},
    {"svr-rbf", detail::ClassicalKernel::Kind::Rbf, SvmType::EpsilonSvr, {"C", "epsilon", "gamma", "tol"}},
};

const SvcType& find_type(const std::string& type) {
  for (const auto& t : kTypes)
    if (type == t.name) return t;
  throw InvalidArgument("unknown SVM model '" + type + "' (valid: " + join_names(svc_model_names()) + ")");
}

// The rows of `x` at `indices`, in that order.
FeatureMatrix select_rows(const FeatureMatrix& x, const std::vector<std::size_t>& indices) {
  FeatureMatrix rows(static_cast<Eigen::Index>(indices.size()), x.cols());
  for (std::size_t i = 0; i < indices.size(); ++i)
    rows.row(static_cast<Eigen::Index>(i)) = x.row(static_cast<Eigen::Index>(indices[i]));
  return rows;
}

// SVC / SVR: the kernel of the preprocessed rows, libsvm's solution on it, the support rows kept
// for prediction.
class SvcModel final : public detail::ClassicalModel {
 public:
  SvcModel(const ModelConfig& config, const EstimatorContext& context, const SvcType& type)
      : ClassicalModel(config, type.svm == SvmType::CSvc ? Task::Classification : Task::Regression, context) {
    auto options = detail::model_options(config);
    kernel_.kind = type.kernel;
    params_.type = type.svm;
    params_.C = detail::read_positive(options, context_text_, "C", 1.0);
    if (type.svm == SvmType::EpsilonSvr)
      params_.epsilon = detail::read_positive(options, context_text_, "epsilon", 0.1, true);
    kernel_.read(options, context_text_);
    params_.tolerance = detail::read_positive(options, context_text_, "tol", 1e-3);
    options.finish();
    params_.seed = seed_;
    params_.memory = options_.memory;
  }

  Labels predict(const FeatureMatrix& x) const override {
    require_task(Task::Classification, "predict");
    return model_.predict_labels(kernel_rows(x));
  }

  std::vector<double> predict_values(const FeatureMatrix& x) const override {
    require_task(Task::Regression, "predict_values");
    return model_.predict_values(kernel_rows(x));
  }

  // libsvm's decision value of pair (0, 1) is positive for class 0.
  std::vector<double> score_class1(const FeatureMatrix& x) const override {
    require_task(Task::Classification, "score_class1");
    const Eigen::MatrixXd k = kernel_.matrix(prepare_two_class(x), support_rows_, options_);
    const Eigen::MatrixXd decision = model_.decision_values(k);
    std::vector<double> scores(static_cast<std::size_t>(decision.rows()));
    for (Eigen::Index i = 0; i < decision.rows(); ++i) scores[static_cast<std::size_t>(i)] = -decision(i, 0);
    return scores;
  }

  EstimatorInfo info() const override {
    require_fitted();
    return EstimatorInfo{static_cast<std::size_t>(model_.dual_coef.size()) + model_.rho.size(), 0, 0};
  }

  std::string description() const override {
    std::string text = type_ + " C=" + format_number(params_.C);
    if (params_.type == SvmType::EpsilonSvr) text += " epsilon=" + format_number(params_.epsilon);
    return text + kernel_.description() + " tol=" + format_number(params_.tolerance);
  }

  std::optional<Eigen::MatrixXd> kernel_matrix(const FeatureMatrix& a, const FeatureMatrix& b) const override {
    return kernel_.matrix(prepare(a), prepare(b), options_);
  }

 private:
  int fit_rows(const FeatureMatrix& x, const Dataset& train) override {
    kernel_.resolve_gamma(x);
    std::vector<double> y = train.targets();
    if (params_.type == SvmType::CSvc) y.assign(train.y().begin(), train.y().end());
    SvmTraining trained = train_precomputed(kernel_.matrix(x, x, options_), y, params_);
    model_ = std::move(trained.model);
    support_rows_ = select_rows(x, trained.support);
    return 0;
  }

  // The kernel of the preprocessed rows of x against the support rows.
  Eigen::MatrixXd kernel_rows(const FeatureMatrix& x) const {
    return kernel_.matrix(prepare(x), support_rows_, options_);
  }

  detail::ClassicalKernel kernel_;
  SvmParams params_;
  SvmModel model_;
  FeatureMatrix support_rows_;
};

}  // namespace

std::vector<std::string> svc_model_names() {
  std::vector<std::string> names;
  for (const auto& t : kTypes) names.emplace_back(t.name);
  return names;
}

std::vector<std::string> svc_parameter_keys(const std::string& type) {
  std::vector<std::string> keys;
  for (const char* key : find_type(type).keys)
    if (key) keys.emplace_back(key);
  return keys;
}

std::unique_ptr<Estimator> make_svc(const ModelConfig& config, const EstimatorContext& context) {
  return std::make_unique<SvcModel>(config, context, find_type(config.type));
}

}  // namespace qmlsim::qml

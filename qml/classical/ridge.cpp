#include "qml/classical/ridge.hpp"

#include <Eigen/Cholesky>

#include "qml/classical/common.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/memory.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim::qml {

namespace {

class LinearRidge final : public detail::ClassicalModel {
 public:
  LinearRidge(const ModelConfig& config, const EstimatorContext& context)
      : ClassicalModel(config, Task::Regression, context) {
    auto options = detail::model_options(config);
    alpha_ = detail::read_positive(options, context_text_, "alpha", 1.0, true);
    options.finish();
  }

  std::vector<double> predict_values(const FeatureMatrix& x) const override {
    const Eigen::VectorXd y = (prepare(x) * weights_).array() + intercept_;
    return std::vector<double>(y.data(), y.data() + y.size());
  }

  EstimatorInfo info() const override {
    require_fitted();
    return EstimatorInfo{static_cast<std::size_t>(weights_.size()) + 1, 0, 0};
  }

  std::string description() const override { return type_ + " alpha=" + format_number(alpha_); }

 private:
  int fit_rows(const FeatureMatrix& x, const Dataset& train) override {
    const Eigen::Map<const Eigen::VectorXd> y(train.targets().data(), x.rows());
    const Eigen::RowVectorXd x_mean = x.colwise().mean();
    const double y_mean = y.mean();
    const Eigen::MatrixXd xc = x.rowwise() - x_mean;
    Eigen::MatrixXd gram = xc.transpose() * xc;
    gram.diagonal().array() += alpha_;
    weights_ = gram.ldlt().solve(xc.transpose() * (y.array() - y_mean).matrix());
    intercept_ = y_mean - x_mean.dot(weights_);
    return 0;
  }

  double alpha_ = 1.0;
  Eigen::VectorXd weights_;
  double intercept_ = 0.0;
};

class KernelRidge final : public detail::ClassicalModel {
 public:
  KernelRidge(const ModelConfig& config, const EstimatorContext& context)
      : ClassicalModel(config, Task::Regression, context) {
    auto options = detail::model_options(config);
    alpha_ = detail::read_positive(options, context_text_, "alpha", 1.0);
    kernel_.read(options, context_text_);
    options.finish();
  }

  std::vector<double> predict_values(const FeatureMatrix& x) const override {
    const Eigen::VectorXd y = kernel_.matrix(prepare(x), rows_, options_) * dual_;
    return std::vector<double>(y.data(), y.data() + y.size());
  }

  EstimatorInfo info() const override {
    require_fitted();
    return EstimatorInfo{static_cast<std::size_t>(dual_.size()), 0, 0};
  }

  std::string description() const override {
    return type_ + " alpha=" + format_number(alpha_) + kernel_.description();
  }

  std::optional<Eigen::MatrixXd> kernel_matrix(const FeatureMatrix& a, const FeatureMatrix& b) const override {
    return kernel_.matrix(prepare(a), prepare(b), options_);
  }

 private:
  int fit_rows(const FeatureMatrix& x, const Dataset& train) override {
    kernel_.resolve_gamma(x);
    Eigen::MatrixXd k = kernel_.matrix(x, x, options_);
    ensure_memory(static_cast<std::uint64_t>(k.size()) * sizeof(double),
                  context_text_ + ": the LDLT factor of a " + std::to_string(k.rows()) + " x " +
                      std::to_string(k.rows()) + " kernel",
                  options_.memory);
    k.diagonal().array() += alpha_;
    dual_ = k.ldlt().solve(Eigen::Map<const Eigen::VectorXd>(train.targets().data(), x.rows()));
    rows_ = x;
    return 0;
  }

  double alpha_ = 1.0;
  detail::ClassicalKernel kernel_;
  FeatureMatrix rows_;    // the preprocessed training rows
  Eigen::VectorXd dual_;  // one coefficient per training row
};

}  // namespace

std::vector<std::string> ridge_parameter_keys(const std::string& type) {
  if (type == "krr-rbf") return {"alpha", "gamma"};
  if (type == "ridge") return {"alpha"};
  throw InvalidArgument("unknown ridge model '" + type + "' (valid: ridge, krr-rbf)");
}

std::unique_ptr<Estimator> make_ridge(const ModelConfig& config, const EstimatorContext& context) {
  if (config.type == "krr-rbf") return std::make_unique<KernelRidge>(config, context);
  if (config.type == "ridge") return std::make_unique<LinearRidge>(config, context);
  throw InvalidArgument("unknown ridge model '" + config.type + "' (valid: ridge, krr-rbf)");
}

}  // namespace qmlsim::qml

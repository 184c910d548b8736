#include "qml/classical/logistic_regression.hpp"

#include <algorithm>
#include <cmath>

#include "qml/classical/common.hpp"
#include "qml/optim/optimizer.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim::qml {

namespace {

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

double sigmoid(double z) {
  if (z >= 0.0) return 1.0 / (1.0 + std::exp(-z));
  const double e = std::exp(z);
  return e / (1.0 + e);
}

class LogisticRegression final : public detail::ClassicalModel {
 public:
  LogisticRegression(const ModelConfig& config, const EstimatorContext& context)
      : ClassicalModel(config, Task::Classification, context) {
    auto options = detail::model_options(config);
    C_ = detail::read_positive(options, context_text_, "C", 1.0);
    tol_ = detail::read_positive(options, context_text_, "tol", 1e-4, true);
    max_iter_ = options.integer("max_iter", 100, 1, 1000000);
    options.finish();
  }

  bool has_proba() const noexcept override { return true; }

  Labels predict(const FeatureMatrix& x) const override {
    const RowMatrix z = scores(prepare(x));
    Labels labels(static_cast<std::size_t>(z.rows()));
    for (Eigen::Index i = 0; i < z.rows(); ++i) {
      Eigen::Index best = 0;
      if (z.cols() == 1)
        best = z(i, 0) > 0.0 ? 1 : 0;
      else
        z.row(i).maxCoeff(&best);  // the first maximum, as numpy's argmax
      labels[static_cast<std::size_t>(i)] = static_cast<int>(best);
    }
    return labels;
  }

  Eigen::MatrixXd predict_proba(const FeatureMatrix& x) const override {
    const RowMatrix z = scores(prepare(x));
    Eigen::MatrixXd p(z.rows(), num_classes_);
    for (Eigen::Index i = 0; i < z.rows(); ++i) {
      if (z.cols() == 1) {
        p(i, 1) = sigmoid(z(i, 0));
        p(i, 0) = 1.0 - p(i, 1);
      } else {
        const Eigen::RowVectorXd e = (z.row(i).array() - z.row(i).maxCoeff()).exp();
        p.row(i) = e / e.sum();
      }
    }
    return p;
  }

  std::vector<double> score_class1(const FeatureMatrix& x) const override {
    const RowMatrix z = scores(prepare_two_class(x));
    std::vector<double> p(static_cast<std::size_t>(z.rows()));
    for (Eigen::Index i = 0; i < z.rows(); ++i) p[static_cast<std::size_t>(i)] = sigmoid(z(i, 0));
    return p;
  }

  EstimatorInfo info() const override {
    require_fitted();
    return EstimatorInfo{static_cast<std::size_t>(weights_.size() + intercepts_.size()), 0, 0};
  }

  std::string description() const override {
    return type_ + " C=" + format_number(C_) + " tol=" + format_number(tol_) + " max_iter=" + std::to_string(max_iter_);
  }

 private:
  // Outputs: one logit for two classes, one score per class otherwise. Parameters: the
  // outputs x features weights (row-major), then one intercept per output.
  int fit_rows(const FeatureMatrix& x, const Dataset& train) override {
    const Eigen::Index outputs = num_classes_ == 2 ? 1 : num_classes_, features = x.cols();
    const Eigen::Index n_weights = outputs * features;
    const Labels& y = train.y();
    double gradient_max = 0.0;  // of the last evaluated point, for the pgtol rule
    FunctionObjective objective(
        static_cast<std::size_t>(n_weights + outputs),
        [&](std::span<const double> theta) {
          std::vector<double> grad(theta.size());
          return loss_and_gradient(x, y, theta, grad, outputs);
        },
        [&](std::span<const double> theta, std::span<double> grad) {
          const double f = loss_and_gradient(x, y, theta, grad, outputs);
          gradient_max = 0.0;
          for (double g : grad) gradient_max = std::max(gradient_max, std::abs(g));
          return f;
        });
    OptimizerSettings settings;
    settings.maxiter = max_iter_;
    settings.seed = seed_;
    // No relative-f tolerance (tol=0): NLopt's L-BFGS met scipy's ftol 2.2e-9 while the largest
    // gradient entry was still 7e-5 on iris; the gradient rule below is the one that means tol.
    const auto lbfgs = make_optimizer(ComponentSpec{"lbfgs", {{"tol", "0"}, {"memory", "10"}}}, settings);
    const OptimizeResult result = lbfgs->minimize(objective, std::vector<double>(objective.num_parameters(), 0.0),
                                                  [&](const IterationInfo&) { return gradient_max <= tol_; });
    weights_ = Eigen::Map<const RowMatrix>(result.x.data(), outputs, features);
    intercepts_ = Eigen::Map<const Eigen::RowVectorXd>(result.x.data() + n_weights, outputs);
    return result.iterations;
  }

  // sum_i CE_i + |W|^2 / (2 C) and its gradient; CE is the logistic loss log(1 + e^z) - y z for
  // one output, log-sum-exp(z) - z_y for several (each in its overflow-free form).
  double loss_and_gradient(const FeatureMatrix& x, const Labels& y, std::span<const double> theta,
                           std::span<double> grad, Eigen::Index outputs) const {
    const Eigen::Index features = x.cols(), n_weights = outputs * features;
    const Eigen::Map<const RowMatrix> w(theta.data(), outputs, features);
    const Eigen::Map<const Eigen::RowVectorXd> b(theta.data() + n_weights, outputs);
    RowMatrix d = (x * w.transpose()).rowwise() + b;  // scores, then d loss / d score
    double loss = 0.0;
    for (Eigen::Index i = 0; i < d.rows(); ++i) {
      const int label = y[static_cast<std::size_t>(i)];
      if (outputs == 1) {
        const double z = d(i, 0);
        loss += std::max(z, 0.0) + std::log1p(std::exp(-std::abs(z))) - label * z;
        d(i, 0) = sigmoid(z) - label;
      } else {
        const double m = d.row(i).maxCoeff();
        const double lse = m + std::log((d.row(i).array() - m).exp().sum());
        loss += lse - d(i, label);
        d.row(i) = (d.row(i).array() - lse).exp();
        d(i, label) -= 1.0;
      }
    }
    Eigen::Map<RowMatrix> grad_w(grad.data(), outputs, features);
    grad_w = d.transpose() * x + w / C_;
    Eigen::Map<Eigen::RowVectorXd>(grad.data() + n_weights, outputs) = d.colwise().sum();
    return loss + 0.5 * w.squaredNorm() / C_;
  }

  // One row of scores per sample (one column for two classes).
  RowMatrix scores(const FeatureMatrix& rows) const { return (rows * weights_.transpose()).rowwise() + intercepts_; }

  double C_ = 1.0;
  double tol_ = 1e-4;
  int max_iter_ = 100;
  RowMatrix weights_;
  Eigen::RowVectorXd intercepts_;
};

}  // namespace

std::vector<std::string> logistic_regression_parameter_keys() { return {"C", "tol", "max_iter"}; }

std::unique_ptr<Estimator> make_logistic_regression(const ModelConfig& config, const EstimatorContext& context) {
  return std::make_unique<LogisticRegression>(config, context);
}

}  // namespace qmlsim::qml

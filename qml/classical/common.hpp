#pragma once
/// Internal to qml/classical: what every classical baseline shares. The base class ClassicalModel
/// owns the preprocessing pipeline, the task and data checks and the wrong-task errors, so a
/// model writes only its training and its predictions on preprocessed rows. ClassicalKernel is
/// the rbf / linear / poly kernel of the SVMs and of kernel ridge, with scikit-learn's gamma.
#include <Eigen/Core>
#include <cstdint>
#include <string>
#include <vector>

#include "qml/data/preprocess.hpp"
#include "qml/encoding/component_spec.hpp"
#include "qml/models/estimator.hpp"
#include "simulator/core/errors.hpp"

namespace qmlsim::qml::detail {

/// The base of the classical models. fit() checks the task (and, for classifiers, that every
/// class of the data set has a training row, at least two), fits the preprocessing
/// (model_preprocess_spec(context, "standard")) on the training rows and calls fit_rows() with
/// them preprocessed. The Estimator calls a model does not override throw InvalidArgument
/// naming the model and why: classifiers override predict and score_class1 (and predict_proba
/// with has_proba), regressors predict_values.
class ClassicalModel : public Estimator {
 public:
  [[nodiscard]] ModelKind kind() const noexcept final { return ModelKind::Classical; }
  [[nodiscard]] Task task() const noexcept final { return task_; }
  EstimatorFit fit(const Dataset& train) final;
  [[nodiscard]] Labels predict(const FeatureMatrix& x) const override;
  [[nodiscard]] std::vector<double> predict_values(const FeatureMatrix& x) const override;
  [[nodiscard]] bool has_proba() const noexcept override { return false; }
  [[nodiscard]] Eigen::MatrixXd predict_proba(const FeatureMatrix& x) const override;
  [[nodiscard]] std::vector<double> score_class1(const FeatureMatrix& x) const override;

 protected:
  /// Parses the preprocessing spec (InvalidArgument for a bad --preprocess).
  ClassicalModel(const ModelConfig& config, Task task, const EstimatorContext& context);

  /// Trains on the preprocessed training rows `x` (labels and targets from `train`); returns the
  /// optimizer iterations (0 when not iterative).
  virtual int fit_rows(const FeatureMatrix& x, const Dataset& train) = 0;

  /// The rows of `x` preprocessed as in training. Throws InvalidArgument when not fitted or for
  /// a wrong feature count.
  [[nodiscard]] FeatureMatrix prepare(const FeatureMatrix& x) const;
  /// prepare() for score_class1: also throws unless the model has two classes.
  [[nodiscard]] FeatureMatrix prepare_two_class(const FeatureMatrix& x) const;
  /// Throws wrong_task(call) unless the model's task is `needed` (models of both tasks).
  void require_task(Task needed, const char* call) const;
  /// Throws InvalidArgument unless fitted (info(), kernel_matrix()).
  void require_fitted() const;

  std::string type_;          ///< registry name, e.g. "svm-rbf"
  std::string context_text_;  ///< "model 'NAME'", the prefix of every message
  SimulatorOptions options_;  ///< threads and memory limit
  std::uint64_t seed_ = 1;
  int num_classes_ = 0;       ///< classes of the training data (classifiers)

 private:
  // "model 'x' is a regressor: predict needs a classifier" (`call` names the function).
  [[nodiscard]] InvalidArgument wrong_task(const char* call) const;

  Task task_;
  std::string preprocess_;  // the pipeline's spec, parsed at construction
  Pipeline pipeline_;
  Eigen::Index input_features_ = 0;  // features of the training rows, before preprocessing
  bool fitted_ = false;
};

/// The kernel of the SVMs and kernel ridge, as scikit-learn's SVC computes it:
///   rbf    exp(-gamma |a - b|^2)
///   linear a . b
///   poly   (gamma a . b + coef0)^degree
/// gamma is 'scale' (1 / (features * var(X)) of the preprocessed training rows, rbf_scale_gamma),
/// 'auto' (1 / features) or a positive number.
struct ClassicalKernel {
  enum class Kind { Rbf, Linear, Poly } kind = Kind::Rbf;
  std::string gamma_text = "scale";  ///< as given: "scale", "auto" or a number
  double gamma = 0.0;                ///< resolved by resolve_gamma() (rbf, poly)
  int degree = 3;
  double coef0 = 0.0;

  /// Reads gamma (rbf, poly) and degree, coef0 (poly) from `options`, in that order.
  void read(ComponentOptions& options, const std::string& context);
  /// Sets `gamma` from gamma_text for the preprocessed training rows `x`.
  void resolve_gamma(const FeatureMatrix& x);
  /// The kernel between the rows of `a` (rows) and `b` (columns); every entry one sum in
  /// feature order (bit-identical on any thread count). Throws ResourceError over the limit.
  [[nodiscard]] Eigen::MatrixXd matrix(const FeatureMatrix& a, const FeatureMatrix& b,
                                       const SimulatorOptions& options) const;
  /// " gamma=0.25 degree=3 coef0=0" (the parts that apply; gamma as given before it is resolved).
  [[nodiscard]] std::string description() const;
};

/// A positive real parameter (C, alpha, tol, epsilon >= 0 when `allow_zero`): InvalidArgument
/// "model 'x': C must be > 0, got -1".
[[nodiscard]] double read_positive(ComponentOptions& options, const std::string& context,
                                   const std::string& key, double fallback, bool allow_zero = false);

/// The parameters of a model as ComponentOptions read them: spec {type, params}, context
/// "model 'NAME'" (NAME = config.name, or config.type when the name is empty).
[[nodiscard]] ComponentOptions model_options(const ModelConfig& config);

}  // namespace qmlsim::qml::detail

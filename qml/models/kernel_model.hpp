#pragma once
/// Kernel machines: qsvc (C-SVC on a precomputed quantum kernel, one-vs-one), qsvr (epsilon-SVR),
/// qkrr (kernel ridge regression, Eigen LDLT), qoneclass (one-class SVM), and the classical
/// svm-rbf / svr-rbf with scikit-learn's defaults (C = 1, gamma = 'scale'). libsvm trains them
/// (qml/svm/, behind one adapter); prediction is qmlsim's own code over the support vectors'
/// kernel row only, so a model file predicts without libsvm's training data.
#include <Eigen/Core>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "qml/data/dataset.hpp"
#include "qml/data/preprocess.hpp"
#include "qml/encoding/component_spec.hpp"
#include "qml/encoding/feature_map.hpp"
#include "qml/kernel/quantum_kernel.hpp"
#include "qml/svm/svm_model.hpp"

namespace qmlsim::qml {

/// What `--model` and a model file say. Unset fields take the model's documented default.
struct KernelModelSpec {
  std::string type = "qsvc";            ///< qsvc | qsvr | qkrr | qoneclass | svm-rbf | svr-rbf
  ComponentSpec feature_map{"zz", {}};  ///< quantum models only
  ComponentSpec kernel{"fidelity", {}}; ///< fidelity | projected[:gamma=G] (quantum models)
  std::optional<std::string> preprocess;  ///< pipeline spec; unset: the model's default
  double C = 1.0;
  double epsilon = 0.1;   ///< SVR tube
  double nu = 0.5;        ///< one-class
  double alpha = 1.0;     ///< kernel ridge regularisation
  std::optional<double> gamma;  ///< RBF gamma; unset: 'scale' = 1 / (features * var(X_train))
  bool probability = false;     ///< fit Platt scaling (seeded split) for predict_proba
  double tolerance = 1e-3;      ///< libsvm's eps (scikit-learn's tol)
};

/// The names of the kernel models, in --help order: qsvc, qsvr, qkrr, qoneclass, svm-rbf, svr-rbf.
[[nodiscard]] std::vector<std::string> kernel_model_names();
/// Checks a spec before anything runs (what KernelModel's constructor does): the type, C, epsilon,
/// nu in (0, 1], alpha, gamma, probability only for classifiers, the preprocessing list. Throws
/// InvalidArgument naming the value and the valid ones.
void validate_kernel_model_spec(const KernelModelSpec& spec);
/// True for the models on a quantum kernel (all but svm-rbf and svr-rbf).
[[nodiscard]] bool is_quantum_model(const std::string& type);
/// True for the regression models (qsvr, qkrr, svr-rbf).
[[nodiscard]] bool is_regression_model(const std::string& type);
/// The default preprocessing of a model type (documented in --help): quantum models
/// "standard,minmax:0:pi" unless the map says otherwise, classical ones "standard".
[[nodiscard]] std::string default_preprocess(const std::string& type);

/// Builds feature maps from specs: make_feature_map by default; the CLI passes one that also
/// turns {"file", path, source} specs into circuits.
using FeatureMapFactory = std::function<std::unique_ptr<FeatureMap>(const ComponentSpec&, int num_features)>;

struct KernelFitReport {
  double seconds = 0.0;         ///< the whole fit
  double kernel_seconds = 0.0;  ///< of which the Gram matrix
  std::size_t n_support = 0;
  std::size_t circuit_evaluations = 0;  ///< states simulated
};

class KernelModel {
 public:
  /// Validates the spec (type, C > 0, ...) before anything runs; throws InvalidArgument naming
  /// the valid values.
  explicit KernelModel(KernelModelSpec spec, KernelOptions options = {}, FeatureMapFactory factory = {});
  ~KernelModel();
  KernelModel(KernelModel&&) noexcept;
  KernelModel& operator=(KernelModel&&) noexcept;

  /// Trains from scratch on `train` (preprocessing fitted on these rows only). Throws
  /// InvalidArgument for a regression data set given to a classifier or the reverse, a single
  /// class, a feature count the feature map refuses.
  KernelFitReport fit(const Dataset& train);
  [[nodiscard]] bool fitted() const noexcept;
  /// Class indices (classification; qoneclass: 0 = inlier, 1 = outlier, names "inlier", "outlier").
  [[nodiscard]] Labels predict(const FeatureMatrix& x) const;
  /// Real predictions (regression models).
  [[nodiscard]] std::vector<double> predict_values(const FeatureMatrix& x) const;
  /// N x C, rows sum to 1 (requires spec.probability at fit; InvalidArgument otherwise).
  [[nodiscard]] Eigen::MatrixXd predict_proba(const FeatureMatrix& x) const;
  /// Classifiers (qsvc, svm-rbf, qoneclass): the SVM's decision values of the rows of `x`, N x
  /// C(C-1)/2 in pair order (0,1), (0,2), ..., (1,2), ..., each positive for the pair's first
  /// class (qoneclass: N x 1, positive for inliers), as SvmModel::decision_values. Throws
  /// InvalidArgument for regression models, when not fitted or for a wrong feature count.
  [[nodiscard]] Eigen::MatrixXd decision_values(const FeatureMatrix& x) const;
  /// The fitted model's kernel between the rows of `a` and `b` (each preprocessed by the fitted
  /// pipeline): the quantum kernel, or the RBF kernel with the fitted gamma. For diagnostics.
  /// Throws InvalidArgument when not fitted or for a wrong feature count.
  [[nodiscard]] Eigen::MatrixXd kernel_matrix(const FeatureMatrix& a, const FeatureMatrix& b) const;

  [[nodiscard]] const KernelModelSpec& spec() const noexcept;
  [[nodiscard]] bool is_quantum() const noexcept;
  [[nodiscard]] Task task() const noexcept;
  [[nodiscard]] const std::vector<std::string>& class_names() const noexcept;
  [[nodiscard]] const std::vector<std::string>& feature_names() const noexcept;
  [[nodiscard]] const Pipeline& pipeline() const noexcept;
  [[nodiscard]] std::size_t n_support() const noexcept;
  /// The kernel's one-line description, which names the feature map ("" for classical models).
  [[nodiscard]] std::string description() const;

  /// Everything a model file holds (io/model_file.hpp writes and reads it).
  struct State;
  [[nodiscard]] const State& state() const;
  /// Rebuilds a fitted model from a model file's state (validated: shapes, class count).
  [[nodiscard]] static KernelModel from_state(State state, KernelOptions options = {}, FeatureMapFactory factory = {});

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// A fitted model's content. Field names are the model file's keys under /model, and
/// from_state's DatasetError messages start with the field at fault ("dual_coef: expected 2
/// rows, got 1"), so a reader can prefix the file and the JSON pointer.
struct KernelModel::State {
  KernelModelSpec spec;
  /// Classification: the class names, index order (qoneclass: "inlier", "outlier"). Regression: empty.
  std::vector<std::string> class_names;
  /// The training data's feature names (before preprocessing); their count is the input width.
  std::vector<std::string> feature_names;
  /// The fitted preprocessing pipeline.
  std::vector<FittedStep> preprocess;
  /// Quantum models: the feature map's canonical spec and the kernel's spec with its fitted
  /// values (projected gamma). Both are what prediction is built from, in process and after loading.
  ComponentSpec feature_map;
  ComponentSpec kernel;
  /// Classical models: the RBF gamma, frozen at fit ('scale' from the preprocessed training rows).
  double gamma = 0.0;
  /// The preprocessed training rows of the support vectors (qkrr: every training row), in the
  /// order of svm's columns.
  FeatureMatrix support_features;
  /// The trained SVM (every type but qkrr); from_state sets its type from spec.type.
  SvmModel svm;
  /// qkrr: c = (K + alpha I)^-1 y, prediction K(x, support) c.
  Eigen::VectorXd krr_coef;
};

}  // namespace qmlsim::qml

#pragma once
/// One interface over every model `compare` and `explain` put side by side: the quantum kernel
/// machines (models/kernel_model), the variational models (models/qnn_model) and the classical
/// baselines (classical/). A model is named by a ModelConfig: a display name, a registry type
/// ("qsvc", "svm-rbf", "mlp", ...) and hyperparameters as key=value text, read by the factory
/// (the only place that interprets them; unknown keys and values name the valid ones).
///
/// The compare registry (compare_model_names(), in --help order):
///   quantum    qsvc (fidelity kernel, zz map), qsvc-z (z map), qsvc-iqp (iqp map),
///              qsvc-projected (projected kernel, zz map), qsvc-trained, vqc, reupload, dressed
///   classical  svm-rbf, svm-linear, svm-poly, logreg, mlp, knn
///   regressors qsvr, qkrr, qnn-regressor; svr-rbf, krr-rbf, mlp-regressor, knn-regressor, ridge
/// Hyperparameter keys per type are listed by model_parameter_keys(type) and documented in
/// `qmlsim compare --help`. The quantum types (every quantum model preprocesses with
/// "standard,minmax:0:pi" by default, seeds from EstimatorContext::seed):
///   qsvc, qsvc-z, qsvc-iqp  feature_map (spec, "zz:reps=2"; default zz / z / iqp), reps (into the
///                           map: reps, iqp's repeats), C (1), scaling S (bandwidth: the default
///                           preprocessing becomes "standard,minmax:0:S*pi"; refused together with
///                           an explicit context.preprocess). No probabilities; score_class1 is
///                           -(decision value of the pair (0, 1)).
///   qsvc-projected          the same on the projected kernel, plus gamma (default: fitted)
///   qsvr                    feature_map (zz), reps, C, epsilon (0.1), scaling
///   qkrr                    feature_map (zz), reps, alpha (1), scaling
///   variational             feature_map, ansatz (specs), layers, reps (into the ansatz), qubits
///                           (reupload, dressed), readout, loss, optimizer (spec or name;
///                           "cobyla:maxiter=100" moves maxiter into the loop settings), maxiter,
///                           learning_rate (sets lr of sgd, adam, spsa; refused for the others),
///                           l2, C (qsvc-trained instead of l2). Defaults, chosen on iris (5 folds,
///                           seed 1) for accuracy within the default run's budget:
///     vqc           angle:rotation=y map, real-amplitudes:reps=2, 1 layer, per-class-z readout,
///                   cross-entropy, adam lr 0.1, 60 epochs (iris: 0.88 mean accuracy, ~4 s for 5 folds)
///     reupload      1 qubit, 3 layers, class-states readout, cross-entropy, adam lr 0.1, 60 epochs
///                   (iris: 0.96, ~4 s)
///     dressed       real-amplitudes:reps=2, adam lr 0.1, 60 epochs
///     qsvc-trained  zz:reps=1 with a real-amplitudes:reps=1 layer before it, adam lr 0.1, 30 epochs
///     qnn-regressor z:reps=1 map, real-amplitudes:reps=2, adam lr 0.1, 60 epochs
#include <Eigen/Core>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "qml/data/dataset.hpp"
#include "qml/encoding/component_spec.hpp"
#include "simulator/execution/simulator.hpp"

namespace qmlsim::qml {

enum class ModelKind { Quantum, Classical };
/// "quantum" or "classical", as tables, JSON and reports spell the kind.
[[nodiscard]] constexpr const char* model_kind_name(ModelKind kind) noexcept {
  return kind == ModelKind::Quantum ? "quantum" : "classical";
}

/// What fit() reports.
struct EstimatorFit {
  double seconds = 0.0;
  std::uint64_t circuit_evaluations = 0;  ///< states or circuit runs simulated (0 for classical)
  int iterations = 0;                     ///< optimizer iterations or epochs (0 when not iterative)
};

/// Facts about a fitted model for the comparison table.
struct EstimatorInfo {
  /// The numbers fit() learned: weights and biases (logreg, mlp, vqc ...), dual coefficients and
  /// intercepts (SVMs, kernel ridge); 0 for kNN (it stores the rows).
  std::size_t trainable_parameters = 0;
  int qubits = 0;         ///< 0 for classical models
  int circuit_depth = 0;  ///< of the model circuit (circuit_depth(), simulator/circuit/depth.hpp: as Qiskit counts); 0 for classical models
};

/// The common interface (scikit-learn's estimator). fit() trains from scratch, nothing from an
/// earlier fit survives; preprocessing, when the model has any, is fitted inside fit() on the
/// rows it is given. Deterministic: same config, context and rows give the same predictions bit
/// for bit on any thread count.
class Estimator {
 public:
  virtual ~Estimator() = default;
  [[nodiscard]] virtual ModelKind kind() const noexcept = 0;
  [[nodiscard]] virtual Task task() const noexcept = 0;
  /// Throws InvalidArgument for data of the wrong task or shape.
  virtual EstimatorFit fit(const Dataset& train) = 0;
  /// Class indices (classifiers). Throws InvalidArgument for regressors or when not fitted.
  [[nodiscard]] virtual Labels predict(const FeatureMatrix& x) const = 0;
  /// Real predictions (regressors). Throws InvalidArgument for classifiers or when not fitted.
  [[nodiscard]] virtual std::vector<double> predict_values(const FeatureMatrix& x) const = 0;
  /// True when predict_proba gives probabilities (log loss is reported only then).
  [[nodiscard]] virtual bool has_proba() const noexcept = 0;
  /// N x C class probabilities, rows sum to 1. Throws InvalidArgument unless has_proba().
  [[nodiscard]] virtual Eigen::MatrixXd predict_proba(const FeatureMatrix& x) const = 0;
  /// Two-class classifiers: one score per row that grows with the belief in class 1 (the
  /// probability of class 1, or a decision value), for ROC AUC. Throws InvalidArgument otherwise.
  [[nodiscard]] virtual std::vector<double> score_class1(const FeatureMatrix& x) const = 0;
  /// After fit().
  [[nodiscard]] virtual EstimatorInfo info() const = 0;
  /// One line: the model with its resolved hyperparameters ("svm-rbf C=1 gamma=scale").
  [[nodiscard]] virtual std::string description() const = 0;
  /// Kernel models: the kernel matrix between the rows of `a` and `b` exactly as the fitted model
  /// computes it (after its preprocessing), for kernel diagnostics; nullopt for other models.
  [[nodiscard]] virtual std::optional<Eigen::MatrixXd> kernel_matrix(const FeatureMatrix& a,
                                                                     const FeatureMatrix& b) const {
    (void)a;
    (void)b;
    return std::nullopt;
  }
};

/// A model of a comparison: `name` is what the table shows (unique within a run), `type` the
/// registry name, `params` hyperparameters as text ("C" -> "10", "feature_map" -> "zz:reps=2",
/// "hidden" -> "100,50", "optimizer" -> "cobyla:maxiter=100").
struct ModelConfig {
  std::string name;
  std::string type;
  std::vector<std::pair<std::string, std::string>> params;
};

/// What every model of a run shares.
struct EstimatorContext {
  SimulatorOptions simulator;  ///< threads and memory budget
  std::uint64_t seed = 1;      ///< the only source of randomness (initial weights, shuffles, Platt)
  /// Preprocessing for every model, overriding each model's default (`--preprocess`); unset:
  /// the model's default (quantum: "standard,minmax:0:pi"; classical: "standard").
  std::optional<std::string> preprocess;
  /// > 0: the rows are reduced to this many features ("standard,pca:K", fitted in fit() on the
  /// training rows) before the model's own preprocessing (`--sweep-features`); the model's circuit
  /// is then built for K features.
  int reduce_to = 0;
};

/// The preprocessing a model fits inside fit(): context.preprocess when set, else
/// `model_default`; prefixed with "standard,pca:K" when context.reduce_to = K > 0, and then without
/// a leading "standard" of its own (standardising the components again would whiten them: at K =
/// all features the sweep would no longer be the plain run, rotated).
[[nodiscard]] std::string model_preprocess_spec(const EstimatorContext& context, const std::string& model_default);

/// The names --models takes, in --help order (the list above).
[[nodiscard]] std::vector<std::string> compare_model_names();
/// True when `type` is one of compare_model_names().
[[nodiscard]] bool is_compare_model(const std::string& type);
[[nodiscard]] ModelKind model_kind(const std::string& type);
[[nodiscard]] Task model_task(const std::string& type);
/// The hyperparameter keys a type accepts, in --help order.
[[nodiscard]] std::vector<std::string> model_parameter_keys(const std::string& type);
/// Builds an unfitted model. Validates the type and every parameter before anything runs; throws
/// InvalidArgument "model 'svm-rbf': unknown option 'c' (valid: C, gamma, tol)" or
/// "unknown model 'svm' (valid: qsvc, ...)".
[[nodiscard]] std::unique_ptr<Estimator> make_estimator(const ModelConfig& config, const EstimatorContext& context);

/// One hyperparameter's candidate values (text, as in ModelConfig::params).
struct GridAxis {
  std::string key;
  std::vector<std::string> values;
};
/// The documented small grid of a type for `--search grid` (every combination is tried):
///   SVMs          C in {0.1, 1, 10, 100}, gamma in {scale, 0.01, 0.1, 1} (rbf, poly)
///   quantum SVMs  C in {0.1, 1, 10}, scaling (feature-map bandwidth) in {0.1, 0.5, 1}, reps in
///                 {1, 2} (qsvc, qsvc-z, qsvc-iqp, qsvc-projected, qsvr; scaling needs the model's
///                 default preprocessing, so drop that axis when context.preprocess is set)
///   logreg        C in {0.01, 0.1, 1, 10, 100}
///   mlp           hidden in {10; 100; 100,100}, alpha in {1e-4, 1e-2}, learning_rate_init in {1e-3, 1e-2}
///   knn           n_neighbors in {1, 3, 5, 9, 15}
///   vqc, reupload layers in {1, 2, 3}, optimizer = adam, learning_rate in {0.01, 0.1}
///   dressed       reps (of its ansatz: dressed has no layers) in {1, 2, 3}, optimizer = adam,
///                 learning_rate in {0.01, 0.1}
///   svr-rbf       as the SVMs
/// Empty for a type without a grid (qsvc-trained, qkrr, qnn-regressor and the other regressors).
[[nodiscard]] std::vector<GridAxis> default_grid(const std::string& type);

}  // namespace qmlsim::qml

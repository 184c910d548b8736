#pragma once
/// Models whose circuit has trainable weights, trained by a classical optimizer loop on exact
/// (adjoint) gradients through the batch engine's loss-weighted VJP: one forward run and one
/// backward sweep per sample, samples spread over the cores by BatchExecutor.
///   vqc            feature map + ansatz, multi-class readout (below), cross-entropy / squared error
///   qnn-regressor  feature map + ansatz, prediction = scale * <O> (observable default Z0), squared error
///   reupload       data re-uploading classifier (Perez-Salinas et al. 2020): `layers` layers of
///                  trainable encodings, on `qubits` qubits (1 by default)
///   dressed        classical linear layer -> quantum circuit -> classical linear layer (Mari et al.
///                  2020), gradients chained through both
///   qsvc-trained   trainable feature map (a weight layer before the encoding) optimised for
///                  kernel-target alignment, then a C-SVC on the trained fidelity kernel
/// Readouts (classifiers; the formula of each is in qml/qnn/readout.hpp): modulo (class = basis
/// index mod C, Qiskit's VQC interpretation), parity, per-class-z (softmax of <Z_j>/T),
/// class-states (re-uploading class states on qubit 0's Bloch sphere). The regressor's loss is
/// squared error and dressed has its own output layer: they refuse a readout or loss other than
/// the field's default. reupload builds its own trainable encoding (Rot(w x + b) per layer and
/// qubit, CZ ring); feature_map and ansatz are not used by it.
/// Determinism: same spec, data and seed give the same weights bit for bit on any thread count.
#include <Eigen/Core>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "qml/ansatz/ansatz.hpp"
#include "qml/data/dataset.hpp"
#include "qml/data/preprocess.hpp"
#include "qml/encoding/component_spec.hpp"
#include "qml/encoding/feature_map.hpp"
#include "qml/models/kernel_model.hpp"
#include "qml/optim/optimizer.hpp"
#include "simulator/execution/simulator.hpp"

namespace qmlsim::qml {

/// What `--model` and the CLI's options say. Unset fields take the model's documented default.
struct QnnModelSpec {
  std::string type = "vqc";                     ///< vqc | qnn-regressor | reupload | dressed | qsvc-trained
  ComponentSpec feature_map{"zz", {}};          ///< not used by reupload (its own encoding)
  ComponentSpec ansatz{"real-amplitudes", {}};  ///< reupload: the trainable block after each encoding
  int layers = 1;                               ///< re-uploading layers (reupload default 3 when unset)
  std::optional<int> qubits;                    ///< reupload / dressed: circuit width (default: 1 / features)
  std::string readout = "modulo";               ///< modulo | parity | per-class-z | class-states (vqc, reupload)
  double temperature = 1.0;                     ///< per-class-z softmax temperature
  /// cross-entropy (natural log) | cross-entropy-log2 (Qiskit's) | squared-error | fidelity (reupload)
  std::string loss = "cross-entropy";
  std::string observable = "Z0";                ///< qnn-regressor (a Pauli sum)
  double l2 = 0.0;                              ///< L2 weight decay: + l2 * |w|^2 / 2 on the mean loss
  ComponentSpec optimizer{"cobyla", {}};
  OptimizerSettings settings;                   ///< maxiter, batch size, time limit, seed
  double validation = 0.0;                      ///< fraction held out (stratified) for early stopping; 0 = none
  int patience = 10;                            ///< iterations without validation improvement before stopping
  std::optional<std::vector<double>> initial_point;  ///< else initial_weights(count, settings.seed)
  std::optional<std::string> preprocess;        ///< pipeline spec; unset: "standard,minmax:0:pi"
  double C = 1.0;                               ///< qsvc-trained: the SVM's C
  std::string input_prefix = "x";               ///< OpenQASM ansatz files: inputs with this prefix are features
};

/// The names of the QNN models, in --help order.
[[nodiscard]] std::vector<std::string> qnn_model_names();
[[nodiscard]] bool is_qnn_model(const std::string& type);
/// The layer count a model type uses when the user gives none (reupload 3, the others 1): the
/// CLI sets QnnModelSpec::layers from it.
[[nodiscard]] int default_qnn_layers(const std::string& type);
/// Checks a spec before anything runs; throws InvalidArgument naming the value and the valid ones
/// (unknown readout or loss, a loss the model does not take, temperature <= 0, l2 < 0, validation
/// outside [0, 0.5], patience < 1, an unknown optimizer ...).
void validate_qnn_model_spec(const QnnModelSpec& spec);

/// Builds ansatze from specs: make_ansatz by default; the CLI passes one that also turns
/// {"file", path, source} specs into circuits (circuit_ansatz, or a whole model circuit when the
/// file has inputs named with spec.input_prefix).
using CircuitFactory = std::function<Circuit(const ComponentSpec&)>;

struct QnnOptions {
  SimulatorOptions simulator;  ///< threads and memory budget
  /// Compute train (and validation) accuracy / R^2 at every iteration for the records (one forward
  /// pass over the rows each time). Off: the records carry NaN there.
  bool track_metrics = false;
};

/// One record per optimizer iteration (what --log writes and --plot draws). NaN where not tracked.
struct TrainingRecord {
  int iteration = 0;
  double loss = 0.0;
  double train_metric = std::numeric_limits<double>::quiet_NaN();       ///< accuracy (classifiers) or R^2
  double validation_metric = std::numeric_limits<double>::quiet_NaN();  ///< the same on the held-out rows
  double gradient_norm = 0.0;
  double step_size = 0.0;
  std::uint64_t evaluations = 0;
  double seconds = 0.0;
};
/// Sees each record as it is made (progress bars, --log streaming); returning true stops training.
using TrainingObserver = std::function<bool(const TrainingRecord&)>;

struct QnnFitReport {
  double seconds = 0.0;
  int iterations = 0;
  std::uint64_t evaluations = 0;          ///< objective evaluations
  std::uint64_t circuit_evaluations = 0;  ///< circuit runs (forward + backward sweeps count as one each)
  double final_loss = 0.0;
  std::string stop_reason;                ///< the optimizer's, or "early_stopping"
  int best_iteration = 0;                 ///< with --validation: the iteration whose weights were kept
  std::vector<TrainingRecord> history;
};

class QnnModel {
 public:
  /// Validates the spec; throws InvalidArgument naming the valid values.
  explicit QnnModel(QnnModelSpec spec, QnnOptions options = {}, FeatureMapFactory maps = {}, CircuitFactory files = {});
  ~QnnModel();
  QnnModel(QnnModel&&) noexcept;
  QnnModel& operator=(QnnModel&&) noexcept;

  /// Trains from scratch (preprocessing fitted on `train`'s rows, minus the validation rows).
  /// Throws InvalidArgument for a regression data set given to a classifier or the reverse, one
  /// class, a feature count the circuit refuses, an initial point of the wrong length.
  QnnFitReport fit(const Dataset& train, const TrainingObserver& observer = {});
  /// Continues training a fitted (or loaded) model from its current weights, with its fitted
  /// preprocessing unchanged (`--resume`); iterations continue the saved count.
  QnnFitReport resume(const Dataset& train, const TrainingObserver& observer = {});
  [[nodiscard]] bool fitted() const noexcept;
  /// The objective fit() minimises, over all rows of `data` (no validation split), with this
  /// fitted model's preprocessing and circuit: the mean loss plus decay (qsvc-trained: minus the
  /// kernel-target alignment). Its parameters are weights()' order. For gradient checks and
  /// loss landscapes. Throws InvalidArgument when not fitted or for data of another shape.
  [[nodiscard]] std::unique_ptr<Objective> training_objective(const Dataset& data) const;

  [[nodiscard]] Labels predict(const FeatureMatrix& x) const;
  [[nodiscard]] std::vector<double> predict_values(const FeatureMatrix& x) const;  ///< regression
  /// N x C class probabilities (the readout's distribution; qsvc-trained: InvalidArgument).
  [[nodiscard]] Eigen::MatrixXd predict_proba(const FeatureMatrix& x) const;

  [[nodiscard]] const QnnModelSpec& spec() const noexcept;
  [[nodiscard]] Task task() const noexcept;
  [[nodiscard]] const std::vector<std::string>& class_names() const noexcept;
  [[nodiscard]] const std::vector<std::string>& feature_names() const noexcept;
  [[nodiscard]] const Pipeline& pipeline() const noexcept;
  [[nodiscard]] int num_qubits() const;
  [[nodiscard]] std::size_t num_weights() const;   ///< trainable parameters (dressed: classical ones too)
  [[nodiscard]] const std::vector<double>& weights() const;
  [[nodiscard]] std::string description() const;   ///< feature map, ansatz, readout, weights in one line

  /// Everything a model file holds (io/model_file.hpp writes and reads it).
  struct State;
  [[nodiscard]] const State& state() const;
  [[nodiscard]] static QnnModel from_state(State state, QnnOptions options = {}, FeatureMapFactory maps = {},
                                           CircuitFactory files = {});

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct QnnModel::State {
  QnnModelSpec spec;                        ///< with feature_map / ansatz canonical (defaults spelled out)
  std::vector<std::string> class_names;     ///< classification; empty for regression
  std::vector<std::string> feature_names;
  std::vector<FittedStep> preprocess;
  std::vector<double> weights;              ///< all trainable values (dressed: quantum then classical)
  double output_scale = 1.0;                ///< qnn-regressor: prediction = output_scale * <O> + output_shift
  double output_shift = 0.0;
  /// Optimizer history summary.
  int iterations = 0;
  std::uint64_t evaluations = 0;
  double final_loss = 0.0;
  std::string stop_reason;
  /// qsvc-trained: the SVM on the trained kernel (its feature map is the bound trained circuit).
  std::optional<KernelModel::State> svm;
};

}  // namespace qmlsim::qml

// QNN models: one parametric circuit per model (built once from the spec and the data's shape),
// a QnnObjective (or the kernel-alignment objective) minimised by the spec's optimizer, records
// made in the optimizer's callback. A model file holds the spec with canonical components and the
// weights; from_state rebuilds the same circuit, so a loaded model computes the same bits.
#include "qml/models/qnn_model.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numbers>
#include <optional>
#include <utility>

#include "qml/data/split.hpp"
#include "qml/encoding/model_circuit.hpp"
#include "qml/eval/metrics.hpp"
#include "qml/qnn/kernel_alignment.hpp"
#include "qml/qnn/qnn_objective.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/rng.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim::qml {

namespace {

constexpr std::uint64_t kClassicalWeightStream = 0x434C415353494300ULL;  // "CLASSIC"
constexpr std::uint64_t kValidationSplitStream = 0x56414C4944000000ULL;  // "VALID"

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

bool is_regressor(const std::string& type) { return type == "qnn-regressor"; }

// The losses each classifier takes (the regressor: squared error; qsvc-trained: alignment).
std::vector<std::string> losses_of(const std::string& type) {
  if (type == "reupload") return loss_names();
  if (type == "vqc" || type == "dressed") return {"cross-entropy", "cross-entropy-log2", "squared-error"};
  if (is_regressor(type)) return {"squared-error"};
  return {};
}

// Models with a readout (the others have their own output: a linear layer, a value, an SVM).
bool has_readout(const std::string& type) { return type == "vqc" || type == "reupload"; }

}  // namespace

std::vector<std::string> qnn_model_names() { return {"vqc", "qnn-regressor", "reupload", "dressed", "qsvc-trained"}; }

bool is_qnn_model(const std::string& type) { return contains(qnn_model_names(), type); }

int default_qnn_layers(const std::string& type) { return type == "reupload" ? 3 : 1; }

void validate_qnn_model_spec(const QnnModelSpec& spec) {
  const std::vector<std::string> names = qnn_model_names();
  if (!contains(names, spec.type))
    throw InvalidArgument("unknown QNN model '" + spec.type + "' (valid: " + join_names(names) + ")");
  const std::string context = spec.type + ": ";
  const QnnModelSpec defaults;
  // Readout and loss: a value the model does not use is refused, unless it is the field's
  // untouched default (the regressor's loss is squared error whatever the classifier default says).
  if (has_readout(spec.type)) {
    (void)readout_kind(spec.readout);
  } else if (spec.readout != defaults.readout) {
    throw InvalidArgument(context + "takes no readout (readouts are for vqc and reupload), got '" + spec.readout + "'");
  }
  check_positive(spec.temperature, context + "temperature");
  (void)loss_kind(spec.loss);
  const std::vector<std::string> losses = losses_of(spec.type);
  if (!contains(losses, spec.loss) && spec.loss != defaults.loss)
    throw InvalidArgument(context + "loss '" + spec.loss + "' is not for this model (valid: " +
                          (losses.empty() ? std::string("none, it maximises kernel-target alignment") : join_names(losses)) + ")");
  if (spec.type == "qsvc-trained" && spec.loss != defaults.loss)
    throw InvalidArgument(context + "takes no loss (it maximises kernel-target alignment), got '" + spec.loss + "'");
  check_range(spec.layers, 1, 1000, context + "layers");
  if (spec.qubits) check_range(*spec.qubits, 1, 30, context + "qubits");
  if (spec.qubits && spec.type != "reupload" && spec.type != "dressed")
    throw InvalidArgument(context + "the qubit count comes from the feature map (qubits is for reupload and dressed)");
  if (spec.l2 < 0.0 || !std::isfinite(spec.l2)) throw InvalidArgument(context + "l2 " + format_number(spec.l2) + " must be >= 0");
  if (!(spec.validation >= 0.0 && spec.validation <= 0.5))
    throw InvalidArgument(context + "validation " + format_number(spec.validation) + " out of range [0, 0.5]");
  check_range(spec.patience, 1, 1'000'000, context + "patience");
  check_positive(spec.C, context + "C");
  if (spec.initial_point)
    for (std::size_t k = 0; k < spec.initial_point->size(); ++k)
      check_finite((*spec.initial_point)[k], context + "initial point entry " + std::to_string(k));
  (void)make_optimizer(spec.optimizer, spec.settings);
  (void)Pipeline::parse(spec.preprocess.value_or(default_preprocess("qsvc")));
  (void)PauliSum::parse(spec.observable);
}

namespace {

// The record of one optimizer iteration (metrics are the caller's to add).
TrainingRecord record_of(const IterationInfo& info, int iteration_offset) {
  TrainingRecord r;
  r.iteration = iteration_offset + info.iteration;
  r.loss = info.loss;
  r.gradient_norm = info.gradient_norm;
  r.step_size = info.step_size;
  r.evaluations = info.evaluations;
  r.seconds = info.seconds;
  return r;
}

}  // namespace

struct QnnModel::Impl {
  QnnOptions options;
  FeatureMapFactory maps;
  CircuitFactory files;
  State state;
  bool fitted = false;
  Pipeline pipeline;

  // Built by build() from the spec and the data's shape.
  std::optional<ModelCircuit> model;       // the trained circuit and its layout (built by build())
  std::vector<Observable> observables;
  std::optional<Readout> readout;          // vqc, reupload
  std::size_t num_classical = 0;           // dressed: output layer weights
  std::unique_ptr<BatchExecutor> executor;
  std::optional<KernelModel> svm;          // qsvc-trained

  [[nodiscard]] const std::string& type() const { return state.spec.type; }
  [[nodiscard]] int classes() const { return static_cast<int>(state.class_names.size()); }

  std::unique_ptr<FeatureMap> make_map(const ComponentSpec& spec, int features) const {
    return maps ? maps(spec, features) : make_feature_map(spec, features);
  }
  std::unique_ptr<Ansatz> make_ans(const ComponentSpec& spec, int qubits) const {
    if (spec.type == "file" && files) return circuit_ansatz(files(spec), spec, qubits);
    return make_ansatz(spec, qubits);
  }

  // The circuit of a file ansatz when some of its parameters are features (named with the spec's
  // input prefix); nullopt for named ansatze and files whose inputs are all weights.
  [[nodiscard]] std::optional<Circuit> whole_model_circuit(const ComponentSpec& spec) const {
    if (spec.type != "file" || !files) return std::nullopt;
    Circuit c = files(spec);
    const std::string& prefix = state.spec.input_prefix;
    for (const std::string& name : c.parameter_names())
      if (name.compare(0, prefix.size(), prefix) == 0) return c;
    return std::nullopt;
  }
  void build(int features);
  void build_reupload(int features);
  void build_dressed(int features);
  [[nodiscard]] std::vector<double> initial_point(std::uint64_t seed) const;
  [[nodiscard]] std::shared_ptr<const SampleLoss> sample_loss(const Dataset& data) const;
  [[nodiscard]] std::unique_ptr<QnnObjective> qnn_objective(const Dataset& data, const FeatureMatrix& z) const;

  [[nodiscard]] std::size_t num_weights() const { return model->layout.weights.size() + num_classical; }
  // N x C class probabilities of preprocessed rows z at weights w (classifiers).
  [[nodiscard]] Eigen::MatrixXd probabilities(const FeatureMatrix& z, std::span<const double> w) const;
  // Raw observable values (regressor: <O> per row).
  [[nodiscard]] std::vector<double> values(const FeatureMatrix& z, std::span<const double> w) const;
  // Accuracy (classifiers) or R^2 (regressor) of preprocessed rows at weights w.
  [[nodiscard]] double metric(const FeatureMatrix& z, const Dataset& data, std::span<const double> w) const;
  [[nodiscard]] FeatureMatrix prepare(const FeatureMatrix& x, const char* what) const;
  void require_fitted(const char* what) const {
    if (!fitted) throw InvalidArgument(std::string(what) + ": the " + type() + " model is not fitted");
  }

  QnnFitReport train(const Dataset& data, std::vector<double> w0, int iteration_offset, const TrainingObserver& observer);
  QnnFitReport train_kernel(const FeatureMatrix& z, const Dataset& data, std::vector<double> w0, int iteration_offset,
                            const TrainingObserver& observer);
  void build_svm_from_state();
  [[nodiscard]] FeatureMapFactory trained_map_factory() const;
};

// ---------------------------------------------------------------------------------------------
// Circuits

void QnnModel::Impl::build(int features) {
  QnnModelSpec& spec = state.spec;
  readout.reset();
  num_classical = 0;
  observables.clear();
  if (spec.type == "reupload") {
    build_reupload(features);
  } else if (spec.type == "dressed") {
    build_dressed(features);
  } else if (std::optional<Circuit> whole = whole_model_circuit(spec.ansatz)) {
    // An OpenQASM file whose inputs include the features (named with the input prefix) is the
    // whole model circuit: no feature map in front of it.
    model = split_circuit(*whole, spec.input_prefix, features);
  } else {
    const std::unique_ptr<FeatureMap> map = make_map(spec.feature_map, features);
    const std::unique_ptr<Ansatz> ansatz = make_ans(spec.ansatz, map->num_qubits());
    spec.feature_map = map->spec();
    spec.ansatz = ansatz->spec();
    model = compose(*map, *ansatz, spec.layers, spec.type == "qsvc-trained");
  }
  const int n = model->num_qubits();
  if (has_readout(spec.type)) {
    readout.emplace(readout_kind(spec.readout), classes(), n, spec.temperature);
    observables = readout->observables();
  } else if (is_regressor(spec.type)) {
    observables = {PauliSum::parse(spec.observable)};
  }
  for (const Observable& o : observables) check_observable(o, n);
  if (spec.type != "qsvc-trained") executor = std::make_unique<BatchExecutor>(model->circuit, options.simulator);
}

// Perez-Salinas et al. 2020, per layer and qubit: the features in groups of three, each group
// uploaded by Rot(a1, a2, a3) = RZ(a3) RY(a2) RZ(a1) with a_k = w_k x_{3g+k} + b_k (a missing
// feature of the last group: a_k = b_k); then, on 2 or more qubits, a CZ ring. Parameters: the
// features first, then per layer, qubit, group: (w_1, b_1, w_2, b_2, w_3, b_3).
void QnnModel::Impl::build_reupload(int features) {
  const int qubits = state.spec.qubits.value_or(1);
  const int groups = (features + 2) / 3;
  const int per_layer = qubits * groups * 6;
  const int total = features + state.spec.layers * per_layer;
  Circuit c(qubits);
  c.declare_parameters(total);
  ParameterLayout layout;
  for (int j = 0; j < features; ++j) layout.inputs.push_back(j);
  int next = features;
  for (int l = 0; l < state.spec.layers; ++l) {
    for (int q = 0; q < qubits; ++q) {
      for (int g = 0; g < groups; ++g) {
        std::vector<Param> angles;
        for (int k = 0; k < 3; ++k) {
          const int scale = next++, bias = next++;
          layout.weights.push_back(scale);
          layout.weights.push_back(bias);
          const int feature = 3 * g + k;
          if (feature < features)
            angles.emplace_back(Expr::parameter(scale) * Expr::parameter(feature) + Expr::parameter(bias));
          else
            angles.push_back(Param::parameter(bias));
        }
        c.rz(angles[0], q).ry(angles[1], q).rz(angles[2], q);
      }
    }
    if (qubits == 2) c.cz(0, 1);
    if (qubits > 2)
      for (int q = 0; q < qubits; ++q) c.cz(q, (q + 1) % qubits);
  }
  model = ModelCircuit{std::move(c), std::move(layout)};
}

// Mari et al. 2020: a linear layer F -> n squashed into angles, atan(A x + b) in (-pi/2, pi/2)
// (Mari's (pi/2) tanh has the same role; atan is a primitive of the circuit's expressions), as
// RY after a Hadamard layer on each qubit, then the ansatz; <Z_j> on every qubit feed the output
// layer (DressedLoss). Parameters: the ansatz's weights first (so its circuit is appended as is),
// then the features, then A (n x F, row-major) and b.
void QnnModel::Impl::build_dressed(int features) {
  const int n = state.spec.qubits.value_or(features);
  const std::unique_ptr<Ansatz> ansatz = make_ans(state.spec.ansatz, n);
  state.spec.ansatz = ansatz->spec();
  const int p = ansatz->num_parameters();
  const int x0 = p, a0 = p + features, b0 = a0 + n * features;
  Circuit c(n);
  c.declare_parameters(b0 + n);
  for (int q = 0; q < n; ++q) {
    Expr pre = Expr::parameter(b0 + q);
    for (int k = 0; k < features; ++k) pre = pre + Expr::parameter(a0 + q * features + k) * Expr::parameter(x0 + k);
    c.h(q).ry(atan(pre), q);
  }
  c.append(ansatz->circuit());
  ParameterLayout layout;
  for (int k = 0; k < features; ++k) layout.inputs.push_back(x0 + k);
  for (int k = 0; k < p; ++k) layout.weights.push_back(k);
  for (int k = a0; k < b0 + n; ++k) layout.weights.push_back(k);
  model = ModelCircuit{std::move(c), std::move(layout)};
  for (int q = 0; q < n; ++q) observables.emplace_back(PauliSum(PauliString::single(Pauli::Z, q)));
  num_classical = static_cast<std::size_t>(classes() * (n + 1));
}

// Seeded initial weights: initial_weights (uniform in [0, 2 pi)) for circuit angles; re-uploading
// scales start at 1 (the features as given) with uniform biases; dressed linear layers uniform in
// +-1/sqrt(fan in) (PyTorch's Linear default), from their own stream.
std::vector<double> QnnModel::Impl::initial_point(std::uint64_t seed) const {
  std::vector<double> w = initial_weights(num_weights(), seed);
  const std::string& t = type();
  if (t == "reupload") {
    for (std::size_t k = 0; k < w.size(); k += 2) w[k] = 1.0;
  } else if (t == "dressed") {
    const std::size_t features = model->layout.inputs.size();
    const auto n = static_cast<std::size_t>(model->num_qubits());
    const std::size_t p = model->layout.weights.size() - n * (features + 1);
    Rng rng(seed, kClassicalWeightStream);
    const auto draw = [&](std::size_t fan_in) { return (2.0 * rng.uniform() - 1.0) / std::sqrt(double(fan_in)); };
    for (std::size_t k = p; k < model->layout.weights.size(); ++k) w[k] = draw(features);
    for (std::size_t k = model->layout.weights.size(); k < w.size(); ++k) w[k] = draw(n);
  }
  return w;
}

std::unique_ptr<QnnObjective> QnnModel::Impl::qnn_objective(const Dataset& data, const FeatureMatrix& z) const {
  return std::make_unique<QnnObjective>(model->circuit, model->layout, observables, z, sample_loss(data),
                                        state.spec.l2, options.simulator);
}

std::shared_ptr<const SampleLoss> QnnModel::Impl::sample_loss(const Dataset& data) const {
  const QnnModelSpec& spec = state.spec;
  if (is_regressor(spec.type)) {
    // The loss sees the targets scaled as the circuit's output is: (t - shift) / scale.
    std::vector<double> scaled = data.targets();
    for (double& t : scaled) t = (t - state.output_shift) / state.output_scale;
    return std::make_shared<RegressionLoss>(std::move(scaled));
  }
  const LossKind loss = loss_kind(spec.loss);
  if (spec.type == "dressed") return std::make_shared<DressedLoss>(model->num_qubits(), classes(), loss, data.y());
  return std::make_shared<ClassifierLoss>(*readout, loss, data.y());
}

// ---------------------------------------------------------------------------------------------
// Prediction

std::vector<double> QnnModel::Impl::values(const FeatureMatrix& z, std::span<const double> w) const {
  return circuit_values(*executor, model->layout, z, w.first(model->layout.weights.size()), observables);
}

Eigen::MatrixXd QnnModel::Impl::probabilities(const FeatureMatrix& z, std::span<const double> w) const {
  const std::vector<double> v = values(z, w);
  const std::size_t m = observables.size();
  const auto c = static_cast<std::size_t>(classes());
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> p(z.rows(), classes());
  const std::span<const double> classical = w.subspan(model->layout.weights.size());
  const DressedLoss dressed(model->num_qubits(), classes(), LossKind::CrossEntropy, {});
  for (Eigen::Index i = 0; i < z.rows(); ++i) {
    const std::span<const double> row(v.data() + static_cast<std::size_t>(i) * m, m);
    const std::span<double> out(p.data() + static_cast<std::size_t>(i) * c, c);
    if (type() == "dressed")
      dressed.probabilities(row, classical, out);
    else
      readout->probabilities(row, out);
  }
  return p;
}

double QnnModel::Impl::metric(const FeatureMatrix& z, const Dataset& data, std::span<const double> w) const {
  if (is_regressor(type())) {
    std::vector<double> v = values(z, w);
    for (double& y : v) y = state.output_scale * y + state.output_shift;
    return r2_score(data.targets(), v);
  }
  const Eigen::MatrixXd p = probabilities(z, w);
  Labels predicted(static_cast<std::size_t>(p.rows()));
  for (Eigen::Index i = 0; i < p.rows(); ++i) {
    Eigen::Index best = 0;
    p.row(i).maxCoeff(&best);
    predicted[static_cast<std::size_t>(i)] = static_cast<int>(best);
  }
  return accuracy(data.y(), predicted);
}

FeatureMatrix QnnModel::Impl::prepare(const FeatureMatrix& x, const char* what) const {
  require_fitted(what);
  if (x.cols() != static_cast<Eigen::Index>(state.feature_names.size()))
    throw InvalidArgument(std::string(what) + ": the model was trained on " +
                          plural(static_cast<long long>(state.feature_names.size()), "feature") + ", got " +
                          std::to_string(x.cols()));
  return pipeline.transform(x);
}

// ---------------------------------------------------------------------------------------------
// Training

namespace {

struct Parts {
  Dataset fit;
  std::optional<Dataset> validation;
};

// The stratified validation split (seeded by the optimizer's seed on its own stream).
Parts split_validation(const Dataset& data, const QnnModelSpec& spec) {
  if (spec.validation <= 0.0) return {data, std::nullopt};
  Split s = train_test_split(data, spec.validation, spec.settings.seed ^ kValidationSplitStream);
  // One validation row gives a constant metric (R^2 of one row is 0), so "no improvement" would
  // stop training at once and keep the initial weights.
  if (s.test.size() < 2)
    throw InvalidArgument(spec.type + ": validation " + format_number(spec.validation) + " of " +
                          std::to_string(data.size()) + " rows leaves " + std::to_string(s.test.size()) +
                          " row for early stopping; at least 2 are needed (raise the fraction or give more rows)");
  return {std::move(s.train), std::move(s.test)};
}

}  // namespace

QnnFitReport QnnModel::Impl::train(const Dataset& data, std::vector<double> w0, int iteration_offset,
                                   const TrainingObserver& observer) {
  const auto start = std::chrono::steady_clock::now();
  const QnnModelSpec& spec = state.spec;
  Parts parts = split_validation(data, spec);
  const FeatureMatrix z = pipeline.transform(parts.fit.x());
  const std::optional<FeatureMatrix> zv =
      parts.validation ? std::optional<FeatureMatrix>(pipeline.transform(parts.validation->x())) : std::nullopt;
  if (spec.type == "qsvc-trained") return train_kernel(z, parts.fit, std::move(w0), iteration_offset, observer);

  const std::unique_ptr<QnnObjective> objective_ptr = qnn_objective(parts.fit, z);
  QnnObjective& objective = *objective_ptr;
  const std::unique_ptr<Optimizer> optimizer = make_optimizer(spec.optimizer, spec.settings);

  QnnFitReport report;
  std::vector<double> best = w0;
  double best_metric = -std::numeric_limits<double>::infinity();
  double best_loss = std::numeric_limits<double>::infinity();
  bool early_stopped = false;
  std::uint64_t metric_runs = 0;  // circuit runs of the tracked metrics
  const auto callback = [&](const IterationInfo& info) {
    TrainingRecord r = record_of(info, iteration_offset);
    if (options.track_metrics) {
      r.train_metric = metric(z, parts.fit, info.x);
      metric_runs += static_cast<std::uint64_t>(z.rows());
    }
    bool stop = false;
    if (zv) {
      r.validation_metric = metric(*zv, *parts.validation, info.x);
      metric_runs += static_cast<std::uint64_t>(zv->rows());
      // Better validation metric, or the same one at a lower training loss (accuracy moves in
      // steps: ties are common, and the lower loss is the better-fitted point).
      if (r.validation_metric > best_metric || (r.validation_metric == best_metric && info.loss < best_loss)) {
        best_metric = r.validation_metric;
        best_loss = info.loss;
        best.assign(info.x.begin(), info.x.end());
        report.best_iteration = r.iteration;
      } else if (r.iteration - report.best_iteration >= spec.patience) {
        early_stopped = stop = true;
      }
    }
    report.history.push_back(r);
    if (observer && observer(r)) stop = true;
    return stop;
  };
  OptimizeResult result = optimizer->minimize(objective, std::move(w0), callback);

  // With a validation split the kept weights are the best iteration's, and so is the loss saved.
  state.weights = zv ? std::move(best) : std::move(result.x);
  state.iterations = iteration_offset + result.iterations;
  state.evaluations += result.evaluations;
  state.final_loss = zv ? best_loss : result.loss;
  state.stop_reason = early_stopped ? "early_stopping" : result.stop_reason;
  report.iterations = result.iterations;
  report.evaluations = result.evaluations;
  report.circuit_evaluations = objective.circuit_evaluations() + metric_runs;
  report.final_loss = state.final_loss;
  report.stop_reason = state.stop_reason;
  report.seconds = seconds_since(start);
  return report;
}

// qsvc-trained: maximise the alignment of the fidelity kernel of W(w) U(x), then a C-SVC on the
// kernel of the bound (trained) circuit.
QnnFitReport QnnModel::Impl::train_kernel(const FeatureMatrix& z, const Dataset& data, std::vector<double> w0,
                                          int iteration_offset, const TrainingObserver& observer) {
  const auto start = std::chrono::steady_clock::now();
  const QnnModelSpec& spec = state.spec;
  KernelAlignmentObjective objective(*model, z, data.y(), classes(), options.simulator);
  const std::unique_ptr<Optimizer> optimizer = make_optimizer(spec.optimizer, spec.settings);
  QnnFitReport report;
  const auto callback = [&](const IterationInfo& info) {
    TrainingRecord r = record_of(info, iteration_offset);
    report.history.push_back(r);
    return observer && observer(r);
  };
  OptimizeResult result = optimizer->minimize(objective, std::move(w0), callback);
  state.weights = std::move(result.x);
  state.iterations = iteration_offset + result.iterations;
  state.evaluations += result.evaluations;
  state.final_loss = result.loss;
  state.stop_reason = result.stop_reason;

  // The SVM sees the preprocessed rows ("none": this model's pipeline ran already).
  KernelModelSpec k;
  k.type = "qsvc";
  k.feature_map = ComponentSpec{"trained", {}};
  k.preprocess = "none";
  k.C = spec.C;
  KernelOptions ko;
  ko.simulator = options.simulator;
  ko.seed = spec.settings.seed;
  svm.emplace(k, ko, trained_map_factory());
  (void)svm->fit(data.with_features(z));
  state.svm = svm->state();
  report.iterations = result.iterations;
  report.evaluations = result.evaluations;
  report.circuit_evaluations = objective.circuit_evaluations();
  report.final_loss = result.loss;
  report.stop_reason = state.stop_reason;
  report.seconds = seconds_since(start);
  return report;
}

FeatureMapFactory QnnModel::Impl::trained_map_factory() const {
  Circuit bound = bind_weights(*model, state.weights);
  return [bound = std::move(bound)](const ComponentSpec& spec, int features) {
    return circuit_feature_map(bound, spec, features);
  };
}

void QnnModel::Impl::build_svm_from_state() {
  KernelOptions ko;
  ko.simulator = options.simulator;
  ko.seed = state.spec.settings.seed;
  try {
    svm.emplace(KernelModel::from_state(*state.svm, ko, trained_map_factory()));
  } catch (const DatasetError& e) {
    throw DatasetError(std::string("svm/") + e.what());
  }
}

// ---------------------------------------------------------------------------------------------
// The model

QnnModel::QnnModel(QnnModelSpec spec, QnnOptions options, FeatureMapFactory maps, CircuitFactory files)
    : impl_(std::make_unique<Impl>()) {
  validate_qnn_model_spec(spec);
  impl_->options = std::move(options);
  impl_->maps = std::move(maps);
  impl_->files = std::move(files);
  impl_->state.spec = std::move(spec);
}

QnnModel::~QnnModel() = default;
QnnModel::QnnModel(QnnModel&&) noexcept = default;
QnnModel& QnnModel::operator=(QnnModel&&) noexcept = default;

QnnFitReport QnnModel::fit(const Dataset& train, const TrainingObserver& observer) {
  Impl& m = *impl_;
  const QnnModelSpec& spec = m.state.spec;
  const bool regression = is_regressor(spec.type);
  if (regression && train.task() != Task::Regression)
    throw InvalidArgument("fit: qnn-regressor is a regression model but the data set has class labels");
  if (!regression && train.task() != Task::Classification)
    throw InvalidArgument("fit: " + spec.type + " is a classifier but the data set has real targets (use qnn-regressor)");
  if (train.size() == 0) throw InvalidArgument("fit: the training set is empty");
  if (!regression) {
    const std::vector<std::size_t> counts = train.class_counts();
    for (std::size_t c = 0; c < counts.size(); ++c)
      if (counts[c] == 0) throw InvalidArgument("fit: class '" + train.class_names()[c] + "' has no training samples");
    if (counts.size() < 2) throw InvalidArgument("fit: the training rows have a single class; a classifier needs two or more");
  }

  m.fitted = false;
  State s;
  s.spec = spec;
  s.class_names = regression ? std::vector<std::string>{} : train.class_names();
  s.feature_names = train.feature_names();
  m.state = std::move(s);
  // Preprocessing is fitted on the rows that train (the validation rows stay unseen).
  const Parts parts = split_validation(train, spec);
  m.pipeline = Pipeline::parse(spec.preprocess.value_or(default_preprocess("qsvc")));
  m.pipeline.fit(parts.fit.x());
  m.state.preprocess = m.pipeline.fitted_steps();
  m.build(m.pipeline.output_features(train.num_features()));
  if (regression) {
    // Targets scaled into [-1, 1] by the training range, the range of <O> for a Pauli observable
    // of norm 1: prediction = scale <O> + shift.
    const auto [lo, hi] = std::minmax_element(parts.fit.targets().begin(), parts.fit.targets().end());
    m.state.output_shift = (*hi + *lo) / 2;
    m.state.output_scale = *hi > *lo ? (*hi - *lo) / 2 : 1.0;
  }
  std::vector<double> w0;
  if (spec.initial_point) {
    if (spec.initial_point->size() != m.num_weights())
      throw InvalidArgument("fit: the initial point has " + plural(static_cast<long long>(spec.initial_point->size()), "value") +
                            " but the " + spec.type + " model has " + plural(static_cast<long long>(m.num_weights()), "weight"));
    w0 = *spec.initial_point;
  } else {
    w0 = m.initial_point(spec.settings.seed);
  }
  QnnFitReport report = m.train(train, std::move(w0), 0, observer);
  m.fitted = true;
  return report;
}

QnnFitReport QnnModel::resume(const Dataset& train, const TrainingObserver& observer) {
  Impl& m = *impl_;
  m.require_fitted("resume");
  if (train.num_features() != static_cast<int>(m.state.feature_names.size()))
    throw InvalidArgument("resume: the model was trained on " +
                          plural(static_cast<long long>(m.state.feature_names.size()), "feature") + ", got " +
                          std::to_string(train.num_features()));
  if (train.class_names() != m.state.class_names)
    throw InvalidArgument("resume: the data's classes (" + join_names(train.class_names()) + ") differ from the model's (" +
                          join_names(m.state.class_names) + ")");
  if (is_regressor(m.type()) != (train.task() == Task::Regression))
    throw InvalidArgument("resume: the data set's task differs from the model's");
  return m.train(train, m.state.weights, m.state.iterations, observer);
}

bool QnnModel::fitted() const noexcept { return impl_->fitted; }

std::unique_ptr<Objective> QnnModel::training_objective(const Dataset& data) const {
  const Impl& m = *impl_;
  const FeatureMatrix z = m.prepare(data.x(), "training_objective");
  if (is_regressor(m.type()) != (data.task() == Task::Regression))
    throw InvalidArgument("training_objective: the data set's task differs from the model's");
  if (m.type() == "qsvc-trained")
    return std::make_unique<KernelAlignmentObjective>(*m.model, z, data.y(), m.classes(), m.options.simulator);
  return m.qnn_objective(data, z);
}

Labels QnnModel::predict(const FeatureMatrix& x) const {
  const Impl& m = *impl_;
  if (is_regressor(m.type())) throw InvalidArgument("predict: qnn-regressor is a regression model; use predict_values");
  if (m.type() == "qsvc-trained") return m.svm->predict(m.prepare(x, "predict"));
  const Eigen::MatrixXd p = m.probabilities(m.prepare(x, "predict"), m.state.weights);
  Labels out(static_cast<std::size_t>(p.rows()));
  for (Eigen::Index i = 0; i < p.rows(); ++i) {
    Eigen::Index best = 0;
    p.row(i).maxCoeff(&best);
    out[static_cast<std::size_t>(i)] = static_cast<int>(best);
  }
  return out;
}

std::vector<double> QnnModel::predict_values(const FeatureMatrix& x) const {
  const Impl& m = *impl_;
  if (!is_regressor(m.type())) throw InvalidArgument("predict_values: " + m.type() + " predicts classes, not values; use predict");
  std::vector<double> v = m.values(m.prepare(x, "predict_values"), m.state.weights);
  for (double& y : v) y = m.state.output_scale * y + m.state.output_shift;
  return v;
}

Eigen::MatrixXd QnnModel::predict_proba(const FeatureMatrix& x) const {
  const Impl& m = *impl_;
  if (is_regressor(m.type()) || m.type() == "qsvc-trained")
    throw InvalidArgument("predict_proba: " + m.type() + " has no class probabilities");
  return m.probabilities(m.prepare(x, "predict_proba"), m.state.weights);
}

const QnnModelSpec& QnnModel::spec() const noexcept { return impl_->state.spec; }
Task QnnModel::task() const noexcept { return is_regressor(impl_->type()) ? Task::Regression : Task::Classification; }
const std::vector<std::string>& QnnModel::class_names() const noexcept { return impl_->state.class_names; }
const std::vector<std::string>& QnnModel::feature_names() const noexcept { return impl_->state.feature_names; }
const Pipeline& QnnModel::pipeline() const noexcept { return impl_->pipeline; }
int QnnModel::num_qubits() const {
  impl_->require_fitted("num_qubits");
  return impl_->model->num_qubits();
}
std::size_t QnnModel::num_weights() const {
  impl_->require_fitted("num_weights");
  return impl_->num_weights();
}
const std::vector<double>& QnnModel::weights() const {
  impl_->require_fitted("weights");
  return impl_->state.weights;
}

std::string QnnModel::description() const {
  const Impl& m = *impl_;
  const QnnModelSpec& s = m.state.spec;
  std::string d = s.type + ": ";
  if (s.type == "reupload")
    d += "re-uploading Rot(w x + b), " + plural(s.qubits.value_or(1), "qubit") + ", " + plural(s.layers, "layer");
  else if (s.type == "dressed")
    d += "linear -> atan -> " + s.ansatz.text() + " -> linear";
  else
    d += s.feature_map.text() + " + " + s.ansatz.text() + (s.layers > 1 ? " x " + std::to_string(s.layers) : "");
  if (has_readout(s.type)) d += ", readout " + s.readout;
  if (s.type != "qsvc-trained") d += ", loss " + std::string(is_regressor(s.type) ? "squared-error" : s.loss);
  if (m.fitted) d += ", " + plural(static_cast<long long>(m.num_weights()), "weight");
  return d;
}

const QnnModel::State& QnnModel::state() const {
  impl_->require_fitted("state");
  return impl_->state;
}

QnnModel QnnModel::from_state(State state, QnnOptions options, FeatureMapFactory maps, CircuitFactory files) {
  const auto bad = [](const std::string& field, const std::string& message) -> void {
    throw DatasetError(field + ": " + message);
  };
  std::optional<QnnModel> built;
  try {
    built.emplace(state.spec, std::move(options), std::move(maps), std::move(files));
  } catch (const InvalidArgument& e) {
    bad("spec", e.what());
  }
  QnnModel model = std::move(*built);
  Impl& m = *model.impl_;
  const bool regression = is_regressor(state.spec.type);
  if (regression && !state.class_names.empty()) bad("class_names", "expected none for qnn-regressor");
  if (!regression && state.class_names.size() < 2)
    bad("class_names", "expected at least 2 classes, got " + std::to_string(state.class_names.size()));
  if (state.feature_names.empty()) bad("feature_names", "expected at least one feature");
  if (!(std::isfinite(state.output_scale) && state.output_scale != 0.0)) bad("output_scale", "must be finite and non-zero");
  if (!std::isfinite(state.output_shift)) bad("output_shift", "must be finite");
  try {
    m.pipeline = Pipeline::from_fitted(state.preprocess);
  } catch (const Error& e) {
    bad("preprocess", e.what());
  }
  const auto inputs = static_cast<int>(state.feature_names.size());
  if (m.pipeline.input_features() != 0 && m.pipeline.input_features() != inputs)
    bad("preprocess", "fitted on " + plural(m.pipeline.input_features(), "feature") + " but the model has " +
                          plural(inputs, "feature name"));
  m.state = std::move(state);
  try {
    m.build(m.pipeline.output_features(inputs));
  } catch (const InvalidArgument& e) {
    bad("spec", e.what());
  }
  if (m.state.weights.size() != m.num_weights())
    bad("weights", "expected " + plural(static_cast<long long>(m.num_weights()), "value") + " for this circuit, got " +
                       std::to_string(m.state.weights.size()));
  if (m.type() == "qsvc-trained") {
    if (!m.state.svm) bad("svm", "missing (qsvc-trained keeps its SVM)");
    m.build_svm_from_state();
  }
  m.fitted = true;
  return model;
}

}  // namespace qmlsim::qml

// The quantum Estimators: thin adapters that turn ModelConfig text into a KernelModelSpec or a
// QnnModelSpec (ComponentOptions reads every key, so unknown ones name the valid ones) and forward
// the calls. The models keep their own checks (fitted, task, shapes); the adapters add the facts
// the comparison table needs (circuit depth, trainable parameters, ROC scores).
#include "qml/models/estimator_quantum.hpp"

#include <algorithm>
#include <optional>
#include <utility>

#include "qml/encoding/model_circuit.hpp"
#include "qml/models/kernel_model.hpp"
#include "qml/models/qnn_model.hpp"
#include "qml/qnn/loss.hpp"
#include "qml/qnn/readout.hpp"
#include "simulator/circuit/depth.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim::qml {

namespace {

// The default preprocessing of every quantum model: features into [0, pi], the range of the
// rotation angles the feature maps were designed for.
const std::string kQuantumPreprocess = "standard,minmax:0:pi";

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool is_kernel_type(const std::string& type) {
  return contains({"qsvc", "qsvc-z", "qsvc-iqp", "qsvc-projected", "qsvr", "qkrr"}, type);
}

// "model 'NAME'" (the type when the config has no name): the prefix of every message.
std::string context_of(const ModelConfig& config) {
  return "model '" + (config.name.empty() ? config.type : config.name) + "'";
}

std::string join_pairs(const std::string& type, const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::string out = type;
  for (const auto& [k, v] : pairs) out += " " + k + "=" + v;
  return out;
}

// The model's preprocessing: `scaling` S stretches the default range to [0, S pi] (the
// bandwidth of the feature map's angles); it refuses an explicit --preprocess, which it would
// otherwise silently lose.
std::string quantum_preprocess(const EstimatorContext& context, std::optional<double> scaling, const std::string& where) {
  if (!scaling) return model_preprocess_spec(context, kQuantumPreprocess);
  if (context.preprocess)
    throw InvalidArgument(where + ": scaling sets the range of the default preprocessing; it cannot be combined "
                          "with the explicit preprocessing '" + *context.preprocess + "'");
  return model_preprocess_spec(context, "standard,minmax:0:" + format_number(*scaling) + "*pi");
}

// reps=N into a feature map's spec (iqp calls it repeats); maps without repetitions refuse it.
void set_map_reps(ComponentSpec& map, int reps, const std::string& where) {
  if (map.type == "iqp") {
    map.set("repeats", std::to_string(reps));
  } else if (contains({"zz", "z", "pauli"}, map.type)) {
    map.set("reps", std::to_string(reps));
  } else {
    throw InvalidArgument(where + ": reps applies to the feature maps zz, z, pauli and iqp, not '" + map.type + "'");
  }
}

// Builds a named map once to check its options before anything runs (the feature count is not
// known yet: 2, or the map's own qubits=N). Files are the CLI's to check.
void check_feature_map(const ComponentSpec& map, const std::string& where) {
  if (map.type == "file" || map.get("qubits")) return;
  try {
    (void)make_feature_map(map, 2);
  } catch (const InvalidArgument& e) {
    throw InvalidArgument(where + ": " + e.what());
  }
}

void check_ansatz(const ComponentSpec& ansatz, const std::string& where) {
  if (ansatz.type == "file") return;
  try {
    (void)make_ansatz(ansatz, 2);
  } catch (const InvalidArgument& e) {
    throw InvalidArgument(where + ": " + e.what());
  }
}

ComponentSpec parse_spec(const std::string& text, const std::string& where) {
  return parse_component_spec(text, where);
}

void require_two_classes(const std::vector<std::string>& classes, const std::string& where) {
  if (classes.size() != 2)
    throw InvalidArgument(where + ": score_class1 is for two classes, the model has " +
                          std::to_string(classes.size()) + " classes");
}

// -(decision value of pair (0, 1)): grows with the belief in class 1.
std::vector<double> class1_scores(const Eigen::MatrixXd& decision) {
  std::vector<double> out(static_cast<std::size_t>(decision.rows()));
  for (Eigen::Index i = 0; i < decision.rows(); ++i) out[static_cast<std::size_t>(i)] = -decision(i, 0);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Kernel models

class KernelEstimator final : public Estimator {
 public:
  KernelEstimator(std::string where, const KernelModelSpec& spec, KernelOptions options, std::string description)
      : where_(std::move(where)), model_(spec, std::move(options)), description_(std::move(description)) {}

  [[nodiscard]] ModelKind kind() const noexcept override { return ModelKind::Quantum; }
  [[nodiscard]] Task task() const noexcept override { return model_.task(); }

  EstimatorFit fit(const Dataset& train) override {
    const KernelFitReport r = model_.fit(train);
    return {r.seconds, r.circuit_evaluations, 0};
  }
  [[nodiscard]] Labels predict(const FeatureMatrix& x) const override { return model_.predict(x); }
  [[nodiscard]] std::vector<double> predict_values(const FeatureMatrix& x) const override {
    return model_.predict_values(x);
  }
  [[nodiscard]] bool has_proba() const noexcept override { return false; }
  [[nodiscard]] Eigen::MatrixXd predict_proba(const FeatureMatrix&) const override {
    throw InvalidArgument(where_ + ": no probabilities (its SVM is trained without Platt scaling)");
  }
  [[nodiscard]] std::vector<double> score_class1(const FeatureMatrix& x) const override {
    if (model_.task() != Task::Classification) throw InvalidArgument(where_ + ": score_class1 is for classifiers");
    const Eigen::MatrixXd decision = model_.decision_values(x);  // checks fitted first
    require_two_classes(model_.class_names(), where_);
    return class1_scores(decision);
  }
  [[nodiscard]] EstimatorInfo info() const override {
    const KernelModel::State& s = model_.state();  // throws when not fitted
    EstimatorInfo info;
    const std::unique_ptr<FeatureMap> map = make_feature_map(s.feature_map, static_cast<int>(s.support_features.cols()));
    info.qubits = map->num_qubits();
    if (const Circuit* c = map->circuit()) info.circuit_depth = circuit_depth(*c);
    info.trainable_parameters = s.spec.type == "qkrr" ? static_cast<std::size_t>(s.krr_coef.size())
                                                      : static_cast<std::size_t>(s.svm.dual_coef.size()) + s.svm.rho.size();
    return info;
  }
  [[nodiscard]] std::string description() const override { return description_; }
  [[nodiscard]] std::optional<Eigen::MatrixXd> kernel_matrix(const FeatureMatrix& a, const FeatureMatrix& b) const override {
    return model_.kernel_matrix(a, b);
  }

 private:
  std::string where_;
  KernelModel model_;
  std::string description_;
};

std::unique_ptr<Estimator> make_kernel_estimator(const ModelConfig& config, const EstimatorContext& context) {
  const std::string& type = config.type;
  const std::string where = context_of(config);
  ComponentOptions o(ComponentSpec{type, config.params}, where);
  KernelModelSpec spec;
  spec.type = type == "qsvr" || type == "qkrr" ? type : "qsvc";
  const std::string default_map = type == "qsvc-z" ? "z" : type == "qsvc-iqp" ? "iqp" : "zz";
  if (type == "qsvc-projected") spec.kernel = ComponentSpec{"projected", {}};
  std::optional<double> scaling;
  std::vector<std::pair<std::string, std::string>> shown;
  for (const std::string& key : quantum_parameter_keys(type)) {
    if (key == "feature_map") {
      spec.feature_map = parse_spec(o.text(key, default_map), where + " feature_map");
    } else if (key == "reps") {
      const bool given = o.has(key);
      const int reps = o.integer(key, 1, 1, 100);
      if (given) set_map_reps(spec.feature_map, reps, where);
    } else if (key == "C") {
      spec.C = o.real(key, spec.C);
      check_positive(spec.C, where + " C");
      shown.emplace_back("C", format_number(spec.C));
    } else if (key == "epsilon") {
      spec.epsilon = o.real(key, spec.epsilon);
      shown.emplace_back("epsilon", format_number(spec.epsilon));
    } else if (key == "alpha") {
      spec.alpha = o.real(key, spec.alpha);
      check_positive(spec.alpha, where + " alpha");
      shown.emplace_back("alpha", format_number(spec.alpha));
    } else if (key == "gamma") {
      if (o.has(key)) {
        const double gamma = o.real(key, 1.0);
        check_positive(gamma, where + " gamma");
        spec.kernel.set("gamma", format_number(gamma));
      } else {
        (void)o.real(key, 1.0);  // asked, so the message lists it
      }
    } else if (key == "scaling") {
      if (o.has(key)) {
        scaling = o.real(key, 1.0);
        check_positive(*scaling, where + " scaling");
      } else {
        (void)o.real(key, 1.0);
      }
    }
  }
  o.finish();
  check_feature_map(spec.feature_map, where);
  spec.preprocess = quantum_preprocess(context, scaling, where);
  std::vector<std::pair<std::string, std::string>> pairs{{"feature_map", spec.feature_map.text()},
                                                         {"kernel", spec.kernel.text()}};
  pairs.insert(pairs.end(), shown.begin(), shown.end());
  pairs.emplace_back("preprocess", *spec.preprocess);
  KernelOptions options;
  options.simulator = context.simulator;
  options.seed = context.seed;
  try {
    return std::make_unique<KernelEstimator>(where, spec, std::move(options), join_pairs(type, pairs));
  } catch (const InvalidArgument& e) {
    throw InvalidArgument(where + ": " + e.what());
  }
}

// ---------------------------------------------------------------------------------------------
// Variational models

// The defaults of each QNN type in compare (documented in estimator.hpp); chosen on iris for
// accuracy within the default run's time budget.
struct QnnDefaults {
  std::string feature_map;
  std::string ansatz;
  int layers;
  std::optional<int> qubits;
  std::string readout;
  std::string loss;
  std::string optimizer;
  int maxiter;
};

QnnDefaults qnn_defaults(const std::string& type) {
  if (type == "vqc") return {"angle:rotation=y", "real-amplitudes:reps=2", 1, std::nullopt, "per-class-z", "cross-entropy", "adam:lr=0.1", 60};
  if (type == "reupload") return {"zz", "real-amplitudes", 3, 1, "class-states", "cross-entropy", "adam:lr=0.1", 60};
  if (type == "dressed") return {"zz", "real-amplitudes:reps=2", 1, std::nullopt, "modulo", "cross-entropy", "adam:lr=0.1", 60};
  if (type == "qsvc-trained") return {"zz:reps=1", "real-amplitudes:reps=1", 1, std::nullopt, "modulo", "cross-entropy", "adam:lr=0.1", 30};
  return {"z:reps=1", "real-amplitudes:reps=2", 1, std::nullopt, "modulo", "squared-error", "adam:lr=0.1", 60};  // qnn-regressor
}

// The model circuit QnnModel builds for feature map + ansatz types (vqc, qnn-regressor,
// qsvc-trained), from a fitted spec (canonical components) and the preprocessed feature count.
ModelCircuit composed_circuit(const QnnModelSpec& spec, int features) {
  const std::unique_ptr<FeatureMap> map = make_feature_map(spec.feature_map, features);
  const std::unique_ptr<Ansatz> ansatz = make_ansatz(spec.ansatz, map->num_qubits());
  return compose(*map, *ansatz, spec.layers, spec.type == "qsvc-trained");
}

// The gate structure of QnnModel's reupload and dressed circuits (angles are irrelevant to depth;
// QnnModel does not expose its circuit).
Circuit structure_circuit(const QnnModelSpec& spec, int features) {
  if (spec.type == "reupload") {
    const int qubits = spec.qubits.value_or(1);
    const int groups = (features + 2) / 3;
    Circuit c(qubits);
    for (int l = 0; l < spec.layers; ++l) {
      for (int q = 0; q < qubits; ++q)
        for (int g = 0; g < groups; ++g) c.rz(0.0, q).ry(0.0, q).rz(0.0, q);
      if (qubits == 2) c.cz(0, 1);
      if (qubits > 2)
        for (int q = 0; q < qubits; ++q) c.cz(q, (q + 1) % qubits);
    }
    return c;
  }
  const int n = spec.qubits.value_or(features);  // dressed: H, RY(atan(A x + b)), then the ansatz
  Circuit c(n);
  for (int q = 0; q < n; ++q) c.h(q).ry(0.0, q);
  c.append(make_ansatz(spec.ansatz, n)->circuit());
  return c;
}

class QnnEstimator final : public Estimator {
 public:
  QnnEstimator(std::string where, const QnnModelSpec& spec, QnnOptions options, std::string description)
      : where_(std::move(where)), model_(spec, options), options_(options), description_(std::move(description)) {}

  [[nodiscard]] ModelKind kind() const noexcept override { return ModelKind::Quantum; }
  [[nodiscard]] Task task() const noexcept override { return model_.task(); }

  EstimatorFit fit(const Dataset& train) override {
    trained_svm_.reset();
    const QnnFitReport r = model_.fit(train);
    if (model_.spec().type == "qsvc-trained") rebuild_trained_svm();
    return {r.seconds, r.circuit_evaluations, r.iterations};
  }
  [[nodiscard]] Labels predict(const FeatureMatrix& x) const override { return model_.predict(x); }
  [[nodiscard]] std::vector<double> predict_values(const FeatureMatrix& x) const override {
    return model_.predict_values(x);
  }
  [[nodiscard]] bool has_proba() const noexcept override {
    const std::string& type = model_.spec().type;
    return type != "qsvc-trained" && type != "qnn-regressor";
  }
  [[nodiscard]] Eigen::MatrixXd predict_proba(const FeatureMatrix& x) const override {
    if (!has_proba()) throw InvalidArgument(where_ + ": no probabilities (" + model_.spec().type + ")");
    return model_.predict_proba(x);
  }
  [[nodiscard]] std::vector<double> score_class1(const FeatureMatrix& x) const override {
    if (model_.task() != Task::Classification) throw InvalidArgument(where_ + ": score_class1 is for classifiers");
    if (trained_svm_) {
      require_two_classes(model_.class_names(), where_);
      return class1_scores(trained_svm_->decision_values(model_.pipeline().transform(x)));
    }
    const Eigen::MatrixXd p = model_.predict_proba(x);  // checks fitted first
    require_two_classes(model_.class_names(), where_);
    return {p.col(1).data(), p.col(1).data() + p.rows()};
  }
  [[nodiscard]] EstimatorInfo info() const override {
    const QnnModel::State& s = model_.state();
    EstimatorInfo info;
    info.qubits = model_.num_qubits();
    const int features = features_after_preprocessing();
    const bool has_map = s.spec.type != "reupload" && s.spec.type != "dressed";
    info.circuit_depth = circuit_depth(has_map ? composed_circuit(s.spec, features).circuit
                                               : structure_circuit(s.spec, features));
    info.trainable_parameters = model_.num_weights();
    if (s.svm) info.trainable_parameters += static_cast<std::size_t>(s.svm->svm.dual_coef.size()) + s.svm->svm.rho.size();
    return info;
  }
  [[nodiscard]] std::string description() const override { return description_; }

 private:
  [[nodiscard]] int features_after_preprocessing() const {
    return model_.pipeline().output_features(static_cast<int>(model_.feature_names().size()));
  }

  // qsvc-trained keeps its SVM inside; the same SVM, rebuilt from the model's state on the bound
  // trained circuit, gives the decision values ROC AUC needs.
  void rebuild_trained_svm() {
    const QnnModel::State& s = model_.state();
    Circuit bound = bind_weights(composed_circuit(s.spec, features_after_preprocessing()), s.weights);
    FeatureMapFactory factory = [bound = std::move(bound)](const ComponentSpec& spec, int features) {
      return circuit_feature_map(bound, spec, features);
    };
    KernelOptions ko;
    ko.simulator = options_.simulator;
    ko.seed = s.spec.settings.seed;
    trained_svm_.emplace(KernelModel::from_state(*s.svm, ko, std::move(factory)));
  }

  std::string where_;
  QnnModel model_;
  QnnOptions options_;
  std::string description_;
  std::optional<KernelModel> trained_svm_;
};

std::unique_ptr<Estimator> make_qnn_estimator(const ModelConfig& config, const EstimatorContext& context) {
  const std::string& type = config.type;
  const std::string where = context_of(config);
  const QnnDefaults d = qnn_defaults(type);
  ComponentOptions o(ComponentSpec{type, config.params}, where);
  QnnModelSpec spec;
  spec.type = type;
  spec.layers = d.layers;
  spec.qubits = d.qubits;
  if (type == "vqc" || type == "reupload") spec.readout = d.readout;
  spec.loss = d.loss;
  spec.settings.maxiter = d.maxiter;
  spec.settings.seed = context.seed;
  std::optional<int> reps;
  std::optional<double> learning_rate;
  std::vector<std::pair<std::string, std::string>> shown;
  for (const std::string& key : quantum_parameter_keys(type)) {
    if (key == "feature_map") {
      spec.feature_map = parse_spec(o.text(key, d.feature_map), where + " feature_map");
      shown.emplace_back(key, spec.feature_map.text());
    } else if (key == "ansatz") {
      spec.ansatz = parse_spec(o.text(key, d.ansatz), where + " ansatz");
    } else if (key == "layers") {
      spec.layers = o.integer(key, spec.layers, 1, 1000);
      shown.emplace_back(key, std::to_string(spec.layers));
    } else if (key == "reps") {
      if (o.has(key)) reps = o.integer(key, 1, 1, 100);
      else (void)o.integer(key, 1, 1, 100);
    } else if (key == "qubits") {
      if (o.has(key)) spec.qubits = o.integer(key, 1, 1, 30);
      else (void)o.integer(key, 1, 1, 30);
      if (spec.qubits) shown.emplace_back(key, std::to_string(*spec.qubits));
    } else if (key == "readout") {
      spec.readout = o.choice(key, spec.readout, readout_names());
      shown.emplace_back(key, spec.readout);
    } else if (key == "loss") {
      spec.loss = o.choice(key, spec.loss, loss_names());
      shown.emplace_back(key, spec.loss);
    } else if (key == "optimizer") {
      spec.optimizer = parse_spec(o.text(key, d.optimizer), where + " optimizer");
      // "cobyla:maxiter=100": the iteration budget is a loop setting, not an optimizer option.
      if (const std::optional<std::string> m = spec.optimizer.get("maxiter")) {
        ComponentOptions inner(ComponentSpec{"optimizer", {{"maxiter", *m}}}, where + " optimizer");
        spec.settings.maxiter = inner.integer("maxiter", 1, 1, 100'000'000);
        std::erase_if(spec.optimizer.options, [](const auto& kv) { return kv.first == "maxiter"; });
      }
    } else if (key == "maxiter") {
      spec.settings.maxiter = o.integer(key, spec.settings.maxiter, 1, 100'000'000);
    } else if (key == "learning_rate") {
      if (o.has(key)) {
        learning_rate = o.real(key, 0.0);
        check_positive(*learning_rate, where + " learning_rate");
      } else {
        (void)o.real(key, 0.0);
      }
    } else if (key == "l2") {
      spec.l2 = o.real(key, spec.l2);
    } else if (key == "C") {
      spec.C = o.real(key, spec.C);
      check_positive(spec.C, where + " C");
      shown.emplace_back(key, format_number(spec.C));
    }
  }
  o.finish();
  if (type != "reupload") {
    if (reps) spec.ansatz.set("reps", std::to_string(*reps));
    check_ansatz(spec.ansatz, where);
    shown.insert(shown.begin() + (type == "dressed" ? 0 : 1), {"ansatz", spec.ansatz.text()});
  }
  if (type != "reupload" && type != "dressed") check_feature_map(spec.feature_map, where);
  if (learning_rate) {
    if (!contains({"sgd", "adam", "spsa"}, spec.optimizer.type))
      throw InvalidArgument(where + ": learning_rate applies to the optimizers sgd, adam and spsa, not '" +
                            spec.optimizer.type + "'");
    spec.optimizer.set("lr", format_number(*learning_rate));
  }
  shown.emplace_back("optimizer", spec.optimizer.text());
  shown.emplace_back("maxiter", std::to_string(spec.settings.maxiter));
  if (spec.l2 > 0.0) shown.emplace_back("l2", format_number(spec.l2));
  spec.preprocess = quantum_preprocess(context, std::nullopt, where);
  shown.emplace_back("preprocess", *spec.preprocess);
  QnnOptions options;
  options.simulator = context.simulator;
  try {
    return std::make_unique<QnnEstimator>(where, spec, options, join_pairs(type, shown));
  } catch (const InvalidArgument& e) {
    throw InvalidArgument(where + ": " + e.what());
  }
}

}  // namespace

const std::vector<std::string>& quantum_model_names() {
  static const std::vector<std::string> names{"qsvc", "qsvc-z",   "qsvc-iqp", "qsvc-projected", "qsvc-trained", "vqc",
                                              "reupload", "dressed", "qsvr", "qkrr", "qnn-regressor"};
  return names;
}

std::vector<std::string> quantum_parameter_keys(const std::string& type) {
  if (type == "qsvc" || type == "qsvc-z" || type == "qsvc-iqp") return {"feature_map", "reps", "C", "scaling"};
  if (type == "qsvc-projected") return {"feature_map", "reps", "C", "gamma", "scaling"};
  if (type == "qsvr") return {"feature_map", "reps", "C", "epsilon", "scaling"};
  if (type == "qkrr") return {"feature_map", "reps", "alpha", "scaling"};
  const std::vector<std::string> optimizer{"optimizer", "maxiter", "learning_rate"};
  std::vector<std::string> keys;
  if (type == "vqc") keys = {"feature_map", "ansatz", "layers", "reps", "readout", "loss"};
  if (type == "reupload") keys = {"layers", "qubits", "readout", "loss"};
  if (type == "dressed") keys = {"ansatz", "reps", "qubits", "loss"};
  if (type == "qsvc-trained" || type == "qnn-regressor") keys = {"feature_map", "ansatz", "layers", "reps"};
  if (keys.empty()) throw InvalidArgument("unknown quantum model '" + type + "' (valid: " + join_names(quantum_model_names()) + ")");
  keys.insert(keys.end(), optimizer.begin(), optimizer.end());
  keys.emplace_back(type == "qsvc-trained" ? "C" : "l2");
  return keys;
}

std::unique_ptr<Estimator> make_quantum_estimator(const ModelConfig& config, const EstimatorContext& context) {
  if (is_kernel_type(config.type)) return make_kernel_estimator(config, context);
  (void)quantum_parameter_keys(config.type);  // an unknown type names the valid ones
  return make_qnn_estimator(config, context);
}

}  // namespace qmlsim::qml

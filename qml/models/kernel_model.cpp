#include "qml/models/kernel_model.hpp"

#include <Eigen/Cholesky>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <utility>

#include "qml/kernel/rbf_kernel.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/memory.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim::qml {

namespace {

bool is_classifier(const std::string& type) { return type == "qsvc" || type == "svm-rbf"; }

SvmType svm_type_of(const std::string& type) {
  if (type == "qoneclass") return SvmType::OneClass;
  return is_regression_model(type) ? SvmType::EpsilonSvr : SvmType::CSvc;
}


double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

FeatureMatrix rows_of(const FeatureMatrix& x, const std::vector<std::size_t>& rows) {
  FeatureMatrix out(static_cast<Eigen::Index>(rows.size()), x.cols());
  for (std::size_t r = 0; r < rows.size(); ++r) out.row(static_cast<Eigen::Index>(r)) = x.row(static_cast<Eigen::Index>(rows[r]));
  return out;
}

}  // namespace

std::vector<std::string> kernel_model_names() { return {"qsvc", "qsvr", "qkrr", "qoneclass", "svm-rbf", "svr-rbf"}; }

void validate_kernel_model_spec(const KernelModelSpec& spec) {
  const std::vector<std::string> names = kernel_model_names();
  if (std::find(names.begin(), names.end(), spec.type) == names.end())
    throw InvalidArgument("unknown kernel model '" + spec.type + "' (valid: " + join_names(names) + ")");
  const std::string context = spec.type + ": ";
  check_positive(spec.C, context + "C");
  check_finite(spec.epsilon, context + "epsilon");
  if (spec.epsilon < 0.0) throw InvalidArgument(context + "epsilon " + format_number(spec.epsilon) + " must be >= 0");
  if (!(spec.nu > 0.0 && spec.nu <= 1.0))
    throw InvalidArgument(context + "nu " + format_number(spec.nu) + " out of range (0, 1]");
  check_positive(spec.alpha, context + "alpha");
  if (spec.gamma) check_positive(*spec.gamma, context + "gamma");
  check_positive(spec.tolerance, context + "tolerance");
  if (spec.probability && !is_classifier(spec.type))
    throw InvalidArgument(context + "probability estimates are for the classifiers qsvc and svm-rbf");
  (void)Pipeline::parse(spec.preprocess.value_or(default_preprocess(spec.type)));
}

bool is_quantum_model(const std::string& type) { return type != "svm-rbf" && type != "svr-rbf"; }

bool is_regression_model(const std::string& type) { return type == "qsvr" || type == "qkrr" || type == "svr-rbf"; }

std::string default_preprocess(const std::string& type) {
  return is_quantum_model(type) ? "standard,minmax:0:pi" : "standard";
}

struct KernelModel::Impl {
  KernelOptions options;
  FeatureMapFactory factory;
  State state;
  bool fitted = false;
  Pipeline pipeline;
  std::shared_ptr<const FeatureMap> map;  // quantum models
  std::unique_ptr<QuantumKernel> kernel;  // quantum models

  [[nodiscard]] bool quantum() const { return is_quantum_model(state.spec.type); }

  std::unique_ptr<FeatureMap> make_map(const ComponentSpec& spec, int features) const {
    return factory ? factory(spec, features) : make_feature_map(spec, features);
  }

  void require_fitted(const char* what) const {
    if (!fitted) throw InvalidArgument(std::string(what) + ": the " + state.spec.type + " model is not fitted");
  }

  // The rows `x` through the fitted pipeline.
  FeatureMatrix prepare(const FeatureMatrix& x, const char* what) const {
    require_fitted(what);
    if (x.cols() != static_cast<Eigen::Index>(state.feature_names.size()))
      throw InvalidArgument(std::string(what) + ": the model was trained on " +
                            plural(static_cast<long long>(state.feature_names.size()), "feature") + ", got " +
                            std::to_string(x.cols()));
    return pipeline.transform(x);
  }

  // The model's kernel between preprocessed rows (a: rows, b: columns).
  Eigen::MatrixXd kernel_of(const FeatureMatrix& a, const FeatureMatrix& b) const {
    if (quantum()) return kernel->cross_gram(a, b);
    return rbf_kernel(a, b, state.gamma, options.simulator);
  }

  // The kernel of the rows `x` (preprocessed here) against the support rows.
  Eigen::MatrixXd support_kernel(const FeatureMatrix& x, const char* what) const {
    return kernel_of(prepare(x, what), state.support_features);
  }
};

KernelModel::KernelModel(KernelModelSpec spec, KernelOptions options, FeatureMapFactory factory)
    : impl_(std::make_unique<Impl>()) {
  validate_kernel_model_spec(spec);
  impl_->options = std::move(options);
  impl_->factory = std::move(factory);
  impl_->state.spec = std::move(spec);
}

KernelModel::~KernelModel() = default;
KernelModel::KernelModel(KernelModel&&) noexcept = default;
KernelModel& KernelModel::operator=(KernelModel&&) noexcept = default;

KernelFitReport KernelModel::fit(const Dataset& train) {
  const auto start = std::chrono::steady_clock::now();
  Impl& m = *impl_;
  const KernelModelSpec& spec = m.state.spec;
  const std::string& type = spec.type;
  if (type != "qoneclass") {
    const bool regression = is_regression_model(type);
    if (regression && train.task() != Task::Regression)
      throw InvalidArgument("fit: " + type + " is a regression model but the data set has class labels "
                            "(classifiers: qsvc, svm-rbf)");
    if (!regression && train.task() != Task::Classification)
      throw InvalidArgument("fit: " + type + " is a classifier but the data set has real targets "
                            "(regression models: qsvr, qkrr, svr-rbf)");
  }
  if (train.size() == 0) throw InvalidArgument("fit: the training set is empty");
  if (type != "qoneclass" && train.task() == Task::Classification) {
    const std::vector<std::size_t> counts = train.class_counts();
    const auto present = std::count_if(counts.begin(), counts.end(), [](std::size_t c) { return c > 0; });
    if (present < 2) throw InvalidArgument("fit: the training rows have a single class; a classifier needs two or more");
    for (std::size_t c = 0; c < counts.size(); ++c)
      if (counts[c] == 0)
        throw InvalidArgument("fit: class '" + train.class_names()[c] + "' has no training samples");
  }

  // A failed fit leaves the model unfitted (its members may already be replaced).
  m.fitted = false;
  State s;
  s.spec = spec;
  s.class_names = type == "qoneclass" ? std::vector<std::string>{"inlier", "outlier"}
                  : train.task() == Task::Classification ? train.class_names()
                                                          : std::vector<std::string>{};
  s.feature_names = train.feature_names();
  Pipeline pipeline = Pipeline::parse(spec.preprocess.value_or(default_preprocess(type)));
  const FeatureMatrix x = pipeline.fit_transform(train.x());
  s.preprocess = pipeline.fitted_steps();
  const int features = static_cast<int>(x.cols());

  KernelFitReport report;
  const auto kernel_start = std::chrono::steady_clock::now();
  Eigen::MatrixXd k;
  if (is_quantum_model(type)) {
    // One map and one kernel serve the fit and prediction. A loaded model rebuilds them from the
    // stored specs (the canonical map spec; the kernel's fitted values in shortest round-trip
    // text), which give the same circuit and the same doubles, so both compute the same bits.
    m.map = m.make_map(spec.feature_map, features);
    s.feature_map = m.map->spec();
    m.kernel = make_quantum_kernel(spec.kernel, m.map, m.options);
    KernelTiming timing;
    k = m.kernel->fit_gram(x, &timing);
    s.kernel = m.kernel->spec();
    m.state = std::move(s);
    report.circuit_evaluations = timing.state_evaluations;
  } else {
    s.gamma = spec.gamma.value_or(rbf_scale_gamma(x));
    m.state = std::move(s);
    m.map.reset();
    m.kernel.reset();
    k = rbf_kernel(x, x, m.state.gamma, m.options.simulator);
  }
  report.kernel_seconds = seconds_since(kernel_start);

  State& st = m.state;
  if (type == "qkrr") {
    // (K + alpha I) c = y; K is PSD, so the shifted matrix is positive definite and LDLT is stable.
    const auto n = static_cast<std::uint64_t>(k.rows());
    ensure_memory(n * n * sizeof(double), "qkrr: the factorisation of a " + std::to_string(n) + " x " +
                                              std::to_string(n) + " kernel", m.options.simulator.memory);
    k.diagonal().array() += spec.alpha;
    const Eigen::Map<const Eigen::VectorXd> y(train.targets().data(), static_cast<Eigen::Index>(train.size()));
    st.krr_coef = k.ldlt().solve(y);
    st.support_features = x;
    st.svm = SvmModel{};
  } else {
    SvmParams params;
    params.type = svm_type_of(type);
    params.C = spec.C;
    params.epsilon = spec.epsilon;
    params.nu = spec.nu;
    params.tolerance = spec.tolerance;
    params.probability = spec.probability;
    params.seed = m.options.seed;
    params.memory = m.options.simulator.memory;
    std::vector<double> y;
    if (params.type == SvmType::CSvc) y.assign(train.y().begin(), train.y().end());
    if (params.type == SvmType::EpsilonSvr) y = train.targets();
    SvmTraining t = train_precomputed(k, y, params);
    st.support_features = rows_of(x, t.support);
    st.svm = std::move(t.model);
  }
  m.pipeline = std::move(pipeline);
  m.fitted = true;
  report.n_support = static_cast<std::size_t>(st.support_features.rows());
  report.seconds = seconds_since(start);
  return report;
}

bool KernelModel::fitted() const noexcept { return impl_->fitted; }

Labels KernelModel::predict(const FeatureMatrix& x) const {
  if (is_regression_model(impl_->state.spec.type))
    throw InvalidArgument("predict: " + impl_->state.spec.type + " is a regression model; use predict_values");
  return impl_->state.svm.predict_labels(impl_->support_kernel(x, "predict"));
}

std::vector<double> KernelModel::predict_values(const FeatureMatrix& x) const {
  const State& s = impl_->state;
  if (!is_regression_model(s.spec.type))
    throw InvalidArgument("predict_values: " + s.spec.type + " predicts classes, not values; use predict");
  const Eigen::MatrixXd k = impl_->support_kernel(x, "predict_values");
  if (s.spec.type != "qkrr") return s.svm.predict_values(k);
  const Eigen::VectorXd v = k * s.krr_coef;
  return {v.data(), v.data() + v.size()};
}

Eigen::MatrixXd KernelModel::predict_proba(const FeatureMatrix& x) const {
  const State& s = impl_->state;
  if (!s.spec.probability)
    throw InvalidArgument("predict_proba: the " + s.spec.type +
                          " model was trained without probability estimates (train it with probability = true)");
  return s.svm.predict_proba(impl_->support_kernel(x, "predict_proba"));
}

Eigen::MatrixXd KernelModel::decision_values(const FeatureMatrix& x) const {
  const State& s = impl_->state;
  if (is_regression_model(s.spec.type))
    throw InvalidArgument("decision_values: " + s.spec.type + " is a regression model; use predict_values");
  return s.svm.decision_values(impl_->support_kernel(x, "decision_values"));
}

Eigen::MatrixXd KernelModel::kernel_matrix(const FeatureMatrix& a, const FeatureMatrix& b) const {
  return impl_->kernel_of(impl_->prepare(a, "kernel_matrix"), impl_->prepare(b, "kernel_matrix"));
}

const KernelModelSpec& KernelModel::spec() const noexcept { return impl_->state.spec; }
bool KernelModel::is_quantum() const noexcept { return impl_->quantum(); }
Task KernelModel::task() const noexcept {
  return is_regression_model(impl_->state.spec.type) ? Task::Regression : Task::Classification;
}
const std::vector<std::string>& KernelModel::class_names() const noexcept { return impl_->state.class_names; }
const std::vector<std::string>& KernelModel::feature_names() const noexcept { return impl_->state.feature_names; }
const Pipeline& KernelModel::pipeline() const noexcept { return impl_->pipeline; }
std::size_t KernelModel::n_support() const noexcept {
  return static_cast<std::size_t>(impl_->state.support_features.rows());
}

std::string KernelModel::description() const {
  if (!impl_->kernel) return "";
  return impl_->kernel->description();  // names the feature map too
}

const KernelModel::State& KernelModel::state() const {
  impl_->require_fitted("state");
  return impl_->state;
}

namespace {

// DatasetError "<field>: <message>" for a state that does not fit together.
[[noreturn]] void bad_state(const std::string& field, const std::string& message) {
  throw DatasetError(field + ": " + message);
}

void check_finite_matrix(const Eigen::Ref<const Eigen::MatrixXd>& m, const std::string& field) {
  for (Eigen::Index i = 0; i < m.rows(); ++i)
    for (Eigen::Index j = 0; j < m.cols(); ++j)
      if (!std::isfinite(m(i, j)))
        bad_state(field, "entry (" + std::to_string(i) + ", " + std::to_string(j) + ") is " + format_number(m(i, j)));
}

void validate_state(const KernelModel::State& s) {
  const std::string& type = s.spec.type;
  if (type == "qoneclass") {
    if (s.class_names != std::vector<std::string>{"inlier", "outlier"})
      bad_state("class_names", "qoneclass has the classes inlier, outlier, got " + join_names(s.class_names));
  } else if (is_regression_model(type)) {
    if (!s.class_names.empty()) bad_state("class_names", "expected none for the regression model " + type);
  } else if (s.class_names.size() < 2) {
    bad_state("class_names", "expected at least 2 classes, got " + std::to_string(s.class_names.size()));
  }
  if (s.feature_names.empty()) bad_state("feature_names", "expected at least one feature");
  const auto support = s.support_features.rows();
  if (support == 0) bad_state("support_features", "expected at least one row");
  check_finite_matrix(s.support_features, "support_features");
  if (!is_quantum_model(type)) {
    if (!(s.gamma > 0.0 && std::isfinite(s.gamma))) bad_state("gamma", format_number(s.gamma) + " must be positive and finite");
  }
  if (type == "qkrr") {
    if (s.krr_coef.size() != support)
      bad_state("krr_coef", "expected " + plural(support, "value") + " (one per training row), got " +
                                std::to_string(s.krr_coef.size()));
    check_finite_matrix(s.krr_coef, "krr_coef");
    return;
  }
  s.svm.validate();
  if (s.svm.dual_coef.cols() != support)
    bad_state("dual_coef", "expected " + plural(support, "column") + " (one per support vector), got " +
                               std::to_string(s.svm.dual_coef.cols()));
  if (s.svm.type == SvmType::CSvc && s.svm.n_support.size() != s.class_names.size())
    bad_state("n_support", "expected " + plural(static_cast<long long>(s.class_names.size()), "count") +
                               " (one per class), got " + std::to_string(s.svm.n_support.size()));
  if (s.spec.probability != s.svm.has_probability())
    bad_state("prob_a", s.spec.probability ? "the spec asks for probability estimates but there are none"
                                           : "probability estimates of a model trained without them");
}

}  // namespace

KernelModel KernelModel::from_state(State state, KernelOptions options, FeatureMapFactory factory) {
  std::optional<KernelModel> built;
  try {
    built.emplace(state.spec, std::move(options), std::move(factory));
  } catch (const InvalidArgument& e) {
    bad_state("spec", e.what());
  }
  KernelModel model = std::move(*built);
  Impl& m = *model.impl_;
  state.svm.type = svm_type_of(state.spec.type);
  validate_state(state);
  try {
    m.pipeline = Pipeline::from_fitted(state.preprocess);
  } catch (const Error& e) {
    bad_state("preprocess", e.what());
  }
  const auto inputs = static_cast<int>(state.feature_names.size());
  if (m.pipeline.input_features() != 0 && m.pipeline.input_features() != inputs)
    bad_state("preprocess", "fitted on " + plural(m.pipeline.input_features(), "feature") + " but the model has " +
                                plural(inputs, "feature name"));
  const int features = m.pipeline.output_features(inputs);
  if (features != state.support_features.cols())
    bad_state("support_features", "expected " + plural(features, "column") + " (the preprocessed features), got " +
                                      std::to_string(state.support_features.cols()));
  m.state = std::move(state);
  if (m.quantum()) {
    try {
      m.map = m.make_map(m.state.feature_map, features);
    } catch (const InvalidArgument& e) {
      bad_state("feature_map", e.what());
    }
    try {
      m.kernel = make_quantum_kernel(m.state.kernel, m.map, m.options);
    } catch (const InvalidArgument& e) {
      bad_state("kernel", e.what());
    }
  }
  m.fitted = true;
  return model;
}

}  // namespace qmlsim::qml

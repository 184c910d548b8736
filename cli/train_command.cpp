#include "cli/train_command.hpp"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <ostream>

#include "cli/data_source.hpp"
#include "cli/feature_map_source.hpp"
#include "cli/model_options.hpp"
#include "cli/options.hpp"
#include "cli/output.hpp"
#include "cli/qnn_options.hpp"
#include "qml/eval/metrics.hpp"
#include "qml/io/model_file.hpp"
#include "qml/models/kernel_model.hpp"
#include "qml/models/qnn_model.hpp"

namespace qmlsim::cli {
namespace {

constexpr const char* kUsage =
    "qmlsim train --model TYPE (--dataset NAME|FILE.csv | --train FILE.csv [--test FILE.csv]) [--feature-map SPEC]\n"
    "                    [--kernel fidelity|projected] [--C C] [--preprocess LIST] [--save model.json] [options]\n"
    "       qmlsim train --model vqc|qnn-regressor|reupload|dressed|qsvc-trained (data options) [--feature-map SPEC]\n"
    "                    [--ansatz SPEC] [--optimizer SPEC] [--maxiter N] [--log FILE.csv] [--plot FILE.png] [options]";

constexpr const char* kHelp =
    "Trains a model on the training rows and scores it on them and on the test rows, if any.\n"
    "\n"
    "Kernel machines (--model):\n"
    "  qsvc       C-SVC on the quantum kernel (libsvm, one-vs-one for more than two classes)\n"
    "  qsvr       epsilon-SVR on the quantum kernel (regression: the label column holds numbers)\n"
    "  qkrr       kernel ridge regression on the quantum kernel: (K + alpha I) c = y\n"
    "  qoneclass  one-class SVM on the quantum kernel (anomaly detection: labels are ignored in\n"
    "             training; predictions are inlier or outlier)\n"
    "  svm-rbf    classical C-SVC with the RBF kernel, scikit-learn's defaults (C = 1, gamma = 'scale'\n"
    "             = 1 / (features x variance of the preprocessed training matrix); --gamma sets it)\n"
    "  svr-rbf    classical epsilon-SVR with the RBF kernel, the same defaults\n"
    "Given the same kernel matrix, the SVMs' predictions equal scikit-learn's SVC/SVR (libsvm too).\n"
    "\n"
    "Default preprocessing: standard,minmax:0:pi for the quantum models (features become angles),\n"
    "standard for the classical ones; none for --dataset ad_hoc, whose features are already the angles\n"
    "of Qiskit ML's construction. It is fitted on the training rows only, applied unchanged to\n"
    "test and prediction rows (values outside the training range are not clipped), printed, and\n"
    "saved in the model file. Steps: standard, minmax:LO:HI (LO, HI numbers or multiples of pi),\n"
    "pca:K, none.\n"
    "\n"
    "--probability fits Platt scaling (on a 5-fold split drawn from --seed; libsvm's own unseeded\n"
    "split is never used) so that `predict --proba` can give class probabilities.\n"
    "Printed: train_accuracy and test_accuracy (classification), train_r2, train_mse, test_r2 and\n"
    "test_mse (regression), outlier fractions (qoneclass), n_support, seconds (the whole fit) and\n"
    "kernel_seconds. --save writes everything `predict` needs, atomically.\n"
    "\n"
    "\n"
    "Variational models (--model), trained by a classical optimizer on exact adjoint gradients:\n"
    "  vqc            variational classifier: feature map + ansatz, read out by --readout:\n"
    "                 modulo (P(class c) = sum of P(basis state b) over b mod C = c, Qiskit's VQC),\n"
    "                 parity (two classes: P(class 0) = P(even number of ones)), per-class-z\n"
    "                 (softmax over classes of <Z_c> / --temperature); --loss cross-entropy (natural\n"
    "                 log), cross-entropy-log2 (Qiskit's) or squared-error; --l2 weight decay\n"
    "  qnn-regressor  prediction = scale x <observable> + shift (--observable, default Z0; the targets\n"
    "                 scaled into [-1, 1] by the training range), squared error\n"
    "  reupload       data re-uploading classifier (Perez-Salinas et al. 2020): per layer (--layers,\n"
    "                 default 3) and qubit (--qubits, default 1), the features in groups of three\n"
    "                 uploaded as RZ RY RZ with angles w x + b (trainable w, b), a CZ ring between\n"
    "                 layers; any readout, class-states being the paper's (P(class c) from qubit 0's\n"
    "                 fidelity to evenly spaced Bloch-sphere states); --loss fidelity or cross-entropy\n"
    "  dressed        a classical linear layer (angles atan(A x + b)), --ansatz on --qubits qubits, and\n"
    "                 a classical linear layer on <Z_j> to class logits (Mari et al. 2020)\n"
    "  qsvc-trained   a trainable layer W(w) before the feature map, tuned for kernel-target alignment\n"
    "                 (one backward sweep per sample), then a C-SVC (--C) on the trained kernel\n"
    "The circuit is --feature-map followed by --ansatz (default real-amplitudes:reps=3), repeated\n"
    "--layers times with new weights (data re-uploading); an OpenQASM --ansatz file's inputs are the\n"
    "weights, and inputs named x0, x1, ... (--input-prefix) the features. Initial weights are uniform\n"
    "in [0, 2 pi) from --seed, or --initial-point. --optimizer: sgd, adam (gradients; --batch-size\n"
    "for mini-batches), spsa, or NLopt's cobyla (default), lbfgs, nelder-mead, bobyqa, with options\n"
    "(adam:lr=0.05); --maxiter counts epochs for sgd/adam and function evaluations for NLopt, as SciPy's\n"
    "COBYLA does. --validation F holds out a stratified fraction for early stopping (--patience).\n"
    "Printed: the scores as above, the final loss, iterations, evaluations, circuit runs and seconds.\n"
    "--log writes one record per iteration (iteration, loss, train and validation accuracy, gradient\n"
    "norm, step, evaluations, seconds), --plot draws the loss and accuracy curves, and --resume\n"
    "model.json continues training a saved model. The same --seed gives the same model file, bit for\n"
    "bit, on any thread count.\n"
    "\n"
    "Example: qmlsim train --model qsvc --dataset ad_hoc --feature-map zz:entanglement=linear --save m.json\n"
    "         qmlsim train --model vqc --dataset iris --optimizer adam:lr=0.05 --maxiter 50 --log log.csv";

struct TrainText {
  bool help = false, probability = false;
  DataOptionText data;
  KernelOptionText kernel;
  QnnOptionText qnn;
  std::string model = "qsvc", c = "1", epsilon = "0.1", nu = "0.5", alpha = "1", preprocess, save, seed = "1",
              format = "table";
};

// Kernel machines, then the variational models.
std::vector<std::string> model_names() {
  std::vector<std::string> names = qml::kernel_model_names();
  for (const std::string& n : qml::qnn_model_names()) names.push_back(n);
  return names;
}

po::options_description describe(TrainText& t) {
  po::options_description desc("Options");
  std::string models;
  for (const std::string& m : model_names()) models += (models.empty() ? "" : ", ") + m;
  desc.add_options()("model", po::value(&t.model)->default_value(t.model)->value_name("TYPE"), models.c_str());
  add_data_options(desc, t.data);
  add_kernel_options(desc, t.kernel);
  desc.add_options()
      ("C", po::value(&t.c)->default_value(t.c)->value_name("C"), "SVM regularisation C > 0 (qsvc, qsvr, svm-rbf, svr-rbf)")
      ("epsilon", po::value(&t.epsilon)->default_value(t.epsilon)->value_name("E"), "SVR epsilon-tube width >= 0")
      ("nu", po::value(&t.nu)->default_value(t.nu)->value_name("NU"), "one-class nu in (0, 1]")
      ("alpha", po::value(&t.alpha)->default_value(t.alpha)->value_name("A"), "kernel ridge regularisation > 0 (qkrr)")
      ("probability", po::bool_switch(&t.probability), "fit Platt scaling for class probabilities (classifiers)")
      ("preprocess", po::value(&t.preprocess)->value_name("LIST"), "preprocessing steps (default: the model's, see above)")
      ("save", po::value(&t.save)->value_name("FILE.json"), "write the trained model (atomically)");
  po::options_description qnn("Variational models");
  add_qnn_options(qnn, t.qnn);
  desc.add(qnn);
  add_seed_option(desc, t.seed);
  add_format_option(desc, t.format);
  add_help_option(desc, t.help);
  return desc;
}

void check_model_name(const std::string& model) {
  const std::vector<std::string> names = model_names();
  if (std::find(names.begin(), names.end(), model) == names.end()) {
    std::string valid;
    for (const std::string& n : names) valid += (valid.empty() ? "" : ", ") + n;
    throw UsageError("invalid value '" + model + "' for --model: expected one of " + valid);
  }
}

// The options as a spec; the numbers' ranges are the model's to check (KernelModel's constructor).
qml::KernelModelSpec model_spec(const TrainText& t) {
  qml::KernelModelSpec spec;
  spec.type = t.model;
  spec.feature_map = feature_map_spec(t.kernel);
  if (!qml::is_quantum_model(t.model)) {
    if (!t.kernel.gamma.empty()) spec.gamma = parse_positive(t.kernel.gamma, "--gamma");
  } else {
    spec.kernel = kernel_spec(t.kernel);
  }
  if (!t.preprocess.empty()) spec.preprocess = t.preprocess;
  spec.C = parse_positive(t.c, "--C");
  spec.epsilon = parse_positive(t.epsilon, "--epsilon", true);
  spec.nu = parse_positive(t.nu, "--nu");
  spec.alpha = parse_positive(t.alpha, "--alpha");
  spec.probability = t.probability;
  return spec;
}

// Scores of `model` (a KernelModel or a QnnModel) on `data` under `prefix` ("train" or "test").
template <class Model>
void add_scores(Record& r, const Model& model, const qml::Dataset& data, const std::string& prefix) {
  if (model.task() == qml::Task::Regression) {
    const std::vector<double> predicted = model.predict_values(data.x());
    r.emplace_back(prefix + "_r2", qml::r2_score(data.targets(), predicted));
    r.emplace_back(prefix + "_mse", qml::mean_squared_error(data.targets(), predicted));
    return;
  }
  const qml::Labels predicted = model.predict(data.x());
  if (model.spec().type == "qoneclass") {
    std::size_t outliers = 0;
    for (int p : predicted) outliers += p == 1 ? 1 : 0;
    r.emplace_back(prefix + "_outlier_fraction", double(outliers) / double(predicted.size()));
    return;
  }
  r.emplace_back(prefix + "_accuracy", qml::accuracy(data.y(), predicted));
}

// An option given on the command line for a model that would ignore it is a usage error.
void refuse_options_that_do_not_apply(const std::string& model, const po::variables_map& vm) {
  const bool classical = !qml::is_qnn_model(model) && !qml::is_quantum_model(model);
  const bool variational = qml::is_qnn_model(model);
  const std::vector<std::string>& qnn_only = qnn_option_names();
  const auto applies = [&](const std::string& option) {
    if (std::find(qnn_only.begin(), qnn_only.end(), option) != qnn_only.end()) {
      if (!variational) return false;
      const bool kernel_trained = model == "qsvc-trained";  // alignment: no loss, full batch, no early stop
      if (option == "readout" || option == "temperature") return model == "vqc" || model == "reupload";
      if (option == "observable") return model == "qnn-regressor";
      if (option == "qubits") return model == "reupload" || model == "dressed";
      if (option == "ansatz" || option == "input-prefix") return model != "reupload";
      if (option == "layers") return model != "dressed";
      if (option == "loss" || option == "l2" || option == "batch-size" || option == "validation" ||
          option == "patience")
        return !kernel_trained;
      return true;
    }
    if (variational) {
      if (option == "feature-map") return model == "vqc" || model == "qnn-regressor" || model == "qsvc-trained";
      if (option == "C") return model == "qsvc-trained";
      return option != "kernel" && option != "shots" && option != "psd" && option != "gram-backend" &&
             option != "gamma" && option != "epsilon" && option != "nu" && option != "alpha" &&
             option != "probability";
    }
    if (option == "feature-map" || option == "kernel" || option == "shots" || option == "psd" ||
        option == "gram-backend")
      return !classical;
    if (option == "gamma") return classical || vm["kernel"].as<std::string>() == "projected";
    if (option == "C") return model == "qsvc" || model == "qsvr" || classical;
    if (option == "epsilon") return model == "qsvr" || model == "svr-rbf";
    if (option == "nu") return model == "qoneclass";
    if (option == "alpha") return model == "qkrr";
    if (option == "probability") return model == "qsvc" || model == "svm-rbf";
    return true;
  };
  std::vector<std::string> checked{"feature-map", "kernel", "shots", "psd", "gram-backend", "gamma", "C", "epsilon", "nu",
                                   "alpha", "probability"};
  checked.insert(checked.end(), qnn_only.begin(), qnn_only.end());
  for (const std::string& option : checked) {
    if (!vm.count(option) || vm[option].defaulted()) continue;  // a bool_switch not given is defaulted
    if (!applies(option)) throw UsageError("--" + option + " does not apply to --model " + model);
  }
}

// --resume continues the saved model: its circuit, readout, loss, preprocessing and seed (the
// --test-size and validation splits are drawn from it again, so no training row changes side)
// are fixed; the optimizer loop's settings (--optimizer, --maxiter, --batch-size, --time-limit)
// may change. The optimizer's own state (Adam's moments, SPSA's gains, the schedule) restarts.
void refuse_options_fixed_by_the_model_file(const po::variables_map& vm) {
  for (const char* option : {"feature-map", "kernel", "shots", "psd", "gram-backend", "gamma", "C", "epsilon", "nu",
                             "alpha", "probability", "preprocess", "ansatz", "layers", "qubits", "readout",
                             "temperature", "loss", "observable", "l2", "validation", "patience", "initial-point",
                             "input-prefix", "seed"}) {
    if (!vm.count(option) || vm[option].defaulted()) continue;
    throw UsageError("--" + std::string(option) + " does not apply with --resume: the model file fixes it");
  }
}

// The variational models: build or resume, train with progress, score, log, plot, save.
void train_qnn(const TrainText& t, const po::variables_map& vm, Format format, std::uint64_t seed, std::ostream& out) {
  const QnnOptionText& q = t.qnn;
  if (!q.log.empty()) check_log_path(q.log);
  check_output_directory(q.log, "--log");
  check_output_directory(q.plot, "--plot");
  check_output_directory(t.save, "--save");
  qml::QnnOptions options;
  options.simulator = kernel_options(t.kernel, seed).simulator;
  const bool progress_shown = stderr_is_terminal();
  options.track_metrics = !q.log.empty() || !q.plot.empty() || progress_shown;

  std::optional<qml::QnnModel> model;
  if (!q.resume.empty()) {
    if (qml::model_file_family(q.resume) != "qnn")
      throw UsageError("--resume " + q.resume + " holds a kernel machine; --resume continues variational models");
    qml::LoadedQnnModel loaded = qml::load_qnn_model(q.resume, options, feature_map_factory(), circuit_file_factory());
    if (!vm["model"].defaulted() && loaded.model.spec().type != t.model)
      throw UsageError("--resume " + q.resume + " holds a " + loaded.model.spec().type + " model, not --model " +
                       t.model);
    // The loop's settings may change on resuming; the circuit, readout and loss are the file's.
    qml::QnnModel::State state = loaded.model.state();
    if (!q.optimizer.empty()) state.spec.optimizer = parse_option_spec(q.optimizer, "--optimizer");
    if (!q.maxiter.empty()) state.spec.settings.maxiter = static_cast<int>(parse_integer(q.maxiter, "--maxiter", 1, 100000000));
    if (!q.batch_size.empty()) state.spec.settings.batch_size = parse_unsigned(q.batch_size, "--batch-size");
    if (!q.time_limit.empty()) state.spec.settings.time_limit = parse_positive(q.time_limit, "--time-limit");
    seed = loaded.info.seed;  // the splits of the first run
    state.spec.settings.seed = seed;
    model.emplace(qml::QnnModel::from_state(std::move(state), options, feature_map_factory(), circuit_file_factory()));
  }
  const std::string type = model ? model->spec().type : t.model;
  const qml::Task task = type == "qnn-regressor" ? qml::Task::Regression : qml::Task::Classification;
  LoadedData data = load_data(t.data, task, seed);
  if (model && task == qml::Task::Classification && data.train.class_names() != model->class_names())
    throw DatasetError("--resume " + q.resume + ": the model's classes differ from the training data's");
  if (!model) {
    const std::optional<std::string> preprocess =
        t.preprocess.empty() ? data.natural_preprocess : std::optional(t.preprocess);
    const qml::QnnModelSpec spec =
        qnn_model_spec(q, t.model, feature_map_spec(t.kernel), parse_positive(t.c, "--C"), preprocess, seed);
    model.emplace(spec, options, feature_map_factory(), circuit_file_factory());
  }
  const std::string metric = task == qml::Task::Regression ? "r2" : "accuracy";

  TrainingProgress progress(progress_shown, model->spec().settings.maxiter, metric);
  const auto observer = [&](const qml::TrainingRecord& r) { return progress(r); };
  const qml::QnnFitReport report = q.resume.empty() ? model->fit(data.train, observer) : model->resume(data.train, observer);
  progress.finish();

  Record r;
  r.emplace_back("model", type);
  r.emplace_back("dataset", data.name);
  r.emplace_back("train_samples", std::int64_t(data.train.size()));
  r.emplace_back("test_samples", std::int64_t(data.test ? data.test->size() : 0));
  r.emplace_back("features", std::int64_t(data.train.num_features()));
  r.emplace_back("model_description", model->description());
  r.emplace_back("preprocess", model->pipeline().spec());
  r.emplace_back("qubits", std::int64_t(model->num_qubits()));
  r.emplace_back("weights", std::int64_t(model->num_weights()));
  r.emplace_back("optimizer", model->spec().optimizer.text());
  add_scores(r, *model, data.train, "train");
  if (data.test) add_scores(r, *model, *data.test, "test");
  r.emplace_back("loss", report.final_loss);
  r.emplace_back("iterations", std::int64_t(report.iterations));
  r.emplace_back("evaluations", std::uint64_t(report.evaluations));
  r.emplace_back("circuit_evaluations", std::uint64_t(report.circuit_evaluations));
  r.emplace_back("stop_reason", report.stop_reason);
  if (model->spec().validation > 0) r.emplace_back("best_iteration", std::int64_t(report.best_iteration));
  r.emplace_back("seconds", report.seconds);
  r.emplace_back("seed", std::uint64_t(seed));
  if (!q.log.empty()) {
    write_training_log(q.log, report.history, metric);
    r.emplace_back("log", q.log);
  }
  if (!q.plot.empty()) {
    write_training_plot(q.plot, report.history,
                        type + " on " + std::filesystem::path(data.name).filename().string() + ": " +
                            std::to_string(model->num_qubits()) + " qubits, " + std::to_string(model->num_weights()) +
                            " weights, " + model->spec().optimizer.type,
                        metric);
    r.emplace_back("plot", q.plot);
  }
  if (!t.save.empty()) {
    qml::save_model(t.save, *model, qml::ModelFileInfo{QMLSIM_VERSION, seed, data.label_column, std::nullopt});
    r.emplace_back("saved", t.save);
  }
  write_record(out, r, format);
}

}  // namespace

void train_command(const std::vector<std::string>& args, std::ostream& out) {
  TrainText t;
  const po::options_description desc = describe(t);
  const po::variables_map vm = parse_command_line(args, desc);
  if (t.help) {
    print_command_help(out, kUsage, kHelp, desc);
    return;
  }
  const Format format = parse_format(t.format);
  const std::uint64_t seed = parse_seed(t.seed);
  check_model_name(t.model);
  if (!t.qnn.resume.empty()) {
    refuse_options_fixed_by_the_model_file(vm);
  } else {
    refuse_options_that_do_not_apply(t.model, vm);
  }
  if (qml::is_qnn_model(t.model) || !t.qnn.resume.empty()) {
    train_qnn(t, vm, format, seed, out);
    return;
  }
  qml::KernelModelSpec spec = model_spec(t);
  try {
    qml::validate_kernel_model_spec(spec);  // bad values are usage errors, named by the model
  } catch (const InvalidArgument& e) {
    throw UsageError(e.what());
  }
  const qml::KernelOptions options = kernel_options(t.kernel, seed);
  const qml::Task task = qml::is_regression_model(spec.type) ? qml::Task::Regression : qml::Task::Classification;
  const LoadedData data = load_data(t.data, task, seed, spec.type == "qoneclass");
  if (!spec.preprocess && data.natural_preprocess) spec.preprocess = data.natural_preprocess;

  qml::KernelModel model(spec, options, feature_map_factory());
  const qml::KernelFitReport report = model.fit(data.train);

  Record r;
  r.emplace_back("model", spec.type);
  r.emplace_back("dataset", data.name);
  r.emplace_back("train_samples", std::int64_t(data.train.size()));
  r.emplace_back("test_samples", std::int64_t(data.test ? data.test->size() : 0));
  r.emplace_back("features", std::int64_t(data.train.num_features()));
  if (model.is_quantum()) r.emplace_back("model_description", model.description());
  r.emplace_back("preprocess", model.pipeline().spec());
  add_scores(r, model, data.train, "train");
  if (data.test) add_scores(r, model, *data.test, "test");
  r.emplace_back("n_support", std::int64_t(report.n_support));
  r.emplace_back("seconds", report.seconds);
  r.emplace_back("kernel_seconds", report.kernel_seconds);
  r.emplace_back("seed", std::uint64_t(seed));
  if (!t.save.empty()) {
    qml::save_model(t.save, model, qml::ModelFileInfo{QMLSIM_VERSION, seed, data.label_column, options.shots});
    r.emplace_back("saved", t.save);
  }
  write_record(out, r, format);
}

}  // namespace qmlsim::cli

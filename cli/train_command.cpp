#include "cli/train_command.hpp"

#include <algorithm>
#include <optional>
#include <ostream>

#include "cli/data_source.hpp"
#include "cli/feature_map_source.hpp"
#include "cli/model_options.hpp"
#include "cli/options.hpp"
#include "cli/output.hpp"
#include "qml/eval/metrics.hpp"
#include "qml/io/model_file.hpp"
#include "qml/models/kernel_model.hpp"

namespace qmlsim::cli {
namespace {

constexpr const char* kUsage =
    "qmlsim train --model TYPE (--dataset NAME|FILE.csv | --train FILE.csv [--test FILE.csv]) [--feature-map SPEC]\n"
    "                    [--kernel fidelity|projected] [--C C] [--preprocess LIST] [--save model.json] [options]";

constexpr const char* kHelp =
    "Trains a kernel machine on the training rows and scores it on them and on the test rows, if any.\n"
    "\n"
    "Models (--model):\n"
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
    "Example: qmlsim train --model qsvc --dataset ad_hoc --feature-map zz:entanglement=linear --save m.json";

struct TrainText {
  bool help = false, probability = false;
  DataOptionText data;
  KernelOptionText kernel;
  std::string model = "qsvc", c = "1", epsilon = "0.1", nu = "0.5", alpha = "1", preprocess, save, seed = "1",
              format = "table";
};

po::options_description describe(TrainText& t) {
  po::options_description desc("Options");
  std::string models;
  for (const std::string& m : qml::kernel_model_names()) models += (models.empty() ? "" : ", ") + m;
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
  add_seed_option(desc, t.seed);
  add_format_option(desc, t.format);
  add_help_option(desc, t.help);
  return desc;
}

void check_model_name(const std::string& model) {
  const std::vector<std::string> names = qml::kernel_model_names();
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

// Scores of `model` on `data` under `prefix` ("train" or "test").
void add_scores(Record& r, const qml::KernelModel& model, const qml::Dataset& data, const std::string& prefix) {
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
  const bool classical = !qml::is_quantum_model(model);
  const auto applies = [&](const std::string& option) {
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
  for (const char* option : {"feature-map", "kernel", "shots", "psd", "gram-backend", "gamma", "C", "epsilon", "nu",
                             "alpha", "probability"}) {
    if (!vm.count(option) || vm[option].defaulted()) continue;  // a bool_switch not given is defaulted
    if (!applies(option)) throw UsageError("--" + std::string(option) + " does not apply to --model " + model);
  }
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
  refuse_options_that_do_not_apply(t.model, vm);
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

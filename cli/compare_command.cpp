#include "cli/compare_command.hpp"

#include <Eigen/Core>
#include <algorithm>
#include <boost/version.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <ostream>
#include <sstream>

#include "cli/compare_options.hpp"
#include "cli/compare_output.hpp"
#include "cli/compare_report.hpp"
#include "cli/model_options.hpp"
#include "cli/plot.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim::cli {

namespace {

constexpr const char* kUsage =
    "qmlsim compare [(--dataset NAME|FILE.csv | --train FILE.csv --test FILE.csv)] [--models LIST] [--config FILE.json]\n"
    "                      [--folds K] [--search grid] [--preprocess LIST] [--sweep-features A:B:S] [--importance]\n"
    "                      [--plot FILE.png] [--report FILE.html] [options]";

constexpr const char* kHelp =
    "Does a quantum model beat a good classical one on this data? Every model is fitted and scored on\n"
    "exactly the same stratified folds (drawn from --seed), each fitting its preprocessing on the\n"
    "fold's training rows only. Models run one after another, each with every thread, so the table is\n"
    "the same on any thread count (but for the seconds). Without --dataset or --train: the embedded\n"
    "default run, iris with the default models, 5 folds, seed 1 (`qmlsim compare` alone).\n"
    "\n"
    "Models (--models, comma-separated):\n"
    "  quantum    qsvc (fidelity kernel, zz map), qsvc-z (z map), qsvc-iqp (iqp map), qsvc-projected\n"
    "             (projected kernel), qsvc-trained, vqc, reupload, dressed\n"
    "  classical  svm-rbf, svm-linear, svm-poly (scikit-learn's defaults: C = 1, gamma = 'scale'),\n"
    "             logreg (multinomial, L2, C = 1, L-BFGS), mlp (100 ReLU units, Adam, L2 1e-4), knn\n"
    "  regressors qsvr, qkrr, qnn-regressor; svr-rbf, krr-rbf, mlp-regressor, knn-regressor, ridge\n"
    "             (the label column holds numbers; every model must then be a regressor)\n"
    "Parameters follow a model as NAME:key=value,key=value; an item key=value continues the previous\n"
    "model: --models qsvc:C=10,reps=2,svm-rbf,logreg:C=0.1. A model with parameters is named by its\n"
    "text (qsvc:C=10). A value cannot hold a comma: --config takes anything, e.g.\n"
    "  {\"models\": [{\"name\": \"zz2\", \"type\": \"qsvc\", \"params\": {\"C\": 10, \"feature_map\": \"zz:reps=2\"},\n"
    "               \"grid\": {\"C\": [0.1, 1, 10]}}, {\"type\": \"svm-rbf\"}],\n"
    "   \"folds\": 5, \"inner_folds\": 3, \"search\": \"grid\", \"seed\": 1, \"preprocess\": \"standard\",\n"
    "   \"importance\": true, \"importance_repeats\": 5, \"sweep_features\": \"2:8:2\"}\n"
    "(every key optional but a model's type; options given on the command line win).\n"
    "\n"
    "--search grid tries every combination of each model's grid (a documented small grid per type, or\n"
    "the config's) by an inner cross-validation on each outer training fold and reports the chosen\n"
    "values. --sweep-features A:B:S reduces the data by PCA (fitted per fold) to A, A+S, ..., B\n"
    "features and runs every model at each: quantum models then use that many qubits.\n"
    "\n"
    "Printed: one row per model, best first: accuracy (mean +- standard deviation over folds),\n"
    "balanced accuracy, macro F1, ROC AUC (two classes), log loss (models with probabilities), mean\n"
    "fit and predict seconds per fold, trainable parameters, qubits, circuit depth, circuit\n"
    "evaluations, and for quantum models the p-value of the corrected resampled t-test (Nadeau and\n"
    "Bengio 2003) against the best classical model on the same folds. Then the summary line: whether\n"
    "any quantum model is better than the best classical one (p < 0.05), equal within noise, or\n"
    "worse; then kernel diagnostics (alignment, concentration, geometric difference to the RBF\n"
    "kernel) and, with --importance, permutation importance. With --train/--test, also each model's\n"
    "test_accuracy (fitted on all training rows). --format csv prints the table only (the summary goes\n"
    "to stderr); --format json prints {\"rows\": [...], \"summary\": ..., \"protocol\": {...}}.\n"
    "Progress (model, fold, ETA) is shown on stderr when it is a terminal.\n"
    "\n"
    "Example: qmlsim compare\n"
    "         qmlsim compare --dataset moons:samples=200,noise=0.2 --models qsvc,vqc,svm-rbf,logreg --plot moons.png\n"
    "         qmlsim compare --dataset breast_cancer --sweep-features 2:8:2 --models qsvc,svm-rbf --report sweep.html";

constexpr int kDecisionGrid = 60;

// "qmlsim compare --models 'a b'": the words quoted for a POSIX shell when they need it.
std::string command_line(const std::vector<std::string>& args) {
  std::string line = "qmlsim compare";
  for (const std::string& a : args) {
    const bool plain = !a.empty() && std::all_of(a.begin(), a.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("_./:=,@%+-").find(c) != std::string_view::npos;
    });
    line += ' ';
    if (plain) {
      line += a;
      continue;
    }
    line += '\'';
    for (char c : a) {
      if (c == '\'') line += "'\\''";
      else line += c;
    }
    line += '\'';
  }
  return line;
}

std::string version_text() {
  return "qmlsim " QMLSIM_VERSION " (Eigen " + std::to_string(EIGEN_WORLD_VERSION) + "." +
         std::to_string(EIGEN_MAJOR_VERSION) + "." + std::to_string(EIGEN_MINOR_VERSION) + ", Boost " +
         std::to_string(BOOST_VERSION / 100000) + "." + std::to_string(BOOST_VERSION / 100 % 1000) + ")";
}

// Draws "[compare] 12/40  qsvc fold 3/5  ETA 35 s" on one stderr line, at most every 100 ms.
class CompareProgressLine {
 public:
  CompareProgressLine(bool enabled, int folds) : enabled_(enabled), folds_(folds) {}
  ~CompareProgressLine() { finish(); }
  CompareProgressLine(const CompareProgressLine&) = delete;
  CompareProgressLine& operator=(const CompareProgressLine&) = delete;
  void operator()(const qml::CompareProgress& p) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (drawn_ && now - last_ < std::chrono::milliseconds(100) && p.step < p.steps) return;
    last_ = now;
    drawn_ = true;
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    // fold folds + 1 is the final fit of a train/test pair, fold 0 a decision-region fit.
    const std::string stage = p.fold == 0          ? "decision regions"
                              : p.fold > folds_    ? "final fit"
                                                   : "fold " + std::to_string(p.fold) + "/" + std::to_string(folds_);
    std::fprintf(stderr, "\r[compare] %zu/%zu  %s %s", p.step, p.steps, p.model.c_str(), stage.c_str());
    if (p.features > 0) std::fprintf(stderr, "  %d features", p.features);
    if (p.step > 0 && p.step < p.steps)
      std::fprintf(stderr, "  ETA %.0f s", elapsed / static_cast<double>(p.step) * static_cast<double>(p.steps - p.step));
    std::fprintf(stderr, "\033[K");
    std::fflush(stderr);
  }
  void finish() {
    if (!drawn_) return;
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
    drawn_ = false;
  }

 private:
  bool enabled_;
  int folds_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now(), last_{};
};

// The protocol in words, for the report.
std::string protocol_text(const CompareRequest& request, const qml::CompareResult& result) {
  const qml::CompareOptions& o = request.options;
  std::string text = std::to_string(result.folds) + "-fold stratified cross-validation (" +
                     format_number(result.mean_train_rows) + " training and " + format_number(result.mean_test_rows) +
                     " test rows per fold)";
  if (result.holdout) text += ", then one fit on all training rows scored on the test rows";
  text += "; seed " + std::to_string(request.seed) + "; ";
  text += o.search ? "grid search by inner " + std::to_string(o.inner_folds) + "-fold cross-validation"
                   : "no hyperparameter search";
  text += "; preprocessing " + (o.context.preprocess ? *o.context.preprocess : std::string("each model's default")) +
          ", fitted per fold on the training rows";
  if (!o.sweep_features.empty()) {
    text += "; features reduced by PCA to";
    for (int k : o.sweep_features) {
      text += ' ';
      text += std::to_string(k);
    }
  }
  return text;
}

Json protocol_json(const CompareRequest& request, const qml::CompareResult& result, const LoadedData& data) {
  const qml::CompareOptions& o = request.options;
  Json p;
  p["data"] = data.description;
  p["task"] = result.task == qml::Task::Regression ? "regression" : "classification";
  p["folds"] = result.folds;
  p["train_rows_per_fold"] = to_json(Cell(result.mean_train_rows));
  p["test_rows_per_fold"] = to_json(Cell(result.mean_test_rows));
  p["holdout"] = result.holdout;
  p["search"] = o.search ? "grid" : "none";
  if (o.search) p["inner_folds"] = o.inner_folds;
  p["preprocess"] = o.context.preprocess ? Json(*o.context.preprocess) : Json(nullptr);
  p["sweep_features"] = o.sweep_features;
  p["importance"] = o.importance;
  p["seed"] = request.seed;
  p["threads"] = effective_threads(o.context.simulator.parallel.threads);
  p["seconds"] = to_json(Cell(result.seconds));
  p["version"] = version_text();
  return p;
}

}  // namespace

void compare_command(const std::vector<std::string>& args, std::ostream& out) {
  CompareText t;
  const po::options_description desc = describe_compare(t);
  const po::variables_map vm = parse_command_line(args, desc);
  if (t.help) {
    print_command_help(out, kUsage, kHelp, desc);
    return;
  }
  CompareRequest request = compare_request(t, vm);
  qml::CompareOptions& options = request.options;
  DataOptionText data_text = t.data;
  if (data_text.dataset.empty() && data_text.train.empty()) data_text.dataset = "iris";  // the embedded default
  const LoadedData data = load_data(data_text, request.task, request.seed);
  // ad_hoc's features are already the angles of its construction (as in `train` and `kernel`).
  if (!options.context.preprocess && data.natural_preprocess) options.context.preprocess = data.natural_preprocess;
  for (int k : options.sweep_features)
    if (k > data.train.num_features())
      throw UsageError("invalid value '" + t.sweep + "' for --sweep-features: " + std::to_string(k) +
                       " features, but the data has " + std::to_string(data.train.num_features()));
  if ((!request.plot.empty() || !request.report.empty()) && data.train.num_features() == 2 &&
      options.sweep_features.empty())
    options.decision_grid = kDecisionGrid;

  CompareProgressLine progress(stderr_is_terminal(), options.folds);
  const qml::CompareResult result =
      qml::run_comparison(data.train, data.test, options, [&](const qml::CompareProgress& p) { progress(p); });
  progress.finish();

  write_compare_result(out, result, request.format, protocol_json(request, result, data));
  if (request.format == Format::Csv) std::cerr << result.summary << '\n';

  // The table is complete: a missing gnuplot fails the extras only (exit 3 after the output).
  std::string failed;
  if (!request.report.empty()) {
    std::ostringstream table_text;
    write_text(table_text, compare_table(result, Format::Table));
    const ReportContext context{command_line(args), data.description, version_text(), protocol_text(request, result),
                                table_text.str()};
    try {
      write_compare_report(result, context, request.report);
    } catch (const PlotError& e) {
      failed = e.what();
    }
  }
  if (!request.plot.empty()) {
    try {
      (void)write_compare_plot(result, request.plot);
    } catch (const PlotError& e) {
      failed = e.what();
    }
  }
  if (!failed.empty()) throw ResultWrittenError(failed);
}

}  // namespace qmlsim::cli

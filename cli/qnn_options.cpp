#include "cli/qnn_options.hpp"

#include <unistd.h>

#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/feature_map_source.hpp"
#include "cli/output.hpp"
#include "cli/plot.hpp"
#include "qml/encoding/component_spec.hpp"
#include "qml/io/atomic_file.hpp"
#include "simulator/core/errors.hpp"

namespace qmlsim::cli {
namespace {

bool ends_with(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// One number of --initial-point (plain or a multiple of pi); `where` prefixes the message.
double initial_value(const std::string& word, const std::string& where) {
  try {
    return qml::parse_angle_value(word, where);
  } catch (const InvalidArgument&) {
    throw DatasetError(where + ": '" + word + "' is not a number");
  }
}

}  // namespace

qml::ComponentSpec parse_option_spec(const std::string& text, const std::string& option) {
  try {
    return qml::parse_component_spec(text, option);
  } catch (const InvalidArgument& e) {
    throw UsageError(e.what());
  }
}

void add_qnn_options(po::options_description& desc, QnnOptionText& t) {
  desc.add_options()
      ("ansatz", po::value(&t.ansatz)->value_name("SPEC"),
       "variational models: the trainable circuit (real-amplitudes, efficient-su2, two-local, strongly-entangling, "
       "basic-entangler, or FILE.qasm); default real-amplitudes:reps=3")
      ("layers", po::value(&t.layers)->value_name("L"), "encoding + ansatz layers (data re-uploading when > 1)")
      ("qubits", po::value(&t.qubits)->value_name("N"), "reupload, dressed: circuit width")
      ("readout", po::value(&t.readout)->value_name("R"), "vqc, reupload: modulo (default), parity, per-class-z, class-states (Bloch-sphere class states of qubit 0)")
      ("temperature", po::value(&t.temperature)->value_name("T"), "per-class-z softmax temperature (> 0)")
      ("loss", po::value(&t.loss)->value_name("LOSS"),
       "cross-entropy (natural log), cross-entropy-log2 (Qiskit's), squared-error, fidelity (reupload)")
      ("observable", po::value(&t.observable)->value_name("PAULIS"), "qnn-regressor: the measured observable (Z0)")
      ("l2", po::value(&t.l2)->value_name("LAMBDA"), "L2 weight decay >= 0")
      ("optimizer", po::value(&t.optimizer)->value_name("SPEC"),
       "sgd, adam, spsa, cobyla (default), lbfgs, nelder-mead, bobyqa, with options: adam:lr=0.05")
      ("maxiter", po::value(&t.maxiter)->value_name("N"),
       "iterations (epochs for sgd/adam; function evaluations for cobyla, lbfgs, nelder-mead, bobyqa); 100")
      ("batch-size", po::value(&t.batch_size)->value_name("B"), "mini-batch rows for sgd, adam, spsa (0: all)")
      ("time-limit", po::value(&t.time_limit)->value_name("SECONDS"), "stop training after this much wall time")
      ("validation", po::value(&t.validation)->value_name("F"),
       "hold out this fraction of the training rows (stratified) for early stopping")
      ("patience", po::value(&t.patience)->value_name("K"), "iterations without validation improvement (10)")
      ("initial-point", po::value(&t.initial_point)->value_name("FILE|v1,v2,..."),
       "initial weights (default: uniform in [0, 2 pi) from --seed)")
      ("input-prefix", po::value(&t.input_prefix)->value_name("P"),
       "OpenQASM ansatz files: inputs named P0, P1, ... are the features (x)")
      ("log", po::value(&t.log)->value_name("FILE.csv|.jsonl"), "one record per iteration, written atomically")
      ("plot", po::value(&t.plot)->value_name("FILE.png"), "loss and accuracy curves (gnuplot)")
      ("resume", po::value(&t.resume)->value_name("model.json"),
       "continue training a saved variational model (its preprocessing and weights)");
}

const std::vector<std::string>& qnn_option_names() {
  static const std::vector<std::string> names{"ansatz",     "layers",   "qubits",        "readout",      "temperature",
                                              "loss",       "observable", "l2",          "optimizer",    "maxiter",
                                              "batch-size", "time-limit", "validation",  "patience",     "initial-point",
                                              "input-prefix", "log",    "plot",          "resume"};
  return names;
}

qml::QnnModelSpec qnn_model_spec(const QnnOptionText& t, const std::string& model, const qml::ComponentSpec& feature_map,
                                 double C, const std::optional<std::string>& preprocess, std::uint64_t seed) {
  qml::QnnModelSpec spec;
  spec.type = model;
  spec.feature_map = feature_map;
  if (model == "qnn-regressor") spec.loss = "squared-error";
  spec.layers = qml::default_qnn_layers(model);
  // The re-uploading classifier on its default single qubit reads class states (the paper's
  // readout), which serve any number of classes; modulo on one qubit serves two.
  if (model == "reupload") spec.readout = "class-states";
  if (!t.ansatz.empty()) {
    spec.ansatz = parse_option_spec(t.ansatz, "--ansatz");
    if (spec.ansatz.type == "file") spec.ansatz = with_file_source(spec.ansatz, "ansatz");
  }
  if (!t.layers.empty()) spec.layers = static_cast<int>(parse_integer(t.layers, "--layers", 1, 1000));
  if (!t.qubits.empty()) spec.qubits = static_cast<int>(parse_integer(t.qubits, "--qubits", 1, 30));
  if (!t.readout.empty()) spec.readout = t.readout;
  if (!t.temperature.empty()) spec.temperature = parse_positive(t.temperature, "--temperature");
  if (!t.loss.empty()) spec.loss = t.loss;
  if (!t.observable.empty()) spec.observable = t.observable;
  if (!t.l2.empty()) spec.l2 = parse_positive(t.l2, "--l2", true);
  if (!t.optimizer.empty()) spec.optimizer = parse_option_spec(t.optimizer, "--optimizer");
  if (!t.maxiter.empty()) spec.settings.maxiter = static_cast<int>(parse_integer(t.maxiter, "--maxiter", 1, 100000000));
  if (!t.batch_size.empty()) spec.settings.batch_size = parse_unsigned(t.batch_size, "--batch-size");
  if (!t.time_limit.empty()) spec.settings.time_limit = parse_positive(t.time_limit, "--time-limit");
  spec.settings.seed = seed;
  if (!t.validation.empty()) spec.validation = parse_fraction(t.validation, "--validation");
  if (!t.patience.empty()) spec.patience = static_cast<int>(parse_integer(t.patience, "--patience", 1, 1000000));
  if (!t.initial_point.empty()) spec.initial_point = parse_initial_point(t.initial_point);
  if (!t.input_prefix.empty()) spec.input_prefix = t.input_prefix;
  if (preprocess) spec.preprocess = preprocess;
  spec.C = C;
  try {
    qml::validate_qnn_model_spec(spec);
  } catch (const InvalidArgument& e) {
    throw UsageError(e.what());
  }
  return spec;
}

std::vector<double> parse_initial_point(const std::string& text) {
  std::vector<double> values;
  std::error_code error;  // a path that cannot be examined is not a file
  bool is_file = std::filesystem::is_regular_file(text, error);
  if (!is_file && text.find(',') == std::string::npos) {
    try {  // one number is a list of one; anything else names a file (reported as unreadable)
      (void)qml::parse_angle_value(text, "--initial-point");
    } catch (const InvalidArgument&) {
      is_file = true;
    }
  }
  if (!is_file) {
    std::size_t start = 0;
    for (int k = 1;; ++k) {
      const std::size_t comma = text.find(',', start);
      const std::string word = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      try {
        values.push_back(qml::parse_angle_value(word, "--initial-point"));
      } catch (const InvalidArgument&) {
        throw UsageError("invalid value '" + word + "' for --initial-point (value " + std::to_string(k) +
                         "): expected numbers separated by commas, or a file of numbers");
      }
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    return values;
  }
  std::ifstream in(text);
  if (!in) throw DatasetError("cannot read --initial-point file " + text);
  std::string line;
  for (int line_no = 1; std::getline(in, line); ++line_no) {
    if (const std::size_t hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    std::size_t i = 0;
    while (i < line.size()) {
      if (line[i] == ',' || std::isspace(static_cast<unsigned char>(line[i]))) {
        ++i;
        continue;
      }
      std::size_t j = i;
      while (j < line.size() && line[j] != ',' && !std::isspace(static_cast<unsigned char>(line[j]))) ++j;
      values.push_back(initial_value(line.substr(i, j - i),
                                     text + ":" + std::to_string(line_no) + ":" + std::to_string(i + 1)));
      i = j;
    }
  }
  if (values.empty()) throw DatasetError(text + ": no numbers (--initial-point)");
  return values;
}

void check_log_path(const std::string& path) {
  if (!ends_with(path, ".csv") && !ends_with(path, ".jsonl"))
    throw UsageError("invalid value '" + path + "' for --log: expected a file name ending in .csv or .jsonl");
}

void write_training_log(const std::string& path, const std::vector<qml::TrainingRecord>& history,
                        const std::string& metric) {
  check_log_path(path);
  const bool csv = ends_with(path, ".csv");
  std::ostringstream s;
  const std::vector<std::string> columns{"iteration", "loss", "train_" + metric, "validation_" + metric,
                                         "gradient_norm", "step", "evaluations", "seconds"};
  if (csv) {
    for (std::size_t c = 0; c < columns.size(); ++c) s << (c ? "," : "") << columns[c];
    s << '\n';
  }
  for (const qml::TrainingRecord& r : history) {
    const Record record{{columns[0], std::int64_t(r.iteration)}, {columns[1], r.loss},
                        {columns[2], r.train_metric},            {columns[3], r.validation_metric},
                        {columns[4], r.gradient_norm},           {columns[5], r.step_size},
                        {columns[6], std::uint64_t(r.evaluations)}, {columns[7], r.seconds}};
    if (!csv) {
      s << json_line(to_json(record)) << '\n';
      continue;
    }
    for (std::size_t c = 0; c < record.size(); ++c) {
      s << (c ? "," : "");
      std::visit(
          [&](const auto& v) {
            using V = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<V, double>) s << (std::isfinite(v) ? format_exact(v) : "");
            else if constexpr (std::is_same_v<V, std::string>) s << csv_field(v);
            else s << v;
          },
          record[c].second);
    }
    s << '\n';
  }
  qml::write_file_atomically(path, s.str());
}

void write_training_plot(const std::string& path, const std::vector<qml::TrainingRecord>& history,
                         const std::string& title, const std::string& metric) {
  LinePlot plot{title, "iteration", {}};
  LinePanel loss{"loss", true, {{"training loss", {}}}};
  LinePanel score{metric, false, {{"train " + metric, {}}, {"validation " + metric, {}}}};
  bool has_train = false, has_validation = false;
  for (const qml::TrainingRecord& r : history) {
    const double x = r.iteration;
    loss.series[0].points.emplace_back(x, r.loss);
    score.series[0].points.emplace_back(x, r.train_metric);
    score.series[1].points.emplace_back(x, r.validation_metric);
    has_train = has_train || std::isfinite(r.train_metric);
    has_validation = has_validation || std::isfinite(r.validation_metric);
  }
  // A loss that reaches 0 or below (squared error on a perfect fit, a negated alignment) has no log scale.
  for (const auto& [x, y] : loss.series[0].points) loss.log_y = loss.log_y && y > 0;
  if (!has_validation) score.series.pop_back();
  if (!has_train) score.series.erase(score.series.begin());
  plot.panels.push_back(std::move(loss));
  if (!score.series.empty()) plot.panels.push_back(std::move(score));
  write_line_plot(plot, path);
}

TrainingProgress::TrainingProgress(bool enabled, int maxiter, std::string metric)
    : enabled_(enabled), maxiter_(maxiter), metric_(std::move(metric)) {}

TrainingProgress::~TrainingProgress() { finish(); }

bool TrainingProgress::operator()(const qml::TrainingRecord& r) {
  if (!enabled_) return false;
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - last_ < std::chrono::milliseconds(100) && r.iteration < maxiter_) return false;
  last_ = now;
  drawn_ = true;
  const double rate = r.seconds > 0 ? r.iteration / r.seconds : 0.0;
  const int width = 24;
  const int filled = maxiter_ > 0 ? std::min(width, width * r.iteration / maxiter_) : 0;
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.resize(width, '.');
  std::fprintf(stderr, "\r[%s] %d/%d  loss %.6g", bar.c_str(), r.iteration, maxiter_, r.loss);
  if (std::isfinite(r.train_metric)) std::fprintf(stderr, "  %s %.3f", metric_.c_str(), r.train_metric);
  if (std::isfinite(r.validation_metric)) std::fprintf(stderr, "  val %.3f", r.validation_metric);
  if (rate > 0) {
    std::fprintf(stderr, "  %.1f it/s", rate);
    if (r.iteration < maxiter_) std::fprintf(stderr, "  ETA %.0f s", (maxiter_ - r.iteration) / rate);
  }
  std::fprintf(stderr, "\033[K");
  std::fflush(stderr);
  return false;
}

void TrainingProgress::finish() {
  if (!drawn_) return;
  std::fputc('\n', stderr);
  drawn_ = false;
}

}  // namespace qmlsim::cli

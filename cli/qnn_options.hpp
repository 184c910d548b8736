#pragma once
/// Options of `train` for the variational models (vqc, qnn-regressor, reupload, dressed,
/// qsvc-trained): the circuit (--ansatz, --layers, --qubits), the readout and loss, the optimizer
/// loop (--optimizer, --maxiter, --batch-size, --time-limit, --validation, --patience,
/// --initial-point) and the training output (--log, --plot, progress on a terminal).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/options.hpp"
#include "qml/models/qnn_model.hpp"

namespace qmlsim::cli {

/// Option values as typed; empty = not given (the model's default applies).
struct QnnOptionText {
  std::string ansatz, layers, qubits, readout, temperature, loss, observable, l2, optimizer, maxiter, batch_size,
      time_limit, validation, patience, initial_point, input_prefix, log, plot, resume;
};

/// Declares the options above on `desc`.
void add_qnn_options(po::options_description& desc, QnnOptionText& text);

/// The names of the QNN-only options (for "does not apply to --model" checks).
[[nodiscard]] const std::vector<std::string>& qnn_option_names();

/// The spec the options describe for `model` (a QNN model name), the feature map, C, the
/// preprocessing and the seed given. UsageError for a malformed value (naming the option and, for
/// choices, the valid values); the model's own checks (validate_qnn_model_spec) are mapped to
/// UsageError too. File ansatze get their text stored (a model file keeps the circuit).
[[nodiscard]] qml::QnnModelSpec qnn_model_spec(const QnnOptionText& text, const std::string& model,
                                               const qml::ComponentSpec& feature_map, double C,
                                               const std::optional<std::string>& preprocess, std::uint64_t seed);

/// A component spec given as an option value ("adam:lr=0.05"); UsageError when malformed.
[[nodiscard]] qml::ComponentSpec parse_option_spec(const std::string& text, const std::string& option);

/// --initial-point: "v1,v2,..." or a file of numbers separated by commas, spaces or newlines
/// ('#' starts a comment). Values may be multiples of pi. UsageError / DatasetError naming the
/// position ("init.txt:3:5: 'abc' is not a number").
[[nodiscard]] std::vector<double> parse_initial_point(const std::string& text);

/// Checks a --log path's extension before training: ".csv" or ".jsonl" (UsageError otherwise).
void check_log_path(const std::string& path);
/// The training records as CSV (header iteration,loss,train_metric,...) or JSON lines, by the
/// path's extension, written atomically. `metric` names the metric columns ("accuracy", "r2").
void write_training_log(const std::string& path, const std::vector<qml::TrainingRecord>& history,
                        const std::string& metric);
/// The loss (log scale) and metric curves against the iteration, as a PNG (gnuplot, atomic).
void write_training_plot(const std::string& path, const std::vector<qml::TrainingRecord>& history,
                         const std::string& title, const std::string& metric);

/// A one-line progress bar on stderr (iteration, loss, metric, rate, ETA), redrawn at most ten
/// times a second; inactive unless `enabled` (the CLI enables it when stderr is a terminal).
class TrainingProgress {
 public:
  TrainingProgress(bool enabled, int maxiter, std::string metric);
  ~TrainingProgress();
  TrainingProgress(const TrainingProgress&) = delete;
  TrainingProgress& operator=(const TrainingProgress&) = delete;
  /// Draws `r` (returns false: never stops training).
  bool operator()(const qml::TrainingRecord& r);
  /// Ends the line (called by the destructor too).
  void finish();

 private:
  bool enabled_;
  int maxiter_;
  std::string metric_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace qmlsim::cli

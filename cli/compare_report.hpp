#pragma once
/// What `qmlsim compare` draws and writes besides its table: the PNG plot (--plot) and the
/// self-contained HTML report (--report). Both are written atomically (temporary file + rename).
#include <string>
#include <string_view>
#include <vector>

#include "qml/eval/compare.hpp"

namespace qmlsim::cli {

/// The plot of a comparison, by what the result holds:
///  - always: mean accuracy (or R^2) per model with +-1 standard deviation error bars, quantum and
///    classical models in two colours;
///  - with a feature sweep: instead, accuracy and mean fit seconds (log scale) against qubits /
///    features, one line per model;
///  - with decision regions (two-feature data): a second PNG beside it, "<stem>-regions.png",
///    the best quantum and best classical model side by side.
/// A sweep is recognised by rows with more than one feature count. Returns the paths written
/// (`path` first). Throws PlotError (cli/plot.hpp) when gnuplot is missing or fails,
/// InvalidArgument when the result has no rows.
std::vector<std::string> write_compare_plot(const qml::CompareResult& result, const std::string& path);

/// "<dir>/<stem>-regions.png" beside `path` ("out/cmp.png" -> "out/cmp-regions.png").
[[nodiscard]] std::string regions_plot_path(const std::string& path);

/// What the report says besides the result.
struct ReportContext {
  std::string command_line;  ///< the exact command that reproduces the run
  std::string data;          ///< the data's one-line description
  std::string version;       ///< "qmlsim 0.x (libsvm 3.x, NLopt 2.x, Eigen 3.4, BLIS ...)"
  std::string protocol;      ///< folds, search, preprocessing, seed in words
  std::string table_text;    ///< the table as `--format table` prints it
};
/// One HTML page with inline CSS and the plots embedded as base64 PNGs (no external files): the
/// summary line, the table, per-model details (chosen hyperparameters per fold, per-fold scores,
/// kernel diagnostics, importance), the protocol, the versions and the command line; every text
/// HTML-escaped. Plots are made in a temporary directory (removed afterwards); when they cannot
/// be made (PlotError: no gnuplot) the page says so instead of showing them. Written atomically
/// (qml::write_file_atomically): throws DatasetError "cannot write <path>: ..." when the
/// directory is missing or not writable, leaving no file behind.
void write_compare_report(const qml::CompareResult& result, const ReportContext& context, const std::string& path);

/// `text` with & < > " ' replaced by character references, safe in HTML text and attributes.
[[nodiscard]] std::string html_escape(std::string_view text);

/// `bytes` in base64 (RFC 4648, standard alphabet, '=' padding, no line breaks).
[[nodiscard]] std::string base64_encode(std::string_view bytes);

}  // namespace qmlsim::cli

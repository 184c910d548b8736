#pragma once
/// What `qmlsim compare` draws and writes besides its table: the PNG plot (--plot) and the
/// self-contained HTML report (--report). Both are written atomically (temporary file + rename).
#include <string>
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
/// Returns the paths written. Throws PlotError (cli/plot.hpp) when gnuplot is missing or fails.
std::vector<std::string> write_compare_plot(const qml::CompareResult& result, const std::string& path);

/// What the report says besides the result.
struct ReportContext {
  std::string command_line;  ///< the exact command that reproduces the run
  std::string data;          ///< the data's one-line description
  std::string version;       ///< "qmlsim 0.x (libsvm 3.x, NLopt 2.x, Eigen 3.4, BLIS ...)"
  std::string protocol;      ///< folds, search, preprocessing, seed in words
  std::string table_text;    ///< the table as `--format table` prints it
};
/// One HTML page with inline CSS and the plots embedded as base64 PNGs (no external files): the
/// summary line, the table, per-model details (chosen hyperparameters, kernel diagnostics,
/// importance), the protocol, the versions and the command line. Plots are made in a temporary
/// directory; without gnuplot the page says so instead of showing them. Written atomically.
void write_compare_report(const qml::CompareResult& result, const ReportContext& context, const std::string& path);

}  // namespace qmlsim::cli

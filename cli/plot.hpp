#pragma once
/// PNG plots through gnuplot: `qmlsim bench --plot` (run time and time / memory-bandwidth limit
/// against qubit count, log-scale y, one line per series) and `qmlsim kernel --plot` (a Gram
/// matrix as a heat map).
///
/// gnuplot is an optional run-time tool, found on PATH when a plot is asked for. It runs as a
/// child process (posix_spawn, no shell): the script is a temporary file, the PNG comes out on
/// gnuplot's standard output into a temporary file next to the target, which is renamed onto
/// the target only when gnuplot succeeded and wrote a PNG. The target path never appears in the
/// script or on a command line, so any file name is safe.
#include <Eigen/Core>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "simulator/core/errors.hpp"

namespace qmlsim::cli {

/// A plot could not be made: gnuplot missing or failing, or the file not writable. A
/// ResourceError (exit 3): the request cannot be served on this machine as it is.
class PlotError : public ResourceError {
 public:
  using ResourceError::ResourceError;
};

/// The message of the PlotError thrown when gnuplot is not on PATH.
inline constexpr const char* kGnuplotMissing =
    "--plot needs gnuplot, not found on PATH; install the Debian package gnuplot-nox";

/// One measured point. Values that are not finite and positive are left out of the (log) plot.
struct PlotPoint {
  double qubits = 0.0;
  double seconds = 0.0;  // upper panel
  double ratio = 0.0;    // lower panel
};

/// One line in both panels, with its legend text.
struct PlotSeries {
  std::string label;
  std::vector<PlotPoint> points;
};

struct ScalingPlot {
  std::string title;
  std::vector<PlotSeries> series;
};

/// The first regular, executable file `program` in the colon-separated directory list
/// `search_path` (an empty entry is the current directory), as a path; nullopt if none.
[[nodiscard]] std::optional<std::string> find_executable(std::string_view program, std::string_view search_path);

/// `text` as a gnuplot single-quoted string: quotes doubled (backslashes are literal there),
/// control characters (newline, tab, ...) replaced by spaces, so it cannot end the command.
[[nodiscard]] std::string gnuplot_string(std::string_view text);

/// The gnuplot script of `plot`: pngcairo terminal when gnuplot has it, else png; output on
/// standard output; two panels, seconds (top) and ratio (bottom) against qubits, log-scale y,
/// with a dashed line at ratio 1 (the memory-bandwidth limit).
[[nodiscard]] std::string scaling_plot_script(const ScalingPlot& plot);

/// Writes `plot` as a PNG to `path` with the gnuplot found on the PATH environment variable
/// (unset PATH: /usr/bin:/bin). Replaces an existing file atomically; on failure leaves no
/// temporary file behind and the target untouched.
/// Throws PlotError: kGnuplotMissing when gnuplot is not found; "cannot create ..." when the
/// directory is not writable; "gnuplot failed ..." with gnuplot's own message; "cannot rename".
/// InvalidArgument when `plot` has no series.
void write_scaling_plot(const ScalingPlot& plot, const std::string& path);

/// A matrix as a colour map (`qmlsim kernel --plot`): row 0 at the top, colours from lo to hi.
struct HeatmapPlot {
  std::string title;
  Eigen::MatrixXd values;
  double lo = 0.0, hi = 1.0;
  std::string x_label = "sample", y_label = "sample", value_label = "k(x, y)";
};
/// The gnuplot script of `plot` (values inline, 6 significant digits).
[[nodiscard]] std::string heatmap_plot_script(const HeatmapPlot& plot);
/// Writes `plot` as a PNG to `path`, atomically, like write_scaling_plot (same errors);
/// InvalidArgument for an empty matrix.
void write_heatmap_plot(const HeatmapPlot& plot, const std::string& path);

/// One line of an x-y plot, with its legend text.
struct LineSeries {
  std::string label;
  std::vector<std::pair<double, double>> points;  ///< (x, y)
};

/// Lines against a common x axis (`qmlsim bench --workload gradient-variance`: variance against
/// qubits). With log_y, values that are not finite and positive are left out.
struct LinePlot {
  std::string title, x_label, y_label;
  bool log_y = false;
  std::vector<LineSeries> series;
};
/// The gnuplot script of `plot` (points inline, integer x ticks when every x is an integer).
[[nodiscard]] std::string line_plot_script(const LinePlot& plot);
/// Writes `plot` as a PNG to `path`, atomically, like write_scaling_plot (same errors);
/// InvalidArgument when `plot` has no series.
void write_line_plot(const LinePlot& plot, const std::string& path);

}  // namespace qmlsim::cli

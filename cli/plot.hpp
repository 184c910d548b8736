#pragma once
/// PNG plots through gnuplot: `qmlsim bench --plot` (run time and time / memory-bandwidth limit
/// against qubit count, log-scale y, one line per series), `qmlsim kernel --plot` (a Gram
/// matrix as a heat map), `qmlsim train --plot` (training curves), `qmlsim compare --plot`
/// (scores with error bars, decision regions) and `qmlsim explain --plot` (importance bars).
///
/// gnuplot is an optional run-time tool, found on PATH when a plot is asked for. It runs as a
/// child process (posix_spawn, no shell): the script is a temporary file, the PNG comes out on
/// gnuplot's standard output into a temporary file next to the target, which is renamed onto
/// the target only when gnuplot succeeded and wrote a PNG. The target path never appears in the
/// script or on a command line, so any file name is safe.
#include <Eigen/Core>
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
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

/// Curves against a shared x axis in one or more stacked panels (`qmlsim train --plot`: loss,
/// then accuracy, against the iteration). Points whose y is not finite (or not positive on a
/// log-scale panel) are gaps.
struct LineSeries {
  std::string label;
  std::vector<std::pair<double, double>> points;  ///< (x, y)
};
struct LinePanel {
  std::string y_label;
  bool log_y = false;
  std::vector<LineSeries> series;
};
struct LinePlot {
  std::string title;
  std::string x_label;
  std::vector<LinePanel> panels;
};
/// The gnuplot script of `plot` (data inline, one panel per row of a multiplot).
[[nodiscard]] std::string line_plot_script(const LinePlot& plot);
/// Writes `plot` as a PNG to `path`, atomically, like write_scaling_plot (same errors);
/// InvalidArgument when no panel has a point.
void write_line_plot(const LinePlot& plot, const std::string& path);

/// One bar: its value and a symmetric error (+-error; not finite or negative: no error bar), in
/// one of two groups, each with its own colour (`qmlsim compare`: quantum and classical models).
struct ErrorBar {
  std::string label;
  double value = 0.0;
  double error = 0.0;
  int group = 0;  ///< 0 or 1
};
/// Bars with error bars, in the order given: vertical (labels along x, rotated) or horizontal
/// (labels along y, the first bar at the top). A group without bars has no legend entry.
struct ErrorBarPlot {
  std::string title;
  std::string value_label;
  std::vector<ErrorBar> bars;
  std::string group_names[2] = {"", ""};  ///< legend text; empty: no legend entry
  bool horizontal = false;
  std::optional<std::pair<double, double>> value_range;  ///< fixed value axis, e.g. [0, 1]; else autoscaled
};
/// The gnuplot script of `plot` (one inline data block per group: position, value, error; the
/// labels as tic labels, so any text is safe). Throws InvalidArgument for a group outside {0, 1}.
[[nodiscard]] std::string error_bar_plot_script(const ErrorBarPlot& plot);
/// Writes `plot` as a PNG to `path`, atomically, like write_scaling_plot (same errors);
/// InvalidArgument when there are no bars.
void write_error_bar_plot(const ErrorBarPlot& plot, const std::string& path);

/// Class labels predicted on a grid x grid lattice over [x_min, x_max] x [y_min, y_max], one
/// panel per model (`qmlsim compare`: decision regions of two-feature data).
struct RegionPanel {
  std::string title;
  std::vector<int> labels;  ///< grid x grid, row-major: index iy * grid + ix, iy = 0 at y_min
};
struct RegionPlot {
  std::string title;
  std::string x_label = "feature 0", y_label = "feature 1";
  int grid = 0;
  double x_min = 0, x_max = 1, y_min = 0, y_max = 1;
  std::vector<std::string> class_names;  ///< colour key; empty: "class 0", "class 1", ...
  std::vector<RegionPanel> panels;       ///< side by side, left to right
  /// Samples drawn over every panel as dots in their class's colour: (x, y, class).
  std::vector<std::array<double, 3>> points;
};
/// The gnuplot script of `plot`: one panel per model in a row, a discrete colour per class.
/// Throws InvalidArgument for grid < 2, a panel without grid x grid labels or a negative label.
[[nodiscard]] std::string region_plot_script(const RegionPlot& plot);
/// Writes `plot` as a PNG to `path`, atomically, like write_scaling_plot (same errors);
/// InvalidArgument when there is no panel or the script's checks fail.
void write_region_plot(const RegionPlot& plot, const std::string& path);

}  // namespace qmlsim::cli

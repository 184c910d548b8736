#include "cli/plot.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "cli/output.hpp"
#include "qml/io/atomic_file.hpp"

extern char** environ;

namespace qmlsim::cli {
namespace {

std::string errno_text(int error) { return std::strerror(error); }

// A file descriptor closed when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd = -1) noexcept : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }
  [[nodiscard]] int get() const noexcept { return fd_; }
  void reset() noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

// A temporary file made with mkostemp from `pattern` (ending in XXXXXX), removed when it goes
// out of scope unless released (after a successful rename).
class TempFile {
 public:
  explicit TempFile(std::string pattern) : path_(std::move(pattern)) {
    fd_ = ::mkostemp(path_.data(), O_CLOEXEC);
    if (fd_ < 0) error_ = errno;
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (fd_ >= 0 || closed_) std::remove(path_.c_str());
  }
  [[nodiscard]] bool ok() const noexcept { return fd_ >= 0 || closed_; }
  [[nodiscard]] int error() const noexcept { return error_; }
  [[nodiscard]] int fd() const noexcept { return fd_; }
  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  void close() noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    closed_ = true;
  }
  // The file now belongs to someone else (renamed): do not remove it.
  void release() noexcept {
    close();
    closed_ = false;
  }

 private:
  std::string path_;
  int fd_ = -1;
  int error_ = 0;
  bool closed_ = false;
};

bool writes_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

bool starts_with_png_signature(const std::string& path) {
  static constexpr unsigned char kSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  std::ifstream in(path, std::ios::binary);
  char head[8] = {};
  if (!in.read(head, 8)) return false;
  return std::memcmp(head, kSignature, 8) == 0;
}

// Trailing whitespace removed and at most the last `max` bytes kept (gnuplot repeats the whole
// offending line before its message).
std::string tail(std::string text, std::size_t max = 600) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  if (text.size() > max) text = "..." + text.substr(text.size() - max);
  return text;
}

// The first lines of every script: a width x height PNG on standard output (no `set output`: the
// caller points standard output at the file), pngcairo when this gnuplot has it.
std::string png_terminal(int width, int height) {
  const std::string size = std::to_string(width) + "," + std::to_string(height);
  return "if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {\n"
         "  set terminal pngcairo size " + size + " noenhanced font 'sans,11'\n"
         "} else {\n"
         "  set terminal png size " + size + " noenhanced\n"
         "}\n";
}

// A value for the log-scale panels: "NaN" (a gap for gnuplot) unless finite and positive.
std::string log_value(double v) { return std::isfinite(v) && v > 0 ? format_exact(v) : "NaN"; }

// The finite positive values of one log-scale axis.
class Range {
 public:
  void add(double v) {
    if (!std::isfinite(v) || v <= 0) return;
    lo_ = empty() ? v : std::min(lo_, v);
    hi_ = empty() ? v : std::max(hi_, v);
    count_++;
  }
  [[nodiscard]] bool empty() const noexcept { return count_ == 0; }

  // "set yrange [lo/1.5:hi*1.5]" and ticks at 1, 2, 5 x 10^k inside it (only 10^k beyond four
  // decades): gnuplot's own log ticks are decades only, which leaves a narrow range unlabelled.
  // Empty: autoscale.
  [[nodiscard]] std::string gnuplot_axis() const {
    if (empty()) return "set yrange [*:*]\nset ytics autofreq\n";
    const double lo = lo_ / 1.5, hi = hi_ * 1.5;
    std::string text = "set yrange [" + format_exact(lo) + ":" + format_exact(hi) + "]\n";
    const int first = static_cast<int>(std::floor(std::log10(lo))), last = static_cast<int>(std::ceil(std::log10(hi)));
    if (last - first > 12) return text + "set ytics autofreq\n";
    const bool dense = last - first <= 4;
    std::string ticks;
    for (int e = first; e <= last; ++e)
      for (const double m : {1.0, 2.0, 5.0}) {
        if (!dense && m != 1.0) continue;
        const double v = m * std::pow(10.0, e);
        if (v >= lo && v <= hi) ticks += (ticks.empty() ? "" : ", ") + format_short(v);
      }
    return text + (ticks.empty() ? "set ytics autofreq\n" : "set ytics (" + ticks + ")\n");
  }

 private:
  double lo_ = 0.0, hi_ = 0.0;
  int count_ = 0;
};

}  // namespace

std::optional<std::string> find_executable(std::string_view program, std::string_view search_path) {
  if (program.empty() || program.find('/') != std::string_view::npos) return std::nullopt;
  std::size_t begin = 0;
  while (true) {
    const std::size_t end = search_path.find(':', begin);
    const std::string_view dir =
        search_path.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin);
    // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on assigning "." to a string.
    std::string candidate(dir.empty() ? std::string_view(".") : dir);
    candidate += '/';
    candidate += program;
    struct stat info {};
    if (::stat(candidate.c_str(), &info) == 0 && S_ISREG(info.st_mode) && ::access(candidate.c_str(), X_OK) == 0)
      return candidate;
    if (end == std::string_view::npos) return std::nullopt;
    begin = end + 1;
  }
}

std::string gnuplot_string(std::string_view text) {
  std::string quoted = "'";
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\'') quoted += "''";
    else if (u < 0x20 || u == 0x7f) quoted += ' ';
    else quoted += c;
  }
  return quoted + "'";
}

std::string scaling_plot_script(const ScalingPlot& plot) {
  std::ostringstream s;
  s << png_terminal(1000, 1000);
  for (std::size_t i = 0; i < plot.series.size(); ++i) {
    s << "$s" << i << " << EOD\n";
    for (const PlotPoint& p : plot.series[i].points)
      s << format_exact(p.qubits) << ' ' << log_value(p.seconds) << ' ' << log_value(p.ratio) << '\n';
    s << "EOD\n";
  }
  // Explicit ranges: x padded by half a qubit (so a single size still has a range and the limit
  // line spans the panel), y from the finite positive values with a 1.5x margin, the ratio range
  // always including the limit line at 1.
  double x_min = 0.0, x_max = 0.0;
  bool first = true;
  Range seconds, ratio;
  ratio.add(1.0);
  for (const PlotSeries& series : plot.series)
    for (const PlotPoint& p : series.points) {
      x_min = first ? p.qubits : std::min(x_min, p.qubits);
      x_max = first ? p.qubits : std::max(x_max, p.qubits);
      first = false;
      seconds.add(p.seconds);
      ratio.add(p.ratio);
    }
  const double x_step = std::max(1.0, std::ceil((x_max - x_min) / 16.0));  // integer ticks, <= ~16
  s << "set multiplot layout 2,1 title " << gnuplot_string(plot.title) << "\n"
    << "set logscale y\n"
       "set grid\n"
       "set key below\n"
       "set xlabel 'qubits'\n"
       "set xrange ["
    << format_exact(x_min - 0.5) << ":" << format_exact(x_max + 0.5) << "]\n"
    << "set xtics " << format_exact(x_step) << "\n"
    << "set format y '%g'\n"
       "set ylabel 'seconds (median of the repeats)'\n"
    << seconds.gnuplot_axis();
  auto plot_column = [&](int column, const char* extra) {
    s << "plot ";
    for (std::size_t i = 0; i < plot.series.size(); ++i)
      s << (i ? ", \\\n     " : "") << "$s" << i << " using 1:" << column << " with linespoints lw 2 pt " << (i % 13) + 1
        << " title " << gnuplot_string(plot.series[i].label);
    s << extra << "\n";
  };
  plot_column(2, "");
  s << "set ylabel 'seconds / limit_s (1 = memory-bandwidth wall)'\n" << ratio.gnuplot_axis();
  plot_column(3, ", \\\n     1 with lines dt 2 lw 2 lc rgb 'black' title 'memory-bandwidth limit'");
  s << "unset multiplot\n";
  return s.str();
}

namespace {

// Runs `script_text` through gnuplot into `path` (see write_scaling_plot's contract).
void write_png(const std::string& script_text, const std::string& path) {
  const char* env_path = std::getenv("PATH");
  const std::optional<std::string> gnuplot = find_executable("gnuplot", env_path ? env_path : "/usr/bin:/bin");
  if (!gnuplot) throw PlotError(kGnuplotMissing);

  TempFile script((std::filesystem::temp_directory_path() / "qmlsim_plot_XXXXXX").string());
  if (!script.ok())
    throw PlotError("cannot create a temporary gnuplot script in " +
                    std::filesystem::temp_directory_path().string() + ": " + errno_text(script.error()));
  if (!writes_all(script.fd(), script_text))
    throw PlotError("cannot write the gnuplot script " + script.path() + ": " + errno_text(errno));
  script.close();

  // Next to the target, so that the final rename stays on one file system and is atomic.
  TempFile png(path + ".tmp-XXXXXX");
  if (!png.ok()) throw PlotError("cannot create a file next to " + path + ": " + errno_text(png.error()));
  ::fchmod(png.fd(), 0666 & ~qml::current_umask());  // mkstemp makes 0600; a plot is an ordinary file

  int err_pipe[2];
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) throw PlotError("cannot run gnuplot: pipe: " + errno_text(errno));
  Fd err_read(err_pipe[0]), err_write(err_pipe[1]);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, png.fd(), 1);
  posix_spawn_file_actions_adddup2(&actions, err_write.get(), 2);
  std::string arg0 = "gnuplot", arg1 = script.path();
  char* argv[] = {arg0.data(), arg1.data(), nullptr};
  pid_t pid = 0;
  const int spawned = ::posix_spawn(&pid, gnuplot->c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) throw PlotError("cannot run " + *gnuplot + ": " + errno_text(spawned));
  err_write.reset();  // the child holds the write end; EOF comes when it exits

  std::string messages;
  char buffer[4096];
  while (true) {
    const ssize_t n = ::read(err_read.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (messages.size() < (std::size_t{1} << 20)) messages.append(buffer, static_cast<std::size_t>(n));
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw PlotError("cannot wait for gnuplot: " + errno_text(errno));
  }
  png.close();
  if (WIFSIGNALED(status))
    throw PlotError("gnuplot was killed by signal " + std::to_string(WTERMSIG(status)) + " while plotting " + path);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw PlotError("gnuplot failed (exit status " + std::to_string(WEXITSTATUS(status)) + ") while plotting " +
                    path + ": " + tail(messages));
  if (!starts_with_png_signature(png.path()))
    throw PlotError("gnuplot wrote no PNG for " + path + (messages.empty() ? "" : ": " + tail(messages)));
  if (std::rename(png.path().c_str(), path.c_str()) != 0)
    throw PlotError("cannot write " + path + ": " + errno_text(errno));
  png.release();
}

}  // namespace

void write_scaling_plot(const ScalingPlot& plot, const std::string& path) {
  if (plot.series.empty()) throw InvalidArgument("plot " + path + ": no series to plot");
  write_png(scaling_plot_script(plot), path);
}

std::string heatmap_plot_script(const HeatmapPlot& plot) {
  std::ostringstream s;
  const Eigen::Index n = plot.values.rows(), m = plot.values.cols();
  const int size = static_cast<int>(std::clamp<Eigen::Index>(300 + 2 * std::max(n, m), 700, 1200));
  s << png_terminal(size + 150, size) << "$k << EOD\n";
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = 0; j < m; ++j) s << (j ? " " : "") << format_short(plot.values(i, j));
    s << '\n';
  }
  s << "EOD\n"
    << "set title " << gnuplot_string(plot.title) << "\n"
    << "set xlabel " << gnuplot_string(plot.x_label) << "\n"
    << "set ylabel " << gnuplot_string(plot.y_label) << "\n"
    << "set cblabel " << gnuplot_string(plot.value_label) << "\n"
       "set size ratio -1\n"
       "set xrange [-0.5:" << format_exact(static_cast<double>(m) - 0.5) << "]\n"
       "set yrange [" << format_exact(static_cast<double>(n) - 0.5) << ":-0.5]\n"
       "set cbrange [" << format_exact(plot.lo) << ":" << format_exact(plot.hi) << "]\n"
       "set palette rgbformulae 33,13,10\n"
       "set tics out\n"
       "plot $k matrix with image notitle\n";
  return s.str();
}

void write_heatmap_plot(const HeatmapPlot& plot, const std::string& path) {
  if (plot.values.size() == 0) throw InvalidArgument("plot " + path + ": empty matrix");
  write_png(heatmap_plot_script(plot), path);
}

std::string line_plot_script(const LinePlot& plot) {
  std::ostringstream s;
  const int height = 350 + 350 * static_cast<int>(std::max<std::size_t>(1, plot.panels.size()));
  s << png_terminal(1200, height);
  bool integer_x = true;
  for (std::size_t p = 0; p < plot.panels.size(); ++p)
    for (std::size_t i = 0; i < plot.panels[p].series.size(); ++i) {
      s << "$p" << p << "s" << i << " << EOD\n";
      for (const auto& [x, y] : plot.panels[p].series[i].points) {
        s << format_exact(x) << ' '
          << (plot.panels[p].log_y ? log_value(y) : std::isfinite(y) ? format_exact(y) : "NaN") << '\n';
        integer_x = integer_x && x == std::floor(x);
      }
      s << "EOD\n";
    }
  s << "set multiplot layout " << plot.panels.size() << ",1 title " << gnuplot_string(plot.title) << "\n"
    << "set grid\nset key below\nset format y '%g'\n"
    << "set xlabel " << gnuplot_string(plot.x_label) << "\n";
  // Few integer x values (qubits): a tick each and half a step of margin; many (iterations):
  // gnuplot's own ticks over exactly the data's range. A fixed left margin aligns the panels.
  std::size_t most = 0;
  double x_lo = 0.0, x_hi = 0.0;
  bool any = false;
  for (const LinePanel& panel : plot.panels)
    for (const LineSeries& series : panel.series) {
      most = std::max(most, series.points.size());
      for (const auto& xy : series.points) {
        x_lo = any ? std::min(x_lo, xy.first) : xy.first;
        x_hi = any ? std::max(x_hi, xy.first) : xy.first;
        any = true;
      }
    }
  if (integer_x && most <= 16) s << "set offsets 0.5, 0.5, 0, 0\n";
  else if (any && x_hi > x_lo) s << "set xrange [" << format_exact(x_lo) << ":" << format_exact(x_hi) << "]\n";
  s << "set lmargin 12\n";
  for (std::size_t p = 0; p < plot.panels.size(); ++p) {
    const LinePanel& panel = plot.panels[p];
    std::size_t points = 0;
    Range y;
    for (const LineSeries& series : panel.series) {
      points = std::max(points, series.points.size());
      for (const auto& xy : series.points) y.add(xy.second);
    }
    s << (integer_x && points <= 16 ? "set xtics 1\n" : "set xtics autofreq\n");
    s << (panel.log_y ? "set logscale y\n" + y.gnuplot_axis() : "unset logscale y\nset yrange [*:*]\nset ytics autofreq\n")
      << "set ylabel " << gnuplot_string(panel.y_label) << "\nplot ";
    for (std::size_t i = 0; i < panel.series.size(); ++i)
      s << (i ? ", \\\n     " : "") << "$p" << p << "s" << i << " using 1:2 with "
        << (points <= 32 ? "linespoints pt " + std::to_string(i % 13 + 1) : std::string("lines")) << " lw 2 title "
        << gnuplot_string(panel.series[i].label);
    s << "\n";
  }
  s << "unset multiplot\n";
  return s.str();
}

void write_line_plot(const LinePlot& plot, const std::string& path) {
  // Panels without series would make gnuplot fail on an empty `plot` command.
  LinePlot shown = plot;
  std::erase_if(shown.panels, [](const LinePanel& p) { return p.series.empty(); });
  if (shown.panels.empty()) throw InvalidArgument("plot " + path + ": no series to plot");
  write_png(line_plot_script(shown), path);
}

namespace {

// Distinct colours (the Tableau 10 palette): the two groups of a bar chart, the classes of a
// region plot.
constexpr const char* kColours[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
constexpr std::size_t kColourCount = std::size(kColours);

// "('a' 1, 'b' 2)": tic labels at positions, quoted for gnuplot.
std::string tic_labels(const std::vector<std::pair<std::string, double>>& tics) {
  std::string text = "(";
  for (std::size_t i = 0; i < tics.size(); ++i)
    text += (i ? ", " : "") + gnuplot_string(tics[i].first) + " " + format_exact(tics[i].second);
  return text + ")";
}

}  // namespace

std::string error_bar_plot_script(const ErrorBarPlot& plot) {
  const std::size_t n = plot.bars.size();
  for (const ErrorBar& bar : plot.bars)
    if (bar.group != 0 && bar.group != 1)
      throw InvalidArgument("error bar plot: group " + std::to_string(bar.group) + " of '" + bar.label +
                            "' is not 0 or 1");
  const int extent = static_cast<int>(std::clamp<std::size_t>(n, 1, 60));
  std::ostringstream s;
  s << (plot.horizontal ? png_terminal(1000, 200 + 40 * extent) : png_terminal(std::max(800, 150 + 80 * extent), 750));
  // Position i + 1 from the left, or from the bottom for the last bar when horizontal (so the
  // first bar is at the top, as a ranking is read).
  const auto position = [&](std::size_t i) { return static_cast<double>(plot.horizontal ? n - i : i + 1); };
  bool has_group[2] = {false, false};
  for (int g = 0; g < 2; ++g) {
    s << "$g" << g << " << EOD\n";
    for (std::size_t i = 0; i < n; ++i) {
      const ErrorBar& bar = plot.bars[i];
      if (bar.group != g) continue;
      has_group[g] = true;
      const double error = std::isfinite(bar.error) && bar.error > 0 ? bar.error : 0.0;
      s << format_exact(position(i)) << ' ' << (std::isfinite(bar.value) ? format_exact(bar.value) : "NaN") << ' '
        << format_exact(error) << '\n';
    }
    s << "EOD\n";
  }
  std::vector<std::pair<std::string, double>> tics;
  for (std::size_t i = 0; i < n; ++i) tics.emplace_back(plot.bars[i].label, position(i));
  const std::string positions = "[0.4:" + format_exact(static_cast<double>(n) + 0.6) + "]";
  const std::string values =
      plot.value_range ? "[" + format_exact(plot.value_range->first) + ":" + format_exact(plot.value_range->second) + "]"
                       : "[*:*]";
  const char* const value_axis = plot.horizontal ? "x" : "y";
  const char* const label_axis = plot.horizontal ? "y" : "x";
  s << "set title " << gnuplot_string(plot.title) << "\n"
    << "set " << value_axis << "label " << gnuplot_string(plot.value_label) << "\n"
    << "set " << label_axis << "tics " << tic_labels(tics) << (plot.horizontal ? "" : " rotate by 30 right") << "\n"
    << "set " << label_axis << "range " << positions << "\n"
    << "set " << value_axis << "range " << values << "\n"
    << "set grid " << value_axis << "tics\n"
    << "set " << (plot.horizontal ? "y" : "x") << "zeroaxis lt -1\n"
    << "set style fill solid 0.7 border -1\n"
       "set boxwidth 0.6 absolute\n"
       "set key outside top center horizontal\n"
       "plot ";
  bool first = true;
  for (int g = 0; g < 2; ++g) {
    if (!has_group[g]) continue;
    const std::string colour = std::string("lc rgb '") + kColours[g] + "'";
    const std::string title =
        plot.group_names[g].empty() ? std::string("notitle") : "title " + gnuplot_string(plot.group_names[g]);
    s << (first ? "" : ", \\\n     ");
    first = false;
    if (plot.horizontal)
      s << "$g" << g << " using (0):1:(0):2:($1-0.3):($1+0.3) with boxxyerror " << colour << " " << title
        << ", \\\n     $g" << g << " using 2:1:3 with xerrorbars lc rgb 'black' pt 7 ps 0.6 notitle";
    else
      s << "$g" << g << " using 1:2:3 with boxerrorbars " << colour << " " << title;
  }
  s << "\n";
  return s.str();
}

void write_error_bar_plot(const ErrorBarPlot& plot, const std::string& path) {
  if (plot.bars.empty()) throw InvalidArgument("plot " + path + ": no bars to plot");
  write_png(error_bar_plot_script(plot), path);
}

namespace {

// The number of colours a region plot needs: every class named and every label drawn (at least
// two: gnuplot's palette needs two points).
std::size_t region_classes(const RegionPlot& plot) {
  std::size_t classes = std::max<std::size_t>(2, plot.class_names.size());
  for (const RegionPanel& panel : plot.panels)
    for (const int label : panel.labels) classes = std::max(classes, static_cast<std::size_t>(label) + 1);
  return classes;
}

}  // namespace

std::string region_plot_script(const RegionPlot& plot) {
  if (plot.grid < 2) throw InvalidArgument("region plot: grid " + std::to_string(plot.grid) + " is below 2");
  const auto grid = static_cast<std::size_t>(plot.grid);
  for (const RegionPanel& panel : plot.panels) {
    if (panel.labels.size() != grid * grid)
      throw InvalidArgument("region plot: panel '" + panel.title + "' has " + std::to_string(panel.labels.size()) +
                            " labels, expected grid x grid = " + std::to_string(grid * grid));
    if (std::any_of(panel.labels.begin(), panel.labels.end(), [](int label) { return label < 0; }))
      throw InvalidArgument("region plot: panel '" + panel.title + "' has a negative label");
  }
  const std::size_t panels = std::max<std::size_t>(1, plot.panels.size());
  const std::size_t classes = region_classes(plot);
  std::ostringstream s;
  s << png_terminal(200 + 600 * static_cast<int>(panels), 620);
  for (std::size_t p = 0; p < plot.panels.size(); ++p) {
    s << "$r" << p << " << EOD\n";
    for (std::size_t iy = 0; iy < grid; ++iy) {
      for (std::size_t ix = 0; ix < grid; ++ix) s << (ix ? " " : "") << plot.panels[p].labels[iy * grid + ix];
      s << '\n';
    }
    s << "EOD\n";
  }
  s << "$points << EOD\n";
  for (const auto& point : plot.points)
    s << format_exact(point[0]) << ' ' << format_exact(point[1]) << ' ' << format_exact(point[2]) << '\n';
  s << "EOD\n";
  // Lattice point ix sits at x_min + ix * dx (the lattice includes both ends); each is drawn as a
  // pixel centred there.
  const double steps = std::max(1.0, static_cast<double>(grid) - 1.0);
  const double dx = (plot.x_max - plot.x_min) / steps, dy = (plot.y_max - plot.y_min) / steps;
  std::vector<std::pair<std::string, double>> tics;
  std::string palette;
  for (std::size_t c = 0; c < classes; ++c) {
    tics.emplace_back(c < plot.class_names.size() ? plot.class_names[c] : "class " + std::to_string(c),
                      static_cast<double>(c));
    palette += (c ? ", " : "") + std::to_string(c) + " '" + kColours[c % kColourCount] + "'";
  }
  s << "set multiplot layout 1," << panels << " title " << gnuplot_string(plot.title) << "\n"
    << "set xlabel " << gnuplot_string(plot.x_label) << "\n"
    << "set ylabel " << gnuplot_string(plot.y_label) << "\n"
    << "set xrange [" << format_exact(plot.x_min - dx / 2) << ":" << format_exact(plot.x_max + dx / 2) << "]\n"
    << "set yrange [" << format_exact(plot.y_min - dy / 2) << ":" << format_exact(plot.y_max + dy / 2) << "]\n"
    << "set palette maxcolors " << classes << "\n"
    << "set palette defined (" << palette << ")\n"
    << "set cbrange [-0.5:" << format_exact(static_cast<double>(classes) - 0.5) << "]\n"
    << "set cbtics " << tic_labels(tics) << "\n"
    << "set size ratio 1\n"
       "set tics out\n";
  for (std::size_t p = 0; p < plot.panels.size(); ++p)
    s << "set title " << gnuplot_string(plot.panels[p].title) << "\n"
      << "plot $r" << p << " matrix using (" << format_exact(plot.x_min) << " + $1 * " << format_exact(dx) << "):("
      << format_exact(plot.y_min) << " + $2 * " << format_exact(dy) << "):3 with image notitle"
      << (plot.points.empty() ? ""
                              : ", $points using 1:2 with points pt 7 ps 0.9 lc rgb 'black' notitle,"
                                " $points using 1:2:3 with points pt 7 ps 0.55 lc palette notitle")
      << "\n";
  s << "unset multiplot\n";
  return s.str();
}

void write_region_plot(const RegionPlot& plot, const std::string& path) {
  if (plot.panels.empty()) throw InvalidArgument("plot " + path + ": no panel to plot");
  write_png(region_plot_script(plot), path);
}

}  // namespace qmlsim::cli

#include "cli/plot.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "cli/output.hpp"

#include "tests/support/temp_files.hpp"

namespace qmlsim::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

namespace fs = std::filesystem;

using testing::is_png;
using testing::read_file;
using testing::ScopedPath;
using testing::TempDir;

bool have_gnuplot() {
  const char* path = std::getenv("PATH");
  return path && find_executable("gnuplot", path).has_value();
}

ScalingPlot sample_plot() {
  ScalingPlot plot;
  plot.title = "bench 'layers'\nsecond line";
  plot.series.push_back({"1 thread, double, fusion off", {{10, 1e-3, 2.5}, {12, 4e-3, 2.0}, {14, 1.6e-2, 1.5}}});
  plot.series.push_back({"2 threads, double, fusion auto", {{10, 0.0625, 1.2}, {12, 2e-3, 0.0}, {14, 8e-3, 1.1}}});
  return plot;
}

TEST(PlotTest, GnuplotStringDoublesQuotesAndBlanksControlCharacters) {
  EXPECT_EQ(gnuplot_string("plain"), "'plain'");
  EXPECT_EQ(gnuplot_string("it's"), "'it''s'");
  EXPECT_EQ(gnuplot_string("a\\b\"c"), "'a\\b\"c'");  // backslashes and double quotes are literal
  EXPECT_EQ(gnuplot_string("x\ny\tz\r"), "'x y z '");
  EXPECT_EQ(gnuplot_string(""), "''");
}

TEST(PlotTest, FindExecutableSearchesTheListInOrder) {
  const TempDir first, second;
  second.add_script("tool", "exit 0");
  std::ofstream(first.path() / "data") << "not a program";
  fs::permissions(first.path() / "data", fs::perms::owner_read | fs::perms::owner_write);
  fs::create_directory(first.path() / "tool");  // a directory of that name is skipped
  const std::string list = first.path().string() + ":" + second.path().string();
  EXPECT_EQ(find_executable("tool", list), (second.path() / "tool").string());
  EXPECT_EQ(find_executable("data", list), std::nullopt);  // not executable
  EXPECT_EQ(find_executable("missing", list), std::nullopt);
  EXPECT_EQ(find_executable("x/tool", list), std::nullopt);
  EXPECT_EQ(find_executable("", list), std::nullopt);
  second.add_script("data", "exit 0");
  EXPECT_EQ(find_executable("data", list), (second.path() / "data").string());
}

TEST(PlotTest, ScriptHoldsEveryPointAndQuotesLabels) {
  const std::string script = scaling_plot_script(sample_plot());
  EXPECT_THAT(script, HasSubstr("$s0 << EOD\n10 0.001 2.5\n12 0.004 2\n14 0.016 1.5\nEOD\n"));
  // A ratio of 0 cannot be drawn on a log scale: it becomes a gap.
  EXPECT_THAT(script, HasSubstr("$s1 << EOD\n10 0.0625 1.2\n12 0.002 NaN\n14 0.008 1.1\nEOD\n"));
  EXPECT_THAT(script, HasSubstr("title 'bench ''layers'' second line'"));
  EXPECT_THAT(script, HasSubstr("title '2 threads, double, fusion auto'"));
  EXPECT_THAT(script, HasSubstr("set logscale y"));
  EXPECT_THAT(script, HasSubstr("set xtics 1\n"));  // qubits 10..14: integer ticks
  // The ratio axis spans the ratios and the limit line at 1, with a margin of 1.5x.
  EXPECT_THAT(script, HasSubstr("set yrange [" + format_exact(1.0 / 1.5) + ":3.75]\nset ytics (1, 2)\n"));
  EXPECT_THAT(script, HasSubstr("set xrange [9.5:14.5]\n"));
  // Seconds from 0.001 to 0.0625: ticks 1, 2, 5 x 10^k inside [0.001 / 1.5, 0.0625 x 1.5].
  EXPECT_THAT(script, HasSubstr("set ytics (0.001, 0.002, 0.005, 0.01, 0.02, 0.05)\n"));
  EXPECT_THAT(script, HasSubstr("using 1:2"));
  EXPECT_THAT(script, HasSubstr("using 1:3"));
  EXPECT_THAT(script, ::testing::Not(HasSubstr("set output")));
}

TEST(PlotTest, LinePlotScriptHoldsEveryPointOnALogScale) {
  LinePlot plot{"variance", "qubits",
                {{"Var", true,
                  {{"global", {{2, 0.25}, {4, 0.0}, {6, 1e-3}}}, {"local 'C_L'", {{2, 0.5}, {4, 0.1}, {6, 0.05}}}}}}};
  const std::string script = line_plot_script(plot);
  // 0 cannot be drawn on a log scale: a gap.
  EXPECT_THAT(script, HasSubstr("$p0s0 << EOD\n2 0.25\n4 NaN\n6 0.001\nEOD\n"));
  EXPECT_THAT(script, HasSubstr("$p0s1 << EOD\n2 0.5\n4 0.1\n6 0.05\nEOD\n"));
  EXPECT_THAT(script, HasSubstr("title 'local ''C_L'''"));
  EXPECT_THAT(script, HasSubstr("set logscale y\n"));
  EXPECT_THAT(script, HasSubstr("set xtics 1\n"));
  EXPECT_THAT(script, HasSubstr("set ylabel 'Var'\n"));
  EXPECT_THAT(script, ::testing::Not(HasSubstr("set output")));
  plot.panels[0].log_y = false;
  EXPECT_THAT(line_plot_script(plot), HasSubstr("4 0\n"));
  EXPECT_THAT(line_plot_script(plot), ::testing::Not(HasSubstr("\nset logscale")));
  EXPECT_THROW(write_line_plot(LinePlot{}, "x.png"), InvalidArgument);
}

// Training curves: the loss panel on a log scale above the accuracy panel on a linear one; NaN
// accuracies (not tracked) are gaps, and many iterations are drawn as lines with gnuplot's ticks.
TEST(PlotTest, LinePlotStacksPanelsWithTheirOwnScales) {
  LineSeries loss{"loss", {}}, accuracy{"train accuracy", {}};
  for (int i = 0; i < 40; ++i) {
    loss.points.emplace_back(i, 1.0 / (i + 1));
    accuracy.points.emplace_back(i, i == 3 ? std::nan("") : 0.5 + i / 100.0);
  }
  const std::string script = line_plot_script({"training", "iteration", {{"loss", true, {loss}}, {"accuracy", false, {accuracy}}}});
  EXPECT_THAT(script, HasSubstr("set multiplot layout 2,1 title 'training'\n"));
  EXPECT_THAT(script, HasSubstr("$p1s0 << EOD\n0 0.5\n1 0.51\n2 0.52\n3 NaN\n"));
  EXPECT_THAT(script, HasSubstr("set logscale y\n"));
  EXPECT_THAT(script, HasSubstr("unset logscale y\n"));
  EXPECT_THAT(script, HasSubstr("set xtics autofreq\n"));
  EXPECT_THAT(script, HasSubstr("using 1:2 with lines lw 2 title 'loss'"));
}

ErrorBarPlot sample_bars() {
  ErrorBarPlot plot;
  plot.title = "scores";
  plot.value_label = "accuracy";
  plot.group_names[0] = "quantum";
  plot.group_names[1] = "classical";
  plot.bars = {{"q'svc", 0.85, 0.05, 0}, {"svm-rbf", 0.9, std::nan(""), 1}, {"vqc", 0.5, 0.125, 0}};
  return plot;
}

TEST(PlotTest, ErrorBarScriptHasOneBlockPerGroupAndQuotedLabels) {
  ErrorBarPlot plot = sample_bars();
  plot.value_range = std::pair{0.0, 1.05};
  const std::string script = error_bar_plot_script(plot);
  // Positions 1, 2, 3 left to right; a missing error is drawn as none.
  EXPECT_THAT(script, HasSubstr("$g0 << EOD\n1 0.85 0.05\n3 0.5 0.125\nEOD\n"));
  EXPECT_THAT(script, HasSubstr("$g1 << EOD\n2 0.9 0\nEOD\n"));
  EXPECT_THAT(script, HasSubstr("set xtics ('q''svc' 1, 'svm-rbf' 2, 'vqc' 3) rotate by 30 right\n"));
  EXPECT_THAT(script, HasSubstr("set yrange [0:1.05]\n"));
  EXPECT_THAT(script, HasSubstr("$g0 using 1:2:3 with boxerrorbars lc rgb '#1f77b4' title 'quantum'"));
  EXPECT_THAT(script, HasSubstr("$g1 using 1:2:3 with boxerrorbars lc rgb '#ff7f0e' title 'classical'"));
  // A group without bars is not plotted (gnuplot fails on an empty block).
  plot.bars.erase(plot.bars.begin() + 1);
  EXPECT_THAT(error_bar_plot_script(plot), Not(HasSubstr("$g1 using")));
  plot.bars[0].group = 2;
  EXPECT_THROW((void)error_bar_plot_script(plot), InvalidArgument);
  EXPECT_THROW(write_error_bar_plot(ErrorBarPlot{}, "x.png"), InvalidArgument);
}

TEST(PlotTest, HorizontalErrorBarsPutTheFirstBarAtTheTop) {
  ErrorBarPlot plot = sample_bars();
  plot.horizontal = true;
  plot.group_names[0] = "";
  const std::string script = error_bar_plot_script(plot);
  EXPECT_THAT(script, HasSubstr("$g0 << EOD\n3 0.85 0.05\n1 0.5 0.125\nEOD\n"));
  EXPECT_THAT(script, HasSubstr("set ytics ('q''svc' 3, 'svm-rbf' 2, 'vqc' 1)\n"));
  EXPECT_THAT(script, HasSubstr("set yrange [0.4:3.6]\n"));
  EXPECT_THAT(script, HasSubstr("set xrange [*:*]\n"));
  EXPECT_THAT(script, HasSubstr("$g0 using (0):1:(0):2:($1-0.3):($1+0.3) with boxxyerror lc rgb '#1f77b4' notitle"));
  EXPECT_THAT(script, HasSubstr("$g0 using 2:1:3 with xerrorbars"));
}

RegionPlot sample_regions() {
  RegionPlot plot;
  plot.title = "regions";
  plot.grid = 3;
  plot.x_min = 0;
  plot.x_max = 2;
  plot.y_min = -1;
  plot.y_max = 1;
  plot.class_names = {"a'b", "c"};
  plot.panels = {{"qsvc", {0, 0, 1, 0, 1, 1, 1, 1, 1}}, {"svm-rbf", {0, 1, 1, 0, 1, 1, 0, 2, 1}}};
  return plot;
}

TEST(PlotTest, RegionScriptDrawsPanelsSideBySideWithAColourPerClass) {
  const std::string script = region_plot_script(sample_regions());
  EXPECT_THAT(script, HasSubstr("$r0 << EOD\n0 0 1\n0 1 1\n1 1 1\nEOD\n"));
  EXPECT_THAT(script, HasSubstr("$r1 << EOD\n0 1 1\n0 1 1\n0 2 1\nEOD\n"));
  EXPECT_THAT(script, HasSubstr("set multiplot layout 1,2 title 'regions'\n"));
  // Three colours: two named classes and label 2 beyond them.
  EXPECT_THAT(script, HasSubstr("set palette maxcolors 3\n"));
  EXPECT_THAT(script, HasSubstr("set cbrange [-0.5:2.5]\n"));
  EXPECT_THAT(script, HasSubstr("set cbtics ('a''b' 0, 'c' 1, 'class 2' 2)\n"));
  // Lattice points at both ends: pixels centred on them, the range half a step wider.
  EXPECT_THAT(script, HasSubstr("set xrange [-0.5:2.5]\n"));
  EXPECT_THAT(script, HasSubstr("matrix using (0 + $1 * 1):(-1 + $2 * 1):3 with image notitle\n"));
  EXPECT_THAT(script, HasSubstr("set title 'svm-rbf'\n"));
  RegionPlot bad = sample_regions();
  bad.panels[1].labels.pop_back();
  EXPECT_THROW((void)region_plot_script(bad), InvalidArgument);
  bad = sample_regions();
  bad.panels[0].labels[0] = -1;
  EXPECT_THROW((void)region_plot_script(bad), InvalidArgument);
  bad.grid = 1;
  EXPECT_THROW((void)region_plot_script(bad), InvalidArgument);
  EXPECT_THROW(write_region_plot(RegionPlot{}, "x.png"), InvalidArgument);
}

// The scripts must be valid gnuplot: the real one draws them.
TEST(PlotTest, GnuplotDrawsErrorBarsAndRegions) {
  if (!have_gnuplot()) GTEST_SKIP() << "gnuplot not on PATH";
  const TempDir dir;
  ErrorBarPlot bars = sample_bars();
  write_error_bar_plot(bars, (dir.path() / "bars.png").string());
  bars.horizontal = true;
  bars.bars[1].group = 0;
  write_error_bar_plot(bars, (dir.path() / "hbars.png").string());
  write_region_plot(sample_regions(), (dir.path() / "regions.png").string());
  EXPECT_EQ(dir.entries(), (std::vector<std::string>{"bars.png", "hbars.png", "regions.png"}));
  for (const std::string& name : dir.entries()) EXPECT_TRUE(is_png(dir.path() / name)) << name;
}

TEST(PlotTest, WritesAPngAtomicallyWithAnyFileName) {
  if (!have_gnuplot()) GTEST_SKIP() << "gnuplot not on PATH";
  const TempDir dir;
  const fs::path target = dir.path() / "it's a \"plot\" \\ name.png";
  std::ofstream(target) << "old contents";
  write_scaling_plot(sample_plot(), target.string());
  EXPECT_TRUE(is_png(target));
  EXPECT_GT(fs::file_size(target), 1000U);
  EXPECT_EQ(dir.entries(), std::vector<std::string>{target.filename().string()});  // no temporary file left
}

TEST(PlotTest, MissingGnuplotIsAPlotErrorWithTheInstallHint) {
  const TempDir empty, dir;
  const ScopedPath path(empty.path().string());
  const std::string target = (dir.path() / "scaling.png").string();
  try {
    write_scaling_plot(sample_plot(), target);
    ADD_FAILURE() << "no exception";
  } catch (const PlotError& e) {
    EXPECT_STREQ(e.what(), "--plot needs gnuplot, not found on PATH; install the Debian package gnuplot-nox");
  }
  EXPECT_TRUE(dir.entries().empty());
}

TEST(PlotTest, FailingGnuplotLeavesTheTargetAndNoTemporaryFile) {
  const TempDir bin, dir;
  bin.add_script("gnuplot", "echo 'line 3: boom' >&2\nexit 1");
  const ScopedPath path(bin.path().string());
  const fs::path target = dir.path() / "scaling.png";
  std::ofstream(target) << "old contents";
  try {
    write_scaling_plot(sample_plot(), target.string());
    ADD_FAILURE() << "no exception";
  } catch (const PlotError& e) {
    EXPECT_THAT(e.what(), HasSubstr("gnuplot failed (exit status 1)"));
    EXPECT_THAT(e.what(), HasSubstr("line 3: boom"));
  }
  EXPECT_EQ(read_file(target), "old contents");
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"scaling.png"});
}

TEST(PlotTest, GnuplotWritingNoPngIsAnError) {
  const TempDir bin, dir;
  bin.add_script("gnuplot", "echo 'not a png'\nexit 0");
  const ScopedPath path(bin.path().string());
  const fs::path target = dir.path() / "scaling.png";
  EXPECT_THROW(write_scaling_plot(sample_plot(), target.string()), PlotError);
  EXPECT_TRUE(dir.entries().empty());
}

TEST(PlotTest, TheScriptReachesGnuplotAndStdoutBecomesTheFile) {
  // A stand-in gnuplot (shell built-ins only: PATH holds just its directory) that checks its one
  // argument is the script and writes a PNG signature to standard output: the file must end up
  // at the target.
  const TempDir bin, dir;
  bin.add_script("gnuplot",
                 "found=0\n"
                 "while read -r line; do case \"$line\" in 'set multiplot'*) found=1;; esac; done < \"$1\"\n"
                 "[ \"$found\" = 1 ] || exit 7\n"
                 "printf '\\211PNG\\r\\n\\032\\nrest'");
  const ScopedPath path(bin.path().string());
  const fs::path target = dir.path() / "out.png";
  write_scaling_plot(sample_plot(), target.string());
  EXPECT_EQ(read_file(target), std::string("\x89PNG\r\n\x1a\nrest", 12));
  struct stat info {};
  ASSERT_EQ(::stat(target.c_str(), &info), 0);
  const mode_t mask = ::umask(022);  // read the umask (the test is single-threaded), then restore it
  ::umask(mask);
  EXPECT_EQ(info.st_mode & 0777, 0666 & ~mask) << "an ordinary file, not mkstemp's private 0600";
}

TEST(PlotTest, UnwritableDirectoryAndEmptyPlotAreErrors) {
  const TempDir dir;
  const std::string target = (dir.path() / "missing" / "scaling.png").string();
  if (have_gnuplot()) {
    try {
      write_scaling_plot(sample_plot(), target);
      ADD_FAILURE() << "no exception";
    } catch (const PlotError& e) {
      EXPECT_THAT(e.what(), HasSubstr("cannot create a file next to " + target));
    }
  }
  EXPECT_THROW(write_scaling_plot(ScalingPlot{"empty", {}}, (dir.path() / "x.png").string()), InvalidArgument);
  EXPECT_TRUE(dir.entries().empty());
}

}  // namespace
}  // namespace qmlsim::cli

#include "cli/compare_report.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "cli/plot.hpp"
#include "tests/support/temp_files.hpp"

namespace qmlsim::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::read_file;
using testing::ScopedPath;
using testing::TempDir;

namespace fs = std::filesystem;

// TMPDIR pointed at a directory of the test's for the scope (the report makes its plots in a
// temporary directory, which must be gone afterwards).
class ScopedTmpdir {
 public:
  explicit ScopedTmpdir(const fs::path& dir) {
    if (const char* old = std::getenv("TMPDIR")) old_ = old;
    ::setenv("TMPDIR", dir.c_str(), 1);
  }
  ScopedTmpdir(const ScopedTmpdir&) = delete;
  ScopedTmpdir& operator=(const ScopedTmpdir&) = delete;
  ~ScopedTmpdir() {
    if (old_) ::setenv("TMPDIR", old_->c_str(), 1);
    else ::unsetenv("TMPDIR");
  }

 private:
  std::optional<std::string> old_;
};

bool gnuplot_on_path() {
  const char* path = std::getenv("PATH");
  return path && find_executable("gnuplot", path).has_value();
}

qml::CompareRow make_row(const std::string& name, const std::string& type, qml::ModelKind kind, double mean) {
  qml::CompareRow row;
  row.model = name;
  row.type = type;
  row.kind = kind;
  row.description = type + " with its defaults";
  row.features = 2;
  row.accuracy = {mean, 0.05};
  row.balanced_accuracy = {mean - 0.01, 0.04};
  row.fit_seconds = 0.25;
  row.predict_seconds = 0.125;
  for (int f = 0; f < 3; ++f) {
    qml::FoldScore fold;
    fold.accuracy = mean + 0.01 * (f - 1);
    fold.fit_seconds = 0.25;
    fold.predict_seconds = 0.125;
    row.folds.push_back(fold);
  }
  return row;
}

// A hand-made two-feature comparison: a quantum model whose name needs escaping, with grid
// choices, kernel diagnostics and importance, against a classical one; with decision regions.
qml::CompareResult sample_result() {
  qml::CompareResult result;
  result.folds = 3;
  result.mean_train_rows = 40;
  result.mean_test_rows = 20;
  result.summary = "No quantum model beats the best classical model (svm-rbf, 0.9): q<svc> is equal within noise.";
  qml::CompareRow classical = make_row("svm-rbf", "svm-rbf", qml::ModelKind::Classical, 0.9);
  qml::CompareRow quantum = make_row("q<svc>", "qsvc", qml::ModelKind::Quantum, 0.85);
  quantum.folds[0].chosen = {{"C", "10"}, {"reps", "2"}};
  quantum.folds[1].chosen = {{"C", "0.5"}, {"reps", "1"}};
  quantum.folds[2].chosen = {{"C", "1"}, {"reps", "2"}};
  quantum.versus_best_classical = qml::TTestResult{-0.05, -0.8, 2, 0.42};
  quantum.diagnostics = qml::ModelKernelDiagnostics{0.375, 0.0625, 0.015625, 1.5};
  quantum.importance = {{"petal & width", 0.03125, 0.01}, {"sepal_length", 0.25, 0.02}};
  quantum.qubits = 2;
  quantum.circuit_evaluations = 1234;
  result.rows = {classical, quantum};
  qml::DecisionRegions regions;
  regions.grid = 4;
  regions.x0_max = regions.x1_max = 1.0;
  for (const auto& [name, kind] : {std::pair{"q<svc>", qml::ModelKind::Quantum}, {"svm-rbf", qml::ModelKind::Classical}}) {
    qml::DecisionRegion region{name, kind, {}};
    for (int i = 0; i < 16; ++i) region.labels.push_back((i % 4) < 2 ? 0 : 1);
    regions.models.push_back(region);
  }
  result.regions = regions;
  return result;
}

ReportContext sample_context() {
  return {"qmlsim compare --dataset moons --models 'qsvc,svm-rbf' --report r.html", "moons: 60 samples, 2 features",
          "qmlsim 0.1 (libsvm 3.25)", "3-fold stratified cross-validation, seed 1", "model  accuracy\nsvm-rbf  0.9\n"};
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(CompareReportTest, Base64MatchesTheRfc4648TestVectors) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_encode(std::string("\xff\xfe\0", 3)), "//4A");  // high bytes and a NUL
  EXPECT_EQ(base64_encode(std::string("\x89PNG\r\n\x1a\n", 8)), "iVBORw0KGgo=");
}

TEST(CompareReportTest, HtmlEscapeReplacesEveryMarkupCharacter) {
  EXPECT_EQ(html_escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
  EXPECT_EQ(html_escape("plain text"), "plain text");
}

TEST(CompareReportTest, RegionsPlotSitsBesideThePlot) {
  EXPECT_EQ(regions_plot_path("out/cmp.png"), "out/cmp-regions.png");
  EXPECT_EQ(regions_plot_path("cmp.png"), "cmp-regions.png");
}

// Without gnuplot: the page is written all the same, holds every part and says the plots are
// missing; every text is escaped; nothing temporary is left, here or in TMPDIR.
TEST(CompareReportTest, PageWithoutGnuplotHoldsEverythingAndSaysThePlotsAreMissing) {
  const TempDir dir, empty, tmp;
  const ScopedPath path(empty.path().string());
  const ScopedTmpdir tmpdir(tmp.path());
  const fs::path target = dir.path() / "report.html";
  write_compare_report(sample_result(), sample_context(), target.string());
  const std::string html = read_file(target);
  EXPECT_THAT(html, HasSubstr("<!DOCTYPE html>"));
  EXPECT_THAT(html, HasSubstr("<style>"));
  EXPECT_THAT(html, HasSubstr("<p class=\"summary\">No quantum model beats the best classical model (svm-rbf, 0.9): "
                              "q&lt;svc&gt; is equal within noise.</p>"));
  EXPECT_THAT(html, Not(HasSubstr("q<svc>")));
  EXPECT_THAT(html, HasSubstr("<td>q&lt;svc&gt;</td><td>qsvc</td><td>quantum</td><td>0.85 &plusmn; 0.05</td>"));
  EXPECT_THAT(html, HasSubstr("<td>svm-rbf</td><td>svm-rbf</td><td>classical</td><td>0.9 &plusmn; 0.05</td>"));
  EXPECT_THAT(html, HasSubstr("equal within noise (p = 0.42)"));
  EXPECT_THAT(html, HasSubstr("The plots are missing: --plot needs gnuplot, not found on PATH"));
  EXPECT_THAT(html, Not(HasSubstr("data:image/png")));
  // Per model: the values chosen per fold, the kernel diagnostics, the importance (sorted).
  EXPECT_THAT(html, HasSubstr("<th>chosen C</th><th>chosen reps</th>"));
  EXPECT_THAT(html, HasSubstr("<td>2</td><td>0.85</td><td>0.25</td><td>0.125</td><td>0.5</td><td>1</td>"));
  EXPECT_THAT(html, HasSubstr("<td>0.375</td><td>0.0625</td><td>0.01562</td><td>1.5</td>"));
  const std::size_t sepal = html.find("<td>sepal_length</td>"), petal = html.find("<td>petal &amp; width</td>");
  ASSERT_NE(sepal, std::string::npos);
  ASSERT_NE(petal, std::string::npos);
  EXPECT_LT(sepal, petal);
  // The context: data, protocol, versions, the command line (escaped), the table as printed.
  EXPECT_THAT(html, HasSubstr("moons: 60 samples, 2 features"));
  EXPECT_THAT(html, HasSubstr("3-fold stratified cross-validation, seed 1"));
  EXPECT_THAT(html, HasSubstr("qmlsim 0.1 (libsvm 3.25)"));
  EXPECT_THAT(html, HasSubstr("<pre>qmlsim compare --dataset moons --models &#39;qsvc,svm-rbf&#39; --report r.html</pre>"));
  EXPECT_THAT(html, HasSubstr("model  accuracy\nsvm-rbf  0.9\n"));
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"report.html"});
  EXPECT_TRUE(tmp.entries().empty());
}

TEST(CompareReportTest, EmbedsBothPlotsAsPngsWhenGnuplotExists) {
  if (!gnuplot_on_path()) GTEST_SKIP() << "gnuplot not on PATH";
  const TempDir dir, tmp;
  const ScopedTmpdir tmpdir(tmp.path());
  const fs::path target = dir.path() / "report.html";
  write_compare_report(sample_result(), sample_context(), target.string());
  const std::string html = read_file(target);
  // The PNG signature's base64 starts every embedded image: the scores and the regions.
  EXPECT_EQ(count(html, "src=\"data:image/png;base64,iVBORw0KGgo"), 2U);
  EXPECT_THAT(html, Not(HasSubstr("plots are missing")));
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"report.html"});
  EXPECT_TRUE(tmp.entries().empty());
}

TEST(CompareReportTest, ReplacesAnExistingReport) {
  const TempDir dir, empty;
  const ScopedPath path(empty.path().string());
  const fs::path target = dir.path() / "report.html";
  std::ofstream(target) << "old report";
  write_compare_report(sample_result(), sample_context(), target.string());
  EXPECT_THAT(read_file(target), HasSubstr("<h1>qmlsim compare</h1>"));
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"report.html"});
}

TEST(CompareReportTest, UnwritableDirectoryIsAnErrorAndLeavesNothing) {
  const TempDir dir, empty;
  const ScopedPath path(empty.path().string());
  const std::string target = (dir.path() / "missing" / "report.html").string();
  try {
    write_compare_report(sample_result(), sample_context(), target);
    ADD_FAILURE() << "no exception";
  } catch (const DatasetError& e) {
    EXPECT_THAT(e.what(), HasSubstr("cannot write " + target));
  }
  EXPECT_TRUE(dir.entries().empty());
}

// A stand-in gnuplot (shell built-ins only) that writes a PNG signature when its script has
// `needle`, else fails.
void add_fake_gnuplot(const TempDir& bin, const std::string& needle) {
  bin.add_script("gnuplot",
                 "found=0\n"
                 "while read -r line; do case \"$line\" in '" + needle + "'*) found=1;; esac; done < \"$1\"\n"
                 "[ \"$found\" = 1 ] || { echo \"no '" + needle + "'\" >&2; exit 7; }\n"
                 "printf '\\211PNG\\r\\n\\032\\n'");
}

TEST(CompareReportTest, PlotIsBarsAndRegionsBesideIt) {
  const TempDir bin, dir;
  add_fake_gnuplot(bin, "set palette maxcolors");  // only the region plot has it
  const ScopedPath path(bin.path().string());
  const std::string target = (dir.path() / "cmp.png").string();
  qml::CompareResult result = sample_result();
  EXPECT_THROW((void)write_compare_plot(result, target), PlotError);  // the bar chart has no palette
  bin.add_script("gnuplot", "printf '\\211PNG\\r\\n\\032\\n'");
  EXPECT_EQ(write_compare_plot(result, target),
            (std::vector<std::string>{target, (dir.path() / "cmp-regions.png").string()}));
  EXPECT_EQ(dir.entries(), (std::vector<std::string>{"cmp-regions.png", "cmp.png"}));
  result.regions.reset();
  EXPECT_EQ(write_compare_plot(result, target), std::vector<std::string>{target});
  result.rows.clear();
  EXPECT_THROW((void)write_compare_plot(result, target), InvalidArgument);
}

// With a feature sweep the plot is score and fit time against the feature count (two panels).
TEST(CompareReportTest, SweepIsPlottedAgainstTheFeatureCount) {
  const TempDir bin, dir;
  add_fake_gnuplot(bin, "set multiplot layout 2,1");
  const ScopedPath path(bin.path().string());
  qml::CompareResult result = sample_result();
  result.regions.reset();
  qml::CompareRow more = result.rows[0];
  more.features = 3;
  result.rows.push_back(more);
  result.sweep_features = {2, 3};
  const std::string target = (dir.path() / "sweep.png").string();
  EXPECT_EQ(write_compare_plot(result, target), std::vector<std::string>{target});
  result.rows.pop_back();  // no sweep: bars, no multiplot
  result.sweep_features.clear();
  EXPECT_THROW((void)write_compare_plot(result, target), PlotError);
}

}  // namespace
}  // namespace qmlsim::cli

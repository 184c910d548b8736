#include "cli/compare_report.hpp"

#include <stdlib.h>  // mkdtemp

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <system_error>

#include "cli/output.hpp"
#include "cli/plot.hpp"
#include "qml/io/atomic_file.hpp"

namespace qmlsim::cli {
namespace fs = std::filesystem;
namespace {

const char* primary_name(qml::Task task) { return task == qml::Task::Regression ? "R^2" : "accuracy"; }



// Accuracy (or R^2) and mean fit seconds against the feature count, one line per model name.
LinePlot sweep_plot(const qml::CompareResult& result) {
  std::vector<std::string> names;
  for (const qml::CompareRow& row : result.rows)
    if (std::find(names.begin(), names.end(), row.model) == names.end()) names.push_back(row.model);
  LinePanel score{primary_name(result.task), false, {}}, seconds{"fit seconds (mean per fold)", true, {}};
  for (const std::string& name : names) {
    LineSeries s{name, {}}, t{name, {}};
    for (const qml::CompareRow& row : result.rows)
      if (row.model == name) {
        s.points.emplace_back(row.features, row.primary(result.task).mean);
        t.points.emplace_back(row.features, row.fit_seconds);
      }
    score.series.push_back(std::move(s));
    seconds.series.push_back(std::move(t));
  }
  return {"qmlsim compare: " + std::string(primary_name(result.task)) + " and fit time against features",
          "features (qubits)", {std::move(score), std::move(seconds)}};
}

ErrorBarPlot score_plot(const qml::CompareResult& result) {
  ErrorBarPlot plot;
  plot.title = "qmlsim compare: mean " + std::string(primary_name(result.task)) + " over " +
               std::to_string(result.folds) + " folds (+-1 standard deviation)";
  plot.value_label = primary_name(result.task);
  plot.group_names[0] = "quantum";
  plot.group_names[1] = "classical";
  if (result.task == qml::Task::Classification) plot.value_range = std::pair{0.0, 1.05};
  for (const qml::CompareRow& row : result.rows) {
    const qml::MeanStd& score = row.primary(result.task);
    plot.bars.push_back({row.model, score.mean, score.std, row.kind == qml::ModelKind::Quantum ? 0 : 1});
  }
  return plot;
}

RegionPlot region_plot(const qml::DecisionRegions& regions) {
  RegionPlot plot;
  plot.title = "qmlsim compare: decision regions";
  plot.grid = regions.grid;
  plot.x_min = regions.x0_min;
  plot.x_max = regions.x0_max;
  plot.y_min = regions.x1_min;
  plot.y_max = regions.x1_max;
  plot.class_names = regions.class_names;
  if (regions.feature_names.size() == 2) {
    plot.x_label = regions.feature_names[0];
    plot.y_label = regions.feature_names[1];
  }
  for (Eigen::Index i = 0; i < regions.points.rows(); ++i)
    plot.points.push_back({regions.points(i, 0), regions.points(i, 1),
                           static_cast<double>(regions.point_labels[static_cast<std::size_t>(i)])});
  for (const qml::DecisionRegion& model : regions.models)
    plot.panels.push_back({model.model + " (" + qml::model_kind_name(model.kind) + ")", model.labels});
  return plot;
}

// A fresh temporary directory, removed with its contents at the end of the scope.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (fs::temp_directory_path() / "qmlsim_report_XXXXXX").string();
    if (!::mkdtemp(pattern.data()))
      throw PlotError("cannot create a temporary directory for the plots in " + fs::temp_directory_path().string());
    path_ = pattern;
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  ~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  [[nodiscard]] const fs::path& path() const noexcept { return path_; }

 private:
  fs::path path_;
};

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The plots as <img> elements, or a note saying why there are none.
std::string plots_html(const qml::CompareResult& result) {
  if (result.rows.empty()) return "<p class=\"note\">No plots: the comparison has no rows.</p>\n";
  try {
    const ScratchDir scratch;
    std::string html;
    for (const std::string& png : write_compare_plot(result, (scratch.path() / "compare.png").string()))
      html += "<img alt=\"" + html_escape(fs::path(png).filename().string()) + "\" src=\"data:image/png;base64," +
              base64_encode(read_bytes(png)) + "\">\n";
    return html;
  } catch (const PlotError& e) {
    return "<p class=\"note\">The plots are missing: " + html_escape(e.what()) + "</p>\n";
  }
}

// A number for the page: 4 significant digits, "n/a" when not measured.
std::string number(double v) {
  if (std::isnan(v)) return "n/a";
  std::ostringstream s;
  s.precision(4);
  s << v;
  return s.str();
}

std::string mean_std(const qml::MeanStd& m) {
  if (std::isnan(m.mean)) return "n/a";
  return number(m.mean) + (std::isnan(m.std) ? "" : " &plusmn; " + number(m.std));
}

// Builds an HTML table cell by cell; cells are already HTML.
class HtmlTable {
 public:
  explicit HtmlTable(const std::vector<std::string>& header) {
    html_ = "<table>\n<tr>";
    for (const std::string& h : header) html_ += "<th>" + html_escape(h) + "</th>";
    html_ += "</tr>\n";
  }
  void row(const std::vector<std::string>& cells, const std::string& row_class = "") {
    html_ += row_class.empty() ? "<tr>" : "<tr class=\"" + row_class + "\">";
    for (const std::string& c : cells) html_ += "<td>" + c + "</td>";
    html_ += "</tr>\n";
  }
  [[nodiscard]] std::string html() const { return html_ + "</table>\n"; }

 private:
  std::string html_;
};

std::string results_table(const qml::CompareResult& result) {
  const bool regression = result.task == qml::Task::Regression, sweep = !result.sweep_features.empty();
  std::vector<std::string> header{"model", "type", "kind"};
  if (sweep) header.emplace_back("features");
  if (regression) header.insert(header.end(), {"R^2", "MSE", "MAE"});
  else header.insert(header.end(), {"accuracy", "balanced accuracy", "macro F1", "ROC AUC", "log loss"});
  if (result.holdout) header.emplace_back(regression ? "test R^2" : "test accuracy");
  header.insert(header.end(), {"vs best classical", "fit s", "predict s", "circuit evaluations", "parameters",
                               "qubits", "depth"});
  HtmlTable table(header);
  for (const qml::CompareRow& row : result.rows) {
    std::vector<std::string> cells{html_escape(row.model), html_escape(row.type), qml::model_kind_name(row.kind)};
    if (sweep) cells.push_back(std::to_string(row.features));
    if (regression) {
      cells.insert(cells.end(), {mean_std(row.r2), mean_std(row.mse), mean_std(row.mae)});
    } else {
      cells.insert(cells.end(), {mean_std(row.accuracy), mean_std(row.balanced_accuracy), mean_std(row.f1_macro),
                                 mean_std(row.roc_auc), mean_std(row.log_loss)});
    }
    if (result.holdout) cells.push_back(number(regression ? row.test_r2 : row.test_accuracy));
    cells.push_back(row.versus_best_classical ? std::string(qml::verdict(*row.versus_best_classical)) +
                                                    " (p = " + number(row.versus_best_classical->p_value) + ")"
                                              : "");
    cells.insert(cells.end(), {number(row.fit_seconds), number(row.predict_seconds),
                               std::to_string(row.circuit_evaluations), std::to_string(row.trainable_parameters),
                               std::to_string(row.qubits), std::to_string(row.circuit_depth)});
    table.row(cells, qml::model_kind_name(row.kind));
  }
  return table.html();
}

std::string model_details(const qml::CompareResult& result, const qml::CompareRow& row) {
  std::string html = "<section class=\"model\">\n<h3>" + html_escape(row.model) + " <small>" +
                     html_escape(row.type) + ", " + qml::model_kind_name(row.kind) + ", " + std::to_string(row.features) +
                     " features</small></h3>\n<p>" + html_escape(row.description) + "</p>\n";
  // Per fold: the primary score, times and, after a grid search, the values chosen.
  std::vector<std::string> keys;
  for (const qml::FoldScore& fold : row.folds)
    for (const auto& kv : fold.chosen)
      if (std::find(keys.begin(), keys.end(), kv.first) == keys.end()) keys.push_back(kv.first);
  std::vector<std::string> header{"fold", primary_name(result.task), "fit s", "predict s"};
  for (const std::string& key : keys) header.push_back("chosen " + key);
  HtmlTable folds(header);
  for (std::size_t f = 0; f < row.folds.size(); ++f) {
    const qml::FoldScore& fold = row.folds[f];
    std::vector<std::string> cells{std::to_string(f + 1),
                                   number(result.task == qml::Task::Regression ? fold.r2 : fold.accuracy),
                                   number(fold.fit_seconds), number(fold.predict_seconds)};
    for (const std::string& key : keys) {
      const auto it = std::find_if(fold.chosen.begin(), fold.chosen.end(), [&](const auto& kv) { return kv.first == key; });
      cells.push_back(it == fold.chosen.end() ? "" : html_escape(it->second));
    }
    folds.row(cells);
  }
  if (!row.folds.empty()) html += folds.html();
  if (row.diagnostics) {
    const qml::ModelKernelDiagnostics& d = *row.diagnostics;
    html += "<h4>Kernel diagnostics (mean over folds, training rows)</h4>\n";
    HtmlTable table({"kernel-target alignment", "off-diagonal mean", "off-diagonal variance",
                     "geometric difference to RBF"});
    table.row({number(d.alignment), number(d.off_diagonal_mean), number(d.off_diagonal_variance),
               number(d.geometric_difference)});
    html += table.html();
  }
  if (!row.importance.empty()) {
    std::vector<qml::FeatureImportance> sorted = row.importance;
    std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.mean > b.mean; });
    double top = 0.0;
    for (const auto& f : sorted) top = std::max(top, std::abs(f.mean));
    html += "<h4>Permutation importance (drop in " + html_escape(primary_name(result.task)) +
            ", mean over folds)</h4>\n";
    HtmlTable table({"feature", "importance", "std", ""});
    for (const auto& f : sorted) {
      const double width = top > 0 && f.mean > 0 ? 100.0 * f.mean / top : 0.0;
      table.row({html_escape(f.feature), number(f.mean), number(f.std),
                 "<span class=\"bar\" style=\"width:" + number(width) + "%\"></span>"});
    }
    html += table.html();
  }
  return html + "</section>\n";
}

constexpr const char* kStyle =
    "body{font-family:sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}"
    "h1{font-size:1.6em}.summary{font-size:1.3em;font-weight:bold;background:#eef4fb;border-left:6px solid "
    "#1f77b4;padding:.7em 1em}.note{color:#a33}table{border-collapse:collapse;margin:.5em 0 1em}"
    "th,td{border:1px solid #ccc;padding:.25em .6em;text-align:right}th{background:#f3f3f3}"
    "td:first-child,th:first-child{text-align:left}tr.quantum td:first-child{border-left:4px solid #1f77b4}"
    "tr.classical td:first-child{border-left:4px solid #ff7f0e}img{max-width:100%;display:block;margin:1em 0}"
    "pre{background:#f6f6f6;padding:.7em;overflow-x:auto;white-space:pre-wrap}"
    ".bar{display:inline-block;height:.8em;background:#1f77b4;min-width:1px}section.model{margin-bottom:2em}";

}  // namespace

std::string regions_plot_path(const std::string& path) {
  const fs::path p(path);
  return (p.parent_path() / (p.stem().string() + "-regions.png")).string();
}

std::vector<std::string> write_compare_plot(const qml::CompareResult& result, const std::string& path) {
  if (result.rows.empty()) throw InvalidArgument("plot " + path + ": the comparison has no rows");
  if (!result.sweep_features.empty()) write_line_plot(sweep_plot(result), path);
  else write_error_bar_plot(score_plot(result), path);
  std::vector<std::string> written{path};
  if (result.regions && !result.regions->models.empty()) {
    written.push_back(regions_plot_path(path));
    write_region_plot(region_plot(*result.regions), written.back());
  }
  return written;
}

void write_compare_report(const qml::CompareResult& result, const ReportContext& context, const std::string& path) {
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>qmlsim compare report</title>\n"
      "<style>" + std::string(kStyle) + "</style>\n</head>\n<body>\n<h1>qmlsim compare</h1>\n"
      "<p class=\"summary\">" + html_escape(result.summary) + "</p>\n";
  if (!context.data.empty()) html += "<p>Data: " + html_escape(context.data) + "</p>\n";
  html += "<h2>Results</h2>\n" + results_table(result);
  if (!context.table_text.empty())
    html += "<details><summary>The table as printed</summary>\n<pre>" + html_escape(context.table_text) +
            "</pre></details>\n";
  html += "<h2>Plots</h2>\n" + plots_html(result);
  html += "<h2>Models</h2>\n";
  for (const qml::CompareRow& row : result.rows) html += model_details(result, row);
  html += "<h2>Protocol</h2>\n";
  if (!context.protocol.empty()) html += "<p>" + html_escape(context.protocol) + "</p>\n";
  html += "<p>" + std::to_string(result.folds) + " folds, " + number(result.mean_train_rows) + " training and " +
          number(result.mean_test_rows) + " test rows per fold on average" +
          (result.holdout ? "; then one fit on all training rows, scored on the test rows" : "") + ". Run time " +
          number(result.seconds) + " s.</p>\n";
  html += "<h2>Versions</h2>\n<p>" + html_escape(context.version) + "</p>\n";
  html += "<h2>Command line</h2>\n<pre>" + html_escape(context.command_line) + "</pre>\n</body>\n</html>\n";
  qml::write_file_atomically(path, html);
}

std::string html_escape(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': escaped += "&amp;"; break;
      case '<': escaped += "&lt;"; break;
      case '>': escaped += "&gt;"; break;
      case '"': escaped += "&quot;"; break;
      case '\'': escaped += "&#39;"; break;
      default: escaped += c;
    }
  }
  return escaped;
}

std::string base64_encode(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
    std::uint32_t group = 0;
    for (std::size_t k = 0; k < 3; ++k)
      group = (group << 8) | (k < n ? static_cast<unsigned char>(bytes[i + k]) : 0u);
    for (std::size_t k = 0; k < 4; ++k) out += k <= n ? kAlphabet[(group >> (18 - 6 * k)) & 0x3f] : '=';
  }
  return out;
}

}  // namespace qmlsim::cli

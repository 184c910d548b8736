#include "cli/compare_output.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <ostream>

namespace qmlsim::cli {
namespace {

using qml::CompareRow;
using Getter = std::function<Cell(const CompareRow&)>;

struct Column {
  std::string name;
  Getter get;
};


bool any_finite(const qml::CompareResult& result, const std::function<double(const CompareRow&)>& value) {
  for (const CompareRow& r : result.rows)
    if (std::isfinite(value(r))) return true;
  return false;
}

// "0.967 +- 0.021" (ASCII: the text table measures widths in bytes).
std::string mean_std_text(const qml::MeanStd& s) {
  if (!std::isfinite(s.mean)) return "-";
  return format_short(std::round(s.mean * 1000) / 1000) + " +- " + format_short(std::round(s.std * 1000) / 1000);
}

// Three significant digits for the text table; NaN as "-".
Cell rounded(double value) {
  if (!std::isfinite(value)) return std::string("-");
  const double digits = value == 0 ? 0 : std::floor(std::log10(std::fabs(value)));
  const double scale = std::pow(10.0, 2 - digits);
  return std::round(value * scale) / scale;
}

// A metric: one rounded mean column in the text table, mean and std columns otherwise.
void add_metric(std::vector<Column>& columns, const std::string& name, qml::MeanStd CompareRow::*metric, bool text,
                bool plus_minus = false) {
  if (text && plus_minus) {
    columns.push_back({name, [metric](const CompareRow& r) { return Cell(mean_std_text(r.*metric)); }});
  } else if (text) {
    columns.push_back({name, [metric](const CompareRow& r) { return rounded((r.*metric).mean); }});
  } else {
    columns.push_back({name + "_mean", [metric](const CompareRow& r) { return Cell((r.*metric).mean); }});
    columns.push_back({name + "_std", [metric](const CompareRow& r) { return Cell((r.*metric).std); }});
  }
}

std::vector<Column> columns_of(const qml::CompareResult& result, Format format) {
  const bool text = format == Format::Table;
  const bool sweep = !result.sweep_features.empty();
  bool searched = false;
  for (const CompareRow& r : result.rows)
    for (const qml::FoldScore& f : r.folds) searched = searched || !f.chosen.empty();

  std::vector<Column> c;
  c.push_back({"model", [](const CompareRow& r) { return Cell(r.model); }});
  c.push_back({"kind", [](const CompareRow& r) { return Cell(std::string(qml::model_kind_name(r.kind))); }});
  if (sweep) c.push_back({"features", [](const CompareRow& r) { return Cell(std::int64_t{r.features}); }});
  if (result.task == qml::Task::Regression) {
    add_metric(c, "r2", &CompareRow::r2, text, true);
    add_metric(c, "mse", &CompareRow::mse, text);
    add_metric(c, "mae", &CompareRow::mae, text);
  } else {
    add_metric(c, "accuracy", &CompareRow::accuracy, text, true);
    add_metric(c, "balanced_accuracy", &CompareRow::balanced_accuracy, text);
    add_metric(c, "f1_macro", &CompareRow::f1_macro, text);
    if (any_finite(result, [](const CompareRow& r) { return r.roc_auc.mean; }))
      add_metric(c, "roc_auc", &CompareRow::roc_auc, text);
    if (any_finite(result, [](const CompareRow& r) { return r.log_loss.mean; }))
      add_metric(c, "log_loss", &CompareRow::log_loss, text);
  }
  c.push_back({text ? "fit_s" : "fit_seconds", [text](const CompareRow& r) { return text ? rounded(r.fit_seconds) : Cell(r.fit_seconds); }});
  c.push_back({text ? "predict_s" : "predict_seconds",
               [text](const CompareRow& r) { return text ? rounded(r.predict_seconds) : Cell(r.predict_seconds); }});
  c.push_back({text ? "params" : "trainable_parameters",
               [](const CompareRow& r) { return Cell(std::uint64_t{r.trainable_parameters}); }});
  c.push_back({"qubits", [](const CompareRow& r) { return Cell(std::int64_t{r.qubits}); }});
  c.push_back({text ? "depth" : "circuit_depth", [](const CompareRow& r) { return Cell(std::int64_t{r.circuit_depth}); }});
  c.push_back({text ? "circuit_evals" : "circuit_evaluations",
               [](const CompareRow& r) { return Cell(std::uint64_t{r.circuit_evaluations}); }});
  c.push_back({text ? "p_vs_best" : "p_vs_best_classical", [text](const CompareRow& r) {
                 const double p = r.versus_best_classical ? r.versus_best_classical->p_value : qml::kNotMeasured;
                 return text ? rounded(p) : Cell(p);
               }});
  if (!text)
    c.push_back({"verdict", [](const CompareRow& r) {
                   return Cell(std::string(r.versus_best_classical ? qml::verdict(*r.versus_best_classical) : ""));
                 }});
  if (searched) c.push_back({"chosen", [](const CompareRow& r) { return Cell(chosen_text(r)); }});
  if (result.holdout) {
    const bool regression = result.task == qml::Task::Regression;
    c.push_back({regression ? "test_r2" : "test_accuracy", [text, regression](const CompareRow& r) {
                   const double v = regression ? r.test_r2 : r.test_accuracy;
                   return text ? rounded(v) : Cell(v);
                 }});
  }
  return c;
}

Table table_of(const std::vector<Column>& columns, const std::vector<CompareRow>& rows) {
  std::vector<std::string> names;
  for (const Column& c : columns) names.push_back(c.name);
  Table table(names);
  for (const CompareRow& r : rows) {
    std::vector<Cell> cells;
    for (const Column& c : columns) cells.push_back(c.get(r));
    table.add_row(std::move(cells));
  }
  return table;
}

}  // namespace

std::string chosen_text(const CompareRow& row) {
  // (key, value) -> folds, in first-seen order.
  std::vector<std::pair<std::pair<std::string, std::string>, int>> counts;
  for (const qml::FoldScore& f : row.folds)
    for (const auto& kv : f.chosen) {
      auto it = std::find_if(counts.begin(), counts.end(), [&](const auto& c) { return c.first == kv; });
      if (it == counts.end()) counts.push_back({kv, 1});
      else ++it->second;
    }
  std::string text;
  for (const auto& [kv, n] : counts)
    text += (text.empty() ? "" : ", ") + kv.first + "=" + kv.second + " (" + std::to_string(n) + "/" +
            std::to_string(row.folds.size()) + ")";
  return text;
}

Table compare_table(const qml::CompareResult& result, Format format) {
  return table_of(columns_of(result, format), result.rows);
}

Table diagnostics_table(const qml::CompareResult& result) {
  std::vector<Column> c{{"model", [](const CompareRow& r) { return Cell(r.model); }}};
  if (!result.sweep_features.empty()) c.push_back({"features", [](const CompareRow& r) { return Cell(std::int64_t{r.features}); }});
  c.push_back({"alignment", [](const CompareRow& r) { return Cell(r.diagnostics->alignment); }});
  c.push_back({"offdiag_mean", [](const CompareRow& r) { return Cell(r.diagnostics->off_diagonal_mean); }});
  c.push_back({"offdiag_variance", [](const CompareRow& r) { return Cell(r.diagnostics->off_diagonal_variance); }});
  c.push_back({"geometric_difference", [](const CompareRow& r) { return Cell(r.diagnostics->geometric_difference); }});
  std::vector<CompareRow> rows;
  for (const CompareRow& r : result.rows)
    if (r.diagnostics) rows.push_back(r);
  return table_of(c, rows);
}

Table importance_table(const qml::CompareResult& result) {
  const bool sweep = !result.sweep_features.empty();
  std::vector<std::string> names{"model"};
  if (sweep) names.push_back("features");
  for (const char* n : {"feature", "importance_mean", "importance_std"}) names.emplace_back(n);
  Table table(names);
  for (const CompareRow& r : result.rows)
    for (const qml::FeatureImportance& f : r.importance) {
      std::vector<Cell> cells{r.model};
      if (sweep) cells.emplace_back(std::int64_t{r.features});
      cells.insert(cells.end(), {f.feature, f.mean, f.std});
      table.add_row(std::move(cells));
    }
  return table;
}

Json compare_json(const qml::CompareResult& result, const Json& protocol) {
  Json rows = to_json(compare_table(result, Format::Json));
  for (std::size_t i = 0; i < result.rows.size(); ++i) {
    const CompareRow& r = result.rows[i];
    Json& row = rows[i];
    row["type"] = r.type;
    row["description"] = r.description;
    row["features"] = r.features;
    if (r.versus_best_classical) {
      const qml::TTestResult& t = *r.versus_best_classical;
      row["versus_best_classical"] = Json{{"mean_difference", to_json(Cell(t.mean_difference))},
                                          {"t", to_json(Cell(t.t))},
                                          {"degrees_of_freedom", t.degrees_of_freedom},
                                          {"p_value", to_json(Cell(t.p_value))}};
    }
    Json chosen = Json::array();
    for (const qml::FoldScore& f : r.folds) {
      if (f.chosen.empty()) continue;
      Json fold = Json::object();
      for (const auto& [k, v] : f.chosen) fold[k] = v;
      chosen.push_back(std::move(fold));
    }
    if (!chosen.empty()) row["chosen_per_fold"] = std::move(chosen);
    if (r.diagnostics)
      row["kernel_diagnostics"] = Json{{"alignment", to_json(Cell(r.diagnostics->alignment))},
                                       {"off_diagonal_mean", to_json(Cell(r.diagnostics->off_diagonal_mean))},
                                       {"off_diagonal_variance", to_json(Cell(r.diagnostics->off_diagonal_variance))},
                                       {"geometric_difference", to_json(Cell(r.diagnostics->geometric_difference))}};
    if (!r.importance.empty()) {
      Json importance = Json::array();
      for (const qml::FeatureImportance& f : r.importance)
        importance.push_back(Json{{"feature", f.feature}, {"mean", to_json(Cell(f.mean))}, {"std", to_json(Cell(f.std))}});
      row["importance"] = std::move(importance);
    }
  }
  return Json{{"rows", std::move(rows)}, {"summary", result.summary}, {"protocol", protocol}};
}

void write_compare_result(std::ostream& out, const qml::CompareResult& result, Format format, const Json& protocol) {
  if (format == Format::Json) {
    write_json(out, compare_json(result, protocol));
    return;
  }
  write_table(out, compare_table(result, format), format);
  if (format == Format::Csv) return;
  out << '\n' << result.summary << '\n';
  if (const Table d = diagnostics_table(result); !d.rows().empty()) {
    out << "\nKernel diagnostics (training rows, mean over folds):\n";
    write_text(out, d);
  }
  if (const Table i = importance_table(result); !i.rows().empty()) {
    out << "\nPermutation importance (" << (result.task == qml::Task::Regression ? "R^2" : "accuracy")
        << " drop on held-out rows, mean over folds):\n";
    write_text(out, i);
  }
}

}  // namespace qmlsim::cli

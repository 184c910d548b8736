#include "cli/explain_command.hpp"

#include <algorithm>
#include <ostream>

#include "cli/data_source.hpp"
#include "cli/model_loader.hpp"
#include "cli/options.hpp"
#include "cli/output.hpp"
#include "cli/plot.hpp"
#include "qml/data/csv.hpp"
#include "qml/eval/importance.hpp"
#include "qml/eval/metrics.hpp"

namespace qmlsim::cli {
namespace {

constexpr const char* kUsage = "qmlsim explain --model model.json --data FILE.csv [--repeats N] [--plot FILE.png] [options]";

constexpr const char* kHelp =
    "Explains a model saved by `qmlsim train --save` (a kernel machine or a variational model) by\n"
    "permutation importance (Breiman 2001; scikit-learn's permutation_importance): every feature\n"
    "column of the labelled rows of FILE.csv is shuffled --repeats times, and the importance of the\n"
    "feature is the mean drop of the score from the unshuffled rows' (the baseline): accuracy for\n"
    "classifiers, R^2 for regression models. A feature the model ignores scores about 0; a\n"
    "negative importance means shuffling it helped by chance. Use rows the model was not trained on\n"
    "(a --test file) to see what generalises rather than what was memorised.\n"
    "\n"
    "The file is read as `qmlsim predict` reads it: the model's feature columns in the training\n"
    "order, and a label column (by default the training file's label column, or 'label', or the last\n"
    "column when the file has one column more than the model's features), whose labels must be\n"
    "classes the model knows. Labels are required. The shuffles come from --seed only, so the result\n"
    "does not depend on --threads. Cost: 1 + features x repeats predictions of all rows.\n"
    "\n"
    "Output, one row per feature, most important first: feature, importance (mean drop), std (over\n"
    "the repeats); the text table ends with the baseline score. JSON: {\"model\", \"metric\",\n"
    "\"baseline\", \"repeats\", \"seed\", \"features\": [{\"feature\", \"importance\", \"std\"}, ...]}.\n"
    "--plot draws the importances as horizontal bars with +-1 std error bars (needs gnuplot).\n"
    "\n"
    "Example: qmlsim explain --model m.json --data test.csv --repeats 10 --plot importance.png";

struct ExplainText {
  bool help = false, no_header = false;
  std::string model, data, label, repeats = "5", seed = "1", threads = "0", max_memory, format = "table", plot;
};

po::options_description describe(ExplainText& t) {
  po::options_description desc("Options");
  desc.add_options()
      ("model", po::value(&t.model)->value_name("FILE.json"), "a model file written by train --save")
      ("data", po::value(&t.data)->value_name("FILE.csv"), "labelled rows to score the model on")
      ("label", po::value(&t.label)->value_name("COLUMN"), "the label column (see above)")
      ("no-header", po::bool_switch(&t.no_header), "the file has no header row (the label is the last column)")
      ("repeats", po::value(&t.repeats)->default_value(t.repeats)->value_name("N"), "shuffles per feature (1 to 10000)")
      ("plot", po::value(&t.plot)->value_name("FILE.png"), "also draw the importances as a PNG (needs gnuplot)");
  add_seed_option(desc, t.seed);
  add_threads_option(desc, t.threads, "T", "threads (0: all cores this process may use)");
  add_max_memory_option(desc, t.max_memory);
  add_format_option(desc, t.format);
  add_help_option(desc, t.help);
  return desc;
}

}  // namespace

void explain_command(const std::vector<std::string>& args, std::ostream& out) {
  ExplainText t;
  const po::options_description desc = describe(t);
  (void)parse_command_line(args, desc);
  if (t.help) {
    print_command_help(out, kUsage, kHelp, desc);
    return;
  }
  if (t.model.empty()) throw UsageError("give the model: --model FILE.json");
  if (t.data.empty()) throw UsageError("give the labelled rows: --data FILE.csv");
  const int repeats = static_cast<int>(parse_integer(t.repeats, "--repeats", 1, 10000));
  const std::uint64_t seed = parse_seed(t.seed);
  const Format format = parse_format(t.format);
  check_output_directory(t.plot, "--plot");
  SimulatorOptions simulator;
  simulator.parallel = parse_threads(t.threads);
  simulator.memory = parse_max_memory(t.max_memory);

  const Predictor model = load_predictor(t.model, simulator);
  if (model.one_class)
    throw UsageError("explain needs a classifier or a regression model; " + model.type +
                     " (one-class) has no labels to score against");
  const bool regression = model.task == qml::Task::Regression;
  const qml::CsvData data = read_rows_for(model, t.data, t.label, t.no_header);
  if (!data.has_labels)
    throw DatasetError(t.data + ": explain needs labels, and the file has no label column (name it with --label " +
                       "COLUMN; the model has " + std::to_string(model.feature_names.size()) + " features)");

  const qml::Dataset& rows = data.data;
  const qml::ScoreFunction score = [&](const qml::FeatureMatrix& x) {
    return regression ? qml::r2_score(rows.targets(), model.predict_values(x)) : qml::accuracy(rows.y(), model.predict(x));
  };
  const double baseline = score(rows.x());
  std::vector<qml::FeatureImportance> importance = qml::permutation_importance(rows, score, repeats, seed);
  std::stable_sort(importance.begin(), importance.end(),
                   [](const qml::FeatureImportance& a, const qml::FeatureImportance& b) { return a.mean > b.mean; });

  const char* const metric = regression ? "r2" : "accuracy";
  Table table({"feature", "importance", "std"});
  Json features = Json::array();
  for (const qml::FeatureImportance& f : importance) {
    table.add_row({f.feature, f.mean, f.std});
    features.push_back({{"feature", f.feature}, {"importance", f.mean}, {"std", f.std}});
  }
  switch (format) {
    case Format::Json: {
      Json json;
      json["model"] = model.type;
      json["metric"] = metric;
      json["baseline"] = baseline;
      json["repeats"] = repeats;
      json["seed"] = seed;
      json["features"] = std::move(features);
      write_json(out, json);
      break;
    }
    case Format::Csv: write_csv(out, table); break;
    case Format::Table:
      write_text(out, table);
      out << '\n';
      write_text(out, Record{{std::string("baseline ") + metric, baseline}, {"repeats", std::int64_t{repeats}}});
      break;
  }
  if (t.plot.empty()) return;
  ErrorBarPlot plot;
  plot.title = "qmlsim explain: " + model.type + " on " + t.data + " (baseline " + metric + " " +
               format_short(baseline) + ", " + std::to_string(repeats) + " repeats)";
  plot.value_label = std::string("drop in ") + metric + " when the feature is shuffled";
  plot.horizontal = true;
  for (const qml::FeatureImportance& f : importance) plot.bars.push_back({f.feature, f.mean, f.std, 0});
  try {
    write_error_bar_plot(plot, t.plot);
  } catch (const PlotError& e) {
    throw ResultWrittenError(e.what());  // the table is complete: print it, then fail
  }
}

}  // namespace qmlsim::cli

#include "cli/predict_command.hpp"

#include <ostream>

#include "cli/data_source.hpp"
#include "cli/model_loader.hpp"
#include "cli/options.hpp"
#include "cli/output.hpp"
#include "qml/data/csv.hpp"
#include "qml/eval/metrics.hpp"

namespace qmlsim::cli {
namespace {

constexpr const char* kUsage = "qmlsim predict --model model.json --data FILE.csv [--proba] [options]";

constexpr const char* kHelp =
    "Predicts every row of a CSV file with a model saved by `qmlsim train --save`: a kernel machine\n"
    "or a variational model. The model file holds everything needed: the fitted preprocessing\n"
    "(applied unchanged), the circuits (an OpenQASM file's text included), the kernel's fitted\n"
    "parameters and support vectors or the trained weights, so the predictions equal the ones\n"
    "`train` computed in its own process, bit for bit.\n"
    "\n"
    "The file has the model's feature columns, in the training order, and optionally a label column\n"
    "(by default the training file's label column, or 'label', or the last column when the file has\n"
    "one column more than the model's features). With labels, the accuracy is printed too (R^2 and\n"
    "MSE for regression models); labels must be classes the model knows.\n"
    "\n"
    "Output, one row per sample: sample (0-based row), prediction (the class name, or the value),\n"
    "label (when the file has labels) and, with --proba, p_<class> for every class (a kernel machine\n"
    "must have been trained with --probability; variational classifiers give their readout's\n"
    "distribution). JSON: {\"predictions\": [...], \"accuracy\": a} (with --proba also \"classes\"\n"
    "and \"probabilities\": one list per sample; regression: \"r2\", \"mse\").\n"
    "The text table ends with the accuracy line; CSV has the rows only.\n"
    "\n"
    "Example: qmlsim predict --model m.json --data test.csv --proba";

struct PredictText {
  bool help = false, proba = false, no_header = false;
  std::string model, data, label, threads = "0", max_memory, format = "table";
};

po::options_description describe(PredictText& t) {
  po::options_description desc("Options");
  desc.add_options()
      ("model", po::value(&t.model)->value_name("FILE.json"), "a model file written by train --save")
      ("data", po::value(&t.data)->value_name("FILE.csv"), "the rows to predict")
      ("label", po::value(&t.label)->value_name("COLUMN"), "the label column, if the file has one (see above)")
      ("no-header", po::bool_switch(&t.no_header), "the file has no header row (a label, if any, is the last column)")
      ("proba", po::bool_switch(&t.proba), "also print class probabilities (kernel machines trained with --probability, variational classifiers)");
  add_threads_option(desc, t.threads, "T", "threads (0: all cores this process may use)");
  add_max_memory_option(desc, t.max_memory);
  add_format_option(desc, t.format);
  add_help_option(desc, t.help);
  return desc;
}

}  // namespace

void predict_command(const std::vector<std::string>& args, std::ostream& out) {
  PredictText t;
  const po::options_description desc = describe(t);
  (void)parse_command_line(args, desc);
  if (t.help) {
    print_command_help(out, kUsage, kHelp, desc);
    return;
  }
  if (t.model.empty()) throw UsageError("give the model: --model FILE.json");
  if (t.data.empty()) throw UsageError("give the rows to predict: --data FILE.csv");
  const Format format = parse_format(t.format);
  SimulatorOptions simulator;
  simulator.parallel = parse_threads(t.threads);
  simulator.memory = parse_max_memory(t.max_memory);
  const Predictor model = load_predictor(t.model, simulator);
  const bool regression = model.task == qml::Task::Regression;
  const bool one_class = model.one_class;
  if (t.proba && (regression || one_class || model.type == "qsvc-trained"))
    throw UsageError("--proba applies to classifiers with probabilities; " + model.type + " has none");

  const qml::CsvData data = read_rows_for(model, t.data, t.label, t.no_header);
  const qml::FeatureMatrix& x = data.data.x();

  std::vector<std::string> columns{"sample", "prediction"};
  if (data.has_labels) columns.emplace_back("label");
  Table table(columns);
  Json json;
  std::optional<double> score;
  if (regression) {
    const std::vector<double> predicted = model.predict_values(x);
    for (std::size_t i = 0; i < predicted.size(); ++i) {
      std::vector<Cell> row{std::int64_t(i), predicted[i]};
      if (data.has_labels) row.emplace_back(data.data.targets()[i]);
      table.add_row(std::move(row));
    }
    json["predictions"] = predicted;
    if (data.has_labels) {
      json["r2"] = qml::r2_score(data.data.targets(), predicted);
      json["mse"] = qml::mean_squared_error(data.data.targets(), predicted);
    }
  } else {
    const qml::Labels predicted = model.predict(x);
    const std::vector<std::string>& names = model.class_names;
    Eigen::MatrixXd proba;
    if (t.proba) {
      proba = model.predict_proba(x);
      std::vector<std::string> with_p = columns;
      for (const std::string& c : names) with_p.push_back("p_" + c);
      table = Table(with_p);
    }
    std::vector<std::string> predicted_names;
    for (std::size_t i = 0; i < predicted.size(); ++i) {
      predicted_names.push_back(names[static_cast<std::size_t>(predicted[i])]);
      std::vector<Cell> row{std::int64_t(i), predicted_names.back()};
      if (data.has_labels) row.emplace_back(data.data.class_names()[static_cast<std::size_t>(data.data.y()[i])]);
      for (Eigen::Index c = 0; c < proba.cols(); ++c) row.emplace_back(proba(static_cast<Eigen::Index>(i), c));
      table.add_row(std::move(row));
    }
    json["predictions"] = predicted_names;
    if (data.has_labels && !one_class) {
      score = qml::accuracy(data.data.y(), predicted);
      json["accuracy"] = *score;
    }
    if (t.proba) {
      json["classes"] = names;
      Json rows = Json::array();
      for (Eigen::Index i = 0; i < proba.rows(); ++i) {
        Json row = Json::array();
        for (Eigen::Index c = 0; c < proba.cols(); ++c) row.push_back(proba(i, c));
        rows.push_back(std::move(row));
      }
      json["probabilities"] = std::move(rows);
    }
  }
  switch (format) {
    case Format::Json: write_json(out, json); return;
    case Format::Csv: write_csv(out, table); return;
    case Format::Table: {
      write_text(out, table);
      Record summary;
      if (score) summary.emplace_back("accuracy", *score);
      if (json.contains("r2")) {
        summary.emplace_back("r2", json["r2"].get<double>());
        summary.emplace_back("mse", json["mse"].get<double>());
      }
      if (!summary.empty()) {
        out << '\n';
        write_text(out, summary);
      }
      return;
    }
  }
}

}  // namespace qmlsim::cli

#include "cli/data_source.hpp"


#include "qml/data/builtin.hpp"
#include "qml/data/csv.hpp"
#include "qml/data/split.hpp"
#include "qml/encoding/component_spec.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim::cli {

namespace {

bool is_csv_path(const std::string& name) {
  return name.find('/') != std::string::npos || name.ends_with(".csv") || name.ends_with(".CSV") ||
         name.ends_with(".txt");
}

std::string summary(const qml::Dataset& d) {
  std::string text = plural(static_cast<long long>(d.size()), "sample") + ", " +
                     plural(d.num_features(), "feature");
  if (d.task() == qml::Task::Classification) text += ", " + plural(d.num_classes(), "class");
  return text;
}

qml::CsvData read(const std::string& path, const DataOptionText& text, qml::Task task,
                  std::vector<std::string> class_names, bool require_two) {
  qml::CsvOptions options;
  if (!text.label.empty()) options.label_column = text.label;
  options.no_header = text.no_header;
  options.task = task;
  options.require_two_classes = require_two;
  options.class_names = std::move(class_names);
  return qml::read_csv(path, options);
}

}  // namespace

void check_feature_names(const qml::Dataset& data, const std::vector<std::string>& expected, const std::string& file,
                         bool has_header) {
  if (!has_header) return;
  const std::vector<std::string>& names = data.feature_names();
  for (std::size_t j = 0; j < std::min(names.size(), expected.size()); ++j)
    if (names[j] != expected[j])
      throw DatasetError(file + ": feature column " + std::to_string(j + 1) + " is '" + names[j] +
                         "', but the training rows have '" + expected[j] +
                         "' there (give the training columns, in the same order)");
}

std::string dataset_names() {
  std::string names;
  for (const std::string& n : qml::builtin_dataset_names()) names += (names.empty() ? "" : ", ") + n;
  return names;
}

void add_data_options(po::options_description& desc, DataOptionText& t) {
  desc.add_options()
      ("dataset", po::value(&t.dataset)->value_name("NAME|FILE.csv"),
       ("a built-in data set or generator (" + dataset_names() +
        "; generator options as NAME:key=value,..., e.g. moons:samples=300,noise=0.2), or a CSV file")
           .c_str())
      ("train", po::value(&t.train)->value_name("FILE.csv"), "training rows from a CSV file (used as given)")
      ("test", po::value(&t.test)->value_name("FILE.csv"), "test rows from a CSV file (needs --train)")
      ("label", po::value(&t.label)->value_name("COLUMN"),
       "the label column of CSV files (default: a column named 'label', else the last one)")
      ("no-header", po::bool_switch(&t.no_header), "CSV files have no header row (the label is the last column)")
      ("test-size", po::value(&t.test_size)->value_name("F"),
       "hold out a stratified fraction F in (0, 1) of --dataset (or of a lone --train file) as test rows, "
       "drawn from --seed");
}

LoadedData load_data(const DataOptionText& t, qml::Task task, std::uint64_t seed, bool single_class_ok) {
  if (t.dataset.empty() == t.train.empty())
    throw UsageError(t.dataset.empty() ? "give the data: --dataset NAME|FILE.csv or --train FILE.csv"
                                       : "--dataset and --train exclude each other");
  if (!t.test.empty() && t.train.empty()) throw UsageError("--test needs --train (a --dataset is split with --test-size)");
  if (!t.test.empty() && !t.test_size.empty()) throw UsageError("--test and --test-size exclude each other");
  std::optional<double> test_size;
  if (!t.test_size.empty()) test_size = parse_fraction(t.test_size, "--test-size");

  LoadedData out;
  if (!t.train.empty()) {
    const qml::CsvData train = read(t.train, t, task, {}, !single_class_ok);
    out.train = train.data;
    out.name = t.train;
    out.label_column = train.label_name;
    if (!t.test.empty())
      out.test = read(t.test, t, task, single_class_ok ? std::vector<std::string>{} : out.train.class_names(), false).data;
  } else if (is_csv_path(t.dataset) && !qml::is_builtin_dataset(t.dataset)) {
    const qml::CsvData data = read(t.dataset, t, task, {}, !single_class_ok);
    out.train = data.data;
    out.name = t.dataset;
    out.label_column = data.label_name;
  } else {
    if (!t.label.empty() || t.no_header) throw UsageError("--label and --no-header apply to CSV files, not to --dataset " + t.dataset);
    if (task == qml::Task::Regression)
      throw UsageError("the built-in data sets are for classification; give a CSV file with numeric targets");
    const qml::ComponentSpec spec = qml::parse_component_spec(t.dataset, "--dataset");
    qml::DatasetRequest request{spec.type, {}, seed};
    for (const auto& [k, v] : spec.options) request.options[k] = v;
    qml::NamedDataset named = qml::load_builtin(request);
    out.train = std::move(named.data);
    out.test = std::move(named.test);
    out.name = spec.type;
    out.description = named.description;
    if (spec.type == "ad_hoc") out.natural_preprocess = "none";
    if (out.test && test_size)
      throw UsageError("--dataset " + spec.type + " defines its own test rows (test_size); --test-size does not apply");
  }
  if (test_size) {
    qml::Split split = qml::train_test_split(out.train, *test_size, seed);
    out.train = std::move(split.train);
    out.test = std::move(split.test);
  }
  if (!t.test.empty()) check_feature_names(*out.test, out.train.feature_names(), t.test, !t.no_header);
  if (out.test && out.test->num_features() != out.train.num_features())
    throw DatasetError(t.test + ": " + plural(out.test->num_features(), "feature") + " but the training rows have " +
                       std::to_string(out.train.num_features()));
  std::string line = out.description.empty() ? out.name : out.description;
  line += ": train " + summary(out.train);
  if (out.test) line += "; test " + plural(static_cast<long long>(out.test->size()), "sample");
  if (test_size) line += " (stratified split, test size " + format_number(*test_size) + ")";
  out.description = line;
  return out;
}

}  // namespace qmlsim::cli

#pragma once
/// The data options shared by `kernel`, `train` (and later `compare`): where the rows come from
/// (a built-in data set or generator, a CSV file, or a --train/--test pair), how a CSV is read
/// (--label, --no-header) and how a single set is split (--test-size, from --seed).
#include <cstdint>
#include <optional>
#include <string>

#include "cli/options.hpp"
#include "qml/data/dataset.hpp"

namespace qmlsim::cli {

struct DataOptionText {
  std::string dataset, train, test, label, test_size;
  bool no_header = false;
};

/// Declares --dataset, --train, --test, --label, --no-header and --test-size on `desc`.
void add_data_options(po::options_description& desc, DataOptionText& text);

/// The rows a command works on.
struct LoadedData {
  qml::Dataset train;
  std::optional<qml::Dataset> test;
  std::string name;          ///< "iris", "moons", "data/train.csv"
  std::string description;   ///< one line: source, samples, features, classes, split
  std::string label_column;  ///< the CSV's label column ("" for built-in data)
  /// Preprocessing the data asks for when --preprocess is not given: "none" for ad_hoc, whose
  /// features are already the angles of Qiskit ML's construction (its tutorial feeds them raw);
  /// unset for everything else (the model's default applies).
  std::optional<std::string> natural_preprocess;
};

/// Loads the data the options ask for, as class labels or regression targets (`task`).
/// Exactly one of --dataset and --train; --test needs --train; --test-size (in (0, 1)) splits
/// --dataset or a lone --train file, stratified, from `seed`; a generator with its own split
/// (ad_hoc) keeps it. The test file's labels are read against the training classes.
/// Throws UsageError for a bad combination or value, qmlsim::Error from the readers.
/// `single_class_ok` accepts training files with one class (one-class models ignore labels).
[[nodiscard]] LoadedData load_data(const DataOptionText& text, qml::Task task, std::uint64_t seed,
                                   bool single_class_ok = false);

/// Throws DatasetError unless `data`'s feature columns are `expected`, in order (files with a
/// header must have the training columns, as scikit-learn checks; files without one are taken
/// by position): "test.csv: column 2 is 'b', but the training rows have 'a' there".
void check_feature_names(const qml::Dataset& data, const std::vector<std::string>& expected, const std::string& file,
                         bool has_header);

/// The data set names of --help: "iris, wine, breast_cancer, moons, circles, xor, blobs, ad_hoc".
[[nodiscard]] std::string dataset_names();

}  // namespace qmlsim::cli

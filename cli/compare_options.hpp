#pragma once
/// The options of `qmlsim compare` and their conversion into qml::CompareOptions: the model list
/// (--models), the JSON configuration (--config), folds, search, preprocessing, sweep, threads.
///
/// --models is a comma-separated list of entries NAME[:key=value,...]: an item whose first '='
/// comes before any ':' (or that has no ':' at all but an '=') continues the previous entry's
/// parameters, any other item starts a new entry: "qsvc:C=10,reps=2,svm-rbf,logreg:C=0.1" is
/// qsvc {C=10, reps=2}, svm-rbf, logreg {C=0.1}. A parameter value cannot itself hold a comma
/// (feature_map=zz:reps=2 works, feature_map=zz:reps=2,entanglement=linear does not): --config
/// takes anything. An entry without parameters is named by its type, one with parameters by its
/// text ("qsvc:C=10"); names must be unique.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cli/data_source.hpp"
#include "cli/options.hpp"
#include "qml/eval/compare.hpp"

namespace qmlsim::cli {

/// The options as typed (Boost binds these).
struct CompareText {
  bool help = false, importance = false;
  DataOptionText data;
  std::string models, config, folds = "5", search = "none", preprocess, seed = "1", threads = "0", max_memory, plot,
              report, sweep, format = "table";
};

/// Declares every option of `qmlsim compare` on a description bound to `text`.
[[nodiscard]] po::options_description describe_compare(CompareText& text);

/// --models parsed as above. Throws UsageError for an empty entry, a parameter before the first
/// model, an unknown model "--models: unknown model 'svm' (valid: qsvc, ...)", an unknown
/// parameter key (model_parameter_keys) or a name given twice.
[[nodiscard]] std::vector<qml::ModelConfig> parse_model_list(const std::string& text);

/// What a --config file holds; unset members were not in the file.
struct CompareConfig {
  std::vector<qml::ModelConfig> models;
  std::map<std::string, std::vector<qml::GridAxis>> grids;  ///< by model name
  std::optional<int> folds, inner_folds, importance_repeats;
  std::optional<bool> search, importance;
  std::optional<std::uint64_t> seed;
  std::optional<std::string> preprocess;
  std::optional<std::vector<int>> sweep_features;
};

/// Reads a --config file:
///   {"models": [{"name": "deep", "type": "qsvc", "params": {"C": 10, "feature_map": "zz:reps=2"},
///                "grid": {"C": [0.1, 1, 10]}}, ...],
///    "folds": 5, "inner_folds": 3, "search": "grid" | "none", "seed": 1, "preprocess": "standard",
///    "importance": true, "importance_repeats": 5, "sweep_features": "2:8:2" | [2, 4]}
/// Parameter and grid values may be strings, numbers or booleans (numbers in their shortest
/// round-trip text). Every key is optional but "models/i/type"; unknown keys are refused. Throws
/// ParseError (file:line:column) for malformed JSON and DatasetError "FILE: /models/0/params/c:
/// ..." naming the JSON pointer for anything else (unknown model, key, parameter, bad value).
[[nodiscard]] CompareConfig read_compare_config(const std::string& path);

/// Everything the command runs with.
struct CompareRequest {
  qml::CompareOptions options;  ///< models, folds, search, grids, context, importance, sweep
  qml::Task task = qml::Task::Classification;
  Format format = Format::Table;
  std::uint64_t seed = 1;
  std::string plot, report;
};

/// Converts the options (and the --config file, whose values an explicitly given option
/// overrides; --models and a config's "models" exclude each other). Without models: the embedded
/// default (qml::default_compare_models()). The task is the models' (UsageError when they mix
/// classifiers and regressors). Every model is built once (make_estimator) so that a bad
/// parameter value fails here. Output directories are checked.
[[nodiscard]] CompareRequest compare_request(const CompareText& text, const po::variables_map& vm);

}  // namespace qmlsim::cli

#include "cli/compare_options.hpp"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "cli/output.hpp"
#include "cli/parameter_binding.hpp"
#include "qml/data/preprocess.hpp"

namespace qmlsim::cli {
namespace {

// Limits that catch typos; the protocol checks folds against the rows per class.
constexpr int kMaxFolds = 1000;
constexpr int kMaxRepeats = 1000;
constexpr int kMaxSweepFeatures = 64;

// The first '=' before any ':' (or an '=' without ':'): a key=value continuing the previous entry.
bool continues_entry(const std::string& item) {
  const auto eq = item.find('='), colon = item.find(':');
  return eq != std::string::npos && (colon == std::string::npos || eq < colon);
}

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> items;
  std::string::size_type begin = 0;
  while (true) {
    const auto end = text.find(',', begin);
    items.push_back(text.substr(begin, end == std::string::npos ? std::string::npos : end - begin));
    if (end == std::string::npos) return items;
    begin = end + 1;
  }
}

// Throws InvalidArgument naming the valid types or keys.
void check_model(const qml::ModelConfig& m) {
  if (!qml::is_compare_model(m.type))
    throw InvalidArgument("unknown model '" + m.type + "' (valid: " + qml::join_names(qml::compare_model_names()) + ")");
  const std::vector<std::string> keys = qml::model_parameter_keys(m.type);
  for (const auto& [key, value] : m.params)
    if (std::find(keys.begin(), keys.end(), key) == keys.end())
      throw InvalidArgument("model '" + m.name + "': unknown parameter '" + key + "' (valid: " +
                            (keys.empty() ? std::string("none") : qml::join_names(keys)) + ")");
}

void check_unique_names(const std::vector<qml::ModelConfig>& models, const std::string& where) {
  std::set<std::string> seen;
  for (const qml::ModelConfig& m : models)
    if (!seen.insert(m.name).second) throw UsageError(where + ": model '" + m.name + "' appears twice");
}

// ---- --config ----

class ConfigReader {
 public:
  explicit ConfigReader(std::string file) : file_(std::move(file)) {}
  [[noreturn]] void fail(const std::string& pointer, const std::string& message) const {
    throw DatasetError(file_ + ": " + (pointer.empty() ? "/" : pointer) + ": " + message);
  }
  static std::string child(const std::string& pointer, const std::string& key) {
    std::string escaped;
    for (char c : key) escaped += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
    return pointer + "/" + escaped;
  }
  // Refuses keys outside `valid`.
  void keys(const Json& object, const std::string& pointer, const std::vector<std::string>& valid) const {
    if (!object.is_object()) fail(pointer, "expected an object");
    for (const auto& [key, value] : object.items())
      if (std::find(valid.begin(), valid.end(), key) == valid.end())
        fail(child(pointer, key), "unknown key (valid: " + qml::join_names(valid) + ")");
  }
  std::string string(const Json& v, const std::string& pointer) const {
    if (!v.is_string()) fail(pointer, "expected a string");
    return v.get<std::string>();
  }
  // A hyperparameter value as text: strings as they are, numbers in their shortest form.
  std::string value_text(const Json& v, const std::string& pointer) const {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
    if (v.is_number_integer()) return v.dump();
    if (v.is_number()) return format_exact(v.get<double>());
    fail(pointer, "expected a string, number or boolean");
  }
  int integer(const Json& v, const std::string& pointer, int lo, int hi) const {
    if (!v.is_number_integer() || v.get<long long>() < lo || v.get<long long>() > hi)
      fail(pointer, "expected an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    return static_cast<int>(v.get<long long>());
  }
  bool boolean(const Json& v, const std::string& pointer) const {
    if (!v.is_boolean()) fail(pointer, "expected true or false");
    return v.get<bool>();
  }
  // Converts a library or option error at `pointer` into one naming the file and pointer.
  template <class F>
  auto at(const std::string& pointer, F&& f) const {
    try {
      return f();
    } catch (const InvalidArgument& e) {
      fail(pointer, e.what());
    } catch (const UsageError& e) {
      fail(pointer, e.what());
    }
  }

 private:
  std::string file_;
};

qml::ModelConfig read_model(const ConfigReader& r, const Json& m, const std::string& p, std::vector<qml::GridAxis>& grid) {
  r.keys(m, p, {"name", "type", "params", "grid"});
  if (!m.contains("type")) r.fail(ConfigReader::child(p, "type"), "missing");
  qml::ModelConfig config;
  config.type = r.string(m["type"], ConfigReader::child(p, "type"));
  config.name = m.contains("name") ? r.string(m["name"], ConfigReader::child(p, "name")) : config.type;
  if (config.name.empty()) r.fail(ConfigReader::child(p, "name"), "empty name");
  if (m.contains("params")) {
    const std::string pp = ConfigReader::child(p, "params");
    if (!m["params"].is_object()) r.fail(pp, "expected an object");
    for (const auto& [key, value] : m["params"].items())
      config.params.emplace_back(key, r.value_text(value, ConfigReader::child(pp, key)));
  }
  r.at(config.params.empty() ? ConfigReader::child(p, "type") : ConfigReader::child(p, "params"),
       [&] { check_model(config); });
  if (m.contains("grid")) {
    const std::string gp = ConfigReader::child(p, "grid");
    if (!m["grid"].is_object()) r.fail(gp, "expected an object");
    const std::vector<std::string> keys = qml::model_parameter_keys(config.type);
    for (const auto& [key, values] : m["grid"].items()) {
      const std::string kp = ConfigReader::child(gp, key);
      if (std::find(keys.begin(), keys.end(), key) == keys.end())
        r.fail(kp, "model '" + config.name + "' has no parameter '" + key + "' (valid: " + qml::join_names(keys) + ")");
      if (!values.is_array() || values.empty()) r.fail(kp, "expected a non-empty array of values");
      qml::GridAxis axis{key, {}};
      for (std::size_t i = 0; i < values.size(); ++i) axis.values.push_back(r.value_text(values[i], kp + "/" + std::to_string(i)));
      grid.push_back(std::move(axis));
    }
  }
  return config;
}

// Line and column (1-based) of byte `offset` in `text`.
std::pair<int, int> position(const std::string& text, std::size_t offset) {
  int line = 1, column = 1;
  for (std::size_t i = 0; i < std::min(offset, text.size()); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

}  // namespace

po::options_description describe_compare(CompareText& t) {
  po::options_description desc("Options");
  add_data_options(desc, t.data);
  desc.add_options()
      ("models", po::value(&t.models)->value_name("LIST"),
       ("comma-separated models NAME[:key=value,...] (" + qml::join_names(qml::compare_model_names()) +
        "); default: the embedded run's").c_str())
      ("config", po::value(&t.config)->value_name("FILE.json"), "models with full specifications and grids, and protocol settings (see above)")
      ("folds", po::value(&t.folds)->default_value(t.folds)->value_name("K"), "stratified cross-validation folds (>= 2)")
      ("search", po::value(&t.search)->default_value(t.search)->value_name("S"),
       "none, or grid: each model's grid scored by an inner 3-fold cross-validation on every outer training fold")
      ("preprocess", po::value(&t.preprocess)->value_name("LIST"),
       "preprocessing for every model, fitted per fold (default: each model's own, see above)")
      ("sweep-features", po::value(&t.sweep)->value_name("A:B:S"),
       "run everything at A, A+S, ..., B features (PCA fitted per fold): accuracy and cost as qubits grow")
      ("importance", po::bool_switch(&t.importance), "permutation feature importance of every model on held-out rows")
      ("plot", po::value(&t.plot)->value_name("FILE.png"), "accuracy per model (or against features with a sweep); for 2-feature data also\n"
       "FILE-regions.png, the decision regions of the best quantum and classical model; needs gnuplot")
      ("report", po::value(&t.report)->value_name("FILE.html"), "one self-contained HTML page: table, plots, protocol, versions");
  add_threads_option(desc, t.threads, "T", "threads for each model (models run one after another; 0: all cores)");
  add_max_memory_option(desc, t.max_memory);
  add_seed_option(desc, t.seed);
  add_format_option(desc, t.format);
  add_help_option(desc, t.help);
  return desc;
}

std::vector<qml::ModelConfig> parse_model_list(const std::string& text) {
  std::vector<std::string> entries;
  for (const std::string& item : split_commas(text)) {
    if (item.empty()) throw UsageError("invalid value '" + text + "' for --models: empty item");
    if (continues_entry(item)) {
      if (entries.empty()) throw UsageError("invalid value '" + text + "' for --models: parameter '" + item + "' before any model");
      entries.back() += (entries.back().find(':') == std::string::npos ? ":" : ",") + item;
    } else {
      entries.push_back(item);
    }
  }
  std::vector<qml::ModelConfig> models;
  for (const std::string& entry : entries) {
    try {
      const qml::ComponentSpec spec = qml::parse_component_spec(entry, "--models");
      qml::ModelConfig m{spec.options.empty() ? spec.type : entry, spec.type, spec.options};
      check_model(m);
      models.push_back(std::move(m));
    } catch (const InvalidArgument& e) {
      throw UsageError(std::string("--models: ") + e.what());
    }
  }
  check_unique_names(models, "--models");
  return models;
}

CompareConfig read_compare_config(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DatasetError(path + ": cannot read the file");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  Json root;
  try {
    root = Json::parse(text);
  } catch (const Json::parse_error& e) {
    // "parse error at line 3, column 7: ...": the position is ours, the rest is nlohmann's.
    std::string what = without_json_tag(e.what());
    if (const auto colon = what.find(": "); colon != std::string::npos) what = what.substr(colon + 2);
    const auto [line, column] = position(text, e.byte > 0 ? e.byte - 1 : 0);
    throw ParseError(path, line, column, "invalid JSON: " + what);
  } catch (const Json::exception& e) {  // a number out of range (1e400), ...
    throw DatasetError(path + ": invalid JSON: " + without_json_tag(e.what()));
  }
  const ConfigReader r(path);
  r.keys(root, "", {"models", "folds", "inner_folds", "search", "seed", "preprocess", "importance", "importance_repeats",
                    "sweep_features"});
  CompareConfig c;
  if (root.contains("models")) {
    const Json& models = root["models"];
    if (!models.is_array() || models.empty()) r.fail("/models", "expected a non-empty array of models");
    std::set<std::string> names;
    for (std::size_t i = 0; i < models.size(); ++i) {
      const std::string p = "/models/" + std::to_string(i);
      std::vector<qml::GridAxis> grid;
      qml::ModelConfig m = read_model(r, models[i], p, grid);
      if (!names.insert(m.name).second) r.fail(p + "/name", "model '" + m.name + "' appears twice (give each a \"name\")");
      if (!grid.empty()) c.grids[m.name] = std::move(grid);
      c.models.push_back(std::move(m));
    }
  }
  if (root.contains("folds")) c.folds = r.integer(root["folds"], "/folds", 2, kMaxFolds);
  if (root.contains("inner_folds")) c.inner_folds = r.integer(root["inner_folds"], "/inner_folds", 2, kMaxFolds);
  if (root.contains("importance_repeats"))
    c.importance_repeats = r.integer(root["importance_repeats"], "/importance_repeats", 1, kMaxRepeats);
  if (root.contains("importance")) c.importance = r.boolean(root["importance"], "/importance");
  if (root.contains("search")) {
    const std::string s = r.string(root["search"], "/search");
    if (s != "grid" && s != "none") r.fail("/search", "expected \"grid\" or \"none\", got \"" + s + "\"");
    c.search = s == "grid";
  }
  if (root.contains("seed")) {
    if (!root["seed"].is_number_unsigned()) r.fail("/seed", "expected a non-negative integer");
    c.seed = root["seed"].get<std::uint64_t>();
  }
  if (root.contains("preprocess")) {
    c.preprocess = r.string(root["preprocess"], "/preprocess");
    r.at("/preprocess", [&] { (void)qml::Pipeline::parse(*c.preprocess); });
  }
  if (root.contains("sweep_features")) {
    const Json& s = root["sweep_features"];
    if (s.is_string()) {
      c.sweep_features = r.at("/sweep_features", [&] {
        return parse_int_range(s.get<std::string>(), "sweep_features", 1, kMaxSweepFeatures);
      });
    } else {
      if (!s.is_array() || s.empty()) r.fail("/sweep_features", "expected \"A:B:S\" or a non-empty array of feature counts");
      c.sweep_features.emplace();
      for (std::size_t i = 0; i < s.size(); ++i)
        c.sweep_features->push_back(r.integer(s[i], "/sweep_features/" + std::to_string(i), 1, kMaxSweepFeatures));
    }
  }
  return c;
}

CompareRequest compare_request(const CompareText& t, const po::variables_map& vm) {
  const auto given = [&](const char* option) { return vm.count(option) && !vm[option].defaulted(); };
  CompareRequest request;
  request.format = parse_format(t.format);
  const CompareConfig config = t.config.empty() ? CompareConfig{} : read_compare_config(t.config);
  if (given("models") && !config.models.empty())
    throw UsageError("--models and the \"models\" of --config " + t.config + " exclude each other");

  qml::CompareOptions& o = request.options;
  o.models = given("models") ? parse_model_list(t.models)
             : !config.models.empty() ? config.models
                                      : qml::default_compare_models();
  o.grids = config.grids;
  o.folds = given("folds") || !config.folds ? static_cast<int>(parse_integer(t.folds, "--folds", 2, kMaxFolds)) : *config.folds;
  if (t.search != "none" && t.search != "grid")
    throw UsageError("invalid value '" + t.search + "' for --search: expected none or grid");
  o.search = given("search") || !config.search ? t.search == "grid" : *config.search;
  o.inner_folds = config.inner_folds.value_or(o.inner_folds);
  o.importance = t.importance || config.importance.value_or(false);
  o.importance_repeats = config.importance_repeats.value_or(o.importance_repeats);
  request.seed = given("seed") || !config.seed ? parse_seed(t.seed) : *config.seed;
  if (given("sweep-features")) {
    o.sweep_features = parse_int_range(t.sweep, "--sweep-features", 1, kMaxSweepFeatures);
  } else if (config.sweep_features) {
    o.sweep_features = *config.sweep_features;
  }

  qml::EstimatorContext& context = o.context;
  context.seed = request.seed;
  context.simulator.parallel = parse_threads(t.threads);
  context.simulator.memory = parse_max_memory(t.max_memory);
  if (given("preprocess")) {
    try {
      (void)qml::Pipeline::parse(t.preprocess);
    } catch (const InvalidArgument& e) {
      throw UsageError(std::string("--preprocess: ") + e.what());
    }
    context.preprocess = t.preprocess;
  } else if (config.preprocess) {
    context.preprocess = config.preprocess;
  }

  // One task for every model; each is built once so that a bad value fails before any data is read.
  std::vector<std::string> classifiers, regressors;
  for (const qml::ModelConfig& m : o.models) {
    (qml::model_task(m.type) == qml::Task::Regression ? regressors : classifiers).push_back(m.name);
    try {
      (void)qml::make_estimator(m, context);
    } catch (const InvalidArgument& e) {
      if (!given("models") && !t.config.empty()) throw DatasetError(t.config + ": " + e.what());
      throw UsageError(e.what());
    }
  }
  if (!classifiers.empty() && !regressors.empty())
    throw UsageError("the models mix classifiers (" + qml::join_names(classifiers) + ") and regressors (" +
                     qml::join_names(regressors) + "): compare one kind at a time");
  request.task = regressors.empty() ? qml::Task::Classification : qml::Task::Regression;

  check_output_directory(t.plot, "--plot");
  check_output_directory(t.report, "--report");
  request.plot = t.plot;
  request.report = t.report;
  return request;
}

}  // namespace qmlsim::cli

// Model files: the only qml file that includes nlohmann-json. ordered_json keeps the keys in the
// order written (the file reads top-down: what, then how it was fitted, then the numbers);
// nlohmann writes doubles in the shortest form that reads back to the same bits, so a loaded
// model predicts exactly what the saved one did.
#include "qml/io/model_file.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "qml/io/atomic_file.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim::qml {

namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kFormat = "qmlsim-model";
constexpr int kVersion = 1;

// ---------------------------------------------------------------------------------------------
// Writing

Json matrix_json(const Eigen::Ref<const Eigen::MatrixXd>& m) {
  Json rows = Json::array();
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    Json row = Json::array();
    for (Eigen::Index j = 0; j < m.cols(); ++j) row.push_back(m(i, j));
    rows.push_back(std::move(row));
  }
  return rows;
}

Json component_json(const ComponentSpec& c) {
  Json options = Json::array();
  for (const auto& [key, value] : c.options) options.push_back(Json::array({key, value}));
  return Json{{"type", c.type}, {"options", std::move(options)}};
}

Json spec_json(const KernelModelSpec& s) {
  Json j;
  j["type"] = s.type;
  j["feature_map"] = component_json(s.feature_map);
  j["kernel"] = component_json(s.kernel);
  j["preprocess"] = s.preprocess ? Json(*s.preprocess) : Json(nullptr);
  j["C"] = s.C;
  j["epsilon"] = s.epsilon;
  j["nu"] = s.nu;
  j["alpha"] = s.alpha;
  j["gamma"] = s.gamma ? Json(*s.gamma) : Json(nullptr);
  j["probability"] = s.probability;
  j["tolerance"] = s.tolerance;
  return j;
}

Json preprocess_json(const std::vector<FittedStep>& preprocess);

Json model_json(const KernelModel::State& s) {
  Json m;
  m["type"] = s.spec.type;
  m["spec"] = spec_json(s.spec);
  if (is_quantum_model(s.spec.type)) {
    m["feature_map"] = component_json(s.feature_map);
    m["kernel"] = component_json(s.kernel);
  } else {
    m["gamma"] = s.gamma;
  }
  m["preprocess"] = preprocess_json(s.preprocess);
  m["class_names"] = s.class_names;
  m["feature_names"] = s.feature_names;
  m["support_features"] = matrix_json(s.support_features);
  if (s.spec.type == "qkrr") {
    m["krr_coef"] = std::vector<double>(s.krr_coef.data(), s.krr_coef.data() + s.krr_coef.size());
  } else {
    m["dual_coef"] = matrix_json(s.svm.dual_coef);
    m["rho"] = s.svm.rho;
    m["n_support"] = s.svm.n_support;
    m["prob_a"] = s.svm.prob_a;
    m["prob_b"] = s.svm.prob_b;
  }
  return m;
}

Json preprocess_json(const std::vector<FittedStep>& preprocess) {
  Json steps = Json::array();
  for (const FittedStep& step : preprocess) {
    Json values = Json::object();
    for (const auto& [name, value] : step.values) values[name] = matrix_json(value);
    steps.push_back(Json{{"spec", step.spec}, {"values", std::move(values)}});
  }
  return steps;
}

Json qnn_spec_json(const QnnModelSpec& s) {
  Json j;
  j["type"] = s.type;
  j["feature_map"] = component_json(s.feature_map);
  j["ansatz"] = component_json(s.ansatz);
  j["layers"] = s.layers;
  j["qubits"] = s.qubits ? Json(*s.qubits) : Json(nullptr);
  j["readout"] = s.readout;
  j["temperature"] = s.temperature;
  j["loss"] = s.loss;
  j["observable"] = s.observable;
  j["l2"] = s.l2;
  j["optimizer"] = component_json(s.optimizer);
  j["maxiter"] = s.settings.maxiter;
  j["batch_size"] = s.settings.batch_size;
  j["time_limit"] = s.settings.time_limit;
  j["seed"] = s.settings.seed;
  j["validation"] = s.validation;
  j["patience"] = s.patience;
  j["initial_point"] = s.initial_point ? Json(*s.initial_point) : Json(nullptr);
  j["preprocess"] = s.preprocess ? Json(*s.preprocess) : Json(nullptr);
  j["C"] = s.C;
  j["input_prefix"] = s.input_prefix;
  return j;
}

Json qnn_model_json(const QnnModel::State& s) {
  Json m;
  m["type"] = s.spec.type;
  m["spec"] = qnn_spec_json(s.spec);
  m["preprocess"] = preprocess_json(s.preprocess);
  m["class_names"] = s.class_names;
  m["feature_names"] = s.feature_names;
  m["weights"] = s.weights;
  m["output_scale"] = s.output_scale;
  m["output_shift"] = s.output_shift;
  m["history"] = Json{{"iterations", s.iterations}, {"evaluations", s.evaluations}, {"final_loss", s.final_loss},
                      {"stop_reason", s.stop_reason}};
  if (s.svm) m["svm"] = model_json(*s.svm);
  return m;
}

// ---------------------------------------------------------------------------------------------
// Reading: every value is fetched through a Reader, which knows the file and the JSON pointer,
// so each defect is reported where it is.

std::string child(const std::string& pointer, const std::string& key) {
  std::string escaped;
  for (char c : key) escaped += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
  return pointer + "/" + escaped;
}
std::string child(const std::string& pointer, std::size_t index) { return pointer + "/" + std::to_string(index); }

// "a number", "a string", "an array", ...: what a value is, for messages.
std::string kind_of(const Json& v) {
  if (v.is_null()) return "null";
  if (v.is_number()) return "a number";
  const std::string name = v.type_name();  // "string", "boolean", "array", "object"
  return (name == "array" || name == "object" ? "an " : "a ") + name;
}

class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const std::string& pointer, const std::string& message) const {
    throw DatasetError(file_ + ": " + (pointer.empty() ? "" : pointer + ": ") + message);
  }
  [[noreturn]] void wrong_type(const Json& v, const std::string& pointer, const char* expected) const {
    fail(pointer, std::string("expected ") + expected + ", got " + kind_of(v));
  }

  const Json& member(const Json& object, const std::string& pointer, const std::string& key) const {
    const auto it = object.find(key);
    if (it == object.end()) fail(child(pointer, key), "missing");
    return *it;
  }
  const Json& object(const Json& v, const std::string& pointer) const {
    if (!v.is_object()) wrong_type(v, pointer, "an object");
    return v;
  }
  const Json& array(const Json& v, const std::string& pointer) const {
    if (!v.is_array()) wrong_type(v, pointer, "an array");
    return v;
  }
  std::string string(const Json& v, const std::string& pointer) const {
    if (!v.is_string()) wrong_type(v, pointer, "a string");
    return v.get<std::string>();
  }
  bool boolean(const Json& v, const std::string& pointer) const {
    if (!v.is_boolean()) wrong_type(v, pointer, "true or false");
    return v.get<bool>();
  }
  double number(const Json& v, const std::string& pointer) const {
    if (!v.is_number()) wrong_type(v, pointer, "a number");
    const double x = v.get<double>();
    if (!std::isfinite(x)) fail(pointer, format_number(x) + " is not finite");
    return x;
  }
  long long integer(const Json& v, const std::string& pointer) const {
    if (!v.is_number_integer()) wrong_type(v, pointer, "an integer");
    return v.get<long long>();
  }
  std::uint64_t unsigned_integer(const Json& v, const std::string& pointer) const {
    if (!v.is_number_unsigned()) wrong_type(v, pointer, "a non-negative integer");
    return v.get<std::uint64_t>();
  }

  // The member `key` of `object` (at `pointer`), read by `read(value, pointer of value)`.
  template <class F>
  auto field(const Json& object, const std::string& pointer, const std::string& key, F&& read) const {
    return read(member(object, pointer, key), child(pointer, key));
  }

  std::vector<std::string> strings(const Json& v, const std::string& pointer) const {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < array(v, pointer).size(); ++i) out.push_back(string(v[i], child(pointer, i)));
    return out;
  }
  std::vector<double> numbers(const Json& v, const std::string& pointer) const {
    std::vector<double> out;
    for (std::size_t i = 0; i < array(v, pointer).size(); ++i) out.push_back(number(v[i], child(pointer, i)));
    return out;
  }
  std::vector<int> counts(const Json& v, const std::string& pointer) const {
    std::vector<int> out;
    for (std::size_t i = 0; i < array(v, pointer).size(); ++i) {
      const long long n = integer(v[i], child(pointer, i));
      if (n < 0 || n > 1'000'000'000) fail(child(pointer, i), "count " + std::to_string(n) + " out of range");
      out.push_back(static_cast<int>(n));
    }
    return out;
  }
  // An array of equally long rows of numbers ([] is the empty matrix).
  Eigen::MatrixXd matrix(const Json& v, const std::string& pointer) const {
    const std::size_t rows = array(v, pointer).size();
    const std::size_t cols = rows == 0 ? 0 : array(v[0], child(pointer, 0)).size();
    Eigen::MatrixXd m(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols));
    for (std::size_t i = 0; i < rows; ++i) {
      const std::string row_pointer = child(pointer, i);
      const Json& row = array(v[i], row_pointer);
      if (row.size() != cols)
        fail(row_pointer, "expected " + plural(static_cast<long long>(cols), "value") + " like row 0, got " +
                              std::to_string(row.size()));
      for (std::size_t j = 0; j < cols; ++j)
        m(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = number(row[j], child(row_pointer, j));
    }
    return m;
  }
  ComponentSpec component(const Json& v, const std::string& pointer) const {
    object(v, pointer);
    ComponentSpec c;
    c.type = field(v, pointer, "type", [&](const Json& t, const std::string& p) { return string(t, p); });
    const std::string options_pointer = child(pointer, "options");
    const Json& options = array(member(v, pointer, "options"), options_pointer);
    for (std::size_t i = 0; i < options.size(); ++i) {
      const std::string p = child(options_pointer, i);
      if (array(options[i], p).size() != 2)
        fail(p, "expected a [key, value] pair, got " + std::to_string(options[i].size()) + " entries");
      c.options.emplace_back(string(options[i][0], child(p, 0)), string(options[i][1], child(p, 1)));
    }
    return c;
  }

 private:
  std::string file_;
};

KernelModelSpec read_spec(const Reader& r, const Json& v, const std::string& pointer) {
  r.object(v, pointer);
  const auto text = [&](const Json& x, const std::string& p) { return r.string(x, p); };
  const auto number = [&](const Json& x, const std::string& p) { return r.number(x, p); };
  const auto component = [&](const Json& x, const std::string& p) { return r.component(x, p); };
  KernelModelSpec s;
  s.type = r.field(v, pointer, "type", text);
  s.feature_map = r.field(v, pointer, "feature_map", component);
  s.kernel = r.field(v, pointer, "kernel", component);
  s.preprocess = r.field(v, pointer, "preprocess", [&](const Json& x, const std::string& p) {
    return x.is_null() ? std::optional<std::string>() : std::optional<std::string>(r.string(x, p));
  });
  s.C = r.field(v, pointer, "C", number);
  s.epsilon = r.field(v, pointer, "epsilon", number);
  s.nu = r.field(v, pointer, "nu", number);
  s.alpha = r.field(v, pointer, "alpha", number);
  s.gamma = r.field(v, pointer, "gamma", [&](const Json& x, const std::string& p) {
    return x.is_null() ? std::optional<double>() : std::optional<double>(r.number(x, p));
  });
  s.probability = r.field(v, pointer, "probability", [&](const Json& x, const std::string& p) { return r.boolean(x, p); });
  s.tolerance = r.field(v, pointer, "tolerance", number);
  return s;
}

std::vector<FittedStep> read_preprocess(const Reader& r, const Json& v, const std::string& pointer) {
  std::vector<FittedStep> steps;
  for (std::size_t i = 0; i < r.array(v, pointer).size(); ++i) {
    const std::string p = child(pointer, i);
    const Json& step = r.object(v[i], p);
    FittedStep s;
    s.spec = r.field(step, p, "spec", [&](const Json& x, const std::string& q) { return r.string(x, q); });
    const std::string values_pointer = child(p, "values");
    const Json& values = r.object(r.member(step, p, "values"), values_pointer);
    for (const auto& [name, value] : values.items()) s.values.emplace_back(name, r.matrix(value, child(values_pointer, name)));
    steps.push_back(std::move(s));
  }
  return steps;
}

KernelModel::State read_state(const Reader& r, const Json& m, const std::string& at = "/model") {
  r.object(m, at);
  const auto text = [&](const Json& x, const std::string& p) { return r.string(x, p); };
  const auto strings = [&](const Json& x, const std::string& p) { return r.strings(x, p); };
  const auto numbers = [&](const Json& x, const std::string& p) { return r.numbers(x, p); };
  const auto matrix = [&](const Json& x, const std::string& p) { return r.matrix(x, p); };
  const auto component = [&](const Json& x, const std::string& p) { return r.component(x, p); };

  KernelModel::State s;
  const std::string type = r.field(m, at, "type", text);
  const std::vector<std::string> names = kernel_model_names();
  if (std::find(names.begin(), names.end(), type) == names.end()) {
    std::string valid;
    for (const std::string& n : names) valid += (valid.empty() ? "" : ", ") + n;
    r.fail(child(at, "type"), "unknown kernel model '" + type + "' (valid: " + valid + ")");
  }
  s.spec = r.field(m, at, "spec", [&](const Json& x, const std::string& p) { return read_spec(r, x, p); });
  if (s.spec.type != type) r.fail(child(child(at, "spec"), "type"), "'" + s.spec.type + "' differs from the model type '" + type + "'");
  if (is_quantum_model(type)) {
    s.feature_map = r.field(m, at, "feature_map", component);
    s.kernel = r.field(m, at, "kernel", component);
  } else {
    s.gamma = r.field(m, at, "gamma", [&](const Json& x, const std::string& p) { return r.number(x, p); });
  }
  s.preprocess = r.field(m, at, "preprocess", [&](const Json& x, const std::string& p) { return read_preprocess(r, x, p); });
  s.class_names = r.field(m, at, "class_names", strings);
  s.feature_names = r.field(m, at, "feature_names", strings);
  s.support_features = r.field(m, at, "support_features", matrix);
  if (type == "qkrr") {
    const std::vector<double> c = r.field(m, at, "krr_coef", numbers);
    s.krr_coef = Eigen::Map<const Eigen::VectorXd>(c.data(), static_cast<Eigen::Index>(c.size()));
  } else {
    s.svm.dual_coef = r.field(m, at, "dual_coef", matrix);
    s.svm.rho = r.field(m, at, "rho", numbers);
    s.svm.n_support = r.field(m, at, "n_support", [&](const Json& x, const std::string& p) { return r.counts(x, p); });
    s.svm.prob_a = r.field(m, at, "prob_a", numbers);
    s.svm.prob_b = r.field(m, at, "prob_b", numbers);
  }
  return s;
}

QnnModelSpec read_qnn_spec(const Reader& r, const Json& v, const std::string& pointer) {
  r.object(v, pointer);
  const auto text = [&](const Json& x, const std::string& p) { return r.string(x, p); };
  const auto number = [&](const Json& x, const std::string& p) { return r.number(x, p); };
  const auto component = [&](const Json& x, const std::string& p) { return r.component(x, p); };
  const auto integer = [&](const Json& x, const std::string& p) {
    const long long n = r.integer(x, p);
    if (n < -1'000'000'000 || n > 1'000'000'000) r.fail(p, std::to_string(n) + " out of range");
    return static_cast<int>(n);
  };
  QnnModelSpec s;
  s.type = r.field(v, pointer, "type", text);
  s.feature_map = r.field(v, pointer, "feature_map", component);
  s.ansatz = r.field(v, pointer, "ansatz", component);
  s.layers = r.field(v, pointer, "layers", integer);
  s.qubits = r.field(v, pointer, "qubits", [&](const Json& x, const std::string& p) {
    return x.is_null() ? std::optional<int>() : std::optional<int>(integer(x, p));
  });
  s.readout = r.field(v, pointer, "readout", text);
  s.temperature = r.field(v, pointer, "temperature", number);
  s.loss = r.field(v, pointer, "loss", text);
  s.observable = r.field(v, pointer, "observable", text);
  s.l2 = r.field(v, pointer, "l2", number);
  s.optimizer = r.field(v, pointer, "optimizer", component);
  s.settings.maxiter = r.field(v, pointer, "maxiter", integer);
  s.settings.batch_size = r.field(v, pointer, "batch_size", [&](const Json& x, const std::string& p) { return r.unsigned_integer(x, p); });
  s.settings.time_limit = r.field(v, pointer, "time_limit", number);
  s.settings.seed = r.field(v, pointer, "seed", [&](const Json& x, const std::string& p) { return r.unsigned_integer(x, p); });
  s.validation = r.field(v, pointer, "validation", number);
  s.patience = r.field(v, pointer, "patience", integer);
  s.initial_point = r.field(v, pointer, "initial_point", [&](const Json& x, const std::string& p) {
    return x.is_null() ? std::optional<std::vector<double>>() : std::optional<std::vector<double>>(r.numbers(x, p));
  });
  s.preprocess = r.field(v, pointer, "preprocess", [&](const Json& x, const std::string& p) {
    return x.is_null() ? std::optional<std::string>() : std::optional<std::string>(r.string(x, p));
  });
  s.C = r.field(v, pointer, "C", number);
  s.input_prefix = r.field(v, pointer, "input_prefix", text);
  return s;
}

QnnModel::State read_qnn_state(const Reader& r, const Json& m) {
  const std::string at = "/model";
  r.object(m, at);
  const auto strings = [&](const Json& x, const std::string& p) { return r.strings(x, p); };
  const auto number = [&](const Json& x, const std::string& p) { return r.number(x, p); };
  QnnModel::State s;
  const std::string type = r.field(m, at, "type", [&](const Json& x, const std::string& p) { return r.string(x, p); });
  const std::vector<std::string> names = qnn_model_names();
  if (std::find(names.begin(), names.end(), type) == names.end()) {
    std::string valid;
    for (const std::string& n : names) valid += (valid.empty() ? "" : ", ") + n;
    r.fail(child(at, "type"), "unknown QNN model '" + type + "' (valid: " + valid + ")");
  }
  s.spec = r.field(m, at, "spec", [&](const Json& x, const std::string& p) { return read_qnn_spec(r, x, p); });
  if (s.spec.type != type) r.fail(child(child(at, "spec"), "type"), "'" + s.spec.type + "' differs from the model type '" + type + "'");
  s.preprocess = r.field(m, at, "preprocess", [&](const Json& x, const std::string& p) { return read_preprocess(r, x, p); });
  s.class_names = r.field(m, at, "class_names", strings);
  s.feature_names = r.field(m, at, "feature_names", strings);
  s.weights = r.field(m, at, "weights", [&](const Json& x, const std::string& p) { return r.numbers(x, p); });
  s.output_scale = r.field(m, at, "output_scale", number);
  s.output_shift = r.field(m, at, "output_shift", number);
  const std::string history = child(at, "history");
  const Json& h = r.object(r.member(m, at, "history"), history);
  s.iterations = static_cast<int>(r.field(h, history, "iterations", [&](const Json& x, const std::string& p) { return r.integer(x, p); }));
  s.evaluations = r.field(h, history, "evaluations", [&](const Json& x, const std::string& p) { return r.unsigned_integer(x, p); });
  s.final_loss = r.field(h, history, "final_loss", number);
  s.stop_reason = r.field(h, history, "stop_reason", [&](const Json& x, const std::string& p) { return r.string(x, p); });
  if (type == "qsvc-trained")
    s.svm = r.field(m, at, "svm", [&](const Json& x, const std::string& p) { return read_state(r, x, p); });
  return s;
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DatasetError("cannot read " + path.string() + ": " + (std::filesystem::exists(path) ? "permission denied or not a file" : "no such file"));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The envelope around every model: format, version, provenance, then "model".
void write_model_file(const std::filesystem::path& path, const ModelFileInfo& info, Json model) {
  Json root;
  root["format"] = kFormat;
  root["version"] = kVersion;
  root["qmlsim_version"] = info.qmlsim_version;
  root["seed"] = info.seed;
  root["label_column"] = info.label_column;
  if (info.shots) root["shots"] = *info.shots;
  root["model"] = std::move(model);
  // Names from the data may hold bytes that are not UTF-8 (a Latin-1 CSV): replaced by U+FFFD
  // rather than failing after the model was trained.
  write_file_atomically(path, root.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

// Parses a model file and checks its envelope; the root object and the info.
std::pair<Json, ModelFileInfo> read_model_file(const std::filesystem::path& path, const Reader& r) {
  Json root;
  try {
    root = Json::parse(read_text(path));
  } catch (const Json::parse_error& e) {
    // what() is "[json.exception.parse_error.101] parse error at line 3, column 7: ..."
    std::string what = e.what();
    if (const auto bracket = what.find("] "); what.starts_with("[json.exception") && bracket != std::string::npos)
      what = what.substr(bracket + 2);
    throw DatasetError(path.string() + ": corrupt or truncated model file: " + what);
  }
  r.object(root, "");
  const std::string format = r.field(root, "", "format", [&](const Json& x, const std::string& p) { return r.string(x, p); });
  if (format != kFormat) r.fail("/format", "not a qmlsim model file (expected \"" + std::string(kFormat) + "\", got \"" + format + "\")");
  const long long version = r.field(root, "", "version", [&](const Json& x, const std::string& p) { return r.integer(x, p); });
  if (version != kVersion)
    r.fail("/version", "model file version " + std::to_string(version) + " is not supported (this qmlsim reads version " +
                           std::to_string(kVersion) + ")");
  ModelFileInfo info;
  info.qmlsim_version = r.field(root, "", "qmlsim_version", [&](const Json& x, const std::string& p) { return r.string(x, p); });
  info.seed = r.field(root, "", "seed", [&](const Json& x, const std::string& p) { return r.unsigned_integer(x, p); });
  info.label_column = r.field(root, "", "label_column", [&](const Json& x, const std::string& p) { return r.string(x, p); });
  if (root.contains("shots"))
    info.shots = r.field(root, "", "shots", [&](const Json& x, const std::string& p) { return r.unsigned_integer(x, p); });
  return {std::move(root), std::move(info)};
}

// The model's "type", without reading the rest.
std::string model_type(const Json& root, const Reader& r) {
  const Json& m = r.object(r.member(root, "", "model"), "/model");
  return r.field(m, "/model", "type", [&](const Json& x, const std::string& p) { return r.string(x, p); });
}

}  // namespace

void save_model(const std::filesystem::path& path, const KernelModel& model, const ModelFileInfo& info) {
  write_model_file(path, info, model_json(model.state()));
}

LoadedModel load_model(const std::filesystem::path& path, KernelOptions options, FeatureMapFactory factory) {
  const std::string file = path.string();
  const Reader r(file);
  auto [root, info] = read_model_file(path, r);
  if (const std::string type = model_type(root, r); is_qnn_model(type))
    r.fail("/model/type", "a QNN model (" + type + "): load it with load_qnn_model");
  KernelModel::State state = r.field(root, "", "model", [&](const Json& x, const std::string&) { return read_state(r, x); });
  // The file's seed and shots define the model's kernel (a model trained on shot estimates
  // predicts from them too); the caller's options keep threads and memory.
  options.seed = info.seed;
  options.shots = info.shots;
  try {
    return LoadedModel{KernelModel::from_state(std::move(state), std::move(options), std::move(factory)), std::move(info)};
  } catch (const DatasetError& e) {
    // from_state names the State field, which is the key under /model.
    throw DatasetError(file + ": /model/" + e.what());
  }
}

std::string model_file_family(const std::filesystem::path& path) {
  const Reader r(path.string());
  const auto [root, info] = read_model_file(path, r);
  return is_qnn_model(model_type(root, r)) ? "qnn" : "kernel";
}

void save_model(const std::filesystem::path& path, const QnnModel& model, const ModelFileInfo& info) {
  write_model_file(path, info, qnn_model_json(model.state()));
}

LoadedQnnModel load_qnn_model(const std::filesystem::path& path, QnnOptions options, FeatureMapFactory maps,
                              CircuitFactory files) {
  const std::string file = path.string();
  const Reader r(file);
  auto [root, info] = read_model_file(path, r);
  QnnModel::State state = r.field(root, "", "model", [&](const Json& x, const std::string&) { return read_qnn_state(r, x); });
  try {
    return LoadedQnnModel{QnnModel::from_state(std::move(state), std::move(options), std::move(maps), std::move(files)),
                          std::move(info)};
  } catch (const DatasetError& e) {
    throw DatasetError(file + ": /model/" + e.what());
  }
}

}  // namespace qmlsim::qml

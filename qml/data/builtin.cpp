#include "qml/data/builtin.hpp"

#include <algorithm>
#include <array>
#include <span>

#include "qml/data/benchmark_families.hpp"
#include "qml/data/builtin_tables.hpp"
#include "qml/data/csv.hpp"
#include "qml/data/synthetic.hpp"
#include "qml/encoding/component_spec.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim::qml {

namespace {

/// A shipped table: its file, the class names behind the label ids 0, 1, ... (scikit-learn's
/// target_names) and the credit in the description.
struct Table {
  const char* name;
  const char* file;
  std::array<const char*, 3> classes;
  int num_classes;
  const char* origin;
};

constexpr std::array<Table, 3> kTables{{
    {"iris", "iris.csv", {"setosa", "versicolor", "virginica"}, 3, "UCI, CC BY 4.0"},
    {"wine", "wine.csv", {"class_0", "class_1", "class_2"}, 3, "UCI, CC BY 4.0"},
    {"breast_cancer", "breast_cancer.csv", {"malignant", "benign", ""}, 2, "UCI, CC BY 4.0"},
}};

constexpr std::array<const char*, 10> kGenerators{"moons",           "circles",           "xor",
                                                  "blobs",           "ad_hoc",            "linearly-separable",
                                                  "hidden-manifold", "two-curves",        "bars-and-stripes",
                                                  "hyperplanes-parity"};

std::string_view base_name(const std::string& name) {
  return std::string_view(name).substr(0, name.find(':'));
}

std::string known_names() {
  std::string out;
  for (const auto& n : builtin_dataset_names()) out.append(out.empty() ? "" : ", ").append(n);
  return out;
}

std::string shape_text(const Dataset& d) {
  const int c = d.num_classes();
  return plural(static_cast<long long>(d.size()), "sample") + ", " + plural(d.num_features(), "feature") + ", " +
         std::to_string(c) + (c == 1 ? " class" : " classes");
}

NamedDataset load_table(const Table& t) {
  const auto tables = detail::embedded_tables();
  const auto it = std::find_if(tables.begin(), tables.end(), [&](const auto& e) { return e.file == t.file; });
  if (it == tables.end()) throw Error(std::string("built-in table ") + t.file + " is not compiled in");
  const CsvData csv = parse_csv(it->text(), std::string("built-in ") + t.file);
  const Dataset& d = csv.data;
  if (d.num_classes() != t.num_classes) throw Error(std::string("built-in table ") + t.file + ": unexpected classes");
  std::vector<std::string> classes(t.classes.begin(), t.classes.begin() + t.num_classes);
  NamedDataset out{Dataset(d.x(), d.y(), std::move(classes), d.feature_names()), std::nullopt, ""};
  out.description = std::string(t.name) + " (" + shape_text(out.data) + "; " + t.origin + ")";
  return out;
}

/// The families of Bowles, Ahmed and Schuld (benchmark_families.hpp), or nothing for another name.
/// Defaults: the study's settings, with 300 samples and few features.
std::optional<Dataset> generate_benchmark_family(const std::string& name, ComponentOptions& o, std::uint64_t seed,
                                                 std::string& details) {
  const auto samples = [&] { return o.integer("samples", 300, 2, 10'000'000); };
  if (name == "linearly-separable") {
    const int n = samples();
    const int features = o.integer("features", 4, 1, 400);
    const double margin = o.real("margin", 0.02 * features);
    o.finish();
    details = ", margin " + format_number(margin);
    return make_linearly_separable(n, features, margin, seed);
  }
  if (name == "hidden-manifold") {
    const int n = samples();
    const int features = o.integer("features", 6, 1, 10'000);
    const int dimension = o.integer("manifold_dimension", 2, 1, 1'000);
    o.finish();
    details = ", manifold_dimension " + std::to_string(dimension);
    return make_hidden_manifold(n, features, dimension, seed).data;
  }
  if (name == "two-curves") {
    const int n = samples();
    const int features = o.integer("features", 4, 1, 10'000);
    const int degree = o.integer("degree", 5, 1, 100);
    const double offset = o.real("offset", 0.1);
    const double noise = o.real("noise", 0.01);
    o.finish();
    details = ", degree " + std::to_string(degree) + ", offset " + format_number(offset) + ", noise " + format_number(noise);
    return make_two_curves(n, features, degree, offset, noise, seed).data;
  }
  if (name == "bars-and-stripes") {
    const int n = samples();
    const int height = o.integer("height", 4, 1, 64);
    const int width = o.integer("width", 4, 1, 64);
    const double noise = o.real("noise", 0.5);
    o.finish();
    details = ", " + std::to_string(height) + " x " + std::to_string(width) + " pixels, noise " + format_number(noise);
    return make_bars_and_stripes(n, height, width, noise, seed);
  }
  if (name == "hyperplanes-parity") {
    const int n = samples();
    const int features = o.integer("features", 4, 1, 10'000);
    const int hyperplanes = o.integer("hyperplanes", 3, 1, 1'000);
    const int dimension = o.integer("dim_hyperplanes", 3, 1, 1'000);
    o.finish();
    details = ", " + plural(hyperplanes, "hyperplane") + " in " + std::to_string(dimension) + " dimensions";
    return make_hyperplanes_parity(n, features, hyperplanes, dimension, seed).data;
  }
  return std::nullopt;
}

NamedDataset generate(const std::string& name, const ComponentSpec& spec, std::uint64_t seed) {
  ComponentOptions o(spec, "data set " + name);
  const std::string seed_text = ", seed " + std::to_string(seed) + ")";
  NamedDataset out;
  std::string details;
  if (std::optional<Dataset> family = generate_benchmark_family(name, o, seed, details)) {
    out.data = std::move(*family);
    out.description = name + " (" + shape_text(out.data) + details + seed_text;
    return out;
  }
  if (name == "ad_hoc") {
    const int training = o.integer("training_size", 20, 1, 1'000'000);
    const int test = o.integer("test_size", 5, 0, 1'000'000);
    const int features = o.integer("features", 2, 2, 3);
    const double gap = o.real("gap", 0.3);
    o.finish();
    AdHocData d = make_ad_hoc(training, test, features, gap, seed);
    out.data = std::move(d.train);
    out.test = std::move(d.test);
    out.description = "ad_hoc (" + std::to_string(training) + " training and " + std::to_string(test) +
                      " test samples per class, " + plural(features, "feature") + ", gap " + format_number(gap) + seed_text;
    return out;
  }
  const int samples = o.integer("samples", 200, 1, 10'000'000);
  if (name == "blobs") {
    const int features = o.integer("features", 2, 1, 10'000);
    const int centers = o.integer("centers", 2, 1, 1'000);
    const double cluster_std = o.real("cluster_std", 1.0);
    o.finish();
    out.data = make_blobs(samples, features, centers, cluster_std, seed);
    out.description = "blobs (" + shape_text(out.data) + ", cluster_std " + format_number(cluster_std) + seed_text;
    return out;
  }
  const double noise = o.real("noise", name == "circles" ? 0.05 : 0.1);
  if (name == "circles") {
    const double factor = o.real("factor", 0.5);
    o.finish();
    out.data = make_circles(samples, noise, factor, seed);
    out.description = "circles (" + shape_text(out.data) + ", noise " + format_number(noise) + ", factor " +
                      format_number(factor) + seed_text;
    return out;
  }
  o.finish();
  out.data = name == "moons" ? make_moons(samples, noise, seed) : make_xor(samples, noise, seed);
  out.description = name + " (" + shape_text(out.data) + ", noise " + format_number(noise) + seed_text;
  return out;
}

}  // namespace

std::vector<std::string> builtin_dataset_names() {
  std::vector<std::string> names;
  for (const auto& t : kTables) names.emplace_back(t.name);
  for (const char* g : kGenerators) names.emplace_back(g);
  return names;
}

bool is_builtin_dataset(const std::string& name) {
  const auto names = builtin_dataset_names();
  return std::find(names.begin(), names.end(), base_name(name)) != names.end();
}

NamedDataset load_builtin(const DatasetRequest& request) {
  if (!is_builtin_dataset(request.name))
    throw InvalidArgument("unknown data set '" + request.name + "' (built in: " + known_names() + "; or a .csv file)");
  // "moons:noise=0.2" in the name and options in the map add up (a key in both is an error).
  ComponentSpec spec = parse_component_spec(request.name, "data set");
  for (const auto& [key, value] : request.options) {
    if (spec.get(key)) throw InvalidArgument("data set " + spec.type + ": option '" + key + "' given twice");
    spec.set(key, value);
  }
  for (const auto& t : kTables) {
    if (spec.type != t.name) continue;
    ComponentOptions(spec, "data set " + spec.type).finish();
    return load_table(t);
  }
  return generate(spec.type, spec, request.seed);
}

}  // namespace qmlsim::qml

#include "cli/feature_map_source.hpp"

#include <optional>

#include "qml/encoding/feature_map.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/qasm/parser.hpp"
#include "simulator/qasm/qasm.hpp"

namespace qmlsim::cli {

namespace {

std::unique_ptr<qml::FeatureMap> file_map(const qml::ComponentSpec& spec, int num_features) {
  const std::string path = spec.get("path").value_or("");
  if (path.empty()) throw InvalidArgument("feature map file: no path");
  for (const auto& [key, value] : spec.options)
    if (key != "path" && key != "source")
      throw InvalidArgument("feature map " + path + ": unknown option '" + key + "' (a file takes none)");
  const std::optional<std::string> stored = spec.get("source");
  // The front end's own reader: its size limit (a ResourceError) and its messages.
  const std::string source = stored ? *stored : qasm::detail::read_source_file(path, qasm::Options{}.max_file_bytes);
  qasm::Program program = qasm::parse(source, path);
  qml::ComponentSpec kept{"file", {{"path", path}, {"source", source}}};
  return qml::circuit_feature_map(std::move(program.circuit), std::move(kept), num_features);
}

}  // namespace

qml::FeatureMapFactory feature_map_factory() {
  return [](const qml::ComponentSpec& spec, int num_features) -> std::unique_ptr<qml::FeatureMap> {
    if (spec.type == "file") return file_map(spec, num_features);
    return qml::make_feature_map(spec, num_features);
  };
}

std::string feature_map_help_names() {
  std::string names;
  for (const std::string& n : qml::feature_map_names()) names += n + ", ";
  return names + "or FILE.qasm";
}

}  // namespace qmlsim::cli

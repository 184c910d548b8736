#include "cli/feature_map_source.hpp"

#include <optional>

#include "qml/encoding/feature_map.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/qasm/parser.hpp"
#include "simulator/qasm/qasm.hpp"

namespace qmlsim::cli {

namespace {

std::unique_ptr<qml::FeatureMap> file_map(const qml::ComponentSpec& spec, int num_features) {
  qml::ComponentSpec kept = with_file_source(spec, "feature map");
  qasm::Program program = qasm::parse(*kept.get("source"), *kept.get("path"));
  return qml::circuit_feature_map(std::move(program.circuit), std::move(kept), num_features);
}

}  // namespace

qml::ComponentSpec with_file_source(const qml::ComponentSpec& spec, const std::string& what) {
  const std::string path = spec.get("path").value_or("");
  if (path.empty()) throw InvalidArgument(what + " file: no path");
  for (const auto& [key, value] : spec.options)
    if (key != "path" && key != "source")
      throw InvalidArgument(what + " " + path + ": unknown option '" + key + "' (a file takes none)");
  const std::optional<std::string> stored = spec.get("source");
  // The front end's own reader: its size limit (a ResourceError) and its messages.
  const std::string source = stored ? *stored : qasm::detail::read_source_file(path, qasm::Options{}.max_file_bytes);
  return qml::ComponentSpec{"file", {{"path", path}, {"source", source}}};
}

qml::CircuitFactory circuit_file_factory() {
  return [](const qml::ComponentSpec& spec) -> Circuit {
    const qml::ComponentSpec kept = with_file_source(spec, "circuit");
    return qasm::parse(*kept.get("source"), *kept.get("path")).circuit;
  };
}

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

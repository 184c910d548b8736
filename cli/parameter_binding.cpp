#include "cli/parameter_binding.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <numeric>
#include <sstream>

#include "cli/options.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim::cli {
namespace {

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

// A finite double written as a whole decimal word (from_chars, plus an optional leading '+').
std::optional<double> parse_number(std::string_view text) {
  if (text.starts_with('+')) text.remove_prefix(1);
  double value = 0.0;
  const char* last = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), last, value);
  if (text.empty() || ec != std::errc{} || ptr != last || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::string json_type_name(const nlohmann::json& value) {
  if (value.is_boolean()) return std::string("boolean ") + (value.get<bool>() ? "true" : "false");
  return std::string(value.type_name());
}

}  // namespace

ParameterAssignment parse_param_assignment(const std::string& text) {
  const auto eq = text.find('=');
  const auto bad = [&](const std::string& why) {
    return UsageError("invalid value '" + text + "' for --param: " + why);
  };
  if (eq == std::string::npos) throw bad("expected NAME=VALUE");
  const std::string name = text.substr(0, eq);
  if (name.empty()) throw bad("missing the input name before '='");
  const auto value = parse_number(std::string_view(text).substr(eq + 1));
  if (!value) throw bad("'" + text.substr(eq + 1) + "' is not a finite number");
  return ParameterAssignment{name, *value, "--param " + text};
}

std::vector<ParameterAssignment> read_params_file(const std::filesystem::path& path) {
  const std::string file = path.string();
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InvalidArgument(file + ": cannot open the parameter file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw InvalidArgument(file + ": cannot read the parameter file");
  nlohmann::ordered_json j;
  try {
    j = nlohmann::ordered_json::parse(text.str());
  } catch (const nlohmann::json::parse_error& e) {
    throw InvalidArgument(file + ": invalid JSON: " + without_json_tag(e.what()));
  }
  if (!j.is_object())
    throw InvalidArgument(file + ": expected a JSON object mapping input names to numbers, got " +
                          json_type_name(j));
  std::vector<ParameterAssignment> out;
  for (const auto& [key, value] : j.items()) {
    if (!value.is_number())
      throw InvalidArgument(file + ": key '" + key + "': expected a number, got " + json_type_name(value));
    const double v = value.get<double>();
    check_finite(v, [&] { return file + ": key '" + key + "'"; });
    out.push_back(ParameterAssignment{key, v, file});
  }
  return out;
}

std::vector<double> bind_parameters(const std::vector<std::string>& names,
                                    std::span<const ParameterAssignment> assignments, const std::string& circuit) {
  std::vector<std::optional<double>> values(names.size());
  for (const ParameterAssignment& a : assignments) {
    const auto it = std::find(names.begin(), names.end(), a.name);
    if (it == names.end()) {
      std::string message = a.source + ": unknown input '" + a.name + "'";
      if (const auto guess = closest_name(a.name, names)) message += " (did you mean '" + *guess + "'?)";
      message += names.empty() ? "; " + circuit + " declares no inputs"
                               : "; the inputs of " + circuit + " are: " + joined(names);
      throw InvalidArgument(message);
    }
    values[static_cast<std::size_t>(it - names.begin())] = a.value;
  }
  std::vector<std::string> missing;
  std::vector<double> theta;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (!values[i]) missing.push_back(names[i]);
    theta.push_back(values[i].value_or(0.0));
  }
  if (!missing.empty())
    throw InvalidArgument(circuit + ": " + std::to_string(missing.size()) +
                          (missing.size() == 1 ? " input has no value: " : " inputs have no value: ") +
                          joined(missing) + "; give values with --param NAME=VALUE or --params FILE.json");
  return theta;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), std::size_t{0});
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];  // row[i-1][j-1]
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

std::optional<std::string> closest_name(std::string_view word, const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  std::size_t best_distance = 3;  // suggest only within distance 2
  for (const auto& candidate : candidates) {
    const std::size_t d = edit_distance(word, candidate);
    if (d < best_distance && d < std::max(word.size(), candidate.size())) {
      best = candidate;
      best_distance = d;
    }
  }
  return best;
}

std::string without_json_tag(const std::string& what) {
  const auto end = what.find("] ");
  return what.starts_with("[json.exception.") && end != std::string::npos ? what.substr(end + 2) : what;
}

}  // namespace qmlsim::cli

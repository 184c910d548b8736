#include "qml/encoding/component_spec.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <numbers>

#include "simulator/core/errors.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim::qml {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool looks_like_file(std::string_view text) {
  const auto colon = text.find(':');
  const std::string_view head = text.substr(0, colon);
  return head.find('/') != std::string_view::npos || head.ends_with(".qasm") || head.ends_with(".inc");
}

// A plain real number (the whole text), or nothing.
std::optional<double> number(std::string_view text) {
  if (text.empty()) return std::nullopt;
  const std::string s(text);
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || errno == ERANGE || !std::isfinite(v)) return std::nullopt;
  return v;
}

}  // namespace

std::string join_names(const std::vector<std::string>& names, std::string_view separator) {
  std::string out;
  for (const auto& n : names) out.append(out.empty() ? "" : separator).append(n);
  return out;
}

std::optional<std::string> ComponentSpec::get(std::string_view key) const {
  for (const auto& [k, v] : options)
    if (k == key) return v;
  return std::nullopt;
}

void ComponentSpec::set(const std::string& key, std::string value) {
  for (auto& [k, v] : options)
    if (k == key) {
      v = std::move(value);
      return;
    }
  options.emplace_back(key, std::move(value));
}

std::string ComponentSpec::text() const {
  std::string out = type;
  for (std::size_t i = 0; i < options.size(); ++i)
    out += (i == 0 ? ":" : ",") + options[i].first + "=" + options[i].second;
  return out;
}

ComponentSpec parse_component_spec(std::string_view text, std::string_view what) {
  text = trim(text);
  if (text.empty()) throw InvalidArgument(std::string(what) + ": empty specification");
  if (looks_like_file(text)) {
    const auto colon = text.find(':');
    ComponentSpec spec{"file", {{"path", std::string(text.substr(0, colon))}}};
    if (colon == std::string_view::npos) return spec;
    ComponentSpec rest = parse_component_spec("x:" + std::string(text.substr(colon + 1)), what);
    for (auto& [k, v] : rest.options) {
      if (k == "path") throw InvalidArgument(std::string(what) + " '" + std::string(text) + "': option 'path' given twice");
      spec.options.emplace_back(std::move(k), std::move(v));
    }
    return spec;
  }
  const auto colon = text.find(':');
  ComponentSpec spec{std::string(trim(text.substr(0, colon))), {}};
  if (spec.type.empty()) throw InvalidArgument(std::string(what) + " '" + std::string(text) + "': missing name before ':'");
  if (colon == std::string_view::npos) return spec;
  std::string_view rest = text.substr(colon + 1);
  if (trim(rest).empty())
    throw InvalidArgument(std::string(what) + " '" + std::string(text) + "': expected key=value after ':'");
  while (true) {
    const auto comma = rest.find(',');
    const std::string_view item = trim(rest.substr(0, comma));
    const auto eq = item.find('=');
    if (eq == std::string_view::npos)
      throw InvalidArgument(std::string(what) + " '" + std::string(text) + "': option '" + std::string(item) +
                            "' is not key=value");
    const std::string key(trim(item.substr(0, eq)));
    const std::string value(trim(item.substr(eq + 1)));
    if (key.empty()) throw InvalidArgument(std::string(what) + " '" + std::string(text) + "': empty option name");
    if (spec.get(key)) throw InvalidArgument(std::string(what) + " '" + std::string(text) + "': option '" + key + "' given twice");
    spec.options.emplace_back(key, value);
    if (comma == std::string_view::npos) break;
    rest = rest.substr(comma + 1);
  }
  return spec;
}

double parse_angle_value(std::string_view text, std::string_view what) {
  const std::string_view original = text;
  text = trim(text);
  auto fail = [&]() -> double {
    throw InvalidArgument(std::string(what) + ": '" + std::string(original) +
                          "' is not a number or a multiple of pi (e.g. 1.5, pi, -pi/2, 2pi, 0.5*pi)");
  };
  if (auto v = number(text)) return *v;
  double sign = 1.0;
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
    sign = text.front() == '-' ? -1.0 : 1.0;
    text.remove_prefix(1);
  }
  const auto pi_at = text.find("pi");
  if (pi_at == std::string_view::npos) return fail();
  std::string_view factor = trim(text.substr(0, pi_at));
  std::string_view divisor = trim(text.substr(pi_at + 2));
  if (factor.ends_with('*')) {
    factor = trim(factor.substr(0, factor.size() - 1));
    if (factor.empty()) return fail();  // "*pi"
  }
  double f = 1.0;
  if (!factor.empty()) {
    const auto v = number(factor);
    if (!v || factor.front() == '-' || factor.front() == '+') return fail();
    f = *v;
  }
  double d = 1.0;
  if (!divisor.empty()) {
    if (divisor.front() != '/') return fail();
    divisor = trim(divisor.substr(1));
    const auto v = number(divisor);
    if (!v || *v == 0.0 || divisor.front() == '-' || divisor.front() == '+') return fail();
    d = *v;
  }
  return sign * f * std::numbers::pi / d;
}

ComponentOptions::ComponentOptions(const ComponentSpec& spec, std::string context)
    : spec_(spec), context_(std::move(context)) {}

void ComponentOptions::ask(const std::string& key) {
  if (std::find(asked_.begin(), asked_.end(), key) == asked_.end()) asked_.push_back(key);
}

bool ComponentOptions::has(const std::string& key) const { return spec_.get(key).has_value(); }

int ComponentOptions::integer(const std::string& key, int fallback, int lo, int hi) {
  ask(key);
  const auto text = spec_.get(key);
  if (!text) return fallback;
  const auto v = number(*text);
  if (!v || *v != std::floor(*v) || *v < lo || *v > hi)
    throw InvalidArgument(context_ + ": " + key + " must be an integer in [" + std::to_string(lo) + ", " +
                          std::to_string(hi) + "], got '" + *text + "'");
  return static_cast<int>(*v);
}

double ComponentOptions::real(const std::string& key, double fallback) {
  ask(key);
  const auto text = spec_.get(key);
  if (!text) return fallback;
  return parse_angle_value(*text, context_ + ": " + key);
}

std::string ComponentOptions::choice(const std::string& key, const std::string& fallback,
                                     const std::vector<std::string>& valid) {
  ask(key);
  const auto text = spec_.get(key);
  if (!text) return fallback;
  if (std::find(valid.begin(), valid.end(), *text) == valid.end())
    throw InvalidArgument(context_ + ": " + key + " must be one of " + join_names(valid) + ", got '" + *text + "'");
  return *text;
}

std::string ComponentOptions::text(const std::string& key, const std::string& fallback) {
  ask(key);
  return spec_.get(key).value_or(fallback);
}

bool ComponentOptions::flag(const std::string& key, bool fallback) {
  return choice(key, fallback ? "true" : "false", {"true", "false"}) == "true";
}

void ComponentOptions::finish() const {
  for (const auto& [k, v] : spec_.options)
    if (std::find(asked_.begin(), asked_.end(), k) == asked_.end())
      throw InvalidArgument(context_ + ": unknown option '" + k + "'" +
                            (asked_.empty() ? std::string(" (it takes none)") : " (valid: " + join_names(asked_) + ")"));
}

}  // namespace qmlsim::qml

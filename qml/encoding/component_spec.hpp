#pragma once
/// A named component as the command line and model files spell it: "zz:reps=2,entanglement=linear"
/// is {"zz", {{"reps", "2"}, {"entanglement", "linear"}}}. Keys keep their order; factories (the
/// only places that interpret names) validate keys and values.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace qmlsim::qml {

struct ComponentSpec {
  std::string type;
  std::vector<std::pair<std::string, std::string>> options;

  /// The value of `key`, if given.
  [[nodiscard]] std::optional<std::string> get(std::string_view key) const;
  /// Sets `key` (replacing an earlier value, else appending).
  void set(const std::string& key, std::string value);
  /// "zz:reps=2,entanglement=linear" (just the type without options).
  [[nodiscard]] std::string text() const;
  friend bool operator==(const ComponentSpec&, const ComponentSpec&) = default;
};

/// Parses "NAME[:key=value,...]". A text containing '/' or ending in ".qasm" before any ':' is a
/// file and comes back as {"file", {{"path", text}}}. Throws InvalidArgument for an empty name,
/// an option without '=', an empty key or a repeated key.
[[nodiscard]] ComponentSpec parse_component_spec(std::string_view text, std::string_view what = "component");

/// Reads option values with typed checks; every unknown key is an error naming the valid ones.
/// Use: ComponentOptions o(spec, "feature map zz"); int reps = o.integer("reps", 2, 1, 100); ...
/// o.finish();  // throws for keys nobody asked for
class ComponentOptions {
 public:
  ComponentOptions(const ComponentSpec& spec, std::string context);
  [[nodiscard]] int integer(const std::string& key, int fallback, int lo, int hi);
  /// Numbers, "pi", "2pi", "pi/2", "-pi/4", "0.5*pi": as minmax bounds are written.
  [[nodiscard]] double real(const std::string& key, double fallback);
  /// One of `valid` (the message lists them).
  [[nodiscard]] std::string choice(const std::string& key, const std::string& fallback,
                                   const std::vector<std::string>& valid);
  [[nodiscard]] std::string text(const std::string& key, const std::string& fallback);
  /// "true" or "false" (the message lists both).
  [[nodiscard]] bool flag(const std::string& key, bool fallback);
  [[nodiscard]] bool has(const std::string& key) const;
  /// Throws InvalidArgument for any key not read: "feature map zz: unknown option 'rep' (valid: reps, ...)".
  void finish() const;

 private:
  void ask(const std::string& key);
  ComponentSpec spec_;  // a copy: options may outlive a temporary spec
  std::string context_;
  std::vector<std::string> asked_;  // keys read, first-read order, each once
};

/// The names joined by `separator`: "zz, z, pauli" (the valid values an error message lists).
[[nodiscard]] std::string join_names(const std::vector<std::string>& names, std::string_view separator = ", ");

/// Parses a real number or a simple multiple of pi ("pi", "-pi/2", "2pi", "2*pi", "0.25*pi",
/// "3pi/4"); throws InvalidArgument naming `what`.
[[nodiscard]] double parse_angle_value(std::string_view text, std::string_view what);

}  // namespace qmlsim::qml

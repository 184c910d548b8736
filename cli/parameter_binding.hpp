#pragma once
/// Values for a circuit file's `input` parameters: from a JSON file (--params FILE.json) and from
/// NAME=VALUE assignments (--param, repeatable), an assignment overriding the file and a later
/// assignment overriding an earlier one.
///
/// Errors: a malformed --param word is a usage error (UsageError, exit 2); everything that depends
/// on the files is bad input (InvalidArgument, exit 3) and names the file and the key: an
/// unreadable or malformed JSON file, a value that is not a finite number, an unknown input name
/// (with the circuit's inputs and a did-you-mean suggestion), inputs left without a value (all of
/// them listed).
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace qmlsim::cli {

/// One value for one input, with where it came from ("--param theta=1" or the JSON file's path),
/// for messages.
struct ParameterAssignment {
  std::string name;
  double value = 0.0;
  std::string source;
};

/// Parses a --param word "NAME=VALUE": NAME non-empty, VALUE a finite decimal number ("0.5",
/// "-2", "+1e-3"). Throws UsageError naming the word.
[[nodiscard]] ParameterAssignment parse_param_assignment(const std::string& text);

/// Reads --params FILE.json: one JSON object mapping input names to finite numbers, in file
/// order. Throws InvalidArgument ("params.json: invalid JSON: ...", "params.json: key 'x0': expected
/// a number, got string").
[[nodiscard]] std::vector<ParameterAssignment> read_params_file(const std::filesystem::path& path);

/// theta for the inputs `names` (theta[i] is the value of names[i]): `assignments` applied in
/// order (put the file's first). `circuit` names the circuit file in messages. Throws
/// InvalidArgument for an unknown name or for inputs without a value.
[[nodiscard]] std::vector<double> bind_parameters(const std::vector<std::string>& names,
                                                  std::span<const ParameterAssignment> assignments,
                                                  const std::string& circuit);

/// Levenshtein distance (insertions, deletions, substitutions; bytes).
[[nodiscard]] std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `word` if it is close enough to be a likely typo: distance <= 2, and
/// less than the longer of the two (so "z" does not suggest "x"); the first candidate on ties.
[[nodiscard]] std::optional<std::string> closest_name(std::string_view word, const std::vector<std::string>& candidates);

/// nlohmann-json's message without its "[json.exception.parse_error.101] " tag, which means
/// nothing to users.
[[nodiscard]] std::string without_json_tag(const std::string& what);

}  // namespace qmlsim::cli

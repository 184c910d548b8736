#pragma once
/// The OpenQASM parser (internal): tokens -> syntax tree, with includes spliced in place.
///
/// Syntax errors are recorded in the session's Diagnostics and the parser resumes after the next
/// ';' (or the '}' closing a skipped block), so one run reports every error it can. Constructs
/// outside the supported subset are refused by name ("for loops are not supported"), never
/// skipped. Recursion is bounded (expressions, blocks, include depth): deeper input is reported
/// as "nesting too deep".
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "simulator/qasm/ast.hpp"
#include "simulator/qasm/qasm.hpp"
#include "simulator/qasm/source.hpp"

namespace qmlsim::qasm::detail {

/// Deepest nesting of expressions, blocks and gate expansion accepted.
inline constexpr int kMaxNesting = 1000;
/// Deepest chain of file includes accepted.
inline constexpr int kMaxIncludeDepth = 64;

/// Receives the top-level statements of a program as they are parsed (includes spliced in).
class StatementSink {
 public:
  virtual ~StatementSink() = default;
  /// Called once, before any statement, with the program's version (2 or 3).
  virtual void begin(int version) = 0;
  virtual void statement(Statement&& s) = 0;
};

/// Owns the source files of one parse (the main file and every include) and its diagnostics.
class ParseSession {
 public:
  explicit ParseSession(const Options& options) : options_(options) {}

  [[nodiscard]] const Options& options() const noexcept { return options_; }
  [[nodiscard]] Diagnostics& diagnostics() noexcept { return diags_; }

  /// Adds a source text (kept alive as long as the session). `path` may be empty.
  const SourceFile& add_file(std::string name, std::filesystem::path path, std::string text);

  /// Parses the main file: detects the version from its header (OpenQASM 3 if it has none),
  /// calls sink.begin(version) and hands it every statement. Nothing reaches the sink if the
  /// file is unusable (not UTF-8, empty).
  void parse_main(const SourceFile& file, StatementSink& sink);

  /// Parses an included file of `version` (resolved against `at`'s file) into `out`, or records
  /// why it cannot (missing file, cycle, too deep, not UTF-8, too large).
  void include_file(std::string_view name, Location at, int version, StatementSink& out);

 private:
  const Options& options_;
  Diagnostics diags_;
  std::vector<std::unique_ptr<SourceFile>> files_;
  std::vector<std::filesystem::path> include_stack_;  // canonical paths of files being parsed
};

/// True for the words a program of `version` cannot use as a name (keywords, built-in constants).
[[nodiscard]] bool is_reserved_word(std::string_view word, int version) noexcept;

/// True if `name` lexes as one identifier and is not reserved in OpenQASM 3.
[[nodiscard]] bool is_valid_identifier(std::string_view name) noexcept;

/// Reads a file for parsing: refuses (ResourceError) files above `max_bytes` before reading them,
/// throws InvalidArgument if it cannot be read.
[[nodiscard]] std::string read_source_file(const std::filesystem::path& path, std::uint64_t max_bytes);

/// Checks a source text before lexing: UTF-8, not empty. Records a diagnostic and returns false
/// if it is unusable. `is_main`: an empty main file is an error, an empty include is not.
bool check_source_text(const SourceFile& file, bool is_main, Diagnostics& diags);

}  // namespace qmlsim::qasm::detail

#pragma once
/// Source files and diagnostics of the OpenQASM front end (internal to simulator/qasm).
///
/// A SourceFile owns its text; tokens and the syntax tree refer into it by byte offset and by
/// std::string_view, so a SourceFile never moves once created (they live in unique_ptrs).
/// Columns are counted in UTF-8 code points, 1-based, and computed only when a diagnostic is made.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "simulator/qasm/qasm.hpp"

namespace qmlsim::qasm::detail {

class SourceFile {
 public:
  /// `name` is what diagnostics print; `path` (may be empty) is where includes resolve from.
  SourceFile(std::string name, std::filesystem::path path, std::string text);

  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }
  [[nodiscard]] std::string_view text() const noexcept { return text_; }
  /// 1-based line of a byte offset.
  [[nodiscard]] int line_of(std::uint32_t offset) const noexcept;
  /// 1-based column (code points) of a byte offset on its line.
  [[nodiscard]] int column_of(std::uint32_t offset) const noexcept;
  /// The text of a 1-based line, without its line break.
  [[nodiscard]] std::string_view line_text(int line) const noexcept;

 private:
  std::string name_;
  std::filesystem::path path_;
  std::string text_;
  std::vector<std::uint32_t> line_starts_;
};

/// A position in a source file (the file pointer is null only for synthesised nodes).
struct Location {
  const SourceFile* file = nullptr;
  std::uint32_t offset = 0;
};

/// A semantic error at a source position, thrown inside the lowering and recorded by the
/// statement loop (which then continues with the next statement).
struct SourceError {
  Location loc;
  std::string message;
};

/// Offset of the first byte that breaks UTF-8 (overlong forms, surrogates and code points above
/// U+10FFFF included), or nothing if `text` is valid UTF-8.
[[nodiscard]] std::optional<std::uint32_t> find_invalid_utf8(std::string_view text) noexcept;

/// Thrown when the diagnostic limit is reached: parsing stops, what was collected is reported.
struct TooManyErrors {};

/// Collects diagnostics, at most kMaxDiagnostics of them.
class Diagnostics {
 public:
  static constexpr std::size_t kMaxDiagnostics = 50;

  /// Records an error; throws TooManyErrors once the limit is reached.
  void error(Location loc, std::string message);
  [[nodiscard]] bool empty() const noexcept { return list_.empty(); }
  [[nodiscard]] std::size_t size() const noexcept { return list_.size(); }
  [[nodiscard]] std::vector<Diagnostic>& list() noexcept { return list_; }

 private:
  std::vector<Diagnostic> list_;
};

/// Builds one Diagnostic (file, line, column, message, source line).
[[nodiscard]] Diagnostic make_diagnostic(Location loc, std::string message);

/// Levenshtein distance between two short strings (for "did you mean").
[[nodiscard]] std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `name` by edit distance, if it is close enough to be a likely typo.
[[nodiscard]] std::optional<std::string> closest_name(std::string_view name, const std::vector<std::string_view>& candidates);

}  // namespace qmlsim::qasm::detail

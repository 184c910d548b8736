#include "simulator/qasm/qasm.hpp"

#include <algorithm>

#include "simulator/qasm/lowering.hpp"
#include "simulator/qasm/parser.hpp"
#include "simulator/qasm/source.hpp"

namespace qmlsim::qasm {
namespace {

const Diagnostic& first_or_empty(const std::vector<Diagnostic>& diagnostics) {
  static const Diagnostic kNone{};
  return diagnostics.empty() ? kNone : diagnostics.front();
}

/// file:line:col: message, then the source line and a caret under the column.
std::string format(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const Diagnostic& d : diagnostics) {
    if (!out.empty()) out += '\n';
    out += d.file + ":" + std::to_string(d.line) + ":" + std::to_string(d.column) + ": " + d.message;
    if (d.source_line.empty()) continue;
    out += "\n    " + d.source_line + "\n    ";
    int column = 1;
    for (std::size_t i = 0; i < d.source_line.size() && column < d.column; ++i) {
      const auto c = static_cast<unsigned char>(d.source_line[i]);
      if ((c & 0xC0) == 0x80) continue;  // continuation byte: same code point
      out += c == '\t' ? '\t' : ' ';
      ++column;
    }
    out += '^';
  }
  return out;
}

Program run_session(detail::ParseSession& session, const detail::SourceFile& file) {
  Program program;
  detail::Diagnostics& diags = session.diagnostics();
  try {
    detail::Lowering lowering(session.options(), diags);
    session.parse_main(file, lowering);
    program = lowering.finish({&file, static_cast<std::uint32_t>(file.text().size())});
  } catch (const detail::TooManyErrors&) {
    // The limit was reached: report what was collected.
  }
  if (!diags.empty()) throw QasmError(std::move(diags.list()));
  return program;
}

}  // namespace

QasmError::QasmError(std::vector<Diagnostic> diagnostics)
    : ParseError(first_or_empty(diagnostics).file, first_or_empty(diagnostics).line, first_or_empty(diagnostics).column,
                 first_or_empty(diagnostics).message),
      diagnostics_(std::move(diagnostics)),
      text_(format(diagnostics_)) {}

Program parse_file(const std::filesystem::path& path, const Options& options) {
  std::string text = detail::read_source_file(path, options.max_file_bytes);
  detail::ParseSession session(options);
  const detail::SourceFile& file = session.add_file(path.string(), path, std::move(text));
  return run_session(session, file);
}

Program parse(std::string_view source, const std::string& filename, const Options& options) {
  constexpr std::uint64_t kOffsetLimit = (std::uint64_t{1} << 32) - 1;
  const std::uint64_t limit = std::min(options.max_file_bytes, kOffsetLimit);
  if (source.size() > limit)
    throw ResourceError(filename + ": source of " + std::to_string(source.size()) + " bytes exceeds the limit of " +
                        std::to_string(limit) + " bytes (Options::max_file_bytes)");
  detail::ParseSession session(options);
  const detail::SourceFile& file = session.add_file(filename, filename, std::string(source));
  return run_session(session, file);
}

}  // namespace qmlsim::qasm

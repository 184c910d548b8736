#include "simulator/qasm/source.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace qmlsim::qasm::detail {

SourceFile::SourceFile(std::string name, std::filesystem::path path, std::string text)
    : name_(std::move(name)), path_(std::move(path)), text_(std::move(text)) {
  line_starts_.push_back(0);
  const char* begin = text_.data();
  const char* end = begin + text_.size();
  for (const char* p = begin; p < end;) {
    const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
    if (!nl) break;
    p = static_cast<const char*>(nl) + 1;
    line_starts_.push_back(static_cast<std::uint32_t>(p - begin));
  }
}

int SourceFile::line_of(std::uint32_t offset) const noexcept {
  const auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  return static_cast<int>(it - line_starts_.begin());
}

int SourceFile::column_of(std::uint32_t offset) const noexcept {
  const int line = line_of(offset);
  const std::uint32_t start = line_starts_[static_cast<std::size_t>(line - 1)];
  int column = 1;
  for (std::uint32_t i = start; i < offset && i < text_.size(); ++i)
    if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++column;  // skip continuation bytes
  return column;
}

std::string_view SourceFile::line_text(int line) const noexcept {
  if (line < 1 || static_cast<std::size_t>(line) > line_starts_.size()) return {};
  const std::size_t start = line_starts_[static_cast<std::size_t>(line - 1)];
  std::size_t end = static_cast<std::size_t>(line) < line_starts_.size() ? line_starts_[static_cast<std::size_t>(line)] - 1
                                                                         : text_.size();
  if (end > start && text_[end - 1] == '\r') --end;
  return std::string_view(text_).substr(start, end - start);
}

std::optional<std::uint32_t> find_invalid_utf8(std::string_view text) noexcept {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0Fu;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07u;
    } else {
      return static_cast<std::uint32_t>(i);
    }
    if (i + len > n) return static_cast<std::uint32_t>(i);
    for (std::size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return static_cast<std::uint32_t>(i);
      cp = (cp << 6) | (s[i + k] & 0x3Fu);
    }
    const bool overlong = (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return static_cast<std::uint32_t>(i);
    i += len;
  }
  return std::nullopt;
}

Diagnostic make_diagnostic(Location loc, std::string message) {
  Diagnostic d;
  d.message = std::move(message);
  if (loc.file) {
    d.file = loc.file->name();
    d.line = loc.file->line_of(loc.offset);
    d.column = loc.file->column_of(loc.offset);
    d.source_line = std::string(loc.file->line_text(d.line));
  }
  return d;
}

void Diagnostics::error(Location loc, std::string message) {
  if (list_.size() >= kMaxDiagnostics) throw TooManyErrors{};
  list_.push_back(make_diagnostic(loc, std::move(message)));
  if (list_.size() >= kMaxDiagnostics) {
    list_.back().message += " (too many errors; stopping here)";
    throw TooManyErrors{};
  }
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) == std::tolower(static_cast<unsigned char>(b[j - 1]));
      // Case is ignored, so "H" finds "h" and "Cx" finds "cx".
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (same ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

namespace {

std::size_t common_prefix(std::string_view a, std::string_view b) {
  std::size_t n = 0;
  while (n < a.size() && n < b.size() &&
         std::tolower(static_cast<unsigned char>(a[n])) == std::tolower(static_cast<unsigned char>(b[n])))
    ++n;
  return n;
}

}  // namespace

std::optional<std::string> closest_name(std::string_view name, const std::vector<std::string_view>& candidates) {
  std::optional<std::string> best;
  std::size_t best_distance = 0, best_prefix = 0;
  for (std::string_view c : candidates) {
    if (c == name) continue;
    const std::size_t d = edit_distance(name, c);
    // Close enough to be a typo: at most 2 edits, and at most half of the longer name changed.
    if (d > 2 || 2 * d > std::max(name.size(), c.size())) continue;
    // Ties go to the longer common prefix ("hh" -> "h" rather than "ch"), then alphabetically.
    const std::size_t prefix = common_prefix(name, c);
    if (!best || d < best_distance || (d == best_distance && (prefix > best_prefix || (prefix == best_prefix && c < *best)))) {
      best = std::string(c);
      best_distance = d;
      best_prefix = prefix;
    }
  }
  return best;
}

}  // namespace qmlsim::qasm::detail

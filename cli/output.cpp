#include "cli/output.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <ostream>
#include <stdexcept>

namespace qmlsim::cli {
namespace {

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

std::string text_of(const Cell& cell) {
  return std::visit(Overloaded{[](const std::string& s) { return s; },
                               [](std::int64_t i) { return std::to_string(i); },
                               [](std::uint64_t u) { return std::to_string(u); },
                               [](double d) { return format_short(d); }},
                    cell);
}

std::string csv_of(const Cell& cell) {
  return std::visit(Overloaded{[](const std::string& s) { return csv_field(s); },
                               [](std::int64_t i) { return std::to_string(i); },
                               [](std::uint64_t u) { return std::to_string(u); },
                               [](double d) { return format_exact(d); }},
                    cell);
}

bool is_number(const Cell& cell) noexcept { return !std::holds_alternative<std::string>(cell); }

// Column widths of the text table: the widest of the header and every cell.
std::vector<std::size_t> column_widths(const Table& table, const std::vector<std::vector<std::string>>& cells) {
  std::vector<std::size_t> widths;
  for (const auto& name : table.columns()) widths.push_back(name.size());
  for (const auto& row : cells)
    for (std::size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
  return widths;
}

// One line of the text table; `right[c]` right-aligns column c. The last column is not padded on
// the right, so lines carry no trailing spaces.
void write_line(std::ostream& out, const std::vector<std::string>& fields, const std::vector<std::size_t>& widths,
                const std::vector<bool>& right) {
  std::string line;
  for (std::size_t c = 0; c < fields.size(); ++c) {
    if (c > 0) line += "  ";
    const std::string pad(widths[c] - fields[c].size(), ' ');
    const bool last = c + 1 == fields.size();
    line += right[c] ? pad + fields[c] : (last ? fields[c] : fields[c] + pad);
  }
  out << line << '\n';
}

}  // namespace

Table::Table(std::vector<std::string> columns) : columns_(std::move(columns)) {}

void Table::add_row(std::vector<Cell> row) {
  if (row.size() != columns_.size())
    throw std::invalid_argument("Table::add_row: " + std::to_string(row.size()) + " cells for " +
                                std::to_string(columns_.size()) + " columns");
  rows_.push_back(std::move(row));
}

std::string format_exact(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buf[32];
  const auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, value);  // shortest round-trip form
  return ec == std::errc{} ? std::string(buf, ptr) : std::string("nan");
}

std::string format_short(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", value);
  return buf;
}

std::string csv_field(std::string_view text) {
  const bool quote = text.find_first_of(",\"\r\n") != std::string_view::npos ||
                     (!text.empty() && (text.front() == ' ' || text.back() == ' '));
  if (!quote) return std::string(text);
  std::string out = "\"";
  for (char ch : text) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

Json to_json(const Cell& cell) {
  return std::visit(Overloaded{[](const std::string& s) { return Json(s); },
                               [](std::int64_t i) { return Json(i); },
                               [](std::uint64_t u) { return Json(u); },
                               [](double d) { return std::isfinite(d) ? Json(d) : Json(nullptr); }},
                    cell);
}

Json to_json(const Table& table) {
  Json rows = Json::array();
  for (const auto& row : table.rows()) {
    Json object = Json::object();
    for (std::size_t c = 0; c < row.size(); ++c) object[table.columns()[c]] = to_json(row[c]);
    rows.push_back(std::move(object));
  }
  return rows;
}

Json to_json(const Record& record) {
  Json object = Json::object();
  for (const auto& [name, value] : record) object[name] = to_json(value);
  return object;
}

void write_text(std::ostream& out, const Record& record) {
  std::size_t width = 0;
  for (const auto& field : record) width = std::max(width, field.first.size());
  for (const auto& [name, value] : record)
    out << name << std::string(width - name.size() + 2, ' ') << text_of(value) << '\n';
}

void write_text(std::ostream& out, const Table& table) {
  std::vector<std::vector<std::string>> cells;
  for (const auto& row : table.rows()) {
    std::vector<std::string> fields;
    for (const auto& cell : row) fields.push_back(text_of(cell));
    cells.push_back(std::move(fields));
  }
  // A column is right-aligned when all its cells are numbers (and it has at least one row).
  std::vector<bool> right(table.columns().size(), !table.rows().empty());
  for (const auto& row : table.rows())
    for (std::size_t c = 0; c < row.size(); ++c) right[c] = right[c] && is_number(row[c]);
  const auto widths = column_widths(table, cells);
  write_line(out, table.columns(), widths, right);
  for (const auto& fields : cells) write_line(out, fields, widths, right);
}

void write_csv(std::ostream& out, const Table& table) {
  for (std::size_t c = 0; c < table.columns().size(); ++c) out << (c ? "," : "") << csv_field(table.columns()[c]);
  out << '\n';
  for (const auto& row : table.rows()) {
    for (std::size_t c = 0; c < row.size(); ++c) out << (c ? "," : "") << csv_of(row[c]);
    out << '\n';
  }
}

void write_json(std::ostream& out, const Json& value) {
  out << value.dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
}

void write_json(std::ostream& out, const Table& table) { write_json(out, to_json(table)); }

void write_table(std::ostream& out, const Table& table, Format format) {
  switch (format) {
    case Format::Table: write_text(out, table); return;
    case Format::Csv: write_csv(out, table); return;
    case Format::Json: write_json(out, table); return;
  }
}

}  // namespace qmlsim::cli

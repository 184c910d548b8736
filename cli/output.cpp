#include "cli/output.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ostream>
#include <stdexcept>

#include "simulator/core/validate.hpp"

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

// The messages' formatter (core/validate.hpp): one shortest round-trip text for what the CLI
// prints and what its messages say.
std::string format_exact(double value) { return format_number(value); }

std::string json_number(double value) {
  if (!std::isfinite(value)) return "null";
  std::string text = format_exact(value);
  if (text.find_first_of(".e") == std::string::npos) text += ".0";
  return text;
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
  write_rows(out, Format::Table, table.columns(), table.rows().size(),
             [&](std::uint64_t i) { return table.rows()[static_cast<std::size_t>(i)]; });
}

void write_rows(std::ostream& out, Format format, const std::vector<std::string>& columns, std::uint64_t count,
                const RowSource& row) {
  const auto checked_row = [&](std::uint64_t i) {
    std::vector<Cell> cells = row(i);
    if (cells.size() != columns.size())
      throw std::invalid_argument("write_rows: " + std::to_string(cells.size()) + " cells for " +
                                  std::to_string(columns.size()) + " columns");
    return cells;
  };
  if (format == Format::Json) throw std::invalid_argument("write_rows: JSON is not a row format");
  if (format == Format::Csv) {
    for (std::size_t c = 0; c < columns.size(); ++c) out << (c ? "," : "") << csv_field(columns[c]);
    out << '\n';
    for (std::uint64_t i = 0; i < count; ++i) {
      const auto cells = checked_row(i);
      for (std::size_t c = 0; c < cells.size(); ++c) out << (c ? "," : "") << csv_of(cells[c]);
      out << '\n';
    }
    return;
  }
  // Pass 1: widths, and which columns hold only numbers (right-aligned when there is a row).
  std::vector<std::size_t> widths;
  for (const auto& name : columns) widths.push_back(name.size());
  std::vector<bool> right(columns.size(), count > 0);
  for (std::uint64_t i = 0; i < count; ++i) {
    const auto cells = checked_row(i);
    for (std::size_t c = 0; c < cells.size(); ++c) {
      widths[c] = std::max(widths[c], text_of(cells[c]).size());
      right[c] = right[c] && is_number(cells[c]);
    }
  }
  // Pass 2: the lines.
  write_line(out, columns, widths, right);
  std::vector<std::string> fields(columns.size());
  for (std::uint64_t i = 0; i < count; ++i) {
    const auto cells = checked_row(i);
    for (std::size_t c = 0; c < cells.size(); ++c) fields[c] = text_of(cells[c]);
    write_line(out, fields, widths, right);
  }
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

std::string json_line(const Json& value) {
  if (value.is_object()) {
    std::string text = "{";
    for (auto it = value.begin(); it != value.end(); ++it) {
      if (it != value.begin()) text += ", ";
      text += Json(it.key()).dump(-1, ' ', false, Json::error_handler_t::replace);
      text += ": ";
      text += json_line(it.value());
    }
    return text + "}";
  }
  if (value.is_array()) {
    std::string text = "[";
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (i) text += ", ";
      text += json_line(value[i]);
    }
    return text + "]";
  }
  if (value.is_number_float()) return json_number(value.get<double>());
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

void write_json(std::ostream& out, const Table& table) { write_json(out, to_json(table)); }

void write_table(std::ostream& out, const Table& table, Format format) {
  switch (format) {
    case Format::Table: write_text(out, table); return;
    case Format::Csv: write_csv(out, table); return;
    case Format::Json: write_json(out, table); return;
  }
}

void write_record(std::ostream& out, const Record& record, Format format) {
  switch (format) {
    case Format::Table: write_text(out, record); return;
    case Format::Json: write_json(out, to_json(record)); return;
    case Format::Csv: {
      std::vector<std::string> columns;
      std::vector<Cell> row;
      for (const auto& [name, value] : record) {
        columns.push_back(name);
        row.push_back(value);
      }
      Table table(std::move(columns));
      table.add_row(std::move(row));
      write_csv(out, table);
      return;
    }
  }
}

}  // namespace qmlsim::cli

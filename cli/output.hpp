#pragma once
/// A tiny writer for tabular results: a Table of named columns and rows of cells (text, integer or
/// double), printed as an aligned text table, RFC 4180 CSV or JSON (an array of objects); and a
/// Record (named values of one result) printed as aligned "name  value" lines or a JSON object.
///
/// Numbers: CSV and JSON print doubles in the shortest form that reads back to the same bits
/// (at most 17 significant digits); non-finite doubles are "nan"/"inf"/"-inf" in CSV and null in
/// JSON. The text table is for people: doubles with 6 significant digits, numbers right-aligned,
/// text left-aligned. Key order in JSON objects is the column order.
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace qmlsim::cli {

/// --format table|csv|json.
enum class Format { Table, Csv, Json };

/// One value. Construct with the exact alternative type (std::int64_t{n}, not a plain int).
using Cell = std::variant<std::string, std::int64_t, std::uint64_t, double>;
/// Named values in display order.
using Record = std::vector<std::pair<std::string, Cell>>;
/// JSON with the keys in insertion order (so objects follow the column order).
using Json = nlohmann::ordered_json;

class Table {
 public:
  explicit Table(std::vector<std::string> columns);

  /// Appends a row; throws std::invalid_argument unless it has one cell per column.
  void add_row(std::vector<Cell> row);

  [[nodiscard]] const std::vector<std::string>& columns() const noexcept { return columns_; }
  [[nodiscard]] const std::vector<std::vector<Cell>>& rows() const noexcept { return rows_; }

 private:
  std::vector<std::string> columns_;
  std::vector<std::vector<Cell>> rows_;
};

/// Shortest decimal text that parses back to exactly `value` ("0.1", "1e-07", "nan", "inf").
[[nodiscard]] std::string format_exact(double value);
/// `value` with 6 significant digits ("0.5", "1.23457e-06"), for the text table.
[[nodiscard]] std::string format_short(double value);

/// A double as a JSON number: the shortest round-trip text (format_exact), with ".0" added when it
/// would read as an integer ("0.5", "1.0", "1e-07", "-0.0"); "null" when not finite.
[[nodiscard]] std::string json_number(double value);

/// One CSV field: quoted (with inner quotes doubled) when it holds a comma, quote, CR or LF, or
/// starts or ends with a space.
[[nodiscard]] std::string csv_field(std::string_view text);

/// A cell as JSON: string, integer or number (null when not finite).
[[nodiscard]] Json to_json(const Cell& cell);
/// The table as an array of objects, one per row, keyed by column name.
[[nodiscard]] Json to_json(const Table& table);
/// The record as one object.
[[nodiscard]] Json to_json(const Record& record);

/// Header line, then one line per row; columns separated by two spaces, no trailing spaces.
void write_text(std::ostream& out, const Table& table);
/// One "name  value" line per field, the values aligned (text table number format).
void write_text(std::ostream& out, const Record& record);
/// Header record, then one record per row, CRLF-free ("\n" line ends).
void write_csv(std::ostream& out, const Table& table);
/// to_json(table), indented by 2, with a final newline.
void write_json(std::ostream& out, const Table& table);
/// A JSON value, indented by 2, with a final newline.
void write_json(std::ostream& out, const Json& value);
/// A JSON value on one line with a space after each ',' and ':' (Python's json.dumps style):
/// {"a": [1, 2.5], "b": "x"}. Doubles in their shortest round-trip form, non-finite as null.
[[nodiscard]] std::string json_line(const Json& value);

/// A record in `format`: "name  value" lines (table), a one-row CSV table with the names as the
/// header (csv), or one JSON object (json).
void write_record(std::ostream& out, const Record& record, Format format);
/// Dispatches on `format`.
void write_table(std::ostream& out, const Table& table, Format format);

/// Produces row i (one cell per column) of a streamed table.
using RowSource = std::function<std::vector<Cell>(std::uint64_t)>;
/// Writes `count` rows row(0), row(1), ... as a text table (Format::Table, exactly as
/// write_text(Table) would) or CSV (Format::Csv, as write_csv), holding one row at a time: for
/// 2^n basis states. The text table calls row(i) twice per row (widths first), so row must
/// return the same cells each time. Throws std::invalid_argument for Format::Json or a row with
/// the wrong number of cells.
void write_rows(std::ostream& out, Format format, const std::vector<std::string>& columns, std::uint64_t count,
                const RowSource& row);

}  // namespace qmlsim::cli

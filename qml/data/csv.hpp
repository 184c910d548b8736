#pragma once
/// CSV data files: header row (or none), comma or semicolon (detected from the first line: ';'
/// when it has more semicolons than commas), one label column. Fields are trimmed of spaces and
/// tabs; "\r\n" line ends, a UTF-8 byte order mark and blank lines at the end are accepted;
/// quotes are not (a quoted number is not a number). Every defect is a ParseError
/// "file:line:column: what was found", lines and columns 1-based, the column being the character
/// (not byte) where the offending field starts, e.g. "iris.csv:17:3: 'abc' is not a number
/// (column 'sepal_width')".
#include <optional>
#include <string>
#include <string_view>

#include "qml/data/dataset.hpp"

namespace qmlsim::qml {

struct CsvOptions {
  /// The label column by header name. Unset: a column named "label", else the last column.
  std::optional<std::string> label_column;
  /// The file has no header row: every line is data and the label is the last column
  /// (label_column must then be unset).
  bool no_header = false;
  /// Classification labels (any text; sorted as scikit-learn does) or regression targets (numbers).
  Task task = Task::Classification;
  /// Classification: refuse a file with a single class ("a single class" is an error for
  /// training data, not for data to predict).
  bool require_two_classes = true;
  /// The file may lack a label column: with expected_features set, a file with exactly that
  /// many columns is read as unlabelled features (predict).
  std::optional<int> expected_features;
  /// Classification: the class names to map labels onto (a model's); a label not among them is
  /// an error at its position. Empty: the classes found in the file.
  std::vector<std::string> class_names;
};

/// The result of reading: the data set, and whether the file had labels. Without labels (see
/// expected_features) every row has class 0 of options.class_names (or of one class "") or
/// target 0: placeholders to ignore.
struct CsvData {
  Dataset data;
  bool has_labels = true;
  std::string label_name;  ///< the label column's header ("" without a header)
};

/// Reads `path`. Throws ParseError (file:line:column) for: an empty file (1:1), a header without
/// data rows (the line after it, column 1), an empty or repeated column name, a missing value
/// (empty field), a non-numeric or non-finite value (nan, inf, overflow), a ragged row or an empty
/// line among the rows, a label column that does not exist (the header line, column 1, listing
/// the columns), no feature column, a column count that fits neither expected_features nor
/// expected_features + 1 (1:1), a single class (when required; at the first row's label), an
/// unknown class (when class_names is given), a non-numeric regression target. InvalidArgument
/// for label_column with no_header; DatasetError when the file cannot be opened.
[[nodiscard]] CsvData read_csv(const std::string& path, const CsvOptions& options = {});
/// The same from text in memory; `name` stands for the file in messages.
[[nodiscard]] CsvData parse_csv(std::string_view text, const std::string& name, const CsvOptions& options = {});

}  // namespace qmlsim::qml

#pragma once
/// CSV data files: header row (or none), comma or semicolon (detected from the first line: ';'
/// when it has more semicolons than commas outside quotes), one label column. Fields are trimmed
/// of spaces and tabs; "\r\n" line ends, a UTF-8 byte order mark and blank lines at the end are
/// accepted.
/// Fields may be quoted as RFC 4180 says (R's write.csv, Excel): "a,b" holds the delimiter, ""
/// inside is a quote, the quotes are not part of the text ("1.5" is a number, "sepal length" a
/// name); a quoted field cannot span lines (an unterminated quote is an error). Every defect is
/// a ParseError "file:line:column: what was found", lines and columns 1-based, the column being
/// the character (not byte) where the offending field (its opening quote) starts, e.g.
/// "iris.csv:17:3: 'abc' is not a number (column 'sepal_width')".
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
  /// Classification: the class names to map labels onto (a model's); a label matches the name
  /// written the same, else one equal to it as a number ("1.0" matches "1"); a label matching
  /// none is an error at its position. Empty: the classes found in the file.
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
/// data rows (the line after it, column 1), an unterminated quoted field (at its opening quote),
/// text between a closing quote and the delimiter (where it starts), an empty or repeated column
/// name, a missing value (empty field), a non-numeric or non-finite value (nan, inf, overflow), a ragged row or an empty
/// line among the rows, a label column that does not exist (the header line, column 1, listing
/// the columns), no feature column, a column count that fits neither expected_features nor
/// expected_features + 1 (1:1), a single class (when required; at the first row's label), an
/// unknown class (when class_names is given: a label matches a class written the same or, both
/// being numbers, equal to it: "1.0" is class "1"), a non-numeric regression target.
/// InvalidArgument for label_column with no_header; DatasetError when the file cannot be opened
/// or read (a directory: "cannot read data file 'PATH': Is a directory").
[[nodiscard]] CsvData read_csv(const std::string& path, const CsvOptions& options = {});
/// The same from text in memory; `name` stands for the file in messages.
[[nodiscard]] CsvData parse_csv(std::string_view text, const std::string& name, const CsvOptions& options = {});

}  // namespace qmlsim::qml

#include "qml/data/csv.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <system_error>
#include <utility>
#include <vector>

#include "simulator/core/errors.hpp"

namespace qmlsim::qml {

namespace {

/// One line of the file: its text (without the line break) and its 1-based number.
struct Line {
  std::string_view text;
  int number = 0;
};

/// A field of a line: the trimmed, unquoted text and the 1-based character column where it starts
/// (the first non-blank character, the opening quote of a quoted field; for a blank field, the
/// position after the delimiter).
struct Field {
  std::string text;
  int column = 0;
};

bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

/// Character column of byte `offset` of `line`: UTF-8 continuation bytes do not count, so a
/// column is what an editor shows.
int column_of(std::string_view line, std::size_t offset) {
  int column = 1;
  for (std::size_t i = 0; i < offset && i < line.size(); ++i)
    if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) ++column;
  return column;
}

/// The lines of `text`: "\n" or "\r\n" breaks, a UTF-8 byte order mark dropped, blank lines at
/// the end dropped (a file ending in a newline has no empty last line).
std::vector<Line> split_lines(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::vector<Line> lines;
  int number = 0;
  while (!text.empty()) {
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (line.ends_with('\r')) line.remove_suffix(1);
    lines.push_back({line, ++number});
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  while (!lines.empty() && trim(lines.back().text).empty()) lines.pop_back();
  return lines;
}

/// The delimiter of the file, from its first line: ';' when it has more semicolons than commas
/// outside double quotes.
char detect_delimiter(std::string_view first_line) {
  long commas = 0;
  long semicolons = 0;
  bool quoted = false;
  for (const char c : first_line) {
    if (c == '"') quoted = !quoted;  // "" inside a quoted field toggles twice
    if (quoted) continue;
    commas += c == ',';
    semicolons += c == ';';
  }
  return semicolons > commas ? ';' : ',';
}

/// A decimal number (a leading '+' allowed), or nothing when the text is not entirely one.
/// Non-finite spellings ("nan", "inf") and overflow come back as non-finite values.
std::optional<double> parse_number(std::string_view text) {
  if (text.starts_with('+')) text.remove_prefix(1);
  if (text.empty() || text.front() == '+') return std::nullopt;
  double value = 0.0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (end != text.data() + text.size()) return std::nullopt;
  if (ec == std::errc::result_out_of_range) {
    // Overflow is infinite; underflow (1e-400) is a tiny number: zero is its nearest double.
    const auto e = text.find_first_of("eE");
    const bool negative_exponent = e != std::string_view::npos && e + 1 < text.size() && text[e + 1] == '-';
    if (negative_exponent) return text.front() == '-' ? -0.0 : 0.0;
    return text.front() == '-' ? -HUGE_VAL : HUGE_VAL;
  }
  if (ec != std::errc()) return std::nullopt;
  return value;
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out.append(out.empty() ? "" : ", ").append(n);
  return out;
}

/// Reads the files' text into a data set; one instance per call.
class CsvReader {
 public:
  CsvReader(std::string_view text, std::string name, const CsvOptions& options)
      : name_(std::move(name)), options_(options), lines_(split_lines(text)) {}

  CsvData read() {
    if (options_.no_header && options_.label_column)
      throw InvalidArgument("CSV options: a label column by name (" + *options_.label_column +
                            ") needs a header row; without one the label is the last column");
    if (lines_.empty()) fail(1, 1, "empty file (no header and no data rows)");
    delimiter_ = detect_delimiter(lines_.front().text);
    read_columns();
    const std::size_t first_data = options_.no_header ? 0 : 1;
    if (first_data >= lines_.size())
      fail(lines_.back().number + 1, 1, "only a header row, no data rows");

    const std::size_t rows = lines_.size() - first_data;
    const auto features = static_cast<Eigen::Index>(feature_names_.size());
    FeatureMatrix x(static_cast<Eigen::Index>(rows), features);
    std::vector<Field> labels;
    std::vector<int> label_lines;
    for (std::size_t r = 0; r < rows; ++r) {
      const Line& line = lines_[first_data + r];
      const auto fields = fields_of(line);
      if (trim(line.text).empty()) fail(line.number, 1, "empty line (expected " + plural(columns_, "field") + ")");
      if (static_cast<int>(fields.size()) != columns_) {
        const int column = static_cast<int>(fields.size()) < columns_
                               ? column_of(line.text, line.text.size())
                               : fields[static_cast<std::size_t>(columns_)].column;
        fail(line.number, column, "ragged row: expected " + plural(columns_, "field") + ", found " +
                                      std::to_string(fields.size()));
      }
      Eigen::Index j = 0;
      for (int c = 0; c < columns_; ++c) {
        const Field& f = fields[static_cast<std::size_t>(c)];
        if (c == label_index_) {
          if (f.text.empty()) fail(line.number, f.column, "missing value (empty label)");
          labels.push_back(f);
          label_lines.push_back(line.number);
        } else {
          x(static_cast<Eigen::Index>(r), j) = feature_value(f, line.number, feature_names_[static_cast<std::size_t>(j)]);
          ++j;
        }
      }
    }

    CsvData out;
    out.has_labels = label_index_ >= 0;
    out.label_name = label_name_;
    if (options_.task == Task::Regression) {
      std::vector<double> targets(rows, 0.0);
      for (std::size_t r = 0; r < labels.size(); ++r) targets[r] = target_value(labels[r], label_lines[r]);
      out.data = Dataset::regression(std::move(x), std::move(targets), feature_names_);
      return out;
    }
    if (!out.has_labels) {
      // Unlabelled rows (predict): every label 0 of the given classes, to be ignored (has_labels).
      std::vector<std::string> names = options_.class_names.empty() ? std::vector<std::string>{""} : options_.class_names;
      out.data = Dataset(std::move(x), Labels(rows, 0), std::move(names), feature_names_);
      return out;
    }
    auto [y, class_names] = encode_labels(labels, label_lines);
    out.data = Dataset(std::move(x), std::move(y), std::move(class_names), feature_names_);
    return out;
  }

 private:
  [[noreturn]] void fail(int line, int column, const std::string& message) const {
    throw ParseError(name_, line, column, message);
  }

  /// The fields of `line`, split at the delimiter, trimmed of blanks. A field may be quoted as
  /// RFC 4180 says (as R's write.csv and Excel write): enclosed in double quotes it may hold the
  /// delimiter, "" inside is one quote, and its text is kept as written between the quotes. A
  /// quote inside an unquoted field is an ordinary character. Quoted fields cannot span lines.
  std::vector<Field> fields_of(const Line& line) const {
    const std::string_view s = line.text;
    std::vector<Field> fields;
    std::size_t i = 0;
    while (true) {
      const std::size_t start = i;
      while (i < s.size() && is_blank(s[i])) ++i;
      Field f;
      if (i < s.size() && s[i] == '"') {
        f.column = column_of(s, i);
        for (++i;; ++i) {
          if (i >= s.size())
            fail(line.number, f.column,
                 "unterminated quoted field (no closing quote on this line; quoted fields cannot span lines)");
          if (s[i] == '"') {
            if (i + 1 >= s.size() || s[i + 1] != '"') break;
            ++i;  // "" is one quote
          }
          f.text += s[i];
        }
        ++i;  // the closing quote
        while (i < s.size() && is_blank(s[i])) ++i;
        if (i < s.size() && s[i] != delimiter_)
          fail(line.number, column_of(s, i),
               std::string("text after the closing quote of a quoted field (expected '") + delimiter_ +
                   "' or the line end; a quote inside a quoted field is written \"\")");
      } else {
        const std::size_t end = std::min(s.find(delimiter_, i), s.size());
        f.text = trim(s.substr(i, end - i));
        f.column = column_of(s, i < end ? i : start);
        i = end;
      }
      fields.push_back(std::move(f));
      if (i >= s.size()) break;
      ++i;  // the delimiter
    }
    return fields;
  }

  /// Column count, feature names, and which column is the label (-1: none).
  void read_columns() {
    const Line& first = lines_.front();
    const auto fields = fields_of(first);
    columns_ = static_cast<int>(fields.size());
    const bool unlabelled = options_.expected_features && columns_ == *options_.expected_features;
    if (options_.expected_features && !unlabelled && columns_ != *options_.expected_features + 1)
      fail(first.number, 1, "found " + plural(columns_, "column") + "; expected " +
                                std::to_string(*options_.expected_features) + " (features only) or " +
                                std::to_string(*options_.expected_features + 1) + " (features and a label)");
    std::vector<std::string> names;
    if (options_.no_header) {
      for (int c = 0; c < columns_; ++c) names.push_back(default_feature_name(static_cast<std::size_t>(c)));
    } else {
      for (const Field& f : fields) {
        if (f.text.empty()) fail(first.number, f.column, "empty column name in the header");
        const std::string name(f.text);
        if (std::find(names.begin(), names.end(), name) != names.end())
          fail(first.number, f.column, "column '" + name + "' appears twice in the header");
        names.push_back(name);
      }
    }
    if (unlabelled) {
      label_index_ = -1;
    } else if (options_.label_column) {
      const auto it = std::find(names.begin(), names.end(), *options_.label_column);
      if (it == names.end())
        fail(first.number, 1, "label column '" + *options_.label_column + "' does not exist (columns: " + join(names) + ")");
      label_index_ = static_cast<int>(it - names.begin());
    } else {
      const auto it = options_.no_header ? names.end() : std::find(names.begin(), names.end(), "label");
      label_index_ = it != names.end() ? static_cast<int>(it - names.begin()) : columns_ - 1;
    }
    if (label_index_ >= 0) {
      label_name_ = options_.no_header ? "" : names[static_cast<std::size_t>(label_index_)];
      names.erase(names.begin() + label_index_);
    }
    if (names.empty())
      fail(first.number, 1, "no feature columns (" + plural(columns_, "column") + ", the label included)");
    feature_names_ = std::move(names);
  }

  double feature_value(const Field& f, int line, const std::string& column) const {
    if (f.text.empty()) fail(line, f.column, "missing value (empty field in column '" + column + "')");
    const auto v = parse_number(f.text);
    if (!v) fail(line, f.column, "'" + f.text + "' is not a number (column '" + column + "')");
    if (!std::isfinite(*v))
      fail(line, f.column, "'" + f.text + "' is not finite (column '" + column + "'; nan and inf are refused)");
    return *v;
  }

  double target_value(const Field& f, int line) const {
    const auto v = parse_number(f.text);
    if (!v) fail(line, f.column, "'" + f.text + "' is not a number (regression targets are numbers)");
    if (!std::isfinite(*v)) fail(line, f.column, "'" + f.text + "' is not finite (regression target)");
    return *v;
  }

  /// Class indices and names. Without given class names, the classes found are sorted as
  /// scikit-learn's LabelEncoder sorts them: numerically when every label is a number (a class
  /// is then a value: "1" and "1.0" are one class, named as first written), else as text.
  std::pair<Labels, std::vector<std::string>> encode_labels(const std::vector<Field>& labels,
                                                            const std::vector<int>& lines) const {
    Labels y(labels.size(), 0);
    if (!options_.class_names.empty()) {
      const auto& names = options_.class_names;
      std::vector<std::optional<double>> name_values;
      for (const auto& n : names) name_values.push_back(parse_number(n));
      for (std::size_t r = 0; r < labels.size(); ++r) {
        const auto c = class_of(labels[r].text, names, name_values);
        if (!c) fail(lines[r], labels[r].column, "unknown class '" + labels[r].text + "' (classes: " + join(names) + ")");
        y[r] = *c;
      }
      check_two_classes(y, labels, lines, names);
      return {std::move(y), names};
    }
    std::vector<std::optional<double>> values;
    bool numeric = true;
    for (const Field& f : labels) {
      values.push_back(parse_number(f.text));
      numeric = numeric && values.back() && !std::isnan(*values.back());
    }
    std::vector<std::string> names;
    if (numeric) {
      std::map<double, std::string> classes;  // value -> first spelling
      for (std::size_t r = 0; r < labels.size(); ++r) classes.emplace(*values[r], labels[r].text);
      std::map<double, int> index;
      for (const auto& [value, name] : classes) {
        index.emplace(value, static_cast<int>(names.size()));
        names.push_back(name);
      }
      for (std::size_t r = 0; r < labels.size(); ++r) y[r] = index.at(*values[r]);
    } else {
      std::map<std::string, int, std::less<>> index;
      for (const Field& f : labels) index.emplace(f.text, 0);
      for (auto& [name, i] : index) {
        i = static_cast<int>(names.size());
        names.push_back(name);
      }
      for (std::size_t r = 0; r < labels.size(); ++r) y[r] = index.find(labels[r].text)->second;
    }
    check_two_classes(y, labels, lines, names);
    return {std::move(y), std::move(names)};
  }

  /// The index of `label` among the given class `names` (their numbers in `values`): the class
  /// written the same, else the first one equal to it as a number ("1.0" is class "1", as
  /// training without given names makes them one class). Nothing when no class matches.
  static std::optional<int> class_of(const std::string& label, const std::vector<std::string>& names,
                                     const std::vector<std::optional<double>>& values) {
    const auto it = std::find(names.begin(), names.end(), label);
    if (it != names.end()) return static_cast<int>(it - names.begin());
    const auto value = parse_number(label);
    if (!value) return std::nullopt;
    for (std::size_t c = 0; c < values.size(); ++c)
      if (values[c] && *values[c] == *value) return static_cast<int>(c);  // NaN equals nothing
    return std::nullopt;
  }

  void check_two_classes(const Labels& y, const std::vector<Field>& labels, const std::vector<int>& lines,
                         const std::vector<std::string>& names) const {
    if (!options_.require_two_classes || y.empty()) return;
    if (std::all_of(y.begin(), y.end(), [&](int c) { return c == y.front(); }))
      fail(lines.front(), labels.front().column,
           "a single class ('" + names[static_cast<std::size_t>(y.front())] + "' in all " + plural(static_cast<long long>(y.size()), "row") +
               " of column '" + (label_name_.empty() ? "last" : label_name_) + "'); classification needs two or more");
  }

  std::string name_;
  const CsvOptions& options_;
  std::vector<Line> lines_;
  char delimiter_ = ',';
  int columns_ = 0;
  int label_index_ = -1;
  std::string label_name_;
  std::vector<std::string> feature_names_;
};

}  // namespace

CsvData parse_csv(std::string_view text, const std::string& name, const CsvOptions& options) {
  return CsvReader(text, name, options).read();
}

CsvData read_csv(const std::string& path, const CsvOptions& options) {
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) throw DatasetError("cannot open data file '" + path + "': " + std::generic_category().message(errno));
  std::string text;
  std::array<char, 1 << 16> buffer{};
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), file.get())) > 0) text.append(buffer.data(), n);
  // A directory opens on Linux and fails only here (EISDIR): not an "empty file".
  if (std::ferror(file.get()))
    throw DatasetError("cannot read data file '" + path + "': " + std::generic_category().message(errno));
  return parse_csv(text, path, options);
}

}  // namespace qmlsim::qml

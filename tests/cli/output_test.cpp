#include "cli/output.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <sstream>

#include "simulator/core/rng.hpp"

namespace qmlsim::cli {
namespace {

std::string to_bitstring_for_test(std::size_t i) { return std::string{i & 2 ? '1' : '0', i & 1 ? '1' : '0'}; }

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Doubles that stress a decimal printer: short decimals, repeating binary fractions, extremes,
// subnormals, negative zero, and random bit patterns.
std::vector<double> tricky_doubles() {
  std::vector<double> v = {0.1,
                           1.0 / 3.0,
                           2.0 / 3.0,
                           3.141592653589793,
                           0.5000000000000001,
                           1e-300,
                           5e-324,
                           2.2250738585072014e-308,
                           std::numeric_limits<double>::max(),
                           -0.0,
                           123456789012345678.0,
                           -7.25e-7};
  Rng rng(42);
  while (v.size() < 200) {
    const double x = std::bit_cast<double>(rng());
    if (std::isfinite(x)) v.push_back(x);
  }
  return v;
}

TEST(OutputTest, CsvFieldQuotesOnlyWhenNeeded) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field(""), "");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_field("cr\rhere"), "\"cr\rhere\"");
  EXPECT_EQ(csv_field(" padded"), "\" padded\"");
  EXPECT_EQ(csv_field("padded "), "\"padded \"");
  EXPECT_EQ(csv_field("in ner"), "in ner");
}

TEST(OutputTest, CsvHasHeaderThenOneRecordPerRow) {
  Table t({"name", "n", "x", "u"});
  t.add_row({std::string("a,b"), std::int64_t{-3}, 0.1, std::uint64_t{18446744073709551615ULL}});
  t.add_row({std::string("q\"q"), std::int64_t{7}, 0.25, std::uint64_t{0}});
  std::ostringstream out;
  write_csv(out, t);
  EXPECT_EQ(out.str(),
            "name,n,x,u\n"
            "\"a,b\",-3,0.1,18446744073709551615\n"
            "\"q\"\"q\",7,0.25,0\n");
}

TEST(OutputTest, CsvNumbersRoundTripBitExact) {
  for (double x : tricky_doubles()) {
    Table t({"x"});
    t.add_row({x});
    std::ostringstream out;
    write_csv(out, t);
    const auto lines = lines_of(out.str());
    ASSERT_EQ(lines.size(), 2U);
    const double back = std::strtod(lines[1].c_str(), nullptr);
    EXPECT_EQ(std::bit_cast<std::uint64_t>(back), std::bit_cast<std::uint64_t>(x)) << lines[1];
  }
}

TEST(OutputTest, FormatExactIsShortAndRoundTrips) {
  EXPECT_EQ(format_exact(0.1), "0.1");
  EXPECT_EQ(format_exact(0.5), "0.5");
  EXPECT_EQ(format_exact(std::nan("")), "nan");
  EXPECT_EQ(format_exact(-std::numeric_limits<double>::infinity()), "-inf");
  for (double x : tricky_doubles()) {
    const std::string text = format_exact(x);
    EXPECT_LE(text.size(), 24U) << text;  // 17 digits, sign, point, exponent
    EXPECT_EQ(std::bit_cast<std::uint64_t>(std::strtod(text.c_str(), nullptr)), std::bit_cast<std::uint64_t>(x));
  }
}

TEST(OutputTest, FormatShortKeepsSixSignificantDigits) {
  EXPECT_EQ(format_short(0.5), "0.5");
  EXPECT_EQ(format_short(1.0 / 3.0), "0.333333");
  EXPECT_EQ(format_short(1234567.0), "1.23457e+06");
  EXPECT_EQ(format_short(std::numeric_limits<double>::infinity()), "inf");
}

TEST(OutputTest, JsonIsValidArrayOfObjectsInColumnOrder) {
  Table t({"zeta", "alpha", "count", "big"});
  t.add_row({std::string("q\"uote\\"), 0.1, std::int64_t{-5}, std::uint64_t{18446744073709551615ULL}});
  t.add_row({std::string("line\nbreak"), 2.5, std::int64_t{6}, std::uint64_t{1}});
  std::ostringstream out;
  write_json(out, t);
  const auto j = nlohmann::ordered_json::parse(out.str());
  ASSERT_TRUE(j.is_array());
  ASSERT_EQ(j.size(), 2U);
  std::vector<std::string> keys;
  for (const auto& item : j[0].items()) keys.push_back(item.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"zeta", "alpha", "count", "big"}));
  EXPECT_EQ(j[0]["zeta"], "q\"uote\\");
  EXPECT_EQ(j[1]["zeta"], "line\nbreak");
  EXPECT_EQ(j[0]["count"].get<std::int64_t>(), -5);
  EXPECT_EQ(j[0]["big"].get<std::uint64_t>(), 18446744073709551615ULL);
  EXPECT_EQ(j[1]["alpha"].get<double>(), 2.5);
}

TEST(OutputTest, JsonDoublesRoundTripBitExact) {
  const auto values = tricky_doubles();
  Table t({"x"});
  for (double x : values) t.add_row({x});
  std::ostringstream out;
  write_json(out, t);
  const auto j = nlohmann::json::parse(out.str());
  ASSERT_EQ(j.size(), values.size());
  for (std::size_t i = 0; i < values.size(); ++i)
    EXPECT_EQ(std::bit_cast<std::uint64_t>(j[i]["x"].get<double>()), std::bit_cast<std::uint64_t>(values[i]))
        << values[i];
}

TEST(OutputTest, JsonWritesNonFiniteAsNull) {
  EXPECT_TRUE(to_json(Cell{std::nan("")}).is_null());
  EXPECT_TRUE(to_json(Cell{std::numeric_limits<double>::infinity()}).is_null());
  EXPECT_EQ(to_json(Cell{std::string("x")}), "x");
}

TEST(OutputTest, RecordBecomesOneObject) {
  const Record r{{"b", std::string("text")}, {"a", std::int64_t{3}}, {"c", 0.1}};
  std::ostringstream out;
  write_json(out, to_json(r));
  const auto j = nlohmann::ordered_json::parse(out.str());
  ASSERT_TRUE(j.is_object());
  EXPECT_EQ(j.begin().key(), "b");
  EXPECT_EQ(j["a"], 3);
  EXPECT_EQ(j["c"].get<double>(), 0.1);
}

TEST(OutputTest, TextTableAlignsColumns) {
  Table t({"name", "value", "note"});
  t.add_row({std::string("a"), std::int64_t{1}, std::string("x")});
  t.add_row({std::string("longer-name"), 12345.5, std::string("yy")});
  t.add_row({std::string("mid"), std::int64_t{-7}, std::string("zzzzzz")});
  std::ostringstream out;
  write_text(out, t);
  const auto lines = lines_of(out.str());
  ASSERT_EQ(lines.size(), 4U);
  // Column starts: "name" at 0; "value" right-aligned so every line's value ends at the same
  // column; "note" left-aligned so every line's note starts at the same column.
  const std::size_t note_start = lines[0].find("note");
  const std::size_t value_end = lines[0].find("value") + std::string("value").size();
  EXPECT_EQ(lines[0].rfind("name", 0), 0U);
  const std::vector<std::pair<std::string, std::string>> cells = {
      {"1", "x"}, {"12345.5", "yy"}, {"-7", "zzzzzz"}};
  for (std::size_t r = 0; r < cells.size(); ++r) {
    const std::string& line = lines[r + 1];
    EXPECT_EQ(line.substr(note_start), cells[r].second) << line;
    EXPECT_EQ(line.substr(value_end - cells[r].first.size(), cells[r].first.size()), cells[r].first) << line;
    EXPECT_EQ(line[value_end - cells[r].first.size() - 1], ' ') << line;
  }
  EXPECT_EQ(lines[2].rfind("longer-name  ", 0), 0U);  // widest cell, then the two-space gap
  for (const auto& line : lines) EXPECT_NE(line.back(), ' ') << "trailing space: '" << line << "'";
}

TEST(OutputTest, TextRecordAlignsValues) {
  const Record r{{"circuit", std::string("ghz")}, {"n", std::int64_t{3}}, {"seconds", 0.5}};
  std::ostringstream out;
  write_text(out, r);
  EXPECT_EQ(out.str(), "circuit  ghz\nn        3\nseconds  0.5\n");
}

TEST(OutputTest, WriteTableDispatchesOnFormat) {
  Table t({"a"});
  t.add_row({std::int64_t{1}});
  std::ostringstream csv, json, text;
  write_table(csv, t, Format::Csv);
  write_table(json, t, Format::Json);
  write_table(text, t, Format::Table);
  EXPECT_EQ(csv.str(), "a\n1\n");
  EXPECT_EQ(nlohmann::json::parse(json.str()), nlohmann::json::parse(R"([{"a":1}])"));
  EXPECT_EQ(text.str(), "a\n1\n");
}

TEST(OutputTest, AddRowRejectsWrongCellCount) {
  Table t({"a", "b"});
  EXPECT_THROW(t.add_row({std::int64_t{1}}), std::invalid_argument);
  EXPECT_TRUE(t.rows().empty());
}

TEST(OutputTest, JsonNumberIsExactAndAlwaysReadsAsADouble) {
  EXPECT_EQ(json_number(0.5), "0.5");
  EXPECT_EQ(json_number(1.0), "1.0");
  EXPECT_EQ(json_number(0.0), "0.0");
  EXPECT_EQ(json_number(-0.0), "-0.0");
  EXPECT_EQ(json_number(-3.0), "-3.0");
  EXPECT_EQ(json_number(1e-7), "1e-07");
  EXPECT_EQ(json_number(0.1), "0.1");
  EXPECT_EQ(json_number(std::nan("")), "null");
  EXPECT_EQ(json_number(std::numeric_limits<double>::infinity()), "null");
  for (double x : tricky_doubles()) {
    const auto j = nlohmann::json::parse(json_number(x));
    ASSERT_TRUE(j.is_number_float()) << json_number(x);
    EXPECT_EQ(std::bit_cast<std::uint64_t>(j.get<double>()), std::bit_cast<std::uint64_t>(x)) << json_number(x);
  }
}

TEST(OutputTest, JsonLineIsOneLineWithSpacesAfterSeparators) {
  Json j = Json::object();
  j["a"] = Json::array({1, 2.5, -0.0});
  j["b"] = "x \"quoted\"\n";
  j["c"] = Json::object({{"n", nullptr}, {"t", true}});
  j["d"] = Json::array();
  j["e"] = std::numeric_limits<double>::quiet_NaN();
  j["f"] = std::uint64_t{18446744073709551615ULL};
  EXPECT_EQ(json_line(j),
            R"({"a": [1, 2.5, -0.0], "b": "x \"quoted\"\n", "c": {"n": null, "t": true}, "d": [], "e": null, )"
            R"("f": 18446744073709551615})");
  EXPECT_EQ(nlohmann::ordered_json::parse(json_line(j))["b"], "x \"quoted\"\n");
  EXPECT_EQ(json_line(Json(1.0)), "1.0");
}

TEST(OutputTest, StreamedRowsMatchTheTableWriters) {
  Table t({"index", "bitstring", "probability"});
  const std::vector<double> p = {0.5, 0.0, 1.0 / 3, 1e-9};
  for (std::size_t i = 0; i < p.size(); ++i)
    t.add_row({std::uint64_t{i}, to_bitstring_for_test(i), p[i]});
  const RowSource row = [&](std::uint64_t i) { return t.rows()[i]; };
  std::ostringstream text, streamed_text, csv, streamed_csv;
  write_text(text, t);
  write_csv(csv, t);
  write_rows(streamed_text, Format::Table, t.columns(), p.size(), row);
  write_rows(streamed_csv, Format::Csv, t.columns(), p.size(), row);
  EXPECT_EQ(streamed_text.str(), text.str());
  EXPECT_EQ(streamed_csv.str(), csv.str());
  EXPECT_EQ(text.str(),
            "index  bitstring  probability\n"
            "    0  00                 0.5\n"
            "    1  01                   0\n"
            "    2  10            0.333333\n"
            "    3  11               1e-09\n");
  // No rows: just the header, left-aligned.
  std::ostringstream empty;
  write_rows(empty, Format::Table, {"a", "b"}, 0, row);
  EXPECT_EQ(empty.str(), "a  b\n");
  std::ostringstream unused;
  EXPECT_THROW(write_rows(unused, Format::Json, t.columns(), 1, row), std::invalid_argument);
  EXPECT_THROW(write_rows(unused, Format::Csv, {"a"}, 1, row), std::invalid_argument);
}

}  // namespace
}  // namespace qmlsim::cli

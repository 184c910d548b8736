#include "qml/data/csv.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <string>
#include <system_error>

#include "simulator/core/errors.hpp"
#include "tests/support/error_message.hpp"
#include "tests/support/temp_files.hpp"

namespace qmlsim::qml {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

/// The ParseError that parsing `text` (as "data.csv") throws.
ParseError parse_error(const std::string& text, const CsvOptions& options = {}) {
  try {
    (void)parse_csv(text, "data.csv", options);
  } catch (const ParseError& e) {
    return e;
  }
  ADD_FAILURE() << "no ParseError for:\n" << text;
  return ParseError("", 0, 0, "");
}

/// Checks the position and that the message contains `what` (and what() the full prefix).
void expect_error(const std::string& text, int line, int column, const std::string& what, const CsvOptions& options = {}) {
  const ParseError e = parse_error(text, options);
  EXPECT_EQ(e.file(), "data.csv") << text;
  EXPECT_EQ(e.line(), line) << text << "\n" << e.what();
  EXPECT_EQ(e.column(), column) << text << "\n" << e.what();
  EXPECT_THAT(e.message(), HasSubstr(what)) << text;
  EXPECT_THAT(std::string(e.what()), HasSubstr("data.csv:" + std::to_string(line) + ":" + std::to_string(column) + ": "));
}

TEST(CsvTest, ReadsHeaderFeaturesAndTheColumnNamedLabel) {
  const CsvData csv = parse_csv("a,label,b\n1,x,2\n3,y,4.5\n-1e-3,x,+6\n", "t.csv");
  EXPECT_TRUE(csv.has_labels);
  EXPECT_EQ(csv.label_name, "label");
  const Dataset& d = csv.data;
  EXPECT_THAT(d.feature_names(), ElementsAre("a", "b"));
  EXPECT_THAT(d.class_names(), ElementsAre("x", "y"));
  EXPECT_THAT(d.y(), ElementsAre(0, 1, 0));
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d.x()(0, 0), 1.0);
  EXPECT_EQ(d.x()(1, 1), 4.5);
  EXPECT_EQ(d.x()(2, 0), -1e-3);
  EXPECT_EQ(d.x()(2, 1), 6.0);
}

TEST(CsvTest, LabelIsTheLastColumnWithoutOneNamedLabel) {
  const CsvData csv = parse_csv("p,q,class\n1,2,b\n3,4,a\n", "t.csv");
  EXPECT_EQ(csv.label_name, "class");
  EXPECT_THAT(csv.data.feature_names(), ElementsAre("p", "q"));
  EXPECT_THAT(csv.data.class_names(), ElementsAre("a", "b"));
  EXPECT_THAT(csv.data.y(), ElementsAre(1, 0));
}

TEST(CsvTest, LabelColumnByName) {
  CsvOptions o;
  o.label_column = "p";
  const CsvData csv = parse_csv("p,q,label\n1,2,3\n0,4,5\n", "t.csv", o);
  EXPECT_EQ(csv.label_name, "p");
  EXPECT_THAT(csv.data.feature_names(), ElementsAre("q", "label"));
  EXPECT_THAT(csv.data.class_names(), ElementsAre("0", "1"));
  EXPECT_THAT(csv.data.y(), ElementsAre(1, 0));
}

TEST(CsvTest, SemicolonsCrlfSpacesBomAndTrailingEmptyLines) {
  const CsvData csv = parse_csv("\xEF\xBB\xBF a ; b ;label\r\n 1.5 ;2; 0\r\n3 ; 4 ;1\r\n\r\n  \n", "t.csv");
  EXPECT_THAT(csv.data.feature_names(), ElementsAre("a", "b"));
  ASSERT_EQ(csv.data.size(), 2u);
  EXPECT_EQ(csv.data.x()(0, 0), 1.5);
  EXPECT_EQ(csv.data.x()(1, 1), 4.0);
  EXPECT_THAT(csv.data.y(), ElementsAre(0, 1));
}

TEST(CsvTest, NoHeaderTakesTheLastColumnAsLabel) {
  CsvOptions o;
  o.no_header = true;
  const CsvData csv = parse_csv("1,2,b\n3,4,a\n", "t.csv", o);
  EXPECT_EQ(csv.label_name, "");
  EXPECT_THAT(csv.data.feature_names(), ElementsAre("x0", "x1"));
  EXPECT_THAT(csv.data.class_names(), ElementsAre("a", "b"));
  EXPECT_EQ(csv.data.x()(0, 0), 1.0);
  o.label_column = "b";
  EXPECT_THROW((void)parse_csv("1,2,b\n", "t.csv", o), InvalidArgument);
}

TEST(CsvTest, NumericLabelsSortAsNumbersAndKeepTheirSpelling) {
  // scikit-learn's LabelEncoder on numbers: [-1, 2.5, 9, 10].
  const CsvData csv = parse_csv("a,label\n0,10\n1,9\n2,2.5\n3,-1\n4,9.0\n", "t.csv");
  EXPECT_THAT(csv.data.class_names(), ElementsAre("-1", "2.5", "9", "10"));
  EXPECT_THAT(csv.data.y(), ElementsAre(3, 2, 1, 0, 2));  // "9.0" is class 9
}

TEST(CsvTest, MixedLabelsSortAsText) {
  // LabelEncoder().fit(['10', '9', '2', '-1', 'b']).classes_ == ['-1', '10', '2', '9', 'b'].
  const CsvData csv = parse_csv("a,label\n0,10\n1,9\n2,2\n3,-1\n4,b\n", "t.csv");
  EXPECT_THAT(csv.data.class_names(), ElementsAre("-1", "10", "2", "9", "b"));
  EXPECT_THAT(csv.data.y(), ElementsAre(1, 3, 2, 0, 4));
}

TEST(CsvTest, GivenClassNamesMapLabels) {
  CsvOptions o;
  o.class_names = {"z", "x", "y"};
  const CsvData csv = parse_csv("a,label\n0,x\n1,y\n", "t.csv", o);
  EXPECT_THAT(csv.data.class_names(), ElementsAre("z", "x", "y"));
  EXPECT_THAT(csv.data.y(), ElementsAre(1, 2));
}

TEST(CsvTest, GivenNumericClassNamesMatchLabelsEqualAsNumbers) {
  // Training makes "1" and "1.0" one class; a model's class "1" must then take a test label "1.0".
  CsvOptions o;
  o.class_names = {"1", "2"};
  const CsvData csv = parse_csv("a,label\n0,1.0\n1,2\n2,+1\n3,1e0\n4,2.000\n", "t.csv", o);
  EXPECT_THAT(csv.data.class_names(), ElementsAre("1", "2"));
  EXPECT_THAT(csv.data.y(), ElementsAre(0, 1, 0, 0, 1));
  expect_error("a,label\n0,1.0\n1,1.5\n", 3, 3, "unknown class '1.5' (classes: 1, 2)", o);
  expect_error("a,label\n0,1.0\n1,  x\n", 3, 5, "unknown class 'x'", o);
  // The class written the same comes first; else the first equal as a number.
  o.class_names = {"1.0", "1", "b"};
  EXPECT_THAT(parse_csv("a,label\n0,1\n1,1.0\n2,1.00\n3,b\n", "t.csv", o).data.y(), ElementsAre(1, 0, 0, 2));
  // Text classes match as text only; NaN equals nothing.
  o.class_names = {"a", "nan"};
  EXPECT_THAT(parse_csv("a,label\n0,nan\n1,a\n", "t.csv", o).data.y(), ElementsAre(1, 0));
  expect_error("a,label\n0,a\n1,NaN\n", 3, 3, "unknown class 'NaN'", o);
}

TEST(CsvTest, QuotedFieldsAsRAndExcelWriteThem) {
  // write.csv(df, row.names = FALSE) quotes names and text; "" inside is a quote.
  const CsvData csv = parse_csv(
      "\"sepal length\",\"petal, width\",\"label\"\n"
      "\"1.5\",2,\"a,b\"\n"
      " \"-3\" , \"4e1\"\t,\"say \"\"hi\"\"\"\n",
      "t.csv");
  EXPECT_EQ(csv.label_name, "label");
  EXPECT_THAT(csv.data.feature_names(), ElementsAre("sepal length", "petal, width"));
  ASSERT_EQ(csv.data.size(), 2u);
  EXPECT_EQ(csv.data.x()(0, 0), 1.5);
  EXPECT_EQ(csv.data.x()(0, 1), 2.0);
  EXPECT_EQ(csv.data.x()(1, 0), -3.0);
  EXPECT_EQ(csv.data.x()(1, 1), 40.0);
  EXPECT_THAT(csv.data.class_names(), ElementsAre("a,b", "say \"hi\""));
  EXPECT_THAT(csv.data.y(), ElementsAre(0, 1));
  // Quoted numeric labels are numbers: "10" sorts after "9".
  EXPECT_THAT(parse_csv("a,label\n1,\"10\"\n2,\"9\"\n3,9.0\n", "t.csv").data.class_names(), ElementsAre("9", "10"));
  // A quote inside an unquoted field is a character; """" is one quote.
  EXPECT_THAT(parse_csv("a,label\n1,x\"y\n2,\"\"\"\"\n", "t.csv").data.class_names(), ElementsAre("\"", "x\"y"));
}

TEST(CsvTest, QuotedDelimitersDoNotCountWhenDetectingIt) {
  // Two semicolons inside quotes, one comma outside: commas.
  const CsvData commas = parse_csv("\"a;b;c\",label\n1,x\n2,y\n", "t.csv");
  EXPECT_THAT(commas.data.feature_names(), ElementsAre("a;b;c"));
  // Semicolons, with a quoted comma (a decimal comma is not a number, but a label may hold it).
  const CsvData semicolons = parse_csv("\"a\";\"b,c\";label\n 1 ; \"2\" ;\"x,1\"\n3;4;y\n", "t.csv");
  EXPECT_THAT(semicolons.data.feature_names(), ElementsAre("a", "b,c"));
  EXPECT_EQ(semicolons.data.x()(0, 1), 2.0);
  EXPECT_THAT(semicolons.data.class_names(), ElementsAre("x,1", "y"));
}

TEST(CsvTest, QuotingDefectsHaveTheirPosition) {
  const std::string unterminated = "unterminated quoted field";
  expect_error("a,label\n\"1.5,x\n", 2, 1, unterminated);
  expect_error("a,b,label\n1, \"2,0\n", 2, 4, unterminated);
  expect_error("\"a,label\n1,x\n", 1, 1, unterminated);
  // Newlines inside quoted fields are refused, at the opening quote.
  expect_error("a,label\n1,\"multi\nline\"\n", 2, 3, "quoted fields cannot span lines");
  expect_error("label,a\n\xC3\xBC,\"x\n", 2, 3, unterminated);  // 'ü' is one column
  const std::string after = "text after the closing quote of a quoted field (expected ',' or the line end";
  expect_error("a,label\n\"1\"5,x\n", 2, 4, after);
  expect_error("a,label\n\"1\" x,y\n", 2, 5, after);
  expect_error("\"a\"b,label\n", 1, 4, after);
  expect_error("a;label\n1;\"y\"z\n", 2, 6, "(expected ';' or the line end");
  // The quotes are not part of the value: positions are the opening quote's.
  expect_error("a,b,label\n1,\"abc\",0\n", 2, 3, "'abc' is not a number (column 'b')");
  expect_error("a,b,label\n1,  \"\",0\n", 2, 5, "missing value (empty field in column 'b')");
  expect_error("a,\"\",label\n", 1, 3, "empty column name");
  expect_error("\"a\",a,label\n", 1, 5, "column 'a' appears twice");
}

TEST(CsvTest, RegressionTargets) {
  CsvOptions o;
  o.task = Task::Regression;
  const CsvData csv = parse_csv("a,y\n0,1.5\n1,-2\n", "t.csv", o);
  EXPECT_EQ(csv.data.task(), Task::Regression);
  EXPECT_THAT(csv.data.targets(), ElementsAre(1.5, -2.0));
  expect_error("a,y\n0,1.5\n1,high\n", 3, 3, "'high' is not a number", o);
  expect_error("a,y\n0,inf\n", 2, 3, "'inf' is not finite", o);
}

TEST(CsvTest, ExpectedFeaturesAcceptsUnlabelledFiles) {
  CsvOptions o;
  o.expected_features = 2;
  o.class_names = {"a", "b"};
  o.require_two_classes = false;  // as predict reads
  const CsvData unlabelled = parse_csv("p,q\n1,2\n3,4\n", "t.csv", o);
  EXPECT_FALSE(unlabelled.has_labels);
  EXPECT_EQ(unlabelled.data.size(), 2u);
  EXPECT_THAT(unlabelled.data.feature_names(), ElementsAre("p", "q"));
  const CsvData labelled = parse_csv("p,q,label\n1,2,b\n3,4,b\n", "t.csv", o);
  EXPECT_TRUE(labelled.has_labels);
  EXPECT_THAT(labelled.data.y(), ElementsAre(1, 1));
  expect_error("p,q,r,s\n1,2,3,4\n", 1, 1, "found 4 columns; expected 2 (features only) or 3 (features and a label)", o);
}

TEST(CsvTest, EveryDefectHasItsPosition) {
  expect_error("", 1, 1, "empty file");
  expect_error("\n  \r\n", 1, 1, "empty file");
  expect_error("a,b,label\n", 2, 1, "only a header row");
  expect_error("a,b,label\r\n\r\n", 2, 1, "only a header row");
  expect_error("a,b,label\n1,,0\n", 2, 3, "missing value (empty field in column 'b')");
  expect_error("a,b,label\n1,  ,0\n", 2, 3, "missing value");
  expect_error("a,b,label\n1,2,\n", 2, 5, "missing value (empty label)");
  expect_error("a,b,label\n1,2,0\n3, abc,1\n", 3, 4, "'abc' is not a number (column 'b')");
  expect_error("a,b,label\n1,2x,0\n", 2, 3, "'2x' is not a number");
  expect_error("a,b,label\n1,nan,0\n", 2, 3, "'nan' is not finite (column 'b'; nan and inf are refused)");
  expect_error("a,b,label\n-inf,1,0\n", 2, 1, "'-inf' is not finite");
  expect_error("a,b,label\n1,1e999,0\n", 2, 3, "'1e999' is not finite");
  expect_error("a,b,label\n1,2,0\n1,2\n", 3, 4, "ragged row: expected 3 fields, found 2");
  expect_error("a,b,label\n1,2,0,5\n", 2, 7, "ragged row: expected 3 fields, found 4");
  expect_error("a,b,label\n1,2,0\n\n3,4,1\n", 3, 1, "empty line (expected 3 fields)");
  expect_error("a,label\n1,x\n2, x\n", 2, 3, "a single class ('x' in all 2 rows of column 'label')");
  expect_error("label\n0\n1\n", 1, 1, "no feature columns");
  CsvOptions target;
  target.label_column = "target";
  expect_error("a,b,label\n1,2,0\n", 1, 1, "label column 'target' does not exist (columns: a, b, label)", target);
  CsvOptions known;
  known.class_names = {"x", "y"};
  expect_error("a,label\n1,x\n2,z\n", 3, 3, "unknown class 'z' (classes: x, y)", known);
  expect_error("a,,label\n", 1, 3, "empty column name");
  expect_error("a,b,a\n1,2,0\n", 1, 5, "column 'a' appears twice");
}

TEST(CsvTest, SingleClassAllowedWhenNotRequired) {
  CsvOptions o;
  o.require_two_classes = false;
  const CsvData csv = parse_csv("a,label\n1,x\n2,x\n", "t.csv", o);
  EXPECT_EQ(csv.data.num_classes(), 1);
}

TEST(CsvTest, ColumnsCountCharactersNotBytes) {
  // 'ü' is two bytes in UTF-8 but one column.
  expect_error("label,a\n\xC3\xBC,x\n", 2, 3, "'x' is not a number");
}

TEST(CsvTest, ReadsFilesAndNamesThemInErrors) {
  const testing::TempDir dir;
  const std::string good = dir.write("good.csv", "a,label\n1,0\n2,1\n");
  EXPECT_EQ(read_csv(good).data.size(), 2u);
  const std::string bad = dir.write("bad.csv", "a,label\n1,0\nx,1\n");
  try {
    (void)read_csv(bad);
    FAIL() << "no ParseError";
  } catch (const ParseError& e) {
    EXPECT_EQ(std::string(e.what()), bad + ":3:1: 'x' is not a number (column 'a')");
  }
  EXPECT_THROW((void)read_csv((dir.path() / "missing.csv").string()), DatasetError);
}

TEST(CsvTest, ADirectoryIsNotAnEmptyFile) {
  const testing::TempDir dir;
  const std::string path = dir.path().string();
  EXPECT_EQ(testing::dataset_error_of([&] { (void)read_csv(path); }),
            "cannot read data file '" + path + "': " + std::generic_category().message(EISDIR));
}

}  // namespace
}  // namespace qmlsim::qml

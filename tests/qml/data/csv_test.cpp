#include "qml/data/csv.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "simulator/core/errors.hpp"
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
  expect_error("a,b,label\n1,\"2\",0\n", 2, 3, "'\"2\"' is not a number");
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

}  // namespace
}  // namespace qmlsim::qml

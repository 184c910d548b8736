#include "simulator/qasm/source.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace qmlsim::qasm::detail {
namespace {

TEST(SourceTest, FindsTheFirstInvalidUtf8Byte) {
  EXPECT_FALSE(find_invalid_utf8("plain ascii"));
  EXPECT_FALSE(find_invalid_utf8("\xCF\x80 \xE2\x84\x87 \xF0\x9F\x98\x80"));  // pi, euler's E, an emoji
  EXPECT_EQ(find_invalid_utf8("ab\xFF"), 2U);                                   // never valid
  EXPECT_EQ(find_invalid_utf8("a\xC0\xAF"), 1U);                                // overlong '/'
  EXPECT_EQ(find_invalid_utf8("\xE0\x80\xAF"), 0U);                             // overlong, 3 bytes
  EXPECT_EQ(find_invalid_utf8("x\xED\xA0\x80"), 1U);                            // a surrogate
  EXPECT_EQ(find_invalid_utf8("\xF4\x90\x80\x80"), 0U);                         // above U+10FFFF
  EXPECT_EQ(find_invalid_utf8("ok\xCF"), 2U);                                   // truncated sequence
  EXPECT_EQ(find_invalid_utf8("\x80"), 0U);                                     // stray continuation
}

TEST(SourceTest, LinesAndColumnsCountCodePoints) {
  const SourceFile f("f.qasm", {}, "ab\r\n\xCF\x80 x;\nlast");
  EXPECT_EQ(f.line_of(0), 1);
  EXPECT_EQ(f.line_of(4), 2);
  EXPECT_EQ(f.column_of(4), 1);
  EXPECT_EQ(f.column_of(7), 3);  // 'x' after the two-byte pi and a space
  EXPECT_EQ(f.line_text(1), "ab");  // without the \r
  EXPECT_EQ(f.line_text(2), "\xCF\x80 x;");
  EXPECT_EQ(f.line_text(3), "last");
  EXPECT_EQ(f.line_text(4), "");
}

TEST(SourceTest, DiagnosticCarriesPositionAndLine) {
  const SourceFile f("f.qasm", {}, "h q;\ncx q[0] q[1];\n");
  const Diagnostic d = make_diagnostic({&f, 13}, "expected ','");
  EXPECT_EQ(d.file, "f.qasm");
  EXPECT_EQ(d.line, 2);
  EXPECT_EQ(d.column, 9);
  EXPECT_EQ(d.source_line, "cx q[0] q[1];");
}

TEST(SourceTest, DiagnosticsStopAtTheLimit) {
  const SourceFile f("f.qasm", {}, "x");
  Diagnostics diags;
  for (std::size_t i = 0; i + 1 < Diagnostics::kMaxDiagnostics; ++i) diags.error({&f, 0}, "e");
  EXPECT_THROW(diags.error({&f, 0}, "last"), TooManyErrors);
  EXPECT_EQ(diags.size(), Diagnostics::kMaxDiagnostics);
  EXPECT_THAT(diags.list().back().message, ::testing::HasSubstr("too many errors"));
}

TEST(SourceTest, EditDistanceAndSuggestions) {
  EXPECT_EQ(edit_distance("cx", "cx"), 0U);
  EXPECT_EQ(edit_distance("cxx", "cx"), 1U);
  EXPECT_EQ(edit_distance("rz", "ry"), 1U);
  EXPECT_EQ(edit_distance("H", "h"), 0U);  // case is ignored
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3U);
  const std::vector<std::string_view> gates = {"h", "cx", "ccx", "rz", "measure"};
  EXPECT_EQ(closest_name("hh", gates), "h");
  EXPECT_EQ(closest_name("rzz", gates), "rz");
  EXPECT_EQ(closest_name("cxx", gates), "cx");  // as close as "ccx", with a longer common prefix
  EXPECT_EQ(closest_name("mesure", gates), "measure");
  EXPECT_EQ(closest_name("H", gates), "h");
  EXPECT_FALSE(closest_name("foo", gates));
  EXPECT_FALSE(closest_name("q", gates));  // one letter changed out of one: not a typo
}

}  // namespace
}  // namespace qmlsim::qasm::detail

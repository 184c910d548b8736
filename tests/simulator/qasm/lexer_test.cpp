#include "simulator/qasm/lexer.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace qmlsim::qasm::detail {
namespace {

using ::testing::HasSubstr;
using K = TokenKind;

struct Lexed {
  std::vector<TokenKind> kinds;
  std::vector<std::string> texts;
  std::vector<Diagnostic> errors;
};

Lexed lex(const std::string& text) {
  const SourceFile f("lex.qasm", {}, text);
  Diagnostics diags;
  Lexed out;
  for (const Token& t : tokenize(f, diags)) {
    out.kinds.push_back(t.kind);
    out.texts.emplace_back(f.text().substr(t.offset, t.length));
  }
  out.errors = diags.list();
  return out;
}

TEST(LexerTest, NumbersInEveryForm) {
  const Lexed l = lex(".25 1.5e0 1.E-1 1. 2e3 2E+2 42 1_000 0x1F 0b101 0o17 3.5e-2");
  EXPECT_THAT(l.kinds, ::testing::ElementsAre(K::Float, K::Float, K::Float, K::Float, K::Float, K::Float, K::Integer,
                                              K::Integer, K::Integer, K::Integer, K::Integer, K::Float, K::End));
  EXPECT_EQ(l.texts[2], "1.E-1");
  EXPECT_EQ(l.texts[7], "1_000");
  EXPECT_TRUE(l.errors.empty());
}

TEST(LexerTest, IdentifiersIncludeUnicodeLetters) {
  const Lexed l = lex("rx(\xCE\xB8) q_1; \xCF\x80 \xE2\x84\x87 _a9");
  EXPECT_THAT(l.kinds, ::testing::ElementsAre(K::Identifier, K::LParen, K::Identifier, K::RParen, K::Identifier,
                                              K::Semicolon, K::Identifier, K::Identifier, K::Identifier, K::End));
  EXPECT_EQ(l.texts[2], "\xCE\xB8");
  EXPECT_EQ(l.texts[4], "q_1");
}

TEST(LexerTest, OperatorsLongestMatchFirst) {
  const Lexed l = lex("** * -> - == = != <= < >= > += ++ + && & || | << >> ^ % @ ! ~ # : , . ;");
  EXPECT_THAT(l.kinds, ::testing::ElementsAre(K::StarStar, K::Star, K::Arrow, K::Minus, K::EqEq, K::Assign, K::NotEq,
                                              K::LessEq, K::Less, K::GreaterEq, K::Greater, K::CompoundAssign,
                                              K::PlusPlus, K::Plus, K::AmpAmp, K::Amp, K::PipePipe, K::Pipe, K::Shl,
                                              K::Shr, K::Caret, K::Percent, K::At, K::Bang, K::Tilde, K::Hash,
                                              K::Colon, K::Comma, K::Dot, K::Semicolon, K::End));
}

TEST(LexerTest, CommentsAndWhitespaceAreSkipped) {
  const Lexed l = lex("\xEF\xBB\xBFh // line comment ; ;\n/* block\n ; */ q;\r\n");
  EXPECT_THAT(l.kinds, ::testing::ElementsAre(K::Identifier, K::Identifier, K::Semicolon, K::End));
  EXPECT_TRUE(l.errors.empty());
}

TEST(LexerTest, StringsPhysicalQubitsAndDurations) {
  const Lexed l = lex("include \"qelib1.inc\"; $0 $12 100ns 2.5us 3dt");
  EXPECT_THAT(l.kinds, ::testing::ElementsAre(K::Identifier, K::String, K::Semicolon, K::HardwareQubit,
                                              K::HardwareQubit, K::Duration, K::Duration, K::Duration, K::End));
  EXPECT_EQ(l.texts[1], "\"qelib1.inc\"");
  EXPECT_EQ(l.texts[4], "$12");
}

TEST(LexerTest, BadNumberLiteralsAreReported) {
  for (const char* bad : {"3x", "0b123", "0x12g", "3__4", "3_4_", "12af", "3.4e3e3", "0o789", "1e"}) {
    const Lexed l = lex(std::string(bad) + ";");
    ASSERT_EQ(l.errors.size(), 1U) << bad;
    EXPECT_EQ(l.errors[0].message, "invalid number literal '" + std::string(bad) + "'") << bad;
    EXPECT_EQ(l.errors[0].column, 1);
  }
}

TEST(LexerTest, OtherLexicalErrorsArePositioned) {
  Lexed l = lex("h q;\n  x ? q;");
  ASSERT_EQ(l.errors.size(), 1U);
  EXPECT_EQ(l.errors[0].line, 2);
  EXPECT_EQ(l.errors[0].column, 5);
  EXPECT_EQ(l.errors[0].message, "unexpected character '?'");

  l = lex("include \"abc;\nh q;");
  ASSERT_EQ(l.errors.size(), 1U);
  EXPECT_THAT(l.errors[0].message, HasSubstr("unterminated string"));
  EXPECT_EQ(l.errors[0].column, 9);

  l = lex("h q; /* never closed\n h q;");
  ASSERT_EQ(l.errors.size(), 1U);
  EXPECT_THAT(l.errors[0].message, HasSubstr("unterminated comment"));
  EXPECT_EQ(l.errors[0].column, 6);

  l = lex("$x");
  ASSERT_EQ(l.errors.size(), 1U);
  EXPECT_THAT(l.errors[0].message, HasSubstr("physical qubit number"));
}

}  // namespace
}  // namespace qmlsim::qasm::detail

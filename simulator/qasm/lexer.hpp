#pragma once
/// The OpenQASM lexer (internal). One lexer serves both language versions: keywords are ordinary
/// identifiers here and the parser decides what they mean for the program's version.
#include <cstdint>
#include <string_view>
#include <vector>

#include "simulator/qasm/source.hpp"

namespace qmlsim::qasm::detail {

enum class TokenKind : std::uint8_t {
  End,
  Identifier,     // ASCII letters, digits, '_' and any non-ASCII code point (π, θ, ...)
  Integer,        // 42, 0x2a, 0b101, 0o52, 1_000
  Float,          // 1.5, .25, 1., 1.5e0, 1.E-1, 2e3
  Duration,       // 100ns, 2.5us, 1dt (refused by the parser, by name)
  String,         // "..." (text without the quotes)
  HardwareQubit,  // $0
  LParen, RParen, LBracket, RBracket, LBrace, RBrace,
  Semicolon, Comma, Colon, Dot,
  Assign,         // =
  CompoundAssign, // += -= *= /= ...
  EqEq, NotEq, Less, Greater, LessEq, GreaterEq,
  Plus, Minus, Star, Slash, Percent, Caret, StarStar,
  PlusPlus,       // ++ (concatenation)
  Arrow,          // ->
  At,             // @
  Bang, Tilde, Amp, Pipe, AmpAmp, PipePipe, Shl, Shr,
  Hash,           // # (pragmas, #dim)
};

struct Token {
  TokenKind kind = TokenKind::End;
  std::uint32_t offset = 0;  // byte offset of the first character
  std::uint32_t length = 0;  // bytes
};

/// What a token kind is called in messages ("';'", "identifier", ...).
[[nodiscard]] std::string_view token_kind_name(TokenKind kind) noexcept;

/// Splits a (valid UTF-8) source into tokens, one at a time (the parser keeps only a small
/// lookahead, so a large file never has all its tokens in memory). Bad characters, bad number
/// literals and unterminated strings or comments are reported to `diags` and skipped.
class Lexer {
 public:
  Lexer(const SourceFile& file, Diagnostics& diags);
  /// The next token; End at the end of the text (again on every further call).
  [[nodiscard]] Token next();

 private:
  void error(std::size_t offset, std::string message);
  [[nodiscard]] char at(std::size_t i) const noexcept { return i < text_.size() ? text_[i] : '\0'; }
  std::size_t skip_space_and_comments(std::size_t i);
  TokenKind lex_one(std::size_t& i);
  std::size_t digits(std::size_t& i, int base);
  TokenKind number(std::size_t& i);
  TokenKind bad_number(std::size_t start, std::size_t& i);
  TokenKind string(std::size_t& i);
  TokenKind punctuation(std::size_t& i);

  const SourceFile& file_;
  std::string_view text_;
  Diagnostics& diags_;
  std::size_t pos_ = 0;
};

/// Every token of a source, ending with one End token.
[[nodiscard]] std::vector<Token> tokenize(const SourceFile& file, Diagnostics& diags);

}  // namespace qmlsim::qasm::detail

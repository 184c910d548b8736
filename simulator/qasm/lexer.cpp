#include "simulator/qasm/lexer.hpp"

#include <string>

namespace qmlsim::qasm::detail {
namespace {

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
bool is_ident_start(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}
bool is_ident_char(char c) noexcept { return is_ident_start(c) || is_digit(c); }

bool is_base_digit(char c, int base) noexcept {
  switch (base) {
    case 2: return c == '0' || c == '1';
    case 8: return c >= '0' && c <= '7';
    case 16: return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    default: return is_digit(c);
  }
}

}  // namespace

Lexer::Lexer(const SourceFile& file, Diagnostics& diags) : file_(file), text_(file.text()), diags_(diags) {
  if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;  // UTF-8 byte order mark
}

Token Lexer::next() {
  while (true) {
    pos_ = skip_space_and_comments(pos_);
    if (pos_ >= text_.size()) return {TokenKind::End, static_cast<std::uint32_t>(text_.size()), 0};
    const std::size_t start = pos_;
    const TokenKind kind = lex_one(pos_);
    if (kind != TokenKind::End) return {kind, static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(pos_ - start)};
  }
}

void Lexer::error(std::size_t offset, std::string message) {
  diags_.error({&file_, static_cast<std::uint32_t>(offset)}, std::move(message));
}

std::size_t Lexer::skip_space_and_comments(std::size_t i) {
  while (i < text_.size()) {
    const char c = text_[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      ++i;
    } else if (c == '/' && at(i + 1) == '/') {
      const std::size_t nl = text_.find('\n', i);
      i = nl == std::string_view::npos ? text_.size() : nl + 1;
    } else if (c == '/' && at(i + 1) == '*') {
      const std::size_t close = text_.find("*/", i + 2);
      if (close == std::string_view::npos) {
        error(i, "unterminated comment: found end of file, expected '*/'");
        return text_.size();
      }
      i = close + 2;
    } else {
      break;
    }
  }
  return i;
}

TokenKind Lexer::lex_one(std::size_t& i) {
  const char c = text_[i];
  if (is_digit(c) || (c == '.' && is_digit(at(i + 1)))) return number(i);
  if (is_ident_start(c)) {
    while (i < text_.size() && is_ident_char(text_[i])) ++i;
    return TokenKind::Identifier;
  }
  if (c == '"' || c == '\'') return string(i);
  if (c == '$') {
    ++i;
    if (!is_digit(at(i))) {
      error(i - 1, "expected a physical qubit number after '$'");
      return TokenKind::End;
    }
    while (is_digit(at(i))) ++i;
    return TokenKind::HardwareQubit;
  }
  return punctuation(i);
}

std::size_t Lexer::digits(std::size_t& i, int base) {
  std::size_t n = 0;
  while (i < text_.size()) {
    if (is_base_digit(text_[i], base)) {
      ++i;
      ++n;
    } else if (text_[i] == '_' && n > 0 && is_base_digit(at(i + 1), base)) {
      ++i;
    } else {
      break;
    }
  }
  return n;
}

TokenKind Lexer::number(std::size_t& i) {
  const std::size_t start = i;
  TokenKind kind = TokenKind::Integer;
  const char p = at(i + 1);
  if (text_[i] == '0' && (p == 'x' || p == 'X' || p == 'b' || p == 'B' || p == 'o' || p == 'O')) {
    const int base = (p == 'x' || p == 'X') ? 16 : (p == 'b' || p == 'B') ? 2 : 8;
    i += 2;
    if (digits(i, base) == 0) return bad_number(start, i);
  } else {
    digits(i, 10);
    if (at(i) == '.') {
      ++i;
      kind = TokenKind::Float;
      digits(i, 10);
    }
    const char e = at(i);
    if (e == 'e' || e == 'E') {
      std::size_t j = i + 1;
      if (at(j) == '+' || at(j) == '-') ++j;
      if (is_digit(at(j))) {
        i = j;
        digits(i, 10);
        kind = TokenKind::Float;
      }
    }
  }
  if (at(i) == '.') return bad_number(start, i);  // 0.5.1, 1..2
  if (i < text_.size() && is_ident_char(text_[i])) {
    std::size_t j = i;
    while (j < text_.size() && is_ident_char(text_[j])) ++j;
    const std::string_view unit = text_.substr(i, j - i);
    if (unit == "dt" || unit == "ns" || unit == "us" || unit == "\xC2\xB5s" || unit == "ms" || unit == "s") {
      i = j;
      return TokenKind::Duration;
    }
    return bad_number(start, j);
  }
  return kind;
}

TokenKind Lexer::bad_number(std::size_t start, std::size_t& i) {
  while (i < text_.size() && (is_ident_char(text_[i]) || text_[i] == '.')) ++i;
  error(start, "invalid number literal '" + std::string(text_.substr(start, i - start)) + "'");
  return TokenKind::End;
}

TokenKind Lexer::string(std::size_t& i) {
  const char quote = text_[i];
  const std::size_t start = i++;
  while (i < text_.size() && text_[i] != quote && text_[i] != '\n') ++i;
  if (at(i) != quote) {
    error(start, std::string("unterminated string: found end of line, expected ") + quote);
    return TokenKind::End;
  }
  ++i;
  return TokenKind::String;
}

TokenKind Lexer::punctuation(std::size_t& i) {
  using K = TokenKind;
  const char c = text_[i];
  const char n = at(i + 1);
  auto two = [&](K k) {
    i += 2;
    return k;
  };
  auto one = [&](K k) {
    i += 1;
    return k;
  };
  switch (c) {
    case '(': return one(K::LParen);
    case ')': return one(K::RParen);
    case '[': return one(K::LBracket);
    case ']': return one(K::RBracket);
    case '{': return one(K::LBrace);
    case '}': return one(K::RBrace);
    case ';': return one(K::Semicolon);
    case ',': return one(K::Comma);
    case ':': return one(K::Colon);
    case '.': return one(K::Dot);
    case '@': return one(K::At);
    case '#': return one(K::Hash);
    case '~': return one(K::Tilde);
    case '=': return n == '=' ? two(K::EqEq) : one(K::Assign);
    case '!': return n == '=' ? two(K::NotEq) : one(K::Bang);
    case '<':
      if (n == '<') return at(i + 2) == '=' ? (i += 3, K::CompoundAssign) : two(K::Shl);
      return n == '=' ? two(K::LessEq) : one(K::Less);
    case '>':
      if (n == '>') return at(i + 2) == '=' ? (i += 3, K::CompoundAssign) : two(K::Shr);
      return n == '=' ? two(K::GreaterEq) : one(K::Greater);
    case '+':
      if (n == '+') return two(K::PlusPlus);
      return n == '=' ? two(K::CompoundAssign) : one(K::Plus);
    case '-':
      if (n == '>') return two(K::Arrow);
      return n == '=' ? two(K::CompoundAssign) : one(K::Minus);
    case '*':
      if (n == '*') return at(i + 2) == '=' ? (i += 3, K::CompoundAssign) : two(K::StarStar);
      return n == '=' ? two(K::CompoundAssign) : one(K::Star);
    case '/': return n == '=' ? two(K::CompoundAssign) : one(K::Slash);
    case '%': return n == '=' ? two(K::CompoundAssign) : one(K::Percent);
    case '^': return n == '=' ? two(K::CompoundAssign) : one(K::Caret);
    case '&':
      if (n == '&') return two(K::AmpAmp);
      return n == '=' ? two(K::CompoundAssign) : one(K::Amp);
    case '|':
      if (n == '|') return two(K::PipePipe);
      return n == '=' ? two(K::CompoundAssign) : one(K::Pipe);
    default: break;
  }
  const auto byte = static_cast<unsigned char>(c);
  std::string shown = (byte >= 0x20 && byte < 0x7F) ? std::string("'") + c + "'" : "byte " + std::to_string(byte);
  error(i, "unexpected character " + shown);
  ++i;
  return K::End;
}

std::string_view token_kind_name(TokenKind kind) noexcept {
  using K = TokenKind;
  switch (kind) {
    case K::End: return "end of file";
    case K::Identifier: return "identifier";
    case K::Integer: return "integer";
    case K::Float: return "number";
    case K::Duration: return "duration";
    case K::String: return "string";
    case K::HardwareQubit: return "physical qubit";
    case K::LParen: return "'('";
    case K::RParen: return "')'";
    case K::LBracket: return "'['";
    case K::RBracket: return "']'";
    case K::LBrace: return "'{'";
    case K::RBrace: return "'}'";
    case K::Semicolon: return "';'";
    case K::Comma: return "','";
    case K::Colon: return "':'";
    case K::Dot: return "'.'";
    case K::Assign: return "'='";
    case K::CompoundAssign: return "compound assignment";
    case K::EqEq: return "'=='";
    case K::NotEq: return "'!='";
    case K::Less: return "'<'";
    case K::Greater: return "'>'";
    case K::LessEq: return "'<='";
    case K::GreaterEq: return "'>='";
    case K::Plus: return "'+'";
    case K::Minus: return "'-'";
    case K::Star: return "'*'";
    case K::Slash: return "'/'";
    case K::Percent: return "'%'";
    case K::Caret: return "'^'";
    case K::StarStar: return "'**'";
    case K::PlusPlus: return "'++'";
    case K::Arrow: return "'->'";
    case K::At: return "'@'";
    case K::Bang: return "'!'";
    case K::Tilde: return "'~'";
    case K::Amp: return "'&'";
    case K::Pipe: return "'|'";
    case K::AmpAmp: return "'&&'";
    case K::PipePipe: return "'||'";
    case K::Shl: return "'<<'";
    case K::Shr: return "'>>'";
    case K::Hash: return "'#'";
  }
  return "token";
}

std::vector<Token> tokenize(const SourceFile& file, Diagnostics& diags) {
  Lexer lexer(file, diags);
  std::vector<Token> tokens;
  do {
    tokens.push_back(lexer.next());
  } while (tokens.back().kind != TokenKind::End);
  return tokens;
}

}  // namespace qmlsim::qasm::detail

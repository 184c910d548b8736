#include "simulator/qasm/parser.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <optional>
#include <system_error>

#include "simulator/core/errors.hpp"
#include "simulator/qasm/lexer.hpp"

namespace qmlsim::qasm::detail {
namespace {

/// Thrown after a syntax error has been recorded: the statement loop resynchronises.
struct SyntaxError {};

enum class Context { TopLevel, GateBody, IfBody };

using namespace std::string_view_literals;

// string_views, so that comparing does not measure each keyword with strlen.
constexpr std::array kKeywords3 = {
    "OPENQASM"sv, "include"sv, "qubit"sv,   "bit"sv,      "qreg"sv,     "creg"sv,    "input"sv,   "output"sv,  "const"sv,
    "gate"sv,     "opaque"sv,  "measure"sv, "reset"sv,    "barrier"sv,  "if"sv,      "else"sv,    "for"sv,     "while"sv,
    "in"sv,       "def"sv,     "return"sv,  "defcal"sv,   "cal"sv,      "defcalgrammar"sv,      "switch"sv,  "case"sv,
    "default"sv,  "box"sv,     "delay"sv,   "duration"sv, "stretch"sv,  "extern"sv,  "let"sv,     "break"sv,   "continue"sv,
    "end"sv,      "int"sv,     "uint"sv,    "float"sv,    "angle"sv,    "bool"sv,    "complex"sv, "array"sv,   "void"sv,
    "inv"sv,      "pow"sv,     "ctrl"sv,    "negctrl"sv,  "gphase"sv,   "true"sv,    "false"sv,   "pi"sv,      "tau"sv,
    "euler"sv,    "\xCF\x80"sv, "\xCF\x84"sv, "\xE2\x84\x87"sv, "durationof"sv, "sizeof"sv, "readonly"sv, "mutable"sv, "pragma"sv};
constexpr std::array kKeywords2 = {"OPENQASM"sv, "include"sv, "qreg"sv, "creg"sv, "gate"sv, "opaque"sv, "measure"sv, "reset"sv,
                                   "barrier"sv,  "if"sv,      "pi"sv,   "sin"sv,  "cos"sv,  "tan"sv,    "exp"sv,     "ln"sv,
                                   "sqrt"sv};

/// OpenQASM 3 constructs outside the supported subset, refused by name.
std::optional<std::string> refused_keyword(std::string_view w) {
  if (w == "for") return "for loops are not supported";
  if (w == "while") return "while loops are not supported";
  if (w == "def") return "subroutine definitions (def) are not supported";
  if (w == "return") return "return statements are not supported";
  if (w == "defcal" || w == "cal" || w == "defcalgrammar") return "pulse-level calibrations (" + std::string(w) + ") are not supported";
  if (w == "switch" || w == "case" || w == "default") return "switch statements are not supported";
  if (w == "box") return "box statements are not supported";
  if (w == "delay") return "delay instructions are not supported";
  if (w == "duration" || w == "stretch") return "duration and stretch types are not supported";
  if (w == "extern") return "extern declarations are not supported";
  if (w == "let") return "aliases (let) are not supported";
  if (w == "break" || w == "continue") return "'" + std::string(w) + "' statements are not supported (loops are not supported)";
  if (w == "end") return "end statements are not supported";
  if (w == "else") return "'else' without 'if': else branches are not supported";
  if (w == "complex") return "complex types are not supported";
  if (w == "array") return "arrays are not supported";
  if (w == "output") return "output declarations are not supported";
  if (w == "pragma") return "pragmas are not supported";
  if (w == "int" || w == "uint" || w == "float" || w == "angle" || w == "bool" || w == "void")
    return "classical variables (" + std::string(w) + ") are not supported; only const and input declarations are";
  return std::nullopt;
}

std::optional<Function> function_named(std::string_view name, int version) {
  if (name == "sin") return Function::Sin;
  if (name == "cos") return Function::Cos;
  if (name == "tan") return Function::Tan;
  if (name == "exp") return Function::Exp;
  if (name == "ln") return Function::Log;
  if (name == "sqrt") return Function::Sqrt;
  if (version < 3) return std::nullopt;
  if (name == "log") return Function::Log;
  if (name == "arcsin") return Function::Asin;
  if (name == "arccos") return Function::Acos;
  if (name == "arctan") return Function::Atan;
  return std::nullopt;
}

std::vector<std::string_view> function_names(int version) {
  std::vector<std::string_view> names = {"sin", "cos", "tan", "exp", "ln", "sqrt"};
  if (version >= 3) names.insert(names.end(), {"log", "arcsin", "arccos", "arctan"});
  return names;
}

/// A parsed expression and the depth of its tree (bounded by kMaxNesting).
struct Parsed {
  ExprPtr node;
  int depth = 1;
};

class Parser {
 public:
  Parser(ParseSession& session, const SourceFile& file, int version)
      : session_(session), file_(file), diags_(session.diagnostics()), version_(version), lexer_(file, diags_) {}

  /// Main file: reads the OPENQASM header if there is one (version 3 otherwise).
  int read_main_header() {
    version_ = 3;
    if (is_word(peek(), "OPENQASM")) {
      try {
        version_ = header();
      } catch (const SyntaxError&) {
        synchronize();
      }
    }
    return version_;
  }

  /// Included file: accepts a header of the same major version.
  void read_include_header() {
    if (!is_word(peek(), "OPENQASM")) return;
    try {
      const Location at = loc(peek());
      const int v = header();
      if (v != version_)
        fail(at, "included file declares OPENQASM " + std::to_string(v) + " but the program is OPENQASM " +
                     std::to_string(version_));
    } catch (const SyntaxError&) {
      synchronize();
    }
  }

  /// Parses every statement, handing each to `sink` as soon as it is complete.
  void parse_top_level(StatementSink& sink) {
    sink_ = &sink;
    std::vector<Statement> batch;
    while (peek().kind != TokenKind::End) {
      if (peek().kind == TokenKind::RBrace) {
        diags_.error(loc(peek()), "unexpected '}' with no block open");
        advance();
        continue;
      }
      try {
        statement(Context::TopLevel, batch);
      } catch (const SyntaxError&) {
        synchronize();
      }
      for (Statement& st : batch) sink.statement(std::move(st));
      batch.clear();
    }
  }

  [[nodiscard]] bool has_tokens() const { return peek().kind != TokenKind::End; }
  [[nodiscard]] Location end_location() const noexcept { return {&file_, static_cast<std::uint32_t>(file_.text().size())}; }

 private:
  // ---- token access -------------------------------------------------------------------------
  // Tokens are lexed on demand into a small lookahead buffer. peek() and advance() return
  // copies (12 bytes), so no reference outlives the buffer entry it came from.
  Token peek(std::size_t k = 0) const {
    if (head_ + k < ahead_.size()) return ahead_[head_ + k];  // the usual case
    while (ahead_.size() - head_ <= k && (ahead_.empty() || ahead_.back().kind != TokenKind::End)) {
      if (head_ == ahead_.size()) {  // all consumed: reuse the buffer from its start
        ahead_.clear();
        head_ = 0;
      }
      ahead_.push_back(lexer_.next());
    }
    return ahead_[head_ + std::min(k, ahead_.size() - head_ - 1)];
  }
  std::string_view text(const Token& t) const noexcept { return file_.text().substr(t.offset, t.length); }
  bool is_word(const Token& t, std::string_view w) const noexcept { return t.kind == TokenKind::Identifier && text(t) == w; }
  bool at(TokenKind k) const { return peek().kind == k; }
  Location loc(const Token& t) const noexcept { return {&file_, t.offset}; }
  Location end_of_previous() const {
    if (!consumed_any_) return loc(peek());
    return {&file_, previous_.offset + previous_.length};
  }
  Token advance() {
    const Token t = peek();
    if (t.kind == TokenKind::End) return t;
    ++head_;
    previous_ = t;
    consumed_any_ = true;
    return t;
  }
  bool accept(TokenKind k) {
    if (!at(k)) return false;
    advance();
    return true;
  }

  bool is_keyword(std::string_view w) const noexcept { return is_reserved_word(w, version_); }

  std::string describe(const Token& t) const {
    switch (t.kind) {
      case TokenKind::End: return "end of file";
      case TokenKind::Identifier: return (is_keyword(text(t)) ? "keyword '" : "'") + std::string(text(t)) + "'";
      case TokenKind::Integer:
      case TokenKind::Float:
      case TokenKind::Duration:
      case TokenKind::String:
      case TokenKind::HardwareQubit: return std::string(token_kind_name(t.kind)) + " " + std::string(text(t));
      default: return std::string(token_kind_name(t.kind));
    }
  }

  // ---- errors -----------------------------------------------------------------------------
  [[noreturn]] void fail(Location at_loc, std::string message) {
    diags_.error(at_loc, std::move(message));
    throw SyntaxError{};
  }
  [[noreturn]] void fail_expected(std::string_view expected) {
    if (at(TokenKind::HardwareQubit))
      fail(loc(peek()), "physical qubits (" + std::string(text(peek())) + ") are not supported; declare qubits with 'qubit[n] name;'");
    fail(loc(peek()), "expected " + std::string(expected) + ", found " + describe(peek()));
  }
  Token expect(TokenKind k, std::string_view what) {
    if (!at(k)) fail_expected(what);
    return advance();
  }
  /// A missing ';' at the end of a line is reported where it belongs, after the last token.
  void expect_semicolon(std::string_view after) {
    if (accept(TokenKind::Semicolon)) return;
    if (at(TokenKind::HardwareQubit)) fail_expected("';'");
    const Location prev = end_of_previous();
    const bool next_line = at(TokenKind::End) || file_.line_of(peek().offset) != file_.line_of(prev.offset);
    fail(next_line ? prev : loc(peek()), "expected ';' after " + std::string(after) + ", found " + describe(peek()));
  }
  Identifier expect_identifier(std::string_view what) {
    if (!at(TokenKind::Identifier)) fail_expected(what);
    const Token& t = peek();
    if (is_keyword(text(t))) fail(loc(t), "expected " + std::string(what) + ", found keyword '" + std::string(text(t)) + "'");
    advance();
    return {text(t), loc(t)};
  }
  void require_v3(Location at_loc, std::string_view feature) {
    if (version_ < 3) fail(at_loc, std::string(feature) + " requires OpenQASM 3 (this program is OPENQASM 2.0)");
  }
  void require_context(Context ctx, Context allowed, Location at_loc, std::string_view what) {
    if (ctx == allowed) return;
    if (ctx == Context::GateBody) fail(at_loc, std::string(what) + " is not allowed inside a gate definition");
    if (ctx == Context::IfBody) fail(at_loc, std::string(what) + " is not allowed inside an if statement");
    fail(at_loc, std::string(what) + " is only allowed inside a gate definition");
  }

  /// Skips to the end of the broken statement: past the next ';' at this level, past a '}' that
  /// closes a block opened while skipping, or up to (not past) a '}' closing an enclosing block.
  void synchronize() {
    int depth = 0;
    while (!at(TokenKind::End)) {
      const TokenKind k = peek().kind;
      if (k == TokenKind::Semicolon && depth == 0) {
        advance();
        return;
      }
      if (k == TokenKind::LBrace) ++depth;
      if (k == TokenKind::RBrace) {
        if (depth == 0) return;  // closes an enclosing block: its loop consumes it
        if (--depth == 0) {
          advance();
          return;
        }
      }
      advance();
    }
  }

  struct DepthGuard {
    DepthGuard(Parser& p, Location at_loc) : parser(p) {
      if (++parser.nesting_ > kMaxNesting) {
        --parser.nesting_;
        parser.fail(at_loc, "nesting too deep (more than " + std::to_string(kMaxNesting) + " levels)");
      }
    }
    ~DepthGuard() { --parser.nesting_; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;
    Parser& parser;
  };

  // ---- header and includes ----------------------------------------------------------------
  int header() {
    advance();  // OPENQASM
    const Token& v = peek();
    if (v.kind != TokenKind::Integer && v.kind != TokenKind::Float) fail_expected("a version number (2.0 or 3)");
    advance();
    const std::string_view s = text(v);
    int major = 0;
    if (s == "2.0" || s == "2") major = 2;
    else if (s == "3" || s == "3.0" || s == "3.1") major = 3;
    else fail(loc(v), "unsupported OpenQASM version " + std::string(s) + " (expected 2.0 or 3)");
    expect_semicolon("the version number");
    return major;
  }

  void include(Context ctx, std::vector<Statement>& out) {  // out: for the built-in libraries
    const Location start = loc(peek());
    require_context(ctx, Context::TopLevel, start, "include");
    advance();
    const Token& name_tok = expect(TokenKind::String, "a file name in double quotes");
    expect_semicolon("the include file name");
    const std::string_view name = text(name_tok).substr(1, name_tok.length - 2);
    if (name == "qelib1.inc") {
      if (version_ >= 3)
        fail(loc(name_tok), "qelib1.inc is the OpenQASM 2 standard library; OpenQASM 3 programs include \"stdgates.inc\"");
      out.push_back({BuiltinInclude{start, BuiltinInclude::Library::Qelib1}});
    } else if (name == "stdgates.inc") {
      if (version_ < 3)
        fail(loc(name_tok), "stdgates.inc is the OpenQASM 3 standard library; OpenQASM 2 programs include \"qelib1.inc\"");
      out.push_back({BuiltinInclude{start, BuiltinInclude::Library::StdGates}});
    } else {
      session_.include_file(name, loc(name_tok), version_, *sink_);
    }
  }

  // ---- statements -------------------------------------------------------------------------
  void statement(Context ctx, std::vector<Statement>& out) {
    const Token& t = peek();
    if (t.kind == TokenKind::At) fail(loc(t), "annotations (@...) are not supported");
    if (t.kind == TokenKind::Hash) fail(loc(t), "pragmas (#pragma) are not supported");
    if (t.kind == TokenKind::LBrace) fail(loc(t), "blocks outside if statements are not supported");
    if (t.kind != TokenKind::Identifier) fail_expected("a statement");
    const std::string_view w = text(t);
    if (w == "OPENQASM") fail(loc(t), "the OPENQASM version statement must be the first statement of the file");
    if (w == "include") return include(ctx, out);
    if (w == "qreg" || w == "creg") return old_register(ctx, out);
    if (w == "gate" || w == "opaque") return gate_definition(ctx, out);
    if (w == "measure") return measure(ctx, out);
    if (w == "reset") return reset(ctx, out);
    if (w == "barrier") return barrier(out);
    if (w == "if") return if_statement(ctx, out);
    if (version_ >= 3) {
      if (w == "qubit" || w == "bit") return new_register(ctx, out);
      if (w == "input") return input(ctx, out);
      if (w == "const") return constant(ctx, out);
      if (auto message = refused_keyword(w)) fail(loc(t), *message);
      if (is_assignment()) return assignment(ctx, out);
    } else if (w == "qubit" || w == "bit" || w == "input" || w == "const") {
      require_v3(loc(t), "'" + std::string(w) + "' declarations");
    }
    gate_call(ctx, out);
  }

  bool is_assignment() const {
    std::size_t k = 1;
    if (peek(k).kind == TokenKind::LBracket) {
      int depth = 0;
      for (;; ++k) {
        const TokenKind kind = peek(k).kind;
        if (kind == TokenKind::End || kind == TokenKind::Semicolon) return false;
        if (kind == TokenKind::LBracket) ++depth;
        if (kind == TokenKind::RBracket && --depth == 0) break;
      }
      ++k;
    }
    return peek(k).kind == TokenKind::Assign || peek(k).kind == TokenKind::CompoundAssign;
  }

  void old_register(Context ctx, std::vector<Statement>& out) {
    const Token& kw = advance();
    RegisterDecl decl;
    decl.loc = loc(kw);
    decl.quantum = text(kw) == "qreg";
    require_context(ctx, Context::TopLevel, decl.loc, std::string(text(kw)) + " declarations");
    decl.name = expect_identifier("a register name");
    expect(TokenKind::LBracket, "'[' and the register size");
    decl.size = expression().node;
    expect(TokenKind::RBracket, "']'");
    expect_semicolon("the register declaration");
    out.push_back({std::move(decl)});
  }

  void new_register(Context ctx, std::vector<Statement>& out) {
    const Token& kw = advance();
    RegisterDecl decl;
    decl.loc = loc(kw);
    decl.quantum = text(kw) == "qubit";
    require_context(ctx, Context::TopLevel, decl.loc, std::string(text(kw)) + " declarations");
    if (accept(TokenKind::LBracket)) {
      decl.size = expression().node;
      expect(TokenKind::RBracket, "']'");
    } else {
      decl.scalar = true;
    }
    decl.name = expect_identifier(decl.quantum ? "a qubit register name" : "a bit register name");
    if (!decl.quantum && at(TokenKind::Assign)) {
      advance();
      if (!is_word(peek(), "measure")) fail_expected("'measure' (bits can only be initialised by a measurement)");
      Measure m;
      m.loc = loc(advance());
      m.qubits = operand("a qubit operand");
      m.bits.loc = decl.name.loc;
      m.bits.name = decl.name.name;
      expect_semicolon("the measurement");
      out.push_back({std::move(decl)});
      out.push_back({std::move(m)});
      return;
    }
    expect_semicolon("the declaration");
    out.push_back({std::move(decl)});
  }

  /// Reads a scalar type name with an optional designator: float[64], angle, int[32], ...
  std::string_view type_name() {
    const Token& t = peek();
    if (t.kind != TokenKind::Identifier) fail_expected("a type (float or angle)");
    advance();
    if (accept(TokenKind::LBracket)) {
      expression();
      expect(TokenKind::RBracket, "']'");
    }
    return text(t);
  }

  void input(Context ctx, std::vector<Statement>& out) {
    InputDecl decl;
    decl.loc = loc(advance());
    require_context(ctx, Context::TopLevel, decl.loc, "input declarations");
    const Token& type_tok = peek();
    const std::string_view type = type_name();
    if (type != "float" && type != "angle")
      fail(loc(type_tok), "input of type '" + std::string(type) +
                              "' is not supported (inputs must be float or angle: they become circuit parameters)");
    decl.name = expect_identifier("an input name");
    if (at(TokenKind::Assign)) fail(loc(peek()), "an input cannot have an initial value (its value is bound at run time)");
    expect_semicolon("the input declaration");
    out.push_back({std::move(decl)});
  }

  void constant(Context ctx, std::vector<Statement>& out) {
    ConstDecl decl;
    decl.loc = loc(advance());
    require_context(ctx, Context::TopLevel, decl.loc, "const declarations");
    const Token& type_tok = peek();
    const std::string_view type = type_name();
    if (type == "int") decl.type = ConstDecl::Type::Int;
    else if (type == "uint") decl.type = ConstDecl::Type::Uint;
    else if (type == "float") decl.type = ConstDecl::Type::Float;
    else if (type == "angle") decl.type = ConstDecl::Type::Angle;
    else fail(loc(type_tok), "const of type '" + std::string(type) + "' is not supported (int, uint, float and angle are)");
    decl.name = expect_identifier("a constant name");
    expect(TokenKind::Assign, "'=' and the constant's value");
    decl.value = expression().node;
    expect_semicolon("the const declaration");
    out.push_back({std::move(decl)});
  }

  std::vector<Identifier> identifier_list(std::string_view what) {
    std::vector<Identifier> ids;
    ids.push_back(expect_identifier(what));
    while (accept(TokenKind::Comma)) ids.push_back(expect_identifier(what));
    return ids;
  }

  void gate_definition(Context ctx, std::vector<Statement>& out) {
    const Token& kw = advance();
    GateDef def;
    def.loc = loc(kw);
    def.opaque = text(kw) == "opaque";
    require_context(ctx, Context::TopLevel, def.loc, def.opaque ? "opaque declarations" : "gate definitions");
    const std::string_view next = at(TokenKind::Identifier) ? text(peek()) : std::string_view();
    if (next == "U" || (next == "CX" && version_ < 3) || (next == "gphase" && version_ >= 3))
      fail(loc(peek()), "'" + std::string(text(peek())) + "' is a built-in gate and cannot be redefined");
    def.name = expect_identifier("a gate name");
    if (accept(TokenKind::LParen)) {
      if (!at(TokenKind::RParen)) def.params = identifier_list("a parameter name");
      expect(TokenKind::RParen, "')' after the gate's parameters");
    }
    def.qubits = identifier_list("a qubit argument name");
    if (def.opaque) {
      expect_semicolon("the opaque declaration");
    } else {
      block(Context::GateBody, def.body);
    }
    out.push_back({std::move(def)});
  }

  void block(Context ctx, std::vector<Statement>& out) {
    const Token& open = expect(TokenKind::LBrace, "'{'");
    DepthGuard guard(*this, loc(open));
    while (!at(TokenKind::RBrace)) {
      if (at(TokenKind::End)) {
        diags_.error(loc(peek()), "expected '}' to close the block opened at line " +
                                      std::to_string(file_.line_of(open.offset)) + ", found end of file");
        throw SyntaxError{};
      }
      try {
        statement(ctx, out);
      } catch (const SyntaxError&) {
        synchronize();
      }
    }
    advance();
  }

  void measure(Context ctx, std::vector<Statement>& out) {
    Measure m;
    m.loc = loc(advance());
    if (ctx == Context::GateBody) fail(m.loc, "measure is not allowed inside a gate definition");
    m.qubits = operand("a qubit operand");
    if (!at(TokenKind::Arrow)) {
      if (at(TokenKind::Semicolon))
        fail(loc(peek()), "a measurement needs a target: write 'measure q -> c;' or 'c = measure q;'");
      fail_expected("'->' and a bit operand");
    }
    advance();
    m.bits = operand("a bit operand");
    expect_semicolon("the measurement");
    out.push_back({std::move(m)});
  }

  void assignment(Context ctx, std::vector<Statement>& out) {
    Measure m;
    m.loc = loc(peek());
    m.bits = operand("a bit operand");
    if (!at(TokenKind::Assign) || !is_word(peek(1), "measure"))
      fail(loc(peek()), "classical assignments are not supported (only 'c = measure q;')");
    if (ctx == Context::GateBody) fail(m.loc, "measure is not allowed inside a gate definition");
    advance();
    advance();
    m.qubits = operand("a qubit operand");
    expect_semicolon("the measurement");
    out.push_back({std::move(m)});
  }

  void reset(Context ctx, std::vector<Statement>& out) {
    Reset r;
    r.loc = loc(advance());
    if (ctx == Context::GateBody) fail(r.loc, "reset is not allowed inside a gate definition");
    r.qubits = operand("a qubit operand");
    expect_semicolon("the reset");
    out.push_back({std::move(r)});
  }

  void barrier(std::vector<Statement>& out) {
    Barrier b;
    b.loc = loc(advance());
    if (at(TokenKind::Semicolon)) {
      require_v3(b.loc, "a barrier without operands");
    } else {
      b.operands.push_back(operand("a qubit operand"));
      while (accept(TokenKind::Comma)) b.operands.push_back(operand("a qubit operand"));
    }
    expect_semicolon("the barrier");
    out.push_back({std::move(b)});
  }

  void if_statement(Context ctx, std::vector<Statement>& out) {
    If s;
    s.loc = loc(advance());
    if (ctx == Context::GateBody) fail(s.loc, "if is not allowed inside a gate definition");
    if (ctx == Context::IfBody) fail(s.loc, "nested if statements are not supported");
    expect(TokenKind::LParen, "'(' and a condition");
    const std::string_view first = at(TokenKind::Identifier) ? text(peek()) : std::string_view();
    if ((first == "int" || first == "uint" || first == "bool" || first == "float") &&
        (peek(1).kind == TokenKind::LBracket || peek(1).kind == TokenKind::LParen))
      fail(loc(peek()), "type casts are not supported");
    if (!at(TokenKind::Identifier) || is_keyword(text(peek())))
      fail_expected("a classical register in the condition (if (c == 1))");
    s.bits = operand("a classical register");
    if (accept(TokenKind::EqEq)) {
      s.value = expression().node;
    } else if (!at(TokenKind::RParen)) {
      fail(loc(peek()), "expected '==' or ')' in the condition, found " + describe(peek()) +
                            " (only 'if (c == value)' and 'if (c[i])' conditions are supported)");
    }
    expect(TokenKind::RParen, "')' after the condition");
    if (at(TokenKind::LBrace)) {
      require_v3(loc(peek()), "a block after if");
      block(Context::IfBody, s.body);
    } else {
      statement(Context::IfBody, s.body);
    }
    if (is_word(peek(), "else")) fail(loc(peek()), "else branches are not supported");
    out.push_back({std::move(s)});
  }

  void modifiers(std::vector<Modifier>& mods) {
    while (at(TokenKind::Identifier)) {
      const std::string_view w = text(peek());
      Modifier m;
      if (w == "inv") m.kind = Modifier::Kind::Inv;
      else if (w == "pow") m.kind = Modifier::Kind::Pow;
      else if (w == "ctrl") m.kind = Modifier::Kind::Ctrl;
      else if (w == "negctrl") m.kind = Modifier::Kind::NegCtrl;
      else return;
      m.loc = loc(advance());
      if (m.kind == Modifier::Kind::Inv && at(TokenKind::LParen)) fail(loc(peek()), "inv takes no argument");
      if (m.kind == Modifier::Kind::Pow || at(TokenKind::LParen)) {
        expect(TokenKind::LParen, "'(' and the exponent");
        m.arg = expression().node;
        expect(TokenKind::RParen, "')'");
      }
      expect(TokenKind::At, "'@' after the modifier");
      mods.push_back(std::move(m));
    }
  }

  void gate_call(Context ctx, std::vector<Statement>& out) {
    GateCall call;
    call.loc = loc(peek());
    if (version_ >= 3) modifiers(call.modifiers);
    if (!at(TokenKind::Identifier)) fail_expected("a gate name");
    const Token& name_tok = advance();
    call.name = {text(name_tok), loc(name_tok)};
    const bool gphase = call.name.name == "gphase";
    if (gphase) require_v3(call.name.loc, "gphase");
    if (is_keyword(call.name.name) && !gphase)
      fail(call.name.loc, "expected a statement, found keyword '" + std::string(call.name.name) + "'");
    if (accept(TokenKind::LParen)) {
      if (!at(TokenKind::RParen)) {
        call.params.push_back(expression().node);
        while (accept(TokenKind::Comma)) call.params.push_back(expression().node);
      }
      expect(TokenKind::RParen, "')' after the gate's parameters");
    }
    if (!at(TokenKind::Semicolon) || !gphase) {
      call.operands.push_back(operand("a qubit operand"));
      while (accept(TokenKind::Comma)) call.operands.push_back(operand("a qubit operand"));
    }
    expect_semicolon("the gate's operands");
    (void)ctx;
    out.push_back({std::move(call)});
  }

  Operand operand(std::string_view what) {
    Operand op;
    if (!at(TokenKind::Identifier)) fail_expected(what);
    const Token& name_tok = peek();
    if (is_keyword(text(name_tok))) fail(loc(name_tok), "expected " + std::string(what) + ", found keyword '" +
                                                           std::string(text(name_tok)) + "'");
    advance();
    op.loc = loc(name_tok);
    op.name = text(name_tok);
    if (!accept(TokenKind::LBracket)) return op;
    op.index_loc = loc(peek());
    if (at(TokenKind::Integer) && peek(1).kind == TokenKind::RBracket) {
      const Token index = advance();
      const double value = number_value(index);
      op.select = Operand::Select::Index;
      if (value < 9.0e15) {
        op.literal_index = static_cast<std::int64_t>(value);  // the usual q[3]: no expression node
      } else {
        op.index = number(index).node;
      }
      advance();
      return op;
    }
    if (at(TokenKind::LBrace)) fail(loc(peek()), "index sets ({...}) are not supported");
    ExprPtr first = expression().node;
    if (at(TokenKind::Colon)) {
      require_v3(loc(peek()), "register slices");
      advance();
      op.select = Operand::Select::Slice;
      op.start = std::move(first);
      ExprPtr second = expression().node;
      if (accept(TokenKind::Colon)) {
        op.step = std::move(second);
        op.stop = expression().node;
      } else {
        op.stop = std::move(second);
      }
    } else {
      if (at(TokenKind::Comma)) fail(loc(peek()), "multi-dimensional indices are not supported");
      op.select = Operand::Select::Index;
      op.index = std::move(first);
    }
    expect(TokenKind::RBracket, "']'");
    return op;
  }

  // ---- expressions ------------------------------------------------------------------------
  // Precedence, low to high: + - (left), * / % (left), unary - +, power ^ / ** (right; the
  // exponent may carry its own sign). So -a^b is -(a^b) and a^b^c is a^(b^c).
  Parsed expression() {
    DepthGuard guard(*this, loc(peek()));
    return additive();
  }

  Parsed make_binary(BinaryOp op, Location at_loc, Parsed lhs, Parsed rhs) {
    Parsed p;
    p.depth = std::max(lhs.depth, rhs.depth) + 1;
    if (p.depth > kMaxNesting) fail(at_loc, "nesting too deep (more than " + std::to_string(kMaxNesting) + " levels)");
    p.node = std::make_unique<ExprNode>();
    p.node->kind = ExprKind::Binary;
    p.node->op = op;
    p.node->loc = at_loc;
    p.node->lhs = std::move(lhs.node);
    p.node->rhs = std::move(rhs.node);
    return p;
  }

  Parsed additive() {
    Parsed lhs = multiplicative();
    while (at(TokenKind::Plus) || at(TokenKind::Minus)) {
      const Token& op = advance();
      lhs = make_binary(op.kind == TokenKind::Plus ? BinaryOp::Add : BinaryOp::Sub, loc(op), std::move(lhs), multiplicative());
    }
    return lhs;
  }

  Parsed multiplicative() {
    Parsed lhs = unary();
    while (at(TokenKind::Star) || at(TokenKind::Slash) || at(TokenKind::Percent)) {
      const Token& op = advance();
      if (op.kind == TokenKind::Percent) require_v3(loc(op), "'%'");
      const BinaryOp bop = op.kind == TokenKind::Star ? BinaryOp::Mul : op.kind == TokenKind::Slash ? BinaryOp::Div : BinaryOp::Mod;
      lhs = make_binary(bop, loc(op), std::move(lhs), unary());
    }
    check_no_unsupported_operator();
    return lhs;
  }

  void check_no_unsupported_operator() {
    switch (peek().kind) {
      case TokenKind::Amp:
      case TokenKind::Pipe:
      case TokenKind::Tilde:
      case TokenKind::Shl:
      case TokenKind::Shr: fail(loc(peek()), "bitwise operators are not supported");
      case TokenKind::AmpAmp:
      case TokenKind::PipePipe:
      case TokenKind::Bang: fail(loc(peek()), "logical operators are not supported");
      case TokenKind::PlusPlus: fail(loc(peek()), "concatenation (++) is not supported");
      default: return;
    }
  }

  Parsed unary() {
    if (at(TokenKind::Minus) || at(TokenKind::Plus)) {
      const Token& op = advance();
      if (op.kind == TokenKind::Plus) {
        // Accepted in OpenQASM 2 files too, as Qiskit's OpenQASM 2 reader always has.
        DepthGuard guard(*this, loc(op));
        return unary();
      }
      DepthGuard guard(*this, loc(op));
      Parsed operand_expr = unary();
      Parsed p;
      p.depth = operand_expr.depth + 1;
      p.node = std::make_unique<ExprNode>();
      p.node->kind = ExprKind::Negate;
      p.node->loc = loc(op);
      p.node->lhs = std::move(operand_expr.node);
      return p;
    }
    if (at(TokenKind::Tilde) || at(TokenKind::Bang)) check_no_unsupported_operator();
    return power();
  }

  Parsed power() {
    Parsed base = primary();
    const bool caret = at(TokenKind::Caret), star_star = at(TokenKind::StarStar);
    if (!caret && !star_star) return base;
    const Token& op = advance();
    if (caret && version_ >= 3) fail(loc(op), "'^' is bitwise xor in OpenQASM 3 (not supported); use '**' for powers");
    if (star_star && version_ < 3) fail(loc(op), "'**' requires OpenQASM 3; use '^' for powers in OpenQASM 2");
    DepthGuard guard(*this, loc(op));
    return make_binary(BinaryOp::Pow, loc(op), std::move(base), unary());
  }

  /// The value of a number token (integers exactly up to 2^64; larger ones approximately).
  double number_value(const Token& t) {
    const std::string_view raw = text(t);
    std::string stripped;  // only when the literal has digit separators
    std::string_view digits = raw;
    if (raw.find('_') != std::string_view::npos) {
      for (char c : raw)
        if (c != '_') stripped.push_back(c);
      digits = stripped;
    }
    const char* first = digits.data();
    const char* last = digits.data() + digits.size();
    if (t.kind == TokenKind::Integer) {
      int base = 10;
      if (digits.size() > 2 && digits[0] == '0' && std::isalpha(static_cast<unsigned char>(digits[1]))) {
        const char b = static_cast<char>(std::tolower(static_cast<unsigned char>(digits[1])));
        base = b == 'x' ? 16 : b == 'b' ? 2 : 8;
        first += 2;
      }
      std::uint64_t v = 0;
      if (std::from_chars(first, last, v, base).ec == std::errc()) return static_cast<double>(v);
      double d = 1.8446744073709552e19;  // too large for any index; a value still
      if (base == 10) (void)std::from_chars(first, last, d);
      return d;
    }
    double d = 0;
    const auto res = std::from_chars(first, last, d);
    if (res.ec == std::errc::result_out_of_range) fail(loc(t), "number " + std::string(raw) + " is out of range");
    if (res.ec != std::errc() || res.ptr != last) fail(loc(t), "invalid number literal '" + std::string(raw) + "'");
    return d;
  }

  Parsed number(const Token& t) {
    Parsed p;
    p.node = std::make_unique<ExprNode>();
    p.node->kind = ExprKind::Number;
    p.node->loc = loc(t);
    p.node->is_int = t.kind == TokenKind::Integer;
    p.node->value = number_value(t);
    return p;
  }

  Parsed primary() {
    const Token& t = peek();
    switch (t.kind) {
      case TokenKind::Integer:
      case TokenKind::Float: advance(); return number(t);
      case TokenKind::Duration: fail(loc(t), "durations (" + std::string(text(t)) + ") are not supported");
      case TokenKind::LParen: {
        advance();
        Parsed inner = expression();
        expect(TokenKind::RParen, "')'");
        return inner;
      }
      case TokenKind::Identifier: break;
      default: fail_expected("an expression");
    }
    advance();
    const std::string_view name = text(t);
    if (at(TokenKind::LBracket) && (name == "float" || name == "int" || name == "uint" || name == "angle"))
      fail(loc(t), "type casts are not supported");
    if (!at(TokenKind::LParen)) {
      Parsed p;
      p.node = std::make_unique<ExprNode>();
      p.node->kind = ExprKind::Identifier;
      p.node->name = name;
      p.node->loc = loc(t);
      return p;
    }
    const std::optional<Function> fn = function_named(name, version_);
    if (!fn) {
      if (name == "float" || name == "int" || name == "uint" || name == "angle" || name == "bool" || name == "bit")
        fail(loc(t), "type casts are not supported");
      std::string message = "unknown function '" + std::string(name) + "'";
      if (auto guess = closest_name(name, function_names(version_))) message += "; did you mean '" + *guess + "'?";
      fail(loc(t), message);
    }
    advance();  // (
    Parsed arg = expression();
    if (at(TokenKind::Comma)) fail(loc(peek()), "function '" + std::string(name) + "' takes one argument");
    expect(TokenKind::RParen, "')' after the function's argument");
    Parsed p;
    p.depth = arg.depth + 1;
    p.node = std::make_unique<ExprNode>();
    p.node->kind = ExprKind::Call;
    p.node->fn = *fn;
    p.node->name = name;
    p.node->loc = loc(t);
    p.node->lhs = std::move(arg.node);
    return p;
  }

  ParseSession& session_;
  const SourceFile& file_;
  Diagnostics& diags_;
  int version_;
  mutable Lexer lexer_;
  mutable std::vector<Token> ahead_;  // lexed, not yet consumed from head_ on
  mutable std::size_t head_ = 0;
  Token previous_;
  bool consumed_any_ = false;
  int nesting_ = 0;
  StatementSink* sink_ = nullptr;  // where top-level statements go (includes too)
};

}  // namespace

namespace {

/// The keywords by first byte (built once, never changed): every identifier is checked, and
/// most (q, h, cx, rz, ...) are decided by one or two comparisons.
struct KeywordTable {
  std::array<std::vector<std::string_view>, 256> by_first;
  template <std::size_t N>
  explicit KeywordTable(const std::array<std::string_view, N>& words) {
    for (std::string_view w : words) by_first[static_cast<unsigned char>(w[0])].push_back(w);
  }
  [[nodiscard]] bool contains(std::string_view word) const noexcept {
    if (word.empty()) return false;
    for (std::string_view w : by_first[static_cast<unsigned char>(word[0])])
      if (w == word) return true;
    return false;
  }
};

}  // namespace

bool is_reserved_word(std::string_view word, int version) noexcept {
  static const KeywordTable table3(kKeywords3);
  static const KeywordTable table2(kKeywords2);
  return version >= 3 ? table3.contains(word) : table2.contains(word);
}

bool is_valid_identifier(std::string_view name) noexcept {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                    static_cast<unsigned char>(c) >= 0x80;
    if (!ok) return false;
  }
  return !is_reserved_word(name, 3) && !find_invalid_utf8(name);
}

const SourceFile& ParseSession::add_file(std::string name, std::filesystem::path path, std::string text) {
  files_.push_back(std::make_unique<SourceFile>(std::move(name), std::move(path), std::move(text)));
  return *files_.back();
}

bool check_source_text(const SourceFile& file, bool is_main, Diagnostics& diags) {
  if (auto bad = find_invalid_utf8(file.text())) {
    const auto byte = static_cast<unsigned char>(file.text()[*bad]);
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", byte);
    diags.error({&file, *bad}, std::string("file is not valid UTF-8: found byte ") + hex + ", expected UTF-8 text");
    return false;
  }
  if (is_main && file.text().find_first_not_of(" \t\r\n\f\v") == std::string_view::npos) {
    diags.error({&file, 0}, "empty file: expected an OpenQASM program");
    return false;
  }
  return true;
}

void ParseSession::parse_main(const SourceFile& file, StatementSink& sink) {
  if (!check_source_text(file, true, diags_)) return;
  if (!file.path().empty()) {
    std::error_code ec;
    include_stack_.push_back(std::filesystem::weakly_canonical(file.path(), ec));
  }
  Parser parser(*this, file, 3);
  if (!parser.has_tokens()) {
    if (diags_.empty()) diags_.error({&file, 0}, "empty file: expected an OpenQASM program (it has only comments)");
    return;
  }
  sink.begin(parser.read_main_header());
  parser.parse_top_level(sink);
}

void ParseSession::include_file(std::string_view name, Location at, int version, StatementSink& out) {
  namespace fs = std::filesystem;
  const std::string quoted = "'" + std::string(name) + "'";
  if (include_stack_.size() >= static_cast<std::size_t>(kMaxIncludeDepth)) {
    diags_.error(at, "includes nested too deep (more than " + std::to_string(kMaxIncludeDepth) + " levels)");
    return;
  }
  const fs::path base = at.file ? at.file->path().parent_path() : fs::path();
  const fs::path target = (base / fs::path(std::string(name))).lexically_normal();
  std::error_code ec;
  if (name.empty() || !fs::is_regular_file(target, ec)) {
    diags_.error(at, "cannot open include file " + quoted + " (looked for '" + target.string() + "')");
    return;
  }
  const fs::path canonical = fs::weakly_canonical(target, ec);
  const auto seen = std::find(include_stack_.begin(), include_stack_.end(), canonical);
  if (seen != include_stack_.end()) {
    std::string chain;
    for (auto it = seen; it != include_stack_.end(); ++it) chain += it->filename().string() + " -> ";
    diags_.error(at, "include cycle: " + chain + canonical.filename().string());
    return;
  }
  std::string text;
  try {
    text = read_source_file(target, options_.max_file_bytes);
  } catch (const InvalidArgument& e) {
    diags_.error(at, std::string("cannot read include file ") + quoted + ": " + e.what());
    return;
  }
  const SourceFile& file = add_file(target.string(), target, std::move(text));
  if (!check_source_text(file, false, diags_)) return;
  include_stack_.push_back(canonical);
  Parser parser(*this, file, version);
  parser.read_include_header();
  parser.parse_top_level(out);
  include_stack_.pop_back();
}

std::string read_source_file(const std::filesystem::path& path, std::uint64_t max_bytes) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const std::uintmax_t size = fs::file_size(path, ec);
  if (ec) throw InvalidArgument("cannot read '" + path.string() + "': " + ec.message());
  constexpr std::uint64_t kMiB = std::uint64_t{1} << 20;
  constexpr std::uint64_t kOffsetLimit = std::uint64_t{1} << 32;  // byte offsets are 32-bit
  const std::uint64_t limit = std::min<std::uint64_t>(max_bytes, kOffsetLimit - 1);
  if (size > limit)
    throw ResourceError(path.string() + ": file of " + std::to_string(size) + " bytes (" + std::to_string(size / kMiB) +
                        " MiB) exceeds the limit of " + std::to_string(limit) + " bytes (" + std::to_string(limit / kMiB) +
                        " MiB; Options::max_file_bytes)");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InvalidArgument("cannot open '" + path.string() + "'");
  std::string text(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return text;
}

}  // namespace qmlsim::qasm::detail

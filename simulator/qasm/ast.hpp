#pragma once
/// The syntax tree of an OpenQASM program (internal). Names are views into the SourceFile texts,
/// which outlive the tree. Included files are spliced in place of their `include` statement.
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <variant>
#include <vector>

#include "simulator/qasm/source.hpp"

namespace qmlsim::qasm::detail {

enum class ExprKind : std::uint8_t { Number, Identifier, Negate, Binary, Call };
enum class BinaryOp : std::uint8_t { Add, Sub, Mul, Div, Pow, Mod };
enum class Function : std::uint8_t { Sin, Cos, Tan, Exp, Log, Sqrt, Asin, Acos, Atan };

struct ExprNode {
  ExprKind kind = ExprKind::Number;
  BinaryOp op = BinaryOp::Add;   // Binary
  Function fn = Function::Sin;   // Call
  bool is_int = false;           // Number: an integer literal
  double value = 0.0;            // Number
  std::string_view name;         // Identifier (or the function's name for Call)
  Location loc;                  // Binary: the operator; others: the first character
  std::unique_ptr<ExprNode> lhs;  // Negate / Call: the operand
  std::unique_ptr<ExprNode> rhs;
};
using ExprPtr = std::unique_ptr<ExprNode>;

/// A qubit or bit operand: `q`, `q[3]`, `q[i + 1]`, `q[0:2]` (OpenQASM 3, inclusive), `q[0:2:6]`.
struct Operand {
  enum class Select : std::uint8_t { Whole, Index, Slice };
  Location loc;
  std::string_view name;
  Select select = Select::Whole;
  Location index_loc;               // Index: where the index starts
  std::int64_t literal_index = -1;  // Index given as a plain integer literal (no node)
  ExprPtr index;                    // Index otherwise
  ExprPtr start, step, stop;        // Slice (step may be null)
};

struct Identifier {
  std::string_view name;
  Location loc;
};

struct Modifier {
  enum class Kind : std::uint8_t { Inv, Pow, Ctrl, NegCtrl };
  Kind kind = Kind::Inv;
  ExprPtr arg;  // Pow: the exponent; Ctrl/NegCtrl: the count (null: 1)
  Location loc;
};

/// A gate application: `[modifiers @] name[(params)] operands;` (U, CX and gphase included).
struct GateCall {
  Location loc;       // start of the statement
  Identifier name;
  std::vector<Modifier> modifiers;  // outermost first
  std::vector<ExprPtr> params;
  std::vector<Operand> operands;
};

/// qreg / creg / qubit / bit declarations.
struct RegisterDecl {
  Location loc;
  Identifier name;
  bool quantum = true;
  bool scalar = false;  // `qubit q;` / `bit c;`: a single (qu)bit, not indexable
  ExprPtr size;         // null when scalar
};

struct InputDecl {
  Location loc;
  Identifier name;
};

struct ConstDecl {
  enum class Type : std::uint8_t { Int, Uint, Float, Angle };
  Location loc;
  Type type = Type::Float;
  Identifier name;
  ExprPtr value;
};

struct Statement;

/// `gate name(params) qubits { body }`, or `opaque name(params) qubits;` (no body).
struct GateDef {
  Location loc;
  Identifier name;
  std::vector<Identifier> params;
  std::vector<Identifier> qubits;
  std::vector<Statement> body;  // GateCall and Barrier only
  bool opaque = false;
};

/// `measure q -> c;`, `c = measure q;`, `bit c = measure q;` (after the declaration).
struct Measure {
  Location loc;
  Operand qubits;
  Operand bits;
};

struct Reset {
  Location loc;
  Operand qubits;
};

/// `barrier a, b[0];` (no operands in OpenQASM 3: every qubit declared so far).
struct Barrier {
  Location loc;
  std::vector<Operand> operands;
};

/// `if (c == 3) stmt` / `if (c[0] == 1) { ... }` / `if (c[0]) stmt`.
struct If {
  Location loc;
  Operand bits;
  ExprPtr value;  // null: `if (c[0])`, meaning == 1
  std::vector<Statement> body;
};

/// `include "qelib1.inc";` / `include "stdgates.inc";` (built in; other files are spliced).
struct BuiltinInclude {
  enum class Library : std::uint8_t { Qelib1, StdGates };
  Location loc;
  Library library = Library::Qelib1;
};

struct Statement {
  std::variant<GateCall, RegisterDecl, InputDecl, ConstDecl, GateDef, Measure, Reset, Barrier, If, BuiltinInclude> node;
};


}  // namespace qmlsim::qasm::detail

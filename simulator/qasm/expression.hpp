#pragma once
/// Values of OpenQASM expressions (internal): constants are folded as they are computed, angles
/// that depend on `input` parameters become the cheapest exact Param form (affine in one
/// parameter when possible, an Expr otherwise).
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "simulator/gates/param.hpp"
#include "simulator/qasm/ast.hpp"

namespace qmlsim::qasm::detail {

/// An expression's value: an integer or real constant, scale * theta[index] + offset, or a
/// general expression over the parameters.
struct Value {
  enum class Kind : std::uint8_t { Int, Float, Affine, Expression };
  Kind kind = Kind::Float;
  double number = 0.0;  // Int / Float: the value; Affine: the offset
  double scale = 0.0;   // Affine
  int index = -1;       // Affine: the parameter
  std::shared_ptr<const Expr> expr;  // Expression

  [[nodiscard]] static Value integer(double v) { return {Kind::Int, v, 0.0, -1, nullptr}; }
  [[nodiscard]] static Value real(double v) { return {Kind::Float, v, 0.0, -1, nullptr}; }
  [[nodiscard]] static Value parameter(int i) { return {Kind::Affine, 0.0, 1.0, i, nullptr}; }
  [[nodiscard]] static Value from_expr(const Expr& e);
  [[nodiscard]] static Value from_param(const Param& p);
  [[nodiscard]] bool is_constant() const noexcept { return kind == Kind::Int || kind == Kind::Float; }
  [[nodiscard]] Param to_param() const;
  [[nodiscard]] Expr to_expr() const;
};

/// Arithmetic on values (constant-folded; Affine kept where exact). Errors (division by zero,
/// a non-finite constant) are reported as SourceError at `at`.
[[nodiscard]] Value add(const Value& a, const Value& b, Location at);
[[nodiscard]] Value subtract(const Value& a, const Value& b, Location at);
[[nodiscard]] Value multiply(const Value& a, const Value& b, Location at);
[[nodiscard]] Value divide(const Value& a, const Value& b, Location at);
[[nodiscard]] Value power(const Value& a, const Value& b, Location at);
[[nodiscard]] Value modulo(const Value& a, const Value& b, Location at);
[[nodiscard]] Value negate(const Value& a);
[[nodiscard]] Value apply_function(Function fn, const Value& a, std::string_view name, Location at);

/// Identifier lookup for evaluation.
class Scope {
 public:
  virtual ~Scope() = default;
  /// The value of `name`, or null if it is not a value here. May throw SourceError (e.g. a name
  /// that exists but may not be used here).
  [[nodiscard]] virtual const Value* find(std::string_view name, Location at) const = 0;
  /// Names a misspelt identifier could have meant.
  virtual void candidates(std::vector<std::string_view>& out) const = 0;
};

/// Evaluates a syntax tree. Throws SourceError (unknown identifier with a suggestion, division
/// by zero, ...).
[[nodiscard]] Value evaluate(const ExprNode& node, const Scope& scope);

/// A sum of phases, kept as an exact linear combination: constant + sum_i c_i theta[i] +
/// sum_j d_j term_j (term_j a non-linear expression, compared by its code). Equal terms with
/// opposite coefficients cancel exactly, so a phase written out and read back in cancels the
/// phase it was written to undo.
class PhaseSum {
 public:
  /// The constant phase c.
  [[nodiscard]] static PhaseSum from_constant(double c) {
    PhaseSum s;
    s.add_constant(c);
    return s;
  }
  /// coeff * v, for a Value or a Param.
  template <class T>
  [[nodiscard]] static PhaseSum from_term(const T& v, double coeff) {
    PhaseSum s;
    s.add(v, coeff);
    return s;
  }
  void add_constant(double c) { constant_ += c; }
  void add(const Value& v, double coeff);
  void add(const Param& p, double coeff);
  void add(const PhaseSum& other, double coeff);
  /// No parameter dependence and a constant within 1e-13 of a multiple of 2 pi.
  [[nodiscard]] bool is_zero() const noexcept;
  [[nodiscard]] bool is_constant() const noexcept;
  [[nodiscard]] double constant() const noexcept { return constant_; }
  [[nodiscard]] Param to_param() const;
  /// Parameter terms (index, coefficient) and non-linear terms (expression, coefficient).
  [[nodiscard]] const std::vector<std::pair<int, double>>& parameter_terms() const noexcept { return params_; }
  [[nodiscard]] const std::vector<std::pair<Expr, double>>& expression_terms() const noexcept { return terms_; }

 private:
  void add_parameter(int index, double coeff);
  void add_term(const Expr& e, double coeff);
  void add_code(const std::vector<Expr::Instr>& code, const std::vector<std::size_t>& start, std::size_t end, double coeff,
                int depth);
  double constant_ = 0.0;
  std::vector<std::pair<int, double>> params_;
  std::vector<std::pair<Expr, double>> terms_;
};

/// Rebuilds the Expr of code[first..last] (a complete subexpression in postfix order).
[[nodiscard]] Expr expr_from_code(const std::vector<Expr::Instr>& code, std::size_t first, std::size_t last);

}  // namespace qmlsim::qasm::detail

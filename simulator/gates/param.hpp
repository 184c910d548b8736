#pragma once
/// Gate angles. A Param is one of
///   - a constant;
///   - affine in one circuit parameter: scale * theta[index] + offset (the fast path);
///   - a compiled expression over several parameters (e.g. 2*(pi - x0)*(pi - x1) in a ZZ feature
///     map), evaluated from postfix code, with its partial derivatives by forward-mode
///     differentiation.
/// Every gradient method chains through all three. Nothing is refused or folded away because it is
/// not affine; an expression is only stored in a cheaper form when it is exactly constant or affine.
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "simulator/core/types.hpp"

namespace qmlsim {

/// A real expression over circuit parameters theta[0..P), built with ordinary operators:
///   Expr x0 = Expr::parameter(0), x1 = Expr::parameter(1);
///   Expr e = 2.0 * (kPi - x0) * (kPi - x1);
/// Stored as postfix code; immutable once built.
class Expr {
 public:
  enum class Op : std::uint8_t {
    Constant, Parameter, Add, Sub, Mul, Div, Pow, Neg,
    Sin, Cos, Tan, Exp, Log, Sqrt, Asin, Acos, Atan,
  };
  struct Instr {
    Op op;
    int index;     // Parameter: parameter index
    double value;  // Constant: its value
  };

  Expr(double value);  // NOLINT(google-explicit-constructor): constants mix freely with Exprs
  [[nodiscard]] static Expr parameter(int index);
  [[nodiscard]] static Expr apply(Op unary, const Expr& arg);

  /// Value at theta. Throws InvalidArgument if a parameter index is outside theta.
  [[nodiscard]] double evaluate(std::span<const double> theta) const;
  /// d(value)/d(theta[index]) at theta (forward mode).
  [[nodiscard]] double derivative(std::span<const double> theta, int index) const;

  /// Distinct parameter indices used, ascending.
  [[nodiscard]] const std::vector<int>& parameters() const noexcept { return params_; }
  [[nodiscard]] bool is_constant() const noexcept { return params_.empty(); }
  [[nodiscard]] const std::vector<Instr>& code() const noexcept { return code_; }

  /// This expression with every parameter i replaced by replacement[i] (an Expr: another
  /// parameter to renumber, a constant to bind, or any expression). Operations whose operands all
  /// became constant are evaluated now (by the same arithmetic evaluate() uses, so values do not
  /// change). Throws InvalidArgument if a parameter index is outside `replacement`.
  [[nodiscard]] Expr substituted(std::span<const Expr> replacement) const;

  /// Infix text; parameters print as parameter_name(i, names) (names[i] when given and not
  /// empty, else theta[i]), constants as format_number (shortest round-trip), both core/validate.hpp.
  [[nodiscard]] std::string to_string(std::span<const std::string> names = {}) const;

  friend Expr operator+(const Expr& a, const Expr& b) { return binary(Op::Add, a, b); }
  friend Expr operator-(const Expr& a, const Expr& b) { return binary(Op::Sub, a, b); }
  friend Expr operator*(const Expr& a, const Expr& b) { return binary(Op::Mul, a, b); }
  friend Expr operator/(const Expr& a, const Expr& b) { return binary(Op::Div, a, b); }
  friend Expr operator-(const Expr& a) { return apply(Op::Neg, a); }
  friend Expr pow(const Expr& a, const Expr& b) { return binary(Op::Pow, a, b); }
  friend Expr sin(const Expr& a) { return apply(Op::Sin, a); }
  friend Expr cos(const Expr& a) { return apply(Op::Cos, a); }
  friend Expr tan(const Expr& a) { return apply(Op::Tan, a); }
  friend Expr exp(const Expr& a) { return apply(Op::Exp, a); }
  friend Expr log(const Expr& a) { return apply(Op::Log, a); }
  friend Expr sqrt(const Expr& a) { return apply(Op::Sqrt, a); }
  friend Expr asin(const Expr& a) { return apply(Op::Asin, a); }
  friend Expr acos(const Expr& a) { return apply(Op::Acos, a); }
  friend Expr atan(const Expr& a) { return apply(Op::Atan, a); }

 private:
  Expr() = default;
  static Expr binary(Op op, const Expr& a, const Expr& b);
  std::vector<Instr> code_;
  std::vector<int> params_;
};


/// A gate angle: constant, affine in one parameter, or a general expression.
class Param {
 public:
  enum class Kind : std::uint8_t { Constant, Affine, Expression };

  Param(double value = 0.0) noexcept : offset_(value) {}  // NOLINT(google-explicit-constructor)
  Param(const Expr& expr);                                  // NOLINT(google-explicit-constructor)
  /// scale * theta[index] + offset. Throws InvalidArgument for a negative index.
  [[nodiscard]] static Param parameter(int index, double scale = 1.0, double offset = 0.0);

  [[nodiscard]] Kind kind() const noexcept { return kind_; }
  [[nodiscard]] bool is_constant() const noexcept { return kind_ == Kind::Constant; }
  /// Affine only: the parameter index, scale and offset.
  [[nodiscard]] int index() const noexcept { return index_; }
  [[nodiscard]] double scale() const noexcept { return scale_; }
  [[nodiscard]] double offset() const noexcept { return offset_; }
  /// Expression only.
  [[nodiscard]] const Expr* expression() const noexcept { return expr_.get(); }

  /// Value at theta (theta must hold every parameter this Param uses).
  [[nodiscard]] double value(std::span<const double> theta) const {
    switch (kind_) {
      case Kind::Constant: return offset_;
      case Kind::Affine: return scale_ * theta[static_cast<std::size_t>(index_)] + offset_;
      case Kind::Expression: return expr_->evaluate(theta);
    }
    return 0.0;
  }
  /// Largest parameter index used, or -1.
  [[nodiscard]] int max_parameter() const noexcept;
  /// Parameter indices used, ascending.
  [[nodiscard]] std::vector<int> parameters() const;
  /// d(value)/d(theta[index]) at theta.
  [[nodiscard]] double derivative(std::span<const double> theta, int index) const;

  /// -this (used by inverse()).
  [[nodiscard]] Param negated() const;
  /// a * this + b.
  [[nodiscard]] Param affine_transform(double a, double b) const;
  /// This angle with every parameter i replaced by replacement[i] (Expr::substituted): an
  /// affine angle whose replacement is a parameter stays affine (scale and offset kept), one whose
  /// replacement is a constant becomes the constant scale * value + offset. Throws InvalidArgument
  /// if a parameter index is outside `replacement`.
  [[nodiscard]] Param substituted(std::span<const Expr> replacement) const;
  /// As an Expr (any kind).
  [[nodiscard]] Expr to_expr() const;
  [[nodiscard]] std::string to_string(std::span<const std::string> names = {}) const;

 private:
  Kind kind_ = Kind::Constant;
  int index_ = -1;
  double scale_ = 0.0;
  double offset_ = 0.0;
  std::shared_ptr<const Expr> expr_;  // immutable, shared between copies
};

}  // namespace qmlsim

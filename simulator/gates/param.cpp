#include "simulator/gates/param.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "simulator/core/validate.hpp"

namespace qmlsim {
namespace {

// A value with one derivative component (forward-mode automatic differentiation).
struct Dual {
  double v, d;
};

int arity(Expr::Op op) {
  switch (op) {
    case Expr::Op::Constant:
    case Expr::Op::Parameter: return 0;
    case Expr::Op::Add:
    case Expr::Op::Sub:
    case Expr::Op::Mul:
    case Expr::Op::Div:
    case Expr::Op::Pow: return 2;
    case Expr::Op::Neg:
    case Expr::Op::Sin:
    case Expr::Op::Cos:
    case Expr::Op::Tan:
    case Expr::Op::Exp:
    case Expr::Op::Log:
    case Expr::Op::Sqrt:
    case Expr::Op::Asin:
    case Expr::Op::Acos:
    case Expr::Op::Atan: return 1;
  }
  return 0;
}

Dual apply_op(Expr::Op op, Dual a, Dual b) {
  using O = Expr::Op;
  switch (op) {
    case O::Add: return {a.v + b.v, a.d + b.d};
    case O::Sub: return {a.v - b.v, a.d - b.d};
    case O::Mul: return {a.v * b.v, a.d * b.v + a.v * b.d};
    case O::Div: return {a.v / b.v, (a.d * b.v - a.v * b.d) / (b.v * b.v)};
    case O::Pow: {
      const double v = std::pow(a.v, b.v);
      // d(a^b) = b a^(b-1) da + a^b ln(a) db; the second term only where it is defined and needed.
      double d = (a.d != 0.0) ? b.v * std::pow(a.v, b.v - 1.0) * a.d : 0.0;
      if (b.d != 0.0) d += v * std::log(a.v) * b.d;
      return {v, d};
    }
    case O::Neg: return {-a.v, -a.d};
    case O::Sin: return {std::sin(a.v), std::cos(a.v) * a.d};
    case O::Cos: return {std::cos(a.v), -std::sin(a.v) * a.d};
    case O::Tan: {
      const double t = std::tan(a.v);
      return {t, (1.0 + t * t) * a.d};
    }
    case O::Exp: {
      const double e = std::exp(a.v);
      return {e, e * a.d};
    }
    case O::Log: return {std::log(a.v), a.d / a.v};
    case O::Sqrt: {
      const double s = std::sqrt(a.v);
      return {s, a.d / (2.0 * s)};
    }
    case O::Asin: return {std::asin(a.v), a.d / std::sqrt(1.0 - a.v * a.v)};
    case O::Acos: return {std::acos(a.v), -a.d / std::sqrt(1.0 - a.v * a.v)};
    case O::Atan: return {std::atan(a.v), a.d / (1.0 + a.v * a.v)};
    case O::Constant:
    case O::Parameter: break;
  }
  return a;
}

// Evaluates the postfix code with derivative seeded on parameter `wrt` (-1: value only).
double run(const std::vector<Expr::Instr>& code, std::span<const double> theta, int wrt, double* deriv) {
  Dual stack_small[32];
  std::vector<Dual> stack_big;
  Dual* stack = stack_small;
  if (code.size() > 32) {
    stack_big.resize(code.size());
    stack = stack_big.data();
  }
  std::size_t top = 0;
  for (const auto& in : code) {
    switch (arity(in.op)) {
      case 0:
        if (in.op == Expr::Op::Constant) {
          stack[top++] = {in.value, 0.0};
        } else {
          check_index(in.index, theta.size(), "expression: parameter index");
          stack[top++] = {theta[static_cast<std::size_t>(in.index)], in.index == wrt ? 1.0 : 0.0};
        }
        break;
      case 1: stack[top - 1] = apply_op(in.op, stack[top - 1], {0, 0}); break;
      default: {
        const Dual b = stack[--top];
        stack[top - 1] = apply_op(in.op, stack[top - 1], b);
      }
    }
  }
  if (deriv) *deriv = stack[0].d;
  return stack[0].v;
}

}  // namespace

Expr::Expr(double value) : code_{{Op::Constant, -1, value}} {}

Expr Expr::parameter(int index) {
  check_non_negative(index, "parameter index");
  Expr e;
  e.code_ = {{Op::Parameter, index, 0.0}};
  e.params_ = {index};
  return e;
}

Expr Expr::apply(Op unary, const Expr& arg) {
  if (arity(unary) != 1) throw InvalidArgument("Expr::apply needs a unary operation");
  Expr e = arg;
  e.code_.push_back({unary, -1, 0.0});
  return e;
}

Expr Expr::binary(Op op, const Expr& a, const Expr& b) {
  Expr e;
  e.code_.reserve(a.code_.size() + b.code_.size() + 1);
  e.code_ = a.code_;
  e.code_.insert(e.code_.end(), b.code_.begin(), b.code_.end());
  e.code_.push_back({op, -1, 0.0});
  std::set_union(a.params_.begin(), a.params_.end(), b.params_.begin(), b.params_.end(),
                 std::back_inserter(e.params_));
  return e;
}

double Expr::evaluate(std::span<const double> theta) const { return run(code_, theta, -1, nullptr); }

double Expr::derivative(std::span<const double> theta, int index) const {
  if (!std::binary_search(params_.begin(), params_.end(), index)) return 0.0;
  double d = 0.0;
  run(code_, theta, index, &d);
  return d;
}

Expr Expr::substituted(std::span<const Expr> replacement) const {
  std::vector<Expr> stack;
  for (const auto& in : code_) {
    switch (arity(in.op)) {
      case 0:
        if (in.op == Op::Constant) {
          stack.emplace_back(in.value);
        } else {
          check_index(in.index, replacement.size(), "expression: parameter index");
          stack.push_back(replacement[static_cast<std::size_t>(in.index)]);
        }
        break;
      case 1: {
        Expr& a = stack.back();
        a = a.is_constant() ? Expr(apply_op(in.op, {a.evaluate({}), 0.0}, {0.0, 0.0}).v) : apply(in.op, a);
        break;
      }
      default: {
        const Expr b = std::move(stack.back());
        stack.pop_back();
        Expr& a = stack.back();
        a = a.is_constant() && b.is_constant()
                ? Expr(apply_op(in.op, {a.evaluate({}), 0.0}, {b.evaluate({}), 0.0}).v)
                : binary(in.op, a, b);
      }
    }
  }
  return stack.back();
}

std::string Expr::to_string(std::span<const std::string> names) const {
  static constexpr const char* kFn[] = {"sin", "cos", "tan", "exp", "ln", "sqrt", "asin", "acos", "atan"};
  std::vector<std::string> stack;
  for (const auto& in : code_) {
    switch (in.op) {
      case Op::Constant: {
        std::string s = in.value < 0 ? "(" : "";  // appended, not "(" + str: GCC 12 PR 105329
        s += format_number(in.value);
        if (in.value < 0) s += ')';
        stack.push_back(std::move(s));
        break;
      }
      case Op::Parameter:
        stack.push_back(parameter_name(static_cast<std::size_t>(in.index), names));
        break;
      case Op::Neg: {
        std::string s = "(-";
        s += stack.back();
        s += ')';
        stack.back() = std::move(s);
        break;
      }
      case Op::Add:
      case Op::Sub:
      case Op::Mul:
      case Op::Div:
      case Op::Pow: {
        static constexpr char kSym[] = {'+', '-', '*', '/', '^'};
        const std::string b = stack.back();
        stack.pop_back();
        stack.back() = "(" + stack.back() + " " + kSym[static_cast<int>(in.op) - static_cast<int>(Op::Add)] + " " + b + ")";
        break;
      }
      default:
        stack.back() = std::string(kFn[static_cast<int>(in.op) - static_cast<int>(Op::Sin)]) + "(" + stack.back() + ")";
    }
  }
  return stack.empty() ? "0" : stack.back();
}

Param::Param(const Expr& expr) {
  const auto& code = expr.code();
  if (expr.is_constant()) {
    offset_ = expr.evaluate({});
    return;
  }
  // Store the exact affine forms the builders and parsers produce most often in the fast path:
  // theta[i], and -theta[i]. Anything else stays an expression (its value is then computed by the
  // same code, so nothing changes numerically).
  if (code.size() == 1 && code[0].op == Expr::Op::Parameter) {
    *this = parameter(code[0].index);
    return;
  }
  if (code.size() == 2 && code[0].op == Expr::Op::Parameter && code[1].op == Expr::Op::Neg) {
    *this = parameter(code[0].index, -1.0, 0.0);
    return;
  }
  kind_ = Kind::Expression;
  expr_ = std::make_shared<const Expr>(expr);
}

Param Param::parameter(int index, double scale, double offset) {
  check_non_negative(index, "parameter index");
  Param p;
  p.kind_ = Kind::Affine;
  p.index_ = index;
  p.scale_ = scale;
  p.offset_ = offset;
  return p;
}

int Param::max_parameter() const noexcept {
  switch (kind_) {
    case Kind::Constant: return -1;
    case Kind::Affine: return index_;
    case Kind::Expression: return expr_->parameters().empty() ? -1 : expr_->parameters().back();
  }
  return -1;
}

std::vector<int> Param::parameters() const {
  switch (kind_) {
    case Kind::Constant: return {};
    case Kind::Affine: return {index_};
    case Kind::Expression: return expr_->parameters();
  }
  return {};
}

double Param::derivative(std::span<const double> theta, int index) const {
  switch (kind_) {
    case Kind::Constant: return 0.0;
    case Kind::Affine: return index == index_ ? scale_ : 0.0;
    case Kind::Expression: return expr_->derivative(theta, index);
  }
  return 0.0;
}

Param Param::negated() const { return affine_transform(-1.0, 0.0); }

Param Param::affine_transform(double a, double b) const {
  switch (kind_) {
    case Kind::Constant: return Param(a * offset_ + b);
    case Kind::Affine: return parameter(index_, a * scale_, a * offset_ + b);
    case Kind::Expression: {
      Param p;
      p.kind_ = Kind::Expression;
      p.expr_ = std::make_shared<const Expr>(Expr(a) * *expr_ + Expr(b));
      return p;
    }
  }
  return *this;
}

Param Param::substituted(std::span<const Expr> replacement) const {
  switch (kind_) {
    case Kind::Constant: return *this;
    case Kind::Affine: {
      check_index(index_, replacement.size(), "parameter index");
      const Expr& r = replacement[static_cast<std::size_t>(index_)];
      if (r.is_constant()) return Param(scale_ * r.evaluate({}) + offset_);  // value() at that point
      if (r.code().size() == 1) return parameter(r.code()[0].index, scale_, offset_);
      return Param(to_expr().substituted(replacement));
    }
    case Kind::Expression: return Param(expr_->substituted(replacement));
  }
  return *this;
}

Expr Param::to_expr() const {
  switch (kind_) {
    case Kind::Constant: return Expr(offset_);
    case Kind::Affine: {
      Expr e = Expr::parameter(index_);
      if (scale_ != 1.0) e = Expr(scale_) * e;
      if (offset_ != 0.0) e = e + Expr(offset_);
      return e;
    }
    case Kind::Expression: return *expr_;
  }
  return Expr(0.0);
}

std::string Param::to_string(std::span<const std::string> names) const {
  if (kind_ == Kind::Constant) return format_number(offset_);
  return to_expr().to_string(names);
}

}  // namespace qmlsim

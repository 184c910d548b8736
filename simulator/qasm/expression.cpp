#include "simulator/qasm/expression.hpp"

#include <cmath>
#include <string>

#include "simulator/core/types.hpp"
#include "simulator/core/validate.hpp"
#include "simulator/qasm/parser.hpp"

namespace qmlsim::qasm::detail {
namespace {

bool both_int(const Value& a, const Value& b) { return a.kind == Value::Kind::Int && b.kind == Value::Kind::Int; }

/// A folded constant: Int if both operands were and the result is a small exact integer.
Value constant(double v, bool integral, Location at, const char* what) {
  if (!std::isfinite(v)) throw SourceError{at, std::string(what) + " gives a non-finite value (" + format_number(v) + ")"};
  if (integral && std::abs(v) < 9.007199254740992e15 && v == std::floor(v)) return Value::integer(v);
  return Value::real(v);
}

Value affine(int index, double scale, double offset) {
  if (scale == 0.0) return Value::real(offset);  // the parameter cancelled exactly
  return {Value::Kind::Affine, offset, scale, index, nullptr};
}

Value expression(const Expr& e) { return Value::from_expr(e); }

Expr::Op unary_op(Function fn) {
  switch (fn) {
    case Function::Sin: return Expr::Op::Sin;
    case Function::Cos: return Expr::Op::Cos;
    case Function::Tan: return Expr::Op::Tan;
    case Function::Exp: return Expr::Op::Exp;
    case Function::Log: return Expr::Op::Log;
    case Function::Sqrt: return Expr::Op::Sqrt;
    case Function::Asin: return Expr::Op::Asin;
    case Function::Acos: return Expr::Op::Acos;
    case Function::Atan: return Expr::Op::Atan;
  }
  return Expr::Op::Sin;
}

double apply_constant(Function fn, double x) {
  switch (fn) {
    case Function::Sin: return std::sin(x);
    case Function::Cos: return std::cos(x);
    case Function::Tan: return std::tan(x);
    case Function::Exp: return std::exp(x);
    case Function::Log: return std::log(x);
    case Function::Sqrt: return std::sqrt(x);
    case Function::Asin: return std::asin(x);
    case Function::Acos: return std::acos(x);
    case Function::Atan: return std::atan(x);
  }
  return x;
}

bool is_binary(Expr::Op op) {
  return op == Expr::Op::Add || op == Expr::Op::Sub || op == Expr::Op::Mul || op == Expr::Op::Div || op == Expr::Op::Pow;
}
bool is_leaf(Expr::Op op) { return op == Expr::Op::Constant || op == Expr::Op::Parameter; }

bool same_code(const std::vector<Expr::Instr>& a, const std::vector<Expr::Instr>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].op != b[i].op) return false;
    if (a[i].op == Expr::Op::Parameter && a[i].index != b[i].index) return false;
    if (a[i].op == Expr::Op::Constant && a[i].value != b[i].value) return false;
  }
  return true;
}

}  // namespace

Value Value::from_expr(const Expr& e) {
  if (e.is_constant()) return Value::real(e.evaluate({}));
  const auto& code = e.code();
  if (code.size() == 1) return Value::parameter(code[0].index);
  return {Kind::Expression, 0.0, 0.0, -1, std::make_shared<const Expr>(e)};
}

Value Value::from_param(const Param& p) {
  switch (p.kind()) {
    case Param::Kind::Constant: return Value::real(p.offset());
    case Param::Kind::Affine: return affine(p.index(), p.scale(), p.offset());
    case Param::Kind::Expression: return from_expr(*p.expression());
  }
  return Value::real(0.0);
}

Param Value::to_param() const {
  switch (kind) {
    case Kind::Int:
    case Kind::Float: return Param(number);
    case Kind::Affine: return Param::parameter(index, scale, number);
    case Kind::Expression: return Param(*expr);
  }
  return Param(0.0);
}

Expr Value::to_expr() const {
  switch (kind) {
    case Kind::Int:
    case Kind::Float: return Expr(number);
    case Kind::Affine: {
      // The same form as Param::to_expr, so that both spell one affine angle identically.
      Expr e = Expr::parameter(index);
      if (scale != 1.0) e = Expr(scale) * e;
      if (number != 0.0) e = e + Expr(number);
      return e;
    }
    case Kind::Expression: return *expr;
  }
  return Expr(0.0);
}

Value add(const Value& a, const Value& b, Location at) {
  if (a.is_constant() && b.is_constant()) return constant(a.number + b.number, both_int(a, b), at, "addition");
  if (a.kind == Value::Kind::Affine && b.is_constant()) return affine(a.index, a.scale, a.number + b.number);
  if (a.is_constant() && b.kind == Value::Kind::Affine) return affine(b.index, b.scale, a.number + b.number);
  if (a.kind == Value::Kind::Affine && b.kind == Value::Kind::Affine && a.index == b.index)
    return affine(a.index, a.scale + b.scale, a.number + b.number);
  return expression(a.to_expr() + b.to_expr());
}

Value subtract(const Value& a, const Value& b, Location at) {
  if (a.is_constant() && b.is_constant()) return constant(a.number - b.number, both_int(a, b), at, "subtraction");
  if (a.kind == Value::Kind::Affine && b.is_constant()) return affine(a.index, a.scale, a.number - b.number);
  if (a.is_constant() && b.kind == Value::Kind::Affine) return affine(b.index, -b.scale, a.number - b.number);
  if (a.kind == Value::Kind::Affine && b.kind == Value::Kind::Affine && a.index == b.index)
    return affine(a.index, a.scale - b.scale, a.number - b.number);
  return expression(a.to_expr() - b.to_expr());
}

Value multiply(const Value& a, const Value& b, Location at) {
  if (a.is_constant() && b.is_constant()) return constant(a.number * b.number, both_int(a, b), at, "multiplication");
  if (a.kind == Value::Kind::Affine && b.is_constant()) return affine(a.index, a.scale * b.number, a.number * b.number);
  if (a.is_constant() && b.kind == Value::Kind::Affine) return affine(b.index, a.number * b.scale, a.number * b.number);
  return expression(a.to_expr() * b.to_expr());
}

Value divide(const Value& a, const Value& b, Location at) {
  if (b.is_constant() && b.number == 0.0) throw SourceError{at, "division by zero"};
  if (a.is_constant() && b.is_constant()) {
    const double q = a.number / b.number;
    return constant(q, both_int(a, b) && std::fmod(a.number, b.number) == 0.0, at, "division");
  }
  if (a.kind == Value::Kind::Affine && b.is_constant()) return affine(a.index, a.scale / b.number, a.number / b.number);
  return expression(a.to_expr() / b.to_expr());
}

Value power(const Value& a, const Value& b, Location at) {
  if (a.is_constant() && b.is_constant()) {
    if (a.number == 0.0 && b.number < 0.0) throw SourceError{at, "division by zero (0 raised to a negative power)"};
    const double v = std::pow(a.number, b.number);
    if (std::isnan(v)) throw SourceError{at, "power of a negative number to a non-integer exponent (" +
                                                 format_number(a.number) + " ** " + format_number(b.number) + ")"};
    return constant(v, both_int(a, b) && b.number >= 0.0, at, "power");
  }
  if (b.is_constant() && b.number == 1.0) return a;
  return expression(pow(a.to_expr(), b.to_expr()));
}

Value modulo(const Value& a, const Value& b, Location at) {
  if (!a.is_constant() || !b.is_constant()) throw SourceError{at, "'%' needs constant operands"};
  if (b.number == 0.0) throw SourceError{at, "division by zero (modulo)"};
  return constant(std::fmod(a.number, b.number), both_int(a, b), at, "modulo");
}

Value negate(const Value& a) {
  switch (a.kind) {
    case Value::Kind::Int: return Value::integer(-a.number);
    case Value::Kind::Float: return Value::real(-a.number);
    case Value::Kind::Affine: return affine(a.index, -a.scale, -a.number);
    case Value::Kind::Expression: return expression(-a.to_expr());
  }
  return a;
}

Value apply_function(Function fn, const Value& a, std::string_view name, Location at) {
  if (!a.is_constant()) return expression(Expr::apply(unary_op(fn), a.to_expr()));
  const double v = apply_constant(fn, a.number);
  if (!std::isfinite(v))
    throw SourceError{at, "function '" + std::string(name) + "' is undefined at " + format_number(a.number)};
  return Value::real(v);
}

namespace {

Value evaluate_at(const ExprNode& node, const Scope& scope) {
  switch (node.kind) {
    case ExprKind::Number: return node.is_int ? Value::integer(node.value) : Value::real(node.value);
    case ExprKind::Identifier: {
      if (const Value* v = scope.find(node.name, node.loc)) return *v;
      std::vector<std::string_view> names;
      scope.candidates(names);
      std::string message = "unknown identifier '" + std::string(node.name) + "'";
      if (auto guess = closest_name(node.name, names)) message += "; did you mean '" + *guess + "'?";
      throw SourceError{node.loc, message};
    }
    case ExprKind::Negate: return negate(evaluate_at(*node.lhs, scope));
    case ExprKind::Call: return apply_function(node.fn, evaluate_at(*node.lhs, scope), node.name, node.loc);
    case ExprKind::Binary: {
      const Value a = evaluate_at(*node.lhs, scope);
      const Value b = evaluate_at(*node.rhs, scope);
      switch (node.op) {
        case BinaryOp::Add: return add(a, b, node.loc);
        case BinaryOp::Sub: return subtract(a, b, node.loc);
        case BinaryOp::Mul: return multiply(a, b, node.loc);
        case BinaryOp::Div: return divide(a, b, node.loc);
        case BinaryOp::Pow: return power(a, b, node.loc);
        case BinaryOp::Mod: return modulo(a, b, node.loc);
      }
    }
  }
  return Value::real(0.0);
}

}  // namespace

Value evaluate(const ExprNode& node, const Scope& scope) { return evaluate_at(node, scope); }

// ---- PhaseSum -------------------------------------------------------------------------------

Expr expr_from_code(const std::vector<Expr::Instr>& code, std::size_t first, std::size_t last) {
  std::vector<Expr> stack;
  for (std::size_t i = first; i <= last; ++i) {
    const Expr::Instr& in = code[i];
    if (in.op == Expr::Op::Constant) {
      stack.emplace_back(in.value);
    } else if (in.op == Expr::Op::Parameter) {
      stack.push_back(Expr::parameter(in.index));
    } else if (is_binary(in.op)) {
      Expr b = stack.back();
      stack.pop_back();
      Expr& a = stack.back();
      switch (in.op) {
        case Expr::Op::Add: a = a + b; break;
        case Expr::Op::Sub: a = a - b; break;
        case Expr::Op::Mul: a = a * b; break;
        case Expr::Op::Div: a = a / b; break;
        default: a = pow(a, b); break;
      }
    } else {
      stack.back() = Expr::apply(in.op, stack.back());
    }
  }
  return stack.back();
}

void PhaseSum::add_parameter(int index, double coeff) {
  for (auto& [i, c] : params_)
    if (i == index) {
      c += coeff;
      return;
    }
  params_.emplace_back(index, coeff);
}

void PhaseSum::add_term(const Expr& e, double coeff) {
  for (auto& [t, c] : terms_)
    if (same_code(t.code(), e.code())) {
      c += coeff;
      return;
    }
  terms_.emplace_back(e, coeff);
}

void PhaseSum::add_code(const std::vector<Expr::Instr>& code, const std::vector<std::size_t>& start, std::size_t end,
                        double coeff, int depth) {
  const Expr::Instr& in = code[end];
  const std::size_t first = start[end];
  auto constant_value = [&](std::size_t lo, std::size_t hi) -> std::optional<double> {
    for (std::size_t i = lo; i <= hi; ++i)
      if (code[i].op == Expr::Op::Parameter) return std::nullopt;
    return expr_from_code(code, lo, hi).evaluate({});
  };
  if (depth > kMaxNesting) {
    add_term(expr_from_code(code, first, end), coeff);
    return;
  }
  switch (in.op) {
    case Expr::Op::Constant: constant_ += coeff * in.value; return;
    case Expr::Op::Parameter: add_parameter(in.index, coeff); return;
    case Expr::Op::Neg: add_code(code, start, end - 1, -coeff, depth + 1); return;
    case Expr::Op::Add:
    case Expr::Op::Sub:
    case Expr::Op::Mul:
    case Expr::Op::Div: {
      const std::size_t rhs_end = end - 1, lhs_end = start[rhs_end] - 1;
      if (in.op == Expr::Op::Add || in.op == Expr::Op::Sub) {
        add_code(code, start, lhs_end, coeff, depth + 1);
        add_code(code, start, rhs_end, in.op == Expr::Op::Add ? coeff : -coeff, depth + 1);
        return;
      }
      const auto rhs_const = constant_value(start[rhs_end], rhs_end);
      if (in.op == Expr::Op::Div) {
        if (rhs_const && *rhs_const != 0.0) return add_code(code, start, lhs_end, coeff / *rhs_const, depth + 1);
        break;
      }
      if (rhs_const) return add_code(code, start, lhs_end, coeff * *rhs_const, depth + 1);
      if (const auto lhs_const = constant_value(first, lhs_end)) return add_code(code, start, rhs_end, coeff * *lhs_const, depth + 1);
      break;
    }
    default: break;
  }
  if (const auto c = constant_value(first, end)) {
    constant_ += coeff * *c;
    return;
  }
  add_term(expr_from_code(code, first, end), coeff);
}

void PhaseSum::add(const Param& p, double coeff) {
  switch (p.kind()) {
    case Param::Kind::Constant: constant_ += coeff * p.offset(); return;
    case Param::Kind::Affine:
      add_parameter(p.index(), coeff * p.scale());
      constant_ += coeff * p.offset();
      return;
    case Param::Kind::Expression: {
      const auto& code = p.expression()->code();
      // start[i]: where the subexpression ending at i begins.
      std::vector<std::size_t> start(code.size());
      std::vector<std::size_t> stack;
      for (std::size_t i = 0; i < code.size(); ++i) {
        if (is_leaf(code[i].op)) {
          start[i] = i;
        } else if (is_binary(code[i].op)) {
          stack.pop_back();
          start[i] = stack.back();
          stack.pop_back();
        } else {
          start[i] = stack.back();
          stack.pop_back();
        }
        stack.push_back(start[i]);
      }
      add_code(code, start, code.size() - 1, coeff, 0);
      return;
    }
  }
}

void PhaseSum::add(const Value& v, double coeff) {
  switch (v.kind) {
    case Value::Kind::Int:
    case Value::Kind::Float: constant_ += coeff * v.number; return;
    case Value::Kind::Affine:
      add_parameter(v.index, coeff * v.scale);
      constant_ += coeff * v.number;
      return;
    case Value::Kind::Expression: add(Param(*v.expr), coeff); return;
  }
}

void PhaseSum::add(const PhaseSum& other, double coeff) {
  constant_ += coeff * other.constant_;
  for (const auto& [i, c] : other.params_) add_parameter(i, coeff * c);
  for (const auto& [t, c] : other.terms_) add_term(t, coeff * c);
}

bool PhaseSum::is_constant() const noexcept {
  for (const auto& [i, c] : params_)
    if (c != 0.0) return false;
  for (const auto& [t, c] : terms_)
    if (c != 0.0) return false;
  return true;
}

bool PhaseSum::is_zero() const noexcept {
  return is_constant() && std::abs(std::remainder(constant_, 2.0 * kPi)) <= 1e-13;
}

Param PhaseSum::to_param() const {
  std::vector<std::pair<int, double>> params;
  for (const auto& pc : params_)
    if (pc.second != 0.0) params.push_back(pc);
  std::vector<const std::pair<Expr, double>*> terms;
  for (const auto& tc : terms_)
    if (tc.second != 0.0) terms.push_back(&tc);
  if (params.empty() && terms.empty()) return Param(constant_);
  if (params.size() == 1 && terms.empty()) return Param::parameter(params[0].first, params[0].second, constant_);
  std::optional<Expr> sum;
  auto append = [&](const Expr& term, double c) {
    Expr scaled = c == 1.0 ? term : Expr(c) * term;
    sum = sum ? *sum + scaled : scaled;
  };
  for (const auto& [i, c] : params) append(Expr::parameter(i), c);
  for (const auto* tc : terms) append(tc->first, tc->second);
  if (constant_ != 0.0) *sum = *sum + Expr(constant_);
  return Param(*sum);
}

}  // namespace qmlsim::qasm::detail

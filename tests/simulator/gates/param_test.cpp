#include "simulator/gates/param.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "simulator/core/errors.hpp"
#include "simulator/core/rng.hpp"

namespace qmlsim {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Central difference of f along parameter `index` (step h relative to 1).
double central_difference(const Expr& e, std::vector<double> theta, int index, double h = 1e-6) {
  const auto i = static_cast<std::size_t>(index);
  const double x = theta[i];
  theta[i] = x + h;
  const double fp = e.evaluate(theta);
  theta[i] = x - h;
  const double fm = e.evaluate(theta);
  return (fp - fm) / (2 * h);
}

// An expression together with an independent plain-C++ evaluation of it.
struct Case {
  std::string label;
  Expr expr;
  std::function<double(const std::vector<double>&)> f;
};

std::vector<Case> cases() {
  const Expr x0 = Expr::parameter(0), x1 = Expr::parameter(1), x2 = Expr::parameter(2);
  using V = const std::vector<double>&;
  return {
      {"add", x0 + x1 + 2.5, [](V t) { return t[0] + t[1] + 2.5; }},
      {"sub", x0 - x1 - 1.0, [](V t) { return t[0] - t[1] - 1.0; }},
      {"mul", x0 * x1 * x2, [](V t) { return t[0] * t[1] * t[2]; }},
      {"div", x0 / (2.0 + cos(x1)), [](V t) { return t[0] / (2.0 + std::cos(t[1])); }},
      {"pow base", pow(1.5 + sin(x0), 3.0), [](V t) { return std::pow(1.5 + std::sin(t[0]), 3.0); }},
      {"pow both", pow(1.5 + sin(x0), x1), [](V t) { return std::pow(1.5 + std::sin(t[0]), t[1]); }},
      {"pow exponent", pow(2.0, x1 * x2), [](V t) { return std::pow(2.0, t[1] * t[2]); }},
      {"neg", -(x0 * x1), [](V t) { return -(t[0] * t[1]); }},
      {"sin", sin(x0 * x1), [](V t) { return std::sin(t[0] * t[1]); }},
      {"cos", cos(x0 + 2.0 * x2), [](V t) { return std::cos(t[0] + 2.0 * t[2]); }},
      {"tan", tan(0.5 * x0), [](V t) { return std::tan(0.5 * t[0]); }},
      {"exp", exp(x1 - x0), [](V t) { return std::exp(t[1] - t[0]); }},
      {"log", log(2.0 + cos(x1) * x2), [](V t) { return std::log(2.0 + std::cos(t[1]) * t[2]); }},
      {"sqrt", sqrt(1.5 + x0 * x0), [](V t) { return std::sqrt(1.5 + t[0] * t[0]); }},
      {"asin", asin(0.7 * sin(x0)), [](V t) { return std::asin(0.7 * std::sin(t[0])); }},
      {"acos", acos(0.6 * cos(x1 * x2)), [](V t) { return std::acos(0.6 * std::cos(t[1] * t[2])); }},
      {"atan", atan(x0 * x2 - x1), [](V t) { return std::atan(t[0] * t[2] - t[1]); }},
      {"zz feature map", 2.0 * (kPi - x0) * (kPi - x1), [](V t) { return 2.0 * (kPi - t[0]) * (kPi - t[1]); }},
      {"everything",
       sqrt(exp(sin(x0) * cos(x1)) + 1.0) / (2.0 + tan(0.3 * x2)) - log(3.0 + atan(x0)) * asin(0.5 * cos(x2)) +
           pow(acos(0.4 * sin(x1)), 2.0) - (-x0),
       [](V t) {
         return std::sqrt(std::exp(std::sin(t[0]) * std::cos(t[1])) + 1.0) / (2.0 + std::tan(0.3 * t[2])) -
                std::log(3.0 + std::atan(t[0])) * std::asin(0.5 * std::cos(t[2])) +
                std::pow(std::acos(0.4 * std::sin(t[1])), 2.0) + t[0];
       }},
  };
}

TEST(ExprTest, ValuesMatchPlainEvaluation) {
  Rng rng(1);
  for (const Case& c : cases())
    for (int trial = 0; trial < 20; ++trial) {
      const std::vector<double> t = {2 * rng.uniform() - 1, 2 * rng.uniform() - 1, 2 * rng.uniform() - 1};
      const double expected = c.f(t);
      EXPECT_NEAR(c.expr.evaluate(t), expected, 1e-14 * std::max(1.0, std::abs(expected))) << c.label;
      const Param p(c.expr);
      EXPECT_NEAR(p.value(t), expected, 1e-14 * std::max(1.0, std::abs(expected))) << c.label;
    }
}

TEST(ExprTest, DerivativesMatchCentralDifferences) {
  Rng rng(2);
  for (const Case& c : cases())
    for (int trial = 0; trial < 20; ++trial) {
      const std::vector<double> t = {2 * rng.uniform() - 1, 2 * rng.uniform() - 1, 2 * rng.uniform() - 1};
      for (int i = 0; i < 3; ++i) {
        const double fd = central_difference(c.expr, t, i);
        const double d = c.expr.derivative(t, i);
        EXPECT_NEAR(d, fd, 1e-6 * std::max(1.0, std::abs(fd))) << c.label << " d/dx" << i;
        EXPECT_NEAR(Param(c.expr).derivative(t, i), fd, 1e-6 * std::max(1.0, std::abs(fd))) << c.label;
      }
      // A parameter the expression does not use has derivative 0 (even beyond theta's size).
      EXPECT_EQ(c.expr.derivative(t, 7), 0.0) << c.label;
    }
}

TEST(ExprTest, ZZFeatureMapAnglePartials) {
  const Expr x0 = Expr::parameter(0), x1 = Expr::parameter(1);
  const Expr e = 2.0 * (kPi - x0) * (kPi - x1);
  Rng rng(3);
  for (int trial = 0; trial < 50; ++trial) {
    const std::vector<double> t = {4 * rng.uniform() - 2, 4 * rng.uniform() - 2};
    EXPECT_NEAR(e.evaluate(t), 2 * (kPi - t[0]) * (kPi - t[1]), 1e-13);
    EXPECT_NEAR(e.derivative(t, 0), -2 * (kPi - t[1]), 1e-13);
    EXPECT_NEAR(e.derivative(t, 1), -2 * (kPi - t[0]), 1e-13);
  }
  EXPECT_EQ(e.parameters(), (std::vector<int>{0, 1}));
  EXPECT_FALSE(e.is_constant());
  const Param p(e);
  EXPECT_EQ(p.kind(), Param::Kind::Expression);
  EXPECT_EQ(p.parameters(), (std::vector<int>{0, 1}));
  EXPECT_EQ(p.max_parameter(), 1);
}

TEST(ExprTest, ParameterSetIsSortedAndDistinct) {
  const Expr e = Expr::parameter(5) * Expr::parameter(2) + sin(Expr::parameter(5)) - Expr::parameter(0);
  EXPECT_EQ(e.parameters(), (std::vector<int>{0, 2, 5}));
  EXPECT_TRUE(Expr(3.0).is_constant());
  EXPECT_TRUE((Expr(3.0) * Expr(2.0) + 1.0).parameters().empty());
}

TEST(ExprTest, SubstitutedRenumbersAndBindsExactly) {
  // Parameters 0, 1, 2 -> 4, a constant, 0: values and derivatives equal the original's at the
  // corresponding point, bit for bit (the folded constants use the same arithmetic).
  const std::vector<Expr> replacement = {Expr::parameter(4), Expr(0.37), Expr::parameter(0)};
  Rng rng(5);
  for (const Case& c : cases()) {
    const Expr s = c.expr.substituted(replacement);
    for (const int p : s.parameters()) EXPECT_TRUE(p == 0 || p == 4) << c.label;
    for (int trial = 0; trial < 5; ++trial) {
      const std::vector<double> t = {2 * rng.uniform() - 1, 0.37, 2 * rng.uniform() - 1};
      const std::vector<double> u = {t[2], 9.0, 9.0, 9.0, t[0]};
      EXPECT_EQ(s.evaluate(u), c.expr.evaluate(t)) << c.label;
      EXPECT_EQ(s.derivative(u, 4), c.expr.derivative(t, 0)) << c.label;
      EXPECT_EQ(s.derivative(u, 0), c.expr.derivative(t, 2)) << c.label;
      EXPECT_EQ(s.derivative(u, 1), 0.0) << c.label;
    }
  }
  // Everything bound: one constant instruction.
  const Expr zz = 2.0 * (kPi - Expr::parameter(0)) * (kPi - Expr::parameter(1));
  const Expr bound = zz.substituted(std::vector<Expr>{Expr(0.5), Expr(-1.25)});
  EXPECT_TRUE(bound.is_constant());
  EXPECT_EQ(bound.code().size(), 1u);
  EXPECT_EQ(bound.evaluate({}), zz.evaluate(std::vector<double>{0.5, -1.25}));
  // Replacements may be expressions.
  const Expr nested = (Expr::parameter(0) * Expr::parameter(0)).substituted(std::vector<Expr>{sin(Expr::parameter(1))});
  EXPECT_EQ(nested.parameters(), (std::vector<int>{1}));
  EXPECT_DOUBLE_EQ(nested.evaluate(std::vector<double>{0.0, 0.3}), std::sin(0.3) * std::sin(0.3));
  try {
    (void)zz.substituted(std::vector<Expr>{Expr(1.0)});
    FAIL() << "no exception";
  } catch (const InvalidArgument& e) {
    EXPECT_STREQ(e.what(), "expression: parameter index 1 out of range [0, 1)");
  }
}

TEST(ParamTest, SubstitutedKeepsKindsWhereItCan) {
  const std::vector<Expr> replacement = {Expr::parameter(3), Expr(0.25), sin(Expr::parameter(2))};
  const Param affine = Param::parameter(0, -2.0, 0.5);
  const Param renumbered = affine.substituted(replacement);
  EXPECT_EQ(renumbered.kind(), Param::Kind::Affine);
  EXPECT_EQ(renumbered.index(), 3);
  EXPECT_EQ(renumbered.scale(), -2.0);
  EXPECT_EQ(renumbered.offset(), 0.5);
  const Param bound = Param::parameter(1, -2.0, 0.5).substituted(replacement);
  EXPECT_TRUE(bound.is_constant());
  EXPECT_EQ(bound.value({}), Param::parameter(1, -2.0, 0.5).value(std::vector<double>{0.0, 0.25}));
  const Param composed = Param::parameter(2, 3.0, 1.0).substituted(replacement);
  EXPECT_EQ(composed.kind(), Param::Kind::Expression);
  EXPECT_DOUBLE_EQ(composed.value(std::vector<double>{0, 0, 0.7}), 3.0 * std::sin(0.7) + 1.0);
  EXPECT_EQ(Param(1.5).substituted(replacement).value({}), 1.5);
  const Param expr(Expr::parameter(0) * Expr::parameter(1));
  const Param half_bound = expr.substituted(replacement);
  EXPECT_EQ(half_bound.parameters(), (std::vector<int>{3}));
  EXPECT_EQ(half_bound.value(std::vector<double>{0, 0, 0, 0.8}), expr.value(std::vector<double>{0.8, 0.25}));
  EXPECT_THROW((void)Param::parameter(5).substituted(replacement), InvalidArgument);
}

TEST(ParamTest, ConstantParam) {
  const Param p(1.25);
  EXPECT_EQ(p.kind(), Param::Kind::Constant);
  EXPECT_TRUE(p.is_constant());
  EXPECT_EQ(p.value({}), 1.25);
  EXPECT_EQ(p.offset(), 1.25);
  EXPECT_EQ(p.max_parameter(), -1);
  EXPECT_TRUE(p.parameters().empty());
  const std::vector<double> t = {3.0};
  EXPECT_EQ(p.derivative(t, 0), 0.0);
  EXPECT_EQ(Param().value({}), 0.0);
  // A constant expression is stored as a constant.
  const Param folded(Expr(2.0) * Expr(kPi) - 1.0);
  EXPECT_EQ(folded.kind(), Param::Kind::Constant);
  EXPECT_EQ(folded.value({}), 2.0 * kPi - 1.0);
}

TEST(ParamTest, AffineParam) {
  const Param p = Param::parameter(2, -1.5, 0.25);
  EXPECT_EQ(p.kind(), Param::Kind::Affine);
  EXPECT_FALSE(p.is_constant());
  EXPECT_EQ(p.index(), 2);
  EXPECT_EQ(p.scale(), -1.5);
  EXPECT_EQ(p.offset(), 0.25);
  const std::vector<double> t = {9.0, 9.0, 2.0};
  EXPECT_EQ(p.value(t), -1.5 * 2.0 + 0.25);
  EXPECT_EQ(p.derivative(t, 2), -1.5);
  EXPECT_EQ(p.derivative(t, 0), 0.0);
  EXPECT_EQ(p.max_parameter(), 2);
  EXPECT_EQ(p.parameters(), (std::vector<int>{2}));
  // The exact forms theta[i] and -theta[i] take the affine fast path.
  const Param q(Expr::parameter(1));
  EXPECT_EQ(q.kind(), Param::Kind::Affine);
  EXPECT_EQ(q.index(), 1);
  EXPECT_EQ(q.scale(), 1.0);
  EXPECT_EQ(q.offset(), 0.0);
  const Param r(-Expr::parameter(3));
  EXPECT_EQ(r.kind(), Param::Kind::Affine);
  EXPECT_EQ(r.index(), 3);
  EXPECT_EQ(r.scale(), -1.0);
  // Other forms stay expressions and still evaluate correctly.
  const Param s(2.0 * Expr::parameter(0) + 1.0);
  EXPECT_EQ(s.kind(), Param::Kind::Expression);
  ASSERT_NE(s.expression(), nullptr);
  EXPECT_EQ(s.value(t), 19.0);
  EXPECT_EQ(s.derivative(t, 0), 2.0);
}

TEST(ParamTest, NegatedAndAffineTransform) {
  Rng rng(4);
  const std::vector<double> t = {0.3, -1.1, 0.7};
  const Param params[] = {Param(0.8), Param::parameter(1, 2.0, -0.5),
                          Param(sin(Expr::parameter(0)) * Expr::parameter(2) + 0.1)};
  for (const Param& p : params) {
    const Param n = p.negated();
    EXPECT_EQ(n.kind(), p.kind());
    EXPECT_NEAR(n.value(t), -p.value(t), 1e-15);
    for (int i = 0; i < 3; ++i) EXPECT_NEAR(n.derivative(t, i), -p.derivative(t, i), 1e-15);
    const double a = 4 * rng.uniform() - 2, b = 4 * rng.uniform() - 2;
    const Param m = p.affine_transform(a, b);
    EXPECT_EQ(m.kind(), p.kind());
    EXPECT_NEAR(m.value(t), a * p.value(t) + b, 1e-14);
    for (int i = 0; i < 3; ++i) EXPECT_NEAR(m.derivative(t, i), a * p.derivative(t, i), 1e-14);
    EXPECT_EQ(m.parameters(), p.parameters());
    // to_expr() describes the same function.
    const Expr e = p.to_expr();
    EXPECT_NEAR(e.evaluate(t), p.value(t), 1e-15);
    for (int i = 0; i < 3; ++i) EXPECT_NEAR(e.derivative(t, i), p.derivative(t, i), 1e-15);
  }
  const Param neg = Param::parameter(0, 3.0, 1.0).negated();
  EXPECT_EQ(neg.scale(), -3.0);
  EXPECT_EQ(neg.offset(), -1.0);
  EXPECT_EQ(neg.index(), 0);
}

TEST(ParamTest, ToString) {
  EXPECT_EQ(Param(1.5).to_string(), "1.5");
  EXPECT_EQ(Param(-0.25).to_string(), "-0.25");
  EXPECT_EQ(Param::parameter(0).to_string(), "theta[0]");
  const std::vector<std::string> names = {"x", "y", "z"};
  EXPECT_EQ(Param::parameter(2).to_string(names), "z");
  // Names beyond the list fall back to theta[i].
  EXPECT_EQ(Param::parameter(4).to_string(names), "theta[4]");
  const std::string affine = Param::parameter(1, 2.0, 0.5).to_string(names);
  EXPECT_THAT(affine, HasSubstr("y"));
  EXPECT_THAT(affine, HasSubstr("2"));
  EXPECT_THAT(affine, HasSubstr("0.5"));
  const Expr e = 2.0 * (kPi - Expr::parameter(0)) * (kPi - Expr::parameter(1));
  const std::string s = e.to_string(names);
  EXPECT_THAT(s, HasSubstr("x"));
  EXPECT_THAT(s, HasSubstr("y"));
  EXPECT_THAT(s, Not(HasSubstr("theta")));
  // Constants print with enough digits to round-trip.
  const auto pos = s.find("3.14");
  ASSERT_NE(pos, std::string::npos);
  EXPECT_EQ(std::strtod(s.c_str() + pos, nullptr), kPi);
  EXPECT_EQ(e.to_string(), "((2 * (3.141592653589793 - theta[0])) * (3.141592653589793 - theta[1]))");
  EXPECT_EQ(sin(Expr::parameter(0)).to_string(), "sin(theta[0])");
  EXPECT_EQ(log(Expr::parameter(0)).to_string(), "ln(theta[0])");
  EXPECT_EQ(pow(Expr::parameter(0), 2.0).to_string(), "(theta[0] ^ 2)");
  EXPECT_EQ((-Expr::parameter(1)).to_string(), "(-theta[1])");
  EXPECT_EQ((Expr(-1.5) + Expr::parameter(0)).to_string(), "((-1.5) + theta[0])");
}

TEST(ParamTest, Errors) {
  try {
    (void)Param::parameter(-1);
    FAIL() << "no exception";
  } catch (const InvalidArgument& e) {
    EXPECT_STREQ(e.what(), "parameter index -1 must be >= 0");
  }
  try {
    (void)Expr::parameter(-3);
    FAIL() << "no exception";
  } catch (const InvalidArgument& e) {
    EXPECT_STREQ(e.what(), "parameter index -3 must be >= 0");
  }
  const Expr e = sin(Expr::parameter(0)) + Expr::parameter(3);
  const std::vector<double> two = {0.1, 0.2};
  try {
    (void)e.evaluate(two);
    FAIL() << "no exception";
  } catch (const InvalidArgument& ex) {
    EXPECT_STREQ(ex.what(), "expression: parameter index 3 out of range [0, 2)");
  }
  EXPECT_THROW((void)e.derivative(two, 3), InvalidArgument);
  EXPECT_THROW((void)Param(e).value(two), InvalidArgument);
  EXPECT_THROW((void)Expr::apply(Expr::Op::Add, Expr::parameter(0)), InvalidArgument);
  try {
    (void)Expr::apply(Expr::Op::Mul, Expr(1.0));
    FAIL() << "no exception";
  } catch (const InvalidArgument& ex) {
    EXPECT_STREQ(ex.what(), "Expr::apply needs a unary operation");
  }
  // InvalidArgument is a qmlsim::Error.
  EXPECT_THROW((void)Param::parameter(-2), Error);
}

}  // namespace
}  // namespace qmlsim

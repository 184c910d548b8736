#include "simulator/qasm/expression.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "tests/simulator/qasm/qasm_test_util.hpp"

namespace qmlsim::qasm {
namespace {

using test::first_error;
using test::parse_ok;
using ::testing::DoubleNear;
using ::testing::HasSubstr;

/// The value an OpenQASM 2 expression gives as the first angle of U.
double value2(const std::string& expr) {
  const Program p = parse_ok("OPENQASM 2.0;\nqreg q[1];\nU(" + expr + ", 0, 0) q[0];\n");
  return p.circuit.operations().at(0).params.at(0).offset();
}

/// The value an OpenQASM 3 expression gives as the first angle of U.
double value3(const std::string& expr) {
  const Program p = parse_ok("OPENQASM 3;\nqubit q;\nU(" + expr + ", 0, 0) q;\n");
  return p.circuit.operations().at(0).params.at(0).offset();
}

TEST(ExpressionTest, PrecedenceAndAssociativity) {
  EXPECT_DOUBLE_EQ(value2("2+3*4"), 14.0);
  EXPECT_DOUBLE_EQ(value2("(2+3)*4"), 20.0);
  EXPECT_DOUBLE_EQ(value2("2*3+4"), 10.0);
  EXPECT_DOUBLE_EQ(value2("8/2/2"), 2.0);   // left-associative
  EXPECT_DOUBLE_EQ(value2("2-3-4"), -5.0);  // left-associative
  EXPECT_DOUBLE_EQ(value2("2^3^2"), 512.0);  // right-associative
  EXPECT_DOUBLE_EQ(value2("-2^2"), -4.0);    // -(2^2)
  EXPECT_DOUBLE_EQ(value2("2^-1"), 0.5);     // a signed exponent
  EXPECT_DOUBLE_EQ(value2("--3"), 3.0);
  EXPECT_DOUBLE_EQ(value2("-pi/2"), -kPi / 2);
  EXPECT_DOUBLE_EQ(value2("3*-2"), -6.0);
  EXPECT_DOUBLE_EQ(value3("2**3**2"), 512.0);
  EXPECT_DOUBLE_EQ(value3("-2**2"), -4.0);
  EXPECT_DOUBLE_EQ(value3("+2 - -1"), 3.0);
  EXPECT_DOUBLE_EQ(value3("7 % 4"), 3.0);
}

TEST(ExpressionTest, NumberForms) {
  EXPECT_DOUBLE_EQ(value2(".25"), 0.25);
  EXPECT_DOUBLE_EQ(value2("1.5e0"), 1.5);
  EXPECT_DOUBLE_EQ(value2("1.E-1"), 0.1);
  EXPECT_DOUBLE_EQ(value2("2E+2"), 200.0);
  EXPECT_DOUBLE_EQ(value2("1."), 1.0);
  EXPECT_DOUBLE_EQ(value3("1_000"), 1000.0);
  EXPECT_DOUBLE_EQ(value3("0x10"), 16.0);
  EXPECT_DOUBLE_EQ(value3("0b101"), 5.0);
  EXPECT_DOUBLE_EQ(value3("0o17"), 15.0);
}

TEST(ExpressionTest, EveryFunctionAndConstant) {
  const double x = 0.3;
  EXPECT_DOUBLE_EQ(value2("sin(0.3)"), std::sin(x));
  EXPECT_DOUBLE_EQ(value2("cos(0.3)"), std::cos(x));
  EXPECT_DOUBLE_EQ(value2("tan(0.3)"), std::tan(x));
  EXPECT_DOUBLE_EQ(value2("exp(0.3)"), std::exp(x));
  EXPECT_DOUBLE_EQ(value2("ln(0.3)"), std::log(x));
  EXPECT_DOUBLE_EQ(value2("sqrt(0.3)"), std::sqrt(x));
  EXPECT_DOUBLE_EQ(value2("pi"), kPi);
  EXPECT_DOUBLE_EQ(value3("arcsin(0.3)"), std::asin(x));
  EXPECT_DOUBLE_EQ(value3("arccos(0.3)"), std::acos(x));
  EXPECT_DOUBLE_EQ(value3("arctan(0.3)"), std::atan(x));
  EXPECT_DOUBLE_EQ(value3("log(0.3)"), std::log(x));
  EXPECT_DOUBLE_EQ(value3("ln(0.3)"), std::log(x));
  EXPECT_DOUBLE_EQ(value3("\xCF\x80"), kPi);            // pi
  EXPECT_DOUBLE_EQ(value3("tau"), 2 * kPi);
  EXPECT_DOUBLE_EQ(value3("\xCF\x84"), 2 * kPi);        // tau
  EXPECT_DOUBLE_EQ(value3("euler"), std::exp(1.0));
  EXPECT_DOUBLE_EQ(value3("\xE2\x84\x87"), std::exp(1.0));  // euler's constant
}

TEST(ExpressionTest, FunctionsAreVersioned) {
  EXPECT_THAT(first_error("OPENQASM 2.0;\nqreg q[1];\nU(arcsin(1), 0, 0) q[0];\n"),
              HasSubstr("3:3: unknown function 'arcsin'"));
  EXPECT_THAT(first_error("OPENQASM 3;\nqubit q;\nU(sine(1), 0, 0) q;\n"),
              HasSubstr("unknown function 'sine'; did you mean 'sin'?"));
  EXPECT_THAT(first_error("OPENQASM 3;\nqubit q;\nU(sin(1, 2), 0, 0) q;\n"), HasSubstr("takes one argument"));
}

TEST(ExpressionTest, DivisionByZeroIsReportedAtTheOperator) {
  EXPECT_EQ(first_error("OPENQASM 2.0;\nqreg q[1];\nU(1/0, 0, 0) q[0];\n"), "3:4: division by zero");
  EXPECT_EQ(first_error("OPENQASM 2.0;\nqreg q[1];\nU(pi/(2-2), 0, 0) q[0];\n"), "3:5: division by zero");
  EXPECT_THAT(first_error("OPENQASM 2.0;\nqreg q[1];\nU(0^-1, 0, 0) q[0];\n"), HasSubstr("division by zero"));
  EXPECT_THAT(first_error("OPENQASM 3;\nqubit q;\nU(5 % 0, 0, 0) q;\n"), HasSubstr("division by zero"));
  EXPECT_THAT(first_error("OPENQASM 2.0;\nqreg q[1];\nU(sqrt(-1), 0, 0) q[0];\n"),
              HasSubstr("3:3: function 'sqrt' is undefined at -1"));
  EXPECT_THAT(first_error("OPENQASM 2.0;\nqreg q[1];\nU(ln(0), 0, 0) q[0];\n"), HasSubstr("'ln' is undefined at 0"));
  EXPECT_THAT(first_error("OPENQASM 2.0;\nqreg q[1];\nU(1e300*1e300, 0, 0) q[0];\n"), HasSubstr("non-finite"));
}

TEST(ExpressionTest, InputsBecomeParametersInTheirCheapestForm) {
  const Program p = parse_ok(test::qasm3(
      "input float[64] x;\ninput angle y;\nqubit[2] q;\n"
      "rx(x) q[0];\nrx(2*x + 1) q[0];\nrx(x*2/4 - 1) q[0];\nrx(y - y + 3) q[0];\nrx(x*y) q[0];\n"
      "rx(sin(x)) q[0];\nrx(-x) q[0];\n"));
  std::vector<Param> angles;
  for (const Operation& op : p.circuit.operations())
    if (op.kind == GateKind::RX) angles.push_back(op.params[0]);
  ASSERT_EQ(angles.size(), 7U);
  EXPECT_EQ(angles[0].kind(), Param::Kind::Affine);
  EXPECT_EQ(angles[1].kind(), Param::Kind::Affine);
  EXPECT_EQ(angles[1].scale(), 2.0);
  EXPECT_EQ(angles[1].offset(), 1.0);
  EXPECT_EQ(angles[2].kind(), Param::Kind::Affine);
  EXPECT_EQ(angles[2].scale(), 0.5);
  EXPECT_EQ(angles[2].offset(), -1.0);
  EXPECT_TRUE(angles[3].is_constant());  // y - y cancels exactly
  EXPECT_EQ(angles[3].offset(), 3.0);
  EXPECT_EQ(angles[4].kind(), Param::Kind::Expression);
  EXPECT_EQ(angles[5].kind(), Param::Kind::Expression);
  EXPECT_EQ(angles[6].kind(), Param::Kind::Affine);
  const std::vector<double> theta = {0.7, -1.3};
  EXPECT_DOUBLE_EQ(angles[4].value(theta), 0.7 * -1.3);
  EXPECT_DOUBLE_EQ(angles[5].value(theta), std::sin(0.7));
  EXPECT_DOUBLE_EQ(angles[6].value(theta), -0.7);
  EXPECT_DOUBLE_EQ(angles[4].derivative(theta, 1), 0.7);
}

TEST(ExpressionTest, FeatureMapAngleIsAnExpressionOverTwoInputs) {
  const Program p = parse_ok(test::qasm3("input float[64] x0;\ninput float[64] x1;\nqubit[2] q;\n"
                                         "p(2*(pi-x0)*(pi-x1)) q[1];\n"));
  const Param& a = p.circuit.operations().at(0).params.at(0);
  EXPECT_EQ(a.kind(), Param::Kind::Expression);
  for (const auto& x : std::vector<std::vector<double>>{{0.3, 0.7}, {-2.0, 5.5}, {kPi, 1.0}}) {
    EXPECT_THAT(a.value(x), DoubleNear(2 * (kPi - x[0]) * (kPi - x[1]), 1e-14));
    EXPECT_THAT(a.derivative(x, 0), DoubleNear(-2 * (kPi - x[1]), 1e-14));
    EXPECT_THAT(a.derivative(x, 1), DoubleNear(-2 * (kPi - x[0]), 1e-14));
  }
}

TEST(ExpressionTest, ConstantsFoldAndKeepIntegerness) {
  const Program p = parse_ok(test::qasm3("const int n = 2 + 1;\nconst float[64] a = n / 2;\nconst uint m = 0x4;\n"
                                         "qubit[n] q;\nqubit[m] r;\nrx(a) q[n - 1];\n"));
  EXPECT_EQ(p.circuit.num_qubits(), 7);
  EXPECT_EQ(p.circuit.operations().at(0).qubits.at(0), 2);
  EXPECT_DOUBLE_EQ(p.circuit.operations().at(0).params.at(0).offset(), 1.5);
  EXPECT_THAT(first_error(test::qasm3("const int n = 7 / 2;\n")), HasSubstr("is an integer but its value is not"));
  EXPECT_THAT(first_error(test::qasm3("qubit[2.0] q;\n")), HasSubstr("register size must be an integer"));
  EXPECT_THAT(first_error(test::qasm3("input float x;\nconst float c = x;\n")), HasSubstr("depends on an input"));
}

// ---- the internal value arithmetic and phase sums ------------------------------------------

using detail::Location;
using detail::PhaseSum;
using detail::Value;

TEST(ValueTest, AffineFormsAreKeptExactly) {
  const Location at{};
  const Value x = Value::parameter(3);
  const Value y = detail::add(detail::multiply(Value::real(2.0), x, at), Value::real(1.0), at);
  ASSERT_EQ(y.kind, Value::Kind::Affine);
  EXPECT_EQ(y.index, 3);
  EXPECT_EQ(y.scale, 2.0);
  EXPECT_EQ(y.number, 1.0);
  const Value z = detail::divide(detail::negate(y), Value::real(4.0), at);
  EXPECT_EQ(z.scale, -0.5);
  EXPECT_EQ(z.number, -0.25);
  EXPECT_EQ(detail::subtract(y, y, at).kind, Value::Kind::Float);  // cancels to a constant
  EXPECT_EQ(detail::multiply(x, x, at).kind, Value::Kind::Expression);
  EXPECT_EQ(detail::add(x, Value::parameter(4), at).kind, Value::Kind::Expression);
  EXPECT_EQ(detail::divide(Value::integer(6), Value::integer(3), at).kind, Value::Kind::Int);
  EXPECT_EQ(detail::divide(Value::integer(7), Value::integer(2), at).kind, Value::Kind::Float);
  EXPECT_THROW((void)detail::divide(x, Value::integer(0), at), detail::SourceError);
}

TEST(PhaseSumTest, OppositeTermsCancelExactly) {
  const Expr x = Expr::parameter(0), y = Expr::parameter(1);
  PhaseSum s;
  s.add(Param(sin(x) * y), 0.5);          // a non-linear term
  s.add(Param::parameter(0, 3.0, 1.0), -0.5);
  s.add_constant(kPi / 4);
  EXPECT_FALSE(s.is_constant());
  // The same phase written as one expression, negated: linearised, it cancels term by term.
  s.add(Param(0.5 * (sin(x) * y) - 1.5 * x - 0.5 + Expr(kPi / 4)), -1.0);
  EXPECT_TRUE(s.is_constant());
  EXPECT_TRUE(s.is_zero());
}

TEST(PhaseSumTest, ToParamEvaluatesTheSum) {
  PhaseSum s;
  s.add(Param::parameter(0, 2.0, 0.5), 1.0);
  s.add(Param(Expr::parameter(1) * Expr::parameter(0)), -1.0);
  s.add(Value::real(1.0), 0.25);
  const std::vector<double> theta = {0.3, 1.7};
  EXPECT_DOUBLE_EQ(s.to_param().value(theta), 2 * 0.3 + 0.5 - 1.7 * 0.3 + 0.25);
  PhaseSum affine;
  affine.add(Param::parameter(1, -0.5), 1.0);
  affine.add_constant(2.0);
  EXPECT_EQ(affine.to_param().kind(), Param::Kind::Affine);
  PhaseSum turn;
  turn.add_constant(2 * kPi);
  EXPECT_TRUE(turn.is_zero());  // a whole turn is no phase
  turn.add_constant(1e-9);
  EXPECT_FALSE(turn.is_zero());
}

}  // namespace
}  // namespace qmlsim::qasm

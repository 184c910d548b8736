#include "simulator/execution/gradient_method.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "simulator/core/errors.hpp"
#include "simulator/execution/gradient.hpp"
#include "simulator/execution/parameter_shift.hpp"

namespace qmlsim {
namespace {

using ::testing::HasSubstr;

TEST(GradientMethodTest, NamesRoundTripAndUnknownNamesListTheValidOnes) {
  for (GradientMethodKind kind :
       {GradientMethodKind::Adjoint, GradientMethodKind::ParameterShift, GradientMethodKind::FiniteDifference})
    EXPECT_EQ(parse_gradient_method(gradient_method_name(kind)), kind);
  EXPECT_EQ(gradient_method_name(GradientMethodKind::ParameterShift), "shift");
  try {
    (void)parse_gradient_method("backprop");
    ADD_FAILURE() << "no exception";
  } catch (const InvalidArgument& e) {
    EXPECT_STREQ(e.what(), "unknown gradient method 'backprop' (valid: adjoint, shift, fd)");
  }
}

TEST(GradientMethodTest, EveryMethodAgreesThroughTheOneInterface) {
  Circuit c(3);
  c.ry(Param::parameter(0), 0).cx(0, 1).crz(Param::parameter(1, 2.0, 0.3), 1, 2).rx(Param::parameter(0), 2);
  c.gate(GateKind::RZZ, {0, 2}, {Param::parameter(2)});
  CompiledCircuit cc(c);
  const std::vector<double> theta = {0.4, -1.1, 0.7};
  cc.bind(theta);
  const Observable h = PauliSum::parse("Z0 Z2 + 0.5*X1");
  const std::vector<int> wrt = {2, 0};
  const GradientResult exact = AdjointGradient(cc, wrt).gradient(cc, h);
  for (const GradientSettings& s : {GradientSettings{GradientMethodKind::Adjoint}, GradientSettings{GradientMethodKind::ParameterShift},
                                    GradientSettings{GradientMethodKind::FiniteDifference, 0, 1e-3, 4}}) {
    const auto method = make_gradient_method(cc, wrt, s);
    EXPECT_EQ(method->kind(), s.method);
    EXPECT_EQ(method->parameters(), wrt);
    const GradientResult r = method->gradient(cc, h);
    EXPECT_NEAR(r.value, exact.value, 1e-14);
    ASSERT_EQ(r.gradient.size(), 2U);
    for (std::size_t p = 0; p < 2; ++p) EXPECT_NEAR(r.gradient[p], exact.gradient[p], 1e-10) << gradient_method_name(s.method);
    EXPECT_EQ(r.circuit_evaluations, method->evaluations());
    // gradient_into leaves the circuit bound as it was, bit for bit.
    CompiledCircuit moved = cc;
    auto ws = method->make_workspace(3, {}, Parallelism::serial());
    GradientResult into;
    method->gradient_into(moved, h, 0, *ws, into, Parallelism::serial());
    EXPECT_EQ(into.gradient, r.gradient);
    EXPECT_EQ(std::vector<double>(moved.theta().begin(), moved.theta().end()), theta);
    const GradientResult again = method->gradient(moved, h);
    EXPECT_EQ(again.gradient, r.gradient);
  }
}

TEST(GradientMethodTest, SettingsErrorsAreTheMethodsOwn) {
  Circuit c(1);
  c.rx(Param::parameter(0), 0);
  const CompiledCircuit cc(c);
  EXPECT_THROW((void)make_gradient_method(cc, {}, GradientSettings{GradientMethodKind::FiniteDifference, 0, -1.0}),
               InvalidArgument);
  EXPECT_THROW((void)make_gradient_method(cc, {}, GradientSettings{GradientMethodKind::FiniteDifference, 0, 1e-3, 3}),
               InvalidArgument);
  EXPECT_THROW((void)make_gradient_method(cc, {}, GradientSettings{GradientMethodKind::ParameterShift, 1}),
               InvalidArgument);
  EXPECT_THROW((void)make_gradient_method(cc, std::vector<int>{1}, GradientSettings{}), InvalidArgument);
}

TEST(GradientMethodTest, RowSeedsAreDistinctStreams) {
  EXPECT_NE(row_seed(7, 0), row_seed(7, 1));
  EXPECT_NE(row_seed(7, 0), row_seed(8, 0));
  EXPECT_EQ(row_seed(7, 3), row_seed(7, 3));
}

}  // namespace
}  // namespace qmlsim

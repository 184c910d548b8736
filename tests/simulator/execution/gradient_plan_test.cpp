#include "simulator/execution/gradient_plan.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "simulator/core/errors.hpp"
#include "tests/support/error_message.hpp"

namespace qmlsim {
namespace {

using ::testing::HasSubstr;
using testing::invalid_argument_of;

TEST(GradientPlanTest, ListsDependentAnglesInRecordOrderWithTheirTerms) {
  Circuit c(2);
  c.h(0);                                                        // record 0: no angle
  c.rx(Param::parameter(1), 0);                                  // record 1: theta1 -> slot 0
  c.ry(0.3, 1);                                                  // constant: no angle
  c.crz(Param::parameter(0, 2.0, 0.0), 0, 1);                    // theta0 -> slot 1
  c.gate(GateKind::U0, {1}, {Param::parameter(0)});              // u0: its angle changes nothing
  c.rz(Param::parameter(2), 1);                                  // theta2 not selected
  const CompiledCircuit cc(c);
  const std::vector<int> wrt = {1, 0};
  const GradientPlan plan = GradientPlan::make(cc, wrt, "test");
  EXPECT_EQ(plan.wrt, wrt);
  ASSERT_EQ(plan.angles.size(), 2U);
  EXPECT_EQ(plan.angles[0].record, 1U);
  EXPECT_EQ(plan.angles[1].record, 3U);
  EXPECT_EQ(plan.stop, 1U);
  ASSERT_EQ(plan.terms.size(), 2U);
  EXPECT_EQ(plan.terms[0].index, 1);
  EXPECT_EQ(plan.terms[0].slot, 0);
  EXPECT_EQ(plan.terms[1].index, 0);
  EXPECT_EQ(plan.terms[1].slot, 1);
  ASSERT_EQ(plan.steps.size(), cc.records().size());
  EXPECT_EQ(plan.steps[3].last_angle - plan.steps[3].first_angle, 1U);
  EXPECT_EQ(plan.steps[0].last_angle, plan.steps[0].first_angle);
  const std::vector<double> theta = {0.2, 0.5, 0.1};
  EXPECT_EQ(GradientPlan::derivative(c.operations()[3].params[0], theta, 0), 2.0);
}

TEST(GradientPlanTest, ChecksTheCircuitAndItsBinding) {
  Circuit c(2);
  c.rx(Param::parameter(0), 0);
  const CompiledCircuit cc(c);
  const GradientPlan plan = GradientPlan::make(cc, {}, "my method");
  EXPECT_NO_THROW(plan.check_structure(cc, "my method"));
  try {
    plan.check(cc, "my method");
    ADD_FAILURE() << "no exception";
  } catch (const InvalidArgument& e) {
    EXPECT_STREQ(e.what(), "my method: circuit has 1 unbound parameter; bind values before taking the gradient");
  }
  Circuit other(3);
  other.rx(Param::parameter(0), 0);
  try {
    plan.check_structure(CompiledCircuit(other), "my method");
    ADD_FAILURE() << "no exception";
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), HasSubstr("my method: the circuit is not the one the gradient was planned for (planned for a "
                                    "circuit on 2 qubits with 1 parameter; given one on 3 qubits with 1 parameter)"));
  }
  Circuit measured(1, 1);
  measured.rx(Param::parameter(0), 0).measure(0, 0).rx(0.1, 0);
  EXPECT_EQ(invalid_argument_of([&] { (void)GradientPlan::make(CompiledCircuit(measured), {}, "m"); }),
            "m: the circuit has a mid-circuit measurement, reset or classical condition (qubit 0 is measured and then "
            "used by rx), so it has no single final state; gradients need every measurement at the end of the "
            "circuit");
  EXPECT_EQ(invalid_argument_of([&] { (void)GradientPlan::make(cc, std::vector<int>{0, 0}, "m"); }),
            "gradient with respect to parameter 0: selected twice");
}

TEST(GradientPlanTest, ResolveSelectionNamesTheBadIndexAndTheRange) {
  EXPECT_EQ(resolve_selection(std::vector<int>{2, 0}, 3), (std::vector<int>{2, 0}));
  EXPECT_EQ(invalid_argument_of([] { (void)resolve_selection(std::vector<int>{0, 3}, 3); }),
            "gradient with respect to parameter 3 out of range [0, 3)");
  EXPECT_EQ(invalid_argument_of([] { (void)resolve_selection(std::vector<int>{-2}, 3); }),
            "gradient with respect to parameter -2 out of range [0, 3)");
  EXPECT_EQ(invalid_argument_of([] { (void)resolve_selection(std::vector<int>{0}, 0); }),
            "gradient with respect to parameter 0 out of range [0, 0)");
}

}  // namespace
}  // namespace qmlsim

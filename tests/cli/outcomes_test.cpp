#include "cli/outcomes.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "simulator/core/errors.hpp"

namespace qmlsim::cli {
namespace {

TEST(OutcomesTest, KeysFollowQiskitRegisterOrder) {
  // cregs c[2], d[1]: clbits c[0] = 0, c[1] = 1, d[0] = 2.
  Circuit circuit(3, 3);
  circuit.measure(0, 0);
  const OutcomeLayout layout = outcome_layout(circuit, {{"c", 0, 2}, {"d", 2, 1}});
  EXPECT_EQ(layout.width, 3);
  EXPECT_EQ(format_outcome(0b101, layout), "1 01");  // c[0] = 1, c[1] = 0, d[0] = 1
  EXPECT_EQ(format_outcome(0b010, layout), "0 10");
  EXPECT_EQ(format_outcome(0b000, layout), "0 00");
  const OutcomeLayout three = outcome_layout(Circuit(4, 4).measure(0, 0), {{"a", 0, 1}, {"b", 1, 2}, {"c", 3, 1}});
  EXPECT_EQ(format_outcome(0b1011, three), "1 01 1");  // c b a
}

TEST(OutcomesTest, UnmeasuredCircuitsReadAllQubits) {
  const OutcomeLayout layout = outcome_layout(Circuit(4, 2).h(0), {{"c", 0, 2}});
  EXPECT_EQ(layout.width, 4);
  EXPECT_EQ(format_outcome(6, layout), "0110");
  // A measuring circuit without register information reads all clbits as one register.
  const OutcomeLayout plain = outcome_layout(Circuit(2, 3).measure(1, 2), {});
  EXPECT_EQ(format_outcome(0b100, plain), "100");
  try {
    (void)outcome_layout(Circuit(2, 65).measure(0, 64), {});
    ADD_FAILURE() << "no exception";
  } catch (const InvalidArgument& e) {
    EXPECT_STREQ(e.what(), "outcomes: number of classical bits 65 out of range [0, 64]");
  }
}

}  // namespace
}  // namespace qmlsim::cli

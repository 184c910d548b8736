#include "simulator/core/types.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "simulator/core/errors.hpp"

namespace qmlsim {
namespace {

using ::testing::HasSubstr;

TEST(BitstringTest, QubitNMinusOnePrintsLeftmost) {
  // Index 6 = qubits 1 and 2 set: "110" with qubit 2 leftmost.
  EXPECT_EQ(to_bitstring(6, 3), "110");
  EXPECT_EQ(to_bitstring(1, 4), "0001");
  EXPECT_EQ(to_bitstring(0, 2), "00");
}

TEST(BitstringTest, RoundTrips) {
  for (Index i = 0; i < 64; ++i) EXPECT_EQ(from_bitstring(to_bitstring(i, 6)), i);
}

TEST(BitstringTest, RejectsBadCharacters) {
  try {
    (void)from_bitstring("10a");
    FAIL() << "expected InvalidArgument";
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), HasSubstr("only 0 and 1"));
  }
  EXPECT_THROW((void)from_bitstring(""), InvalidArgument);
}

TEST(ParseErrorTest, CarriesPosition) {
  const ParseError e("bell.qasm", 3, 7, "expected ';'");
  EXPECT_STREQ(e.what(), "bell.qasm:3:7: expected ';'");
  EXPECT_EQ(e.line(), 3);
  EXPECT_EQ(e.column(), 7);
  EXPECT_EQ(e.message(), "expected ';'");
}

}  // namespace
}  // namespace qmlsim

// validate.hpp: every check's exact message (the value and the valid range named), the number
// formatter, the parameter spelling and the no-single-final-state message.
#include "simulator/core/validate.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

#include "tests/support/error_message.hpp"

namespace qmlsim {
namespace {

using testing::invalid_argument_of;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// ---------------------------------------------------------------------------------------------
// Message parts

TEST(FormatNumberTest, ShortestRoundTrip) {
  EXPECT_EQ(format_number(0.1), "0.1");
  EXPECT_EQ(format_number(-2.5), "-2.5");
  EXPECT_EQ(format_number(3.0), "3");
  EXPECT_EQ(format_number(0.0), "0");
  EXPECT_EQ(format_number(1e-5), "1e-05");
  EXPECT_EQ(format_number(1e300), "1e+300");
  EXPECT_EQ(format_number(123456789012.0), "123456789012");
  EXPECT_EQ(format_number(1.0 / 3.0), "0.3333333333333333");
  for (const double x : {0.1, 1.0 / 3.0, 2.0 / 7.0, 6.02214076e23, 5e-324, -1.7976931348623157e308})
    EXPECT_EQ(std::strtod(format_number(x).c_str(), nullptr), x) << format_number(x);  // stod refuses subnormals
}

TEST(FormatNumberTest, NonFiniteValues) {
  EXPECT_EQ(format_number(kInf), "inf");
  EXPECT_EQ(format_number(-kInf), "-inf");
  EXPECT_EQ(format_number(kNaN), "nan");
  EXPECT_EQ(format_number(-kNaN), "nan");
  EXPECT_EQ(format_number(std::copysign(kNaN, -1.0)), "nan");
}

TEST(ParameterNameTest, NameOrThetaIndex) {
  const std::vector<std::string> names = {"alpha", "", "gamma"};
  EXPECT_EQ(parameter_name(0, names), "alpha");
  EXPECT_EQ(parameter_name(1, names), "theta[1]");  // an empty name is no name
  EXPECT_EQ(parameter_name(2, names), "gamma");
  EXPECT_EQ(parameter_name(3, names), "theta[3]");  // beyond the names
  EXPECT_EQ(parameter_name(0), "theta[0]");
  EXPECT_EQ(parameter_name(12), "theta[12]");
}

TEST(NoSingleFinalStateTest, NamesTheReason) {
  EXPECT_EQ(no_single_final_state("reset on qubit 1"),
            "the circuit has a mid-circuit measurement, reset or classical condition (reset on qubit 1), so it "
            "has no single final state");
  EXPECT_EQ(no_single_final_state(""),
            "the circuit has a mid-circuit measurement, reset or classical condition, so it has no single final "
            "state");
}

TEST(RangeTextTest, HalfOpenAndClosed) {
  EXPECT_EQ(half_open_range(0, 4), "[0, 4)");
  EXPECT_EQ(closed_range(1, 40), "[1, 40]");
  EXPECT_EQ(closed_range(std::int64_t{-5}, std::uint64_t{18446744073709551615ULL}), "[-5, 18446744073709551615]");
  EXPECT_EQ(closed_range(std::numeric_limits<std::int64_t>::min(), 0), "[-9223372036854775808, 0]");
}

// ---------------------------------------------------------------------------------------------
// check_index

TEST(CheckIndexTest, AcceptsZeroToBoundMinusOne) {
  EXPECT_NO_THROW(check_index(0, 4, "cx: qubit"));
  EXPECT_NO_THROW(check_index(3, 4, "cx: qubit"));
  EXPECT_NO_THROW(check_index(std::uint64_t{7}, std::size_t{8}, "amplitude index"));
}

TEST(CheckIndexTest, MessageNamesValueAndRange) {
  EXPECT_EQ(invalid_argument_of([] { check_index(5, 4, "cx: qubit"); }), "cx: qubit 5 out of range [0, 4)");
  EXPECT_EQ(invalid_argument_of([] { check_index(4, 4, "cx: qubit"); }), "cx: qubit 4 out of range [0, 4)");
  EXPECT_EQ(invalid_argument_of([] { check_index(-1, 4, "h: qubit"); }), "h: qubit -1 out of range [0, 4)");
  EXPECT_EQ(invalid_argument_of([] { check_index(0, 0, "measure: classical bit"); }),
            "measure: classical bit 0 out of range [0, 0)");
}

TEST(CheckIndexTest, MixedSignednessIsExact) {
  // A huge unsigned value is not mistaken for a negative one, and a negative int is not wrapped.
  EXPECT_EQ(invalid_argument_of([] { check_index(std::uint64_t{18446744073709551615ULL}, 4, "basis state"); }),
            "basis state 18446744073709551615 out of range [0, 4)");
  EXPECT_EQ(invalid_argument_of([] { check_index(-3, std::size_t{10}, "record"); }), "record -3 out of range [0, 10)");
  EXPECT_EQ(invalid_argument_of([] { check_index(std::numeric_limits<std::int64_t>::min(), 2, "x"); }),
            "x -9223372036854775808 out of range [0, 2)");
}

TEST(CheckIndexTest, ContextFromACallableIsBuiltOnlyOnFailure) {
  int calls = 0;
  const auto what = [&] {
    ++calls;
    return std::string("row ") + std::to_string(3) + ": qubit";
  };
  check_index(1, 2, what);
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(invalid_argument_of([&] { check_index(2, 2, what); }), "row 3: qubit 2 out of range [0, 2)");
  EXPECT_EQ(calls, 1);
}

TEST(CheckIndexTest, EmptyContextGivesTheBareValue) {
  EXPECT_EQ(invalid_argument_of([] { check_index(9, 4, ""); }), "9 out of range [0, 4)");
}

TEST(CheckIndexTest, ThrowsInvalidArgument) {
  EXPECT_THROW(check_index(9, 4, "q"), InvalidArgument);
  EXPECT_THROW(check_index(9, 4, "q"), Error);
}

// ---------------------------------------------------------------------------------------------
// check_range

TEST(CheckRangeTest, IntegersClosedRange) {
  EXPECT_NO_THROW(check_range(1, 1, 40, "circuit: number of qubits"));
  EXPECT_NO_THROW(check_range(40, 1, 40, "circuit: number of qubits"));
  EXPECT_EQ(invalid_argument_of([] { check_range(0, 1, 40, "circuit: number of qubits"); }),
            "circuit: number of qubits 0 out of range [1, 40]");
  EXPECT_EQ(invalid_argument_of([] { check_range(41, 1, 40, "circuit: number of qubits"); }),
            "circuit: number of qubits 41 out of range [1, 40]");
  EXPECT_EQ(invalid_argument_of([] { check_range(-1, 0, 1048576, "circuit: number of classical bits"); }),
            "circuit: number of classical bits -1 out of range [0, 1048576]");
}

TEST(CheckRangeTest, DoublesClosedRangeAndNaN) {
  EXPECT_NO_THROW(check_range(0.0, 0.0, 1.0, "probability"));
  EXPECT_NO_THROW(check_range(1.0, 0.0, 1.0, "probability"));
  EXPECT_EQ(invalid_argument_of([] { check_range(1.5, 0.0, 1.0, "probability"); }),
            "probability 1.5 out of range [0, 1]");
  EXPECT_EQ(invalid_argument_of([] { check_range(kNaN, 0.0, 1.0, "probability"); }),
            "probability nan out of range [0, 1]");
  EXPECT_EQ(invalid_argument_of([] { check_range(-0.25, 0.1, 0.5, "tolerance"); }),
            "tolerance -0.25 out of range [0.1, 0.5]");
}

// ---------------------------------------------------------------------------------------------
// check_finite

TEST(CheckFiniteTest, MessageNamesTheValue) {
  EXPECT_NO_THROW(check_finite(0.0, "x"));
  EXPECT_NO_THROW(check_finite(-1e308, "x"));
  EXPECT_EQ(invalid_argument_of([] { check_finite(kNaN, "rx: parameter 0"); }), "rx: parameter 0 = nan is not finite");
  EXPECT_EQ(invalid_argument_of([] { check_finite(kInf, "parameter alpha"); }), "parameter alpha = inf is not finite");
  EXPECT_EQ(invalid_argument_of([] { check_finite(-kInf, "batch row 1: parameter theta[2]"); }),
            "batch row 1: parameter theta[2] = -inf is not finite");
  EXPECT_EQ(invalid_argument_of([] { check_finite(kInf, ""); }), "inf is not finite");
}

// ---------------------------------------------------------------------------------------------
// check_positive, check_non_negative

TEST(CheckPositiveTest, DoublesMustBePositiveAndFinite) {
  EXPECT_NO_THROW(check_positive(1e-300, "step"));
  EXPECT_EQ(invalid_argument_of([] { check_positive(0.0, "step"); }), "step 0 must be positive and finite");
  EXPECT_EQ(invalid_argument_of([] { check_positive(-0.001, "step"); }), "step -0.001 must be positive and finite");
  EXPECT_EQ(invalid_argument_of([] { check_positive(kInf, "step"); }), "step inf must be positive and finite");
  EXPECT_EQ(invalid_argument_of([] { check_positive(kNaN, "step"); }), "step nan must be positive and finite");
}

TEST(CheckPositiveTest, IntegersMustBePositive) {
  EXPECT_NO_THROW(check_positive(1, "bandwidth sweeps"));
  EXPECT_NO_THROW(check_positive(std::uint64_t{1}, "shots"));
  EXPECT_EQ(invalid_argument_of([] { check_positive(0, "bandwidth sweeps"); }), "bandwidth sweeps 0 must be positive");
  EXPECT_EQ(invalid_argument_of([] { check_positive(-2, "bandwidth thread count"); }),
            "bandwidth thread count -2 must be positive");
  EXPECT_EQ(invalid_argument_of([] { check_positive(std::size_t{0}, "shots"); }), "shots 0 must be positive");
}

TEST(CheckNonNegativeTest, Message) {
  EXPECT_NO_THROW(check_non_negative(0, "layers: depth"));
  EXPECT_NO_THROW(check_non_negative(std::size_t{0}, "count"));
  EXPECT_EQ(invalid_argument_of([] { check_non_negative(-1, "layers: depth"); }), "layers: depth -1 must be >= 0");
  EXPECT_EQ(invalid_argument_of([] { check_non_negative(std::int64_t{-3}, "parameter index"); }),
            "parameter index -3 must be >= 0");
}

// ---------------------------------------------------------------------------------------------
// check_count

TEST(CheckCountTest, MessageNamesExpectedAndGot) {
  EXPECT_NO_THROW(check_count(std::size_t{2}, 2, "cx", "qubit"));
  EXPECT_EQ(invalid_argument_of([] { check_count(std::size_t{1}, 2, "cx", "qubit"); }), "cx: expects 2 qubits, got 1");
  EXPECT_EQ(invalid_argument_of([] { check_count(2, 1, "rx", "parameter"); }), "rx: expects 1 parameter, got 2");
  EXPECT_EQ(invalid_argument_of([] { check_count(1, 0, "h", "parameter"); }), "h: expects 0 parameters, got 1");
  EXPECT_EQ(invalid_argument_of([] { check_count(std::size_t{3}, 2, "circuit", "parameter value"); }),
            "circuit: expects 2 parameter values, got 3");
  EXPECT_EQ(invalid_argument_of([] { check_count(0, 1, "", "value"); }), "expects 1 value, got 0");
}

}  // namespace
}  // namespace qmlsim

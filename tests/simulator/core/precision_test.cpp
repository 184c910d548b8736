#include "simulator/core/precision.hpp"

#include <gtest/gtest.h>

#include <string>
#include <type_traits>

namespace qmlsim {
namespace {

TEST(PrecisionTest, NamesAndSizes) {
  EXPECT_EQ(to_string(Precision::Double), "double");
  EXPECT_EQ(to_string(Precision::Single), "single");
  static_assert(real_bytes(Precision::Double) == 8 && real_bytes(Precision::Single) == 4);
  static_assert(amplitude_bytes(Precision::Double) == 16 && amplitude_bytes(Precision::Single) == 8);
  static_assert(precision_of<double> == Precision::Double && precision_of<float> == Precision::Single);
}

TEST(PrecisionTest, WithPrecisionCallsTheMatchingInstantiation) {
  const auto name = [](Precision p) {
    return with_precision(p, []<class R>() { return std::string(std::is_same_v<R, float> ? "float" : "double"); });
  };
  EXPECT_EQ(name(Precision::Double), "double");
  EXPECT_EQ(name(Precision::Single), "float");
  // The round trip: the R chosen for a precision has that precision.
  for (Precision p : {Precision::Double, Precision::Single}) {
    EXPECT_EQ(with_precision(p, []<class R>() { return precision_of<R>; }), p);
    EXPECT_EQ(with_precision(p, []<class R>() { return 2 * sizeof(R); }), amplitude_bytes(p));
  }
  // void callables and captured state work too.
  int calls = 0;
  with_precision(Precision::Single, [&]<class R>() { calls += sizeof(R) == sizeof(float) ? 1 : 100; });
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace qmlsim

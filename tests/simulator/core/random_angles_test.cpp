#include "simulator/core/random_angles.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "simulator/core/errors.hpp"
#include "simulator/core/types.hpp"
#include "tests/support/error_message.hpp"

namespace qmlsim {
namespace {

TEST(RandomAnglesTest, UniformDrawsInHalfOpenPiRange) {
  const auto theta = uniform_angles(1000, 9);
  ASSERT_EQ(theta.size(), 1000U);
  Rng rng(9);
  double sum = 0;
  for (double t : theta) {
    EXPECT_GE(t, -kPi);
    EXPECT_LT(t, kPi);
    EXPECT_EQ(t, (2 * rng.uniform() - 1) * kPi);  // the documented draw, in order
    sum += t;
  }
  EXPECT_NEAR(sum / 1000, 0.0, 0.3);  // mean 0, standard error ~0.057
}

TEST(RandomAnglesTest, DependOnlyOnTheSeedAndStream) {
  EXPECT_EQ(uniform_angles(5, 3), uniform_angles(5, 3));
  EXPECT_NE(uniform_angles(5, 3), uniform_angles(5, 4));
  const auto longer = uniform_angles(8, 3), shorter = uniform_angles(5, 3);
  EXPECT_TRUE(std::equal(shorter.begin(), shorter.end(), longer.begin()));
  EXPECT_TRUE(uniform_angles(0, 3).empty());
  // Stream 0 is Rng(seed); other streams give other angles.
  EXPECT_EQ(uniform_angles(5, 3, 0), uniform_angles(5, 3));
  EXPECT_NE(uniform_angles(5, 3, 1), uniform_angles(5, 3));
  EXPECT_EQ(uniform_angles(5, 3, 1), uniform_angles(5, 3, 1));
}

TEST(RandomAnglesTest, RngOverloadContinuesTheSequence) {
  Rng rng(21, 4);
  const auto first = uniform_angles(3, rng), second = uniform_angles(2, rng);
  const auto all = uniform_angles(5, 21, 4);
  EXPECT_TRUE(std::equal(first.begin(), first.end(), all.begin()));
  EXPECT_TRUE(std::equal(second.begin(), second.end(), all.begin() + 3));
}

TEST(RandomAnglesTest, NegativeCountIsRefused) {
  EXPECT_EQ(testing::invalid_argument_of([] { (void)uniform_angles(-1, 3); }),
            "uniform_angles: count -1 is negative");
}

}  // namespace
}  // namespace qmlsim

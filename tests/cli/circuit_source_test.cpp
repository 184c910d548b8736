#include "cli/circuit_source.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "simulator/circuit/library.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/rng.hpp"

namespace qmlsim::cli {
namespace {

using ::testing::HasSubstr;

TEST(CircuitSourceTest, RandomAnglesAreUniformDrawsInHalfOpenPiRange) {
  const auto theta = random_angles(1000, 9);
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

TEST(CircuitSourceTest, RandomAnglesDependOnlyOnTheSeed) {
  EXPECT_EQ(random_angles(5, 3), random_angles(5, 3));
  EXPECT_NE(random_angles(5, 3), random_angles(5, 4));
  const auto longer = random_angles(8, 3), shorter = random_angles(5, 3);
  EXPECT_TRUE(std::equal(shorter.begin(), shorter.end(), longer.begin()));
  EXPECT_TRUE(random_angles(0, 3).empty());
}

TEST(CircuitSourceTest, LibraryCircuitBindsEveryParameter) {
  const BoundCircuit layers = library_circuit("layers", 3, 2, 7);
  EXPECT_EQ(layers.name, "layers");
  EXPECT_EQ(layers.circuit.num_qubits(), 3);
  EXPECT_EQ(layers.circuit.num_parameters(), 12);  // rx and rz on 3 qubits, 2 layers
  EXPECT_EQ(layers.theta, random_angles(12, 7));
  const BoundCircuit ghz = library_circuit("ghz", 4, 2, 7);
  EXPECT_EQ(ghz.circuit.num_gates(), 4U);
  EXPECT_TRUE(ghz.theta.empty());
}

TEST(CircuitSourceTest, UnknownNameListsTheKnownOnes) {
  try {
    (void)library_circuit("bell", 2, 1, 1);
    FAIL() << "no exception";
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), HasSubstr("bell"));
    for (const auto& name : library::names()) EXPECT_THAT(e.what(), HasSubstr(name));
  }
  for (const auto& name : library::names()) EXPECT_THAT(library_names(), HasSubstr(name));
}

}  // namespace
}  // namespace qmlsim::cli

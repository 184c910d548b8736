#include "simulator/circuit/library.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "simulator/core/errors.hpp"
#include "simulator/execution/simulator.hpp"
#include "tests/support/error_message.hpp"

namespace qmlsim {
namespace {

TEST(LibraryTest, GhzState) {
  for (int n = 1; n <= 8; ++n) {
    const auto s = Simulator().run(library::ghz(n));
    const Index all = (Index{1} << n) - 1;
    for (Index i = 0; i < s.size(); ++i) {
      const double expected = (i == 0 || i == all) ? 0.5 : 0.0;
      EXPECT_NEAR(s.probability(i), expected, 1e-14) << n << " " << i;
    }
  }
}

TEST(LibraryTest, QftMatchesAnalyticFourierTransform) {
  // QFT|x> = 2^{-n/2} sum_y exp(2 pi i x y / 2^n) |y>, for every basis input.
  for (int n = 1; n <= 5; ++n) {
    const Index dim = Index{1} << n;
    CompiledCircuit qft(library::qft(n));
    for (Index x = 0; x < dim; ++x) {
      auto s = StateVector<double>::basis(n, x);
      qft.apply(s);
      for (Index y = 0; y < dim; ++y) {
        const double angle = 2 * kPi * static_cast<double>(x * y) / static_cast<double>(dim);
        const cdouble expected = std::polar(1.0 / std::sqrt(static_cast<double>(dim)), angle);
        ASSERT_NEAR(std::abs(cdouble(s[y]) - expected), 0.0, 1e-12) << "n=" << n << " x=" << x << " y=" << y;
      }
    }
  }
}

TEST(LibraryTest, LayeredHasTwoParametersPerQubitAndLayer) {
  const Circuit c = library::layered(5, 3);
  EXPECT_EQ(c.num_parameters(), 30);
  EXPECT_EQ(c.num_gates(), 3U * (5 + 5 + 4));
  // All angles zero: rx(0), rz(0) are identities and cx keeps |0...0>.
  const std::vector<double> zeros(30, 0.0);
  EXPECT_NEAR(Simulator().run(c, zeros).probability(0), 1.0, 1e-15);
}

TEST(LibraryTest, RandomIsReproducibleAndUsesManyKinds) {
  const Circuit a = library::random(6, 20, 42), b = library::random(6, 20, 42), d = library::random(6, 20, 43);
  ASSERT_EQ(a.size(), b.size());
  std::set<GateKind> kinds;
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a.operations()[i].kind, b.operations()[i].kind);
    EXPECT_EQ(a.operations()[i].qubits, b.operations()[i].qubits);
    kinds.insert(a.operations()[i].kind);
  }
  EXPECT_GT(kinds.size(), 30U);
  bool differs = false;
  for (std::size_t i = 0; i < a.size(); ++i) differs |= a.operations()[i].kind != d.operations()[i].kind;
  EXPECT_TRUE(differs);
}

TEST(LibraryTest, ByNameListsKnownNames) {
  EXPECT_EQ(library::by_name("ghz", 3).size(), 3U);
  try {
    (void)library::by_name("bogus", 3);
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_STREQ(e.what(), "unknown circuit 'bogus' (known: ghz, qft, layers, random)");
  }
}

TEST(LibraryTest, NegativeDepthNamesTheValue) {
  EXPECT_EQ(testing::invalid_argument_of([] { (void)library::layered(3, -1); }), "layers: depth -1 must be >= 0");
  EXPECT_EQ(testing::invalid_argument_of([] { (void)library::random(3, -2, 1); }), "random: depth -2 must be >= 0");
}

}  // namespace
}  // namespace qmlsim

#include "simulator/core/state_vector.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <cstdint>
#include <limits>
#include <vector>

#include "simulator/core/errors.hpp"
#include "simulator/core/rng.hpp"
#include "tests/support/error_message.hpp"
#include "tests/support/random_state.hpp"

namespace qmlsim {
namespace {

using ::testing::HasSubstr;
using testing::invalid_argument_of;

std::vector<cdouble> random_amplitudes(int n, std::uint64_t seed) {
  Rng rng(seed);
  return testing::random_state(n, rng);
}

template <class R>
class StateVectorTypedTest : public ::testing::Test {};
using RealTypes = ::testing::Types<double, float>;
TYPED_TEST_SUITE(StateVectorTypedTest, RealTypes);

TYPED_TEST(StateVectorTypedTest, StartsInZeroState) {
  StateVector<TypeParam> s(5);
  EXPECT_EQ(s.num_qubits(), 5);
  EXPECT_EQ(s.size(), 32U);
  EXPECT_EQ(s[0], std::complex<TypeParam>(1));
  for (Index i = 1; i < s.size(); ++i) EXPECT_EQ(s[i], std::complex<TypeParam>(0));
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(s.data()) % 64, 0U);
}

TYPED_TEST(StateVectorTypedTest, BasisState) {
  auto s = StateVector<TypeParam>::basis(3, 6);
  EXPECT_EQ(s.probability(6), 1.0);
  EXPECT_EQ(s.probability(0), 0.0);
  EXPECT_THROW((void)StateVector<TypeParam>::basis(3, 8), InvalidArgument);
}

TYPED_TEST(StateVectorTypedTest, ZeroStateInitialisedInParallelEqualsSerial) {
  // 2^16 amplitudes with threshold 0 on 2 threads: every amplitude written, none missed.
  const Parallelism two{2, 0};
  StateVector<TypeParam> s(16, two);
  EXPECT_EQ(s.norm_squared(two), 1.0);
  s.set_basis_state(12345, two);
  EXPECT_EQ(s.probability(12345), 1.0);
  EXPECT_EQ(s.norm_squared(two), 1.0);
}

TYPED_TEST(StateVectorTypedTest, FromAmplitudesValidates) {
  const double tol = std::is_same_v<TypeParam, float> ? 1e-6 : 1e-14;
  const auto a = random_amplitudes(4, 1);
  auto s = StateVector<TypeParam>::from_amplitudes(a);
  EXPECT_EQ(s.num_qubits(), 4);
  for (Index i = 0; i < 16; ++i) EXPECT_NEAR(std::abs(std::complex<double>(s[i]) - a[i]), 0.0, tol);
  EXPECT_NEAR(s.norm(), 1.0, tol);

  std::vector<cdouble> three(3, 0.5);
  try {
    (void)StateVector<TypeParam>::from_amplitudes(three);
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), HasSubstr("3 amplitudes given; expected a power of two"));
  }
  std::vector<cdouble> unnormalised(4, 1.0);
  try {
    (void)StateVector<TypeParam>::from_amplitudes(unnormalised);
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_STREQ(e.what(), "state vector: norm 2 differs from 1 by more than 1e-10 (ask for normalisation)");
  }
  auto n = StateVector<TypeParam>::from_amplitudes(unnormalised, true);
  EXPECT_NEAR(n.probability(3), 0.25, tol);
  std::vector<cdouble> bad(4, 0.5);
  bad[2] = {std::nan(""), 0};
  try {
    (void)StateVector<TypeParam>::from_amplitudes(bad);
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_STREQ(e.what(), "state vector: real part of amplitude 2 = nan is not finite");
  }
  bad[2] = {0.5, -std::numeric_limits<double>::infinity()};
  EXPECT_EQ(invalid_argument_of([&] { (void)StateVector<TypeParam>::from_amplitudes(bad); }),
            "state vector: imaginary part of amplitude 2 = -inf is not finite");
  std::vector<cdouble> huge = {1e200, 0.0, 0.0, 1e200};  // no overflow in the norm
  auto h = StateVector<TypeParam>::from_amplitudes(huge, true);
  EXPECT_NEAR(h.probability(3), 0.5, tol);
  std::vector<cdouble> tiny = {1e-170, 0.0};  // no underflow either
  EXPECT_NEAR(StateVector<TypeParam>::from_amplitudes(tiny, true).probability(0), 1.0, tol);
  std::vector<cdouble> zero(4, 0.0);
  EXPECT_THROW((void)StateVector<TypeParam>::from_amplitudes(zero, true), InvalidArgument);
}

TYPED_TEST(StateVectorTypedTest, QubitCountValidated) {
  try {
    StateVector<TypeParam> s(0);
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), HasSubstr("number of qubits 0 out of range [1, 40]"));
  }
  EXPECT_EQ(invalid_argument_of([] { (void)StateVector<TypeParam>(41); }),
            "state vector: number of qubits 41 out of range [1, 40]");
}

TYPED_TEST(StateVectorTypedTest, BasisStateAndAmplitudeIndexValidated) {
  EXPECT_EQ(invalid_argument_of([] { (void)StateVector<TypeParam>::basis(2, 4); }), "basis state 4 out of range [0, 4)");
  StateVector<TypeParam> s(2);
  EXPECT_EQ(invalid_argument_of([&] { s.set_basis_state(7); }), "basis state 7 out of range [0, 4)");
  EXPECT_EQ(invalid_argument_of([&] { (void)s.amplitude(4); }), "amplitude index 4 out of range [0, 4)");
}

TYPED_TEST(StateVectorTypedTest, InnerProductAndNorm) {
  const double tol = std::is_same_v<TypeParam, float> ? 1e-6 : 1e-13;
  const auto a = random_amplitudes(6, 2), b = random_amplitudes(6, 3);
  auto sa = StateVector<TypeParam>::from_amplitudes(a), sb = StateVector<TypeParam>::from_amplitudes(b);
  cdouble ref = 0;
  for (std::size_t i = 0; i < a.size(); ++i) ref += std::conj(a[i]) * b[i];
  const cdouble got = sa.inner(sb);
  EXPECT_NEAR(got.real(), ref.real(), tol);
  EXPECT_NEAR(got.imag(), ref.imag(), tol);
  EXPECT_NEAR(sa.inner(sa).real(), 1.0, tol);
  StateVector<TypeParam> small(3);
  EXPECT_THROW((void)sa.inner(small), InvalidArgument);
}

TYPED_TEST(StateVectorTypedTest, MarginalProbabilities) {
  const double tol = std::is_same_v<TypeParam, float> ? 1e-6 : 1e-14;
  const auto a = random_amplitudes(5, 4);
  auto s = StateVector<TypeParam>::from_amplitudes(a);
  const std::vector<Qubit> qubits = {3, 0};  // outcome bit 0 = qubit 3, bit 1 = qubit 0
  const auto m = s.marginal_probabilities(qubits);
  ASSERT_EQ(m.size(), 4U);
  std::vector<double> ref(4, 0.0);
  for (Index i = 0; i < 32; ++i) ref[((i >> 3) & 1) | (((i >> 0) & 1) << 1)] += std::norm(a[i]);
  for (int o = 0; o < 4; ++o) EXPECT_NEAR(m[static_cast<std::size_t>(o)], ref[static_cast<std::size_t>(o)], tol);
  const std::vector<Qubit> bad = {1, 1};
  EXPECT_EQ(invalid_argument_of([&] { (void)s.marginal_probabilities(bad); }), "marginal: qubit 1 used twice");
  const std::vector<Qubit> out = {5}, negative = {0, -1};
  EXPECT_EQ(invalid_argument_of([&] { (void)s.marginal_probabilities(out); }), "marginal: qubit 5 out of range [0, 5)");
  EXPECT_EQ(invalid_argument_of([&] { (void)s.marginal_probabilities(negative); }),
            "marginal: qubit -1 out of range [0, 5)");
}

TYPED_TEST(StateVectorTypedTest, ReductionsAreBitIdenticalOnOneAndTwoThreads) {
  const auto a = random_amplitudes(15, 5), b = random_amplitudes(15, 6);
  auto s1 = StateVector<TypeParam>::from_amplitudes(a, false, Parallelism::serial());
  auto t1 = StateVector<TypeParam>::from_amplitudes(b, false, Parallelism::serial());
  auto s2 = StateVector<TypeParam>::from_amplitudes(a, false, Parallelism{2, 0});
  auto t2 = StateVector<TypeParam>::from_amplitudes(b, false, Parallelism{2, 0});
  const Parallelism one = Parallelism::serial(), two{2, 0};
  EXPECT_EQ(s1.norm_squared(one), s2.norm_squared(two));
  EXPECT_EQ(s1.inner(t1, one), s2.inner(t2, two));
  const std::vector<Qubit> q = {0, 7, 14};
  EXPECT_EQ(s1.marginal_probabilities(q, {}, one), s2.marginal_probabilities(q, {}, two));
  EXPECT_EQ(s1.probabilities({}, one), s2.probabilities({}, two));
}

TYPED_TEST(StateVectorTypedTest, CopyAndAssignAreDeep) {
  auto s = StateVector<TypeParam>::basis(4, 5);
  StateVector<TypeParam> c(s);
  s.set_basis_state(2);
  EXPECT_EQ(c.probability(5), 1.0);
  c = s;
  EXPECT_EQ(c.probability(2), 1.0);
  StateVector<double> d(4);
  d.assign(s);
  EXPECT_EQ(d.probability(2), 1.0);
  EXPECT_THROW((void)s.amplitude(16), InvalidArgument);
  StateVector<double> wrong(3);
  try {
    wrong.assign(s);
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_STREQ(e.what(), "cannot assign a state of 4 qubits to one of 3 qubits");
  }
}

TYPED_TEST(StateVectorTypedTest, NormalizeScales) {
  auto s = StateVector<TypeParam>::from_amplitudes(random_amplitudes(3, 8));
  s.normalize();
  EXPECT_NEAR(s.norm(), 1.0, 1e-6);
}

TYPED_TEST(StateVectorTypedTest, ProbabilityVectorsAskTheMemoryGuardFirst) {
  const auto a = random_amplitudes(10, 9);
  const auto s = StateVector<TypeParam>::from_amplitudes(a);
  const double tol = std::is_same_v<TypeParam, float> ? 1e-6 : 1e-15;
  // 2^10 doubles are 8 KiB, whatever the state's precision.
  try {
    (void)s.probabilities(MemoryLimit{8191});
    FAIL() << "expected ResourceError";
  } catch (const ResourceError& e) {
    EXPECT_THAT(e.what(), HasSubstr("the probabilities of 10 qubits need 8.0 KiB (8192 bytes)"));
  }
  const std::vector<double> p = s.probabilities(MemoryLimit{8192});
  ASSERT_EQ(p.size(), 1024U);
  for (std::size_t i = 0; i < p.size(); ++i) EXPECT_NEAR(p[i], std::norm(a[i]), tol);
  // A budget already spent by the state refuses the vector beside it.
  const MemoryLimit after_state =
      MemoryLimit{state_bytes(10, sizeof(TypeParam)) + 8191}.remaining_after(state_bytes(10, sizeof(TypeParam)));
  EXPECT_THROW((void)s.probabilities(after_state), ResourceError);

  // 3 qubits: 8 doubles.
  const std::vector<Qubit> q = {7, 0, 3};
  try {
    (void)s.marginal_probabilities(q, MemoryLimit{63});
    FAIL() << "expected ResourceError";
  } catch (const ResourceError& e) {
    EXPECT_THAT(e.what(), HasSubstr("the marginal probabilities of 3 qubits need 64 B; 63 B allowed"));
  }
  const std::vector<double> m = s.marginal_probabilities(q, MemoryLimit{64});
  ASSERT_EQ(m.size(), 8U);
  std::vector<double> expected(8, 0.0);
  for (Index i = 0; i < 1024; ++i) expected[((i >> 7) & 1U) | ((i & 1U) << 1) | (((i >> 3) & 1U) << 2)] += std::norm(a[i]);
  for (std::size_t o = 0; o < 8; ++o) EXPECT_NEAR(m[o], expected[o], tol);
}

}  // namespace
}  // namespace qmlsim

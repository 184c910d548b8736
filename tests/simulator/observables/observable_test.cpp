#include "simulator/observables/observable.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "simulator/core/errors.hpp"
#include "simulator/core/rng.hpp"
#include "tests/support/dense_reference.hpp"
#include "tests/support/error_message.hpp"
#include "tests/support/random_gates.hpp"
#include "tests/support/random_state.hpp"

// Diagonal observables and the Observable variant, checked against computations written here:
// expectation values against the marginal probabilities of the state (and a direct sum over the
// amplitudes), apply_weighted against dense matrices (Pauli terms as Kronecker products of 2 x 2
// Paulis, diagonal observables entry by entry) applied to the state, on float and double states;
// results bit-identical on one and two threads.

namespace qmlsim {
namespace {

namespace ref = qmlsim::testing;
using ::testing::HasSubstr;

using testing::invalid_argument_of;

// Outcome of basis index i on `qubits` (bit j = qubits[j]), written out bit by bit.
Index outcome_of(Index i, const std::vector<Qubit>& qubits) {
  Index o = 0;
  for (std::size_t j = 0; j < qubits.size(); ++j) o |= ((i >> qubits[j]) & 1U) << j;
  return o;
}

using testing::random_qubits;

DiagonalObservable random_diagonal(int n, int k, Rng& rng) {
  std::vector<double> values(std::size_t{1} << k);
  for (double& v : values) v = 4 * rng.uniform() - 2;
  return DiagonalObservable(random_qubits(n, k, rng), values);
}

// X, Y and Z terms on up to three qubits each, and a constant.
PauliSum random_pauli_sum(int n, Rng& rng, int terms = 4) {
  std::vector<PauliString> out;
  for (int t = 0; t < terms; ++t) {
    const std::vector<Qubit> qs = random_qubits(n, 1 + static_cast<int>(rng.below(static_cast<std::uint64_t>(std::min(3, n)))), rng);
    Index x = 0, z = 0;
    for (std::size_t i = 0; i < qs.size(); ++i) {
      const int which = i == 0 && t < 3 ? t : static_cast<int>(rng.below(3));  // 0: X, 1: Y, 2: Z
      if (which != 2) x |= Index{1} << qs[i];
      if (which != 0) z |= Index{1} << qs[i];
    }
    out.emplace_back(2.0 * rng.uniform() - 1.0, x, z);
  }
  out.emplace_back(-0.4, 0, 0);
  return PauliSum(std::move(out));
}


template <class R>
std::vector<cdouble> amplitudes_of(const StateVector<R>& s) {
  std::vector<cdouble> a(s.size());
  for (Index i = 0; i < s.size(); ++i) a[i] = cdouble(static_cast<double>(s[i].real()), static_cast<double>(s[i].imag()));
  return a;
}

// ---------------------------------------------------------------------------------------------
// Construction

TEST(DiagonalObservableTest, ConstructionKeepsQubitsAndValues) {
  const DiagonalObservable d({3, 0}, {0.5, -1.0, 2.0, 0.25});
  EXPECT_EQ(d.qubits(), (std::vector<Qubit>{3, 0}));
  EXPECT_EQ(d.values(), (std::vector<double>{0.5, -1.0, 2.0, 0.25}));
  EXPECT_EQ(d.num_qubits_needed(), 4);
  const DiagonalObservable constant({}, {1.5});
  EXPECT_EQ(constant.num_qubits_needed(), 0);
  EXPECT_EQ(num_qubits_needed(Observable(d)), 4);
  EXPECT_EQ(num_qubits_needed(Observable(PauliSum::parse("X5 + Z1"))), 6);
}

TEST(DiagonalObservableTest, ConstructionErrors) {
  EXPECT_THAT(invalid_argument_of([] { DiagonalObservable({1, 3, 1}, std::vector<double>(8, 0.0)); }),
              HasSubstr("diagonal observable: qubit 1 appears twice"));
  EXPECT_THAT(invalid_argument_of([] { DiagonalObservable({0, 2}, {1.0, 2.0, 3.0}); }),
              HasSubstr("diagonal observable on 2 qubits: expects 4 values, got 3"));
  EXPECT_THAT(invalid_argument_of([] { DiagonalObservable({0}, {1.0, 2.0, 3.0}); }), HasSubstr("diagonal observable on 1 qubit: expects 2 values, got 3"));
  EXPECT_THAT(invalid_argument_of([] { DiagonalObservable({}, {}); }), HasSubstr("diagonal observable on 0 qubits: expects 1 value, got 0"));
  EXPECT_THAT(invalid_argument_of([] { DiagonalObservable({0}, {1.0, std::nan("")}); }),
              HasSubstr("diagonal observable: value of outcome 1 = nan is not finite"));
  EXPECT_THAT(invalid_argument_of([] {
                DiagonalObservable({0, 1}, {1.0, 2.0, 3.0, -std::numeric_limits<double>::infinity()});
              }),
              HasSubstr("diagonal observable: value of outcome 3 = -inf is not finite"));
  EXPECT_THAT(invalid_argument_of([] { DiagonalObservable({-1}, {1.0, 2.0}); }), HasSubstr("qubit -1 out of range"));
  EXPECT_THAT(invalid_argument_of([] { DiagonalObservable({kMaxQubits}, {1.0, 2.0}); }),
              HasSubstr("qubit " + std::to_string(kMaxQubits) + " out of range [0, " + std::to_string(kMaxQubits) + ")"));
  std::vector<Qubit> many(31);
  for (int q = 0; q < 31; ++q) many[static_cast<std::size_t>(q)] = q;
  EXPECT_THAT(invalid_argument_of([&] { DiagonalObservable(many, {}); }), HasSubstr("diagonal observable: number of qubits 31 out of range [0, 30]"));
}

TEST(DiagonalObservableTest, ProjectorIsOneHot) {
  const DiagonalObservable p = DiagonalObservable::projector({2, 0, 1}, 5);
  EXPECT_EQ(p.qubits(), (std::vector<Qubit>{2, 0, 1}));
  ASSERT_EQ(p.values().size(), 8U);
  for (std::size_t o = 0; o < 8; ++o) EXPECT_EQ(p.values()[o], o == 5 ? 1.0 : 0.0) << o;
  EXPECT_THAT(invalid_argument_of([] { (void)DiagonalObservable::projector({0, 1}, 4); }),
              HasSubstr("projector: outcome 4 out of range [0, 4)"));
  EXPECT_THAT(invalid_argument_of([] { (void)DiagonalObservable::projector({0, 0}, 1); }), HasSubstr("appears twice"));
  const DiagonalObservable empty = DiagonalObservable::projector({}, 0);
  EXPECT_EQ(empty.values(), std::vector<double>{1.0});
}

TEST(DiagonalObservableTest, ToStringListsTheMostSignificantOutcomeBitFirst) {
  EXPECT_EQ(DiagonalObservable({0, 2}, {0, 1, 1, 0}).to_string(), "diag(q2 q0: 0, 1, 1, 0)");
  EXPECT_EQ(to_string(Observable(DiagonalObservable({1}, {0.5, -2}))), "diag(q1: 0.5, -2)");
  const std::string long_text = DiagonalObservable({0, 1, 2, 3}, std::vector<double>(16, 1.0)).to_string();
  EXPECT_THAT(long_text, HasSubstr("1, 1, 1, 1, 1, 1, 1, 1, ...)"));
  EXPECT_EQ(to_string(Observable(PauliSum::parse("0.5*Z0 Z1 - X2"))), PauliSum::parse("0.5*Z0 Z1 - X2").to_string());
}

TEST(DiagonalObservableTest, CheckObservableNamesTheQubit) {
  EXPECT_THAT(invalid_argument_of([] { check_observable(DiagonalObservable({1, 4}, {0, 0, 0, 1}), 4); }),
              HasSubstr("observable acts on qubit 4 but the state has 4 qubits"));
  EXPECT_THAT(invalid_argument_of([] { check_observable(PauliSum::parse("Z0 + Y7"), 3); }),
              HasSubstr("observable acts on qubit 7 but the state has 3 qubits"));
  EXPECT_NO_THROW(check_observable(DiagonalObservable({1, 3}, {0, 0, 0, 1}), 4));
  EXPECT_NO_THROW(check_observable(PauliSum::parse("2.5"), 1));
}

// ---------------------------------------------------------------------------------------------
// Expectation values

template <class R>
void check_expectation_against_marginals(double tolerance) {
  Rng rng(sizeof(R), 1);
  double worst = 0.0;
  for (int n = 1; n <= 7; ++n) {
    const StateVector<R> s = ref::make_state<R>(ref::random_state(n, rng), Parallelism{});
    const std::vector<cdouble> a = amplitudes_of(s);
    for (int k = 0; k <= std::min(n, 4); ++k) {
      SCOPED_TRACE("n = " + std::to_string(n) + ", k = " + std::to_string(k));
      const DiagonalObservable d = random_diagonal(n, k, rng);
      const std::vector<double> p = s.marginal_probabilities(d.qubits());
      double via_marginals = 0.0, direct = 0.0;
      for (std::size_t o = 0; o < p.size(); ++o) via_marginals += p[o] * d.values()[o];
      for (Index i = 0; i < a.size(); ++i) direct += std::norm(a[i]) * d.values()[outcome_of(i, d.qubits())];
      const double e = expectation(d, s);
      EXPECT_NEAR(e, via_marginals, tolerance);
      EXPECT_NEAR(e, direct, 1e-14);  // summed in double for float states too
      EXPECT_EQ(expectation(Observable(d), s), e);
      worst = std::max({worst, std::abs(e - via_marginals), std::abs(e - direct)});
      // A projector gives the probability of its outcome.
      const Index outcome = rng.below(Index{1} << k);
      EXPECT_NEAR(expectation(DiagonalObservable::projector(d.qubits(), outcome), s), p[outcome], tolerance);
    }
  }
  std::printf("[ max deviation ] diagonal expectation (%s) vs marginals: %.3g\n", sizeof(R) == 4 ? "float" : "double",
              worst);
}

TEST(ObservableExpectationTest, DiagonalMatchesMarginalProbabilitiesDouble) {
  check_expectation_against_marginals<double>(1e-14);
}

TEST(ObservableExpectationTest, DiagonalMatchesMarginalProbabilitiesFloat) {
  check_expectation_against_marginals<float>(1e-6);
}

TEST(ObservableExpectationTest, NotDividedByTheNorm) {
  StateVector<double> s(2);
  s.data()[0] = {0.6, 0.0};
  s.data()[1] = {0.0, 1.2};
  s.data()[3] = {-0.3, 0.4};  // squared norm 0.36 + 1.44 + 0.25 = 2.05
  const DiagonalObservable d({1, 0}, {1.0, 2.0, -3.0, 0.5});  // outcome bit 0 = qubit 1
  EXPECT_NEAR(expectation(d, s), 0.36 * 1.0 + 1.44 * -3.0 + 0.25 * 0.5, 1e-15);
}

TEST(ObservableExpectationTest, VariantDispatchesToPauliSums) {
  Rng rng(4, 4);
  const StateVector<double> s = ref::make_state<double>(ref::random_state(5, rng), Parallelism{});
  const PauliSum h = random_pauli_sum(5, rng);
  EXPECT_EQ(expectation(Observable(h), s), expectation(h, s));
  const StateVector<float> f = ref::make_state<float>(ref::random_state(5, rng), Parallelism{});
  EXPECT_EQ(expectation(Observable(h), f), expectation(h, f));
}

TEST(ObservableExpectationTest, ObservableOnAMissingQubitIsRefused) {
  const StateVector<double> s(3);
  EXPECT_THAT(invalid_argument_of([&] { (void)expectation(DiagonalObservable({3}, {1.0, -1.0}), s); }),
              HasSubstr("observable acts on qubit 3 but the state has 3 qubits"));
  EXPECT_THAT(invalid_argument_of([&] { (void)expectation(Observable(PauliSum::parse("X4")), s); }),
              HasSubstr("observable acts on qubit 4 but the state has 3 qubits"));
}

// ---------------------------------------------------------------------------------------------
// apply_weighted

template <class R>
void check_apply_weighted(double tolerance) {
  Rng rng(10 + sizeof(R), 2);
  double worst = 0.0;
  for (int n = 1; n <= 6; ++n) {
    SCOPED_TRACE(n);
    const StateVector<R> in = ref::make_state<R>(ref::random_state(n, rng), Parallelism{});
    const PauliSum p1 = random_pauli_sum(n, rng);
    // p2 shares operators with p1: the combined sum must add their coefficients.
    PauliSum p2 = random_pauli_sum(n, rng, 3);
    p2 += PauliSum(p1.terms()[0].with_coefficient(0.3));
    const std::vector<Observable> obs = {p1, random_diagonal(n, std::min(n, 2), rng), p2,
                                         DiagonalObservable::projector({n - 1}, 1), random_diagonal(n, 0, rng)};
    const std::vector<double> weights = {0.8, -1.5, 0.45, 2.0, 0.0};
    StateVector<R> out = ref::make_state<R>(ref::random_state(n, rng), Parallelism{});  // garbage to overwrite
    apply_weighted(obs, weights, in, out);
    ref::DenseMatrix m(Index{1} << n);
    for (std::size_t j = 0; j < obs.size(); ++j) m = m + ref::dense_observable(obs[j], n) * cdouble(weights[j]);
    const std::vector<cdouble> want = m.apply(amplitudes_of(in));
    const std::vector<cdouble> got = amplitudes_of(out);
    for (Index i = 0; i < want.size(); ++i) {
      EXPECT_NEAR(std::abs(got[i] - want[i]), 0.0, tolerance) << i;
      worst = std::max(worst, std::abs(got[i] - want[i]));
    }
    // Diagonal observables only (the output is cleared first), and a single Pauli sum.
    const std::vector<Observable> diag = {obs[1], obs[3]};
    const std::vector<double> dw = {-0.7, 1.25};
    StateVector<R> out2 = ref::make_state<R>(ref::random_state(n, rng), Parallelism{});
    apply_weighted(diag, dw, in, out2);
    const std::vector<cdouble> want2 =
        (ref::dense_observable(diag[0], n) * cdouble(dw[0]) + ref::dense_observable(diag[1], n) * cdouble(dw[1])).apply(amplitudes_of(in));
    const std::vector<cdouble> got2 = amplitudes_of(out2);
    for (Index i = 0; i < want2.size(); ++i) EXPECT_NEAR(std::abs(got2[i] - want2[i]), 0.0, tolerance) << i;
    const std::vector<Observable> one = {p1};
    const std::vector<double> w1 = {1.0};
    StateVector<R> out3 = ref::make_state<R>(ref::random_state(n, rng), Parallelism{});
    apply_weighted(one, w1, in, out3);
    const std::vector<cdouble> want3 = ref::dense_observable(p1, n).apply(amplitudes_of(in));
    const std::vector<cdouble> got3 = amplitudes_of(out3);
    for (Index i = 0; i < want3.size(); ++i) EXPECT_NEAR(std::abs(got3[i] - want3[i]), 0.0, tolerance) << i;
    // No observables, the zero operator, or only zero weights: the zero vector.
    const std::vector<Observable> zero = {PauliSum(), obs[1]};
    for (const std::vector<double>& zw : {std::vector<double>{}, std::vector<double>{1.0, 0.0},
                                          std::vector<double>{0.0, 0.0}}) {
      StateVector<R> out4 = ref::make_state<R>(ref::random_state(n, rng), Parallelism{});
      apply_weighted(std::span<const Observable>(zero.data(), zw.size()), zw, in, out4);
      for (Index i = 0; i < out4.size(); ++i) EXPECT_EQ(std::abs(cdouble(out4[i].real(), out4[i].imag())), 0.0) << i;
    }
    // A constant: the state scaled.
    const std::vector<Observable> constant = {PauliSum(PauliString(1.5, 0, 0)), DiagonalObservable({}, {-0.5})};
    StateVector<R> out5 = ref::make_state<R>(ref::random_state(n, rng), Parallelism{});
    apply_weighted(constant, std::vector<double>{2.0, 1.0}, in, out5);
    const std::vector<cdouble> a_in = amplitudes_of(in), a5 = amplitudes_of(out5);
    for (Index i = 0; i < a5.size(); ++i) EXPECT_NEAR(std::abs(a5[i] - 2.5 * a_in[i]), 0.0, tolerance) << i;
  }
  std::printf("[ max deviation ] apply_weighted (%s) vs dense: %.3g\n", sizeof(R) == 4 ? "float" : "double", worst);
}

TEST(ApplyWeightedTest, MatchesDenseMatricesDouble) { check_apply_weighted<double>(1e-13); }

TEST(ApplyWeightedTest, MatchesDenseMatricesFloat) { check_apply_weighted<float>(1e-5); }

TEST(ApplyWeightedTest, ErrorsLeaveTheOutputUntouched) {
  Rng rng(77, 0);
  const StateVector<double> in = ref::make_state<double>(ref::random_state(3, rng), Parallelism{});
  StateVector<double> out = ref::make_state<double>(ref::random_state(3, rng), Parallelism{});
  const std::vector<cdouble> before = amplitudes_of(out);
  const std::vector<Observable> obs = {PauliSum::parse("Z0"), DiagonalObservable({1}, {1.0, 0.0})};
  EXPECT_THAT(invalid_argument_of([&] { apply_weighted(obs, std::vector<double>{1.0}, in, out); }),
              HasSubstr("apply_weighted: expects 2 weights, got 1"));
  EXPECT_THAT(invalid_argument_of([&] { apply_weighted(obs, std::vector<double>{1.0, NAN}, in, out); }),
              HasSubstr("apply_weighted: weight 1 = nan is not finite"));
  const std::vector<Observable> missing = {PauliSum::parse("Z0"), DiagonalObservable({3}, {1.0, 0.0})};
  EXPECT_THAT(invalid_argument_of([&] { apply_weighted(missing, std::vector<double>{1.0, 1.0}, in, out); }),
              HasSubstr("observable acts on qubit 3 but the state has 3 qubits"));
  EXPECT_EQ(amplitudes_of(out), before);
  StateVector<double> wide(4);
  EXPECT_THAT(invalid_argument_of([&] { apply_weighted(obs, std::vector<double>{1.0, 1.0}, in, wide); }),
              HasSubstr("states of 3 and 4 qubits"));
  StateVector<double> same = in;
  EXPECT_THAT(invalid_argument_of([&] { apply_weighted(obs, std::vector<double>{1.0, 1.0}, same, same); }),
              HasSubstr("the output must be another state"));
}

// ---------------------------------------------------------------------------------------------
// Determinism

template <class R>
void check_thread_bit_identity() {
  const int n = 15;  // several reduction chunks (kSumChunk = 4096 items)
  Rng rng(15, sizeof(R));
  const std::vector<cdouble> amps = ref::random_state(n, rng);
  const Parallelism one{1}, two{2, 0};
  const StateVector<R> serial = ref::make_state<R>(amps, one);
  const StateVector<R> threaded = ref::make_state<R>(amps, two);
  const std::vector<Observable> obs = {random_diagonal(n, 3, rng), random_pauli_sum(n, rng, 6),
                                       DiagonalObservable::projector({14, 0}, 2), random_diagonal(n, 7, rng)};
  for (const Observable& h : obs) EXPECT_EQ(expectation(h, serial, one), expectation(h, threaded, two)) << to_string(h);
  const std::vector<double> weights = {0.3, -1.0, 2.0, 0.7};
  StateVector<R> a(n, one), b(n, two);
  apply_weighted(obs, weights, serial, a, one);
  apply_weighted(obs, weights, threaded, b, two);
  EXPECT_EQ(std::memcmp(a.data(), b.data(), a.size() * sizeof(std::complex<R>)), 0);
  const std::vector<Observable> diag = {obs[0], obs[3]};
  const std::vector<double> dw = {1.0, -0.5};
  apply_weighted(diag, dw, serial, a, one);
  apply_weighted(diag, dw, threaded, b, two);
  EXPECT_EQ(std::memcmp(a.data(), b.data(), a.size() * sizeof(std::complex<R>)), 0);
}

TEST(ObservableDeterminismTest, BitIdenticalOnOneAndTwoThreadsDouble) { check_thread_bit_identity<double>(); }

TEST(ObservableDeterminismTest, BitIdenticalOnOneAndTwoThreadsFloat) { check_thread_bit_identity<float>(); }

}  // namespace
}  // namespace qmlsim

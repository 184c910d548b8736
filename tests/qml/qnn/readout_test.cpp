#include "qml/qnn/readout.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "qml/qnn/loss.hpp"
#include "simulator/circuit/circuit.hpp"
#include "simulator/execution/simulator.hpp"
#include "tests/qml/qnn/qnn_testing.hpp"
#include "tests/support/error_message.hpp"

namespace qmlsim::qml {
namespace {

using ::testing::DoubleNear;
using ::testing::HasSubstr;
using ::testing::Pointwise;

// A 3-qubit state with all basis probabilities distinct.
StateVector<double> sample_state() {
  Circuit c(3);
  c.ry(0.3, 0).ry(1.1, 1).ry(2.0, 2).cx(0, 1).rx(0.7, 2).cx(2, 0).ry(0.4, 1);
  return Simulator().run(c);
}

std::vector<double> values_of(const Readout& r, const StateVector<double>& s) {
  std::vector<double> v;
  for (const Observable& o : r.observables()) v.push_back(expectation(o, s));
  return v;
}

std::vector<double> probs_of(const Readout& r, std::span<const double> values) {
  std::vector<double> p(static_cast<std::size_t>(r.num_classes()));
  r.probabilities(values, p);
  return p;
}

TEST(ReadoutTest, ModuloSumsBasisProbabilitiesByIndexModC) {
  const StateVector<double> s = sample_state();
  const std::vector<double> basis = s.probabilities();
  const Readout r(ReadoutKind::Modulo, 3, 3);
  const std::vector<double> p = probs_of(r, values_of(r, s));
  std::vector<double> expected(3, 0.0);
  for (std::size_t b = 0; b < 8; ++b) expected[b % 3] += basis[b];
  EXPECT_THAT(p, Pointwise(DoubleNear(1e-14), expected));
  // Two classes: qubit 0's marginal.
  const Readout two(ReadoutKind::Modulo, 2, 3);
  EXPECT_NEAR(probs_of(two, values_of(two, s))[1], basis[1] + basis[3] + basis[5] + basis[7], 1e-14);
}

TEST(ReadoutTest, ParityIsEvenVersusOddOnes) {
  const StateVector<double> s = sample_state();
  const std::vector<double> basis = s.probabilities();
  const Readout r(ReadoutKind::Parity, 2, 3);
  const std::vector<double> p = probs_of(r, values_of(r, s));
  EXPECT_NEAR(p[0], basis[0] + basis[3] + basis[5] + basis[6], 1e-14);
  EXPECT_NEAR(p[1], basis[1] + basis[2] + basis[4] + basis[7], 1e-14);
}

TEST(ReadoutTest, PerClassZIsASoftmaxOfZExpectations) {
  const StateVector<double> s = sample_state();
  const Readout r(ReadoutKind::PerClassZ, 3, 3, 0.5);
  const std::vector<double> z = values_of(r, s);
  const std::vector<double> p = probs_of(r, z);
  const double norm = std::exp(z[0] / 0.5) + std::exp(z[1] / 0.5) + std::exp(z[2] / 0.5);
  for (int c = 0; c < 3; ++c) EXPECT_NEAR(p[c], std::exp(z[c] / 0.5) / norm, 1e-15);
}

TEST(ReadoutTest, ClassStatesAreFidelitiesOnQubitZerosBlochSphere) {
  // |+> on qubit 0: Bloch vector +X. Two classes: |0>, |1>, fidelity 1/2 each.
  Circuit c(1);
  c.h(0);
  const StateVector<double> s = Simulator().run(c);
  const Readout two(ReadoutKind::ClassStates, 2, 1);
  EXPECT_THAT(probs_of(two, values_of(two, s)), Pointwise(DoubleNear(1e-15), std::vector<double>{0.5, 0.5}));
  // Four classes at angles 0, pi/2, pi, 3pi/2 on the XZ circle: +X is class 1 (fidelity 1 = p 2/4).
  const Readout four(ReadoutKind::ClassStates, 4, 1);
  EXPECT_THAT(probs_of(four, values_of(four, s)), Pointwise(DoubleNear(1e-15), std::vector<double>{0.25, 0.5, 0.25, 0.0}));
}

TEST(ReadoutTest, BackwardChainsLossDerivativesToObservableValues) {
  const StateVector<double> s = sample_state();
  for (const auto& [kind, classes] : std::vector<std::pair<ReadoutKind, int>>{
           {ReadoutKind::Modulo, 3}, {ReadoutKind::Parity, 2}, {ReadoutKind::PerClassZ, 3}, {ReadoutKind::ClassStates, 3}}) {
    const Readout r(kind, classes, 3, 0.7);
    const std::vector<double> v = values_of(r, s);
    for (const std::string& loss : loss_names()) {
      const LossKind l = loss_kind(loss);
      std::vector<double> p = probs_of(r, v), dp(p.size()), dv(v.size());
      (void)classification_loss(l, p, 1, dp);
      r.backward(v, p, dp, dv);
      const auto f = [&](std::span<const double> values) {
        std::vector<double> q = probs_of(r, values), scratch(q.size());
        return classification_loss(l, q, 1, scratch);
      };
      EXPECT_THAT(dv, Pointwise(DoubleNear(1e-9), testing::finite_difference_gradient(f, v, 1e-4)))
          << readout_names()[static_cast<std::size_t>(kind)] << " " << loss;
    }
  }
}

TEST(ReadoutTest, RefusesWhatItCannotRead) {
  using qmlsim::testing::invalid_argument_of;
  EXPECT_THAT(invalid_argument_of([] { (void)readout_kind("softmax"); }),
              HasSubstr("unknown readout 'softmax' (valid: modulo, parity, per-class-z, class-states)"));
  EXPECT_THAT(invalid_argument_of([] { Readout(ReadoutKind::Parity, 3, 4); }), HasSubstr("parity readout: 3 classes"));
  EXPECT_THAT(invalid_argument_of([] { Readout(ReadoutKind::Modulo, 5, 2); }),
              HasSubstr("modulo readout: 5 classes need at least 3 qubits, the circuit has 2"));
  EXPECT_THAT(invalid_argument_of([] { Readout(ReadoutKind::PerClassZ, 3, 2); }),
              HasSubstr("per-class-z readout: 3 classes need as many qubits, the circuit has 2"));
  EXPECT_THAT(invalid_argument_of([] { Readout(ReadoutKind::PerClassZ, 2, 2, 0.0); }), HasSubstr("temperature 0"));
  EXPECT_THAT(invalid_argument_of([] { Readout(ReadoutKind::Modulo, 1, 2); }), HasSubstr("needs at least 2"));
}

}  // namespace
}  // namespace qmlsim::qml

#include "simulator/execution/parameter_shift.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <iomanip>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "simulator/core/bits.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/rng.hpp"
#include "simulator/execution/expectation_estimate.hpp"
#include "simulator/execution/gradient.hpp"
#include "simulator/execution/sampling.hpp"
#include "simulator/execution/simulator.hpp"
#include "tests/support/dense_reference.hpp"
#include "tests/support/random_circuit.hpp"
#include "tests/support/random_gates.hpp"
#include "tests/support/random_state.hpp"

// Parameter shift checked three ways on seeded random circuits that use every parametric gate
// (built-in and extra controls, negative controls, controlled and uncontrolled gphase) with
// shared, affine and expression parameters:
//   - against finite differences through the library (FiniteDifferenceGradient);
//   - against finite differences of a dense reference simulator that shares no code with the
//     kernels, the compiled circuit or the observables (small cases);
//   - against the adjoint method.
// Shot mode is checked statistically (estimates within a few standard errors of the exact
// gradient, and the reported standard errors matching the observed spread), for determinism
// (same seed, same bits; one or two threads) and, on cases small enough to work out by hand, for
// the exact standard error formula (shared parameters add variances).

namespace qmlsim {
namespace {

using testing::DenseMatrix;
using ::testing::HasSubstr;

const Parallelism kSerial = Parallelism::serial();
const Parallelism kTwoThreads{2, 0};

std::string sci(double x) {
  std::ostringstream out;
  out << std::scientific << std::setprecision(2) << x;
  return out.str();
}

// ---------------------------------------------------------------------------------------------
// Random circuits

// Random circuits come from tests/support/random_circuit.hpp.
using testing::random_qubits;

const std::vector<GateKind> kParametricKinds = testing::parametric_gate_kinds();

// `gates` parametric gates of random kinds on n qubits, after a constant layer (so the initial
// state is generic), with fixed gates and user unitaries in between; about 40% of the gates carry
// 1-2 extra controls (some negative). `num_parameters` parameters, each used by several gates,
// in affine and expression angles.
Circuit random_circuit(int n, int num_parameters, int gates, Rng& rng) {
  testing::CircuitRecipe recipe;
  recipe.num_qubits = n;
  recipe.num_parameters = num_parameters;
  recipe.gates = gates;
  return testing::random_circuit(recipe, rng).circuit;
}

PauliSum random_observable(int n, int terms, Rng& rng) {
  std::vector<PauliString> strings{PauliString(0.3, 0, 0)};
  for (int t = 0; t < terms; ++t) {
    Index x = 0, z = 0;
    for (int q = 0; q < n; ++q) {
      switch (rng.below(4)) {
        case 1: x |= bit(q); break;
        case 2: x |= bit(q), z |= bit(q); break;
        case 3: z |= bit(q); break;
        default: break;
      }
    }
    if ((x | z) == 0) z = bit(static_cast<int>(rng.below(static_cast<std::uint64_t>(n))));
    strings.emplace_back(2 * rng.uniform() - 1, x, z);
  }
  return PauliSum(strings);
}

std::vector<double> random_theta(int p, Rng& rng) { return testing::random_angles(static_cast<std::size_t>(p), rng, -1.5, 1.5); }

CompiledCircuit bound(const Circuit& c, std::span<const double> theta) {
  CompiledCircuit cc(c);
  cc.bind(theta);
  return cc;
}

// ---------------------------------------------------------------------------------------------
// Dense reference: final state by dense matrices, observables as dense matrices built from the
// single-qubit Paulis, finite differences of order 4 on top.

DenseMatrix dense_pauli_sum(const PauliSum& h, int n) {
  const Index dim = Index{1} << n;
  DenseMatrix total(dim);
  for (const PauliString& s : h.terms()) {
    DenseMatrix term = DenseMatrix::identity(dim);
    for (Qubit q = 0; q < n; ++q) {
      const Pauli p = s.pauli(q);
      if (p == Pauli::I) continue;
      const DenseMatrix m = p == Pauli::X ? testing::pauli_x() : p == Pauli::Y ? testing::pauli_y() : testing::pauli_z();
      const Qubit t[1] = {q};
      term = testing::embed(m, t, n) * term;
    }
    total = total + term * cdouble(s.coefficient());
  }
  return total;
}

double dense_value(const Circuit& c, std::span<const double> theta, const DenseMatrix& h) {
  const int n = c.num_qubits();
  std::vector<cdouble> zero(std::size_t{1} << n, 0.0);
  zero[0] = 1.0;
  const std::vector<cdouble> psi = testing::apply_circuit(c, theta, zero);
  const std::vector<cdouble> hpsi = h.apply(psi);
  cdouble f = 0.0;
  for (std::size_t i = 0; i < psi.size(); ++i) f += std::conj(psi[i]) * hpsi[i];
  return f.real();
}

std::vector<double> dense_gradient(const Circuit& c, std::span<const double> theta, const DenseMatrix& h) {
  constexpr double kStep = 1e-3;
  std::vector<double> g;
  std::vector<double> t(theta.begin(), theta.end());
  for (std::size_t p = 0; p < t.size(); ++p) {
    auto at = [&](double d) {
      t[p] = theta[p] + d;
      const double f = dense_value(c, t, h);
      t[p] = theta[p];
      return f;
    };
    g.push_back((-at(2 * kStep) + 8 * at(kStep) - 8 * at(-kStep) + at(-2 * kStep)) / (12 * kStep));
  }
  return g;
}

// Largest |a_i - b_i| / (1 + |b_i|).
double max_rel_diff(const std::vector<double>& a, const std::vector<double>& b) {
  EXPECT_EQ(a.size(), b.size());
  double worst = 0.0;
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i)
    worst = std::max(worst, std::abs(a[i] - b[i]) / (1.0 + std::abs(b[i])));
  return worst;
}

bool bit_identical(const GradientResult& a, const GradientResult& b) {
  auto same = [](const std::vector<double>& x, const std::vector<double>& y) {
    // An empty vector's data() may be null, which memcmp must not see (UBSan caught it).
    return x.size() == y.size() && (x.empty() || std::memcmp(x.data(), y.data(), x.size() * sizeof(double)) == 0);
  };
  return std::memcmp(&a.value, &b.value, sizeof(double)) == 0 &&
         std::memcmp(&a.value_standard_error, &b.value_standard_error, sizeof(double)) == 0 &&
         same(a.gradient, b.gradient) && same(a.standard_error, b.standard_error) &&
         a.circuit_evaluations == b.circuit_evaluations;
}

// ---------------------------------------------------------------------------------------------
// Exact gradients

TEST(ParameterShiftTest, MatchesFiniteDifferencesOnRandomCircuits) {
  Rng rng(1234);
  double worst_fd = 0.0, worst_adjoint = 0.0;
  int cases = 0;
  for (int n = 1; n <= 6; ++n)
    for (int trial = 0; trial < 4; ++trial) {
      const int p = 2 + static_cast<int>(rng.below(4));
      const Circuit c = random_circuit(n, p, 6 + 3 * n, rng);
      const std::vector<double> theta = random_theta(p, rng);
      const CompiledCircuit cc = bound(c, theta);
      const Observable h = random_observable(n, 3, rng);
      // Serial: threads are exercised (bit for bit) in the tests below; on a few qubits a region
      // per gate only costs time.
      const SimulatorOptions opt{kSerial, {}};
      const ParameterShiftGradient ps(cc, {}, opt);
      const GradientResult g = ps.gradient(cc, h);
      const GradientResult fd = FiniteDifferenceGradient(cc, {}, 1e-3, 4, opt).gradient(cc, h);
      const GradientResult fd2 = FiniteDifferenceGradient(cc, {}, 1e-5, 2, opt).gradient(cc, h);
      const GradientResult adj = AdjointGradient(cc, {}, opt).gradient(cc, h);
      const std::string label = "n=" + std::to_string(n) + " trial " + std::to_string(trial);
      ASSERT_EQ(g.gradient.size(), static_cast<std::size_t>(p)) << label;
      EXPECT_TRUE(g.standard_error.empty()) << label;
      EXPECT_EQ(g.value_standard_error, 0.0) << label;
      EXPECT_NEAR(g.value, fd.value, 1e-14) << label;
      EXPECT_NEAR(g.value, adj.value, 1e-12) << label;
      EXPECT_EQ(g.circuit_evaluations, ps.evaluations()) << label;
      EXPECT_EQ(fd.circuit_evaluations, 1 + 4 * static_cast<std::uint64_t>(p)) << label;
      EXPECT_EQ(fd2.circuit_evaluations, 1 + 2 * static_cast<std::uint64_t>(p)) << label;
      const double e4 = max_rel_diff(g.gradient, fd.gradient), e2 = max_rel_diff(g.gradient, fd2.gradient);
      const double ea = max_rel_diff(g.gradient, adj.gradient);
      EXPECT_LT(e4, 1e-6) << label;
      EXPECT_LT(e2, 1e-6) << label;
      EXPECT_LT(ea, 1e-10) << label;
      worst_fd = std::max({worst_fd, e4, e2});
      worst_adjoint = std::max(worst_adjoint, ea);
      ++cases;
      // The gradient is not trivially small: the comparison means something.
      double norm = 0.0;
      for (double x : g.gradient) norm += x * x;
      EXPECT_GT(norm, 1e-6) << label;
    }
  EXPECT_EQ(cases, 24);
  RecordProperty("max_rel_diff_finite_difference", sci(worst_fd));
  RecordProperty("max_rel_diff_adjoint", sci(worst_adjoint));
}

TEST(ParameterShiftTest, MatchesDenseReferenceFiniteDifferences) {
  Rng rng(98765);
  double worst = 0.0;
  for (int n = 1; n <= 4; ++n)
    for (int trial = 0; trial < 3; ++trial) {
      const int p = 2 + static_cast<int>(rng.below(3));
      const Circuit c = random_circuit(n, p, 5 + 2 * n, rng);
      const std::vector<double> theta = random_theta(p, rng);
      const PauliSum h = random_observable(n, 3, rng);
      const DenseMatrix hd = dense_pauli_sum(h, n);
      const CompiledCircuit cc = bound(c, theta);
      const GradientResult g = ParameterShiftGradient(cc).gradient(cc, h);
      const std::vector<double> ref = dense_gradient(c, theta, hd);
      const std::string label = "n=" + std::to_string(n) + " trial " + std::to_string(trial);
      EXPECT_NEAR(g.value, dense_value(c, theta, hd), 1e-12) << label;
      const double e = max_rel_diff(g.gradient, ref);
      EXPECT_LT(e, 1e-6) << label;
      worst = std::max(worst, e);
    }
  RecordProperty("max_rel_diff_dense", sci(worst));
}

TEST(ParameterShiftTest, EveryGateKindAloneUnderEveryControlArrangement) {
  // One gate between two random layers, angle = 1.3 * theta0 - 0.2, with no control, one
  // positive, one negative extra control: each kind's rule in isolation (an error in one rule
  // would be diluted in the random circuits).
  Rng rng(555);
  double worst = 0.0;
  for (GateKind kind : kParametricKinds) {
    const GateInfo info = gate_info(kind);
    const int arity = kind == GateKind::GPhase ? 0 : info.num_qubits;
    for (int ctrl = 0; ctrl < 3; ++ctrl) {
      const int n = std::max(arity + (ctrl > 0 ? 1 : 0), 1) + 1;
      Circuit c(n);
      for (int q = 0; q < n; ++q) c.u(rng.normal(), rng.normal(), rng.normal(), q);
      if (n >= 2) c.cx(0, 1);
      std::vector<Qubit> targets;
      for (int q = 0; q < arity; ++q) targets.push_back(q);
      for (int j = 0; j < info.num_params; ++j) {
        std::vector<Param> params;
        for (int k = 0; k < info.num_params; ++k)
          params.push_back(k == j ? Param::parameter(0, 1.3, -0.2) : Param(rng.normal()));
        if (ctrl == 0)
          c.gate(kind, targets, params);
        else
          c.controlled(kind, {arity}, targets, params, {ctrl == 1});
      }
      for (int q = 0; q < n; ++q) c.u(rng.normal(), rng.normal(), rng.normal(), q);
      const double theta[1] = {0.77};
      const CompiledCircuit cc = bound(c, theta);
      const Observable h = random_observable(n, 4, rng);
      const GradientResult g = ParameterShiftGradient(cc).gradient(cc, h);
      const GradientResult fd = FiniteDifferenceGradient(cc, {}, 1e-3, 4).gradient(cc, h);
      const double e = max_rel_diff(g.gradient, fd.gradient);
      worst = std::max(worst, e);
      EXPECT_LT(e, 1e-7) << gate_info(kind).name << " controls " << ctrl;
      if (kind == GateKind::GPhase && ctrl == 0) {
        EXPECT_EQ(g.gradient[0], 0.0);
        EXPECT_EQ(g.circuit_evaluations, 1U);
      }
    }
  }
  RecordProperty("max_rel_diff", sci(worst));
}

TEST(ParameterShiftTest, ProbabilityGradientsOfDiagonalObservables) {
  Rng rng(31337);
  double worst = 0.0;
  for (int n = 2; n <= 5; ++n) {
    const int p = 3;
    const Circuit c = random_circuit(n, p, 4 + 2 * n, rng);
    const std::vector<double> theta = random_theta(p, rng);
    const CompiledCircuit cc = bound(c, theta);
    const ParameterShiftGradient ps(cc);
    const std::vector<Qubit> qubits = random_qubits(n, 2, rng);
    double total_value = 0.0;
    std::vector<double> total_gradient(p, 0.0);
    for (Index outcome = 0; outcome < 4; ++outcome) {
      const Observable proj = DiagonalObservable::projector(qubits, outcome);
      const GradientResult g = ps.gradient(cc, proj);
      const GradientResult fd = FiniteDifferenceGradient(cc, {}, 1e-3, 4).gradient(cc, proj);
      const double e = max_rel_diff(g.gradient, fd.gradient);
      worst = std::max(worst, e);
      EXPECT_LT(e, 1e-6) << "n=" << n << " outcome " << outcome;
      EXPECT_GE(g.value, 0.0);
      total_value += g.value;
      for (int i = 0; i < p; ++i) total_gradient[static_cast<std::size_t>(i)] += g.gradient[static_cast<std::size_t>(i)];
    }
    // Probabilities sum to one, so their gradients sum to zero.
    EXPECT_NEAR(total_value, 1.0, 1e-12);
    for (double x : total_gradient) EXPECT_NEAR(x, 0.0, 1e-12);
    // A general diagonal observable (values on three qubits).
    const std::vector<Qubit> three = random_qubits(n, std::min(n, 3), rng);
    std::vector<double> values(std::size_t{1} << three.size());
    for (double& v : values) v = rng.normal();
    const Observable diag = DiagonalObservable(three, values);
    const double e = max_rel_diff(ps.gradient(cc, diag).gradient, FiniteDifferenceGradient(cc, {}, 1e-3, 4).gradient(cc, diag).gradient);
    worst = std::max(worst, e);
    EXPECT_LT(e, 1e-6) << "n=" << n << " diagonal";
  }
  RecordProperty("max_rel_diff", sci(worst));
}

TEST(ParameterShiftTest, SelectionGivesTheSameEntriesInTheRequestedOrder) {
  Rng rng(42);
  const Circuit c = random_circuit(4, 5, 16, rng);
  const std::vector<double> theta = random_theta(5, rng);
  const CompiledCircuit cc = bound(c, theta);
  const Observable h = random_observable(4, 3, rng);
  const ParameterShiftGradient all(cc);
  const GradientResult full = all.gradient(cc, h);
  const int wrt[] = {3, 0, 4};
  const ParameterShiftGradient some(cc, wrt);
  EXPECT_THAT(some.parameters(), ::testing::ElementsAre(3, 0, 4));
  const GradientResult g = some.gradient(cc, h);
  ASSERT_EQ(g.gradient.size(), 3U);
  for (std::size_t i = 0; i < 3; ++i)
    EXPECT_EQ(g.gradient[i], full.gradient[static_cast<std::size_t>(wrt[i])]) << "entry " << i;
  EXPECT_EQ(g.value, full.value);
  EXPECT_LT(some.evaluations(), all.evaluations());
  EXPECT_EQ(g.circuit_evaluations, some.evaluations());
  const FiniteDifferenceGradient fd_some(cc, wrt, 1e-3, 4);
  EXPECT_THAT(fd_some.parameters(), ::testing::ElementsAre(3, 0, 4));
  const GradientResult f = fd_some.gradient(cc, h);
  ASSERT_EQ(f.gradient.size(), 3U);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_NEAR(f.gradient[i], g.gradient[i], 1e-7 * (1 + std::abs(g.gradient[i])));
  EXPECT_EQ(f.circuit_evaluations, 1U + 4U * 3U);
}

TEST(ParameterShiftTest, RunCountFollowsTheRuleOfEachAngle) {
  Circuit c(3);
  c.h(0).h(1).h(2);
  c.rx(Param::parameter(0), 0);                                       // two-term: 2
  c.crx(Param::parameter(1), 0, 1);                                   // four-term: 4
  c.gate(GateKind::XXPlusYY, {1, 2}, {Param::parameter(0), Param::parameter(1)});  // 4 + 4 (two-frequency)
  c.gphase(Param::parameter(0));                                      // uncontrolled: 0
  c.controlled(GateKind::GPhase, {2}, {}, {Param::parameter(1)});     // controlled: 2
  c.controlled(GateKind::RY, {2}, {0}, {Param::parameter(2)}, {false});  // ctrl @ ry: four-term: 4
  c.u(Param::parameter(2), 0.3, Param(2.0 * Expr::parameter(0)), 1);  // theta 2 + lambda 2
  c.rz(0.4, 2);                                                       // constant: 0
  const double theta[3] = {0.3, -0.8, 1.1};
  const CompiledCircuit cc = bound(c, theta);
  const ParameterShiftGradient ps(cc);
  EXPECT_EQ(ps.evaluations(), 1U + 2 + 4 + 8 + 0 + 2 + 4 + 4);
  const Observable h = PauliSum::parse("X0 Y1 + 0.5*Z2 X1 - 0.3*X2");
  const GradientResult g = ps.gradient(cc, h);
  EXPECT_EQ(g.circuit_evaluations, ps.evaluations());
  const GradientResult fd = FiniteDifferenceGradient(cc, {}, 1e-3, 4).gradient(cc, h);
  EXPECT_LT(max_rel_diff(g.gradient, fd.gradient), 1e-7);
  const int only2[] = {2};
  EXPECT_EQ(ParameterShiftGradient(cc, only2).evaluations(), 1U + 4 + 2);
}

TEST(ParameterShiftTest, UncontrolledGlobalPhaseContributesNothingControlledOneDoes) {
  // gphase(theta0) alone: not observable, gradient exactly 0 and no run. The phase is folded into
  // the ry record, which is itself shifted for theta1: its derivative must be unaffected.
  Circuit c(2);
  c.gphase(Param::parameter(0)).ry(Param::parameter(1), 0).h(1).gphase(Param(3.0 * Expr::parameter(0)));
  const double theta[2] = {0.9, 0.4};
  const CompiledCircuit cc = bound(c, theta);
  ASSERT_GE(cc.phase_record(), 0);
  const Observable h = PauliSum::parse("Z0 + X1");
  const ParameterShiftGradient ps(cc);
  EXPECT_EQ(ps.evaluations(), 3U);
  const GradientResult g = ps.gradient(cc, h);
  EXPECT_EQ(g.gradient[0], 0.0);
  EXPECT_NEAR(g.gradient[1], -std::sin(0.4), 1e-14);  // <Z0> = cos(theta1)
  EXPECT_NEAR(g.value, std::cos(0.4) + 1.0, 1e-14);

  // Controlled on qubit 0 after H: (|0> + e^{i a}|1>)/sqrt2 with a = 2 theta0 + 0.1, <X0> = cos a.
  Circuit d(1);
  d.h(0).controlled(GateKind::GPhase, {0}, {}, {Param::parameter(0, 2.0, 0.1)});
  const double t0[1] = {0.35};
  const CompiledCircuit dc = bound(d, t0);
  const GradientResult gd = ParameterShiftGradient(dc).gradient(dc, PauliSum::parse("X0"));
  EXPECT_NEAR(gd.value, std::cos(0.8), 1e-14);
  EXPECT_NEAR(gd.gradient[0], -2.0 * std::sin(0.8), 1e-14);
  EXPECT_EQ(gd.circuit_evaluations, 3U);
  // Negative control: the phase sits on |0>, <X0> = cos(-a).
  Circuit e(1);
  e.h(0).controlled(GateKind::GPhase, {0}, {}, {Param::parameter(0, 2.0, 0.1)}, {false});
  const CompiledCircuit ec = bound(e, t0);
  const GradientResult ge = ParameterShiftGradient(ec).gradient(ec, PauliSum::parse("X0 + 0.5*Y0"));
  // (e^{ia}|0> + |1>)/sqrt2: <X> = cos a, <Y> = -sin a.
  EXPECT_NEAR(ge.value, std::cos(0.8) - 0.5 * std::sin(0.8), 1e-14);
  EXPECT_NEAR(ge.gradient[0], 2.0 * (-std::sin(0.8) - 0.5 * std::cos(0.8)), 1e-14);
}

TEST(ParameterShiftTest, AnalyticSingleQubitCases) {
  // ry(a) then <Z> = cos a; rx(a) then <Y> = -sin a; u3 on |0>: <X> = sin theta cos phi.
  const double t[2] = {0.6, -1.2};
  Circuit c(1);
  c.ry(Param::parameter(0), 0);
  CompiledCircuit cc = bound(c, std::span<const double>(t, 1));
  EXPECT_NEAR(ParameterShiftGradient(cc).gradient(cc, PauliSum::parse("Z0")).gradient[0], -std::sin(0.6), 1e-15);
  Circuit d(1);
  d.rx(Param::parameter(0), 0);
  CompiledCircuit dc = bound(d, std::span<const double>(t, 1));
  EXPECT_NEAR(ParameterShiftGradient(dc).gradient(dc, PauliSum::parse("Y0")).gradient[0], -std::cos(0.6), 1e-15);
  Circuit e(1);
  e.gate(GateKind::U3, {0}, {Param::parameter(0), Param::parameter(1), Param(0.4)});
  CompiledCircuit ec = bound(e, t);
  const GradientResult g = ParameterShiftGradient(ec).gradient(ec, PauliSum::parse("X0"));
  EXPECT_NEAR(g.value, std::sin(0.6) * std::cos(-1.2), 1e-15);
  EXPECT_NEAR(g.gradient[0], std::cos(0.6) * std::cos(-1.2), 1e-15);
  EXPECT_NEAR(g.gradient[1], -std::sin(0.6) * std::sin(-1.2), 1e-15);
}

TEST(ParameterShiftTest, CircuitWithoutParametersOrSelection) {
  Circuit c(2);
  c.h(0).cx(0, 1);
  const CompiledCircuit cc(c);
  const GradientResult g = ParameterShiftGradient(cc).gradient(cc, PauliSum::parse("Z0 Z1"));
  EXPECT_TRUE(g.gradient.empty());
  EXPECT_NEAR(g.value, 1.0, 1e-15);
  EXPECT_EQ(g.circuit_evaluations, 1U);
  const GradientResult f = FiniteDifferenceGradient(cc).gradient(cc, PauliSum::parse("X0 X1"));
  EXPECT_TRUE(f.gradient.empty());
  EXPECT_NEAR(f.value, 1.0, 1e-15);
}

TEST(ParameterShiftTest, BoundCircuitIsNotModifiedAndGradientsAreRepeatable) {
  Rng rng(8);
  const Circuit c = random_circuit(3, 3, 10, rng);
  const std::vector<double> theta = random_theta(3, rng);
  const CompiledCircuit cc = bound(c, theta);
  const std::vector<cdouble> before = cc.matrices();
  const Observable h = random_observable(3, 3, rng);
  const ParameterShiftGradient ps(cc);
  const GradientResult a = ps.gradient(cc, h), b = ps.gradient(cc, h);
  EXPECT_TRUE(bit_identical(a, b));
  EXPECT_EQ(std::memcmp(before.data(), cc.matrices().data(), before.size() * sizeof(cdouble)), 0);
  // A copy of the compiled circuit rebound elsewhere uses the same plan.
  CompiledCircuit other = cc;
  const std::vector<double> theta2 = random_theta(3, rng);
  other.bind(theta2);
  const GradientResult g2 = ps.gradient(other, h);
  const GradientResult fd2 = FiniteDifferenceGradient(cc, {}, 1e-3, 4).gradient(other, h);
  EXPECT_LT(max_rel_diff(g2.gradient, fd2.gradient), 1e-6);
}

TEST(ParameterShiftTest, ExactResultsAreBitIdenticalOnOneAndTwoThreads) {
  Rng rng(2024);
  const Circuit c = random_circuit(6, 4, 20, rng);
  const std::vector<double> theta = random_theta(4, rng);
  const CompiledCircuit cc = bound(c, theta);
  const Observable h = random_observable(6, 4, rng);
  const GradientResult a = ParameterShiftGradient(cc, {}, {kSerial, {}}).gradient(cc, h);
  const GradientResult b = ParameterShiftGradient(cc, {}, {kTwoThreads, {}}).gradient(cc, h);
  EXPECT_TRUE(bit_identical(a, b));
  const GradientResult fa = FiniteDifferenceGradient(cc, {}, 1e-3, 4, {kSerial, {}}).gradient(cc, h);
  const GradientResult fb = FiniteDifferenceGradient(cc, {}, 1e-3, 4, {kTwoThreads, {}}).gradient(cc, h);
  EXPECT_TRUE(bit_identical(fa, fb));
}

// ---------------------------------------------------------------------------------------------
// Shots

TEST(ParameterShiftShotsTest, EstimatesAreWithinFourStandardErrorsOfTheExactGradient) {
  Rng rng(777);
  const Circuit c = random_circuit(3, 3, 9, rng);
  const std::vector<double> theta = random_theta(3, rng);
  const CompiledCircuit cc = bound(c, theta);
  const Observable h = random_observable(3, 3, rng);
  const ParameterShiftGradient ps(cc);
  const GradientResult exact = ps.gradient(cc, h);
  double sum_z2 = 0.0;
  int count = 0;
  for (std::uint64_t seed = 1; seed <= 24; ++seed) {
    const GradientResult g = ps.gradient(cc, h, {2000, seed});
    ASSERT_EQ(g.standard_error.size(), 3U);
    EXPECT_EQ(g.circuit_evaluations, ps.evaluations());
    EXPECT_GT(g.value_standard_error, 0.0);
    EXPECT_LE(std::abs(g.value - exact.value), 4 * g.value_standard_error) << "seed " << seed;
    const double z0 = (g.value - exact.value) / g.value_standard_error;
    sum_z2 += z0 * z0;
    ++count;
    for (std::size_t i = 0; i < 3; ++i) {
      ASSERT_GT(g.standard_error[i], 0.0);
      EXPECT_LE(std::abs(g.gradient[i] - exact.gradient[i]), 4 * g.standard_error[i]) << "seed " << seed << " entry " << i;
      const double z = (g.gradient[i] - exact.gradient[i]) / g.standard_error[i];
      sum_z2 += z * z;
      ++count;
    }
  }
  // The reported standard errors describe the observed spread: the root mean square z-score is
  // near 1 (96 samples: within about 15% of 1 with high probability; a sum of standard errors
  // instead of variances for shared parameters would give well below 1).
  const double rms = std::sqrt(sum_z2 / count);
  EXPECT_GT(rms, 0.7);
  EXPECT_LT(rms, 1.35);
  RecordProperty("rms_z", sci(rms));
}

TEST(ParameterShiftShotsTest, DiagonalObservablesAreSampled) {
  Rng rng(4321);
  const Circuit c = random_circuit(3, 2, 8, rng);
  const std::vector<double> theta = random_theta(2, rng);
  const CompiledCircuit cc = bound(c, theta);
  const Observable h = DiagonalObservable({2, 0}, {0.5, -1.0, 2.0, 0.25});
  const ParameterShiftGradient ps(cc);
  const GradientResult exact = ps.gradient(cc, h);
  double sum_z2 = 0.0;
  int count = 0;
  for (std::uint64_t seed = 10; seed < 30; ++seed) {
    const GradientResult g = ps.gradient(cc, h, {3000, seed});
    ASSERT_EQ(g.standard_error.size(), 2U);
    EXPECT_LE(std::abs(g.value - exact.value), 4 * g.value_standard_error);
    for (std::size_t i = 0; i < 2; ++i) {
      ASSERT_GT(g.standard_error[i], 0.0);
      EXPECT_LE(std::abs(g.gradient[i] - exact.gradient[i]), 4 * g.standard_error[i]) << "seed " << seed;
      const double z = (g.gradient[i] - exact.gradient[i]) / g.standard_error[i];
      sum_z2 += z * z;
      ++count;
    }
  }
  const double rms = std::sqrt(sum_z2 / count);
  EXPECT_GT(rms, 0.6);
  EXPECT_LT(rms, 1.45);
  RecordProperty("rms_z", sci(rms));
}

TEST(ParameterShiftShotsTest, StandardErrorOfSharedParametersAddsVariances) {
  // rx(s * t) on qubits 0 and 1 at t = 0, H = Z0 + Z1 (as a Pauli sum, and as the diagonal
  // observable with the same values). Every shifted run puts one qubit at probability 1/2
  // (Z = +-1, variance 1) and leaves the other in |0>, so each run's standard error is about
  // 1/sqrt(shots), and
  //   var(df/dt) = sum over 2 gates and 2 terms of (1/2 * s)^2 / shots = s^2 / shots.
  // Adding standard errors instead would give sqrt2 times more.
  constexpr std::uint64_t kShots = 4000;
  const Observable pauli = PauliSum::parse("Z0 + Z1");
  const Observable diagonal = DiagonalObservable({0, 1}, {2.0, 0.0, 0.0, -2.0});
  for (const Observable* h : {&pauli, &diagonal})
    for (double s : {1.0, 3.0}) {
      Circuit c(2);
      c.rx(Param::parameter(0, s), 0).rx(Param::parameter(0, s), 1);
      const double t[1] = {0.0};
      const CompiledCircuit cc = bound(c, t);
      const GradientResult g = ParameterShiftGradient(cc).gradient(cc, *h, {kShots, 5});
      const double expected = s / std::sqrt(static_cast<double>(kShots));
      EXPECT_NEAR(g.standard_error[0], expected, 0.05 * expected) << "scale " << s << " " << to_string(*h);
      EXPECT_EQ(g.value_standard_error, 0.0);  // both qubits in |0>: every shot gives 2
      EXPECT_EQ(g.value, 2.0);
      EXPECT_EQ(g.circuit_evaluations, 5U);
    }
}

TEST(ParameterShiftShotsTest, RunIDrawsFromGroupSeedOfI) {
  // The documented order: run 0 unshifted, then gates in circuit order, shift terms in rule order
  // (two-term: +pi/2, then -pi/2). Each run is reproduced here with the estimator itself on a
  // circuit bound at the shifted angle.
  Circuit c(2);
  c.h(1).rx(Param::parameter(0), 0).cx(0, 1).ry(Param::parameter(1), 1);
  const double theta[2] = {0.4, -0.9};
  const CompiledCircuit cc = bound(c, theta);
  const PauliSum h = PauliSum::parse("Z0 Z1 + 0.5*X1 - 0.25*Y0");
  constexpr std::uint64_t kShots = 300, kSeed = 4711;
  const GradientResult g = ParameterShiftGradient(cc).gradient(cc, h, {kShots, kSeed});
  const Simulator sim;
  auto estimate_at = [&](double t0, double t1, std::size_t run) {
    const double t[2] = {t0, t1};
    return estimate_expectation(h, sim.run(c, t), kShots, group_seed(kSeed, run));
  };
  const ExpectationEstimate e0 = estimate_at(0.4, -0.9, 0);
  const ExpectationEstimate e1 = estimate_at(0.4 + kPi / 2, -0.9, 1), e2 = estimate_at(0.4 - kPi / 2, -0.9, 2);
  const ExpectationEstimate e3 = estimate_at(0.4, -0.9 + kPi / 2, 3), e4 = estimate_at(0.4, -0.9 - kPi / 2, 4);
  EXPECT_NEAR(g.value, e0.estimate, 1e-14);
  EXPECT_NEAR(g.value_standard_error, e0.standard_error, 1e-14);
  EXPECT_NEAR(g.gradient[0], 0.5 * e1.estimate - 0.5 * e2.estimate, 1e-14);
  EXPECT_NEAR(g.gradient[1], 0.5 * e3.estimate - 0.5 * e4.estimate, 1e-14);
  EXPECT_NEAR(g.standard_error[0], 0.5 * std::hypot(e1.standard_error, e2.standard_error), 1e-14);
  EXPECT_NEAR(g.standard_error[1], 0.5 * std::hypot(e3.standard_error, e4.standard_error), 1e-14);
}

TEST(ParameterShiftShotsTest, DiagonalEstimateIsTheSampleMeanOfTheOutcomeValues) {
  // Run 0 of a diagonal observable: `shots` outcomes of its qubits from group_seed(seed, 0),
  // averaged with their values; standard error = sample standard deviation / sqrt(shots).
  Circuit c(3);
  c.h(0).ry(Param::parameter(0), 2).cx(0, 1).rx(0.7, 1);
  const double theta[1] = {1.1};
  const CompiledCircuit cc = bound(c, theta);
  const std::vector<double> values = {0.5, -1.0, 2.0, 0.25};
  const std::vector<Qubit> qubits = {2, 1};
  constexpr std::uint64_t kShots = 500, kSeed = 99;
  const GradientResult g = ParameterShiftGradient(cc).gradient(cc, DiagonalObservable(qubits, values), {kShots, kSeed});
  const Counts counts = sample_counts(Simulator().run(c, theta), std::span<const Qubit>(qubits), kShots, group_seed(kSeed, 0));
  std::vector<double> samples;
  for (const auto& [outcome, count] : counts) samples.insert(samples.end(), count, values[outcome]);
  ASSERT_EQ(samples.size(), kShots);
  double mean = 0.0;
  for (double v : samples) mean += v;
  mean /= kShots;
  double var = 0.0;
  for (double v : samples) var += (v - mean) * (v - mean);
  var /= kShots - 1;
  EXPECT_NEAR(g.value, mean, 1e-13);
  EXPECT_NEAR(g.value_standard_error, std::sqrt(var / kShots), 1e-13);
}

TEST(ParameterShiftShotsTest, SameSeedSameBitsOnOneAndTwoThreads) {
  Rng rng(99);
  const Circuit c = random_circuit(5, 3, 12, rng);
  const std::vector<double> theta = random_theta(3, rng);
  const CompiledCircuit cc = bound(c, theta);
  const Observable h = random_observable(5, 4, rng);
  const Observable d = DiagonalObservable::projector({1, 3}, 2);
  for (const Observable* obs : {&h, &d}) {
    const GradientResult a = ParameterShiftGradient(cc, {}, {kSerial, {}}).gradient(cc, *obs, {500, 17});
    const GradientResult b = ParameterShiftGradient(cc, {}, {kSerial, {}}).gradient(cc, *obs, {500, 17});
    const GradientResult t2 = ParameterShiftGradient(cc, {}, {kTwoThreads, {}}).gradient(cc, *obs, {500, 17});
    const GradientResult other = ParameterShiftGradient(cc, {}, {kSerial, {}}).gradient(cc, *obs, {500, 18});
    EXPECT_TRUE(bit_identical(a, b));
    EXPECT_TRUE(bit_identical(a, t2));
    EXPECT_NE(a.gradient, other.gradient);  // the seed matters
  }
}

// ---------------------------------------------------------------------------------------------
// Errors

template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const InvalidArgument& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("wrong exception type: ") + e.what();
  }
  return "no exception";
}

TEST(ParameterShiftErrorsTest, SelectionErrors) {
  Circuit c(2);
  c.rx(Param::parameter(0), 0).ry(Param::parameter(1), 1);
  const CompiledCircuit cc(c);
  const int out_of_range[] = {0, 2};
  const int negative[] = {-1};
  const int repeated[] = {1, 0, 1};
  EXPECT_EQ(error_of([&] { (void)ParameterShiftGradient(cc, out_of_range); }),
            "gradient with respect to parameter 2 out of range [0, 2)");
  EXPECT_EQ(error_of([&] { (void)ParameterShiftGradient(cc, negative); }),
            "gradient with respect to parameter -1 out of range [0, 2)");
  EXPECT_THAT(error_of([&] { (void)ParameterShiftGradient(cc, repeated); }), HasSubstr("parameter 1: selected twice"));
  EXPECT_EQ(error_of([&] { (void)FiniteDifferenceGradient(cc, out_of_range); }),
            "gradient with respect to parameter 2 out of range [0, 2)");
  EXPECT_THAT(error_of([&] { (void)FiniteDifferenceGradient(cc, repeated); }), HasSubstr("selected twice"));
}

TEST(ParameterShiftErrorsTest, TrajectoryCircuitsAreRefusedWithTheReason) {
  Circuit c(2, 1);
  c.rx(Param::parameter(0), 0).measure(0, 0).x(0);
  const CompiledCircuit cc(c);
  const std::string ps = error_of([&] { (void)ParameterShiftGradient(cc); });
  EXPECT_EQ(ps,
            "parameter shift: the circuit has a mid-circuit measurement, reset or classical condition (qubit 0 is "
            "measured and then used by x), so it has no single final state; gradients need every measurement at "
            "the end of the circuit");
  EXPECT_THAT(ps, HasSubstr(c.trajectory_reason()));
  EXPECT_THAT(ps, HasSubstr("qubit 0 is measured"));
  EXPECT_THAT(error_of([&] { (void)FiniteDifferenceGradient(cc); }), HasSubstr(c.trajectory_reason()));
  Circuit r(1);
  r.ry(Param::parameter(0), 0).reset(0);
  EXPECT_THAT(error_of([&] { (void)ParameterShiftGradient(CompiledCircuit(r)); }), HasSubstr("reset on qubit 0"));
  // Terminal measurements are fine.
  Circuit t(1, 1);
  t.ry(Param::parameter(0), 0).measure(0, 0);
  const double a[1] = {0.5};
  const CompiledCircuit tc = bound(t, a);
  EXPECT_NEAR(ParameterShiftGradient(tc).gradient(tc, PauliSum::parse("Z0")).gradient[0], -std::sin(0.5), 1e-15);
}

TEST(ParameterShiftErrorsTest, GradientArgumentErrors) {
  Circuit c(3);
  c.rx(Param::parameter(0), 0).ry(Param::parameter(1), 2);
  const CompiledCircuit unbound(c);
  const ParameterShiftGradient ps(unbound);
  const FiniteDifferenceGradient fd(unbound);
  const Observable z0 = PauliSum::parse("Z0");
  EXPECT_THAT(error_of([&] { (void)ps.gradient(unbound, z0); }), HasSubstr("circuit has 2 unbound parameters"));
  EXPECT_THAT(error_of([&] { (void)fd.gradient(unbound, z0); }), HasSubstr("circuit has 2 unbound parameters"));
  const double theta[2] = {0.1, 0.2};
  const CompiledCircuit cc = bound(c, theta);
  const Observable far = PauliSum::parse("Z0 X5");
  EXPECT_THAT(error_of([&] { (void)ps.gradient(cc, far); }), HasSubstr("observable acts on qubit 5 but the state has 3 qubits"));
  EXPECT_THAT(error_of([&] { (void)fd.gradient(cc, far); }), HasSubstr("observable acts on qubit 5 but the state has 3 qubits"));
  const Observable far_diag = DiagonalObservable::projector({4}, 1);
  EXPECT_THAT(error_of([&] { (void)ps.gradient(cc, far_diag, {100, 1}); }), HasSubstr("observable acts on qubit 4"));
  EXPECT_THAT(error_of([&] { (void)ps.gradient(cc, z0, {1, 7}); }), HasSubstr("shots = 1"));
  EXPECT_THAT(error_of([&] { (void)ps.gradient(cc, far_diag, {1, 7}); }), HasSubstr("observable acts on qubit 4"));
  // Another circuit than the planned one.
  Circuit other(3);
  other.rx(Param::parameter(0), 0).ry(Param::parameter(1), 2).h(1);
  const CompiledCircuit oc = bound(other, theta);
  EXPECT_THAT(error_of([&] { (void)ps.gradient(oc, z0); }), HasSubstr("planned for"));
  Circuit wider(4);
  wider.rx(Param::parameter(0), 0).ry(Param::parameter(1), 2);
  const CompiledCircuit wc = bound(wider, theta);
  EXPECT_THAT(error_of([&] { (void)ps.gradient(wc, z0); }), HasSubstr("planned for a circuit on 3 qubits"));
  EXPECT_THAT(error_of([&] { (void)fd.gradient(wc, z0); }), HasSubstr("planned for a circuit on 3 qubits"));
}

TEST(ParameterShiftErrorsTest, FiniteDifferenceStepAndOrder) {
  Circuit c(1);
  c.rx(Param::parameter(0), 0);
  const CompiledCircuit cc(c);
  EXPECT_EQ(error_of([&] { (void)FiniteDifferenceGradient(cc, {}, 0.0); }),
            "finite difference: step 0 must be positive and finite");
  // format_number: "nan" for a NaN of either sign (std::to_chars wrote "-nan").
  EXPECT_EQ(error_of([&] { (void)FiniteDifferenceGradient(cc, {}, -std::numeric_limits<double>::quiet_NaN()); }),
            "finite difference: step nan must be positive and finite");
  EXPECT_THAT(error_of([&] { (void)FiniteDifferenceGradient(cc, {}, -0.001); }), HasSubstr("step -0.001 must be positive"));
  EXPECT_THAT(error_of([&] { (void)FiniteDifferenceGradient(cc, {}, std::numeric_limits<double>::infinity()); }),
              HasSubstr("step inf must be positive and finite"));
  EXPECT_THAT(error_of([&] { (void)FiniteDifferenceGradient(cc, {}, std::numeric_limits<double>::quiet_NaN()); }),
              HasSubstr("step nan must be positive"));
  EXPECT_THAT(error_of([&] { (void)FiniteDifferenceGradient(cc, {}, 1e-3, 3); }), HasSubstr("order 3 is not supported; use 2 or 4"));
  EXPECT_THAT(error_of([&] { (void)FiniteDifferenceGradient(cc, {}, 1e-3, 1); }), HasSubstr("order 1"));
  EXPECT_EQ(error_of([&] { (void)FiniteDifferenceGradient(cc, {}, 1e-3, 4); }), "no exception");
}

TEST(ParameterShiftErrorsTest, MemoryLimitIsAResourceError) {
  Circuit c(4);
  c.rx(Param::parameter(0), 0);
  const double theta[1] = {0.1};
  const CompiledCircuit cc = bound(c, theta);
  SimulatorOptions tight;
  tight.memory.max_bytes = 64;  // one 4-qubit state needs 256 bytes
  const Observable z0 = PauliSum::parse("Z0");
  EXPECT_THROW((void)ParameterShiftGradient(cc, {}, tight).gradient(cc, z0), ResourceError);
  EXPECT_THROW((void)FiniteDifferenceGradient(cc, {}, 1e-5, 2, tight).gradient(cc, z0), ResourceError);
}

}  // namespace
}  // namespace qmlsim

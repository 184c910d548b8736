#include "simulator/execution/adjoint_sweep.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "simulator/core/errors.hpp"
#include "simulator/core/rng.hpp"
#include "simulator/execution/compiled_circuit.hpp"
#include "simulator/execution/gradient.hpp"
#include "simulator/execution/parameter_shift.hpp"
#include "simulator/gates/derivatives.hpp"
#include "simulator/observables/observable.hpp"
#include "tests/support/error_message.hpp"
#include "tests/support/random_state.hpp"

// The blocked backward sweep (stages of gates applied chunk by chunk in a cache-sized buffer)
// checked against the per-gate sweep (one two-vector pass per record over the whole vectors, the
// sweep the gradient always used) on random circuits with every parametric and fixed gate kind,
// positive and negative controls, user unitaries (up to 3 targets, some diagonal), global phases,
// and every kind of Param; psi and lambda are random states (the sweep's algebra holds for any
// pair), so every derivative term and both final vectors are compared. Then the gradient that
// uses it (16 qubits and more) against parameter shift, with `wrt` selections, on 1 and 2 threads.

namespace qmlsim {
namespace {

namespace ref = qmlsim::testing;
using ::testing::HasSubstr;

constexpr GateKind kParametric[] = {
    GateKind::RX,  GateKind::RY,  GateKind::RZ,  GateKind::P,   GateKind::U1,  GateKind::U2,       GateKind::U3,
    GateKind::U,   GateKind::CU1, GateKind::CP,  GateKind::CRX, GateKind::CRY, GateKind::CRZ,      GateKind::CU3,
    GateKind::CU,  GateKind::RXX, GateKind::RYY, GateKind::RZZ, GateKind::RZX, GateKind::XXPlusYY, GateKind::XXMinusYY,
    GateKind::GPhase, GateKind::U0};

constexpr GateKind kFixed[] = {GateKind::H,    GateKind::X,     GateKind::Y,    GateKind::Z,   GateKind::S,
                               GateKind::Sdg,  GateKind::T,     GateKind::Tdg,  GateKind::SX,  GateKind::SXdg,
                               GateKind::CX,   GateKind::CY,    GateKind::CZ,   GateKind::CH,  GateKind::CSX,
                               GateKind::Swap, GateKind::ISwap, GateKind::ECR,  GateKind::DCX, GateKind::CCX,
                               GateKind::CCZ,  GateKind::CSwap, GateKind::RCCX, GateKind::C3X, GateKind::RC3X,
                               GateKind::C3SX, GateKind::C4X};

std::vector<Qubit> distinct_qubits(int n, int count, Rng& rng) {
  std::vector<Qubit> all(static_cast<std::size_t>(n));
  for (int q = 0; q < n; ++q) all[static_cast<std::size_t>(q)] = q;
  for (int i = 0; i < count; ++i) {
    const auto j = static_cast<std::size_t>(i) + rng.below(static_cast<std::uint64_t>(n - i));
    std::swap(all[static_cast<std::size_t>(i)], all[j]);
  }
  all.resize(static_cast<std::size_t>(count));
  return all;
}

// A gate angle: constant, affine in a (shared) parameter, or an expression over two parameters.
Param random_param(Rng& rng, int num_parameters) {
  const auto pick = [&] { return static_cast<int>(rng.below(static_cast<std::uint64_t>(num_parameters))); };
  const double u = rng.uniform();
  if (u < 0.1) return Param(4.0 * rng.uniform() - 2.0);
  if (u < 0.6) {
    constexpr double kScales[] = {1.0, -1.0, 0.5, 2.0, -1.5};
    return Param::parameter(pick(), kScales[rng.below(5)], rng.uniform() - 0.5);
  }
  const Expr x = Expr::parameter(pick()), y = Expr::parameter(pick());
  if (u < 0.8) return Param(2.0 * (kPi - x) * (kPi - y));
  return Param(sin(x) * cos(y) + 0.5 * x);
}

void add_parametric(Circuit& c, GateKind kind, Rng& rng, int num_parameters) {
  const int n = c.num_qubits();
  const GateInfo info = gate_info(kind);
  int nc = 0;
  if (n > info.num_qubits && rng.uniform() < 0.4)
    nc = 1 + static_cast<int>(rng.below(static_cast<std::uint64_t>(std::min(2, n - info.num_qubits))));
  const std::vector<Qubit> qs = distinct_qubits(n, info.num_qubits + nc, rng);
  std::vector<Param> params;
  for (int j = 0; j < info.num_params; ++j) params.push_back(random_param(rng, num_parameters));
  if (nc == 0) {
    c.gate(kind, std::vector<Qubit>(qs.begin(), qs.end()), params);
    return;
  }
  std::vector<bool> values;
  for (int i = 0; i < nc; ++i) values.push_back(rng.uniform() < 0.5);
  c.controlled(kind, std::vector<Qubit>(qs.begin(), qs.begin() + nc), std::vector<Qubit>(qs.begin() + nc, qs.end()),
               params, values);
}

void add_fixed(Circuit& c, Rng& rng) {
  const int n = c.num_qubits();
  const double u = rng.uniform();
  if (u < 0.2) {  // a user unitary (dense or diagonal), sometimes controlled
    const int k = 1 + static_cast<int>(rng.below(static_cast<std::uint64_t>(std::min(3, n))));
    const std::vector<Qubit> qs = distinct_qubits(n, k + (n > k && u < 0.05 ? 1 : 0), rng);
    Operation op;
    op.kind = GateKind::Unitary;
    op.qubits.assign(qs.begin(), qs.begin() + k);
    op.matrix = std::make_shared<const GateMatrix>(
        (u < 0.07 ? ref::random_diagonal_unitary(k, rng) : ref::random_unitary(k, rng)).to_gate_matrix());
    if (static_cast<int>(qs.size()) > k) {
      op.control_mask = Index{1} << qs[static_cast<std::size_t>(k)];
      op.control_values = rng.uniform() < 0.5 ? op.control_mask : 0;
    }
    c.append(std::move(op));
    return;
  }
  for (;;) {
    const GateKind kind = kFixed[rng.below(std::size(kFixed))];
    const int arity = gate_info(kind).num_qubits;
    if (arity > n) continue;
    const bool controlled = n > arity && rng.uniform() < 0.2;
    const std::vector<Qubit> qs = distinct_qubits(n, arity + (controlled ? 1 : 0), rng);
    if (controlled) {
      c.controlled(kind, {qs[0]}, std::vector<Qubit>(qs.begin() + 1, qs.end()), {}, {rng.uniform() < 0.5});
    } else {
      c.gate(kind, std::vector<Qubit>(qs.begin(), qs.end()), {});
    }
    return;
  }
}

// Every parametric kind (shuffled) `rounds` times, fixed gates between them, an uncontrolled
// global phase somewhere (folded into a gate matrix).
Circuit random_circuit(int n, int num_parameters, int rounds, std::uint64_t seed) {
  Rng rng(seed, 23);
  Circuit c(n);
  c.declare_parameters(num_parameters);
  for (Qubit q = 0; q < n; ++q) c.u(Param(3 * rng.uniform()), Param(3 * rng.uniform()), Param(3 * rng.uniform()), q);
  std::vector<GateKind> kinds(std::begin(kParametric), std::end(kParametric));
  for (int round = 0; round < rounds; ++round) {
    for (std::size_t i = kinds.size(); i > 1; --i) std::swap(kinds[i - 1], kinds[rng.below(i)]);
    for (GateKind kind : kinds) {
      if (gate_info(kind).num_qubits > n) continue;
      add_parametric(c, kind, rng, num_parameters);
      if (rng.uniform() < 0.6) add_fixed(c, rng);
    }
  }
  return c;
}

// Every differentiable angle of every record from `stop` on, sorted by record.
std::vector<SweepAngle> all_angles(const CompiledCircuit& compiled, std::size_t stop = 0) {
  std::vector<SweepAngle> out;
  const auto& ops = compiled.circuit().operations();
  for (std::size_t i = stop; i < compiled.records().size(); ++i) {
    const Record& r = compiled.records()[i];
    if (r.op < 0) continue;
    const Operation& op = ops[static_cast<std::size_t>(r.op)];
    if (op.kind == GateKind::Unitary || !op.is_unitary()) continue;
    for (std::size_t j = 0; j < op.params.size(); ++j)
      if (param_spectrum(op.kind, static_cast<int>(j)) != ParamSpectrum::Constant)
        out.push_back({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j)});
  }
  return out;
}

struct SweepResult {
  std::vector<cdouble> psi, lambda;
  std::vector<double> acc;
};

SweepResult run_sweep(const CompiledCircuit& compiled, std::span<const SweepAngle> angles, std::size_t stop,
                      const std::vector<cdouble>& psi, const std::vector<cdouble>& lambda, const Parallelism& par,
                      const AdjointSweepOptions& options) {
  SweepResult out{psi, lambda, std::vector<double>(angles.size(), -7.0)};  // acc is overwritten
  adjoint_sweep(compiled, stop, angles, reinterpret_cast<double*>(out.psi.data()),
                reinterpret_cast<double*>(out.lambda.data()), par, out.acc.data(), options);
  return out;
}

void expect_near(const SweepResult& got, const SweepResult& want, double tol) {
  ASSERT_EQ(got.acc.size(), want.acc.size());
  for (std::size_t j = 0; j < got.acc.size(); ++j) EXPECT_NEAR(got.acc[j], want.acc[j], tol) << "angle " << j;
  double worst = 0.0;
  for (std::size_t i = 0; i < got.psi.size(); ++i)
    worst = std::max({worst, std::abs(got.psi[i] - want.psi[i]), std::abs(got.lambda[i] - want.lambda[i])});
  EXPECT_LE(worst, tol) << "largest amplitude difference";
}

void expect_identical(const SweepResult& a, const SweepResult& b) {
  EXPECT_EQ(a.acc, b.acc);
  EXPECT_TRUE(a.psi == b.psi);
  EXPECT_TRUE(a.lambda == b.lambda);
}

AdjointSweepOptions blocked(int chunk, int min_run = 4, kernels::Isa isa = kernels::active_isa(), int runs = 2) {
  AdjointSweepOptions o;
  o.chunk_qubits = chunk;
  o.min_run_qubits = min_run;
  o.isa = isa;
  o.run_qubits = runs;
  return o;
}

// ---------------------------------------------------------------------------------------------

TEST(AdjointSweepTest, BlockedMatchesPerGateOnRandomCircuits) {
  // Chunks from 3 qubits (several stages, targets and controls above the chunk's low run, the
  // reference kernels below 5 qubits) to n - 1 (two chunks), with and without reserved low bits,
  // one pass per record inside the chunk or runs on up to 1 or 2 qubits fused into one pass.
  for (int n = 4; n <= 9; ++n) {
    for (std::uint64_t seed = 0; seed < 3; ++seed) {
      SCOPED_TRACE("n = " + std::to_string(n) + ", seed " + std::to_string(seed));
      const Circuit c = random_circuit(n, 6, 2, 1000 * static_cast<std::uint64_t>(n) + seed);
      CompiledCircuit compiled(c);
      Rng rng(seed, static_cast<std::uint64_t>(n));
      compiled.bind(ref::random_angles(6, rng));
      const std::vector<SweepAngle> angles = all_angles(compiled);
      const std::vector<cdouble> psi = ref::random_state(n, rng), lambda = ref::random_state(n, rng);
      const SweepResult want = run_sweep(compiled, angles, 0, psi, lambda, Parallelism{1}, AdjointSweepOptions{});
      for (int chunk = kMinSweepChunkQubits; chunk <= n; ++chunk)  // n: the whole state, runs fused
        for (int min_run : {0, 2, 4})
          for (int runs : {0, 1, 2}) {
            SCOPED_TRACE("chunk " + std::to_string(chunk) + ", min_run " + std::to_string(min_run) + ", runs " +
                         std::to_string(runs));
            expect_near(run_sweep(compiled, angles, 0, psi, lambda, Parallelism{1},
                                  blocked(chunk, min_run, kernels::active_isa(), runs)),
                        want, 1e-12);
          }
    }
  }
}

TEST(AdjointSweepTest, EveryInstructionSetMatchesThePerGateSweep) {
  for (kernels::Isa isa : {kernels::Isa::Generic, kernels::Isa::Avx2, kernels::Isa::Avx512}) {
    if (!kernels::isa_supported(isa)) continue;
    SCOPED_TRACE(std::string(kernels::isa_name(isa)));
    for (int n : {7, 10}) {
      const Circuit c = random_circuit(n, 5, 2, 77 + static_cast<std::uint64_t>(n));
      CompiledCircuit compiled(c);
      Rng rng(77, static_cast<std::uint64_t>(n));
      compiled.bind(ref::random_angles(5, rng));
      const std::vector<SweepAngle> angles = all_angles(compiled);
      const std::vector<cdouble> psi = ref::random_state(n, rng), lambda = ref::random_state(n, rng);
      const SweepResult want = run_sweep(compiled, angles, 0, psi, lambda, Parallelism{1}, AdjointSweepOptions{});
      for (int chunk : {5, 6, n - 1, n})
        for (int runs : {0, 2})
          expect_near(run_sweep(compiled, angles, 0, psi, lambda, Parallelism{1}, blocked(chunk, 4, isa, runs)), want,
                      1e-12);
      AdjointSweepOptions per_gate;
      per_gate.isa = isa;
      expect_near(run_sweep(compiled, angles, 0, psi, lambda, Parallelism{1}, per_gate), want, 1e-12);
    }
  }
}

TEST(AdjointSweepTest, PartialSweepsAndAngleSubsets) {
  // The gradient's `wrt`: only some angles, and the sweep stops at the earliest of them.
  const int n = 8;
  const Circuit c = random_circuit(n, 6, 2, 4242);
  CompiledCircuit compiled(c);
  Rng rng(4242, 1);
  compiled.bind(ref::random_angles(6, rng));
  const std::vector<cdouble> psi = ref::random_state(n, rng), lambda = ref::random_state(n, rng);
  const std::size_t records = compiled.records().size();
  for (std::size_t stop : {std::size_t{0}, records / 3, records - 2, records}) {
    std::vector<SweepAngle> angles;
    for (const SweepAngle& a : all_angles(compiled, stop))
      if ((a.record + a.param) % 3 != 1) angles.push_back(a);
    const SweepResult want = run_sweep(compiled, angles, stop, psi, lambda, Parallelism{1}, AdjointSweepOptions{});
    for (int chunk : {3, 5, 7})
      expect_near(run_sweep(compiled, angles, stop, psi, lambda, Parallelism{1}, blocked(chunk)), want, 1e-12);
  }
}

TEST(AdjointSweepTest, LayeredCircuitsWithCxChainsAndControlledRotations) {
  // Runs of a cx and the gates on its target (split into two controlled 1-qubit passes), and of
  // controlled rotations (crz, cry: not split where the control carries other gates).
  for (int n : {6, 9}) {
    Circuit c(n);
    c.declare_parameters(3 * n);
    int p = 0;
    for (int l = 0; l < 3; ++l) {
      for (int q = 0; q < n; ++q) c.ry(Param::parameter(p % (3 * n)), q), ++p;
      for (int q = 0; q < n; ++q) c.rz(Param::parameter(p % (3 * n), -0.5, 0.1), q), ++p;
      for (int q = 0; q + 1 < n; ++q) c.cx(q, q + 1);
      c.crz(Param::parameter(l), n - 1, 0).cry(Param::parameter(l + 1), 2, 3).h(1);
    }
    CompiledCircuit compiled(c);
    Rng rng(8, static_cast<std::uint64_t>(n));
    compiled.bind(ref::random_angles(static_cast<std::size_t>(3 * n), rng));
    const std::vector<SweepAngle> angles = all_angles(compiled);
    const std::vector<cdouble> psi = ref::random_state(n, rng), lambda = ref::random_state(n, rng);
    const SweepResult want = run_sweep(compiled, angles, 0, psi, lambda, Parallelism{1}, AdjointSweepOptions{});
    for (int chunk : {4, 5, n})
      for (int runs : {1, 2}) {
        SCOPED_TRACE("n = " + std::to_string(n) + ", chunk " + std::to_string(chunk) + ", runs " + std::to_string(runs));
        expect_near(run_sweep(compiled, angles, 0, psi, lambda, Parallelism{1},
                              blocked(chunk, 2, kernels::active_isa(), runs)),
                    want, 1e-12);
      }
  }
}

TEST(AdjointSweepTest, BitIdenticalOnOneAndTwoThreads) {
  // Threshold 0: every stage's chunks are split between the threads.
  for (int n : {9, 12}) {
    SCOPED_TRACE(n);
    const Circuit c = random_circuit(n, 6, 2, 500 + static_cast<std::uint64_t>(n));
    CompiledCircuit compiled(c);
    Rng rng(500, static_cast<std::uint64_t>(n));
    compiled.bind(ref::random_angles(6, rng));
    const std::vector<SweepAngle> angles = all_angles(compiled);
    const std::vector<cdouble> psi = ref::random_state(n, rng), lambda = ref::random_state(n, rng);
    for (int chunk : {4, 6, n - 2, n})
      for (int runs : {0, 1, 2}) {
        const AdjointSweepOptions o = blocked(chunk, 4, kernels::active_isa(), runs);
        const SweepResult one = run_sweep(compiled, angles, 0, psi, lambda, Parallelism{1}, o);
        const SweepResult two = run_sweep(compiled, angles, 0, psi, lambda, Parallelism{2, 0}, o);
        expect_identical(one, two);
      }
  }
}

TEST(AdjointSweepTest, StagesFollowTheCacheNotTheGates) {
  // 18 qubits, 10 layers of ry and rz on every qubit and a cx chain (530 records): a stage holds
  // many gates, so the sweep streams psi and lambda far fewer times than once per gate.
  const int n = 18, layers = 10;
  Circuit c(n);
  int p = 0;
  for (int l = 0; l < layers; ++l) {
    for (int q = 0; q < n; ++q) c.ry(Param::parameter(p++), q);
    for (int q = 0; q < n; ++q) c.rz(Param::parameter(p++), q);
    for (int q = 0; q + 1 < n; ++q) c.cx(q, q + 1);
  }
  CompiledCircuit compiled(c);
  const std::size_t records = compiled.records().size();
  EXPECT_EQ(count_sweep_stages(compiled, 0, AdjointSweepOptions{}), records);
  const std::size_t stages = count_sweep_stages(compiled, 0, blocked(default_sweep_chunk_qubits(n)));
  EXPECT_GE(stages, 2U);
  EXPECT_LE(stages * 10, records) << stages << " stages for " << records << " records";
}

// ---------------------------------------------------------------------------------------------
// The gradient on states large enough for the blocked sweep

TEST(AdjointSweepTest, GradientOnLargeStatesMatchesParameterShiftWithSelections) {
  const int n = kBlockedSweepMinQubits;
  ASSERT_GT(default_sweep_chunk_qubits(n), 0);
  const Circuit c = random_circuit(n, 5, 1, 31337);
  CompiledCircuit compiled(c);
  Rng rng(31337, 0);
  compiled.bind(ref::random_angles(5, rng));
  const Observable h = PauliSum::parse("0.5*Z0 Z15 + X3 Y9 - 0.25*Z7 + Y14");
  const SimulatorOptions one{Parallelism{1}, {}}, two{Parallelism{2, 0}, {}};
  for (const std::vector<int>& wrt : {std::vector<int>{}, std::vector<int>{3, 0}, std::vector<int>{4}}) {
    SCOPED_TRACE(::testing::PrintToString(wrt));
    const GradientResult a = AdjointGradient(compiled, wrt, one).gradient(compiled, h);
    const GradientResult s = ParameterShiftGradient(compiled, wrt, one).gradient(compiled, h);
    ASSERT_EQ(a.gradient.size(), s.gradient.size());
    EXPECT_NEAR(a.value, s.value, 1e-12);
    for (std::size_t k = 0; k < a.gradient.size(); ++k) EXPECT_NEAR(a.gradient[k], s.gradient[k], 1e-10) << k;
    const GradientResult b = AdjointGradient(compiled, wrt, two).gradient(compiled, h);
    EXPECT_EQ(a.value, b.value);
    EXPECT_EQ(a.gradient, b.gradient);
  }
}

// ---------------------------------------------------------------------------------------------
// Errors

TEST(AdjointSweepErrorsTest, BadChunkSizesAnglesAndRecords) {
  Circuit c(3);
  c.declare_parameters(1);
  c.rx(Param::parameter(0), 0).h(1).rz(Param::parameter(0), 2);
  CompiledCircuit compiled(c);
  std::vector<cdouble> psi(8), lambda(8);
  double acc[2];
  auto run = [&](std::vector<SweepAngle> angles, std::size_t stop, AdjointSweepOptions o) {
    return ref::invalid_argument_of([&] {
      adjoint_sweep(compiled, stop, angles, reinterpret_cast<double*>(psi.data()), reinterpret_cast<double*>(lambda.data()),
                    Parallelism{1}, acc, o);
    });
  };
  EXPECT_THAT(run({}, 0, AdjointSweepOptions{}), HasSubstr("not bound"));
  compiled.bind(std::vector<double>{0.3});
  EXPECT_THAT(run({}, 0, blocked(2)), HasSubstr("chunk of 2 qubits out of range [3, 16]"));
  EXPECT_THAT(run({}, 0, blocked(17)), HasSubstr("chunk of 17 qubits out of range [3, 16]"));
  EXPECT_THAT(run({}, 0, blocked(4, 4, kernels::active_isa(), 3)), HasSubstr("adjoint sweep: run qubits 3 out of range [0, 2]"));
  EXPECT_THAT(run({{2, 0}, {0, 0}}, 0, AdjointSweepOptions{}), HasSubstr("angle 1 (record 0): angles not sorted"));
  EXPECT_THAT(run({{0, 0}}, 1, AdjointSweepOptions{}), HasSubstr("angle 0 (record 0): record outside the sweep"));
  EXPECT_THAT(run({{1, 0}}, 0, AdjointSweepOptions{}), HasSubstr("not a differentiable angle of h"));
  EXPECT_THAT(run({{0, 1}}, 0, AdjointSweepOptions{}), HasSubstr("not a differentiable angle of rx"));
}

}  // namespace
}  // namespace qmlsim

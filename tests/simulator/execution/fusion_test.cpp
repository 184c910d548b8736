#include "simulator/execution/fusion.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "simulator/circuit/library.hpp"
#include "simulator/core/bits.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/rng.hpp"
#include "simulator/execution/compiled_circuit.hpp"
#include "simulator/execution/parameter_shift.hpp"
#include "simulator/observables/pauli.hpp"
#include "tests/support/dense_reference.hpp"
#include "tests/support/random_circuit.hpp"
#include "tests/support/random_gates.hpp"
#include "tests/support/random_state.hpp"

// Gate fusion: the fused program must equal the record-by-record run (1e-12 in double, 1e-5 in
// float) on every kind of gate and circuit, after every way of changing the matrices (bind,
// rebind_record), and on any thread count bit for bit; the plan must keep every qubit's order of
// gates, respect the block size and use each record once; passes() must count the fused program.
// Unfused runs (FusionOptions::off()) are themselves checked against the dense reference by
// compiled_circuit_test; small circuits here are also compared with the dense reference directly.

namespace qmlsim {
namespace {

using testing::Controls;
using testing::controls_text;
using testing::random_controls;
using testing::random_qubits;
using testing::unitary_op;

constexpr double kTolDouble = 1e-12;
constexpr double kTolFloat = 1e-5;
const Parallelism kSerial = Parallelism::serial();
const Parallelism kTwoThreads{2, 0};

template <class R>
bool bit_identical(const StateVector<R>& a, const StateVector<R>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(std::complex<R>)) == 0;
}

template <class R>
double max_diff(const StateVector<R>& a, const StateVector<R>& b) {
  double err = 0.0;
  for (Index i = 0; i < a.size(); ++i) {
    const std::complex<R> d = a[i] - b[i];
    err = std::max(err, std::abs(cdouble(static_cast<double>(d.real()), static_cast<double>(d.imag()))));
  }
  return err;
}

std::vector<FusionOptions> fused_modes(int n) {
  std::vector<FusionOptions> modes;
  for (int k = kMinFusionQubits; k <= kMaxFusionQubits; ++k) modes.push_back(FusionOptions::fixed(k));
  if (n >= kAutoFusionMinQubits) modes.push_back(FusionOptions{});
  return modes;
}

std::string mode_text(const FusionOptions& f) {
  return f.mode == FusionOptions::Mode::Auto ? "auto" : f.mode == FusionOptions::Mode::Off ? "off" : "k=" + std::to_string(f.max_qubits);
}

template <class R>
StateVector<R> run(const CompiledCircuit& cc, std::span<const cdouble> input, const Parallelism& par = kSerial) {
  StateVector<R> s = testing::make_state<R>(input, par);
  cc.apply(s, par);
  return s;
}

// Compares every fused mode with the unfused run of `c` at theta, in double and float. Returns the
// number of fused blocks seen (so callers can insist that fusion really happened).
int expect_fused_equals_unfused(const Circuit& c, std::span<const double> theta, Rng& rng, const std::string& label) {
  const int n = c.num_qubits();
  const auto input = testing::random_state(n, rng);
  CompiledCircuit off(c, FusionOptions::off());
  if (c.num_parameters() > 0) off.bind(theta);
  const StateVector<double> ref = run<double>(off, input);
  const StateVector<float> ref_f = run<float>(off, input);
  int fused_records = 0;
  for (const FusionOptions& mode : fused_modes(n)) {
    CompiledCircuit cc(c, mode);
    if (c.num_parameters() > 0) cc.bind(theta);
    fused_records += static_cast<int>(cc.records().size()) - static_cast<int>(cc.program().size()) > 0 ? 1 : 0;
    EXPECT_LE(max_diff(run<double>(cc, input), ref), kTolDouble) << label << " " << mode_text(mode);
    EXPECT_LE(max_diff(run<float>(cc, input), ref_f), kTolFloat) << label << " " << mode_text(mode) << " [float]";
  }
  return fused_records;
}




// Random gates of every unitary kind with positive and negative extra controls, controlled and
// uncontrolled gphase, user matrices (dense and diagonal), barriers, constant and parametric
// angles, and a bias towards runs of gates on few qubits (where fusion pays) and diagonal runs
// (tests/support/random_circuit.hpp). The values of its parameters are appended to theta.
Circuit random_mixed_circuit(int n, int gates, Rng& rng, std::vector<double>& theta) {
  testing::CircuitRecipe recipe;
  recipe.num_qubits = n;
  recipe.num_parameters = 0;
  recipe.gates = gates;
  recipe.all_kinds = true;
  recipe.fixed_gates = false;
  recipe.prep_layer = false;
  recipe.local_runs = true;
  testing::RandomCircuit r = testing::random_circuit(recipe, rng);
  theta = std::move(r.theta);
  return std::move(r.circuit);
}

// ---------------------------------------------------------------------------------------------
// Fused equals unfused

TEST(FusionTest, LibraryCircuitsFusedEqualUnfused) {
  Rng rng(1);
  int fused = 0;
  for (int n = 1; n <= 14; ++n) {
    const std::vector<double> theta_layers = testing::random_angles(static_cast<std::size_t>(2 * n * 3), rng);
    fused += expect_fused_equals_unfused(library::layered(n, 3), theta_layers, rng, "layered(" + std::to_string(n) + ", 3)");
    fused += expect_fused_equals_unfused(library::qft(n), {}, rng, "qft(" + std::to_string(n) + ")");
    fused += expect_fused_equals_unfused(library::ghz(n), {}, rng, "ghz(" + std::to_string(n) + ")");
    for (std::uint64_t seed = 1; seed <= 2; ++seed)
      fused += expect_fused_equals_unfused(library::random(n, 4, seed), {}, rng,
                                           "random(" + std::to_string(n) + ", 4, " + std::to_string(seed) + ")");
  }
  EXPECT_GT(fused, 100);  // most cases did fuse something
}

TEST(FusionTest, MixedCircuitsWithNegativeControlsPhasesAndUserMatricesFusedEqualUnfused) {
  Rng rng(2);
  int fused = 0;
  for (int n = 1; n <= 12; ++n)
    for (int trial = 0; trial < 4; ++trial) {
      std::vector<double> theta;
      Circuit c = random_mixed_circuit(n, 6 * n + 10, rng, theta);
      // Uncontrolled global phases (folded into one record's matrix) and a controlled one.
      c.gphase(Param(0.37));
      if (n >= 2) c.controlled(GateKind::GPhase, {static_cast<Qubit>(n - 1)}, {}, {Param(-0.8)}, {trial % 2 == 0});
      fused += expect_fused_equals_unfused(c, theta, rng, "mixed n=" + std::to_string(n) + " #" + std::to_string(trial));
    }
  EXPECT_GT(fused, 150);
}

TEST(FusionTest, FusedMatchesTheDenseReferenceOnSmallCircuits) {
  // Independent of the unfused path: the dense reference builds every gate's full matrix.
  Rng rng(3);
  for (int n = 1; n <= 6; ++n)
    for (int trial = 0; trial < 3; ++trial) {
      std::vector<double> theta;
      Circuit c = random_mixed_circuit(n, 25, rng, theta);
      c.gphase(Param(1.1));
      const auto input = testing::random_state(n, rng);
      const auto expected = testing::apply_circuit(c, theta, input);
      for (const FusionOptions& mode : fused_modes(n)) {
        CompiledCircuit cc(c, mode);
        cc.bind(theta);
        EXPECT_LE(testing::max_abs_diff<double>(run<double>(cc, input).amplitudes(), expected), kTolDouble)
            << "n=" << n << " #" << trial << " " << mode_text(mode);
        EXPECT_LE(testing::max_abs_diff<float>(run<float>(cc, input).amplitudes(), expected), kTolFloat)
            << "n=" << n << " #" << trial << " " << mode_text(mode) << " [float]";
      }
    }
}

TEST(FusionTest, OnlyGPhaseAndDiagonalRunsFoldIntoOneDiagonal) {
  Rng rng(4);
  Circuit c(4);
  c.rz(0.3, 0).cz(0, 1).p(0.2, 1).gphase(0.5).controlled(GateKind::GPhase, {1}, {}, {Param(0.9)}, {false});
  c.rzz(0.4, 0, 1).t(0);
  for (int k = kMinFusionQubits; k <= kMaxFusionQubits; ++k) {
    const CompiledCircuit cc(c, FusionOptions::fixed(k));
    ASSERT_EQ(cc.program().size(), 1U) << "k=" << k;
    EXPECT_EQ(cc.program()[0].kernel, KernelKind::Diagonal);
    EXPECT_EQ(cc.program()[0].num_targets, 2);
    EXPECT_EQ(cc.fusion_qubits(), 2);
    const auto input = testing::random_state(4, rng);
    EXPECT_LE(testing::max_abs_diff<double>(run<double>(cc, input).amplitudes(), testing::apply_circuit(c, {}, input)),
              kTolDouble);
  }
}

// ---------------------------------------------------------------------------------------------
// Changing matrices: bind, rebind_record

TEST(FusionTest, RebindingRecomputesFusedBlocksExactlyLikeAFreshCompile) {
  Rng rng(5);
  for (int n : {3, 6, 11}) {
    std::vector<double> theta;
    Circuit c = random_mixed_circuit(n, 8 * n, rng, theta);
    c.gphase(Param::parameter(0, 0.5, 0.2));  // the phase-absorbing record changes at every bind
    const auto input = testing::random_state(n, rng);
    for (const FusionOptions& mode : fused_modes(n)) {
      CompiledCircuit reused(c, mode), off(c, FusionOptions::off());
      for (int round = 0; round < 3; ++round) {
        const std::vector<double> t = testing::random_angles(theta.size(), rng);
        reused.bind(t);
        off.bind(t);
        CompiledCircuit fresh(c, mode);
        fresh.bind(t);
        // Constant blocks were computed once, parametric ones now: the same bits as a fresh compile.
        EXPECT_EQ(reused.matrices(), fresh.matrices()) << "n=" << n << " " << mode_text(mode) << " round " << round;
        EXPECT_LE(max_diff(run<double>(reused, input), run<double>(off, input)), kTolDouble);
        EXPECT_LE(max_diff(run<float>(reused, input), run<float>(off, input)), kTolFloat);
      }
    }
  }
}

TEST(FusionTest, RebindRecordRecomputesItsBlock) {
  Rng rng(6);
  for (int n : {4, 10}) {
    const Circuit c = library::layered(n, 2);
    const std::vector<double> theta = testing::random_angles(static_cast<std::size_t>(c.num_parameters()), rng);
    const auto input = testing::random_state(n, rng);
    for (const FusionOptions& mode : fused_modes(n)) {
      CompiledCircuit fused(c, mode), off(c, FusionOptions::off());
      fused.bind(theta);
      off.bind(theta);
      ASSERT_GT(fused.fusion_qubits(), 0);
      for (std::size_t i = 0; i < fused.records().size(); ++i) {
        const Record& r = fused.records()[i];
        if (r.op < 0 || c.operations()[static_cast<std::size_t>(r.op)].params.empty()) continue;
        const double angle[1] = {(rng.uniform() * 2 - 1) * kPi};
        fused.rebind_record(i, angle);
        off.rebind_record(i, angle);
        EXPECT_LE(max_diff(run<double>(fused, input), run<double>(off, input)), kTolDouble) << "record " << i;
        EXPECT_LE(max_diff(run<float>(fused, input), run<float>(off, input)), kTolFloat) << "record " << i;
      }
      // bind() restores everything.
      fused.bind(theta);
      CompiledCircuit fresh(c, mode);
      fresh.bind(theta);
      EXPECT_EQ(fused.matrices(), fresh.matrices());
    }
  }
}

TEST(FusionTest, ParameterShiftGradientOfAFusedCircuitEqualsTheUnfusedOne) {
  // The parameter-shift rule rebinds one record at a time and runs the whole (fused) circuit.
  Rng rng(7);
  const int n = 10;
  const Circuit c = library::layered(n, 2);
  const std::vector<double> theta = testing::random_angles(static_cast<std::size_t>(c.num_parameters()), rng);
  const Observable h = PauliSum::parse("0.5*Z0 Z1 - 0.3*X4 + 0.2*Y9 Z5");
  CompiledCircuit off(c, FusionOptions::off()), fused(c, FusionOptions::fixed(4));
  off.bind(theta);
  fused.bind(theta);
  ASSERT_EQ(fused.fusion_qubits(), 4);
  const GradientResult a = ParameterShiftGradient(off).gradient(off, h);
  const GradientResult b = ParameterShiftGradient(fused).gradient(fused, h);
  EXPECT_NEAR(a.value, b.value, 1e-12);
  EXPECT_THAT(b.gradient, ::testing::Pointwise(::testing::DoubleNear(1e-11), a.gradient));
}

// ---------------------------------------------------------------------------------------------
// Ranges and trajectories

TEST(FusionTest, SubRangesRunTheRecordsAndTheWholePrefixRunsTheProgram) {
  Rng rng(8);
  const int n = 8;
  const Circuit c = library::random(n, 6, 4);
  const auto input = testing::random_state(n, rng);
  const CompiledCircuit off(c, FusionOptions::off()), fused(c, FusionOptions::fixed(3));
  ASSERT_GT(fused.fusion_qubits(), 0);
  ASSERT_LT(fused.program().size(), fused.records().size());
  const StateVector<double> whole_off = run<double>(off, input), whole_fused = run<double>(fused, input);
  EXPECT_LE(max_diff(whole_off, whole_fused), kTolDouble);
  // Split ranges run record by record: the same bits as the unfused circuit.
  const std::size_t mid = fused.records().size() / 2;
  StateVector<double> parts = testing::make_state<double>(input, kSerial);
  fused.apply(parts, kSerial, {}, 0, mid);
  fused.apply(parts, kSerial, {}, mid);
  EXPECT_TRUE(bit_identical(parts, whole_off));
  // A range covering the prefix from 0 runs the fused program: the same bits as a full run.
  StateVector<double> prefix = testing::make_state<double>(input, kSerial);
  fused.apply(prefix, kSerial, {}, 0, fused.deterministic_prefix());
  EXPECT_TRUE(bit_identical(prefix, whole_fused));
}

TEST(FusionTest, OnlyTheDeterministicPrefixIsFused) {
  Rng rng(9);
  const int n = 6;
  Circuit c(n, 2);
  c.append(library::random(n, 3, 11));
  c.measure(2, 0);
  c.h(2).x(3).c_if(0, 1, 1);
  c.append(library::random(n, 2, 12));
  c.measure(0, 1);
  const CompiledCircuit off(c, FusionOptions::off()), fused(c, FusionOptions::fixed(4));
  const std::size_t prefix = fused.deterministic_prefix();
  ASSERT_LT(prefix, fused.records().size());
  ASSERT_GT(fused.fusion_qubits(), 0);
  // Everything from the first measurement on is kept record for record.
  ASSERT_EQ(fused.program().size() - fused.program_prefix(), fused.records().size() - prefix);
  for (std::size_t i = prefix; i < fused.records().size(); ++i) {
    const Record& a = fused.records()[i];
    const Record& b = fused.program()[fused.program_prefix() + i - prefix];
    EXPECT_EQ(a.kernel, b.kernel);
    EXPECT_EQ(a.op, b.op);
    EXPECT_EQ(a.matrix, b.matrix);
  }
  // Trajectories with the same seed: the same outcomes, the same final states within rounding.
  for (std::uint64_t shot = 0; shot < 8; ++shot) {
    const auto input = testing::random_state(n, rng);
    StateVector<double> s_off = testing::make_state<double>(input, kSerial), s_fused = s_off;
    Rng r_off(42, shot), r_fused(42, shot);
    std::vector<std::uint8_t> bits_off, bits_fused;
    off.apply(s_off, kSerial, Classical{&r_off, &bits_off});
    fused.apply(s_fused, kSerial, Classical{&r_fused, &bits_fused});
    EXPECT_EQ(bits_off, bits_fused);
    EXPECT_LE(max_diff(s_off, s_fused), kTolDouble);
  }
}

// ---------------------------------------------------------------------------------------------
// Threads

TEST(FusionTest, OneAndTwoThreadsGiveIdenticalBits) {
  Rng rng(10);
  const int n = 12;  // 2^12 amplitudes, threshold 0: every kernel loop splits between the two threads
  std::vector<double> theta;
  const Circuit c = random_mixed_circuit(n, 40, rng, theta);
  const auto input = testing::random_state(n, rng);
  for (const FusionOptions& mode : fused_modes(n)) {
    CompiledCircuit cc(c, mode);
    cc.bind(theta);
    ASSERT_GT(cc.fusion_qubits(), 0) << mode_text(mode);
    EXPECT_TRUE(bit_identical(run<double>(cc, input, kSerial), run<double>(cc, input, kTwoThreads))) << mode_text(mode);
    EXPECT_TRUE(bit_identical(run<float>(cc, input, kSerial), run<float>(cc, input, kTwoThreads))) << mode_text(mode);
  }
}

// ---------------------------------------------------------------------------------------------
// The plan

// Random records: every kernel kind, 1..3 targets, random controls (as lowering makes them).
std::vector<Record> random_records(int n, int count, Rng& rng) {
  std::vector<Record> out;
  for (int i = 0; i < count; ++i) {
    Record r;
    const int kind = static_cast<int>(rng.below(7));
    r.kernel = std::array{KernelKind::Matrix1, KernelKind::Matrix2, KernelKind::MatrixK, KernelKind::Diagonal,
                          KernelKind::PauliX, KernelKind::Swap, KernelKind::Phase}[static_cast<std::size_t>(kind)];
    const int k = r.kernel == KernelKind::Matrix1 || r.kernel == KernelKind::PauliX ? 1
                  : r.kernel == KernelKind::Matrix2 || r.kernel == KernelKind::Swap ? 2
                  : r.kernel == KernelKind::MatrixK                                  ? 3
                  : r.kernel == KernelKind::Phase                                    ? 0
                                                                                     : 1 + static_cast<int>(rng.below(3));
    const std::vector<Qubit> qs = random_qubits(n, std::min(n, k + 2), rng);
    r.num_targets = static_cast<std::uint8_t>(std::min(n, k));
    for (int t = 0; t < r.num_targets; ++t) r.targets[static_cast<std::size_t>(t)] = qs[static_cast<std::size_t>(t)];
    const int controls = std::min<int>(static_cast<int>(qs.size()) - r.num_targets,
                                       r.kernel == KernelKind::Phase ? 1 + static_cast<int>(rng.below(2))
                                                                     : static_cast<int>(rng.below(3)));
    for (int j = 0; j < controls; ++j) {
      r.control_mask |= bit(qs[static_cast<std::size_t>(r.num_targets + j)]);
      if (rng.uniform() < 0.5) r.control_values |= bit(qs[static_cast<std::size_t>(r.num_targets + j)]);
    }
    if (r.kernel == KernelKind::Swap && r.num_targets < 2) r.kernel = KernelKind::PauliX;
    if (r.kernel == KernelKind::Matrix2 && r.num_targets < 2) r.kernel = KernelKind::Matrix1;
    if (r.kernel == KernelKind::MatrixK && r.num_targets < 3) r.kernel = KernelKind::Diagonal;
    r.op = i;
    out.push_back(r);
  }
  return out;
}

TEST(FusionTest, PlanKeepsEveryQubitsOrderUsesEachRecordOnceAndRespectsTheBlockSize) {
  Rng rng(11);
  for (int n = 1; n <= 12; ++n)
    for (int k = 1; k <= kMaxFusionQubits; ++k)
      for (int trial = 0; trial < 4; ++trial) {
        const std::vector<Record> records = random_records(n, 60, rng);
        const FusionPlan plan = plan_fusion(records, k);
        std::vector<int> seen(records.size(), 0);
        std::vector<int> blocks_seen(plan.blocks.size(), 0);
        // Every qubit's records in program order (blocks: their members, in order) must ascend.
        std::vector<std::int64_t> last_on_qubit(static_cast<std::size_t>(n), -1);
        auto visit = [&](std::uint32_t i) {
          ++seen[i];
          for (Index m = record_qubit_mask(records[i]); m; m &= m - 1) {
            auto& last = last_on_qubit[static_cast<std::size_t>(std::countr_zero(m))];
            EXPECT_LT(last, static_cast<std::int64_t>(i)) << "qubit order broken at record " << i;
            last = i;
          }
        };
        for (const PlanEntry& e : plan.entries) {
          ASSERT_TRUE((e.record >= 0) != (e.block >= 0));
          if (e.record >= 0) {
            visit(static_cast<std::uint32_t>(e.record));
            continue;
          }
          const FusedBlock& b = plan.blocks[static_cast<std::size_t>(e.block)];
          ++blocks_seen[static_cast<std::size_t>(e.block)];
          EXPECT_LE(static_cast<int>(b.qubits.size()), k);
          EXPECT_TRUE(std::is_sorted(b.qubits.begin(), b.qubits.end()));
          EXPECT_TRUE(std::is_sorted(b.members.begin(), b.members.end()));
          EXPECT_GE(b.members.size(), 2U);
          Index mask = 0, block_mask = 0;
          double cost = 0.0;
          bool diagonal = true;
          for (std::uint32_t m : b.members) {
            mask |= record_qubit_mask(records[m]);
            cost += record_cost(records[m]);
            diagonal = diagonal && (records[m].kernel == KernelKind::Diagonal || records[m].kernel == KernelKind::Phase);
            visit(m);
          }
          for (Qubit q : b.qubits) block_mask |= bit(q);
          EXPECT_EQ(mask, block_mask);  // the block's qubits are exactly its members' qubits
          EXPECT_EQ(b.diagonal, diagonal);
          EXPECT_LT(block_cost(static_cast<int>(b.qubits.size()), b.diagonal), cost);  // it pays
        }
        for (std::size_t i = 0; i < records.size(); ++i) EXPECT_EQ(seen[i], 1) << "record " << i;
        for (int b : blocks_seen) EXPECT_EQ(b, 1);
        EXPECT_LE(plan.max_block_qubits(), k);
      }
}

TEST(FusionTest, ABlockThatDoesNotPayIsPlannedAgainWithSmallerBlocks) {
  // h(0), t(0), then c4x with its four controls above the cache-line bits (1/16 of a pass): the
  // 5-qubit block costs more than its members (2 + 1/16), but {h, t} alone fuse into one pass.
  static_assert(kFusionDenseCost[5] > 2.0 + 1.0 / 16 && kFusionDenseCost[1] < 2.0, "the counts below assume these costs");
  Circuit c(9);
  c.h(0).t(0).gate(GateKind::C4X, {5, 6, 7, 8, 0}, {});
  const CompiledCircuit cc(c, FusionOptions::fixed(5));
  ASSERT_EQ(cc.program().size(), 2U);
  EXPECT_EQ(cc.program()[0].kernel, KernelKind::Matrix1);
  EXPECT_EQ(cc.program()[0].targets[0], 0);
  EXPECT_EQ(cc.program()[1].op, 2);
  EXPECT_EQ(cc.fusion_qubits(), 1);
  Rng rng(14);
  const auto input = testing::random_state(9, rng);
  EXPECT_LE(testing::max_abs_diff<double>(run<double>(cc, input).amplitudes(), testing::apply_circuit_gather(c, {}, input)),
            kTolDouble);
}

TEST(FusionTest, PlanWithoutABlockSizeKeepsTheRecords) {
  Rng rng(12);
  const std::vector<Record> records = random_records(6, 30, rng);
  const FusionPlan plan = plan_fusion(records, 0);
  ASSERT_EQ(plan.entries.size(), records.size());
  EXPECT_TRUE(plan.blocks.empty());
  for (std::size_t i = 0; i < records.size(); ++i) EXPECT_EQ(plan.entries[i].record, static_cast<std::int32_t>(i));
}

TEST(FusionTest, CompiledProgramFollowsThePlan) {
  Rng rng(13);
  for (int n : {5, 11}) {
    std::vector<double> theta;
    const Circuit c = random_mixed_circuit(n, 80, rng, theta);
    for (const FusionOptions& mode : fused_modes(n)) {
      const CompiledCircuit cc(c, mode);
      const int k = resolve_fusion_qubits(mode, n);
      const FusionPlan plan = plan_fusion(std::span<const Record>(cc.records().data(), cc.deterministic_prefix()), k);
      ASSERT_EQ(cc.program_prefix(), plan.entries.size());
      EXPECT_EQ(cc.fusion_qubits(), plan.max_block_qubits());
      for (std::size_t e = 0; e < plan.entries.size(); ++e) {
        const Record& p = cc.program()[e];
        if (plan.entries[e].record >= 0) {
          EXPECT_EQ(p.op, cc.records()[static_cast<std::size_t>(plan.entries[e].record)].op);
          continue;
        }
        const FusedBlock& b = plan.blocks[static_cast<std::size_t>(plan.entries[e].block)];
        EXPECT_EQ(p.op, -1);
        EXPECT_EQ(p.control_mask, 0U);  // fused blocks are uncontrolled: controls are block qubits
        ASSERT_EQ(p.num_targets, b.qubits.size());
        EXPECT_TRUE(std::equal(b.qubits.begin(), b.qubits.end(), p.targets.begin()));
        EXPECT_EQ(p.kernel, b.diagonal ? KernelKind::Diagonal
                            : b.qubits.size() == 1 ? KernelKind::Matrix1
                            : b.qubits.size() == 2 ? KernelKind::Matrix2
                                                   : KernelKind::MatrixK);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Options, sizes and passes

TEST(FusionTest, OffAndSmallAutoRunTheRecords) {
  const Circuit c = library::layered(6, 3);
  for (const FusionOptions& mode : {FusionOptions::off(), FusionOptions{}}) {
    const CompiledCircuit cc(c, mode);
    EXPECT_EQ(cc.fusion_qubits(), 0);
    ASSERT_EQ(cc.program().size(), cc.records().size());
    EXPECT_EQ(cc.program_prefix(), cc.deterministic_prefix());
    for (std::size_t i = 0; i < cc.records().size(); ++i) {
      EXPECT_EQ(cc.program()[i].op, cc.records()[i].op);
      EXPECT_EQ(cc.program()[i].matrix, cc.records()[i].matrix);
    }
  }
  EXPECT_EQ(resolve_fusion_qubits(FusionOptions{}, kAutoFusionMinQubits - 1), 0);
  EXPECT_EQ(resolve_fusion_qubits(FusionOptions{}, kAutoFusionMinQubits), kAutoFusionQubits);
  EXPECT_EQ(resolve_fusion_qubits(FusionOptions::off(), 20), 0);
  EXPECT_EQ(resolve_fusion_qubits(FusionOptions::fixed(5), 3), 3);  // a block cannot exceed the state
  EXPECT_EQ(resolve_fusion_qubits(FusionOptions::fixed(2), 20), 2);
}

TEST(FusionTest, AutoFusesLargeLayeredCircuits) {
  const CompiledCircuit cc(library::layered(kAutoFusionMinQubits, 2));
  EXPECT_EQ(cc.fusion_qubits(), kAutoFusionQubits);
  EXPECT_LT(cc.program().size(), cc.records().size());
}

TEST(FusionTest, FixedSizeOutOfRangeThrows) {
  const Circuit c = library::ghz(4);
  for (int k : {-1, 0, 1, 6, 7}) {
    try {
      const CompiledCircuit cc(c, FusionOptions::fixed(k));
      ADD_FAILURE() << "no exception for k = " << k;
    } catch (const InvalidArgument& e) {
      EXPECT_EQ(std::string(e.what()), "fusion block size " + std::to_string(k) + " out of range [2, 5]");
    }
  }
}

TEST(FusionTest, PassesOfGhzCountedByHand) {
  // ghz(12): h(0), cx(0,1), ..., cx(10,11). In double, a 64-byte line holds 4 amplitudes (index
  // bits 0-1): a cx whose control is qubit 0 or 1 touches every line (1 pass), one whose control is
  // qubit 2 or above touches half of them (0.5).
  static_assert(kFusionDenseCost[2] < 2.0 && kFusionDenseCost[3] >= 1.0 && kFusionDenseCost[3] < 3.0,
                "the hand counts below assume these costs");
  const Circuit c = library::ghz(12);
  // Off: h (1) + cx(0,1) (1) + cx(1,2) (1) + 9 cx with control >= 2 (0.5 each).
  EXPECT_DOUBLE_EQ(CompiledCircuit(c, FusionOptions::off()).passes(16), 3 + 0.5 * 9);
  // k = 2: {h, cx(0,1)} fuse into one 2-qubit pass; cx(1,2) cannot join it (3 qubits) and is alone.
  const CompiledCircuit k2(c, FusionOptions::fixed(2));
  EXPECT_EQ(k2.program().size(), 11U);
  EXPECT_DOUBLE_EQ(k2.passes(16), 1 + 1 + 0.5 * 9);
  // k = 3: {h, cx(0,1), cx(1,2)} fuse (cost 1.1 < 3); then pairs cx(q,q+1), cx(q+1,q+2) on three
  // qubits cost 0.5 + 0.5 = 1 unfused, not more than a 3-qubit block: they stay.
  const CompiledCircuit k3(c, FusionOptions::fixed(3));
  EXPECT_EQ(k3.program().size(), 10U);
  EXPECT_EQ(k3.fusion_qubits(), 3);
  EXPECT_DOUBLE_EQ(k3.passes(16), 1 + 0.5 * 9);
  // In float a line holds 8 amplitudes (bits 0-2): unfused cx(2,3) now counts 1 too.
  EXPECT_DOUBLE_EQ(k3.passes(8), 1 + 1 + 0.5 * 8);
}

}  // namespace
}  // namespace qmlsim

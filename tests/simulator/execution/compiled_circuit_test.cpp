#include "simulator/execution/compiled_circuit.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "simulator/circuit/library.hpp"
#include "simulator/core/bits.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/rng.hpp"
#include "tests/support/dense_reference.hpp"
#include "tests/support/random_circuit.hpp"
#include "tests/support/random_gates.hpp"
#include "tests/support/random_state.hpp"

// Every lowering path (PauliX, Swap, Diagonal, Matrix1/2/K, Phase) against the dense reference
// simulator, which builds each operation's full matrix by bit extraction from independently
// written gate matrices (or, on 10 qubits, by gathering rows of the same matrices). Each case
// runs in double (1e-12) and float (1e-5); selected cases (every gate kind on 10 qubits, where the
// loops really split) also on two threads with the parallel threshold at 0, which must agree bit
// for bit with the serial run.

namespace qmlsim {
namespace {

using testing::Controls;
using testing::controls_text;
using testing::random_controls;
using testing::random_qubits;
using testing::unitary_op;

using testing::DenseMatrix;
using ::testing::HasSubstr;

constexpr double kTolDouble = 1e-12;
constexpr double kTolFloat = 1e-5;
constexpr int kMaxN = 6;

const Parallelism kSerial = Parallelism::serial();
const Parallelism kTwoThreads{2, 0};

template <class R>
bool bit_identical(const StateVector<R>& a, const StateVector<R>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(std::complex<R>)) == 0;
}

std::string qubits_text(const std::vector<Qubit>& qs) {
  std::string s = "(";
  for (std::size_t i = 0; i < qs.size(); ++i) {
    if (i) s += ',';
    s += std::to_string(qs[i]);
  }
  return s + ")";
}

// How the reference result is computed: full 2^n x 2^n matrices (n <= 6) or by gathering.
enum class Reference { Dense, Gather };

// Collects mismatches over many cases and reports the first few, so a broken kernel gives a
// readable failure rather than thousands of lines. Every case runs serially in double and float
// against the reference; with `threaded`, also on two threads with threshold 0, which must give
// the same bits as the serial run.
//
// Threaded runs are kept few: on a shared 2-core machine one parallel region can cost
// milliseconds (libgomp's spinning workers compete with other processes), and on <= 6 qubits a
// kernel loop has at most 64 items, a single kBlock, so one thread would get all the work anyway.
// The split itself is exercised on 10 qubits, once per gate kind.
class Checker {
 public:
  void check(const Circuit& c, std::span<const double> theta, std::span<const cdouble> input, const std::string& label,
             bool threaded = false, Reference reference = Reference::Dense) {
    ++cases_;
    const std::vector<cdouble> expected = reference == Reference::Dense ? testing::apply_circuit(c, theta, input)
                                                                        : testing::apply_circuit_gather(c, theta, input);
    CompiledCircuit cc(c);
    if (c.num_parameters() > 0) cc.bind(theta);
    run<double>(cc, input, expected, kTolDouble, label, threaded);
    run<float>(cc, input, expected, kTolFloat, label, threaded);
  }

  template <class R>
  void run(const CompiledCircuit& cc, std::span<const cdouble> input, const std::vector<cdouble>& expected, double tol,
           const std::string& label, bool threaded) {
    const char* type = sizeof(R) == 8 ? "double" : "float";
    StateVector<R>& serial = scratch<R>(cc.num_qubits(), 0, input);
    cc.apply(serial, kSerial);
    const double err = testing::max_abs_diff<R>(serial.amplitudes(), expected);
    if (!(err <= tol)) fail(label + " [" + type + "]: max |error| = " + std::to_string(err));
    if (threaded) {
      ++threaded_;
      StateVector<R>& two = scratch<R>(cc.num_qubits(), 1, input);
      cc.apply(two, kTwoThreads);
      if (!bit_identical(serial, two)) fail(label + " [" + type + "]: serial and 2-thread results differ");
    }
  }

  // A reused state (slot 0 or 1) on n qubits holding `input`: constructing a StateVector asks the
  // memory guard (several /proc and cgroup reads), which would dominate thousands of tiny cases.
  template <class R>
  StateVector<R>& scratch(int n, int slot, std::span<const cdouble> input) {
    auto& pool = std::get<std::vector<std::unique_ptr<StateVector<R>>>>(pools_);
    const auto index = static_cast<std::size_t>(2 * n + slot);
    if (pool.size() <= index) pool.resize(index + 1);
    if (!pool[index]) pool[index] = std::make_unique<StateVector<R>>(n, kSerial);
    StateVector<R>& s = *pool[index];
    auto amps = s.amplitudes();
    for (std::size_t i = 0; i < amps.size(); ++i)
      amps[i] = std::complex<R>(static_cast<R>(input[i].real()), static_cast<R>(input[i].imag()));
    return s;
  }

  void fail(const std::string& message) {
    if (failures_++ < 25) messages_ << message << "\n";
  }

  void expect_clean() const {
    EXPECT_EQ(failures_, 0) << failures_ << " of " << cases_ << " cases failed; first:\n" << messages_.str();
    EXPECT_GT(cases_, 0);
  }
  [[nodiscard]] int cases() const noexcept { return cases_; }
  [[nodiscard]] int threaded_runs() const noexcept { return threaded_; }

 private:
  std::tuple<std::vector<std::unique_ptr<StateVector<double>>>, std::vector<std::unique_ptr<StateVector<float>>>> pools_;
  int cases_ = 0;
  int threaded_ = 0;
  int failures_ = 0;
  std::ostringstream messages_;
};

// Every ordered choice of k distinct qubits of n (all of them when there are at most `cap`; else
// `cap` of them at random, always including the ascending and descending ones).
std::vector<std::vector<Qubit>> arrangements(int n, int k, Rng& rng, std::size_t cap) {
  std::vector<std::vector<Qubit>> all;
  std::vector<Qubit> cur;
  std::vector<bool> used(static_cast<std::size_t>(n), false);
  const auto rec = [&](auto&& self) -> void {
    if (static_cast<int>(cur.size()) == k) {
      all.push_back(cur);
      return;
    }
    for (Qubit q = 0; q < n; ++q) {
      if (used[static_cast<std::size_t>(q)]) continue;
      used[static_cast<std::size_t>(q)] = true;
      cur.push_back(q);
      self(self);
      cur.pop_back();
      used[static_cast<std::size_t>(q)] = false;
    }
  };
  rec(rec);
  if (all.size() <= cap) return all;
  std::vector<std::vector<Qubit>> picked = {all.front(), all.back()};
  for (std::size_t i = 1; i + 1 < all.size(); ++i)  // partial Fisher-Yates over the middle
    std::swap(all[i], all[i + rng.below(all.size() - 1 - i)]);
  for (std::size_t i = 1; picked.size() < cap; ++i) picked.push_back(all[i]);
  return picked;
}


// Parameters for a gate (constants, affine in theta, or expressions) come from
// testing::random_params, circuits from testing::random_circuit (tests/support/random_circuit.hpp).
using testing::random_params;

bool is_unitary_gate_kind(GateKind k) {
  return k != GateKind::Measure && k != GateKind::Reset && k != GateKind::Barrier && k != GateKind::Unitary;
}


// ---------------------------------------------------------------------------------------------

TEST(CompiledCircuitTest, EveryGateKindOnEveryQubitArrangementMatchesDenseReference) {
  Rng rng(2024);
  Checker checker;
  for (GateKind kind : all_gate_kinds()) {
    if (!is_unitary_gate_kind(kind)) continue;
    const GateInfo info = gate_info(kind);
    const int k = info.num_qubits;
    for (int n = std::max(k, 1); n <= kMaxN; ++n) {
      const std::size_t cap = k >= 4 ? 60 : 120;
      // Serial only: on <= 6 qubits a 2-thread run gives every block to one thread; the split
      // is tested on 10 qubits, for every kind, in the next test.
      for (const auto& qubits : arrangements(n, k, rng, cap)) {
        // Plain, then with 1..3 extra controls where qubits are free (GPhase: several draws).
        const int variants = k == 0 ? 4 : 2;
        for (int v = 0; v < variants; ++v) {
          const int free = n - k;
          if (v > 0 && free == 0) continue;
          const int want = v == 0 ? 0 : 1 + static_cast<int>(rng.below(static_cast<std::uint64_t>(std::min(free, 3))));
          const Controls ctrl = random_controls(n, qubits, want, rng, 0.6);
          std::vector<double> theta;
          const std::vector<Param> params = random_params(info.num_params, rng, theta);
          Circuit c(n);
          if (ctrl.qubits.empty())
            c.gate(kind, qubits, params);
          else
            c.controlled(kind, ctrl.qubits, qubits, params, ctrl.values);
          const auto input = testing::random_state(n, rng);
          checker.check(c, theta, input,
                        std::string(info.name) + qubits_text(qubits) + controls_text(ctrl) + " on " + std::to_string(n) + " qubits");
        }
      }
    }
  }
  checker.expect_clean();
  EXPECT_GT(checker.cases(), 5000);
}

TEST(CompiledCircuitTest, EveryGateKindOnTenQubitsSplitsAcrossTwoThreadsBitIdentically) {
  // 2^10 amplitudes: the kernels' loops have enough blocks of kBlock for both threads to work.
  constexpr int n = 10;
  Rng rng(2025);
  Checker checker;
  for (GateKind kind : all_gate_kinds()) {
    if (!is_unitary_gate_kind(kind)) continue;
    const GateInfo info = gate_info(kind);
    const int k = info.num_qubits;
    // Alternately the highest qubits (plain) and a random spread with 1-2 extra controls.
    const bool spread = static_cast<int>(kind) % 2 == 1;
    std::vector<Qubit> qubits;
    for (int j = 0; j < k; ++j) qubits.push_back(n - 1 - j);
    if (spread) qubits = random_qubits(n, k, rng);
    const Controls ctrl = random_controls(n, qubits, spread ? 1 + static_cast<int>(rng.below(2)) : 0, rng, 0.6);
    std::vector<double> theta;
    const std::vector<Param> params = random_params(info.num_params, rng, theta);
    Circuit c(n);
    c.controlled(kind, ctrl.qubits, qubits, params, ctrl.values);
    checker.check(c, theta, testing::random_state(n, rng),
                  std::string(info.name) + qubits_text(qubits) + controls_text(ctrl) + " on 10 qubits", true, Reference::Gather);
  }
  for (int k = 1; k <= kMaxUnitaryQubits; ++k)
    for (bool diagonal : {false, true}) {
      const auto qubits = random_qubits(n, k, rng);
      const Controls ctrl = random_controls(n, qubits, static_cast<int>(rng.below(2)), rng, 0.6);
      Circuit c(n);
      c.append(unitary_op(diagonal ? testing::random_diagonal_unitary(k, rng) : testing::random_unitary(k, rng), qubits, ctrl));
      checker.check(c, {}, testing::random_state(n, rng), "unitary" + qubits_text(qubits) + controls_text(ctrl) + " on 10 qubits",
                    true, Reference::Gather);
    }
  checker.expect_clean();
  EXPECT_EQ(checker.threaded_runs(), 2 * checker.cases());
}

TEST(CompiledCircuitTest, UserUnitariesMatchDenseReference) {
  Rng rng(77);
  Checker checker;
  for (int k = 1; k <= kMaxUnitaryQubits; ++k) {
    for (int n = k; n <= kMaxN; ++n) {
      const std::size_t cap = k <= 2 ? 40 : k == 3 ? 24 : 6;
      for (const auto& qubits : arrangements(n, k, rng, cap)) {
        for (bool diagonal : {false, true}) {
          for (int v = 0; v < 2; ++v) {
            if (v == 1 && n == k) continue;
            const Controls ctrl = random_controls(n, qubits, v == 0 ? 0 : 1 + static_cast<int>(rng.below(2)), rng, 0.6);
            const DenseMatrix m = diagonal ? testing::random_diagonal_unitary(k, rng) : testing::random_unitary(k, rng);
            Circuit c(n);
            c.append(unitary_op(m, qubits, ctrl));
            const auto input = testing::random_state(n, rng);
            checker.check(c, {}, input,
                          std::string(diagonal ? "diagonal " : "") + "unitary" + qubits_text(qubits) + controls_text(ctrl) +
                              " on " + std::to_string(n) + " qubits");
          }
        }
      }
    }
  }
  checker.expect_clean();
}

TEST(CompiledCircuitTest, LoweringChoosesTheDocumentedKernels) {
  Rng rng(5);
  Circuit c(5);
  c.x(0).cx(1, 2).ccx(3, 0, 1).gate(GateKind::C4X, {4, 0, 1, 2, 3}, {});
  c.swap(0, 3).cswap(2, 1, 0);
  c.z(1).rz(0.3, 2).cz(0, 1).cp(0.2, 1, 3).rzz(0.4, 0, 2).gate(GateKind::CCZ, {0, 1, 2}, {});
  c.h(0).crx(0.1, 0, 1).rxx(0.5, 2, 3).gate(GateKind::RC3X, {0, 1, 2, 3}, {});
  c.id(0).gate(GateKind::U0, {1}, {0.5}).barrier();
  c.unitary(testing::random_diagonal_unitary(2, rng).to_gate_matrix(), {3, 1});
  c.unitary(testing::random_unitary(3, rng).to_gate_matrix(), {3, 1, 2});
  const CompiledCircuit cc(c);
  std::vector<KernelKind> kinds;
  for (const Record& r : cc.records()) kinds.push_back(r.kernel);
  using K = KernelKind;
  // x cx ccx c4x -> X; swap cswap -> Swap; z rz cz cp rzz ccz -> Diagonal; h crx rxx rc3x -> dense;
  // id, u0, barrier vanish; diagonal user matrix -> Diagonal; 3-qubit user matrix -> MatrixK.
  EXPECT_EQ(kinds, (std::vector<K>{K::PauliX, K::PauliX, K::PauliX, K::PauliX, K::Swap, K::Swap, K::Diagonal,
                                   K::Diagonal, K::Diagonal, K::Diagonal, K::Diagonal, K::Diagonal, K::Matrix1,
                                   K::Matrix1, K::Matrix2, K::MatrixK, K::Diagonal, K::MatrixK}));
  // Built-in controls become the record's (mask, value).
  const Record& ccx = cc.records()[2];
  EXPECT_EQ(ccx.control_mask, bit(3) | bit(0));
  EXPECT_EQ(ccx.control_values, bit(3) | bit(0));
  EXPECT_EQ(ccx.targets[0], 1);
  const auto input = testing::random_state(5, rng);
  Checker checker;
  checker.check(c, {}, input, "mixed circuit");
  checker.expect_clean();
}

// ---------------------------------------------------------------------------------------------
// Global phase

TEST(CompiledCircuitTest, UncontrolledGPhaseAloneIsOnePhasePass) {
  Rng rng(31);
  for (int n = 1; n <= 4; ++n) {
    Circuit c(n);
    c.gphase(0.7).gphase(-0.2);
    const CompiledCircuit cc(c);
    ASSERT_EQ(cc.records().size(), 1U);
    EXPECT_EQ(cc.records()[0].kernel, KernelKind::Phase);
    EXPECT_EQ(cc.records()[0].control_mask, 0U);
    const auto input = testing::random_state(n, rng);
    StateVector<double> s = testing::make_state<double>(input, kSerial);
    cc.apply(s);
    const cdouble phase = std::polar(1.0, 0.5);
    for (Index i = 0; i < s.size(); ++i) EXPECT_LE(std::abs(s[i] - phase * input[i]), kTolDouble);
    Checker checker;
    checker.check(c, {}, input, "gphase alone");
    checker.expect_clean();
  }
}

TEST(CompiledCircuitTest, GPhaseIsFoldedIntoTheFirstUncontrolledMatrixGate) {
  Rng rng(32);
  Circuit c(3);
  // cx has no matrix and crx is controlled: neither can absorb the phase; h can.
  c.gphase(0.4).cx(0, 1).crx(0.3, 2, 0).h(1).gphase(1.1).rz(0.2, 2).gphase(-0.25);
  const CompiledCircuit cc(c);
  for (const Record& r : cc.records()) EXPECT_NE(r.kernel, KernelKind::Phase);
  EXPECT_EQ(cc.records().size(), 4U);
  Checker checker;
  for (int trial = 0; trial < 5; ++trial) checker.check(c, {}, testing::random_state(3, rng), "folded gphase");
  // Folded into a diagonal gate and into a user matrix.
  Circuit d(2);
  d.cz(0, 1).gphase(0.9).rz(0.3, 1).h(0);
  Circuit u(2);
  u.gphase(-0.6).unitary(testing::random_unitary(2, rng).to_gate_matrix(), {1, 0}).gphase(0.1);
  Circuit ud(2);
  ud.unitary(testing::random_diagonal_unitary(1, rng).to_gate_matrix(), {1}).gphase(0.8);
  for (const Circuit* x : {&d, &u, &ud}) {
    const CompiledCircuit cx(*x);
    for (const Record& r : cx.records()) EXPECT_NE(r.kernel, KernelKind::Phase);
    checker.check(*x, {}, testing::random_state(2, rng), "folded gphase");
  }
  checker.expect_clean();
}

TEST(CompiledCircuitTest, GPhaseWithoutAnAbsorbingGateGetsAnEndPass) {
  Rng rng(33);
  Circuit c(3);
  c.x(0).gphase(0.3).swap(0, 2).cx(2, 1).crz(0.5, 1, 0).ccx(0, 1, 2).gphase(0.2);
  const CompiledCircuit cc(c);
  ASSERT_FALSE(cc.records().empty());
  EXPECT_EQ(cc.records().back().kernel, KernelKind::Phase);
  EXPECT_EQ(std::count_if(cc.records().begin(), cc.records().end(), [](const Record& r) { return r.kernel == KernelKind::Phase; }), 1);
  Checker checker;
  for (int trial = 0; trial < 5; ++trial) checker.check(c, {}, testing::random_state(3, rng), "gphase end pass");
  checker.expect_clean();
}

TEST(CompiledCircuitTest, ControlledGPhaseIsAPhaseOnTheControlledSubspace) {
  Rng rng(34);
  Checker checker;
  for (int n = 1; n <= 5; ++n) {
    for (int trial = 0; trial < 6; ++trial) {
      const Controls ctrl = random_controls(n, {}, 1 + static_cast<int>(rng.below(static_cast<std::uint64_t>(std::min(n, 3)))), rng, 0.6);
      Circuit c(n);
      const double angle = (rng.uniform() * 2 - 1) * kPi;
      c.controlled(GateKind::GPhase, ctrl.qubits, {}, {angle}, ctrl.values);
      c.h(0).gphase(0.3);  // an uncontrolled phase folds into h; the controlled one stays a pass
      const CompiledCircuit cc(c);
      ASSERT_EQ(cc.records()[0].kernel, KernelKind::Phase);
      EXPECT_NE(cc.records()[0].control_mask, 0U);
      const auto input = testing::random_state(n, rng);
      // The phase multiplies exactly the amplitudes whose control bits match.
      Circuit only(n);
      only.append(c.operations()[0]);
      StateVector<double> s = testing::make_state<double>(input, kSerial);
      CompiledCircuit(only).apply(s);
      const Index mask = cc.records()[0].control_mask, value = cc.records()[0].control_values;
      for (Index i = 0; i < s.size(); ++i) {
        const cdouble expected = (i & mask) == value ? std::polar(1.0, angle) * input[i] : input[i];
        EXPECT_LE(std::abs(s[i] - expected), kTolDouble);
      }
      checker.check(c, {}, input, "controlled gphase" + controls_text(ctrl));
    }
  }
  checker.expect_clean();
}

// ---------------------------------------------------------------------------------------------
// Binding

Circuit parametric_circuit(Rng& rng, bool phase_on_unitary) {
  Circuit c(4);
  const Expr x0 = Expr::parameter(0), x1 = Expr::parameter(1);
  c.gphase(Param::parameter(2, 0.5, 0.1));
  if (phase_on_unitary) c.unitary(testing::random_unitary(1, rng).to_gate_matrix(), {2});
  c.h(0).rx(Param::parameter(0), 1).cx(1, 2).rzz(Param(2.0 * (kPi - x0) * (kPi - x1)), 0, 3);
  c.gphase(0.7).controlled(GateKind::RY, {3}, {0}, {Param::parameter(1, -1.0)}, {false});
  c.gate(GateKind::CU, {2, 3}, {Param::parameter(0), 0.3, Param::parameter(2), Param::parameter(1)});
  c.controlled(GateKind::GPhase, {1}, {}, {Param::parameter(2)});
  return c;
}

TEST(CompiledCircuitTest, RebindingEqualsAFreshCompile) {
  Rng rng(41);
  for (bool phase_on_unitary : {false, true}) {
    const Circuit c = parametric_circuit(rng, phase_on_unitary);
    ASSERT_EQ(c.num_parameters(), 3);
    const auto input = testing::random_state(4, rng);
    CompiledCircuit reused(c);
    EXPECT_FALSE(reused.is_bound());
    for (int round = 0; round < 4; ++round) {
      const std::vector<double> theta = testing::random_angles(3, rng);
      reused.bind(theta);
      reused.bind(theta);  // binding the same values twice changes nothing
      EXPECT_TRUE(reused.is_bound());
      CompiledCircuit fresh(c);
      fresh.bind(theta);
      StateVector<double> a = testing::make_state<double>(input, kSerial), b = a;
      reused.apply(a);
      fresh.apply(b);
      EXPECT_TRUE(bit_identical(a, b)) << "round " << round;
      EXPECT_EQ(reused.matrices(), fresh.matrices());
      const auto expected = testing::apply_circuit(c, theta, input);
      EXPECT_LE(testing::max_abs_diff<double>(a.amplitudes(), expected), kTolDouble) << "round " << round;
    }
  }
}

TEST(CompiledCircuitTest, RebindingAConstantCircuitDoesNotCompoundItsPhase) {
  Rng rng(42);
  Circuit c(2);
  c.h(0).gphase(0.9).cx(0, 1);
  const auto input = testing::random_state(2, rng);
  const auto expected = testing::apply_circuit(c, {}, input);
  CompiledCircuit cc(c);  // bound at construction (no parameters)
  EXPECT_TRUE(cc.is_bound());
  for (int round = 0; round < 3; ++round) {
    cc.bind({});
    StateVector<double> s = testing::make_state<double>(input, kSerial);
    cc.apply(s);
    EXPECT_LE(testing::max_abs_diff<double>(s.amplitudes(), expected), kTolDouble) << "round " << round;
  }
}

TEST(CompiledCircuitTest, ApplyingRecordRangesComposes) {
  Rng rng(43);
  const Circuit c = library::random(5, 6, 99);
  const CompiledCircuit cc(c);
  const auto input = testing::random_state(5, rng);
  StateVector<double> whole = testing::make_state<double>(input, kSerial), parts = whole;
  cc.apply(whole);
  const std::size_t mid = cc.records().size() / 2;
  cc.apply(parts, {}, {}, 0, mid);
  cc.apply(parts, {}, {}, mid);
  EXPECT_TRUE(bit_identical(whole, parts));
}

// ---------------------------------------------------------------------------------------------
// Whole circuits

// A random circuit over every unitary kind (user matrices and barriers included), with random
// extra controls and constant, affine and expression parameters, each angle with its own
// parameters (their values appended to theta).
Circuit random_mixed_circuit(int n, int gates, Rng& rng, std::vector<double>& theta) {
  testing::CircuitRecipe recipe;
  recipe.num_qubits = n;
  recipe.num_parameters = 0;
  recipe.gates = gates;
  recipe.all_kinds = true;
  recipe.fixed_gates = false;
  recipe.prep_layer = false;
  testing::RandomCircuit r = testing::random_circuit(recipe, rng);
  theta = std::move(r.theta);
  return std::move(r.circuit);
}

TEST(CompiledCircuitTest, RandomMixedCircuitsMatchDenseReference) {
  Rng rng(51);
  Checker checker;
  for (int n = 1; n <= kMaxN; ++n)
    for (int trial = 0; trial < 12; ++trial) {
      std::vector<double> theta;
      const Circuit c = random_mixed_circuit(n, 25, rng, theta);
      checker.check(c, theta, testing::random_state(n, rng), "random mixed circuit n=" + std::to_string(n) + " #" + std::to_string(trial));
    }
  checker.expect_clean();
}

TEST(CompiledCircuitTest, ReferenceMethodsAgree) {
  // The reference's two ways of applying a circuit (full matrices, gathering) and the circuit's
  // full matrix agree, so the 10-qubit checks stand on the same ground as the dense ones.
  Rng rng(53);
  for (int n = 1; n <= 5; ++n) {
    std::vector<double> theta;
    const Circuit c = random_mixed_circuit(n, 20, rng, theta);
    const auto input = testing::random_state(n, rng);
    const auto dense = testing::apply_circuit(c, theta, input);
    EXPECT_LE(testing::max_abs_diff<double>(testing::apply_circuit_gather(c, theta, input), dense), 1e-13);
    EXPECT_LE(testing::max_abs_diff<double>(testing::circuit_matrix(c, theta).apply(input), dense), 1e-13);
    EXPECT_LE(testing::circuit_matrix(c, theta).unitarity_error(), 1e-12);
  }
}

TEST(CompiledCircuitTest, LibraryRandomCircuitsMatchDenseReference) {
  Rng rng(52);
  Checker checker;
  for (int n = 1; n <= kMaxN; ++n)
    for (std::uint64_t seed = 1; seed <= 6; ++seed)
      checker.check(library::random(n, 8, seed), {}, testing::random_state(n, rng),
                    "library::random(" + std::to_string(n) + ", 8, " + std::to_string(seed) + ")");
  checker.expect_clean();
}

TEST(CompiledCircuitTest, InverseAfterCircuitReturnsTheStartState) {
  Rng rng(61);
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    const Circuit c = library::random(6, 10, seed);
    Circuit round_trip = c;
    round_trip.append(c.inverse());
    const CompiledCircuit cc(round_trip);
    const auto input = testing::random_state(6, rng);
    StateVector<double> s = testing::make_state<double>(input, kSerial);
    cc.apply(s);
    EXPECT_LE(testing::max_abs_diff<double>(s.amplitudes(), input), kTolDouble) << "seed " << seed;
    StateVector<float> f = testing::make_state<float>(input, kSerial);
    cc.apply(f);
    EXPECT_LE(testing::max_abs_diff<float>(f.amplitudes(), input), kTolFloat) << "seed " << seed;
    // And the inverse's dense matrix is the adjoint of the circuit's.
    if (seed <= 3) {
      EXPECT_LE(testing::circuit_matrix(c.inverse()).max_abs_diff(testing::circuit_matrix(c).adjoint()), 1e-11);
    }
  }
  // With parameters and controls, too.
  for (int trial = 0; trial < 5; ++trial) {
    std::vector<double> theta;
    const Circuit c = random_mixed_circuit(5, 30, rng, theta);
    Circuit round_trip = c;
    round_trip.append(c.inverse());
    CompiledCircuit cc(round_trip);
    cc.bind(theta);
    const auto input = testing::random_state(5, rng);
    StateVector<double> s = testing::make_state<double>(input, kSerial);
    cc.apply(s);
    EXPECT_LE(testing::max_abs_diff<double>(s.amplitudes(), input), kTolDouble) << "trial " << trial;
  }
}

TEST(CompiledCircuitTest, NormStaysOneAfterTenThousandRandomGates) {
  const Circuit c = library::random(8, 1250, 7);
  ASSERT_EQ(c.size(), 10000U);
  Rng rng(71);
  const auto input = testing::random_state(8, rng);
  const CompiledCircuit cc(c);
  StateVector<double> s = testing::make_state<double>(input, kSerial);
  cc.apply(s);
  EXPECT_NEAR(s.norm(), 1.0, 1e-12);
}

// ---------------------------------------------------------------------------------------------
// Errors

template <class F>
void expect_invalid_argument(F&& f, const std::string& message) {
  try {
    f();
    ADD_FAILURE() << "no exception; expected: " << message;
  } catch (const InvalidArgument& e) {
    EXPECT_EQ(std::string(e.what()), message);
  }
}

TEST(CompiledCircuitTest, ApplyBeforeBindThrows) {
  Circuit c(2);
  c.rx(Param::parameter(0), 0).ry(Param::parameter(1), 1);
  const CompiledCircuit cc(c);
  EXPECT_FALSE(cc.is_bound());
  StateVector<double> s(2);
  StateVector<float> f(2);
  expect_invalid_argument([&] { cc.apply(s); }, "circuit has 2 unbound parameters; bind values before running");
  expect_invalid_argument([&] { cc.apply(f); }, "circuit has 2 unbound parameters; bind values before running");
  EXPECT_EQ(s[0], cdouble(1.0));  // untouched
}

TEST(CompiledCircuitTest, WrongParameterCountThrows) {
  Circuit c(2);
  c.rx(Param::parameter(0), 0).ry(Param::parameter(1), 1);
  CompiledCircuit cc(c);
  const std::vector<double> one = {0.1}, three = {0.1, 0.2, 0.3}, none;
  expect_invalid_argument([&] { cc.bind(one); }, "circuit: expects 2 parameter values, got 1");
  expect_invalid_argument([&] { cc.bind(three); }, "circuit: expects 2 parameter values, got 3");
  expect_invalid_argument([&] { cc.bind(none); }, "circuit: expects 2 parameter values, got 0");
  EXPECT_FALSE(cc.is_bound());
  Circuit single(1);
  single.rz(Param::parameter(0), 0);
  CompiledCircuit cs(single);
  expect_invalid_argument([&] { cs.bind(three); }, "circuit: expects 1 parameter value, got 3");
}

TEST(CompiledCircuitTest, NonFiniteParametersThrow) {
  Circuit c(2);
  c.rx(Param::parameter(0), 0).ry(Param(log(Expr::parameter(1))), 1);
  CompiledCircuit cc(c);
  const std::vector<double> inf = {std::numeric_limits<double>::infinity(), 0.5};
  expect_invalid_argument([&] { cc.bind(inf); }, "parameter theta[0] = inf is not finite");
  c.set_parameter_names({"alpha", "beta"});
  CompiledCircuit named(c);
  expect_invalid_argument([&] { named.bind(inf); }, "parameter alpha = inf is not finite");
  const std::vector<double> negative_log = {0.1, -1.0};
  try {
    cc.bind(negative_log);
    ADD_FAILURE() << "no exception";
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), HasSubstr("ry: parameter 0 evaluates to"));
  }
}

TEST(CompiledCircuitTest, StateSizeMismatchThrows) {
  Circuit c(3);
  c.h(0).cx(0, 2);
  const CompiledCircuit cc(c);
  StateVector<double> small(2);
  StateVector<float> large(4);
  expect_invalid_argument([&] { cc.apply(small); }, "circuit on 3 qubits applied to a state of 2 qubits");
  expect_invalid_argument([&] { cc.apply(large); }, "circuit on 3 qubits applied to a state of 4 qubits");
}

TEST(CompiledCircuitTest, RebindRecordValidatesIndexCountAndAngles) {
  Circuit c(2);
  c.h(0).rx(Param::parameter(0), 1);
  CompiledCircuit cc(c, FusionOptions::off());
  const std::vector<double> theta = {0.3};
  cc.bind(theta);
  const std::size_t n = cc.records().size();
  const std::vector<double> one = {0.5}, two = {0.5, 0.25}, inf = {std::numeric_limits<double>::infinity()};
  expect_invalid_argument([&] { cc.rebind_record(n, one); },
                          "rebind_record: record " + std::to_string(n) + " out of range [0, " + std::to_string(n) + ")");
  std::size_t rx = n;
  for (std::size_t i = 0; i < n; ++i)
    if (cc.records()[i].op >= 0 && c.operations()[static_cast<std::size_t>(cc.records()[i].op)].kind == GateKind::RX) rx = i;
  ASSERT_LT(rx, n);
  expect_invalid_argument([&] { cc.rebind_record(rx, two); }, "rx: expects 1 angle, got 2");
  expect_invalid_argument([&] { cc.rebind_record(rx, inf); }, "rx: angle 0 = inf is not finite");
  EXPECT_NO_THROW(cc.rebind_record(rx, one));
}

}  // namespace
}  // namespace qmlsim

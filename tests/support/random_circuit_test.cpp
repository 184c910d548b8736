#include "tests/support/random_circuit.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <set>
#include <string>

#include "simulator/core/errors.hpp"
#include "simulator/execution/simulator.hpp"
#include "tests/support/error_message.hpp"

// The shared generator must deliver what the tests that use it claim to cover: every gate kind,
// positive and negative extra controls, every kind of Param, shared parameters, and the same
// circuit for the same seed.

namespace qmlsim::testing {
namespace {

std::set<GateKind> kinds_of(const Circuit& c) {
  std::set<GateKind> kinds;
  for (const Operation& op : c.operations()) kinds.insert(op.kind);
  return kinds;
}

std::set<Param::Kind> param_kinds_of(const Circuit& c) {
  std::set<Param::Kind> kinds;
  for (const Operation& op : c.operations())
    for (const Param& p : op.params) kinds.insert(p.kind());
  return kinds;
}

bool same_state(const RandomCircuit& a, const RandomCircuit& b) {
  const auto sa = Simulator().run(a.circuit, a.theta), sb = Simulator().run(b.circuit, b.theta);
  return a.circuit.size() == b.circuit.size() && a.theta == b.theta &&
         std::memcmp(sa.data(), sb.data(), sa.size() * sizeof(cdouble)) == 0;
}

TEST(RandomCircuitTest, GateListsAreDerivedFromGateInfo) {
  const auto parametric = parametric_gate_kinds(), fixed = fixed_gate_kinds();
  EXPECT_EQ(parametric.size(), 23U);
  EXPECT_EQ(fixed.size(), 28U);
  for (GateKind k : parametric) EXPECT_GT(gate_info(k).num_params, 0) << gate_info(k).name;
  for (GateKind k : fixed) EXPECT_EQ(gate_info(k).num_params, 0) << gate_info(k).name;
  // Together with Unitary, Barrier, Measure and Reset: every kind once.
  EXPECT_EQ(parametric.size() + fixed.size() + 4, static_cast<std::size_t>(kNumGateKinds));
}

TEST(RandomCircuitTest, ARoundHasEveryParametricKindAndEveryParamKind) {
  CircuitRecipe recipe;
  recipe.num_qubits = 4;
  std::size_t user_unitaries = 0;  // circuits with one (about 1 in 16 has none)
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    const RandomCircuit r = random_circuit(recipe, seed);
    EXPECT_EQ(r.circuit.num_parameters(), 5);
    ASSERT_EQ(r.theta.size(), 5U);
    for (double t : r.theta) {
      EXPECT_GE(t, -kPi);
      EXPECT_LT(t, kPi);
    }
    const std::set<GateKind> kinds = kinds_of(r.circuit);
    for (GateKind k : parametric_gate_kinds())
      if (k != GateKind::GPhase) {  // an uncontrolled gphase may fold into a neighbour
        EXPECT_TRUE(kinds.count(k)) << gate_info(k).name << " seed " << seed;
      }
    user_unitaries += kinds.count(GateKind::Unitary);
    EXPECT_EQ(param_kinds_of(r.circuit),
              (std::set<Param::Kind>{Param::Kind::Constant, Param::Kind::Affine, Param::Kind::Expression}));
    int positive = 0, negative = 0;
    for (const Operation& op : r.circuit.operations()) {
      positive += std::popcount(op.control_mask & op.control_values);
      negative += std::popcount(op.control_mask & ~op.control_values);
    }
    EXPECT_GT(positive, 0);
    EXPECT_GT(negative, 0);
  }
  EXPECT_GE(user_unitaries, 3U);
}

TEST(RandomCircuitTest, RecipeSwitchesRemoveWhatTheySay) {
  CircuitRecipe recipe;
  recipe.num_qubits = 4;
  recipe.rounds = 2;
  recipe.controls = false;
  recipe.fixed_gates = false;
  recipe.expressions = false;
  recipe.prep_layer = false;
  const RandomCircuit r = random_circuit(recipe, 7);
  std::set<GateKind> parametric;
  for (GateKind k : parametric_gate_kinds()) parametric.insert(k);
  for (const Operation& op : r.circuit.operations()) {
    EXPECT_TRUE(parametric.count(op.kind)) << op.name();
    EXPECT_EQ(op.control_mask, 0U) << op.name();
    for (const Param& p : op.params) EXPECT_NE(p.kind(), Param::Kind::Expression) << op.name();
  }
  EXPECT_GE(r.circuit.size(), 2 * parametric.size() - 2);  // two rounds (gphase may fold)
}

TEST(RandomCircuitTest, GateCountAndEveryKindWithFreshParameters) {
  CircuitRecipe recipe;
  recipe.num_qubits = 5;
  recipe.num_parameters = 0;
  recipe.gates = 400;
  recipe.all_kinds = true;
  recipe.fixed_gates = false;
  recipe.prep_layer = false;
  Rng rng(3);
  const RandomCircuit r = random_circuit(recipe, rng);
  const std::set<GateKind> kinds = kinds_of(r.circuit);
  for (GateKind k : all_gate_kinds()) {
    if (k == GateKind::Measure || k == GateKind::Reset) {
      EXPECT_FALSE(kinds.count(k));
    } else if (k != GateKind::GPhase && k != GateKind::Barrier) {
      EXPECT_TRUE(kinds.count(k)) << gate_info(k).name;
    }
  }
  EXPECT_TRUE(kinds.count(GateKind::Barrier));
  // Every parameter is used, by exactly one angle, and has a value.
  EXPECT_EQ(static_cast<std::size_t>(r.circuit.num_parameters()), r.theta.size());
  std::vector<int> uses(r.theta.size(), 0);
  for (const Operation& op : r.circuit.operations())
    for (const Param& p : op.params)
      for (int i : p.parameters()) ++uses[static_cast<std::size_t>(i)];
  for (std::size_t i = 0; i < uses.size(); ++i) EXPECT_GE(uses[i], 1) << "theta[" << i << "]";
  EXPECT_GT(r.theta.size(), 100U);
}

TEST(RandomCircuitTest, SameSeedSameCircuitOtherSeedOtherCircuit) {
  CircuitRecipe recipe;
  recipe.num_qubits = 4;
  recipe.local_runs = true;
  EXPECT_TRUE(same_state(random_circuit(recipe, 11), random_circuit(recipe, 11)));
  EXPECT_FALSE(same_state(random_circuit(recipe, 11), random_circuit(recipe, 12)));
  recipe.num_parameters = 0;
  recipe.gates = 30;
  Rng a(5), b(5);
  EXPECT_TRUE(same_state(random_circuit(recipe, a), random_circuit(recipe, b)));
}

TEST(RandomCircuitTest, LocalRunsKeepManyGatesOnThreeNeighbours) {
  CircuitRecipe recipe;
  recipe.num_qubits = 10;
  recipe.num_parameters = 0;
  recipe.gates = 400;
  recipe.all_kinds = true;
  recipe.fixed_gates = false;
  recipe.prep_layer = false;
  const auto within_three = [](const Circuit& c) {
    int n = 0;
    for (const Operation& op : c.operations()) {
      if (op.qubits.size() < 2) continue;  // multi-qubit gates: rarely within 3 by chance
      const auto [lo, hi] = std::minmax_element(op.qubits.begin(), op.qubits.end());
      if (*hi - *lo < 3) ++n;
    }
    return n;
  };
  const int plain = within_three(random_circuit(recipe, 9).circuit);
  recipe.local_runs = true;
  const int local = within_three(random_circuit(recipe, 9).circuit);
  EXPECT_GT(2 * local, 3 * plain) << "plain " << plain << ", local " << local;
}

TEST(RandomCircuitTest, BadRecipesAreRefused) {
  CircuitRecipe recipe;
  recipe.num_qubits = 0;
  EXPECT_EQ(invalid_argument_of([&] { (void)random_circuit(recipe, 1); }),
            "random_circuit: num_qubits 0 out of range [1, 20]");
  recipe.num_qubits = 2;
  recipe.gates = -1;
  EXPECT_EQ(invalid_argument_of([&] { (void)random_circuit(recipe, 1); }),
            "random_circuit: num_parameters, rounds and gates must not be negative");
}

}  // namespace
}  // namespace qmlsim::testing

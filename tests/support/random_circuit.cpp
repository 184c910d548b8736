#include "tests/support/random_circuit.hpp"

#include <algorithm>
#include <iterator>
#include <memory>
#include <string>
#include <utility>

#include "simulator/core/errors.hpp"
#include "simulator/core/random_angles.hpp"
#include "simulator/core/types.hpp"
#include "tests/support/random_gates.hpp"
#include "tests/support/random_state.hpp"

namespace qmlsim::testing {
namespace {

bool is_gate(GateKind kind) {
  const GateInfo info = gate_info(kind);
  return info.unitary && kind != GateKind::Unitary && kind != GateKind::Barrier;
}

int below(Rng& rng, int n) { return static_cast<int>(rng.below(static_cast<std::uint64_t>(n))); }

// Extra controls for a gate of `arity` qubits: none, or 1-2 where qubits are free (40%).
int extra_controls(const CircuitRecipe& r, int arity, Rng& rng) {
  const int free = r.num_qubits - arity;
  if (!r.controls || free <= 0 || rng.uniform() >= 0.4) return 0;
  return 1 + below(rng, std::min(2, free));
}

// k distinct qubits: with local runs, half of the time inside a window of 3 neighbours.
std::vector<Qubit> place(const CircuitRecipe& r, int k, Rng& rng) {
  const int n = r.num_qubits, window = std::min(n, 3);
  if (r.local_runs && k <= window && rng.uniform() < 0.5) {
    const Qubit base = below(rng, n - window + 1);
    std::vector<Qubit> qubits = random_qubits(window, k, rng);
    for (Qubit& q : qubits) q += base;
    return qubits;
  }
  return random_qubits(n, k, rng);
}

// The gate `kind` on `qubits` (its signature order) under the extra controls `ctrl`.
void add_gate(Circuit& c, GateKind kind, const std::vector<Qubit>& qubits, const Controls& ctrl,
              std::vector<Param> params) {
  if (ctrl.qubits.empty()) {
    c.gate(kind, qubits, std::move(params));
  } else {
    c.controlled(kind, ctrl.qubits, qubits, std::move(params), ctrl.values);
  }
}

// A user unitary (dense, or diagonal 35% of the time) on 1-3 qubits, sometimes controlled.
void add_user_unitary(Circuit& c, const CircuitRecipe& r, Rng& rng) {
  const int k = 1 + below(rng, std::min(3, r.num_qubits));
  const std::vector<Qubit> qubits = place(r, k, rng);
  const Controls ctrl = r.controls && r.num_qubits > k && rng.uniform() < 0.25
                            ? random_controls(r.num_qubits, qubits, 1 + below(rng, std::min(2, r.num_qubits - k)), rng)
                            : Controls{};
  c.append(unitary_op(rng.uniform() < 0.35 ? random_diagonal_unitary(k, rng) : random_unitary(k, rng), qubits, ctrl));
}

// One gate of `kind` (any kind of the gate set) with random placement, controls and angles.
void add_kind(Circuit& c, GateKind kind, const CircuitRecipe& r, Rng& rng, std::vector<double>& theta) {
  if (kind == GateKind::Unitary) return add_user_unitary(c, r, rng);
  if (kind == GateKind::Barrier) {
    c.barrier();
    return;
  }
  const GateInfo info = gate_info(kind);
  // The gate's own qubits (with local runs, often in a window), then extra controls elsewhere.
  const std::vector<Qubit> qubits = place(r, info.num_qubits, rng);
  const Controls ctrl = random_controls(r.num_qubits, qubits, extra_controls(r, info.num_qubits, rng), rng);
  std::vector<Param> params;
  for (int j = 0; j < info.num_params; ++j) params.push_back(random_param(r, rng, theta));
  add_gate(c, kind, qubits, ctrl, std::move(params));
}

// A fixed gate (sometimes under one extra control) or, 20% of the time, a user unitary.
void add_fixed(Circuit& c, const CircuitRecipe& r, const std::vector<GateKind>& fixed, Rng& rng) {
  if (rng.uniform() < 0.2) return add_user_unitary(c, r, rng);
  for (;;) {
    const GateKind kind = fixed[rng.below(fixed.size())];
    const int arity = gate_info(kind).num_qubits;
    if (arity > r.num_qubits) continue;
    const std::vector<Qubit> qubits = random_qubits(r.num_qubits, arity, rng);
    const int nc = r.controls && r.num_qubits > arity && rng.uniform() < 0.2 ? 1 : 0;
    add_gate(c, kind, qubits, random_controls(r.num_qubits, qubits, nc, rng), {});
    return;
  }
}

void check(const CircuitRecipe& r) {
  if (r.num_qubits < 1 || r.num_qubits > 20)
    throw InvalidArgument("random_circuit: num_qubits " + std::to_string(r.num_qubits) + " out of range [1, 20]");
  if (r.num_parameters < 0 || r.rounds < 0 || r.gates < 0)
    throw InvalidArgument("random_circuit: num_parameters, rounds and gates must not be negative");
}

}  // namespace

std::vector<GateKind> parametric_gate_kinds() {
  std::vector<GateKind> kinds;
  for (GateKind k : all_gate_kinds())
    if (is_gate(k) && gate_info(k).num_params > 0) kinds.push_back(k);
  return kinds;
}

std::vector<GateKind> fixed_gate_kinds() {
  std::vector<GateKind> kinds;
  for (GateKind k : all_gate_kinds())
    if (is_gate(k) && gate_info(k).num_params == 0) kinds.push_back(k);
  return kinds;
}

Param random_param(const CircuitRecipe& recipe, Rng& rng, std::vector<double>& theta) {
  const bool shared = recipe.num_parameters > 0;
  // A parameter: one of the declared ones, or a new one with its value.
  const auto pick = [&] {
    if (shared) return below(rng, recipe.num_parameters);
    theta.push_back((2.0 * rng.uniform() - 1.0) * kPi);
    return static_cast<int>(theta.size()) - 1;
  };
  const double u = rng.uniform();
  if (u < 0.1) return Param(4.0 * rng.uniform() - 2.0);
  if (u < 0.55 || !recipe.expressions) {
    constexpr double kScales[] = {1.0, -1.0, 0.5, 2.0, -1.5};
    const int i = pick();
    return Param::parameter(i, kScales[rng.below(std::size(kScales))], rng.uniform() - 0.5);
  }
  const int i = pick(), j = pick();
  const Expr x = Expr::parameter(i), y = Expr::parameter(j);
  if (u < 0.75) return Param(2.0 * (kPi - x) * (kPi - y));  // a ZZ feature map's angle
  if (u < 0.9) return Param(sin(x) * cos(y) + 0.5 * x);
  return Param(cos(x) - 0.75 * sin(y) * sin(x));
}

std::vector<Param> random_params(int count, Rng& rng, std::vector<double>& theta) {
  CircuitRecipe fresh;
  fresh.num_parameters = 0;
  std::vector<Param> params;
  for (int j = 0; j < count; ++j) params.push_back(random_param(fresh, rng, theta));
  return params;
}

RandomCircuit random_circuit(const CircuitRecipe& recipe, Rng& rng) {
  check(recipe);
  const int n = recipe.num_qubits;
  RandomCircuit out{Circuit(n), {}};
  Circuit& c = out.circuit;
  if (recipe.num_parameters > 0) c.declare_parameters(recipe.num_parameters);
  // A generic starting state (constant angles: nothing to differentiate). Without it, an
  // uncontrolled gphase folds into whatever random gate comes first.
  if (recipe.prep_layer)
    for (Qubit q = 0; q < n; ++q) c.u(Param(3 * rng.uniform()), Param(3 * rng.uniform()), Param(3 * rng.uniform()), q);

  std::vector<GateKind> kinds;
  constexpr auto kAll = all_gate_kinds();
  for (GateKind k : recipe.all_kinds ? std::vector<GateKind>(kAll.begin(), kAll.end()) : parametric_gate_kinds())
    if (gate_info(k).unitary && gate_info(k).num_qubits <= n) kinds.push_back(k);
  const std::vector<GateKind> fixed = fixed_gate_kinds();
  const auto one_gate = [&](GateKind kind) {
    if (recipe.local_runs && rng.uniform() < 0.25) kind = n >= 2 && rng.uniform() < 0.5 ? GateKind::CP : GateKind::RZ;
    add_kind(c, kind, recipe, rng, out.theta);
    if (recipe.fixed_gates && rng.uniform() < 0.6) add_fixed(c, recipe, fixed, rng);
  };
  if (recipe.gates > 0) {
    for (int g = 0; g < recipe.gates; ++g) one_gate(kinds[rng.below(kinds.size())]);
  } else {
    for (int round = 0; round < recipe.rounds; ++round) {
      for (std::size_t i = kinds.size(); i > 1; --i) std::swap(kinds[i - 1], kinds[rng.below(i)]);
      for (GateKind kind : kinds) one_gate(kind);
    }
  }
  if (recipe.num_parameters > 0) {
    out.theta = uniform_angles(recipe.num_parameters, rng);
  } else {
    c.declare_parameters(static_cast<int>(out.theta.size()));
  }
  return out;
}

RandomCircuit random_circuit(const CircuitRecipe& recipe, std::uint64_t seed) {
  Rng rng(seed);
  return random_circuit(recipe, rng);
}

}  // namespace qmlsim::testing

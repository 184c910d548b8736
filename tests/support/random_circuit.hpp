#pragma once
/// Seeded random circuits for tests: the one generator behind the gradient, parameter-shift,
/// compiled-circuit and fusion tests (and the qml tests to come). A CircuitRecipe says what goes
/// in; everything is drawn from the caller's qmlsim::Rng, so a circuit is reproducible from its seed.
///
/// What a circuit can contain: every gate kind of gate_info() (lists derived from it, so a new
/// kind is covered without editing this file), under 1-2 extra controls that are positive or
/// negative, controlled and uncontrolled gphase, user unitaries (dense and diagonal, sometimes
/// controlled), barriers, and every kind of Param: constants, affine `scale * theta[i] + offset`
/// (one parameter shared by several gates) and compiled expressions over two parameters
/// (`2 (pi - x)(pi - y)`, `sin x cos y + x / 2`, `cos x - 3/4 sin y sin x`).
#include <cstdint>
#include <vector>

#include "simulator/circuit/circuit.hpp"
#include "simulator/core/rng.hpp"
#include "simulator/gates/gate_kind.hpp"
#include "simulator/gates/param.hpp"

namespace qmlsim::testing {

/// What random_circuit() builds.
struct CircuitRecipe {
  int num_qubits = 3;
  /// > 0: the circuit declares this many parameters, and every angle is a constant (10%), affine
  /// in one of them (45%) or an expression over two (45%), so parameters are shared between gates.
  /// 0: every non-constant angle gets one or two new parameters of its own.
  int num_parameters = 5;
  /// Which gates: `rounds` passes over every kind of the gate set, each pass in a new random order
  /// (so every kind appears); or, when `gates` > 0, that many gates of kinds drawn at random.
  int rounds = 1;
  int gates = 0;
  /// The gate set: the parametric kinds (what a gradient needs), or every unitary kind: fixed and
  /// parametric gates, user unitaries (GateKind::Unitary on 1-3 qubits) and barriers.
  bool all_kinds = false;
  bool controls = true;     // about 40% of the gates get 1-2 extra controls (each positive or negative)
  bool fixed_gates = true;  // after about 60% of the gates, a fixed gate or a user unitary
  bool expressions = true;  // expression angles besides constants and affine ones
  bool prep_layer = true;   // a layer of constant u gates first (a generic start for the rest)
  /// Runs that gate fusion can merge: half of the gates on a window of 3 neighbouring qubits, and
  /// a quarter of the drawn kinds replaced by rz or cp (diagonal runs).
  bool local_runs = false;
};

/// A circuit and values for its parameters (uniform in [-pi, pi)).
struct RandomCircuit {
  Circuit circuit;
  std::vector<double> theta;
};

/// A random circuit following `recipe`, drawn from `rng`. Throws InvalidArgument for
/// num_qubits < 1, a negative parameter count, rounds or gates.
[[nodiscard]] RandomCircuit random_circuit(const CircuitRecipe& recipe, Rng& rng);

/// random_circuit(recipe, rng) with Rng rng(seed).
[[nodiscard]] RandomCircuit random_circuit(const CircuitRecipe& recipe, std::uint64_t seed);

/// One random gate angle as the recipe draws it (see CircuitRecipe::num_parameters). With
/// recipe.num_parameters == 0 the new parameters are numbered from theta.size() on and their
/// values are appended to `theta`.
[[nodiscard]] Param random_param(const CircuitRecipe& recipe, Rng& rng, std::vector<double>& theta);

/// `count` angles of random_param() with new parameters for each (num_parameters == 0): what a
/// test of single gates needs, their values appended to `theta`.
[[nodiscard]] std::vector<Param> random_params(int count, Rng& rng, std::vector<double>& theta);

/// The unitary kinds with at least one parameter (rx ... xx_minus_yy, u0, gphase), in enum order.
[[nodiscard]] std::vector<GateKind> parametric_gate_kinds();

/// The unitary kinds without parameters (id, x, ..., c4x), in enum order; not Unitary or Barrier.
[[nodiscard]] std::vector<GateKind> fixed_gate_kinds();

}  // namespace qmlsim::testing

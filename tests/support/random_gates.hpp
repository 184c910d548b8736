#pragma once
/// Seeded random gate placements for tests: distinct qubits, extra controls (positive or
/// negative), and user-matrix operations built from them.
#include <string>
#include <vector>

#include "simulator/core/rng.hpp"
#include "simulator/core/types.hpp"
#include "simulator/gates/operation.hpp"
#include "tests/support/dense_reference.hpp"

namespace qmlsim::testing {

/// k distinct qubits of n in random order (partial Fisher-Yates).
[[nodiscard]] std::vector<Qubit> random_qubits(int n, int k, Rng& rng);

/// Extra controls: qubits and the value each must have (true = |1>, false = negative control).
struct Controls {
  std::vector<Qubit> qubits;
  std::vector<bool> values;
};

/// Up to `count` controls on qubits of n not in `used`, each positive with probability
/// `p_positive`.
[[nodiscard]] Controls random_controls(int n, const std::vector<Qubit>& used, int count, Rng& rng,
                                       double p_positive = 0.5);

/// " ctrl(1) negctrl(3)" (empty without controls), for test messages.
[[nodiscard]] std::string controls_text(const Controls& c);

/// An operation applying the user matrix `m` to `qubits` (qubits[0] = matrix bit 0) with extra controls.
[[nodiscard]] Operation unitary_op(const DenseMatrix& m, std::vector<Qubit> qubits, const Controls& ctrl);

}  // namespace qmlsim::testing

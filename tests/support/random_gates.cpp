#include "tests/support/random_gates.hpp"

#include <algorithm>
#include <memory>
#include <utility>

#include "simulator/core/bits.hpp"

namespace qmlsim::testing {

std::vector<Qubit> random_qubits(int n, int k, Rng& rng) {
  std::vector<Qubit> all(static_cast<std::size_t>(n));
  for (Qubit q = 0; q < n; ++q) all[static_cast<std::size_t>(q)] = q;
  for (std::size_t i = 0; i < static_cast<std::size_t>(k); ++i) std::swap(all[i], all[i + rng.below(all.size() - i)]);
  all.resize(static_cast<std::size_t>(k));
  return all;
}

Controls random_controls(int n, const std::vector<Qubit>& used, int count, Rng& rng, double p_positive) {
  std::vector<Qubit> free;
  for (Qubit q = 0; q < n; ++q)
    if (std::find(used.begin(), used.end(), q) == used.end()) free.push_back(q);
  Controls c;
  for (int i = 0; i < count && !free.empty(); ++i) {
    const std::size_t j = rng.below(free.size());
    c.qubits.push_back(free[j]);
    c.values.push_back(rng.uniform() < p_positive);
    free.erase(free.begin() + static_cast<std::ptrdiff_t>(j));
  }
  return c;
}

std::string controls_text(const Controls& c) {
  std::string s;
  for (std::size_t i = 0; i < c.qubits.size(); ++i)
    s += std::string(c.values[i] ? " ctrl" : " negctrl") + "(" + std::to_string(c.qubits[i]) + ")";
  return s;
}

Operation unitary_op(const DenseMatrix& m, std::vector<Qubit> qubits, const Controls& ctrl) {
  Operation op;
  op.kind = GateKind::Unitary;
  op.qubits = std::move(qubits);
  op.matrix = std::make_shared<const GateMatrix>(m.to_gate_matrix());
  for (std::size_t i = 0; i < ctrl.qubits.size(); ++i) {
    op.control_mask |= bit(ctrl.qubits[i]);
    if (ctrl.values[i]) op.control_values |= bit(ctrl.qubits[i]);
  }
  return op;
}

}  // namespace qmlsim::testing

#include "simulator/circuit/depth.hpp"

#include <algorithm>
#include <vector>

#include "simulator/core/bits.hpp"

namespace qmlsim {

// Qiskit's algorithm: a level per qubit and clbit; each operation starts after the highest level
// among its wires and raises all of them to its end.
int circuit_depth(const Circuit& circuit) {
  const int n = circuit.num_qubits();
  std::vector<int> level(static_cast<std::size_t>(n + circuit.num_clbits()), 0);
  std::vector<std::size_t> wires;
  for (const Operation& op : circuit.operations()) {
    wires.clear();
    const Index mask = op.qubit_mask();
    for (int q = 0; q < n; ++q)
      if ((mask & bit(q)) != 0) wires.push_back(static_cast<std::size_t>(q));
    if (op.kind == GateKind::Measure) wires.push_back(static_cast<std::size_t>(n + op.clbit));
    if (op.condition)
      for (int b = 0; b < op.condition->width; ++b)
        wires.push_back(static_cast<std::size_t>(n + op.condition->first_clbit + b));
    if (wires.empty()) continue;
    int start = 0;
    for (std::size_t w : wires) start = std::max(start, level[w]);
    const int end = start + (op.kind == GateKind::Barrier ? 0 : 1);
    for (std::size_t w : wires) level[w] = end;
  }
  return level.empty() ? 0 : *std::max_element(level.begin(), level.end());
}

}  // namespace qmlsim

#pragma once
/// Measurement outcomes as `qmlsim run` prints them. Which outcomes are likely, and sampling a
/// circuit's measured bits, are computed in simulator/execution/outcomes.hpp; this file only says
/// how an outcome integer prints.
///
/// Keys: a circuit that measures is read out over its classical bits (Simulator::sample's
/// outcome: bit j = clbit j), printed in Qiskit's count-key format: the registers in REVERSE
/// declaration order, separated by single spaces, each register's bits with its highest bit
/// leftmost. With cregs c[2], d[1], c = 01 (c[0] = 1) and d = 1, the key is "1 01". A circuit
/// without measurement is read out over all its qubits: an n-bit string, qubit n-1 leftmost.
#include <string>
#include <vector>

#include "simulator/circuit/circuit.hpp"
#include "simulator/core/types.hpp"
#include "simulator/qasm/qasm.hpp"

namespace qmlsim::cli {

/// How outcome integers print: groups of consecutive bits (registers), in declaration order.
struct OutcomeLayout {
  std::vector<qasm::Register> groups;
  int width = 0;  // total number of bits
};

/// The layout of `circuit`'s outcomes: its classical registers `cregs` when it measures (one
/// unnamed register of all clbits when `cregs` is empty), else one group of all qubits. Throws
/// InvalidArgument when a measuring circuit has more than 64 classical bits.
[[nodiscard]] OutcomeLayout outcome_layout(const Circuit& circuit, const std::vector<qasm::Register>& cregs);

/// The printed key of `outcome` (see the header comment).
[[nodiscard]] std::string format_outcome(Index outcome, const OutcomeLayout& layout);

}  // namespace qmlsim::cli

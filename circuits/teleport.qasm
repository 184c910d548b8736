// Quantum teleportation: the state u3(pi/3, pi/4, 0)|0> = cos(pi/6)|0> + e^{i pi/4} sin(pi/6)|1>
// on qubit 0 moves to qubit 2 through a Bell pair, two measurements and two classically
// controlled corrections (if). Mid-circuit measurement and if: the circuit runs shot by shot.
// Qubit 2 ends in the prepared state whatever c0 and c1 are, so c2 reads 1 with probability
// sin^2(pi/6) = 0.25 (here 988 of 4000), and c0, c1 are uniform and independent of it. Count
// keys are Qiskit's, registers in reverse order: "c2 c1 c0".
//
//   $ qmlsim run circuits/teleport.qasm --output counts --shots 4000 --seed 1
//   bitstring  count
//   0 1 0        784
//   0 0 1        770
//   0 1 1        760
//   0 0 0        698
//   1 0 0        258
//   1 0 1        251
//   1 1 1        240
//   1 1 0        239
//   $ qmlsim run circuits/teleport.qasm --output probs     (exit code 3: no single final state)
//   qmlsim run: error: circuits/teleport.qasm: --output probs needs the state before measurement, ...
OPENQASM 2.0;
include "qelib1.inc";

qreg q[3];
creg c0[1];
creg c1[1];
creg c2[1];

// the state to teleport
u3(pi/3, pi/4, 0) q[0];

// Bell pair between qubits 1 and 2
h q[1];
cx q[1], q[2];

// Bell measurement of qubits 0 and 1
cx q[0], q[1];
h q[0];
measure q[0] -> c0[0];
measure q[1] -> c1[0];

// corrections on qubit 2
if (c1 == 1) x q[2];
if (c0 == 1) z q[2];

measure q[2] -> c2[0];

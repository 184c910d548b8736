// Bell state (|00> + |11>)/sqrt(2): the smallest entangled state. Both qubits are measured; the
// outcomes are perfectly correlated, 00 and 11 each with probability 1/2, never 01 or 10, and
// <Z0 Z1> = 1.
//
//   $ qmlsim run circuits/bell.qasm --output probs --format json
//   {"num_qubits": 2, "probabilities": [0.5000000000000001, 0.0, 0.0, 0.5000000000000001]}
//   $ qmlsim run circuits/bell.qasm --output expectation --observable "Z0 Z1"
//   observable   Z0 Z1
//   expectation  1
OPENQASM 2.0;
include "qelib1.inc";

qreg q[2];
creg c[2];

h q[0];
cx q[0], q[1];
measure q -> c;

// Bernstein-Vazirani on 5 qubits: 4 input qubits and an ancilla find the hidden string s = 1011
// (s_3 s_2 s_1 s_0, so s_0 = s_1 = s_3 = 1) of f(x) = s.x mod 2 with a single oracle query. The
// readout is 1011 with probability 1.
//
//   $ qmlsim run circuits/bernstein_vazirani_5.qasm --output counts --shots 100
//   bitstring  count
//   1011         100
OPENQASM 2.0;
include "qelib1.inc";

qreg q[5];
creg c[4];

// ancilla in |->, inputs in uniform superposition
x q[4];
h q[4];
h q[0];
h q[1];
h q[2];
h q[3];

// oracle: a CNOT from every input qubit i with s_i = 1
cx q[0], q[4];
cx q[1], q[4];
cx q[3], q[4];

h q[0];
h q[1];
h q[2];
h q[3];
measure q[0] -> c[0];
measure q[1] -> c[1];
measure q[2] -> c[2];
measure q[3] -> c[3];

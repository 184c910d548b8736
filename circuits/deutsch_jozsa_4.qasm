// Deutsch-Jozsa on 4 input qubits (q[0..3]) and an ancilla (q[4]) with a balanced oracle
// f(x) = x0 XOR (x1 AND x2): one query tells constant from balanced. For a balanced f the
// all-zero outcome 0000 has probability exactly 0 (it would be 1 for a constant f). This f gives
// 0001, 0011, 0101 and 0111 (x0 plus any of x1, x2), each with probability 1/4.
//
//   $ qmlsim run circuits/deutsch_jozsa_4.qasm --output counts --shots 1000 --seed 2
//   bitstring  count
//   0011         267
//   0001         255
//   0101         247
//   0111         231
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

// oracle |x>|y> -> |x>|y XOR f(x)>
ccx q[1], q[2], q[4];
cx q[0], q[4];

h q[0];
h q[1];
h q[2];
h q[3];
measure q[0] -> c[0];
measure q[1] -> c[1];
measure q[2] -> c[2];
measure q[3] -> c[3];

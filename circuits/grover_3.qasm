// Grover search over 3 qubits for the marked state |101> (qubits 2 and 0 set), 2 iterations.
// With sin(theta) = 1/sqrt(8), k iterations find it with probability sin^2((2k + 1) theta):
// 121/128 = 0.9453125 for k = 2 (the optimum, floor(pi / (4 theta)) = 2). Each of the 7 other
// states has probability (1 - 0.9453125) / 7 = 1/128 = 0.0078125.
//
//   $ qmlsim run circuits/grover_3.qasm --top 3       (after the summary lines)
//   bitstring  probability
//   101           0.945313
//   100          0.0078125
//   000          0.0078125
OPENQASM 2.0;
include "qelib1.inc";

qreg q[3];
creg c[3];

// uniform superposition
h q[0];
h q[1];
h q[2];

// iteration 1 -- oracle: flip the sign of |101> (a CCZ with qubit 1 negated)
x q[1];
h q[2];
ccx q[0], q[1], q[2];
h q[2];
x q[1];
// diffusion: reflect about the uniform superposition
h q[0];
h q[1];
h q[2];
x q[0];
x q[1];
x q[2];
h q[2];
ccx q[0], q[1], q[2];
h q[2];
x q[0];
x q[1];
x q[2];
h q[0];
h q[1];
h q[2];

// iteration 2
x q[1];
h q[2];
ccx q[0], q[1], q[2];
h q[2];
x q[1];
h q[0];
h q[1];
h q[2];
x q[0];
x q[1];
x q[2];
h q[2];
ccx q[0], q[1], q[2];
h q[2];
x q[0];
x q[1];
x q[2];
h q[0];
h q[1];
h q[2];

measure q -> c;

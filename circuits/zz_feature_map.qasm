// Qiskit's ZZFeatureMap on 2 qubits with 2 repetitions: the quantum-kernel encoding of a data
// point (x0, x1). Each repetition is h on both qubits, p(2 x_i) on qubit i, and the ZZ
// interaction exp(-i (pi - x0)(pi - x1) Z0 Z1) up to phase, as cx, p(2 (pi - x0)(pi - x1)), cx.
// The data are OpenQASM 3 inputs, bound with --param or --params. The amplitudes are Qiskit's
// statevector of the same circuit, global phase included.
//
//   $ qmlsim run circuits/zz_feature_map.qasm --param x0=0.5 --param x1=-1.25 --output probs
//   index  bitstring  probability
//       0  00            0.164778
//       1  01            0.476463
//       2  10            0.239967
//       3  11            0.118792
OPENQASM 3.0;
include "stdgates.inc";

input float[64] x0;
input float[64] x1;
qubit[2] q;

// repetition 1
h q[0];
h q[1];
p(2 * x0) q[0];
p(2 * x1) q[1];
cx q[0], q[1];
p(2 * (pi - x0) * (pi - x1)) q[1];
cx q[0], q[1];

// repetition 2
h q[0];
h q[1];
p(2 * x0) q[0];
p(2 * x1) q[1];
cx q[0], q[1];
p(2 * (pi - x0) * (pi - x1)) q[1];
cx q[0], q[1];

// expect: 5:1: pow with a non-integer exponent is supported on gates of at most 2 qubits
OPENQASM 3;
include "stdgates.inc";
qubit[3] q;
pow(0.5) @ ccx q[0], q[1], q[2];

// expect: 5:4: gate 'cx' expects 2 qubit arguments, found 1
OPENQASM 2.0;
include "qelib1.inc";
qreg q[2];
cx q[0];

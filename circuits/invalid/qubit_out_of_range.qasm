// expect: 5:12: index 2 out of range [0, 2) for register 'q'
OPENQASM 2.0;
include "qelib1.inc";
qreg q[2];
cx q[0], q[2];

// expect: 5:7: division by zero
OPENQASM 2.0;
include "qelib1.inc";
qreg q[1];
rx(pi / (1 - 1)) q[0];

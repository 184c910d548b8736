// expect: 5:10: qubit q[1] is used twice in 'cx'
OPENQASM 2.0;
include "qelib1.inc";
qreg q[2];
cx q[1], q[1];

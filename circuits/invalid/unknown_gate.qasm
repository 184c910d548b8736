// expect: 5:1: unknown gate 'hh'; did you mean 'h'?
OPENQASM 2.0;
include "qelib1.inc";
qreg q[2];
hh q[0];

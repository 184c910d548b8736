// expect: 5:1: gate 'rx' expects 1 parameter, found 2
OPENQASM 2.0;
include "qelib1.inc";
qreg q[1];
rx(0.1, 0.2) q[0];

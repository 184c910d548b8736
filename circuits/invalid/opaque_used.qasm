// expect: 6:1: gate 'magic' is opaque (declared at line 4): it has no definition and cannot be simulated
OPENQASM 2.0;
include "qelib1.inc";
opaque magic(theta) a, b;
qreg q[2];
magic(0.5) q[0], q[1];

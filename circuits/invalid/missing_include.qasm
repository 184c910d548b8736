// expect: 4:1: unknown gate 'h' (it is defined in qelib1.inc
OPENQASM 2.0;
qreg q[1];
h q[0];

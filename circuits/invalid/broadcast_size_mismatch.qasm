// expect: 6:7: register sizes differ in broadcast: 'a' has 3 qubits, 'b' has 2
OPENQASM 2.0;
include "qelib1.inc";
qreg a[3];
qreg b[2];
cx a, b;

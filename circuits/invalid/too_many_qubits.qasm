// expect: 4:6: too many qubits: 'b' brings the total to 45, at most 40 are supported
OPENQASM 2.0;
qreg a[30];
qreg b[15];

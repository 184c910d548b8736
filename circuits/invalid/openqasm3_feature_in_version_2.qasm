// expect: 3:1: 'qubit' declarations requires OpenQASM 3
OPENQASM 2.0;
qubit[2] q;

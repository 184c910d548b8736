// expect: 2:10: unsupported OpenQASM version 4.0 (expected 2.0 or 3)
OPENQASM 4.0;
qubit q;

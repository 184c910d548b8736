// expect: 4:1: the program declares no qubits
OPENQASM 2.0;
creg c[2];

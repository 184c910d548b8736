// expect: 4:3: physical qubits ($0) are not supported
OPENQASM 3;
include "stdgates.inc";
h $0;

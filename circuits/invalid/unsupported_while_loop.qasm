// expect: 6:1: while loops are not supported
OPENQASM 3;
include "stdgates.inc";
qubit q;
bit c;
while (c == 0) { c = measure q; }

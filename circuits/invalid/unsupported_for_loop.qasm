// expect: 5:1: for loops are not supported
OPENQASM 3;
include "stdgates.inc";
qubit[4] q;
for uint i in [0:3] { h q[i]; }

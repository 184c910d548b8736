// expect: 5:4: invalid number literal '0.5.1'
OPENQASM 3;
include "stdgates.inc";
qubit q;
rx(0.5.1) q;

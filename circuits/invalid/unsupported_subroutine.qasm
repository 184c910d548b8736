// expect: 5:1: subroutine definitions (def) are not supported
OPENQASM 3;
include "stdgates.inc";
qubit q;
def flip(qubit a) { x a; }

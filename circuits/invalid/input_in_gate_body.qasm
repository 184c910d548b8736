// expect: 5:15: input 'theta' cannot be used inside gate 'g'; pass it as a parameter
OPENQASM 3;
include "stdgates.inc";
input float[64] theta;
gate g a { rx(theta) a; }

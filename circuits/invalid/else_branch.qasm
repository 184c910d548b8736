// expect: 6:13: else branches are not supported
OPENQASM 3;
include "stdgates.inc";
qubit q;
bit c;
if (c) x q; else h q;

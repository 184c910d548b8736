// expect: 3:9: cannot open include file 'no_such_file.inc'
OPENQASM 2.0;
include "no_such_file.inc";
qreg q[1];

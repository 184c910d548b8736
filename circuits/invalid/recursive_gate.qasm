// expect: 4:20: recursive gate definition: 'loop' uses itself
OPENQASM 2.0;
include "qelib1.inc";
gate loop a { h a; loop a; }
qreg q[1];
loop q[0];

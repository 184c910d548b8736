// expect: include_cycle_partner.inc:2:9: include cycle: include_cycle.qasm -> include_cycle_partner.inc -> include_cycle.qasm
OPENQASM 2.0;
include "include_cycle_partner.inc";
qreg q[1];

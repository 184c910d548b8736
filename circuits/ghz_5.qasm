// GHZ state on 5 qubits, (|00000> + |11111>)/sqrt(2): a Hadamard and a chain of CNOTs. Measuring
// all qubits gives 00000 or 11111, each with probability 1/2, nothing else.
//
//   $ qmlsim run circuits/ghz_5.qasm --output counts --shots 1000 --seed 7
//   bitstring  count
//   00000        541
//   11111        459
OPENQASM 2.0;
include "qelib1.inc";

qreg q[5];
creg c[5];

h q[0];
cx q[0], q[1];
cx q[1], q[2];
cx q[2], q[3];
cx q[3], q[4];
measure q -> c;

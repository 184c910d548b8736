// Quantum Fourier transform on 4 qubits, applied to the basis state |5> = |0101> (x on qubits 0
// and 2): QFT|x> = 1/4 sum_y exp(2 pi i x y / 16) |y>. Every outcome has probability 1/16; the
// information is in the phases, which `--output state` shows: amplitude y is
// exp(2 pi i 5 y / 16) / 4. Textbook circuit: Hadamards and controlled phases cu1(pi/2^k),
// then swaps that reverse the qubit order (Qiskit's QFT with do_swaps=True).
//
//   $ qmlsim run circuits/qft_4.qasm --output state --format csv      (first rows)
//   index,bitstring,re,im
//   0,0000,0.25000000000000006,0
//   1,0001,-0.09567085809127246,0.23096988312782174
//   2,0010,-0.17677669529663692,-0.17677669529663692
OPENQASM 2.0;
include "qelib1.inc";

qreg q[4];

// prepare |x> = |5>
x q[0];
x q[2];

// QFT
h q[3];
cu1(pi/2) q[2], q[3];
cu1(pi/4) q[1], q[3];
cu1(pi/8) q[0], q[3];
h q[2];
cu1(pi/2) q[1], q[2];
cu1(pi/4) q[0], q[2];
h q[1];
cu1(pi/2) q[0], q[1];
h q[0];
swap q[0], q[3];
swap q[1], q[2];

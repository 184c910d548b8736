// A data re-uploading classifier (Perez-Salinas et al. 2020) on 2 qubits: the features x0, x1
// are encoded as ry(x_i) twice, each time followed by trainable rotations (rz, ry) and
// controlled rotations with the weights w0..w7 (cry and crz in layer 1, cp and cry in layer 2). Class 0 when
// <Z0> > 0, class 1 otherwise. The controls of cry, crz and cp are rotated again by the second
// encoding and by the final cry, so any phase such a gate left on its control would change these
// probabilities: stdgates' cry, crz, cp are Qiskit's CRY, CRZ, CP exactly.
//
// With the weights w = (0.3, -0.7, 1.1, -1.6, 0.5, 0.9, -1.2, 0.8):
//   x = (0.4, -0.9):  P(00) 0.685111  P(01) 0.129528  P(10) 0.153407  P(11) 0.031954  <Z0>  0.677035  (class 0)
//   x = (-1.2, 0.6):  P(00) 0.128810  P(01) 0.138389  P(10) 0.298333  P(11) 0.434469  <Z0> -0.145715  (class 1)
// (bitstrings q1 q0, as qmlsim and Qiskit print them)
//
//   $ qmlsim run circuits/reupload_classifier.qasm --param x0=0.4 --param x1=-0.9 \
//       --params w.json --output probs          (w.json: {"w0": 0.3, "w1": -0.7, ...})
//
// --output gradient --observable Z0 gives the score's derivative with respect to every input
// (--wrt w0,...,w7 for the weights only), by the adjoint method, parameter shift or finite
// differences.
OPENQASM 3.0;
include "stdgates.inc";

input float[64] x0;
input float[64] x1;
input float[64] w0;
input float[64] w1;
input float[64] w2;
input float[64] w3;
input float[64] w4;
input float[64] w5;
input float[64] w6;
input float[64] w7;
qubit[2] q;

// layer 1: encode, then train
ry(x0) q[0];
ry(x1) q[1];
rz(w0) q[0];
rz(w1) q[1];
cry(w2) q[0], q[1];
crz(w3) q[1], q[0];

// layer 2: upload the same features again, then train
ry(x0) q[0];
ry(x1) q[1];
rz(w4) q[0];
ry(w5) q[1];
cp(w6) q[0], q[1];
cry(w7) q[1], q[0];

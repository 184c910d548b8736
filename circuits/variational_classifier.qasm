// A variational classifier on 2 qubits: the features x0, x1 (scaled to [-1, 1]) are angle-encoded
// as ry(pi * x_i), then two trainable layers (ry and rz rotations and a cx, then a crx and an ry)
// act with the weights w0..w5; the class score is <Z0> (class 1 when it is negative). All 8
// inputs must be bound. `--output gradient` prints the score and its derivative with respect to
// every input: the weights' derivatives are what training follows, the features' are the score's
// sensitivity to the data (note the factor pi of the encoding). --wrt w0,w1,... restricts it.
// With --method shift --shots N the same numbers come as a quantum computer would estimate them
// (the crx angle w4 costs four runs: controlled rotations take the four-term rule), each with its
// standard error.
//
//   $ qmlsim run circuits/variational_classifier.qasm --param x0=0.2 --param x1=0.7 \
//       --param w0=0.1 --param w1=-0.4 --param w2=0.3 --param w3=0.8 --param w4=1.2 \
//       --param w5=-0.6 --output gradient --observable Z0
//   observable   Z0
//   expectation  0.484117
//   method       adjoint
//   evaluations  2
//
//   parameter  value  derivative
//   x0           0.2   -0.738463
//   x1           0.7   -0.895808
//   w0           0.1    -0.23506
//   w1          -0.4   -0.285144
//   w2           0.3    0.143467
//   w3           0.8   -0.469722
//   w4           1.2   -0.420577
//   w5          -0.6   -0.191651
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
qubit[2] q;

// angle encoding of the features
ry(pi * x0) q[0];
ry(pi * x1) q[1];

// trainable layer 1
ry(w0) q[0];
ry(w1) q[1];
rz(w2) q[0];
rz(w3) q[1];
cx q[0], q[1];

// trainable layer 2
crx(w4) q[1], q[0];
ry(w5) q[0];

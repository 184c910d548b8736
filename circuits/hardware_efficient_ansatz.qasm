// A hardware-efficient variational ansatz on 4 qubits with 8 parameters: ry(theta_i) on qubit i,
// then rz(theta_{4+i}) on qubit i, then a CNOT chain 0 -> 1 -> 2 -> 3. Its expectation values
// are what a variational algorithm minimises; all 8 inputs must be bound, with
// --params FILE.json ({"theta0": 0.1, "theta1": 0.2, ..., "theta7": 0.8}) or --param.
// With --shots, the estimate measures Z0 Z1 and X2 together (they commute qubit-wise: one
// measurement setting, Z on qubits 0 and 1, X on qubit 2), 10000 shots, with its standard error.
//
//   $ qmlsim run circuits/hardware_efficient_ansatz.qasm --param theta0=0.1 --param theta1=0.2 \
//       --param theta2=0.3 --param theta3=0.4 --param theta4=0.5 --param theta5=0.6 \
//       --param theta6=0.7 --param theta7=0.8 --output expectation --observable "Z0 Z1 + 0.5*X2" \
//       --shots 10000 --seed 3
//   observable      Z0 Z1 + 0.5*X2
//   expectation     1.01073
//   estimate        1.0021
//   standard_error  0.00542794
//   shots           10000
OPENQASM 3.0;
include "stdgates.inc";

input float[64] theta0;
input float[64] theta1;
input float[64] theta2;
input float[64] theta3;
input float[64] theta4;
input float[64] theta5;
input float[64] theta6;
input float[64] theta7;
qubit[4] q;

ry(theta0) q[0];
ry(theta1) q[1];
ry(theta2) q[2];
ry(theta3) q[3];
rz(theta4) q[0];
rz(theta5) q[1];
rz(theta6) q[2];
rz(theta7) q[3];
cx q[0], q[1];
cx q[1], q[2];
cx q[2], q[3];

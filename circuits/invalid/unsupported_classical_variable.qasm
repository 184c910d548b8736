// expect: 4:1: classical variables (int) are not supported
OPENQASM 3;
qubit q;
int[32] counter = 0;

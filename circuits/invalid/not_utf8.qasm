// expect: 3:10: file is not valid UTF-8: found byte 0xFF
OPENQASM 2.0;
qreg q[1]ÿ;

// expect: 7:1: expected '}' to close the block opened at line 4, found end of file
OPENQASM 2.0;
include "qelib1.inc";
gate bell a, b {
  h a;
  cx a, b;

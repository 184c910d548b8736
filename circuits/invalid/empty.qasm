// expect: 1:1: empty file

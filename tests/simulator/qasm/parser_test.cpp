#include "simulator/qasm/parser.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/simulator/qasm/qasm_test_util.hpp"

namespace qmlsim::qasm {
namespace {

using test::errors_of;
using test::first_error;
using test::parse_ok;
using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(ParserTest, HeaderSelectsTheVersion) {
  EXPECT_EQ(parse_ok("OPENQASM 2.0;\nqreg q[1];\n").version, 2);
  EXPECT_EQ(parse_ok("OPENQASM 3;\nqubit q;\n").version, 3);
  EXPECT_EQ(parse_ok("OPENQASM 3.0;\nqubit q;\n").version, 3);
  EXPECT_EQ(parse_ok("// no header: OpenQASM 3\nqubit q;\n").version, 3);
  EXPECT_EQ(first_error("OPENQASM 4.0;\nqubit q;\n"), "1:10: unsupported OpenQASM version 4.0 (expected 2.0 or 3)");
  EXPECT_EQ(first_error("OPENQASM int;\n"), "1:10: expected a version number (2.0 or 3), found keyword 'int'");
  EXPECT_EQ(first_error("qubit q;\nOPENQASM 3;\n"),
            "2:1: the OPENQASM version statement must be the first statement of the file");
  EXPECT_EQ(first_error("OPENQASM 3 3;\n"), "1:12: expected ';' after the version number, found integer 3");
}

TEST(ParserTest, MissingSemicolonPointsAfterThePreviousToken) {
  EXPECT_EQ(first_error(test::qasm2("qreg q[2];\nh q[0]\ncx q[0], q[1];\n")),
            "4:7: expected ';' after the gate's operands, found 'cx'");
  EXPECT_EQ(first_error(test::qasm2("qreg q[2]\n")), "3:10: expected ';' after the register declaration, found end of file");
}

TEST(ParserTest, UnexpectedTokensSayWhatWasExpected) {
  EXPECT_EQ(first_error(test::qasm2("qreg q[2];\ncx q[0] q[1];\n")),
            "4:9: expected ';' after the gate's operands, found 'q'");
  EXPECT_EQ(first_error(test::qasm2("qreg q[2];\nh q[0;\n")), "4:6: expected ']', found ';'");
  EXPECT_EQ(first_error(test::qasm2("qreg 3;\n")), "3:6: expected a register name, found integer 3");
  EXPECT_EQ(first_error(test::qasm2("qreg q[2];\nrx(0.1 q[0];\n")), "4:8: expected ')' after the gate's parameters, found 'q'");
  EXPECT_EQ(first_error(test::qasm2("qreg q[2];\nrx() q[0];\n")), "4:1: gate 'rx' expects 1 parameter, found 0");
  EXPECT_EQ(first_error(test::qasm2("include 3;\n")), "3:9: expected a file name in double quotes, found integer 3");
  EXPECT_EQ(first_error(test::qasm2(";\n")), "3:1: expected a statement, found ';'");
}

TEST(ParserTest, RecoversAndReportsEveryError) {
  const std::vector<Diagnostic> d = errors_of(test::qasm2("qreg q[2];\n"
                                                          "h q[0]\n"           // 4: missing ';' (swallows line 5)
                                                          "x q[1];\n"          // 5
                                                          "cx q[0] q[1];\n"    // 6: missing ','
                                                          "gate g a {\n"       // 7
                                                          "  h a\n"            // 8: missing ';' in a body
                                                          "  x a;\n"           // 9
                                                          "  rx(*) a;\n"       // 10: bad expression
                                                          "}\n"
                                                          "y q[0];\n"          // 12: fine
                                                          "z q[;\n"));         // 13
  ASSERT_EQ(d.size(), 5U);
  EXPECT_EQ(d[0].line, 4);
  EXPECT_EQ(d[1].line, 6);
  EXPECT_EQ(d[2].line, 8);
  EXPECT_EQ(d[3].line, 10);
  EXPECT_THAT(d[3].message, HasSubstr("expected an expression, found '*'"));
  EXPECT_EQ(d[4].line, 13);
  EXPECT_EQ(d[0].file, "test.qasm");
  EXPECT_EQ(d[1].source_line, "cx q[0] q[1];");
}

TEST(ParserTest, UnclosedBlocksAndStrayBraces) {
  EXPECT_THAT(first_error(test::qasm2("qreg q[1];\ngate g a {\n  h a;\n")),
              HasSubstr("expected '}' to close the block opened at line 4, found end of file"));
  EXPECT_EQ(first_error(test::qasm2("qreg q[1];\n}\n")), "4:1: unexpected '}' with no block open");
}

TEST(ParserTest, UnsupportedOpenQasm3FeaturesAreRefusedByName) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"for uint i in [0:2] { x q[i]; }", "for loops are not supported"},
      {"while (true) { x q[0]; }", "while loops are not supported"},
      {"def f(qubit a) { x a; }", "subroutine definitions (def) are not supported"},
      {"defcal x $0 { }", "calibrations (defcal) are not supported"},
      {"cal { }", "calibrations (cal) are not supported"},
      {"defcalgrammar \"openpulse\";", "calibrations (defcalgrammar) are not supported"},
      {"switch (i) { case 1 { } }", "switch statements are not supported"},
      {"box { x q[0]; }", "box statements are not supported"},
      {"delay[100ns] q[0];", "delay instructions are not supported"},
      {"duration d = 100ns;", "duration and stretch types are not supported"},
      {"stretch s;", "duration and stretch types are not supported"},
      {"extern f(int) -> int;", "extern declarations are not supported"},
      {"complex[float[64]] z;", "complex types are not supported"},
      {"array[int[8], 4] a;", "arrays are not supported"},
      {"let r = q[0:1];", "aliases (let) are not supported"},
      {"output float[64] y;", "output declarations are not supported"},
      {"int[8] i = 3;", "classical variables (int) are not supported"},
      {"float[64] f;", "classical variables (float) are not supported"},
      {"bool b;", "classical variables (bool) are not supported"},
      {"#pragma something", "pragmas (#pragma) are not supported"},
      {"@annotation x q[0];", "annotations (@...) are not supported"},
      {"x $0;", "physical qubits ($0) are not supported"},
      {"if (c == 1) x q[0]; else x q[1];", "else branches are not supported"},
      {"else x q[0];", "else branches are not supported"},
      {"c = 1;", "classical assignments are not supported"},
      {"c[0] += 1;", "classical assignments are not supported"},
      {"measure q[0];", "a measurement needs a target"},
      {"rx(1ns) q[0];", "durations (1ns) are not supported"},
      {"rx(1 & 2) q[0];", "bitwise operators are not supported"},
      {"rx(1 ^ 2) q[0];", "'^' is bitwise xor in OpenQASM 3"},
      {"if (int[4](c) == 1) x q[0];", "type casts are not supported"},
      {"rx(float[64](1)) q[0];", "type casts are not supported"},
      {"if (c != 1) x q[0];", "only 'if (c == value)' and 'if (c[i])' conditions are supported"},
      {"h q[{0, 1}];", "index sets ({...}) are not supported"},
      {"break;", "'break' statements are not supported"},
      {"return;", "return statements are not supported"},
  };
  for (const auto& [statement, message] : cases) {
    const std::string source = test::qasm3("qubit[2] q;\nbit[2] c;\n" + statement + "\n");
    EXPECT_THAT(first_error(source), StartsWith("5:")) << statement;
    EXPECT_THAT(first_error(source), HasSubstr(message)) << statement;
  }
}

TEST(ParserTest, OpenQasm3SyntaxIsRefusedInOpenQasm2) {
  EXPECT_THAT(first_error("OPENQASM 2.0;\nqubit[2] q;\n"), HasSubstr("2:1: 'qubit' declarations requires OpenQASM 3"));
  EXPECT_THAT(first_error("OPENQASM 2.0;\nqreg q[1];\nU(2**2, 0, 0) q[0];\n"), HasSubstr("'**' requires OpenQASM 3"));
  EXPECT_THAT(first_error("OPENQASM 2.0;\nqreg q[1];\ngphase(1);\n"), HasSubstr("gphase requires OpenQASM 3"));
  EXPECT_THAT(first_error("OPENQASM 2.0;\nqreg q[2];\nh q[0:1];\n"), HasSubstr("register slices requires OpenQASM 3"));
  EXPECT_THAT(first_error("OPENQASM 2.0;\nqreg q[2];\ncreg c[2];\nif (c == 1) { h q[0]; }\n"),
              HasSubstr("a block after if requires OpenQASM 3"));
  EXPECT_THAT(first_error("OPENQASM 2.0;\ninclude \"stdgates.inc\";\n"), HasSubstr("OpenQASM 2 programs include \"qelib1.inc\""));
  EXPECT_THAT(first_error("OPENQASM 3;\ninclude \"qelib1.inc\";\n"), HasSubstr("OpenQASM 3 programs include \"stdgates.inc\""));
  // In OpenQASM 2, OpenQASM 3 keywords are ordinary names.
  const Program p = parse_ok("OPENQASM 2.0;\nqreg for[1];\ngate ctrl a { U(0, 0, 0) a; }\nctrl for[0];\n");
  EXPECT_EQ(p.qregs.at(0).name, "for");
}

TEST(ParserTest, StatementsOutOfPlace) {
  EXPECT_THAT(first_error(test::qasm2("qreg q[1];\ngate g a { qreg r[1]; }\n")),
              HasSubstr("4:12: qreg declarations is not allowed inside a gate definition"));
  EXPECT_THAT(first_error(test::qasm2("qreg q[1];\ngate g a { measure a -> c[0]; }\n")),
              HasSubstr("measure is not allowed inside a gate definition"));
  EXPECT_THAT(first_error(test::qasm2("qreg q[1];\ngate g a { reset a; }\n")),
              HasSubstr("reset is not allowed inside a gate definition"));
  EXPECT_THAT(first_error(test::qasm3("qubit q;\nbit c;\nif (c == 1) if (c == 1) x q;\n")),
              HasSubstr("nested if statements are not supported"));
  EXPECT_THAT(first_error(test::qasm3("qubit q;\nbit c;\nif (c == 1) { qubit r; }\n")),
              HasSubstr("qubit declarations is not allowed inside an if statement"));
  EXPECT_THAT(first_error(test::qasm3("qubit q;\ngate U a { }\n")), HasSubstr("'U' is a built-in gate and cannot be redefined"));
}

TEST(ParserTest, DeclarationsAreChecked) {
  EXPECT_THAT(first_error(test::qasm3("const int n;\n")), HasSubstr("3:12: expected '=' and the constant's value, found ';'"));
  EXPECT_THAT(first_error(test::qasm3("const n = 8.0;\n")), HasSubstr("const of type 'n' is not supported"));
  EXPECT_THAT(first_error(test::qasm3("input int[8] n;\n")), HasSubstr("input of type 'int' is not supported"));
  EXPECT_THAT(first_error(test::qasm3("input float x = 1.0;\n")), HasSubstr("an input cannot have an initial value"));
  EXPECT_THAT(first_error(test::qasm3("qubit[2] for;\n")), HasSubstr("expected a qubit register name, found keyword 'for'"));
  EXPECT_THAT(first_error(test::qasm3("qubit q;\nbit c = 1;\n")), HasSubstr("bits can only be initialised by a measurement"));
}

TEST(ParserTest, DeepNestingIsReportedNotFatal) {
  const std::string deep_parens = std::string(3000, '(') + "1" + std::string(3000, ')');
  EXPECT_THAT(first_error("OPENQASM 2.0;\nqreg q[1];\nU(" + deep_parens + ", 0, 0) q[0];\n"), HasSubstr("nesting too deep"));
  EXPECT_THAT(first_error("OPENQASM 2.0;\nqreg q[1];\nU(" + std::string(3000, '-') + "1, 0, 0) q[0];\n"),
              HasSubstr("nesting too deep"));
  std::string long_sum = "1";
  for (int i = 0; i < 3000; ++i) long_sum += "+1";
  EXPECT_THAT(first_error("OPENQASM 2.0;\nqreg q[1];\nU(" + long_sum + ", 0, 0) q[0];\n"), HasSubstr("nesting too deep"));
  std::string power_tower = "1";
  for (int i = 0; i < 3000; ++i) power_tower += "^1";
  EXPECT_THAT(first_error("OPENQASM 2.0;\nqreg q[1];\nU(" + power_tower + ", 0, 0) q[0];\n"), HasSubstr("nesting too deep"));
  // Moderate nesting is fine.
  const std::string ok = std::string(200, '(') + "0.5" + std::string(200, ')');
  EXPECT_DOUBLE_EQ(parse_ok("OPENQASM 2.0;\nqreg q[1];\nU(" + ok + ", 0, 0) q[0];\n").circuit.operations()[0].params[0].offset(), 0.5);
}

TEST(ParserTest, ManyErrorsStopAtTheLimit) {
  std::string body = "qreg q[1];\n";
  for (int i = 0; i < 500; ++i) body += "h q[0] q[0];\n";
  const std::vector<Diagnostic> d = errors_of(test::qasm2(body));
  EXPECT_EQ(d.size(), detail::Diagnostics::kMaxDiagnostics);
  EXPECT_THAT(d.back().message, HasSubstr("too many errors"));
}

TEST(ParserTest, ValidIdentifiers) {
  EXPECT_TRUE(detail::is_valid_identifier("q"));
  EXPECT_TRUE(detail::is_valid_identifier("_x1"));
  EXPECT_TRUE(detail::is_valid_identifier("\xCE\xB8"));
  EXPECT_FALSE(detail::is_valid_identifier(""));
  EXPECT_FALSE(detail::is_valid_identifier("1q"));
  EXPECT_FALSE(detail::is_valid_identifier("x[0]"));
  EXPECT_FALSE(detail::is_valid_identifier("for"));
  EXPECT_FALSE(detail::is_valid_identifier("pi"));
  EXPECT_FALSE(detail::is_valid_identifier("\xFF"));
}

}  // namespace
}  // namespace qmlsim::qasm

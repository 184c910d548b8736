// `qmlsim run FILE.qasm` in-process: register keys, parameters, mid-circuit measurement, gradients
// (against analytic values); a few also through the qmlsim binary (QMLSIM_BINARY), for exit codes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/options.hpp"
#include "cli/run_command.hpp"
#include "simulator/core/errors.hpp"

#include "tests/support/invoke.hpp"
#include "tests/support/temp_files.hpp"

namespace qmlsim::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

using qmlsim::testing::TempDir;

std::string run_text(const std::vector<std::string>& args) {
  std::ostringstream out;
  run_command(args, out);
  return out.str();
}

nlohmann::ordered_json run_json(std::vector<std::string> args) {
  args.insert(args.end(), {"--format", "json"});
  return nlohmann::ordered_json::parse(run_text(args));
}

// The message of the InvalidArgument that run_command(args) throws, or a marker.
std::string bad_input(const std::vector<std::string>& args) {
  std::ostringstream out;
  try {
    run_command(args, out);
  } catch (const InvalidArgument& e) {
    EXPECT_TRUE(out.str().empty());
    return e.what();
  }
  return "<no InvalidArgument>";
}

constexpr const char* kTwoRegisters = R"(OPENQASM 2.0;
include "qelib1.inc";
qreg q[3];
creg c[2];
creg d[1];
x q[0];
x q[2];
measure q[0] -> c[0];
measure q[1] -> c[1];
measure q[2] -> d[0];
)";

// Qubit 0 is measured, then flipped: a mid-circuit measurement.
constexpr const char* kMidCircuit = R"(OPENQASM 2.0;
include "qelib1.inc";
qreg q[2];
creg c[2];
h q[0];
measure q[0] -> c[0];
x q[0];
measure q[0] -> c[1];
)";

// ry(x) on qubit 0, rx(y) on qubit 1: P(qubit 0 = 1) = sin^2(x/2), P(qubit 1 = 1) = sin^2(y/2).
constexpr const char* kTwoInputs = R"(OPENQASM 3.0;
include "stdgates.inc";
input float[64] x;
input float[64] y;
qubit[2] q;
ry(x) q[0];
rx(y) q[1];
)";

// The four probabilities of ry(x) (x) rx(y) on |00>, index = q0 + 2 q1.
std::vector<double> product_probabilities(double x, double y) {
  const double p0 = std::pow(std::sin(x / 2), 2), p1 = std::pow(std::sin(y / 2), 2);
  return {(1 - p0) * (1 - p1), p0 * (1 - p1), (1 - p0) * p1, p0 * p1};
}

void expect_probabilities(const nlohmann::ordered_json& j, const std::vector<double>& expected) {
  ASSERT_EQ(j["probabilities"].size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i)
    EXPECT_NEAR(j["probabilities"][i].get<double>(), expected[i], 1e-14) << i;
}

TEST(RunFileTest, CountKeysFollowQiskitWithTwoRegisters) {
  const TempDir dir;
  const std::string file = dir.write("two.qasm", kTwoRegisters);
  // c = 01 (c[0] = 1), d = 1: "d c" = "1 01".
  const auto counts = run_json({file, "--output", "counts", "--shots", "50"});
  EXPECT_EQ(counts["counts"], nlohmann::ordered_json::parse(R"({"1 01": 50})"));
  const auto summary = run_json({file});
  EXPECT_EQ(summary["circuit"], file);
  EXPECT_EQ(summary["num_qubits"], 3);
  EXPECT_EQ(summary["num_clbits"], 3);
  EXPECT_EQ(summary["method"], "statevector");
  ASSERT_EQ(summary["outcomes"].size(), 1U);
  EXPECT_EQ(summary["outcomes"][0]["bitstring"], "1 01");
  EXPECT_NEAR(summary["outcomes"][0]["probability"].get<double>(), 1.0, 1e-15);
  // probs ignores the terminal measurements: basis state |101> over the qubits.
  const auto probs = run_json({file, "--output", "probs", "--top", "1"});
  EXPECT_EQ(probs["probabilities"].begin().key(), "101");
}

TEST(RunFileTest, RegistersSplitARandomOutcome) {
  const TempDir dir;
  // c[0] random, c[1] = 0, d[0] = 1: keys "1 00" and "1 01", about half each.
  const std::string file = dir.write("half.qasm", R"(OPENQASM 2.0;
include "qelib1.inc";
qreg q[2];
creg c[2];
creg d[1];
h q[0];
x q[1];
measure q[0] -> c[0];
measure q[1] -> d[0];
)");
  const auto j = run_json({file, "--output", "counts", "--shots", "1000", "--seed", "4"});
  ASSERT_EQ(j["counts"].size(), 2U);
  const auto a = j["counts"]["1 00"].get<double>(), b = j["counts"]["1 01"].get<double>();
  EXPECT_EQ(a + b, 1000);
  EXPECT_NEAR(a, 500, 80);  // 5 standard deviations of Binomial(1000, 1/2)
  // The summary's exact outcomes use the same keys.
  const auto s = run_json({file});
  ASSERT_EQ(s["outcomes"].size(), 2U);
  EXPECT_EQ(s["outcomes"][0]["bitstring"], "1 00");
  EXPECT_EQ(s["outcomes"][1]["bitstring"], "1 01");
  EXPECT_NEAR(s["outcomes"][0]["probability"].get<double>(), 0.5, 1e-15);
}

TEST(RunFileTest, MidCircuitMeasurementIsRefusedByExactOutputs) {
  const TempDir dir;
  const std::string file = dir.write("mid.qasm", kMidCircuit);
  for (const std::string output : {"probs", "state"}) {
    const std::string message = bad_input({file, "--output", output});
    EXPECT_EQ(message, file + ": --output " + output + " needs the state before measurement, but the circuit has a "
                                "mid-circuit measurement, reset or classical condition (qubit 0 is measured and then "
                                "used by x), so it has no single final state; use --output counts, which runs it shot "
                                "by shot");
  }
  EXPECT_THAT(bad_input({file, "--output", "expectation", "--observable", "Z0"}),
              HasSubstr("--output expectation needs the state before measurement"));
  // counts run it shot by shot: c[1] is always the flip of c[0], so only "10" and "01".
  const auto j = run_json({file, "--output", "counts", "--shots", "400", "--seed", "2"});
  std::uint64_t total = 0;
  for (const auto& [key, count] : j["counts"].items()) {
    EXPECT_TRUE(key == "10" || key == "01") << key;
    total += count.get<std::uint64_t>();
  }
  EXPECT_EQ(total, 400U);
  // The summary samples too (1024 shots by default) and says so.
  const auto s = run_json({file});
  EXPECT_EQ(s["method"], "trajectories");
  EXPECT_EQ(s["shots"], 1024);
  ASSERT_EQ(s["outcomes"].size(), 2U);
  EXPECT_EQ(s["outcomes"][0]["count"].get<std::uint64_t>() + s["outcomes"][1]["count"].get<std::uint64_t>(), 1024U);
  EXPECT_NEAR(s["outcomes"][0]["frequency"].get<double>() + s["outcomes"][1]["frequency"].get<double>(), 1.0, 1e-15);
}

TEST(RunFileTest, ResetAndIfAreRefusedByProbs) {
  const TempDir dir;
  const std::string reset = dir.write("reset.qasm", R"(OPENQASM 2.0;
include "qelib1.inc";
qreg q[1];
x q[0];
reset q[0];
)");
  EXPECT_THAT(bad_input({reset, "--output", "probs"}), HasSubstr("reset on qubit 0"));
  const std::string conditioned = dir.write("if.qasm", R"(OPENQASM 2.0;
include "qelib1.inc";
qreg q[2];
creg c[1];
x q[0];
measure q[0] -> c[0];
if (c == 1) x q[1];
)");
  EXPECT_THAT(bad_input({conditioned, "--output", "state"}), HasSubstr("is conditioned on classical bits (if)"));
  // Shot by shot, the if always fires: outcomes over c only ("1").
  EXPECT_EQ(run_json({conditioned, "--output", "counts", "--shots", "10"})["counts"],
            nlohmann::ordered_json::parse(R"({"1": 10})"));
}

TEST(RunFileTest, ResetWithoutMeasurementIsReadOutOverTheQubits) {
  const TempDir dir;
  // Qubit 1 is 1; qubit 0 is reset to 0: every shot reads 10.
  const std::string file = dir.write("reset.qasm", R"(OPENQASM 2.0;
include "qelib1.inc";
qreg q[2];
x q[1];
h q[0];
reset q[0];
)");
  EXPECT_EQ(run_json({file, "--output", "counts", "--shots", "20"})["counts"],
            nlohmann::ordered_json::parse(R"({"10": 20})"));
  const auto s = run_json({file, "--shots", "20"});
  EXPECT_EQ(s["method"], "trajectories");
  EXPECT_EQ(s["outcomes"][0]["bitstring"], "10");
  EXPECT_EQ(s["outcomes"][0]["count"], 20);
}

TEST(RunFileTest, ParamsFileAndParamOverride) {
  const TempDir dir;
  const std::string file = dir.write("inputs.qasm", kTwoInputs);
  const std::string params = dir.write("p.json", R"({"x": 1.0, "y": 2.0})");
  expect_probabilities(run_json({file, "--params", params, "--output", "probs"}), product_probabilities(1.0, 2.0));
  // --param overrides the file; a later --param overrides an earlier one.
  expect_probabilities(run_json({file, "--params", params, "--param", "x=0.3", "--output", "probs"}),
                       product_probabilities(0.3, 2.0));
  expect_probabilities(run_json({"--param", "y=-1", "--param", "x=0.5", "--param", "y=2.5", file, "--output", "probs"}),
                       product_probabilities(0.5, 2.5));
  // The summary shows the bound values.
  const auto s = run_json({file, "--params", params, "--param", "x=0.3"});
  EXPECT_EQ(s["parameters"], 2);
  EXPECT_EQ(s["inputs"], nlohmann::ordered_json::parse(R"({"x": 0.3, "y": 2.0})"));
  EXPECT_THAT(run_text({file, "--params", params}), HasSubstr("\ninputs      x=1, y=2\n"));
}

TEST(RunFileTest, ParameterErrorsNameTheInputs) {
  const TempDir dir;
  const std::string file = dir.write("inputs.qasm", kTwoInputs);
  EXPECT_EQ(bad_input({file, "--param", "z=1", "--param", "y=1"}),
            "--param z=1: unknown input 'z'; the inputs of " + file + " are: x, y");
  EXPECT_EQ(bad_input({file}), file + ": 2 inputs have no value: x, y; give values with --param NAME=VALUE or "
                                      "--params FILE.json");
  EXPECT_EQ(bad_input({file, "--param", "y=1"}), file + ": 1 input has no value: x; give values with --param "
                                                         "NAME=VALUE or --params FILE.json");
  const std::string unknown = dir.write("unknown.json", R"({"x": 1, "y": 2, "yy": 3})");
  EXPECT_THAT(bad_input({file, "--params", unknown}),
              StartsWith(unknown + ": unknown input 'yy' (did you mean 'y'?)"));
  const std::string malformed = dir.write("bad.json", R"({"x": 1, "y": })");
  EXPECT_THAT(bad_input({file, "--params", malformed}), StartsWith(malformed + ": invalid JSON: parse error"));
  const std::string text = dir.write("text.json", R"({"x": 1, "y": "2"})");
  EXPECT_EQ(bad_input({file, "--params", text}), text + ": key 'y': expected a number, got string");
  EXPECT_THAT(bad_input({file, "--params", dir.write("missing.json", "") + ".nope"}), HasSubstr("cannot open"));
  // A file without inputs accepts no values.
  const std::string plain = dir.write("two.qasm", kTwoRegisters);
  EXPECT_EQ(bad_input({plain, "--param", "x=1"}),
            "--param x=1: unknown input 'x'; " + plain + " declares no inputs");
}

TEST(RunFileTest, FileErrorsAreBadInput) {
  const TempDir dir;
  std::ostringstream out;
  // A parse error carries the position (ParseError, exit 3).
  const std::string broken = dir.write("broken.qasm", "OPENQASM 2.0;\nqreg q[2];\nfoo q[0];\n");
  try {
    run_command({broken}, out);
    ADD_FAILURE() << "no exception";
  } catch (const ParseError& e) {
    EXPECT_THAT(e.what(), StartsWith(broken + ":3:"));
  }
  EXPECT_THROW(run_command({dir.write("x", "") + "/none.qasm"}, out), Error);
  EXPECT_TRUE(out.str().empty());
  // An observable on a qubit the file lacks.
  EXPECT_EQ(bad_input({dir.write("inputs.qasm", kTwoInputs), "--param", "x=1", "--param", "y=1", "--output",
                       "expectation", "--observable", "Z0 Z2"}),
            "observable 'Z0 Z2' acts on qubit 2 but " + dir.write("inputs.qasm", kTwoInputs) + " has 2 qubits");
}

TEST(RunFileTest, ExpectationOfABoundFile) {
  const TempDir dir;
  const std::string file = dir.write("inputs.qasm", kTwoInputs);
  // <Z0> = cos x, <Z1> = cos y, <Z0 Z1> = cos x cos y for ry(x) (x) rx(y).
  const auto j = run_json({file, "--param", "x=0.4", "--param", "y=1.1", "--output", "expectation", "--observable",
                           "Z0 + 2*Z1 - Z0 Z1"});
  EXPECT_NEAR(j["expectation"].get<double>(), std::cos(0.4) + 2 * std::cos(1.1) - std::cos(0.4) * std::cos(1.1),
              1e-14);
}

// ---- gradient ----

// `qmlsim <args>` (tests/support/invoke.hpp); paths in args are absolute.
using qmlsim::testing::Invocation;
Invocation qmlsim(const TempDir& dir, const std::string& args) { return qmlsim::testing::run_qmlsim(dir, args); }

constexpr const char* kOneRy = R"(OPENQASM 3.0;
include "stdgates.inc";
input float[64] t;
qubit[1] q;
ry(t) q[0];
)";

// ry(a) then ry(2a + b) on one qubit: ry(3a + b), so <Z> = cos(3a + b) -- an input used twice,
// once scaled, next to another.
constexpr const char* kSharedInput = R"(OPENQASM 3.0;
include "stdgates.inc";
input float[64] a;
input float[64] b;
qubit[1] q;
ry(a) q[0];
ry(2 * a + b) q[0];
)";

// crx(a) controlled by |+> (its generator has eigenvalues 0, +-1/2: the four-term rule), and
// cp(b) between two |+> qubits read out in X (eigenvalues 0, 1):
//   <Z1> = (1 + cos a)/2, <Y1> = -sin(a)/2, <Z3> = (1 + cos b)/2.
constexpr const char* kControlled = R"(OPENQASM 3.0;
include "stdgates.inc";
input float[64] a;
input float[64] b;
qubit[4] q;
h q[0];
crx(a) q[0], q[1];
h q[2];
h q[3];
cp(b) q[2], q[3];
h q[3];
)";

const std::vector<std::string> kMethods = {"adjoint", "shift", "fd"};

// Tolerance of each method against an analytic derivative: adjoint and parameter shift are exact
// up to rounding; central differences with h = 1e-5 err by ~h^2/6 plus ~1e-16/h.
double tolerance(const std::string& method) { return method == "fd" ? 1e-8 : 1e-12; }

nlohmann::ordered_json gradient_json(const std::string& file, std::vector<std::string> args) {
  args.insert(args.begin(), file);
  args.insert(args.end(), {"--output", "gradient"});
  return run_json(args);
}

TEST(RunFileTest, GradientOfRyIsMinusSine) {
  const TempDir dir;
  const std::string file = dir.write("ry.qasm", kOneRy);
  for (const double t : {0.0, 0.3, 1.7, -2.9}) {
    for (const std::string& method : kMethods) {
      SCOPED_TRACE(method + " at " + std::to_string(t));
      const std::string param = "t=" + format_exact(t);
      // <Z> = cos t, <X> = sin t after ry(t)|0>.
      const auto z = gradient_json(file, {"--param", param, "--observable", "Z0", "--method", method});
      EXPECT_NEAR(z["expectation"].get<double>(), std::cos(t), 1e-14);
      ASSERT_EQ(z["gradient"].size(), 1U);
      EXPECT_NEAR(z["gradient"]["t"].get<double>(), -std::sin(t), tolerance(method));
      const auto x = gradient_json(file, {"--param", param, "--observable", "2*X0 + 1", "--method", method});
      EXPECT_NEAR(x["expectation"].get<double>(), 2 * std::sin(t) + 1, 1e-14);
      EXPECT_NEAR(x["gradient"]["t"].get<double>(), 2 * std::cos(t), tolerance(method));
    }
  }
}

TEST(RunFileTest, GradientOfTwoInputsMatchesTheAnalyticFormula) {
  const TempDir dir;
  const std::string file = dir.write("inputs.qasm", kTwoInputs);
  const std::string params = dir.write("p.json", R"({"x": 9.0, "y": 1.1})");
  // ry(x) (x) rx(y): <Z0> = cos x, <X0> = sin x, <Z1> = cos y, <Y1> = -sin y.
  const std::string observable = "Z0 + 2*Z1 - Z0 Z1 + 0.5*X0 - 0.25*Y1";
  const double x = 0.4, y = 1.1;
  const double f = std::cos(x) + 2 * std::cos(y) - std::cos(x) * std::cos(y) + 0.5 * std::sin(x) + 0.25 * std::sin(y);
  const double dx = -std::sin(x) + std::sin(x) * std::cos(y) + 0.5 * std::cos(x);
  const double dy = -2 * std::sin(y) + std::cos(x) * std::sin(y) + 0.25 * std::cos(y);
  for (const std::string& method : kMethods) {
    SCOPED_TRACE(method);
    // Inputs are bound as for the other outputs: --params, then --param overriding it.
    const auto j = gradient_json(file, {"--params", params, "--param", "x=0.4", "--observable", observable,
                                        "--method", method});
    EXPECT_EQ(j.begin().key(), "expectation");
    EXPECT_NEAR(j["expectation"].get<double>(), f, 1e-14);
    EXPECT_EQ(j["method"], method);
    ASSERT_EQ(j["gradient"].size(), 2U);
    EXPECT_EQ(j["gradient"].begin().key(), "x");  // declaration order
    EXPECT_NEAR(j["gradient"]["x"].get<double>(), dx, tolerance(method));
    EXPECT_NEAR(j["gradient"]["y"].get<double>(), dy, tolerance(method));
    // --wrt y: only y.
    const auto only_y = gradient_json(file, {"--param", "x=0.4", "--param", "y=1.1", "--observable", observable,
                                             "--method", method, "--wrt", "y"});
    ASSERT_EQ(only_y["gradient"].size(), 1U);
    EXPECT_NEAR(only_y["gradient"]["y"].get<double>(), dy, tolerance(method));
  }
  // The fourth-order stencil with a larger step is as good.
  const auto fd4 = gradient_json(file, {"--param", "x=0.4", "--param", "y=1.1", "--observable", observable,
                                        "--method", "fd", "--fd-order", "4", "--fd-step", "1e-3"});
  EXPECT_NEAR(fd4["gradient"]["x"].get<double>(), dx, 1e-11);
  EXPECT_NEAR(fd4["gradient"]["y"].get<double>(), dy, 1e-11);
  // The CSV rows carry the bound values.
  const std::string csv = run_text({file, "--params", params, "--param", "x=0.4", "--output", "gradient",
                                    "--observable", "Z0", "--format", "csv"});
  EXPECT_THAT(csv, HasSubstr(",x,0.4,"));
  EXPECT_THAT(csv, HasSubstr(",y,1.1,"));
}

TEST(RunFileTest, GradientChainsThroughSharedAndScaledInputs) {
  const TempDir dir;
  const std::string file = dir.write("shared.qasm", kSharedInput);
  const double a = 0.35, b = -0.8;
  for (const std::string& method : kMethods) {
    SCOPED_TRACE(method);
    const auto j = gradient_json(file, {"--param", "a=0.35", "--param", "b=-0.8", "--observable", "Z0",
                                        "--method", method});
    EXPECT_NEAR(j["expectation"].get<double>(), std::cos(3 * a + b), 1e-14);
    EXPECT_NEAR(j["gradient"]["a"].get<double>(), -3 * std::sin(3 * a + b), 3 * tolerance(method));
    EXPECT_NEAR(j["gradient"]["b"].get<double>(), -std::sin(3 * a + b), tolerance(method));
  }
  // An angle that is a product of inputs (an expression Param): <Z> = cos(a b).
  const std::string product = dir.write("product.qasm", R"(OPENQASM 3.0;
include "stdgates.inc";
input float[64] a;
input float[64] b;
qubit[1] q;
ry(a * b) q[0];
)");
  for (const std::string& method : kMethods) {
    SCOPED_TRACE(method);
    const auto j = gradient_json(product, {"--param", "a=0.35", "--param", "b=-0.8", "--observable", "Z0",
                                           "--method", method});
    EXPECT_NEAR(j["expectation"].get<double>(), std::cos(a * b), 1e-14);
    EXPECT_NEAR(j["gradient"]["a"].get<double>(), -b * std::sin(a * b), tolerance(method));
    EXPECT_NEAR(j["gradient"]["b"].get<double>(), -a * std::sin(a * b), tolerance(method));
  }
}

TEST(RunFileTest, GradientOfControlledAndPhaseGates) {
  const TempDir dir;
  const std::string file = dir.write("controlled.qasm", kControlled);
  const double a = 0.9, b = 2.3;
  for (const std::string& method : kMethods) {
    SCOPED_TRACE(method);
    const auto j = gradient_json(file, {"--param", "a=0.9", "--param", "b=2.3", "--observable", "Z1 - Y1 + 2*Z3",
                                        "--method", method});
    EXPECT_NEAR(j["expectation"].get<double>(), (1 + std::cos(a)) / 2 + std::sin(a) / 2 + (1 + std::cos(b)), 1e-14);
    EXPECT_NEAR(j["gradient"]["a"].get<double>(), (std::cos(a) - std::sin(a)) / 2, tolerance(method));
    EXPECT_NEAR(j["gradient"]["b"].get<double>(), -std::sin(b), tolerance(method));
  }
}

TEST(RunFileTest, GradientShotEstimateIsWithinFiveStandardErrorsAndSeeded) {
  const TempDir dir;
  const std::string file = dir.write("inputs.qasm", kTwoInputs);
  const double x = 0.4, y = 1.1;
  const std::vector<std::string> args = {file, "--param", "x=0.4", "--param", "y=1.1", "--output", "gradient",
                                         "--observable", "Z0 + 2*Z1 - Z0 Z1 + 0.5*X0", "--method", "shift",
                                         "--shots", "4000", "--seed", "3"};
  const auto j = run_json(args);
  const double f = std::cos(x) + 2 * std::cos(y) - std::cos(x) * std::cos(y) + 0.5 * std::sin(x);
  const double dx = -std::sin(x) + std::sin(x) * std::cos(y) + 0.5 * std::cos(x);
  const double dy = -2 * std::sin(y) + std::cos(x) * std::sin(y);
  EXPECT_EQ(j["shots"], 4000);
  EXPECT_EQ(j["seed"], 3);
  const double value_se = j["expectation_standard_error"].get<double>();
  EXPECT_GT(value_se, 0.0);
  EXPECT_LT(std::abs(j["expectation"].get<double>() - f), 5 * value_se);
  for (const auto& [name, exact] : {std::pair{"x", dx}, std::pair{"y", dy}}) {
    const double se = j["standard_error"][name].get<double>();
    EXPECT_GT(se, 0.0) << name;
    EXPECT_LT(se, 0.1) << name;  // ~ 1/sqrt(4000) per run, a few runs per entry
    EXPECT_LT(std::abs(j["gradient"][name].get<double>() - exact), 5 * se) << name;
  }
  // Reproducible from the seed; another seed draws other shots (the inputs stay).
  EXPECT_EQ(run_json(args), j);
  auto other = args;
  other.back() = "4";
  const auto k = run_json(other);
  EXPECT_NE(k["gradient"], j["gradient"]);
  EXPECT_LT(std::abs(k["gradient"]["x"].get<double>() - dx), 5 * k["standard_error"]["x"].get<double>());
  // The table has a standard error column.
  EXPECT_THAT(run_text(args), HasSubstr("\n\nparameter  value  derivative  standard_error\n"));
}

TEST(RunFileTest, GradientOfAFileWithoutInputsIsEmpty) {
  const TempDir dir;
  const std::string file = dir.write("two.qasm", kTwoRegisters);  // |101>, measured at the end
  const auto j = gradient_json(file, {"--observable", "Z0 Z2 + 0.5*Z1"});
  EXPECT_NEAR(j["expectation"].get<double>(), 1.5, 1e-14);
  EXPECT_TRUE(j["gradient"].is_object());
  EXPECT_TRUE(j["gradient"].empty());
  EXPECT_EQ(run_text({file, "--output", "gradient", "--observable", "Z0", "--format", "csv"}),
            "observable,expectation,method,evaluations,parameter,value,derivative\n");
  EXPECT_EQ(bad_input({file, "--output", "gradient", "--observable", "Z0", "--wrt", "x"}),
            "--wrt x: unknown input 'x'; " + file + " declares no inputs");
}

TEST(RunFileTest, GradientWrtNamesAreChecked) {
  const TempDir dir;
  const std::string file = dir.write("inputs.qasm", kTwoInputs);
  EXPECT_EQ(bad_input({file, "--param", "x=1", "--param", "y=2", "--output", "gradient", "--observable", "Z0",
                       "--wrt", "y,xx"}),
            "--wrt xx: unknown input 'xx' (did you mean 'x'?); the inputs of " + file + " are: x, y");
  // Binding errors come first, as for the other outputs.
  EXPECT_THAT(bad_input({file, "--param", "x=1", "--output", "gradient", "--observable", "Z0", "--wrt", "q"}),
              HasSubstr("1 input has no value: y"));
}

TEST(RunFileTest, MidCircuitMeasurementIsRefusedByGradient) {
  const TempDir dir;
  const std::string file = dir.write("mid.qasm", kMidCircuit);
  const std::string message = bad_input({file, "--output", "gradient", "--observable", "Z0"});
  EXPECT_EQ(message, file + ": --output gradient needs the state before measurement, but the circuit has a "
                              "mid-circuit measurement, reset or classical condition (qubit 0 is measured and then "
                              "used by x), so it has no single final state; gradients need every measurement at the "
                              "end of the circuit");
  // Through the binary: exit code 3, the message on standard error, nothing on standard output.
  for (const std::string method : {"adjoint", "shift --shots 10", "fd"}) {
    const Invocation r = qmlsim(dir, "run " + file + " --output gradient --observable Z0 --method " + method);
    EXPECT_EQ(r.exit_code, 3) << method;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err, "qmlsim run: error: " + message + "\n") << method;
  }
}

TEST(RunFileTest, GradientThroughTheBinary) {
  const TempDir dir;
  const std::string file = dir.write("ry.qasm", kOneRy);
  const Invocation ok = qmlsim(dir, "run " + file + " --param t=0.3 --output gradient --observable Z0 --format json");
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(ok.err, "");
  const auto j = nlohmann::ordered_json::parse(ok.out);
  EXPECT_NEAR(j["expectation"].get<double>(), std::cos(0.3), 1e-14);
  EXPECT_NEAR(j["gradient"]["t"].get<double>(), -std::sin(0.3), 1e-12);
  // Meaningless combinations: exit code 2, with the reason.
  const Invocation shots = qmlsim(dir, "run " + file + " --param t=0.3 --output gradient --observable Z0 --shots 100");
  EXPECT_EQ(shots.exit_code, 2);
  EXPECT_EQ(shots.out, "");
  EXPECT_THAT(shots.err, HasSubstr("--shots does not apply to --method adjoint"));
  const Invocation method = qmlsim(dir, "run " + file + " --param t=0.3 --method shift");
  EXPECT_EQ(method.exit_code, 2);
  EXPECT_THAT(method.err, HasSubstr("--method applies to --output gradient"));
}

}  // namespace
}  // namespace qmlsim::cli

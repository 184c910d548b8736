// End-to-end tests of the example circuits in circuits/ (path: QMLSIM_SOURCE_DIR): every file is
// parsed and simulated in-process and compared with results derived independently (analytic
// formulas, or the same circuit built with the C++ builders); a few also run through the qmlsim
// binary (QMLSIM_BINARY). A new .qasm file in circuits/ without a test here fails CoverageTest.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "simulator/circuit/circuit.hpp"
#include "simulator/core/bits.hpp"
#include "simulator/core/types.hpp"
#include "simulator/execution/simulator.hpp"
#include "simulator/observables/pauli.hpp"
#include "simulator/qasm/qasm.hpp"
#include "tests/support/dense_reference.hpp"

namespace qmlsim {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

const std::filesystem::path kCircuits = std::filesystem::path(QMLSIM_SOURCE_DIR) / "circuits";

// Every example file and the test that checks it (CoverageTest keeps this list complete).
const std::set<std::string> kCovered = {
    "bell.qasm",     "ghz_5.qasm",           "qft_4.qasm",           "grover_3.qasm",
    "teleport.qasm", "deutsch_jozsa_4.qasm", "bernstein_vazirani_5.qasm", "zz_feature_map.qasm",
    "hardware_efficient_ansatz.qasm", "variational_classifier.qasm", "reupload_classifier.qasm"};

std::string path_of(const std::string& name) { return (kCircuits / name).string(); }

qasm::Program load(const std::string& name) { return qasm::parse_file(kCircuits / name); }

// ---- the binary ----

struct Invocation {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs `qmlsim <args>` through the shell (args are trusted test literals).
Invocation qmlsim(const std::string& args) {
  std::string out = (std::filesystem::temp_directory_path() / "qmlsim_examples_XXXXXX").string();
  std::string err = out;
  const int fd_out = mkstemp(out.data()), fd_err = mkstemp(err.data());
  if (fd_out < 0 || fd_err < 0) throw std::runtime_error("mkstemp failed");
  close(fd_out);
  close(fd_err);
  const std::string command =
      std::string("'") + QMLSIM_BINARY + "' " + args + " >'" + out + "' 2>'" + err + "' </dev/null";
  const int status = std::system(command.c_str());
  Invocation r;
  r.exit_code = status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_file(out);
  r.err = read_file(err);
  std::remove(out.c_str());
  std::remove(err.c_str());
  return r;
}

nlohmann::ordered_json qmlsim_json(const std::string& args) {
  const Invocation r = qmlsim(args + " --format json");
  EXPECT_EQ(r.exit_code, 0) << args << "\n" << r.err;
  EXPECT_EQ(r.err, "");
  return r.exit_code == 0 ? nlohmann::ordered_json::parse(r.out) : nlohmann::ordered_json();
}

// ---- helpers ----

// Probability of each value of `qubits` (bit j = qubits[j]) in the final state (terminal
// measurements ignored), summed by hand from the amplitudes.
std::vector<double> marginal(const StateVector<double>& state, const std::vector<Qubit>& qubits) {
  std::vector<double> p(std::size_t{1} << qubits.size(), 0.0);
  for (Index i = 0; i < state.size(); ++i)
    p[extract_bits(i, qubits.data(), static_cast<int>(qubits.size()))] += std::norm(state[i]);
  return p;
}

// The same state, global phase included: OpenQASM 3's stdgates.inc gates are Qiskit's (h is H,
// crx is CRX), so a file's state equals the builder circuit's amplitude for amplitude.
void expect_same_state(const std::vector<cdouble>& a, const std::vector<cdouble>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_NEAR(a[i].real(), b[i].real(), 1e-13) << i;
    EXPECT_NEAR(a[i].imag(), b[i].imag(), 1e-13) << i;
  }
}

std::vector<cdouble> amplitudes_of(const StateVector<double>& state) {
  return {state.amplitudes().begin(), state.amplitudes().end()};
}

TEST(ExamplesTest, CoverageEveryExampleFileHasATest) {
  std::set<std::string> present;
  for (const auto& entry : std::filesystem::directory_iterator(kCircuits))
    if (entry.is_regular_file() && entry.path().extension() == ".qasm") present.insert(entry.path().filename().string());
  for (const auto& name : present) EXPECT_TRUE(kCovered.count(name)) << name << " has no test in examples_test.cpp";
  for (const auto& name : kCovered) EXPECT_TRUE(present.count(name)) << name << " is missing from circuits/";
}

TEST(ExamplesTest, EveryFileParsesRunsAndSamples) {
  for (const auto& name : kCovered) {
    SCOPED_TRACE(name);
    const qasm::Program p = load(name);
    EXPECT_EQ(p.inputs, p.circuit.parameter_names());
    std::vector<double> theta;
    for (std::size_t i = 0; i < p.inputs.size(); ++i) theta.push_back(0.25 * static_cast<double>(i + 1));
    const Counts counts = Simulator().sample(p.circuit, theta, 64, 1);
    std::uint64_t total = 0;
    for (const auto& [outcome, k] : counts) total += k;
    EXPECT_EQ(total, 64U);
    if (!p.circuit.needs_trajectories()) {
      EXPECT_NEAR(Simulator().run(p.circuit, theta).norm(), 1.0, 1e-12);
    }
    // The header comment says what the file shows and how to run it.
    EXPECT_THAT(read_file(path_of(name)), StartsWith("// "));
    EXPECT_THAT(read_file(path_of(name)), HasSubstr("qmlsim run circuits/" + name));
  }
}

TEST(ExamplesTest, BellHasHalfOn00And11) {
  const qasm::Program p = load("bell.qasm");
  ASSERT_EQ(p.circuit.num_qubits(), 2);
  const auto probs = Simulator().run(p.circuit).probabilities();
  EXPECT_NEAR(probs[0], 0.5, 1e-15);
  EXPECT_NEAR(probs[3], 0.5, 1e-15);
  EXPECT_NEAR(probs[1] + probs[2], 0.0, 1e-30);

  const auto j = qmlsim_json("run " + path_of("bell.qasm") + " --output probs");
  EXPECT_EQ(j.size(), 2U);
  EXPECT_EQ(j["num_qubits"], 2);
  ASSERT_EQ(j["probabilities"].size(), 4U);
  for (std::size_t i = 0; i < 4; ++i)
    EXPECT_NEAR(j["probabilities"][i].get<double>(), (i == 0 || i == 3) ? 0.5 : 0.0, 1e-15);
  const auto zz = qmlsim_json("run " + path_of("bell.qasm") + " --output expectation --observable 'Z0 Z1'");
  EXPECT_NEAR(zz["expectation"].get<double>(), 1.0, 1e-14);
}

TEST(ExamplesTest, GhzFiveHasHalfOnAllZerosAndAllOnes) {
  const qasm::Program p = load("ghz_5.qasm");
  ASSERT_EQ(p.circuit.num_qubits(), 5);
  const auto probs = Simulator().run(p.circuit).probabilities();
  for (Index i = 0; i < 32; ++i) EXPECT_NEAR(probs[i], (i == 0 || i == 31) ? 0.5 : 0.0, 1e-15) << i;

  const auto j = qmlsim_json("run " + path_of("ghz_5.qasm") + " --output counts --shots 1000 --seed 7");
  std::uint64_t total = 0;
  for (const auto& [key, count] : j["counts"].items()) {
    EXPECT_TRUE(key == "00000" || key == "11111") << key;
    total += count.get<std::uint64_t>();
  }
  EXPECT_EQ(total, 1000U);
}

TEST(ExamplesTest, QftOfFiveHasTheFourierPhases) {
  const qasm::Program p = load("qft_4.qasm");
  ASSERT_EQ(p.circuit.num_qubits(), 4);
  const auto state = Simulator().run(p.circuit);
  for (Index y = 0; y < 16; ++y) {
    const cdouble expected = std::polar(0.25, 2 * kPi * 5.0 * static_cast<double>(y) / 16.0);
    EXPECT_NEAR(std::abs(state[y] - expected), 0.0, 1e-14) << y;
  }
  const auto j = qmlsim_json("run " + path_of("qft_4.qasm") + " --output probs");
  for (const auto& prob : j["probabilities"]) EXPECT_NEAR(prob.get<double>(), 1.0 / 16, 1e-15);
}

TEST(ExamplesTest, GroverFindsTheMarkedStateWithTheTextbookProbability) {
  const qasm::Program p = load("grover_3.qasm");
  ASSERT_EQ(p.circuit.num_qubits(), 3);
  const double theta = std::asin(1 / std::sqrt(8.0));
  const double success = std::pow(std::sin(5 * theta), 2);  // (2k + 1) theta, k = 2
  EXPECT_NEAR(success, 0.9453125, 1e-15);                   // = 121/128
  const auto probs = Simulator().run(p.circuit).probabilities();
  for (Index i = 0; i < 8; ++i) EXPECT_NEAR(probs[i], i == 0b101 ? success : (1 - success) / 7, 1e-14) << i;

  // The summary lists 101 first.
  const auto j = qmlsim_json("run " + path_of("grover_3.qasm") + " --top 2");
  EXPECT_EQ(j["outcomes"][0]["bitstring"], "101");
  EXPECT_NEAR(j["outcomes"][0]["probability"].get<double>(), success, 1e-14);
}

TEST(ExamplesTest, TeleportReproducesThePreparedState) {
  const qasm::Program p = load("teleport.qasm");
  ASSERT_EQ(p.circuit.num_qubits(), 3);
  ASSERT_EQ(p.cregs.size(), 3U);
  EXPECT_TRUE(p.circuit.needs_trajectories());
  // The prepared state u3(pi/3, pi/4, 0)|0>.
  const cdouble a0 = std::cos(kPi / 6), a1 = std::polar(std::sin(kPi / 6), kPi / 4);

  // Each trajectory, stopped before the final measurement, leaves qubit 2 in the prepared state
  // (up to a global phase) next to the measured basis states of qubits 0 and 1.
  Circuit before_last(p.circuit.num_qubits(), p.circuit.num_clbits());
  const auto& ops = p.circuit.operations();
  ASSERT_EQ(ops.back().kind, GateKind::Measure);
  for (std::size_t k = 0; k + 1 < ops.size(); ++k) before_last.append(ops[k]);
  std::set<int> seen;
  for (std::uint64_t shot = 0; shot < 40; ++shot) {
    const Shot<double> s = Simulator().run_shot(before_last, {}, 5, shot);
    const Index m = Index{s.clbits[0]} | (Index{s.clbits[1]} << 1);  // qubits 0, 1 as measured
    seen.insert(static_cast<int>(m));
    const cdouble b0 = s.state[m], b1 = s.state[m | 4];
    EXPECT_NEAR(std::norm(b0) + std::norm(b1), 1.0, 1e-12);
    EXPECT_NEAR(std::abs(std::conj(a0) * b0 + std::conj(a1) * b1), 1.0, 1e-12) << "shot " << shot;
  }
  EXPECT_EQ(seen.size(), 4U);  // all four corrections were exercised

  // Statistics: c2 = 1 with probability sin^2(pi/6) = 1/4, independent of c0, c1 (uniform).
  const std::uint64_t shots = 8000;
  const Counts counts = Simulator().sample(p.circuit, {}, shots, 11);
  double c2 = 0, c0 = 0;
  for (const auto& [key, k] : counts) {
    c2 += static_cast<double>(((key >> 2) & 1U) * k);
    c0 += static_cast<double>((key & 1U) * k);
  }
  const double n = static_cast<double>(shots);
  EXPECT_NEAR(c2 / n, 0.25, 5 * std::sqrt(0.25 * 0.75 / n));
  EXPECT_NEAR(c0 / n, 0.5, 5 * std::sqrt(0.25 / n));

  // Through the binary: keys "c2 c1 c0", and no single final state for probs.
  const auto j = qmlsim_json("run " + path_of("teleport.qasm") + " --output counts --shots 200 --seed 1");
  for (const auto& [key, count] : j["counts"].items()) {
    ASSERT_EQ(key.size(), 5U) << key;
    EXPECT_EQ(key[1], ' ');
    EXPECT_EQ(key[3], ' ');
  }
  const Invocation refused = qmlsim("run " + path_of("teleport.qasm") + " --output probs");
  EXPECT_EQ(refused.exit_code, 3);
  EXPECT_EQ(refused.out, "");
  EXPECT_THAT(refused.err, HasSubstr("mid-circuit measurement"));
}

TEST(ExamplesTest, DeutschJozsaBalancedNeverGivesAllZeros) {
  const qasm::Program p = load("deutsch_jozsa_4.qasm");
  ASSERT_EQ(p.circuit.num_qubits(), 5);
  const auto f = [](Index x) { return static_cast<int>((x & 1U) ^ (((x >> 1) & 1U) & ((x >> 2) & 1U))); };
  // Balanced: half the inputs give 1.
  int ones = 0;
  for (Index x = 0; x < 16; ++x) ones += f(x);
  EXPECT_EQ(ones, 8);
  // P(y) = |1/16 sum_x (-1)^(f(x) + x.y)|^2 for the 4 input qubits.
  const auto measured = marginal(Simulator().run(p.circuit), {0, 1, 2, 3});
  for (Index y = 0; y < 16; ++y) {
    double amplitude = 0;
    for (Index x = 0; x < 16; ++x) amplitude += ((f(x) + popcount(x & y)) % 2 ? -1.0 : 1.0) / 16;
    EXPECT_NEAR(measured[y], amplitude * amplitude, 1e-14) << y;
  }
  EXPECT_NEAR(measured[0], 0.0, 1e-28);

  const auto j = qmlsim_json("run " + path_of("deutsch_jozsa_4.qasm") + " --output counts --shots 500 --seed 3");
  EXPECT_FALSE(j["counts"].contains("0000"));
}

TEST(ExamplesTest, BernsteinVaziraniReadsTheHiddenString) {
  const qasm::Program p = load("bernstein_vazirani_5.qasm");
  ASSERT_EQ(p.circuit.num_qubits(), 5);
  const auto measured = marginal(Simulator().run(p.circuit), {0, 1, 2, 3});
  EXPECT_NEAR(measured[from_bitstring("1011")], 1.0, 1e-14);

  const auto j = qmlsim_json("run " + path_of("bernstein_vazirani_5.qasm") + " --output counts --shots 100");
  EXPECT_EQ(j["counts"], nlohmann::ordered_json::parse(R"({"1011": 100})"));
}

// Qiskit's ZZFeatureMap(2, reps=2) with constant angles, from the C++ builders.
Circuit zz_feature_map(double x0, double x1) {
  Circuit c(2);
  for (int rep = 0; rep < 2; ++rep) {
    c.h(0).h(1).p(2 * x0, 0).p(2 * x1, 1);
    c.cx(0, 1).p(2 * (kPi - x0) * (kPi - x1), 1).cx(0, 1);
  }
  return c;
}

TEST(ExamplesTest, ZzFeatureMapMatchesTheBuilderCircuit) {
  const qasm::Program p = load("zz_feature_map.qasm");
  EXPECT_EQ(p.version, 3);
  ASSERT_EQ(p.inputs, (std::vector<std::string>{"x0", "x1"}));
  for (const auto& [x0, x1] : {std::pair{0.5, -1.25}, std::pair{2.0, 0.1}, std::pair{0.0, 0.0}}) {
    SCOPED_TRACE(std::to_string(x0) + ", " + std::to_string(x1));
    expect_same_state(amplitudes_of(Simulator().run(p.circuit, std::vector<double>{x0, x1})),
                                  amplitudes_of(Simulator().run(zz_feature_map(x0, x1))));
  }
  const auto j = qmlsim_json("run " + path_of("zz_feature_map.qasm") + " --param x0=0.5 --param x1=-1.25 --output state");
  std::vector<cdouble> printed;
  for (const auto& a : j["amplitudes"]) printed.emplace_back(a[0].get<double>(), a[1].get<double>());
  expect_same_state(printed, amplitudes_of(Simulator().run(zz_feature_map(0.5, -1.25))));
}

// ry(theta_i) on qubit i, rz(theta_{4+i}) on qubit i, cx chain: from the C++ builders.
Circuit hardware_efficient_ansatz(const std::vector<double>& theta) {
  Circuit c(4);
  for (int q = 0; q < 4; ++q) c.ry(theta[static_cast<std::size_t>(q)], q);
  for (int q = 0; q < 4; ++q) c.rz(theta[static_cast<std::size_t>(4 + q)], q);
  return c.cx(0, 1).cx(1, 2).cx(2, 3);
}

TEST(ExamplesTest, HardwareEfficientAnsatzMatchesTheBuilderCircuit) {
  const qasm::Program p = load("hardware_efficient_ansatz.qasm");
  EXPECT_EQ(p.version, 3);
  ASSERT_EQ(p.inputs.size(), 8U);
  for (std::size_t i = 0; i < 8; ++i) EXPECT_EQ(p.inputs[i], "theta" + std::to_string(i));
  const std::vector<double> theta = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8};
  const auto expected = Simulator().run(hardware_efficient_ansatz(theta));
  expect_same_state(amplitudes_of(Simulator().run(p.circuit, theta)), amplitudes_of(expected));

  // Through the binary, with the values in a --params file and one --param override.
  const std::string params =
      (std::filesystem::temp_directory_path() / ("qmlsim_hea_params_" + std::to_string(getpid()) + ".json")).string();
  {
    nlohmann::json values;
    for (std::size_t i = 0; i < 8; ++i) values["theta" + std::to_string(i)] = i == 3 ? 9.0 : theta[i];
    std::ofstream(params) << values.dump();
  }
  const auto j = qmlsim_json("run " + path_of("hardware_efficient_ansatz.qasm") + " --params " + params +
                             " --param theta3=0.4 --output expectation --observable 'Z0 Z1 + 0.5*X2'");
  std::remove(params.c_str());
  EXPECT_NEAR(j["expectation"].get<double>(), expectation(PauliSum::parse("Z0 Z1 + 0.5*X2"), expected), 1e-13);
  // Unbound inputs are all listed.
  const Invocation r = qmlsim("run " + path_of("hardware_efficient_ansatz.qasm") + " --param theta0=1");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.err, HasSubstr("7 inputs have no value: theta1, theta2, theta3, theta4, theta5, theta6, theta7"));
}

// The classifier at inputs v = (x0, x1, w0, ..., w5), from the C++ builders (stdgates' crx is
// Qiskit's CRX).
Circuit variational_classifier(const std::vector<double>& v) {
  Circuit c(2);
  c.ry(kPi * v[0], 0).ry(kPi * v[1], 1);
  c.ry(v[2], 0).ry(v[3], 1).rz(v[4], 0).rz(v[5], 1).cx(0, 1);
  return c.crx(v[6], 1, 0).ry(v[7], 0);
}

TEST(ExamplesTest, VariationalClassifierMatchesTheBuilderCircuitAndItsGradient) {
  const qasm::Program p = load("variational_classifier.qasm");
  EXPECT_EQ(p.version, 3);
  const std::vector<std::string> names = {"x0", "x1", "w0", "w1", "w2", "w3", "w4", "w5"};
  ASSERT_EQ(p.inputs, names);
  const std::vector<double> v = {0.2, 0.7, 0.1, -0.4, 0.3, 0.8, 1.2, -0.6};  // as in the file's header
  expect_same_state(amplitudes_of(Simulator().run(p.circuit, v)),
                                amplitudes_of(Simulator().run(variational_classifier(v))));

  // The reference: <Z0> of the builder circuit and its five-point finite differences (h = 1e-3).
  const PauliSum z0 = PauliSum::parse("Z0");
  const auto score = [&](const std::vector<double>& at) {
    return expectation(z0, Simulator().run(variational_classifier(at)));
  };
  std::vector<double> reference;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const auto moved = [&](double h) {
      std::vector<double> at = v;
      at[i] += h;
      return score(at);
    };
    const double h = 1e-3;
    reference.push_back((-moved(2 * h) + 8 * moved(h) - 8 * moved(-h) + moved(-2 * h)) / (12 * h));
  }
  std::string args = "run " + path_of("variational_classifier.qasm");
  for (std::size_t i = 0; i < v.size(); ++i) args += " --param " + names[i] + "=" + std::to_string(v[i]);
  args += " --output gradient --observable Z0";
  for (const std::string method : {"adjoint", "shift"}) {
    SCOPED_TRACE(method);
    const auto j = qmlsim_json(args + " --method " + method);
    EXPECT_NEAR(j["expectation"].get<double>(), score(v), 1e-14);
    ASSERT_EQ(j["gradient"].size(), names.size());
    std::size_t i = 0;
    for (const auto& [name, derivative] : j["gradient"].items()) {
      EXPECT_EQ(name, names[i]);
      EXPECT_NEAR(derivative.get<double>(), reference[i], 1e-10) << name;
      ++i;
    }
  }
  // The header's table, as printed (6 significant digits).
  const Invocation table = qmlsim(args);
  ASSERT_EQ(table.exit_code, 0) << table.err;
  std::string header_table;
  std::istringstream file(read_file(path_of("variational_classifier.qasm")));
  bool inside = false;
  for (std::string line; std::getline(file, line) && line.starts_with("//");) {
    if (line.starts_with("//   observable")) inside = true;
    if (inside) header_table += (line.size() > 5 ? line.substr(5) : "") + "\n";
  }
  EXPECT_EQ(table.out, header_table);
}

// The re-uploading classifier's header: "//   x = (a, b):  P(00) p ... P(11) p  <Z0> z  (class c)".
struct HeaderCase {
  double x0 = 0, x1 = 0;
  std::vector<double> probabilities;
  double z0 = 0;
};

std::vector<HeaderCase> reupload_header() {
  std::vector<HeaderCase> cases;
  std::istringstream file(read_file(path_of("reupload_classifier.qasm")));
  for (std::string line; std::getline(file, line) && line.starts_with("//");) {
    HeaderCase c;
    c.probabilities.resize(4);
    if (std::sscanf(line.c_str(), "//   x = (%lf, %lf):  P(00) %lf  P(01) %lf  P(10) %lf  P(11) %lf  <Z0> %lf", &c.x0, &c.x1,
                    &c.probabilities[0], &c.probabilities[1], &c.probabilities[2], &c.probabilities[3], &c.z0) == 7)
      cases.push_back(c);
  }
  return cases;
}

const std::vector<double> kReuploadWeights = {0.3, -0.7, 1.1, -1.6, 0.5, 0.9, -1.2, 0.8};  // as in the header

TEST(ExamplesTest, ReuploadClassifierHeaderProbabilitiesMatchTheSimulatorAndTheDenseReference) {
  const qasm::Program p = load("reupload_classifier.qasm");
  EXPECT_EQ(p.version, 3);
  ASSERT_EQ(p.inputs, (std::vector<std::string>{"x0", "x1", "w0", "w1", "w2", "w3", "w4", "w5", "w6", "w7"}));
  // It is built from the controlled rotations the example is about, as Qiskit's kinds.
  std::set<GateKind> kinds;
  for (const Operation& op : p.circuit.operations()) kinds.insert(op.kind);
  EXPECT_TRUE(kinds.count(GateKind::CRY) && kinds.count(GateKind::CRZ) && kinds.count(GateKind::CP));
  EXPECT_FALSE(kinds.count(GateKind::GPhase));
  const std::vector<HeaderCase> cases = reupload_header();
  ASSERT_EQ(cases.size(), 2U);
  for (const HeaderCase& c : cases) {
    SCOPED_TRACE(std::to_string(c.x0) + ", " + std::to_string(c.x1));
    std::vector<double> theta = {c.x0, c.x1};
    theta.insert(theta.end(), kReuploadWeights.begin(), kReuploadWeights.end());
    const std::vector<cdouble> state = amplitudes_of(Simulator().run(p.circuit, theta));
    std::vector<cdouble> zero(4, 0.0);
    zero[0] = 1.0;
    const std::vector<cdouble> dense = testing::apply_circuit(p.circuit, theta, zero);
    expect_same_state(state, dense);
    for (std::size_t i = 0; i < 4; ++i) EXPECT_NEAR(std::norm(state[i]), c.probabilities[i], 5e-7) << i;
    EXPECT_NEAR(expectation(PauliSum::parse("Z0"), Simulator().run(p.circuit, theta)), c.z0, 5e-7);
  }
}

TEST(ExamplesTest, ReuploadClassifierGradientsAgreeAcrossMethods) {
  const std::vector<std::string> names = {"x0", "x1", "w0", "w1", "w2", "w3", "w4", "w5", "w6", "w7"};
  std::vector<double> v = {0.4, -0.9};
  v.insert(v.end(), kReuploadWeights.begin(), kReuploadWeights.end());
  std::string args = "run " + path_of("reupload_classifier.qasm");
  for (std::size_t i = 0; i < v.size(); ++i) args += " --param " + names[i] + "=" + std::to_string(v[i]);
  args += " --output gradient --observable Z0";
  auto gradient = [](const nlohmann::ordered_json& j) {
    std::vector<double> g;
    for (const auto& [name, derivative] : j["gradient"].items()) g.push_back(derivative.get<double>());
    return g;
  };
  const auto adjoint = qmlsim_json(args + " --method adjoint");
  const auto shift = qmlsim_json(args + " --method shift");
  const auto fd = qmlsim_json(args + " --method fd --fd-order 4 --fd-step 1e-3");
  const std::vector<double> ga = gradient(adjoint), gs = gradient(shift), gf = gradient(fd);
  ASSERT_EQ(ga.size(), names.size());
  ASSERT_EQ(gs.size(), names.size());
  ASSERT_EQ(gf.size(), names.size());
  for (std::size_t i = 0; i < names.size(); ++i) {
    EXPECT_NEAR(ga[i], gs[i], 1e-8) << names[i];
    EXPECT_NEAR(ga[i], gf[i], 1e-8) << names[i];
    EXPECT_GT(std::abs(ga[i]), 1e-3) << names[i];  // every input matters here
  }
  // With shots, the estimates are within 4 standard errors of the exact gradient.
  const auto shots = qmlsim_json(args + " --method shift --shots 20000 --seed 11");
  const std::vector<double> g_shots = gradient(shots);
  ASSERT_EQ(g_shots.size(), names.size());
  std::size_t i = 0;
  for (const auto& [name, se] : shots["standard_error"].items()) {
    EXPECT_GT(se.get<double>(), 0.0) << name;
    EXPECT_LT(std::abs(g_shots[i] - ga[i]), 4 * se.get<double>()) << name;
    ++i;
  }
}

}  // namespace
}  // namespace qmlsim

// zz, z and pauli (Qiskit's PauliFeatureMap family) against references that share nothing with
// the circuits: each block is the matrix e^{i t/2} exp(-i t/2 P_S) of its Pauli string, built by
// Kronecker products of the 2x2 Paulis (no CX chains, no basis changes); the Z map as a product
// state; ZZFeatureMap on 2 qubits as circuits/zz_feature_map.qasm.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "qml/encoding/feature_map.hpp"
#include "simulator/execution/simulator.hpp"
#include "simulator/qasm/qasm.hpp"
#include "tests/qml/encoding/encoding_testing.hpp"
#include "tests/support/dense_reference.hpp"
#include "tests/support/error_message.hpp"

namespace qmlsim::qml {
namespace {

using qmlsim::testing::DenseMatrix;
using qmlsim::testing::invalid_argument_of;
using ::testing::HasSubstr;
using testing::map_states;
using testing::max_diff;
using testing::random_samples;

constexpr double kTol = 1e-12;

DenseMatrix hadamard() {
  const double s = 1.0 / std::sqrt(2.0);
  return DenseMatrix{{s, s}, {s, -s}};
}

DenseMatrix letter_matrix(char p) {
  switch (p) {
    case 'X': return DenseMatrix{{0.0, 1.0}, {1.0, 0.0}};
    case 'Y': return DenseMatrix{{0.0, cdouble(0, -1)}, {cdouble(0, 1), 0.0}};
    case 'Z': return DenseMatrix{{1.0, 0.0}, {0.0, -1.0}};
    default: return DenseMatrix{{1.0, 0.0}, {0.0, 1.0}};
  }
}

// The 2^n matrix of `pauli` on `block` as Qiskit reads it: letter k on qubit block[m - 1 - k].
DenseMatrix string_matrix(const std::string& pauli, const std::vector<int>& block, int n) {
  DenseMatrix p = DenseMatrix::identity(Index{1} << n);
  const std::size_t m = block.size();
  for (std::size_t k = 0; k < m; ++k) {
    const std::vector<Qubit> q{block[m - 1 - k]};
    p = qmlsim::testing::embed(letter_matrix(pauli[k]), q, n) * p;
  }
  return p;
}

// Qiskit's data map: x_i for one qubit, prod (pi - x_j) over the block otherwise.
double phi(const std::vector<int>& block, std::span<const double> x) {
  if (block.size() == 1) return x[static_cast<std::size_t>(block[0])];
  double v = 1.0;
  for (int j : block) v *= kPi - x[static_cast<std::size_t>(j)];
  return v;
}

struct PauliCase {
  std::vector<std::string> paulis;
  int reps;
  std::string entanglement;
  double alpha;
};

// The reference state: per repetition, H on every qubit, then for each string and block
// e^{i t/2} exp(-i t/2 P) with t = alpha * phi.
std::vector<cdouble> reference_state(const PauliCase& c, int n, std::span<const double> x) {
  std::vector<cdouble> psi(std::size_t{1} << n);
  psi[0] = 1.0;
  for (int r = 0; r < c.reps; ++r) {
    for (int q = 0; q < n; ++q) {
      const std::vector<Qubit> target{q};
      psi = qmlsim::testing::embed(hadamard(), target, n).apply(psi);
    }
    for (const auto& p : c.paulis)
      for (const auto& block : entangling_blocks(c.entanglement, static_cast<int>(p.size()), n)) {
        const double t = c.alpha * phi(block, x);
        const DenseMatrix u =
            std::polar(1.0, t / 2) * qmlsim::testing::pauli_rotation(t, string_matrix(p, block, n));
        psi = u.apply(psi);
      }
  }
  return psi;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : "+") + s;
  return out;
}

bool fits(const PauliCase& c, int n) {
  for (const auto& p : c.paulis) {
    if (static_cast<int>(p.size()) > n) return false;
    if (c.entanglement == "pairwise" && p.size() > 2) return false;
  }
  return true;
}

void expect_matches_reference(const ComponentSpec& spec, const PauliCase& c, int n, std::uint64_t seed) {
  SCOPED_TRACE(spec.text() + " on " + std::to_string(n) + " qubits");
  const auto map = make_feature_map(spec, n);
  ASSERT_EQ(map->num_qubits(), n);
  ASSERT_EQ(map->circuit()->num_parameters(), n);
  const std::vector<double> x = random_samples(3, n, seed);
  const auto states = map_states(*map, x);
  for (std::size_t i = 0; i < states.size(); ++i) {
    const auto row = std::span<const double>(x).subspan(i * static_cast<std::size_t>(n), static_cast<std::size_t>(n));
    EXPECT_LT(max_diff(states[i], reference_state(c, n, row)), kTol) << "row " << i;
  }
}

TEST(ZZFeatureMapTest, EqualsTheDenseReferenceForEveryEntanglementRepsAndAlpha) {
  for (const std::string ent : {"full", "linear", "reverse_linear", "circular", "pairwise"})
    for (int reps : {1, 2, 3})
      for (int n = 2; n <= 4; ++n) {
        expect_matches_reference({"zz", {{"reps", std::to_string(reps)}, {"entanglement", ent}}},
                                 {{"Z", "ZZ"}, reps, ent, 2.0}, n, 11);
        expect_matches_reference({"zz", {{"entanglement", ent}, {"alpha", "pi/3"}}}, {{"Z", "ZZ"}, 2, ent, kPi / 3}, n,
                                 12);
      }
}

TEST(ZZFeatureMapTest, DefaultsAreQiskits) {
  const auto map = make_feature_map({"zz", {}}, 3);
  EXPECT_EQ(map->spec().text(), "zz:reps=2,entanglement=full,alpha=2");
  EXPECT_EQ(map->description(), "ZZFeatureMap (Qiskit): 3 qubits, reps 2, entanglement full, alpha 2");
  expect_matches_reference({"zz", {}}, {{"Z", "ZZ"}, 2, "full", 2.0}, 3, 13);
}

TEST(ZZFeatureMapTest, TwoQubitsRepsTwoEqualsTheExampleQasmFile) {
  const auto path = std::filesystem::path(QMLSIM_SOURCE_DIR) / "circuits" / "zz_feature_map.qasm";
  const qasm::Program program = qasm::parse_file(path);
  ASSERT_EQ(program.inputs, (std::vector<std::string>{"x0", "x1"}));
  const auto map = make_feature_map({"zz", {{"reps", "2"}}}, 2);
  const std::vector<double> x = random_samples(4, 2, 14);
  const auto states = map_states(*map, x);
  for (std::size_t i = 0; i < states.size(); ++i) {
    const auto psi = Simulator().run(program.circuit, std::span<const double>(x).subspan(2 * i, 2));
    EXPECT_LT(max_diff(states[i], {psi.amplitudes().data(), psi.amplitudes().size()}), kTol);
  }
  // The file's own documented probabilities at x = (0.5, -1.25) (Qiskit's statevector).
  const std::vector<double> documented{0.164778, 0.476463, 0.239967, 0.118792};
  std::vector<cdouble> psi(4);
  map->encode(std::vector<double>{0.5, -1.25}, psi);
  for (std::size_t k = 0; k < 4; ++k) EXPECT_NEAR(std::norm(psi[k]), documented[k], 1e-6);
}

TEST(ZZFeatureMapTest, GatesFollowQiskitsOrder) {
  // Qiskit's ZZFeatureMap(2, reps=1): h, h, p(2 x0), p(2 x1), cx(0, 1), p(2 (pi - x0)(pi - x1)), cx(0, 1).
  const auto map = make_feature_map({"zz", {{"reps", "1"}}}, 2);
  const auto& ops = map->circuit()->operations();
  ASSERT_EQ(ops.size(), 7u);
  const std::vector<GateKind> kinds{GateKind::H, GateKind::H, GateKind::P, GateKind::P,
                                    GateKind::CX, GateKind::P, GateKind::CX};
  for (std::size_t i = 0; i < ops.size(); ++i) EXPECT_EQ(ops[i].kind, kinds[i]) << i;
  EXPECT_EQ(ops[4].qubits, (std::vector<Qubit>{0, 1}));
  EXPECT_EQ(ops[5].qubits, (std::vector<Qubit>{1}));
  EXPECT_EQ(map->circuit()->parameter_names(), (std::vector<std::string>{"x0", "x1"}));
  const std::vector<double> x{0.3, 1.7};
  EXPECT_DOUBLE_EQ(ops[5].params[0].value(x), 2.0 * (kPi - 0.3) * (kPi - 1.7));
}

TEST(ZZFeatureMapTest, OneFeatureIsRefusedAsInQiskit) {
  EXPECT_THAT(invalid_argument_of([] { (void)make_feature_map({"zz", {}}, 1); }),
              HasSubstr("feature map zz: needs at least 2 qubits"));
}

TEST(ZFeatureMapTest, IsAProductStateWithKnownPhases) {
  for (int n = 1; n <= 4; ++n)
    for (int reps : {1, 2, 3})
      for (const double alpha : {2.0, 0.5}) {
        const ComponentSpec spec{"z", {{"reps", std::to_string(reps)}, {"alpha", std::to_string(alpha)}}};
        SCOPED_TRACE(spec.text() + " on " + std::to_string(n));
        const auto map = make_feature_map(spec, n);
        const std::vector<double> x = random_samples(3, n, 21);
        const auto states = map_states(*map, x);
        for (std::size_t i = 0; i < states.size(); ++i) {
          std::vector<std::array<cdouble, 2>> factors;
          for (int q = 0; q < n; ++q) {
            const cdouble e = std::polar(1.0, alpha * x[i * static_cast<std::size_t>(n) + static_cast<std::size_t>(q)]);
            // reps 1: (1, e)/sqrt 2; each further rep: H then diag(1, e).
            std::array<cdouble, 2> v{1.0 / std::sqrt(2.0), e / std::sqrt(2.0)};
            if (reps == 2) v = {(1.0 + e) / 2.0, e * (1.0 - e) / 2.0};
            if (reps == 3) {
              const double s = 1.0 / std::sqrt(2.0);
              const cdouble a = (1.0 + e) / 2.0, b = e * (1.0 - e) / 2.0;
              v = {s * (a + b), e * s * (a - b)};
            }
            factors.push_back(v);
          }
          EXPECT_LT(max_diff(states[i], testing::product_state(factors)), kTol);
        }
      }
}

TEST(ZFeatureMapTest, SpecAndDescription) {
  const auto map = make_feature_map({"z", {{"alpha", "pi"}}}, 4);
  EXPECT_EQ(map->spec().text(), "z:reps=2,alpha=3.141592653589793");
  EXPECT_EQ(map->description(), "ZFeatureMap (Qiskit): 4 qubits, reps 2, alpha 3.141592653589793");
  EXPECT_THAT(invalid_argument_of([] { (void)make_feature_map({"z", {{"entanglement", "full"}}}, 2); }),
              HasSubstr("feature map z: unknown option 'entanglement'"));
}

TEST(PauliFeatureMapTest, EqualsTheDenseReferenceForStringsEntanglementsAndQubitCounts) {
  const std::vector<std::vector<std::string>> lists = {
      {"Z", "ZZ"}, {"X", "YY"}, {"ZY"}, {"Y", "XZ"}, {"XX", "ZI"}, {"IY"}, {"XYZ"}, {"Z", "YXZ", "ZZ"}, {"ZZZZ"}};
  for (const auto& paulis : lists)
    for (const std::string ent : {"full", "linear", "reverse_linear", "circular", "pairwise"})
      for (int n = 1; n <= 4; ++n) {
        const PauliCase c{paulis, 2, ent, 2.0};
        if (!fits(c, n)) continue;
        expect_matches_reference({"pauli", {{"paulis", join(paulis)}, {"entanglement", ent}}}, c, n, 31);
      }
  expect_matches_reference({"pauli", {{"paulis", "y+xz"}, {"reps", "3"}, {"alpha", "-0.75"}, {"entanglement", "circular"}}},
                           {{"Y", "XZ"}, 3, "circular", -0.75}, 3, 32);
}

TEST(PauliFeatureMapTest, DefaultsEqualZZAndTheSpecIsCanonical) {
  const auto pauli = make_feature_map({"pauli", {}}, 3);
  EXPECT_EQ(pauli->spec().text(), "pauli:paulis=Z+ZZ,reps=2,entanglement=full,alpha=2");
  EXPECT_EQ(pauli->description(),
            "PauliFeatureMap (Qiskit): 3 qubits, paulis Z+ZZ, reps 2, entanglement full, alpha 2");
  const auto zz = make_feature_map({"zz", {}}, 3);
  const std::vector<double> x = random_samples(2, 3, 33);
  const auto a = map_states(*pauli, x), b = map_states(*zz, x);
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i], b[i]);
  EXPECT_EQ(make_feature_map({"pauli", {{"paulis", "x+yy"}}}, 2)->spec().get("paulis"), "X+YY");
}

TEST(PauliFeatureMapTest, YBasisChangeIsSxAndSxdgAroundTheChain) {
  // Qiskit's pauli_feature_map(2, reps=1, paulis=["ZY"]): h, h, sx(0), cx(0, 1), p(..) on 1, cx(0, 1), sxdg(0).
  const auto map = make_feature_map({"pauli", {{"paulis", "ZY"}, {"reps", "1"}}}, 2);
  const auto& ops = map->circuit()->operations();
  const std::vector<GateKind> kinds{GateKind::H, GateKind::H, GateKind::SX, GateKind::CX,
                                    GateKind::P, GateKind::CX, GateKind::SXdg};
  ASSERT_EQ(ops.size(), kinds.size());
  for (std::size_t i = 0; i < ops.size(); ++i) EXPECT_EQ(ops[i].kind, kinds[i]) << i;
  EXPECT_EQ(ops[2].qubits, (std::vector<Qubit>{0}));
  EXPECT_EQ(ops[4].qubits, (std::vector<Qubit>{1}));
}

TEST(PauliFeatureMapTest, RefusesWhatQiskitRefuses) {
  auto message = [](const std::string& paulis, const std::string& ent, int n) {
    return invalid_argument_of([&] {
      (void)make_feature_map({"pauli", {{"paulis", paulis}, {"entanglement", ent}}}, n);
    });
  };
  EXPECT_EQ(message("ZZZ", "full", 2), "feature map pauli: Pauli string 'ZZZ' acts on 3 qubits but the map has 2 qubits");
  EXPECT_EQ(message("ZZZ", "pairwise", 3),
            "feature map pauli: entanglement pairwise takes Pauli strings of at most 2 letters (as in Qiskit), "
            "got 'ZZZ'");
  EXPECT_EQ(message("Z+ZA", "full", 2), "feature map pauli: Pauli string 'ZA' may contain only I, X, Y and Z");
  EXPECT_THAT(message("Z++ZZ", "full", 2), HasSubstr("has an empty Pauli string"));
  EXPECT_THAT(message("Z", "ring", 2),
              HasSubstr("feature map pauli: entanglement must be one of full, linear, reverse_linear, circular, "
                        "pairwise, got 'ring'"));
}

}  // namespace
}  // namespace qmlsim::qml

// make_feature_map (names, options, qubit counts, canonical specs), entangling_blocks /
// entangling_pairs against Qiskit's documented orders, circuit_feature_map, and the default
// FeatureMap::encode. The states of each map are checked in its own test file.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "qml/encoding/feature_map.hpp"
#include "simulator/execution/simulator.hpp"
#include "tests/qml/encoding/encoding_testing.hpp"
#include "tests/support/error_message.hpp"

namespace qmlsim::qml {
namespace {

using qmlsim::testing::invalid_argument_of;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::map_states;
using testing::random_samples;

using Blocks = std::vector<std::vector<int>>;

TEST(FeatureMapNamesTest, ListsTheBuiltInMapsInHelpOrder) {
  EXPECT_THAT(feature_map_names(), ElementsAre("zz", "z", "pauli", "angle", "iqp", "amplitude"));
  EXPECT_THAT(entanglement_names(), ElementsAre("full", "linear", "reverse_linear", "circular", "pairwise"));
}

TEST(MakeFeatureMapTest, UnknownNameListsTheKnownOnes) {
  EXPECT_EQ(invalid_argument_of([] { (void)make_feature_map({"zzz", {}}, 2); }),
            "unknown feature map 'zzz' (known: zz, z, pauli, angle, iqp, amplitude, or a .qasm file)");
  EXPECT_EQ(invalid_argument_of([] { (void)make_feature_map(parse_component_spec("maps/my_map.qasm"), 2); }),
            "feature map 'maps/my_map.qasm' is a circuit file: parse it first and use circuit_feature_map");
}

TEST(MakeFeatureMapTest, BadOptionsNameTheValidOnes) {
  auto message = [](const char* text, int features = 3) {
    return invalid_argument_of([&] { (void)make_feature_map(parse_component_spec(text), features); });
  };
  EXPECT_EQ(message("zz:rep=2"), "feature map zz: unknown option 'rep' (valid: qubits, reps, entanglement, alpha)");
  EXPECT_EQ(message("zz:reps=0"), "feature map zz: reps must be an integer in [1, 100], got '0'");
  EXPECT_EQ(message("zz:reps=1.5"), "feature map zz: reps must be an integer in [1, 100], got '1.5'");
  EXPECT_EQ(message("zz:entanglement=ring"),
            "feature map zz: entanglement must be one of full, linear, reverse_linear, circular, pairwise, got 'ring'");
  EXPECT_THAT(message("zz:alpha=two"), HasSubstr("feature map zz: alpha: 'two' is not a number or a multiple of pi"));
  EXPECT_EQ(message("pauli:paulis=Z,reps=2,alpha=1,entanglement=full,extra=1"),
            "feature map pauli: unknown option 'extra' (valid: qubits, paulis, reps, entanglement, alpha)");
  EXPECT_EQ(message("angle:rotation=w"), "feature map angle: rotation must be one of x, y, z, got 'w'");
}

TEST(MakeFeatureMapTest, QubitCountMustEqualTheFeatureCount) {
  for (const std::string name : {"zz", "z", "pauli", "angle", "iqp"}) {
    EXPECT_EQ(invalid_argument_of([&] { (void)make_feature_map({name, {{"qubits", "3"}}}, 4); }),
              "feature map " + name + " has 3 qubits but the data has 4 features");
    EXPECT_EQ(make_feature_map({name, {{"qubits", "4"}}}, 4)->num_qubits(), 4);
    EXPECT_EQ(invalid_argument_of([&] { (void)make_feature_map({name, {}}, 0); }),
              "feature map " + name + ": number of features 0 out of range [1, 40]");
  }
  EXPECT_EQ(invalid_argument_of([] { (void)make_feature_map({"amplitude", {}}, 0); }),
            "feature map amplitude: number of features 0 must be positive");
}

TEST(MakeFeatureMapTest, EveryCircuitMapHasTheFeaturesAsNamedParameters) {
  for (const std::string name : {"zz", "z", "pauli", "angle", "iqp"}) {
    const auto map = make_feature_map({name, {}}, 3);
    ASSERT_NE(map->circuit(), nullptr) << name;
    EXPECT_EQ(map->num_features(), 3);
    EXPECT_EQ(map->circuit()->num_parameters(), 3) << name;
    EXPECT_THAT(map->circuit()->parameter_names(), ElementsAre("x0", "x1", "x2")) << name;
    EXPECT_TRUE(map->circuit()->is_unitary()) << name;
  }
}

TEST(MakeFeatureMapTest, CanonicalSpecsSpellOutEveryDefault) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"zz", "zz:reps=2,entanglement=full,alpha=2"},
      {"z", "z:reps=2,alpha=2"},
      {"pauli", "pauli:paulis=Z+ZZ,reps=2,entanglement=full,alpha=2"},
      {"angle", "angle:rotation=x"},
      {"iqp", "iqp:repeats=1"},
      {"amplitude", "amplitude:pad=0,normalize=true"},
      {"zz:entanglement=linear,reps=3,qubits=3", "zz:reps=3,entanglement=linear,alpha=2"},
      {"pauli:paulis=x+yy,alpha=pi/2", "pauli:paulis=X+YY,reps=2,entanglement=full,alpha=1.5707963267948966"},
  };
  for (const auto& [text, canonical] : cases)
    EXPECT_EQ(make_feature_map(parse_component_spec(text), 3)->spec().text(), canonical) << text;
}

TEST(MakeFeatureMapTest, SpecRoundTripRebuildsTheSameMap) {
  const std::vector<std::string> specs{
      "zz",           "zz:reps=1,entanglement=circular,alpha=0.5", "z:reps=3,alpha=-pi/4",
      "pauli:paulis=Y+XZ+ZZZ,entanglement=reverse_linear",          "angle:rotation=y",
      "iqp:repeats=3", "amplitude:pad=0.25,normalize=true",          "amplitude:qubits=3,pad=1"};
  for (const auto& text : specs) {
    SCOPED_TRACE(text);
    const auto map = make_feature_map(parse_component_spec(text), 3);
    const auto again = make_feature_map(map->spec(), 3);
    EXPECT_EQ(again->spec(), map->spec());
    EXPECT_EQ(again->description(), map->description());
    EXPECT_EQ(again->num_qubits(), map->num_qubits());
    const std::vector<double> x = random_samples(2, 3, 61);
    EXPECT_EQ(map_states(*again, x), map_states(*map, x));  // bit for bit
  }
}

TEST(FeatureMapEncodeTest, DefaultRunsTheCircuitAndChecksTheSample) {
  const auto map = make_feature_map({"zz", {}}, 3);
  const std::vector<double> x{0.1, 0.7, 2.3};
  std::vector<cdouble> psi(8);
  map->encode(x, psi);
  const auto expected = Simulator().run(*map->circuit(), x);
  for (std::size_t k = 0; k < 8; ++k) EXPECT_EQ(psi[k], expected.amplitudes()[k]);
  EXPECT_EQ(invalid_argument_of([&] { map->encode(std::vector<double>{0.1, 0.7}, psi); }),
            "feature map zz: expects 3 features, got 2");
  EXPECT_EQ(invalid_argument_of([&] { map->encode(std::vector<double>{0.1, INFINITY, 1.0}, psi); }),
            "feature map zz: feature x1 = inf is not finite");
  std::vector<cdouble> wrong(4);
  EXPECT_EQ(invalid_argument_of([&] { map->encode(x, wrong); }),
            "feature map zz: the state has 4 amplitudes, expected 8 (3 qubits)");
}

TEST(EntanglingBlocksTest, QiskitsOrdersForPairs) {
  EXPECT_EQ(entangling_blocks("full", 2, 4), (Blocks{{0, 1}, {0, 2}, {0, 3}, {1, 2}, {1, 3}, {2, 3}}));
  EXPECT_EQ(entangling_blocks("linear", 2, 4), (Blocks{{0, 1}, {1, 2}, {2, 3}}));
  EXPECT_EQ(entangling_blocks("reverse_linear", 2, 4), (Blocks{{2, 3}, {1, 2}, {0, 1}}));
  EXPECT_EQ(entangling_blocks("circular", 2, 4), (Blocks{{3, 0}, {0, 1}, {1, 2}, {2, 3}}));
  EXPECT_EQ(entangling_blocks("circular", 2, 3), (Blocks{{2, 0}, {0, 1}, {1, 2}}));
  EXPECT_EQ(entangling_blocks("circular", 2, 2), (Blocks{{0, 1}}));
  EXPECT_EQ(entangling_blocks("pairwise", 2, 6), (Blocks{{0, 1}, {2, 3}, {4, 5}, {1, 2}, {3, 4}}));
  EXPECT_EQ(entangling_blocks("pairwise", 2, 4), (Blocks{{0, 1}, {2, 3}, {1, 2}}));
  EXPECT_EQ(entangling_blocks("pairwise", 2, 3), (Blocks{{0, 1}, {1, 2}}));
  EXPECT_EQ(entangling_blocks("pairwise", 2, 2), (Blocks{{0, 1}}));
}

TEST(EntanglingBlocksTest, QiskitsOrdersForSingleQubitsAndLargerBlocks) {
  for (const std::string e : {"full", "linear", "circular", "pairwise"})
    EXPECT_EQ(entangling_blocks(e, 1, 3), (Blocks{{0}, {1}, {2}})) << e;
  EXPECT_EQ(entangling_blocks("reverse_linear", 1, 3), (Blocks{{2}, {1}, {0}}));
  EXPECT_EQ(entangling_blocks("full", 3, 4), (Blocks{{0, 1, 2}, {0, 1, 3}, {0, 2, 3}, {1, 2, 3}}));
  EXPECT_EQ(entangling_blocks("linear", 3, 4), (Blocks{{0, 1, 2}, {1, 2, 3}}));
  EXPECT_EQ(entangling_blocks("reverse_linear", 3, 4), (Blocks{{1, 2, 3}, {0, 1, 2}}));
  EXPECT_EQ(entangling_blocks("circular", 3, 4), (Blocks{{2, 3, 0}, {3, 0, 1}, {0, 1, 2}, {1, 2, 3}}));
  EXPECT_EQ(entangling_blocks("circular", 4, 4), (Blocks{{0, 1, 2, 3}}));
  EXPECT_EQ(entangling_blocks("full", 4, 4), (Blocks{{0, 1, 2, 3}}));
}

TEST(EntanglingBlocksTest, RefusesWhatQiskitRefuses) {
  EXPECT_EQ(invalid_argument_of([] { (void)entangling_blocks("pairwise", 3, 4); }),
            "entanglement pairwise: blocks of 3 qubits are not supported (at most 2, as in Qiskit)");
  EXPECT_EQ(invalid_argument_of([] { (void)entangling_blocks("full", 3, 2); }),
            "entanglement full: block size 3 out of range [1, 2]");
  EXPECT_EQ(invalid_argument_of([] { (void)entangling_blocks("star", 2, 2); }),
            "entanglement must be one of full, linear, reverse_linear, circular, pairwise, got 'star'");
}

TEST(EntanglingPairsTest, PairsOfTheBlocksAndNoneOnOneQubit) {
  using Pairs = std::vector<std::pair<int, int>>;
  EXPECT_EQ(entangling_pairs("full", 3), (Pairs{{0, 1}, {0, 2}, {1, 2}}));
  EXPECT_EQ(entangling_pairs("circular", 4), (Pairs{{3, 0}, {0, 1}, {1, 2}, {2, 3}}));
  EXPECT_TRUE(entangling_pairs("linear", 1).empty());
  EXPECT_THAT(invalid_argument_of([] { (void)entangling_pairs("star", 1); }), HasSubstr("got 'star'"));
}

Circuit two_feature_circuit() {
  Circuit c(3);
  c.h(0).ry(Param::parameter(0, 0.5), 1).crz(Param::parameter(1), 1, 2).cx(0, 2);
  return c;
}

TEST(CircuitFeatureMapTest, RunsTheGivenCircuitWithTheFeaturesAsParameters) {
  const ComponentSpec spec{"file", {{"path", "maps/two.qasm"}}};
  const auto map = circuit_feature_map(two_feature_circuit(), spec, 2);
  EXPECT_EQ(map->num_qubits(), 3);
  EXPECT_EQ(map->num_features(), 2);
  EXPECT_EQ(map->spec(), spec);
  EXPECT_EQ(map->description(), "circuit maps/two.qasm: 3 qubits, 2 features, 4 gates");
  EXPECT_THAT(map->circuit()->parameter_names(), ElementsAre("x0", "x1"));
  const std::vector<double> x = random_samples(3, 2, 71);
  const auto states = map_states(*map, x);
  for (std::size_t i = 0; i < states.size(); ++i) {
    const auto psi = Simulator().run(two_feature_circuit(), std::span<const double>(x).subspan(2 * i, 2));
    for (std::size_t k = 0; k < states[i].size(); ++k) EXPECT_EQ(states[i][k], psi.amplitudes()[k]);
  }
}

TEST(CircuitFeatureMapTest, KeepsTheCircuitsOwnParameterNames) {
  Circuit c = two_feature_circuit();
  c.set_parameter_names({"sepal", "petal"});
  EXPECT_THAT(circuit_feature_map(c, {"file", {{"path", "a.qasm"}}}, 2)->circuit()->parameter_names(),
              ElementsAre("sepal", "petal"));
}

TEST(CircuitFeatureMapTest, RefusesAWrongParameterCountAndNonUnitaryCircuits) {
  const ComponentSpec spec{"file", {{"path", "m.qasm"}}};
  EXPECT_EQ(invalid_argument_of([&] { (void)circuit_feature_map(two_feature_circuit(), spec, 3); }),
            "feature map m.qasm: the circuit has 2 parameters but the data has 3 features");
  Circuit measured(3, 1);
  measured.append(two_feature_circuit()).measure(1, 0);
  EXPECT_EQ(invalid_argument_of([&] { (void)circuit_feature_map(Circuit(measured), spec, 2); }),
            "feature map m.qasm: the circuit has measure on qubit 1; a feature map must be unitary (remove "
            "measurements, resets and conditions)");
  Circuit reset = two_feature_circuit();
  reset.reset(2);
  EXPECT_THAT(invalid_argument_of([&] { (void)circuit_feature_map(Circuit(reset), spec, 2); }),
              HasSubstr("the circuit has reset on qubit 2"));
  Circuit conditioned(2, 1);
  conditioned.rx(Param::parameter(0), 0).x(1).c_if(0, 1, 1);
  EXPECT_THAT(invalid_argument_of([&] { (void)circuit_feature_map(Circuit(conditioned), spec, 1); }),
              HasSubstr("the circuit has x conditioned on classical bits"));
}

}  // namespace
}  // namespace qmlsim::qml

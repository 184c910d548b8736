#include "qml/ansatz/ansatz.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "simulator/core/errors.hpp"
#include "simulator/core/rng.hpp"
#include "simulator/execution/simulator.hpp"
#include "tests/support/dense_reference.hpp"
#include "tests/support/error_message.hpp"

namespace qmlsim::qml {
namespace {

using ::testing::HasSubstr;
using qmlsim::testing::invalid_argument_of;

constexpr double kTol = 1e-12;

// One gate as written in a peer's drawing: name, qubits, parameter index (-1: none).
struct G {
  std::string name;
  std::vector<Qubit> qubits;
  int param = -1;
  friend bool operator==(const G&, const G&) = default;
  friend std::ostream& operator<<(std::ostream& os, const G& g) {
    os << g.name << "(";
    for (const Qubit q : g.qubits) os << q << " ";
    return os << "; theta[" << g.param << "])";
  }
};

// The circuit as a gate list; every parameter must be theta[i] itself (scale 1, offset 0).
std::vector<G> gates(const Circuit& c) {
  std::vector<G> out;
  for (const Operation& op : c.operations()) {
    G g{op.name(), op.qubits, -1};
    EXPECT_LE(op.params.size(), 1u) << op.name();
    if (!op.params.empty()) {
      const Param& p = op.params[0];
      EXPECT_EQ(p.kind(), Param::Kind::Affine);
      EXPECT_EQ(p.scale(), 1.0);
      EXPECT_EQ(p.offset(), 0.0);
      g.param = p.index();
    }
    out.push_back(std::move(g));
  }
  return out;
}

std::unique_ptr<Ansatz> make(const std::string& text, int n) {
  return make_ansatz(parse_component_spec(text, "ansatz"), n);
}

std::vector<double> angles(std::size_t count, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<double> v(count);
  for (double& x : v) x = 4.0 * rng.uniform() - 2.0;
  return v;
}

double max_diff(const std::vector<cdouble>& a, const std::vector<cdouble>& b) {
  double m = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) m = std::max(m, std::abs(a[i] - b[i]));
  return m;
}

// The state of `c` at theta, from |0...0>, by the simulator and by the dense reference.
std::vector<cdouble> simulated(const Circuit& c, std::span<const double> theta) {
  const auto psi = Simulator().run(c, theta);
  return {psi.amplitudes().begin(), psi.amplitudes().end()};
}
std::vector<cdouble> dense(const Circuit& c, std::span<const double> theta) {
  std::vector<cdouble> zero(std::size_t{1} << c.num_qubits());
  zero[0] = 1.0;
  return qmlsim::testing::apply_circuit(c, theta, zero);
}

TEST(AnsatzTest, RealAmplitudesThreeQubitsOneRepReverseLinear) {
  // Qiskit: RealAmplitudes(3, reps=1) draws RY(θ[0..2]) on q0..q2, CX(1,2), CX(0,1) (reverse_linear:
  // the last pair first), RY(θ[3..5]).
  const auto a = make("real-amplitudes:reps=1", 3);
  const std::vector<G> expected = {{"ry", {0}, 0}, {"ry", {1}, 1}, {"ry", {2}, 2}, {"cx", {1, 2}},
                                   {"cx", {0, 1}}, {"ry", {0}, 3}, {"ry", {1}, 4}, {"ry", {2}, 5}};
  EXPECT_EQ(gates(a->circuit()), expected);
  EXPECT_EQ(a->num_parameters(), 6);
  EXPECT_EQ(a->num_qubits(), 3);
  EXPECT_EQ(a->circuit().parameter_names(), (std::vector<std::string>{"w0", "w1", "w2", "w3", "w4", "w5"}));
  EXPECT_EQ(a->spec().text(), "real-amplitudes:entanglement=reverse_linear,reps=1,skip_final_rotation_layer=false");
  EXPECT_EQ(a->description(), "RealAmplitudes (Qiskit): 3 qubits, reps 1, reverse_linear, 6 weights");
}

TEST(AnsatzTest, RealAmplitudesDefaultsAndEntanglements) {
  // Defaults: reps 3, (reps + 1) n weights; the iris tutorial's 4-qubit circuit has 16.
  EXPECT_EQ(make("real-amplitudes", 4)->num_parameters(), 16);
  EXPECT_EQ(make("real-amplitudes:reps=2", 5)->num_parameters(), 15);
  EXPECT_EQ(make("real-amplitudes:reps=2,skip_final_rotation_layer=true", 5)->num_parameters(), 10);
  // full on 3 qubits: (0,1) (0,2) (1,2); circular: (2,0) (0,1) (1,2).
  const std::vector<G> full = {{"ry", {0}, 0}, {"ry", {1}, 1}, {"ry", {2}, 2}, {"cx", {0, 1}}, {"cx", {0, 2}},
                               {"cx", {1, 2}}, {"ry", {0}, 3}, {"ry", {1}, 4}, {"ry", {2}, 5}};
  EXPECT_EQ(gates(make("real-amplitudes:reps=1,entanglement=full", 3)->circuit()), full);
  const std::vector<G> circular = {{"ry", {0}, 0}, {"ry", {1}, 1}, {"ry", {2}, 2}, {"cx", {2, 0}}, {"cx", {0, 1}},
                                   {"cx", {1, 2}}, {"ry", {0}, 3}, {"ry", {1}, 4}, {"ry", {2}, 5}};
  EXPECT_EQ(gates(make("real-amplitudes:reps=1,entanglement=circular", 3)->circuit()), circular);
  // One qubit: no entanglement layers, reps + 1 rotations.
  const std::vector<G> one = {{"ry", {0}, 0}, {"ry", {0}, 1}, {"ry", {0}, 2}};
  EXPECT_EQ(gates(make("real-amplitudes:reps=2", 1)->circuit()), one);
  // reps 0: only the final layer.
  EXPECT_EQ(make("real-amplitudes:reps=0", 2)->num_parameters(), 2);
}

TEST(AnsatzTest, EfficientSu2MatchesHandBuiltCircuit) {
  // Qiskit EfficientSU2(2, reps=1): RY(θ0) q0, RY(θ1) q1, RZ(θ2) q0, RZ(θ3) q1, CX(0,1), then
  // RY(θ4), RY(θ5), RZ(θ6), RZ(θ7).
  const auto a = make("efficient-su2:reps=1", 2);
  Circuit hand(2);
  hand.ry(Param::parameter(0), 0).ry(Param::parameter(1), 1).rz(Param::parameter(2), 0).rz(Param::parameter(3), 1);
  hand.cx(0, 1);
  hand.ry(Param::parameter(4), 0).ry(Param::parameter(5), 1).rz(Param::parameter(6), 0).rz(Param::parameter(7), 1);
  EXPECT_EQ(gates(a->circuit()), gates(hand));
  const std::vector<double> w = angles(8, 3);
  EXPECT_LT(max_diff(simulated(a->circuit(), w), dense(hand, w)), kTol);
  // Default reps 3: 2 (reps + 1) n weights.
  EXPECT_EQ(make("efficient-su2", 4)->num_parameters(), 32);
  // Four qubits, reps 2: the dense reference of the named circuit equals the simulator's state.
  const auto b = make("efficient-su2:reps=2,entanglement=linear", 4);
  const std::vector<double> wb = angles(24, 4);
  EXPECT_LT(max_diff(simulated(b->circuit(), wb), dense(b->circuit(), wb)), kTol);
}

TEST(AnsatzTest, TwoLocalBlocksAndParameterisedEntanglers) {
  // TwoLocal(3, ['rx', 'rz'], 'crx', 'linear', reps=1): RX layer, RZ layer, CRX(θ6) (0,1),
  // CRX(θ7) (1,2), final RX and RZ layers θ8..θ13.
  const auto a = make("two-local:rotation_blocks=rx+rz,entanglement_blocks=crx,entanglement=linear,reps=1", 3);
  const std::vector<G> expected = {
      {"rx", {0}, 0},      {"rx", {1}, 1},      {"rx", {2}, 2},  {"rz", {0}, 3},  {"rz", {1}, 4},
      {"rz", {2}, 5},      {"crx", {0, 1}, 6},  {"crx", {1, 2}, 7}, {"rx", {0}, 8}, {"rx", {1}, 9},
      {"rx", {2}, 10},     {"rz", {0}, 11},     {"rz", {1}, 12}, {"rz", {2}, 13}};
  EXPECT_EQ(gates(a->circuit()), expected);
  // Default entanglement of TwoLocal is full (RealAmplitudes' is reverse_linear).
  EXPECT_EQ(make("two-local", 3)->spec().get("entanglement"), "full");
  EXPECT_EQ(make("two-local:entanglement_blocks=cz", 3)->num_parameters(), 12);
  EXPECT_EQ(make("two-local:entanglement_blocks=rzz,reps=2", 3)->num_parameters(), 3 * 3 + 2 * 3);
  // Each entangler kind runs (dense reference).
  for (const char* block : {"cx", "cz", "crx", "cry", "crz", "rxx", "ryy", "rzz"}) {
    const auto t = make(std::string("two-local:rotation_blocks=ry+rx,entanglement=circular,reps=2,entanglement_blocks=") + block, 3);
    const std::vector<double> w = angles(static_cast<std::size_t>(t->num_parameters()), 5);
    EXPECT_LT(max_diff(simulated(t->circuit(), w), dense(t->circuit(), w)), kTol) << block;
  }
}

TEST(AnsatzTest, StronglyEntanglingLayersRangesAndRot) {
  // PennyLane: weights (L, n, 3); layer l: Rot(w[l,i,0], w[l,i,1], w[l,i,2]) = RZ RY RZ on each
  // wire, then CNOT(i, (i + r) mod n) with r = l mod (n - 1) + 1.
  const auto a = make("strongly-entangling:layers=3", 4);
  EXPECT_EQ(a->num_parameters(), 36);
  EXPECT_EQ(a->spec().text(), "strongly-entangling:reps=3,ranges=1+2+3");
  std::vector<G> expected;
  int p = 0;
  for (int l = 0; l < 3; ++l) {
    for (int q = 0; q < 4; ++q) {
      expected.push_back({"rz", {q}, p++});
      expected.push_back({"ry", {q}, p++});
      expected.push_back({"rz", {q}, p++});
    }
    for (int q = 0; q < 4; ++q) expected.push_back({"cx", {q, (q + l + 1) % 4}});
  }
  EXPECT_EQ(gates(a->circuit()), expected);
  // Ranges wrap: layer 3 of 3 qubits uses range 1 again.
  EXPECT_EQ(make("strongly-entangling:reps=4", 3)->spec().get("ranges"), "1+2+1+2");
  const auto custom = make("strongly-entangling:reps=2,ranges=2+2", 3);
  EXPECT_EQ(gates(custom->circuit())[9], (G{"cx", {0, 2}}));
  // One wire: rotations only (PennyLane applies no CNOTs).
  EXPECT_EQ(make("strongly-entangling:reps=2", 1)->circuit().size(), 6u);
  // The state of one layer on two qubits against Rot written out by hand.
  const auto two = make("strongly-entangling", 2);
  const std::vector<double> w = angles(6, 6);
  Circuit hand(2);
  for (int q = 0; q < 2; ++q)
    hand.rz(w[3 * q], q).ry(w[3 * q + 1], q).rz(w[3 * q + 2], q);
  hand.cx(0, 1).cx(1, 0);
  EXPECT_LT(max_diff(simulated(two->circuit(), w), dense(hand, {})), kTol);
}

TEST(AnsatzTest, BasicEntanglerLayers) {
  const std::vector<G> three = {{"rx", {0}, 0}, {"rx", {1}, 1}, {"rx", {2}, 2},
                                {"cx", {0, 1}}, {"cx", {1, 2}}, {"cx", {2, 0}}};
  EXPECT_EQ(gates(make("basic-entangler", 3)->circuit()), three);
  // Two wires: one CNOT; one wire: none.
  const std::vector<G> two = {{"ry", {0}, 0}, {"ry", {1}, 1}, {"cx", {0, 1}},
                              {"ry", {0}, 2}, {"ry", {1}, 3}, {"cx", {0, 1}}};
  EXPECT_EQ(gates(make("basic-entangler:reps=2,rotation=y", 2)->circuit()), two);
  EXPECT_EQ(make("basic-entangler:layers=3", 1)->circuit().size(), 3u);
  EXPECT_EQ(make("basic-entangler:layers=2,rotation=z", 4)->spec().text(), "basic-entangler:reps=2,rotation=z");
  const auto b = make("basic-entangler:reps=2", 4);
  const std::vector<double> w = angles(8, 7);
  EXPECT_LT(max_diff(simulated(b->circuit(), w), dense(b->circuit(), w)), kTol);
}

TEST(AnsatzTest, CanonicalSpecsRebuildTheSameCircuit) {
  for (const char* text : {"real-amplitudes", "efficient-su2:entanglement=full,reps=2", "two-local:rotation_blocks=RZ+rx",
                           "strongly-entangling:reps=3", "basic-entangler:rotation=y"}) {
    const auto a = make(text, 3);
    const auto b = make_ansatz(a->spec(), 3);
    EXPECT_EQ(gates(a->circuit()), gates(b->circuit())) << text;
    EXPECT_EQ(a->spec(), b->spec()) << text;
  }
}

TEST(AnsatzTest, CircuitAnsatzFromAReadyCircuit) {
  Circuit c(2);
  c.ry(Param::parameter(0), 0).cx(0, 1).rz(Param::parameter(1), 1);
  c.set_parameter_names({"a", "b"});
  const auto a = circuit_ansatz(c, ComponentSpec{"file", {{"path", "w.qasm"}}}, 3);
  EXPECT_EQ(a->num_qubits(), 3);
  EXPECT_EQ(a->num_parameters(), 2);
  EXPECT_EQ(a->circuit().parameter_names(), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(a->spec().get("path"), "w.qasm");
  EXPECT_THAT(invalid_argument_of([&] { (void)circuit_ansatz(c, ComponentSpec{"file", {{"path", "w.qasm"}}}, 1); }),
              HasSubstr("ansatz w.qasm: the circuit has 2 qubits but the model has 1 qubit"));
  Circuit measured(1, 1);
  measured.ry(Param::parameter(0), 0).measure(0, 0);
  EXPECT_THAT(invalid_argument_of([&] { (void)circuit_ansatz(measured, ComponentSpec{"file", {{"path", "m.qasm"}}}, 1); }),
              HasSubstr("an ansatz must be unitary"));
  Circuit fixed(1);
  fixed.h(0);
  EXPECT_THAT(invalid_argument_of([&] { (void)circuit_ansatz(fixed, ComponentSpec{"file", {{"path", "h.qasm"}}}, 1); }),
              HasSubstr("no weights"));
}

TEST(AnsatzTest, BadNamesAndOptions) {
  EXPECT_EQ(invalid_argument_of([] { (void)make("ra", 2); }),
            "unknown ansatz 'ra' (known: real-amplitudes, efficient-su2, two-local, strongly-entangling, "
            "basic-entangler, or a .qasm file)");
  EXPECT_THAT(invalid_argument_of([] { (void)make("real-amplitudes:rep=2", 2); }), HasSubstr("unknown option 'rep'"));
  EXPECT_THAT(invalid_argument_of([] { (void)make("real-amplitudes:entanglement=ring", 2); }),
              HasSubstr("reverse_linear"));
  EXPECT_THAT(invalid_argument_of([] { (void)make("real-amplitudes:reps=-1", 2); }), HasSubstr("reps"));
  EXPECT_THAT(invalid_argument_of([] { (void)make("real-amplitudes:reps=0,skip_final_rotation_layer=true", 2); }),
              HasSubstr("no weights"));
  EXPECT_THAT(invalid_argument_of([] { (void)make("efficient-su2:rotation_blocks=rx", 2); }),
              HasSubstr("unknown option 'rotation_blocks'"));
  EXPECT_THAT(invalid_argument_of([] { (void)make("two-local:rotation_blocks=ry+h", 2); }),
              HasSubstr("block 'h' (valid: rx, ry, rz"));
  EXPECT_THAT(invalid_argument_of([] { (void)make("two-local:entanglement_blocks=swap", 2); }),
              HasSubstr("valid: cx, cz, crx, cry, crz, rxx, ryy, rzz"));
  EXPECT_THAT(invalid_argument_of([] { (void)make("strongly-entangling:reps=2,layers=2", 2); }),
              HasSubstr("not both"));
  EXPECT_THAT(invalid_argument_of([] { (void)make("strongly-entangling:reps=2,ranges=1", 3); }),
              HasSubstr("gives 1 range for 2 layers"));
  EXPECT_THAT(invalid_argument_of([] { (void)make("strongly-entangling:ranges=3", 3); }),
              HasSubstr("integer in [1, 2]"));
  EXPECT_THAT(invalid_argument_of([] { (void)make("basic-entangler:rotation=w", 2); }), HasSubstr("x, y, z"));
  EXPECT_THAT(invalid_argument_of([] { (void)make("basic-entangler", 0); }), HasSubstr("number of qubits 0"));
  EXPECT_THAT(invalid_argument_of([] { (void)make_ansatz(parse_component_spec("dir/w.qasm"), 2); }),
              HasSubstr("circuit_ansatz"));
}

TEST(AnsatzTest, NamesAndInitialWeights) {
  EXPECT_EQ(ansatz_names(), (std::vector<std::string>{"real-amplitudes", "efficient-su2", "two-local",
                                                      "strongly-entangling", "basic-entangler"}));
  const std::vector<double> w = initial_weights(1000, 42);
  EXPECT_EQ(w, initial_weights(1000, 42));
  EXPECT_NE(w, initial_weights(1000, 43));
  EXPECT_EQ(std::vector<double>(w.begin(), w.begin() + 10), initial_weights(10, 42));  // a prefix
  double mean = 0.0;
  for (const double v : w) {
    EXPECT_GE(v, 0.0);
    EXPECT_LT(v, 2 * kPi);
    mean += v / 1000.0;
  }
  EXPECT_NEAR(mean, kPi, 0.2);  // uniform on [0, 2 pi): standard error of the mean ~0.057
  // Rng(seed, kInitialWeightStream), scaled by 2 pi.
  Rng rng(42, kInitialWeightStream);
  EXPECT_EQ(w[0], 2 * kPi * rng.uniform());
}

}  // namespace
}  // namespace qmlsim::qml

#include "qml/encoding/model_circuit.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "simulator/core/errors.hpp"
#include "simulator/core/rng.hpp"
#include "simulator/execution/batch.hpp"
#include "simulator/observables/pauli.hpp"
#include "tests/support/dense_reference.hpp"
#include "tests/support/error_message.hpp"

namespace qmlsim::qml {
namespace {

using ::testing::HasSubstr;
using qmlsim::testing::invalid_argument_of;

constexpr double kTol = 1e-12;

std::unique_ptr<FeatureMap> feature_map(const std::string& text, int features) {
  return make_feature_map(parse_component_spec(text, "feature map"), features);
}
std::unique_ptr<Ansatz> ansatz(const std::string& text, int qubits) {
  return make_ansatz(parse_component_spec(text, "ansatz"), qubits);
}

std::vector<double> angles(std::size_t count, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<double> v(count);
  for (double& x : v) x = 4.0 * rng.uniform() - 1.0;
  return v;
}

double max_diff(std::span<const cdouble> a, std::span<const cdouble> b) {
  EXPECT_EQ(a.size(), b.size());
  double m = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) m = std::max(m, std::abs(a[i] - b[i]));
  return m;
}

std::vector<cdouble> zero_state(int n) {
  std::vector<cdouble> psi(std::size_t{1} << n);
  psi[0] = 1.0;
  return psi;
}

// The final states of `rows` (row-major, num_parameters wide) through the batch engine.
std::vector<cdouble> states(const Circuit& c, std::span<const double> rows) {
  std::vector<cdouble> out(rows.size() / static_cast<std::size_t>(std::max(1, c.num_parameters())) *
                           (std::size_t{1} << c.num_qubits()));
  BatchExecutor(c).states_into(ParameterRows::of(rows, static_cast<std::size_t>(c.num_parameters())), out);
  return out;
}

// <H> and its gradient over all parameters at one row.
BatchExecutor::Gradients gradient(const Circuit& c, std::span<const double> row, const Observable& h) {
  return BatchExecutor(c).jacobian(ParameterRows::of(row, row.size()), std::span<const Observable>(&h, 1));
}

TEST(ModelCircuitTest, ComposeLayoutCoversEveryParameterOnce) {
  const auto map = feature_map("zz:reps=1", 3);
  const auto w = ansatz("real-amplitudes:reps=1", 3);
  for (const int layers : {1, 3}) {
    const ModelCircuit m = compose(*map, *w, layers);
    EXPECT_EQ(m.num_features(), 3);
    EXPECT_EQ(m.num_weights(), 6 * layers);
    EXPECT_EQ(m.num_qubits(), 3);
    EXPECT_EQ(m.circuit.num_parameters(), 3 + 6 * layers);
    std::vector<int> all = m.layout.inputs;
    all.insert(all.end(), m.layout.weights.begin(), m.layout.weights.end());
    std::sort(all.begin(), all.end());
    for (int p = 0; p < m.circuit.num_parameters(); ++p) EXPECT_EQ(all[static_cast<std::size_t>(p)], p);
    EXPECT_EQ(m.circuit.parameter_names()[0], "x0");
    EXPECT_EQ(m.circuit.parameter_names()[3], "w0");
    EXPECT_EQ(m.circuit.parameter_names().back(), "w" + std::to_string(6 * layers - 1));
  }
}

TEST(ModelCircuitTest, ComposeEqualsMapThenAnsatzLayers) {
  // U(x) W(w_0) U(x) W(w_1): the composed state equals the map's and ansatz's circuits applied in
  // turn by the dense reference, each with its own values.
  const auto map = feature_map("zz:reps=2,entanglement=linear", 3);
  const auto w = ansatz("efficient-su2:reps=1", 3);
  const int p = w->num_parameters();
  for (const bool weights_first : {false, true}) {
    const ModelCircuit m = compose(*map, *w, 2, weights_first);
    const std::vector<double> x = angles(3, 1), weights = angles(2 * static_cast<std::size_t>(p), 2);
    const std::vector<double> row = m.rows(x, 1, weights);
    std::vector<cdouble> expected = zero_state(3);
    for (int l = 0; l < 2; ++l) {
      const std::span<const double> wl(weights.data() + l * p, static_cast<std::size_t>(p));
      if (weights_first) expected = qmlsim::testing::apply_circuit(w->circuit(), wl, expected);
      expected = qmlsim::testing::apply_circuit(*map->circuit(), x, expected);
      if (!weights_first) expected = qmlsim::testing::apply_circuit(w->circuit(), wl, expected);
    }
    EXPECT_LT(max_diff(states(m.circuit, row), expected), kTol) << "weights_first " << weights_first;
  }
}

TEST(ModelCircuitTest, RowsPlaceFeaturesAndSharedWeights) {
  const auto map = feature_map("angle", 2);
  const auto w = ansatz("basic-entangler", 2);
  const ModelCircuit m = compose(*map, *w);
  const std::vector<double> inputs = {0.1, 0.2, 0.3, 0.4}, weights = {5.0, 6.0};
  EXPECT_EQ(m.rows(inputs, 2, weights), (std::vector<double>{0.1, 0.2, 5.0, 6.0, 0.3, 0.4, 5.0, 6.0}));
  EXPECT_THROW((void)m.rows(inputs, 2, std::vector<double>{1.0}), InvalidArgument);
}

TEST(ModelCircuitTest, ComposeRefusesAmplitudeMapsAndWiderAnsatze) {
  const auto amplitude = feature_map("amplitude", 4);
  EXPECT_THAT(invalid_argument_of([&] { (void)compose(*amplitude, *ansatz("real-amplitudes", 2)); }),
              HasSubstr("writes states directly"));
  EXPECT_THAT(invalid_argument_of([&] { (void)compose(*feature_map("angle", 2), *ansatz("real-amplitudes", 3)); }),
              HasSubstr("ansatz real-amplitudes acts on 3 qubits but feature map angle has 2 qubits"));
  EXPECT_THAT(invalid_argument_of([&] { (void)compose(*feature_map("angle", 2), *ansatz("real-amplitudes", 2), 0); }),
              HasSubstr("layers 0"));
  // A narrower ansatz acts on the map's first qubits.
  const ModelCircuit m = compose(*feature_map("angle", 3), *ansatz("real-amplitudes:reps=1", 2));
  EXPECT_EQ(m.num_qubits(), 3);
  EXPECT_EQ(m.num_weights(), 4);
}

TEST(ModelCircuitTest, RenumberKeepsStatesAndGradientsOfExpressionAngles) {
  // zz angles are expressions of two features; move parameter p to 4 - p in a 6-parameter circuit.
  const ModelCircuit m = compose(*feature_map("zz:reps=1", 3), *ansatz("real-amplitudes:reps=0", 3));
  ASSERT_EQ(m.circuit.num_parameters(), 6);
  const std::vector<int> map = {5, 4, 3, 2, 1, 0};
  const Circuit r = renumber_parameters(m.circuit, map, 6);
  const std::vector<double> row = angles(6, 3);
  std::vector<double> moved(6);
  for (std::size_t p = 0; p < 6; ++p) moved[static_cast<std::size_t>(map[p])] = row[p];
  const std::vector<cdouble> a = states(m.circuit, row), b = states(r, moved);
  EXPECT_EQ(a, b);  // the same arithmetic, bit for bit
  const Observable h = PauliSum::parse("Z0 Z1 + 0.5*X2 - 0.25*Y0 Z2");
  const auto ga = gradient(m.circuit, row, h), gb = gradient(r, moved, h);
  for (std::size_t p = 0; p < 6; ++p)
    EXPECT_NEAR(gb.gradient[static_cast<std::size_t>(map[p])], ga.gradient[p], kTol) << "parameter " << p;
  // Many-to-one (two parameters share one) and a wider declared count.
  const Circuit shared = renumber_parameters(m.circuit, std::vector<int>{0, 0, 1, 2, 3, 4}, 7);
  EXPECT_EQ(shared.num_parameters(), 7);
  EXPECT_THAT(invalid_argument_of([&] { (void)renumber_parameters(m.circuit, std::vector<int>{0, 1}, 6); }),
              HasSubstr("the map has 2 entries for 6 parameters"));
  EXPECT_THAT(invalid_argument_of([&] { (void)renumber_parameters(m.circuit, map, 5); }),
              HasSubstr("parameter index 5 out of range [0, 5)"));
}

TEST(ModelCircuitTest, BindWeightsKeepsStatesAndFeatureGradients) {
  // Weights first (qsvc-trained's trainable feature map) with expression angles after them.
  const ModelCircuit m = compose(*feature_map("zz:reps=2", 3), *ansatz("efficient-su2:reps=1", 3), 2, true);
  const std::vector<double> x = angles(3, 4), weights = angles(static_cast<std::size_t>(m.num_weights()), 5);
  const Circuit bound = bind_weights(m, weights);
  EXPECT_EQ(bound.num_parameters(), 3);
  EXPECT_EQ(bound.parameter_names(), (std::vector<std::string>{"x0", "x1", "x2"}));
  for (const Operation& op : bound.operations())
    for (const Param& p : op.params)
      for (const int i : p.parameters()) EXPECT_LT(i, 3);
  const std::vector<double> row = m.rows(x, 1, weights);
  EXPECT_EQ(states(bound, x), states(m.circuit, row));
  const Observable h = PauliSum::parse("Z0 + X1 Y2");
  const auto gb = gradient(bound, x, h), gm = gradient(m.circuit, row, h);
  for (std::size_t k = 0; k < 3; ++k) EXPECT_NEAR(gb.gradient[k], gm.gradient[k], kTol) << "feature " << k;
  EXPECT_THAT(invalid_argument_of([&] { (void)bind_weights(m, std::vector<double>{1.0}); }),
              HasSubstr("expects " + std::to_string(m.num_weights()) + " weights, got 1"));
  std::vector<double> bad = weights;
  bad[2] = std::nan("");
  EXPECT_THAT(invalid_argument_of([&] { (void)bind_weights(m, bad); }), HasSubstr("weight w2 = nan is not finite"));
}

TEST(ModelCircuitTest, SplitCircuitByPrefix) {
  // Parameters in circuit order: w_a, x1, x0, w_b (names as an OpenQASM file gives them).
  Circuit c(2);
  c.ry(Param::parameter(0), 0).rx(Param::parameter(1), 1).rz(Expr(2.0) * Expr::parameter(2) * Expr::parameter(1), 0);
  c.cx(0, 1).ry(Param::parameter(3), 1);
  c.set_parameter_names({"w_a", "x1", "x0", "w_b"});
  const ModelCircuit m = split_circuit(c, "x", 2);
  EXPECT_EQ(m.num_features(), 2);
  EXPECT_EQ(m.num_weights(), 2);
  EXPECT_EQ(m.circuit.parameter_names(), (std::vector<std::string>{"x0", "x1", "w0", "w1"}));
  // Features by their number (x0 = old parameter 2, x1 = old 1), weights in circuit order.
  const std::vector<double> old_row = {0.3, -0.7, 1.1, 0.9};
  const std::vector<double> x = {1.1, -0.7}, w = {0.3, 0.9};
  EXPECT_EQ(states(m.circuit, m.rows(x, 1, w)), states(c, old_row));
  // Not numbered: by appearance.
  c.set_parameter_names({"in_b", "w", "in_a", "v"});
  const ModelCircuit byorder = split_circuit(c, "in_", 2);
  const std::vector<double> x2 = {0.3, 1.1}, w2 = {-0.7, 0.9};
  EXPECT_EQ(states(byorder.circuit, byorder.rows(x2, 1, w2)), states(c, old_row));
  EXPECT_THAT(invalid_argument_of([&] { (void)split_circuit(c, "q", 2); }), HasSubstr("no parameter"));
  EXPECT_THAT(invalid_argument_of([&] { (void)split_circuit(c, "", 4); }), HasSubstr("every parameter"));
  EXPECT_THAT(invalid_argument_of([&] { (void)split_circuit(c, "in_", 3); }),
              HasSubstr("the circuit has 2 inputs but the data has 3 features"));
}

}  // namespace
}  // namespace qmlsim::qml

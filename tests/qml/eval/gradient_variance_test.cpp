#include "qml/eval/gradient_variance.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "qml/ansatz/ansatz.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/rng.hpp"
#include "tests/support/error_message.hpp"

namespace qmlsim::qml {
namespace {

using ::testing::HasSubstr;
using qmlsim::testing::invalid_argument_of;

TEST(GradientVarianceTest, OneQubitClosedForm) {
  // real-amplitudes on one qubit is RY(w_0 + ... + w_L): p(0) = cos^2(S/2), so
  // dC/dw_0 = sin(S)/2 for both costs (they coincide on one qubit). The sample statistics of
  // sin(S)/2 over the same weights must come out.
  GradientVarianceOptions o;
  o.qubits = {1};
  o.ansatz = ComponentSpec{"real-amplitudes", {}};
  o.layers = 3;
  o.samples = 400;
  o.seed = 11;
  const auto points = gradient_variance(o);
  ASSERT_EQ(points.size(), 1u);
  std::vector<double> d;
  for (int s = 0; s < o.samples; ++s) {
    double sum = 0.0;
    for (const double w : initial_weights(4, Rng(o.seed, static_cast<std::uint64_t>(s))())) sum += w;
    d.push_back(std::sin(sum) / 2.0);
  }
  double mean = 0.0, var = 0.0;
  for (const double v : d) mean += v / o.samples;
  for (const double v : d) var += (v - mean) * (v - mean) / (o.samples - 1);
  EXPECT_EQ(points[0].qubits, 1);
  EXPECT_EQ(points[0].weights, 4);
  EXPECT_NEAR(points[0].mean_global, mean, 1e-12);
  EXPECT_NEAR(points[0].variance_global, var, 1e-12);
  EXPECT_NEAR(points[0].variance_local, var, 1e-12);
  EXPECT_NEAR(points[0].mean_local, mean, 1e-12);
  // S mod 2 pi is uniform, so Var[sin(S)/2] = 1/8; 400 samples: standard error ~0.0044.
  EXPECT_NEAR(var, 0.125, 0.02);
  EXPECT_GE(points[0].seconds, 0.0);
}

TEST(GradientVarianceTest, GlobalCostVarianceDecaysWithQubits) {
  GradientVarianceOptions o;
  o.qubits = {2, 6};
  o.layers = 6;
  o.samples = 200;
  o.seed = 3;
  const auto points = gradient_variance(o);
  ASSERT_EQ(points.size(), 2u);
  EXPECT_EQ(points[0].qubits, 2);
  EXPECT_EQ(points[1].qubits, 6);
  EXPECT_EQ(points[1].weights, 2 * 6 * 7);  // RY and RZ on 6 qubits, 6 layers + final layer
  // Exponential decay of the global cost's gradient variance: 2 -> 6 qubits loses far more than
  // a factor 4 (a 2-design gives roughly 2^-2n scaling).
  EXPECT_LT(points[1].variance_global, points[0].variance_global / 4.0);
  // The local cost decays much more slowly than the global one.
  EXPECT_GT(points[1].variance_local / points[0].variance_local,
            points[1].variance_global / points[0].variance_global);
  for (const auto& p : points) {
    EXPECT_GT(p.variance_global, 0.0);
    EXPECT_GT(p.variance_local, 0.0);
    EXPECT_LT(std::abs(p.mean_global), 4.0 * std::sqrt(p.variance_global / o.samples) + 1e-12);
  }
}

TEST(GradientVarianceTest, SameSeedSameNumbersOnAnyThreadCount) {
  GradientVarianceOptions o;
  o.qubits = {3};
  o.layers = 2;
  o.samples = 20;
  o.weight = 5;
  const auto a = gradient_variance(o), b = gradient_variance(o);
  EXPECT_EQ(a[0].variance_global, b[0].variance_global);
  EXPECT_EQ(a[0].variance_local, b[0].variance_local);
  // Bit-identical on 1 and 2 threads (samples spread across the batch or not).
  SimulatorOptions one, two;
  one.parallel = Parallelism{1, kDefaultParallelThreshold};
  two.parallel = Parallelism{2, kDefaultParallelThreshold};
  const auto c = gradient_variance(o, one), d = gradient_variance(o, two);
  EXPECT_EQ(c[0].variance_global, d[0].variance_global);
  EXPECT_EQ(c[0].mean_local, d[0].mean_local);
  EXPECT_EQ(c[0].variance_global, a[0].variance_global);
  o.seed = 2;
  EXPECT_NE(gradient_variance(o)[0].variance_global, a[0].variance_global);
}

TEST(GradientVarianceTest, BadOptions) {
  GradientVarianceOptions o;
  EXPECT_THAT(invalid_argument_of([&] { (void)gradient_variance(o); }), HasSubstr("no qubit counts"));
  o.qubits = {2};
  o.samples = 1;
  EXPECT_THAT(invalid_argument_of([&] { (void)gradient_variance(o); }), HasSubstr("samples 1"));
  o.samples = 10;
  o.layers = 0;
  EXPECT_THAT(invalid_argument_of([&] { (void)gradient_variance(o); }), HasSubstr("layers 0"));
  o.layers = 1;
  o.ansatz = ComponentSpec{"real-amplitudes", {{"reps", "2"}}};
  EXPECT_THAT(invalid_argument_of([&] { (void)gradient_variance(o); }), HasSubstr("sets its depth"));
  o.ansatz = ComponentSpec{"real-amplitudes", {}};
  o.weight = 4;  // 2 qubits, 1 layer: 4 weights
  EXPECT_THAT(invalid_argument_of([&] { (void)gradient_variance(o); }), HasSubstr("weight index 4"));
  o.weight = 0;
  o.ansatz = ComponentSpec{"nope", {}};
  EXPECT_THAT(invalid_argument_of([&] { (void)gradient_variance(o); }), HasSubstr("unknown ansatz 'nope'"));
}

}  // namespace
}  // namespace qmlsim::qml

#include "qml/qnn/kernel_alignment.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <vector>

#include "qml/kernel/fidelity_kernel.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/rng.hpp"
#include "tests/qml/kernel/test_maps.hpp"
#include "tests/support/error_message.hpp"

namespace qmlsim::qml {
namespace {

using ::testing::HasSubstr;
using testing::random_features;

// A trainable feature map on n qubits and n features (Qiskit ML's kernel-training shape: a
// trainable layer before the encoding), with a second trainable layer between two encodings so
// that the weights do not commute out of the kernel: W1(w) U(x) W2(w) U(x). U(x) is ZZ-like (h,
// p(2 x_q), cx p((pi - x_a)(pi - x_b)) cx on neighbours); W = ry and rz on every qubit, some
// angles affine in their weight. `weight(k)` gives weight k's angle: a parameter (the model) or a
// constant (the same circuit as a plain feature map, for the fidelity kernel).
constexpr int kWeightsPerQubit = 4;

Circuit trainable_map(int n, const std::function<Param(int)>& weight) {
  Circuit c(n);
  c.declare_parameters(n);
  const auto encoding = [&] {
    for (int q = 0; q < n; ++q) c.h(q).p(Param::parameter(q, 2.0), q);
    for (int q = 0; q + 1 < n; ++q) {
      const Expr e = (kPi - Expr::parameter(q)) * (kPi - Expr::parameter(q + 1));
      c.cx(q, q + 1).p(Param(e), q + 1).cx(q, q + 1);
    }
  };
  for (int q = 0; q < n; ++q) c.ry(weight(q), q).rz(weight(n + q), q);
  encoding();
  for (int q = 0; q < n; ++q) c.ry(weight(2 * n + q), q).rz(weight(3 * n + q), q);
  encoding();
  return c;
}

ModelCircuit trainable_model(int n) {
  // Weight k is parameter n + k; the odd ones enter as 0.5 w + 0.1 (an affine chain-rule factor).
  ModelCircuit m{trainable_map(n, [n](int k) { return Param::parameter(n + k, k % 2 ? 0.5 : 1.0, k % 2 ? 0.1 : 0.0); }),
                 {}};
  for (int f = 0; f < n; ++f) m.layout.inputs.push_back(f);
  for (int k = 0; k < kWeightsPerQubit * n; ++k) m.layout.weights.push_back(n + k);
  return m;
}

std::vector<double> random_weights(int count, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<double> w(static_cast<std::size_t>(count));
  for (double& v : w) v = 2 * kPi * rng.uniform();
  return w;
}

Labels labels_of(std::size_t count, int classes) {
  Labels y(count);
  for (std::size_t i = 0; i < count; ++i) y[i] = static_cast<int>((i * 7 + i / 3) % static_cast<std::size_t>(classes));
  return y;
}

SimulatorOptions serial() { return SimulatorOptions{Parallelism::serial(), {}}; }
// Across the batch on two workers (small states, threshold 128); the product's blocks split too.
SimulatorOptions two_across() { return SimulatorOptions{Parallelism{2, 128}, {}}; }

// The definition: <K, T>_F / (|K|_F |T|_F) with T_ij = 1 (same class), -1 / (C - 1) otherwise.
double alignment(const Eigen::MatrixXd& k, const Labels& y, int classes) {
  double kt = 0.0, kk = 0.0, tt = 0.0;
  for (Eigen::Index i = 0; i < k.rows(); ++i)
    for (Eigen::Index j = 0; j < k.cols(); ++j) {
      const double t = y[static_cast<std::size_t>(i)] == y[static_cast<std::size_t>(j)] ? 1.0 : -1.0 / (classes - 1);
      kt += k(i, j) * t;
      kk += k(i, j) * k(i, j);
      tt += t * t;
    }
  return kt / std::sqrt(kk * tt);
}

TEST(KernelAlignmentTest, ValueIsMinusTheAlignmentOfTheFidelityKernelGram) {
  for (const int classes : {2, 3}) {
    const int n = 3;
    const ModelCircuit model = trainable_model(n);
    const FeatureMatrix x = random_features(14, n, 5);
    const Labels y = labels_of(14, classes);
    const std::vector<double> w = random_weights(model.num_weights(), 6);
    KernelAlignmentObjective objective(model, x, y, classes, serial());
    EXPECT_EQ(objective.num_parameters(), w.size());
    // The same circuit with the weights as constants (affine ones evaluated as the model does).
    const Circuit fixed = trainable_map(n, [&](int k) {
      const auto kk = static_cast<std::size_t>(k);
      return Param(k % 2 ? 0.5 * w[kk] + 0.1 : w[kk]);
    });
    const FidelityKernel kernel(std::make_shared<testing::CircuitMap>(fixed));
    const Eigen::MatrixXd k = kernel.gram(x);
    const double want = alignment(k, y, classes);
    EXPECT_GT(std::abs(want), 0.01);
    EXPECT_NEAR(objective.value(w), -want, 1e-13) << classes << " classes";
    EXPECT_EQ(objective.circuit_evaluations(), 14U);
    // The weights matter: other weights, another kernel.
    EXPECT_GT(std::abs(objective.value(random_weights(model.num_weights(), 7)) + want), 1e-4);
  }
}

TEST(KernelAlignmentTest, GradientEqualsFourthOrderFiniteDifferences) {
  // Binary and 3-class targets on 3 qubits, and 9 qubits (two row blocks of the cotangent
  // product), where only the first 6 of the 36 weights are checked to keep the test short.
  struct Case {
    int n, classes;
    std::size_t checked;
  };
  for (const Case& t : {Case{3, 2, 12}, Case{3, 3, 12}, Case{9, 3, 6}}) {
    const int n = t.n, classes = t.classes;
    const ModelCircuit model = trainable_model(n);
    const FeatureMatrix x = random_features(10, n, 11);
    const Labels y = labels_of(10, classes);
    const std::vector<double> w = random_weights(model.num_weights(), 12);
    KernelAlignmentObjective objective(model, x, y, classes, serial());
    std::vector<double> grad(w.size());
    const double value = objective.value_and_gradient(w, grad);
    EXPECT_EQ(value, objective.value(w));
    EXPECT_EQ(objective.circuit_evaluations(), 3U * 10 + 10);
    const double h = 1e-3;
    std::vector<double> fd(t.checked);
    double scale = 0.0;
    for (std::size_t p = 0; p < t.checked; ++p) {
      const auto at = [&](double step) {
        std::vector<double> v = w;
        v[p] += step;
        return objective.value(v);
      };
      fd[p] = (-at(2 * h) + 8 * at(h) - 8 * at(-h) + at(-2 * h)) / (12 * h);
      scale = std::max(scale, std::abs(fd[p]));
    }
    ASSERT_GT(scale, 1e-3);
    for (std::size_t p = 0; p < t.checked; ++p)
      EXPECT_NEAR(grad[p], fd[p], 1e-7 * scale) << n << " qubits, " << classes << " classes, weight " << p;
  }
}

TEST(KernelAlignmentTest, BitIdenticalOnOneAndTwoThreads) {
  // 9 qubits: 512 amplitudes, two blocks of the cotangent product (one per thread).
  const int n = 9;
  const ModelCircuit model = trainable_model(n);
  const FeatureMatrix x = random_features(6, n, 21);
  const Labels y = labels_of(6, 3);
  const std::vector<double> w = random_weights(model.num_weights(), 22);
  std::vector<double> first;
  double first_value = 0.0;
  // (Gates split over threads inside each row are covered by the state_vjp tests of the batch.)
  for (const SimulatorOptions& options : {serial(), two_across()}) {
    KernelAlignmentObjective objective(model, x, y, 3, options);
    std::vector<double> grad(w.size());
    const double value = objective.value_and_gradient(w, grad);
    if (first.empty()) {
      first = grad;
      first_value = value;
    }
    EXPECT_EQ(value, first_value);
    EXPECT_EQ(grad, first);
  }
}

TEST(KernelAlignmentTest, ValidationErrors) {
  const int n = 2;
  const ModelCircuit model = trainable_model(n);
  const FeatureMatrix x = random_features(6, n, 31);
  const Labels y = labels_of(6, 2);
  using testing::invalid_argument_of;
  EXPECT_EQ(invalid_argument_of([&] { KernelAlignmentObjective(model, random_features(6, 3, 1), y, 2); }),
            "kernel alignment: the circuit has 2 features but the data has 3 features");
  EXPECT_THAT(invalid_argument_of([&] { KernelAlignmentObjective(model, x, Labels(5, 0), 2); }),
              HasSubstr("expects 6 labels, got 5"));
  EXPECT_EQ(invalid_argument_of([&] { KernelAlignmentObjective(model, x, y, 1); }),
            "kernel alignment: 1 classes; the target alignment needs at least 2");
  Labels bad = y;
  bad[4] = 2;
  EXPECT_THAT(invalid_argument_of([&] { KernelAlignmentObjective(model, x, bad, 2); }),
              HasSubstr("kernel alignment: label of sample 4"));
  FeatureMatrix nan = x;
  nan(3, 1) = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(invalid_argument_of([&] { KernelAlignmentObjective(model, nan, y, 2); }),
            "kernel alignment: sample 3 feature 1 = nan is not finite");
  ModelCircuit uncovered = model;
  uncovered.layout.weights.pop_back();
  EXPECT_THAT(invalid_argument_of([&] { KernelAlignmentObjective(uncovered, x, y, 2); }),
              HasSubstr("is neither an input nor a weight"));
  ModelCircuit measured = model;
  measured.circuit = Circuit(n, 1);
  measured.circuit.append(model.circuit);
  measured.circuit.measure(0, 0).h(0);
  EXPECT_THAT(invalid_argument_of([&] { KernelAlignmentObjective(measured, x, y, 2); }), HasSubstr("kernel alignment: "));

  KernelAlignmentObjective objective(model, x, y, 2);
  std::vector<double> w = random_weights(model.num_weights(), 32);
  EXPECT_THAT(invalid_argument_of([&] { (void)objective.value(std::span<const double>(w).first(3)); }),
              HasSubstr("expects 8 weights, got 3"));
  std::vector<double> grad(3);
  EXPECT_THAT(invalid_argument_of([&] { (void)objective.value_and_gradient(w, grad); }),
              HasSubstr("kernel alignment: gradient: expects 8 values, got 3"));
  w[5] = std::numeric_limits<double>::infinity();
  EXPECT_EQ(invalid_argument_of([&] { (void)objective.value(w); }), "kernel alignment: weight 5 = inf is not finite");

  SimulatorOptions tiny;
  tiny.memory.max_bytes = 1000;
  EXPECT_THROW(KernelAlignmentObjective(model, x, y, 2, tiny), ResourceError);
}

}  // namespace
}  // namespace qmlsim::qml

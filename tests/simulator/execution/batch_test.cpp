#include "simulator/execution/batch.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>
#include <string>

#include "simulator/circuit/library.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/rng.hpp"
#include "simulator/execution/gradient.hpp"
#include "simulator/execution/parameter_shift.hpp"
#include "simulator/execution/simulator.hpp"
#include "tests/support/error_message.hpp"
#include "tests/support/random_circuit.hpp"
#include "tests/support/random_state.hpp"

namespace qmlsim {
namespace {

using ::testing::HasSubstr;
using ::testing::StrEq;
using testing::invalid_argument_of;

// The three ways a batch can run: serial; one item at a time with every gate split over two
// threads (threshold 0); across the batch on two threads (small states, default threshold).
SimulatorOptions serial_options() { return SimulatorOptions{Parallelism{1}, {}}; }
SimulatorOptions inside_gates_options() { return SimulatorOptions{Parallelism{2, 0}, {}}; }
SimulatorOptions across_batch_options() { return SimulatorOptions{Parallelism{2}, {}}; }
std::vector<SimulatorOptions> all_options() { return {serial_options(), inside_gates_options(), across_batch_options()}; }

// A QML-style circuit: `layers` of ry + rz on every qubit and a cx chain, with a shared and an
// affine parameter use so that the chain rule is exercised.
Circuit model_circuit(int n, int layers) {
  Circuit c(n);
  int p = 0;
  for (int l = 0; l < layers; ++l) {
    for (int q = 0; q < n; ++q) c.ry(Param::parameter(p++), q);
    for (int q = 0; q < n; ++q) c.rz(Param::parameter(p++), q);
    for (int q = 0; q + 1 < n; ++q) c.cx(q, q + 1);
  }
  c.rx(Param::parameter(0, 0.5, 0.1), n - 1);  // theta[0] used twice
  return c;
}

std::vector<double> random_rows(std::size_t count, int width, std::uint64_t seed) {
  Rng rng(seed);
  return testing::random_angles(count * static_cast<std::size_t>(width), rng);
}

std::vector<Observable> some_observables(int n) {
  std::vector<Observable> obs;
  obs.emplace_back(PauliSum::parse("Z0 + 0.5*X1 X2 - 0.3*Y0 Z" + std::to_string(n - 1) + " + 0.25"));
  obs.emplace_back(PauliSum::parse("Z0 Z1"));
  std::vector<double> values(4);
  for (std::size_t o = 0; o < values.size(); ++o) values[o] = 0.5 * static_cast<double>(o) - 0.7;
  obs.emplace_back(DiagonalObservable({n - 1, 0}, values));
  return obs;
}

TEST(BatchPlanTest, AcrossTheBatchOnlyForSmallStatesAndSeveralItems) {
  const BatchPlan across = plan_batch(4, 100, Parallelism{2});
  EXPECT_EQ(across.workers, 2);
  EXPECT_EQ(across.per_item.threads, 1);
  EXPECT_EQ(plan_batch(4, 1, Parallelism{2}).workers, 1);       // one item: nothing to split
  EXPECT_EQ(plan_batch(4, 100, Parallelism{1}).workers, 1);     // one thread
  EXPECT_EQ(plan_batch(4, 100, Parallelism{2, 0}).workers, 1);  // threshold 0: inside the gates
  EXPECT_EQ(plan_batch(4, 100, Parallelism{8}).workers, 8);
  EXPECT_EQ(plan_batch(4, 3, Parallelism{8}).workers, 3);  // never more workers than items
  // 2^14 = the default threshold: across when every thread has an item, up to 64 x the threshold.
  EXPECT_EQ(plan_batch(14, 100, Parallelism{2}).workers, 2);
  EXPECT_EQ(plan_batch(19, 2, Parallelism{2}).workers, 2);
  const BatchPlan few = plan_batch(14, 3, Parallelism{4});  // fewer items than threads: inside the gates
  EXPECT_EQ(few.workers, 1);
  EXPECT_EQ(few.per_item.threads, 4);
  const BatchPlan big = plan_batch(20, 100, Parallelism{2});  // 2^20 = 64 x the threshold
  EXPECT_EQ(big.workers, 1);
  EXPECT_EQ(big.per_item.threads, 2);
}

TEST(BatchTest, ExpectationsEqualOneByOneBitForBit) {
  const int n = 4;
  const Circuit c = model_circuit(n, 2);
  const std::size_t count = 37;
  const std::vector<double> values = random_rows(count, c.num_parameters(), 11);
  const ParameterRows rows = ParameterRows::of(values, static_cast<std::size_t>(c.num_parameters()));
  const std::vector<Observable> obs = some_observables(n);
  const Simulator reference(serial_options());
  for (const SimulatorOptions& options : all_options()) {
    SCOPED_TRACE(options.parallel.threads * 10 + static_cast<int>(options.parallel.threshold == 0));
    const std::vector<double> got = BatchExecutor(c, options).expectations(rows, obs);
    ASSERT_EQ(got.size(), count * obs.size());
    for (std::size_t i = 0; i < count; ++i) {
      const auto state = reference.run(c, rows.row(i));
      for (std::size_t j = 0; j < obs.size(); ++j) EXPECT_EQ(got[i * obs.size() + j], expectation(obs[j], state));
    }
  }
}

TEST(BatchTest, ExpectationsMatchAnalyticValues) {
  // ry(a) on each of two qubits: <Z_q> = cos(a_q), <Z0 Z1> = cos(a0) cos(a1).
  Circuit c(2);
  c.ry(Param::parameter(0), 0).ry(Param::parameter(1), 1);
  const std::vector<double> values = {0.3, 1.1, -2.0, 0.5, 2.5, 3.0};
  std::vector<Observable> obs;
  obs.emplace_back(PauliSum::parse("Z0"));
  obs.emplace_back(PauliSum::parse("Z1"));
  obs.emplace_back(PauliSum::parse("Z0 Z1"));
  for (const SimulatorOptions& options : all_options()) {
    const auto got = BatchExecutor(c, options).expectations(ParameterRows::of(values, 2), obs);
    for (std::size_t i = 0; i < 3; ++i) {
      EXPECT_NEAR(got[3 * i], std::cos(values[2 * i]), 1e-14);
      EXPECT_NEAR(got[3 * i + 1], std::cos(values[2 * i + 1]), 1e-14);
      EXPECT_NEAR(got[3 * i + 2], std::cos(values[2 * i]) * std::cos(values[2 * i + 1]), 1e-14);
    }
  }
}

TEST(BatchTest, LargeStatesRunItemsOneByOneWithParallelGates) {
  // 2^15 amplitudes: above the default threshold and fewer items than threads, so the threads go
  // inside the gates.
  const int n = 15;
  const Circuit c = model_circuit(n, 1);
  const std::vector<double> values = random_rows(3, c.num_parameters(), 5);
  const ParameterRows rows = ParameterRows::of(values, static_cast<std::size_t>(c.num_parameters()));
  EXPECT_EQ(plan_batch(n, rows.count, Parallelism{4}).workers, 1);
  const std::vector<Observable> obs = some_observables(n);
  const auto got = BatchExecutor(c, SimulatorOptions{Parallelism{4}, {}}).expectations(rows, obs);
  const Simulator reference(serial_options());
  for (std::size_t i = 0; i < rows.count; ++i) {
    const auto state = reference.run(c, rows.row(i));
    for (std::size_t j = 0; j < obs.size(); ++j) EXPECT_EQ(got[i * obs.size() + j], expectation(obs[j], state));
  }
}

TEST(BatchTest, ProbabilitiesEqualOneByOneBitForBit) {
  const int n = 5;
  const Circuit c = model_circuit(n, 2);
  const std::size_t count = 9;
  const std::vector<double> values = random_rows(count, c.num_parameters(), 12);
  const ParameterRows rows = ParameterRows::of(values, static_cast<std::size_t>(c.num_parameters()));
  const std::vector<Qubit> subset = {3, 0};
  const Simulator reference(serial_options());
  for (const SimulatorOptions& options : all_options()) {
    const BatchExecutor batch(c, options);
    const auto all = batch.probabilities(rows);
    const auto some = batch.probabilities(rows, subset);
    ASSERT_EQ(all.size(), count << n);
    ASSERT_EQ(some.size(), count * 4);
    for (std::size_t i = 0; i < count; ++i) {
      const auto state = reference.run(c, rows.row(i));
      const auto p = state.probabilities();
      const auto m = state.marginal_probabilities(subset);
      for (std::size_t o = 0; o < p.size(); ++o) EXPECT_EQ(all[(i << n) + o], p[o]);
      for (std::size_t o = 0; o < m.size(); ++o) EXPECT_EQ(some[i * 4 + o], m[o]);
    }
  }
}

TEST(BatchTest, ProbabilitiesOfSingleQubitRotations) {
  // ry(a) on qubit 0 of two: P(q0 = 1) = sin^2(a / 2); outcome bit 0 = qubits[0].
  Circuit c(2);
  c.ry(Param::parameter(0), 0);
  const std::vector<double> values = {0.4, 2.0, kPi};
  const std::vector<Qubit> q0 = {0};
  const auto p = BatchExecutor(c, across_batch_options()).probabilities(ParameterRows::of(values, 1), q0);
  ASSERT_EQ(p.size(), 6U);
  for (std::size_t i = 0; i < 3; ++i) {
    const double s = std::sin(values[i] / 2);
    EXPECT_NEAR(p[2 * i + 1], s * s, 1e-15);
    EXPECT_NEAR(p[2 * i], 1 - s * s, 1e-15);
  }
}

TEST(BatchTest, StatesEqualOneByOneBitForBit) {
  const int n = 3;
  const Circuit c = model_circuit(n, 1);
  const std::vector<double> values = random_rows(6, c.num_parameters(), 13);
  const ParameterRows rows = ParameterRows::of(values, static_cast<std::size_t>(c.num_parameters()));
  const Simulator reference(serial_options());
  for (const SimulatorOptions& options : all_options()) {
    const auto states = BatchExecutor(c, options).states(rows);
    ASSERT_EQ(states.size(), rows.count);
    for (std::size_t i = 0; i < rows.count; ++i) {
      const auto expected = reference.run(c, rows.row(i));
      for (Index k = 0; k < expected.size(); ++k) EXPECT_EQ(states[i][k], expected[k]);
    }
  }
}

TEST(BatchTest, ParameterFreeCircuitRunsCountCopies) {
  const Circuit c = library::ghz(3);
  const ParameterRows rows{{}, 4, 0};
  const std::vector<Observable> obs = {PauliSum::parse("Z0 Z2"), PauliSum::parse("X0 X1 X2")};
  for (const SimulatorOptions& options : all_options()) {
    const auto got = BatchExecutor(c, options).expectations(rows, obs);
    ASSERT_EQ(got.size(), 8U);
    for (std::size_t i = 0; i < 4; ++i) {
      EXPECT_NEAR(got[2 * i], 1.0, 1e-15);
      EXPECT_NEAR(got[2 * i + 1], 1.0, 1e-15);
    }
  }
}

TEST(BatchTest, EmptyBatchGivesEmptyResults) {
  const Circuit c = model_circuit(3, 1);
  const ParameterRows none{{}, 0, static_cast<std::size_t>(c.num_parameters())};
  const BatchExecutor batch(c, across_batch_options());
  const std::vector<Observable> obs = some_observables(3);
  EXPECT_TRUE(batch.expectations(none, obs).empty());
  EXPECT_TRUE(batch.probabilities(none).empty());
  EXPECT_TRUE(batch.states(none).empty());
  const auto g = batch.vjp(none, obs, {});
  EXPECT_TRUE(g.values.empty());
  EXPECT_TRUE(g.gradient.empty());
  EXPECT_EQ(g.parameters.size(), static_cast<std::size_t>(c.num_parameters()));
}

// ----------------------------------------------------------------------------------------------
// Gradients

TEST(BatchGradientTest, VjpEqualsAdjointGradientOneByOneBitForBit) {
  const int n = 4;
  const Circuit c = model_circuit(n, 2);
  const std::size_t count = 21;
  const std::vector<double> values = random_rows(count, c.num_parameters(), 21);
  const ParameterRows rows = ParameterRows::of(values, static_cast<std::size_t>(c.num_parameters()));
  const std::vector<Observable> obs = some_observables(n);
  Rng rng(22);
  const std::vector<double> weights = testing::random_angles(count * obs.size(), rng, -1.0, 1.0);
  const std::vector<int> wrt = {5, 0, 9};
  CompiledCircuit compiled(c);
  for (const std::vector<int>& selection : {std::vector<int>{}, wrt}) {
    const AdjointGradient reference(compiled, selection, serial_options());
    const std::size_t np = reference.parameters().size();
    for (const SimulatorOptions& options : all_options()) {
      const auto got = BatchExecutor(c, options).vjp(rows, obs, weights, selection);
      EXPECT_EQ(got.parameters, reference.parameters());
      ASSERT_EQ(got.values.size(), count * obs.size());
      ASSERT_EQ(got.gradient.size(), count * np);
      for (std::size_t i = 0; i < count; ++i) {
        compiled.bind(rows.row(i));
        const auto one = reference.vjp(compiled, obs, std::span<const double>(weights).subspan(i * obs.size(), obs.size()));
        for (std::size_t j = 0; j < obs.size(); ++j) EXPECT_EQ(got.values[i * obs.size() + j], one.values[j]);
        for (std::size_t p = 0; p < np; ++p) EXPECT_EQ(got.gradient[i * np + p], one.jacobian[p]);
      }
    }
  }
}

TEST(BatchGradientTest, JacobianEqualsAdjointGradientOneByOneBitForBit) {
  const int n = 3;
  const Circuit c = model_circuit(n, 2);
  const std::size_t count = 7;
  const std::vector<double> values = random_rows(count, c.num_parameters(), 31);
  const ParameterRows rows = ParameterRows::of(values, static_cast<std::size_t>(c.num_parameters()));
  const std::vector<Observable> obs = some_observables(n);
  CompiledCircuit compiled(c);
  const AdjointGradient reference(compiled, {}, serial_options());
  const std::size_t np = reference.parameters().size(), m = obs.size();
  for (const SimulatorOptions& options : all_options()) {
    const auto got = BatchExecutor(c, options).jacobian(rows, obs);
    ASSERT_EQ(got.gradient.size(), count * m * np);
    for (std::size_t i = 0; i < count; ++i) {
      compiled.bind(rows.row(i));
      const auto one = reference.jacobian(compiled, obs);
      for (std::size_t j = 0; j < m; ++j) {
        EXPECT_EQ(got.values[i * m + j], one.values[j]);
        for (std::size_t p = 0; p < np; ++p) EXPECT_EQ(got.gradient[(i * m + j) * np + p], one(j, p));
      }
    }
  }
}

TEST(BatchGradientTest, GradientMatchesFiniteDifferences) {
  // An independent check of the batch's indexing: central differences of the batch's own values.
  const Circuit c = model_circuit(3, 1);
  const auto width = static_cast<std::size_t>(c.num_parameters());
  const std::vector<double> values = random_rows(2, c.num_parameters(), 41);
  const std::vector<Observable> obs = {PauliSum::parse("Z0 + 0.5*X1 Z2")};
  const BatchExecutor batch(c, across_batch_options());
  const auto g = batch.vjp(ParameterRows::of(values, width), obs, std::vector<double>{1.0, 1.0});
  const double h = 1e-5;
  for (std::size_t i = 0; i < 2; ++i)
    for (std::size_t p = 0; p < width; ++p) {
      std::vector<double> plus(values.begin() + static_cast<std::ptrdiff_t>(i * width),
                               values.begin() + static_cast<std::ptrdiff_t>((i + 1) * width));
      std::vector<double> minus = plus;
      plus[p] += h;
      minus[p] -= h;
      const double fp = batch.expectations(ParameterRows::of(plus, width), obs)[0];
      const double fm = batch.expectations(ParameterRows::of(minus, width), obs)[0];
      EXPECT_NEAR(g.gradient[i * width + p], (fp - fm) / (2 * h), 1e-8) << "row " << i << " parameter " << p;
    }
}

TEST(BatchGradientTest, GradientErrors) {
  const Circuit c = model_circuit(3, 1);
  const BatchExecutor batch(c, serial_options());
  const std::vector<double> values = random_rows(2, c.num_parameters(), 1);
  const ParameterRows rows = ParameterRows::of(values, static_cast<std::size_t>(c.num_parameters()));
  const std::vector<Observable> obs = {PauliSum::parse("Z0")};
  try {
    (void)batch.vjp(rows, obs, std::vector<double>{1.0});
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_STREQ(e.what(), "a batch of 2 rows and 1 observable: expects 2 weights, got 1");
  }
  try {
    (void)batch.vjp(rows, obs, std::vector<double>{1.0, std::numeric_limits<double>::infinity()});
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_STREQ(e.what(), "batch row 1: weight of observable 0 = inf is not finite");
  }
  EXPECT_THROW((void)batch.vjp(rows, obs, std::vector<double>{1.0, 1.0}, std::vector<int>{99}), InvalidArgument);
  const std::vector<Observable> far = {PauliSum::parse("Z7")};
  EXPECT_THROW((void)batch.jacobian(rows, far), InvalidArgument);
  Circuit mid(2, 1);
  mid.ry(Param::parameter(0), 0).measure(0, 0).h(0);
  const std::vector<double> one = {0.3};
  EXPECT_THROW((void)BatchExecutor(mid).vjp(ParameterRows::of(one, 1), obs, std::vector<double>{1.0}),
               InvalidArgument);
}

// ----------------------------------------------------------------------------------------------
// Validation

// ---- training-shaped calls ----

TEST(BatchTest, StatesIntoWritesColumnIEqualToRowIBitForBit) {
  const int n = 3;
  const Circuit c = model_circuit(n, 2);
  const std::vector<double> values = random_rows(7, c.num_parameters(), 31);
  const ParameterRows rows = ParameterRows::of(values, static_cast<std::size_t>(c.num_parameters()));
  const std::size_t dim = std::size_t{1} << n;
  const Simulator reference(serial_options());
  for (const SimulatorOptions& options : all_options()) {
    std::vector<cdouble> block(rows.count * dim, cdouble(-9.0, -9.0));  // garbage: every entry is written
    BatchExecutor(c, options).states_into(rows, block);
    for (std::size_t i = 0; i < rows.count; ++i) {
      const auto expected = reference.run(c, rows.row(i));
      for (std::size_t k = 0; k < dim; ++k) EXPECT_EQ(block[i * dim + k], expected[static_cast<Index>(k)]) << i << " " << k;
    }
  }
  std::vector<cdouble> wrong(rows.count * dim - 1);
  try {
    BatchExecutor(c).states_into(rows, wrong);
    ADD_FAILURE() << "no exception";
  } catch (const InvalidArgument& e) {
    EXPECT_STREQ(e.what(), "states_into: a block for 7 rows of 8 amplitudes: expects 56 amplitudes, got 55");
  }
}

// A softmax cross-entropy over the observables' values (label = row % m): the loss and its
// weights dL/d<H_j> = softmax_j - [j == label].
double cross_entropy(std::size_t row, std::span<const double> values, std::span<double> weights) {
  const std::size_t m = values.size(), label = row % m;
  const double top = *std::max_element(values.begin(), values.end());
  double z = 0.0;
  for (double v : values) z += std::exp(v - top);
  for (std::size_t j = 0; j < m; ++j) weights[j] = std::exp(values[j] - top) / z - (j == label ? 1.0 : 0.0);
  return -(values[label] - top - std::log(z));
}

TEST(BatchLossTest, OneForwardRunPerRowEqualsTheTwoPassComputationBitForBit) {
  const int n = 4;
  const Circuit c = model_circuit(n, 2);
  const std::vector<Observable> obs = some_observables(n);
  const std::size_t m = obs.size();
  const std::vector<double> values = random_rows(9, c.num_parameters(), 41);
  const ParameterRows rows = ParameterRows::of(values, static_cast<std::size_t>(c.num_parameters()));
  const std::vector<int> wrt = {5, 0, 3};
  BatchExecutor::LossGradient first;
  for (const SimulatorOptions& options : all_options()) {
    const BatchExecutor batch(c, options);
    const BatchExecutor::LossGradient lg = batch.loss_gradient(rows, obs, cross_entropy, wrt);
    // Two passes: the values, then the weights from the same hook, then vjp with them.
    const std::vector<double> v = batch.expectations(rows, obs);
    std::vector<double> weights(rows.count * m);
    double loss = 0.0;
    for (std::size_t i = 0; i < rows.count; ++i) {
      const double li = cross_entropy(i, std::span<const double>(v.data() + i * m, m), std::span<double>(weights.data() + i * m, m));
      EXPECT_EQ(lg.losses[i], li) << i;
      loss += li;
    }
    const BatchExecutor::Gradients two_pass = batch.vjp(rows, obs, weights, wrt);
    EXPECT_EQ(lg.values, v);
    EXPECT_EQ(lg.loss, loss);
    EXPECT_EQ(lg.parameters, wrt);
    std::vector<double> summed(wrt.size(), 0.0);
    for (std::size_t i = 0; i < rows.count; ++i)
      for (std::size_t p = 0; p < wrt.size(); ++p) summed[p] += two_pass.gradient[i * wrt.size() + p];
    EXPECT_EQ(lg.gradient, summed);
    // The same bits on every thread count.
    if (first.gradient.empty()) first = lg;
    EXPECT_EQ(lg.gradient, first.gradient);
    EXPECT_EQ(lg.loss, first.loss);
  }
  // And the gradient is the loss's: central differences of the summed loss.
  const BatchExecutor batch(c);
  const double h = 1e-6;
  for (std::size_t p = 0; p < wrt.size(); ++p) {
    std::vector<double> up = values, down = values;
    for (std::size_t i = 0; i < rows.count; ++i) {
      up[i * rows.width + static_cast<std::size_t>(wrt[p])] += h;
      down[i * rows.width + static_cast<std::size_t>(wrt[p])] -= h;
    }
    const double lu = batch.loss_gradient(ParameterRows::of(up, rows.width), obs, cross_entropy, wrt).loss;
    const double ld = batch.loss_gradient(ParameterRows::of(down, rows.width), obs, cross_entropy, wrt).loss;
    EXPECT_NEAR(first.gradient[p], (lu - ld) / (2 * h), 1e-6) << p;
  }
}

TEST(BatchLossTest, HookErrorsStopTheBatchNamingTheRow) {
  const Circuit c = model_circuit(2, 1);
  const std::vector<Observable> obs = {PauliSum::parse("Z0")};
  const std::vector<double> values = random_rows(4, c.num_parameters(), 3);
  const ParameterRows rows = ParameterRows::of(values, static_cast<std::size_t>(c.num_parameters()));
  const BatchExecutor batch(c, across_batch_options());
  const auto unset = [](std::size_t, std::span<const double>, std::span<double>) { return 1.0; };
  EXPECT_THAT([&] {
    try {
      (void)batch.loss_gradient(rows, obs, unset);
    } catch (const InvalidArgument& e) {
      return std::string(e.what());
    }
    return std::string("no exception");
  }(), StrEq("batch row 0: loss hook: weight 0 (every weight must be set) = nan is not finite"));
  const auto nan_loss = [](std::size_t row, std::span<const double>, std::span<double> w) {
    w[0] = 1.0;
    return row == 2 ? std::nan("") : 0.0;
  };
  EXPECT_THAT([&] {
    try {
      (void)batch.loss_gradient(rows, obs, nan_loss);
    } catch (const InvalidArgument& e) {
      return std::string(e.what());
    }
    return std::string("no exception");
  }(), StrEq("batch row 2: loss hook: returned loss = nan is not finite"));
  EXPECT_THROW((void)batch.loss_gradient(rows, obs, BatchExecutor::LossHook{}), InvalidArgument);
}

// ---- state cotangents ----

// sum_i Re <lambda_i | psi(row i)> from Simulator::run states: the function state_vjp differentiates.
double overlap_sum(const Circuit& c, std::span<const double> values, std::span<const cdouble> lambda) {
  const Simulator sim(serial_options());
  const auto width = static_cast<std::size_t>(c.num_parameters());
  const std::size_t dim = std::size_t{1} << c.num_qubits();
  double f = 0.0;
  for (std::size_t i = 0; i * width < values.size(); ++i) {
    const auto psi = sim.run(c, values.subspan(i * width, width));
    for (std::size_t k = 0; k < dim; ++k) f += (std::conj(lambda[i * dim + k]) * psi[static_cast<Index>(k)]).real();
  }
  return f;
}

// count random cotangents of 2^n amplitudes, of norms between 0.5 and 2 (not states).
std::vector<cdouble> random_cotangents(int n, std::size_t count, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<cdouble> out;
  for (std::size_t i = 0; i < count; ++i) {
    const double scale = 0.5 + 1.5 * rng.uniform();
    for (const cdouble& a : testing::random_state(n, rng)) out.push_back(scale * a);
  }
  return out;
}

TEST(BatchStateVjpTest, MatchesFourthOrderFiniteDifferencesOfTheOverlap) {
  // Random circuits with affine and expression angles under controls; 3 and 12 qubits (the
  // per-gate sweep and the blocked one); every parameter shifted in every row at once, since the
  // gradient is summed over rows.
  for (const int n : {3, 12}) {
    testing::CircuitRecipe recipe;
    recipe.num_qubits = n;
    recipe.num_parameters = 6;
    recipe.gates = n == 3 ? 0 : 40;
    const Circuit c = testing::random_circuit(recipe, 50 + static_cast<std::uint64_t>(n)).circuit;
    const auto width = static_cast<std::size_t>(c.num_parameters());
    const std::size_t count = 3;
    const std::vector<double> values = random_rows(count, c.num_parameters(), 51);
    const std::vector<cdouble> lambda = random_cotangents(n, count, 52);
    const auto g = BatchExecutor(c, serial_options()).state_vjp(ParameterRows::of(values, width), lambda);
    ASSERT_EQ(g.gradient.size(), width);
    const double h = 1e-3;
    for (std::size_t p = 0; p < width; ++p) {
      const auto shifted = [&](double step) {
        std::vector<double> v = values;
        for (std::size_t i = 0; i < count; ++i) v[i * width + p] += step;
        return overlap_sum(c, v, lambda);
      };
      const double fd = (-shifted(2 * h) + 8 * shifted(h) - 8 * shifted(-h) + shifted(-2 * h)) / (12 * h);
      EXPECT_NEAR(g.gradient[p], fd, 1e-7 * std::max(1.0, std::abs(fd))) << n << " qubits, parameter " << p;
    }
  }
}

TEST(BatchStateVjpTest, BitIdenticalOnEveryThreadCountAndSelectionPicksEntries) {
  const int n = 4;
  const Circuit c = model_circuit(n, 2);
  const auto width = static_cast<std::size_t>(c.num_parameters());
  const std::size_t count = 11;
  const std::vector<double> values = random_rows(count, c.num_parameters(), 61);
  const ParameterRows rows = ParameterRows::of(values, width);
  const std::vector<cdouble> lambda = random_cotangents(n, count, 62);
  const auto first = BatchExecutor(c, serial_options()).state_vjp(rows, lambda);
  ASSERT_EQ(first.gradient.size(), width);
  for (std::size_t p = 0; p < width; ++p) EXPECT_EQ(first.parameters[p], static_cast<int>(p));
  for (const SimulatorOptions& options : all_options()) {
    const auto got = BatchExecutor(c, options).state_vjp(rows, lambda);
    EXPECT_EQ(got.gradient, first.gradient);
    const std::vector<int> wrt = {5, 0, 9};
    const auto some = BatchExecutor(c, options).state_vjp(rows, lambda, wrt);
    EXPECT_EQ(some.parameters, wrt);
    for (std::size_t p = 0; p < wrt.size(); ++p)
      EXPECT_NEAR(some.gradient[p], first.gradient[static_cast<std::size_t>(wrt[p])], 1e-14) << p;
  }
}

TEST(BatchStateVjpTest, HalfTheExpectationGradientWhenTheCotangentIsHPsi) {
  // d<H>/dtheta = 2 Re <H psi| d psi>: state_vjp with lambda_i = H psi_i (held fixed) is half of
  // vjp with weight 1, row by row; on 3 and 12 qubits (both sweeps).
  for (const int n : {3, 12}) {
    const Circuit c = model_circuit(n, 2);
    const auto width = static_cast<std::size_t>(c.num_parameters());
    const std::size_t count = 3;
    const std::vector<double> values = random_rows(count, c.num_parameters(), 71);
    const ParameterRows rows = ParameterRows::of(values, width);
    const PauliSum h = PauliSum::parse("Z0 + 0.5*X1 X2 - 0.3*Y0 Z" + std::to_string(n - 1));
    const std::size_t dim = std::size_t{1} << n;
    std::vector<cdouble> lambda(count * dim);
    const Simulator sim(serial_options());
    for (std::size_t i = 0; i < count; ++i) {
      const StateVector<double> psi = sim.run(c, rows.row(i));
      StateVector<double> hpsi(n);
      apply(h, psi, hpsi);
      std::copy(hpsi.data(), hpsi.data() + dim, lambda.begin() + static_cast<std::ptrdiff_t>(i * dim));
    }
    const std::vector<Observable> obs = {h};
    for (const SimulatorOptions& options : all_options()) {
      const BatchExecutor batch(c, options);
      const auto state = batch.state_vjp(rows, lambda);
      const auto full = batch.vjp(rows, obs, std::vector<double>(count, 1.0));
      for (std::size_t p = 0; p < width; ++p) {
        double summed = 0.0;
        for (std::size_t i = 0; i < count; ++i) summed += full.gradient[i * width + p];
        EXPECT_NEAR(2 * state.gradient[p], summed, 1e-12) << n << " qubits, parameter " << p;
      }
    }
  }
}

TEST(BatchStateVjpTest, FoldedGlobalPhaseAnglesHaveTheirTerms) {
  // Uncontrolled gphase gates have no record (their phase is folded into another record's matrix)
  // and no term in an expectation's gradient; Re <lambda|psi> depends on them. theta[1] enters
  // through gphase(theta1), gphase(theta1 / 2) and an ry; the per-gate and blocked sweeps.
  for (const int n : {3, 12}) {
    Circuit c(n);
    c.declare_parameters(2);
    c.h(0).ry(Param::parameter(0), 0).h(1).gphase(Param::parameter(1)).x(2).gphase(Param::parameter(1, 0.5));
    c.cx(0, 1).ry(Param::parameter(1), 2);
    const std::vector<double> values = {0.3, 0.7};
    const std::vector<cdouble> lambda = random_cotangents(n, 1, 3);
    for (const std::vector<int>& wrt : {std::vector<int>{}, std::vector<int>{1}}) {
      const auto g = BatchExecutor(c, serial_options()).state_vjp(ParameterRows::of(values, 2), lambda, wrt);
      for (std::size_t k = 0; k < g.parameters.size(); ++k) {
        const auto p = static_cast<std::size_t>(g.parameters[k]);
        std::vector<double> up = values, down = values;
        up[p] += 1e-5;
        down[p] -= 1e-5;
        const double fd = (overlap_sum(c, up, lambda) - overlap_sum(c, down, lambda)) / 2e-5;
        EXPECT_NEAR(g.gradient[k], fd, 1e-8) << n << " qubits, parameter " << p;
      }
    }
  }
}

TEST(BatchStateVjpTest, ValidationBeforeAnythingRuns) {
  const Circuit c = model_circuit(2, 1);  // 4 parameters, 4 amplitudes
  const BatchExecutor batch(c, across_batch_options());
  const std::vector<double> values = random_rows(3, c.num_parameters(), 81);
  const ParameterRows rows = ParameterRows::of(values, 4);
  std::vector<cdouble> lambda = random_cotangents(2, 3, 82);
  EXPECT_EQ(testing::invalid_argument_of([&] { (void)batch.state_vjp(rows, std::span<const cdouble>(lambda).first(11)); }),
            "state_vjp: cotangents for 3 rows of 4 amplitudes: expects 12 amplitudes, got 11");
  lambda[2 * 4 + 1] = cdouble(0.5, std::numeric_limits<double>::quiet_NaN());
  EXPECT_EQ(testing::invalid_argument_of([&] { (void)batch.state_vjp(rows, lambda); }),
            "state_vjp: batch row 2: cotangent amplitude 1 = 0.5 + nan i is not finite");
  lambda[2 * 4 + 1] = cdouble(-std::numeric_limits<double>::infinity(), 1.0);
  EXPECT_EQ(testing::invalid_argument_of([&] { (void)batch.state_vjp(rows, lambda); }),
            "state_vjp: batch row 2: cotangent amplitude 1 = -inf + 1 i is not finite");
  lambda[2 * 4 + 1] = 0.0;
  std::vector<double> bad = values;
  bad[4 + 2] = std::numeric_limits<double>::infinity();
  EXPECT_EQ(testing::invalid_argument_of([&] { (void)batch.state_vjp(ParameterRows::of(bad, 4), lambda); }),
            "batch row 1: parameter theta[2] = inf is not finite");
  EXPECT_THROW((void)batch.state_vjp(rows, lambda, std::vector<int>{4}), InvalidArgument);
  EXPECT_THROW((void)batch.state_vjp(rows, lambda, std::vector<int>{1, 1}), InvalidArgument);
  Circuit mid(2, 1);
  mid.ry(Param::parameter(0), 0).measure(0, 0).h(0);
  const std::vector<double> one = {0.3};
  EXPECT_THROW((void)BatchExecutor(mid).state_vjp(ParameterRows::of(one, 1), std::vector<cdouble>(4)), InvalidArgument);
  // An empty batch has a zero gradient.
  const auto empty = batch.state_vjp(ParameterRows{{}, 0, 4}, {});
  EXPECT_EQ(empty.gradient, std::vector<double>(4, 0.0));
}

TEST(BatchMethodGradientTest, EveryMethodRowEqualsItsOneByOneGradientOnAnyThreadCount) {
  const int n = 3;
  const Circuit c = model_circuit(n, 1);
  const Observable h = PauliSum::parse("Z0 + 0.5*X1 X2 - 0.3*Y0 Z2");
  const std::vector<double> values = random_rows(5, c.num_parameters(), 17);
  const ParameterRows rows = ParameterRows::of(values, static_cast<std::size_t>(c.num_parameters()));
  const CompiledCircuit planned(c);
  const std::vector<int> wrt = {4, 0};
  for (const GradientSettings& settings :
       {GradientSettings{GradientMethodKind::Adjoint}, GradientSettings{GradientMethodKind::ParameterShift},
        GradientSettings{GradientMethodKind::ParameterShift, 300}, GradientSettings{GradientMethodKind::FiniteDifference, 0, 1e-4, 4}}) {
    SCOPED_TRACE(std::string(gradient_method_name(settings.method)) + " shots " + std::to_string(settings.shots));
    std::vector<double> first;
    for (const SimulatorOptions& options : all_options()) {
      const auto method = make_gradient_method(planned, wrt, settings, options);
      const BatchExecutor::MethodGradients g = BatchExecutor(c, options).gradients(rows, h, *method, 99);
      ASSERT_EQ(g.gradient.size(), rows.count * wrt.size());
      EXPECT_EQ(g.parameters, wrt);
      EXPECT_EQ(g.standard_error.size(), settings.shots > 0 ? rows.count * wrt.size() : 0U);
      EXPECT_EQ(g.evaluations, rows.count * method->evaluations());
      for (std::size_t i = 0; i < rows.count; ++i) {
        CompiledCircuit bound(c);
        bound.bind(rows.row(i));
        const GradientResult one = method->gradient(bound, h, row_seed(99, i));
        EXPECT_EQ(g.values[i], one.value) << i;
        for (std::size_t p = 0; p < wrt.size(); ++p) EXPECT_EQ(g.gradient[i * wrt.size() + p], one.gradient[p]) << i;
        if (settings.shots > 0)
          for (std::size_t p = 0; p < wrt.size(); ++p) EXPECT_EQ(g.standard_error[i * wrt.size() + p], one.standard_error[p]);
      }
      if (first.empty()) first = g.gradient;
      EXPECT_EQ(g.gradient, first);
    }
  }
}

TEST(BatchMethodGradientTest, ShotGradientsAreWithinFourStandardErrorsOfTheExactGradient) {
  const int n = 3;
  const Circuit c = model_circuit(n, 1);
  const Observable h = PauliSum::parse("Z0 + 0.5*X1 X2 - 0.3*Y0 Z2");
  const std::vector<double> values = random_rows(6, c.num_parameters(), 23);
  const ParameterRows rows = ParameterRows::of(values, static_cast<std::size_t>(c.num_parameters()));
  const CompiledCircuit planned(c);
  const BatchExecutor batch(c, across_batch_options());
  const auto exact = make_gradient_method(planned, {}, GradientSettings{GradientMethodKind::Adjoint});
  const auto shots = make_gradient_method(planned, {}, GradientSettings{GradientMethodKind::ParameterShift, 4000});
  const BatchExecutor::MethodGradients e = batch.gradients(rows, h, *exact);
  const BatchExecutor::MethodGradients s = batch.gradients(rows, h, *shots, 2024);
  ASSERT_EQ(s.standard_error.size(), e.gradient.size());
  int outside_two = 0;
  for (std::size_t k = 0; k < e.gradient.size(); ++k) {
    EXPECT_GT(s.standard_error[k], 0.0) << k;
    EXPECT_LT(std::abs(s.gradient[k] - e.gradient[k]), 4 * s.standard_error[k]) << k;
    if (std::abs(s.gradient[k] - e.gradient[k]) > 2 * s.standard_error[k]) ++outside_two;
  }
  EXPECT_LE(outside_two, static_cast<int>(e.gradient.size()) / 5);  // about 5% expected beyond 2 se
  for (std::size_t i = 0; i < rows.count; ++i)
    EXPECT_LT(std::abs(s.values[i] - e.values[i]), 4 * s.value_standard_error[i]) << i;
  // Another seed gives other estimates; the same seed the same ones.
  EXPECT_NE(batch.gradients(rows, h, *shots, 2025).gradient, s.gradient);
  EXPECT_EQ(batch.gradients(rows, h, *shots, 2024).gradient, s.gradient);
}

TEST(BatchMethodGradientTest, RefusesAMethodPlannedForAnotherCircuit) {
  const Circuit c = model_circuit(3, 1), other = model_circuit(3, 2);
  const std::vector<double> values = random_rows(2, c.num_parameters(), 1);
  const ParameterRows rows = ParameterRows::of(values, static_cast<std::size_t>(c.num_parameters()));
  const AdjointGradient method{CompiledCircuit(other)};
  EXPECT_THROW((void)BatchExecutor(c).gradients(rows, PauliSum::parse("Z0"), method), InvalidArgument);
}

TEST(BatchValidationTest, RowShapeErrors) {
  const Circuit c = model_circuit(2, 1);  // 4 parameters
  const BatchExecutor batch(c);
  const std::vector<Observable> obs = {PauliSum::parse("Z0")};
  const std::vector<double> values(12, 0.1);
  try {
    (void)batch.expectations(ParameterRows::of(values, 3), obs);
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_STREQ(e.what(), "batch rows: expects 4 parameter values, got 3");
  }
  try {
    (void)batch.expectations(ParameterRows{values, 4, 4}, obs);
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_STREQ(e.what(), "a batch of 4 rows of 4 values: expects 16 values, got 12");
  }
  try {
    (void)ParameterRows::of(values, 5);
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), HasSubstr("12 values are not a whole number of rows of 5"));
  }
  EXPECT_THROW((void)ParameterRows::of(values, 0), InvalidArgument);
}

TEST(BatchValidationTest, NonFiniteValuesNamedWithRowAndParameter) {
  Circuit c = model_circuit(2, 1);
  std::vector<double> values(12, 0.1);
  values[2 * 4 + 1] = std::numeric_limits<double>::quiet_NaN();
  for (const SimulatorOptions& options : all_options()) {
    try {
      (void)BatchExecutor(c, options).expectations(ParameterRows::of(values, 4), std::vector<Observable>{});
      FAIL();
    } catch (const InvalidArgument& e) {
      EXPECT_STREQ(e.what(), "batch row 2: parameter theta[1] = nan is not finite");
    }
  }
  c.set_parameter_names({"a", "b", "c", "d"});
  values[2 * 4 + 1] = 0.0;
  values[4 + 3] = -std::numeric_limits<double>::infinity();
  try {
    (void)BatchExecutor(c).probabilities(ParameterRows::of(values, 4));
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_STREQ(e.what(), "batch row 1: parameter d = -inf is not finite");
  }
}

TEST(BatchValidationTest, FailureInsideTheBatchNamesTheEarliestRowOnAnyThreadCount) {
  // ry(ln(theta)) is not finite for theta <= 0: the rows pass the finiteness check, the gate
  // angle fails while the batch runs. Rows 5 and 8 fail; row 5 must be reported.
  Circuit c(2);
  c.ry(Param(log(Expr::parameter(0))), 0).cx(0, 1);
  std::vector<double> values(10, 0.5);
  values[5] = -1.0;
  values[8] = -2.0;
  const std::vector<Observable> obs = {PauliSum::parse("Z1")};
  for (const SimulatorOptions& options : all_options()) {
    try {
      (void)BatchExecutor(c, options).expectations(ParameterRows::of(values, 1), obs);
      FAIL();
    } catch (const InvalidArgument& e) {
      EXPECT_THAT(e.what(), HasSubstr("batch row 5: ry: parameter 0 evaluates to"));
    }
  }
}

TEST(BatchValidationTest, StateCallsRefuseTrajectoryCircuitsAndMissingQubits) {
  Circuit mid(2, 1);
  mid.h(0).measure(0, 0).cx(0, 1);
  const BatchExecutor batch(mid);
  const ParameterRows rows{{}, 2, 0};
  const std::vector<Observable> obs = {PauliSum::parse("Z0")};
  try {
    (void)batch.expectations(rows, obs);
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_STREQ(e.what(),
                 "expectations: the circuit has a mid-circuit measurement, reset or classical condition (qubit 0 is "
                 "measured and then used by cx), so it has no single final state; sample it shot by shot instead");
  }
  const std::string why = ": the circuit has a mid-circuit measurement, reset or classical condition (qubit 0 is "
                          "measured and then used by cx), so it has no single final state; sample it shot by shot "
                          "instead";
  EXPECT_EQ(invalid_argument_of([&] { (void)batch.probabilities(rows); }), "probabilities" + why);
  EXPECT_EQ(invalid_argument_of([&] { (void)batch.states(rows); }), "states" + why);
  std::vector<cdouble> block(8);
  EXPECT_EQ(invalid_argument_of([&] { batch.states_into(rows, block); }), "states_into" + why);

  const BatchExecutor ghz(library::ghz(3));
  const std::vector<Observable> far = {PauliSum::parse("Z0"), PauliSum::parse("Z5")};
  try {
    (void)ghz.expectations(rows, far);
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), HasSubstr("observable acts on qubit 5 but the state has 3 qubits"));
  }
  try {
    (void)ghz.probabilities(rows, std::vector<Qubit>{0, 3});
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_STREQ(e.what(), "probabilities: qubit 3 out of range [0, 3)");
  }
  try {
    (void)ghz.probabilities(rows, std::vector<Qubit>{1, 1});
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), HasSubstr("probabilities: qubit 1 appears twice"));
  }
}

TEST(BatchValidationTest, MemoryIsCheckedForEveryWorkerFirst) {
  // 12 qubits: 64 KiB per state. 100 KiB hold one state but not two workers' or ten outputs.
  const Circuit c = library::ghz(12);
  const SimulatorOptions one_worker{Parallelism{1}, MemoryLimit{100 << 10}};
  const SimulatorOptions two_workers{Parallelism{2}, MemoryLimit{100 << 10}};
  const ParameterRows rows{{}, 10, 0};
  const std::vector<Observable> obs = {PauliSum::parse("Z0")};
  EXPECT_EQ(BatchExecutor(c, one_worker).expectations(rows, obs).size(), 10U);
  try {
    (void)BatchExecutor(c, two_workers).expectations(rows, obs);
    FAIL();
  } catch (const ResourceError& e) {
    EXPECT_THAT(e.what(), HasSubstr("batch"));
  }
  EXPECT_THROW((void)BatchExecutor(c, one_worker).states(rows), ResourceError);
  EXPECT_THROW((void)BatchExecutor(c, one_worker).vjp(rows, obs, std::vector<double>(10, 1.0)), ResourceError);
}

// ----------------------------------------------------------------------------------------------
// make_rows

TEST(MakeRowsTest, PlacesInputsAndWeights) {
  // theta = (w0, x0, w1, x1): inputs at 1 and 3, weights at 0 and 2.
  const std::vector<int> input_indices = {1, 3}, weight_indices = {2, 0};
  const std::vector<double> inputs = {10, 11, 20, 21, 30, 31};
  const std::vector<double> weights = {-1, -2};
  const auto rows = make_rows(4, input_indices, ParameterRows::of(inputs, 2), weight_indices, weights);
  EXPECT_EQ(rows, (std::vector<double>{-2, 10, -1, 11, -2, 20, -1, 21, -2, 30, -1, 31}));
  // Only weights: one row per count.
  const auto w_only = make_rows(2, {}, ParameterRows{{}, 2, 0}, std::vector<int>{1, 0}, std::vector<double>{5, 6});
  EXPECT_EQ(w_only, (std::vector<double>{6, 5, 6, 5}));
}

TEST(MakeRowsTest, Errors) {
  const std::vector<double> inputs = {1, 2, 3, 4};
  const ParameterRows two_by_two = ParameterRows::of(inputs, 2);
  const std::vector<double> weights = {0.5};
  const auto message = [&](std::vector<int> in, std::vector<int> w, int np = 3) -> std::string {
    try {
      (void)make_rows(np, in, two_by_two, w, weights);
    } catch (const InvalidArgument& e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_EQ(message({0, 1}, {2}), "no error");
  EXPECT_EQ(message({0, 5}, {2}), "make_rows: input 1: parameter index 5 out of range [0, 3)");
  EXPECT_EQ(message({0, 1}, {-1}), "make_rows: weight 0: parameter index -1 out of range [0, 3)");
  EXPECT_THAT(message({0, 1}, {1}), HasSubstr("parameter 1 is given twice (input 1 and weight 0)"));
  EXPECT_THAT(message({2, 2}, {0}), HasSubstr("parameter 2 is given twice (input 0 and input 1)"));
  EXPECT_THAT(message({0, 1}, {2}, 4), HasSubstr("parameter 3 is neither an input nor a weight"));
  EXPECT_EQ(message({0}, {2}), "make_rows: input rows (one value per input index): expects 1 value, got 2");
  EXPECT_EQ(message({0, 1}, {2, 1}), "make_rows: weights (one per weight index): expects 2 weights, got 1");
  EXPECT_EQ(message({0, 1}, {2}, -1), "make_rows: parameter count -1 must be >= 0");
  const std::vector<double> five = {1, 2, 3, 4, 5};
  EXPECT_EQ(invalid_argument_of([&] {
              (void)make_rows(3, std::vector<int>{0, 1}, ParameterRows{five, 2, 2}, std::vector<int>{2}, weights);
            }),
            "make_rows: 2 input rows of 2 values: expects 4 values, got 5");
}

// ----------------------------------------------------------------------------------------------
// Trajectories

// The shot-by-shot loop Simulator::sample ran before it used the batch engine, written out
// serially: the prefix once, then each shot from a copy with Rng(seed, s).
template <class R>
Counts serial_trajectories(const Circuit& circuit, std::span<const double> theta, std::uint64_t shots,
                           std::uint64_t seed, bool read_all_qubits) {
  CompiledCircuit compiled(circuit);
  if (circuit.num_parameters() > 0) compiled.bind(theta);
  StateVector<R> start(circuit.num_qubits(), Parallelism{1});
  compiled.apply(start, Parallelism{1}, {}, 0, compiled.deterministic_prefix());
  StateVector<R> state(start);
  std::vector<std::uint8_t> clbits(static_cast<std::size_t>(circuit.num_clbits()));
  Counts out;
  for (std::uint64_t s = 0; s < shots; ++s) {
    state.assign(start);
    std::fill(clbits.begin(), clbits.end(), 0);
    Rng rng(seed, s);
    compiled.apply(state, Parallelism{1}, Classical{&rng, &clbits}, compiled.deterministic_prefix());
    if (read_all_qubits) {
      const double u = rng.uniform() * state.norm_squared();
      double cum = 0.0;
      Index last = 0, pick = static_cast<Index>(-1);
      for (Index i = 0; i < state.size() && pick == static_cast<Index>(-1); ++i) {
        const double p = static_cast<double>(std::norm(state[i]));
        if (p == 0.0) continue;
        last = i;
        cum += p;
        if (u < cum) pick = i;
      }
      ++out[pick == static_cast<Index>(-1) ? last : pick];
      continue;
    }
    Index key = 0;
    for (std::size_t b = 0; b < clbits.size(); ++b) key |= static_cast<Index>(clbits[b] & 1U) << b;
    ++out[key];
  }
  return out;
}

Circuit teleport_like() {
  // Mid-circuit measurement, conditions and a reset on 4 qubits, with a parameter.
  Circuit c(4, 3);
  c.ry(Param::parameter(0), 0).h(1).cx(1, 2).cx(0, 1).h(0);
  c.measure(0, 0).measure(1, 1);
  c.x(2).c_if(1, 1, 1);
  c.z(2).c_if(0, 1, 1);
  c.reset(0).ry(Param::parameter(1), 0).cx(0, 3);
  c.measure(2, 2);
  return c;
}

TEST(TrajectoryTest, SimulatorSampleKeepsItsCountsForTheSameSeed) {
  const Circuit c = teleport_like();
  const std::vector<double> theta = {0.7, 1.9};
  const Counts expected = serial_trajectories<double>(c, theta, 500, 42, false);
  std::uint64_t total = 0;
  for (const auto& [k, v] : expected) total += v;
  ASSERT_EQ(total, 500U);
  for (const SimulatorOptions& options : all_options())
    EXPECT_EQ(Simulator(options).sample(c, theta, 500, 42), expected);
  // Teleportation moves ry(0.7)|0> to qubit 2: P(clbit 2 = 1) = sin^2(0.35) (a loose statistical
  // bound: 6 sigma over 500 shots).
  double ones = 0;
  for (const auto& [k, v] : expected) ones += (k >> 2 & 1U) != 0 ? static_cast<double>(v) : 0.0;
  const double p = std::sin(0.35) * std::sin(0.35);
  EXPECT_NEAR(ones / 500, p, 6 * std::sqrt(p * (1 - p) / 500));
}

TEST(TrajectoryTest, ReadsAllQubitsWhenNothingIsMeasured) {
  Circuit c(3);
  c.h(0).h(1).reset(0).ry(0.8, 0).cx(0, 2);
  for (const SimulatorOptions& options : all_options()) {
    EXPECT_EQ(Simulator(options).sample(c, {}, 400, 9), serial_trajectories<double>(c, {}, 400, 9, true));
    EXPECT_EQ(Simulator(options).sample<float>(c, {}, 100, 9), serial_trajectories<float>(c, {}, 100, 9, true));
  }
}

TEST(TrajectoryTest, EveryShotEqualsRunShot) {
  // Shot s of the batch is run_shot(seed, s): check the counts rebuilt from single shots.
  const Circuit c = teleport_like();
  const std::vector<double> theta = {2.1, -0.4};
  CompiledCircuit compiled(c);
  compiled.bind(theta);
  const std::vector<Qubit> qubits = {0, 1, 2};
  const std::vector<int> clbits = {0, 1, 2};
  Counts expected;
  for (std::uint64_t s = 0; s < 200; ++s) {
    const auto shot = Simulator(serial_options()).run_shot(c, theta, 7, s);
    Index key = 0;
    for (std::size_t b = 0; b < shot.clbits.size(); ++b) key |= static_cast<Index>(shot.clbits[b] & 1U) << b;
    ++expected[key];
  }
  for (const SimulatorOptions& options : all_options())
    EXPECT_EQ(sample_trajectories<double>(compiled, 200, 7, qubits, clbits, options), expected);
}

TEST(TrajectoryTest, Errors) {
  const Circuit c = teleport_like();
  CompiledCircuit compiled(c);
  const std::vector<Qubit> q = {0};
  const std::vector<int> b = {0}, b_far = {3};
  EXPECT_THROW((void)sample_trajectories<double>(compiled, 10, 1, q, b, {}), InvalidArgument);  // unbound
  compiled.bind(std::vector<double>{0.1, 0.2});
  EXPECT_THROW((void)sample_trajectories<double>(compiled, 10, 1, q, std::vector<int>{}, {}), InvalidArgument);
  try {
    (void)sample_trajectories<double>(compiled, 10, 1, q, b_far, {});
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_STREQ(e.what(), "sample_trajectories: classical bit 3 out of range [0, 3)");
  }
  EXPECT_EQ(invalid_argument_of([&] { (void)sample_trajectories<double>(compiled, 10, 1, std::vector<Qubit>{4}, b, {}); }),
            "sample_trajectories: qubit 4 out of range [0, 4)");
  EXPECT_EQ(invalid_argument_of([&] { (void)sample_trajectories<double>(compiled, 10, 1, q, std::vector<int>{}, {}); }),
            "sample_trajectories: measured_clbits: expects 1 classical bit, got 0");
  EXPECT_TRUE(sample_trajectories<double>(compiled, 0, 1, q, b, {}).empty());
}

}  // namespace
}  // namespace qmlsim

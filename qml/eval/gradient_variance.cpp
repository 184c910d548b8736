#include "qml/eval/gradient_variance.hpp"

#include "simulator/core/memory.hpp"
#include "simulator/core/rng.hpp"

#include <chrono>
#include <string>

#include "qml/ansatz/ansatz.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/validate.hpp"
#include "simulator/execution/batch.hpp"
#include "simulator/observables/observable.hpp"
#include "simulator/observables/pauli.hpp"

namespace qmlsim::qml {

namespace {

struct MeanVariance {
  double mean = 0.0;
  double variance = 0.0;
};

// Mean and sample variance (divided by count - 1), two passes in sample order.
MeanVariance mean_variance(const std::vector<double>& values) {
  MeanVariance r;
  for (const double v : values) r.mean += v;
  r.mean /= static_cast<double>(values.size());
  for (const double v : values) r.variance += (v - r.mean) * (v - r.mean);
  r.variance /= static_cast<double>(values.size() - 1);
  return r;
}

// p(0...0) on n qubits and (1/2n) sum_j Z_j: C_G = 1 - <first>, C_L = 1/2 - <second>.
std::vector<Observable> cost_observables(int n) {
  std::vector<Qubit> all(static_cast<std::size_t>(n));
  for (int q = 0; q < n; ++q) all[static_cast<std::size_t>(q)] = q;
  std::vector<PauliString> terms;
  for (int q = 0; q < n; ++q) terms.push_back(PauliString::single(Pauli::Z, q, 1.0 / (2.0 * n)));
  return {DiagonalObservable::projector(all, 0), PauliSum(std::move(terms))};
}

}  // namespace

ComponentSpec default_gradient_variance_ansatz() {
  return ComponentSpec{"two-local",
                       {{"rotation_blocks", "ry+rz"}, {"entanglement_blocks", "cz"}, {"entanglement", "linear"}}};
}

std::vector<GradientVariancePoint> gradient_variance(const GradientVarianceOptions& options,
                                                     const SimulatorOptions& simulator) {
  if (options.qubits.empty()) throw InvalidArgument("gradient variance: no qubit counts given");
  check_range(options.layers, 1, 100'000, "gradient variance: layers");
  check_range(options.samples, 2, 100'000'000, "gradient variance: samples");
  if (options.ansatz.get("reps") || options.ansatz.get("layers"))
    throw InvalidArgument("gradient variance: the ansatz spec '" + options.ansatz.text() +
                          "' sets its depth; give it as layers instead");
  ComponentSpec spec = options.ansatz;
  spec.set("reps", std::to_string(options.layers));
  const auto samples = static_cast<std::size_t>(options.samples);

  std::vector<GradientVariancePoint> points;
  for (const int n : options.qubits) {
    const auto start = std::chrono::steady_clock::now();
    const auto ansatz = make_ansatz(spec, n);
    const int p = ansatz->num_parameters();
    if (options.weight < 0 || options.weight >= p)
      throw InvalidArgument("gradient variance: weight index " + std::to_string(options.weight) + " out of range [0, " +
                            std::to_string(p) + ") for " + ansatz->description());
    // The rows and the Jacobian (2 observables) of every sample, before they are allocated.
    ensure_memory(static_cast<std::uint64_t>(samples) * static_cast<std::uint64_t>(p) * 3 * sizeof(double),
                  "gradient variance: " + std::to_string(samples) + " samples of " + std::to_string(p) + " weights",
                  simulator.memory);
    std::vector<double> rows;
    rows.reserve(samples * static_cast<std::size_t>(p));
    for (std::size_t s = 0; s < samples; ++s) {
      const std::vector<double> w = initial_weights(static_cast<std::size_t>(p), Rng(options.seed, s)());
      rows.insert(rows.end(), w.begin(), w.end());
    }
    const std::vector<Observable> observables = cost_observables(n);
    const std::vector<int> wrt = {options.weight};
    const BatchExecutor executor(ansatz->circuit(), simulator);
    const auto jac = executor.jacobian(ParameterRows{rows, samples, static_cast<std::size_t>(p)}, observables, wrt);
    // jacobian[(s * 2 + j)]: d<H_j>/dw at sample s; the costs are constants minus <H_j>.
    std::vector<double> d_global(samples), d_local(samples);
    for (std::size_t s = 0; s < samples; ++s) {
      d_global[s] = -jac.gradient[2 * s];
      d_local[s] = -jac.gradient[2 * s + 1];
    }
    const MeanVariance g = mean_variance(d_global), l = mean_variance(d_local);
    GradientVariancePoint point;
    point.qubits = n;
    point.weights = p;
    point.variance_global = g.variance;
    point.variance_local = l.variance;
    point.mean_global = g.mean;
    point.mean_local = l.mean;
    point.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    points.push_back(point);
  }
  return points;
}

}  // namespace qmlsim::qml

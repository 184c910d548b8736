#include "qml/kernel/projected_kernel.hpp"

#include <algorithm>
#include <chrono>

#include "qml/kernel/gram.hpp"
#include "qml/kernel/rbf_kernel.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/memory.hpp"
#include "simulator/core/validate.hpp"
#include "simulator/observables/pauli.hpp"

namespace qmlsim::qml {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// <X_q>, <Y_q>, <Z_q> of one state (2^n amplitudes) into out[3q .. 3q + 3): with c = conj(a0) a1
// over the amplitude pairs of qubit q, <X> = 2 Re c, <Y> = 2 Im c, <Z> = |a0|^2 - |a1|^2.
void single_qubit_paulis(const cdouble* s, int n, double* out) noexcept {
  const Index dim = Index{1} << n;
  for (int q = 0; q < n; ++q) {
    const Index half = Index{1} << q;
    double re = 0.0, im = 0.0, z = 0.0;
    for (Index i = 0; i < dim; ++i) {
      if (i & half) continue;
      const cdouble a0 = s[i], a1 = s[i | half];
      re += a0.real() * a1.real() + a0.imag() * a1.imag();
      im += a0.real() * a1.imag() - a0.imag() * a1.real();
      z += a0.real() * a0.real() + a0.imag() * a0.imag() - a1.real() * a1.real() - a1.imag() * a1.imag();
    }
    out[3 * q] = 2.0 * re;
    out[3 * q + 1] = 2.0 * im;
    out[3 * q + 2] = z;
  }
}

}  // namespace

ProjectedKernel::ProjectedKernel(std::shared_ptr<const FeatureMap> map, std::optional<double> gamma,
                                 KernelOptions options)
    : map_(std::move(map)), gamma_(gamma), gamma_given_(gamma.has_value()), options_(options) {
  if (!map_) throw InvalidArgument("kernel projected: no feature map");
  if (gamma_) check_positive(*gamma_, "kernel projected: gamma");
  if (options_.shots)
    throw InvalidArgument("kernel projected: shots apply to the fidelity kernel only (got " +
                          std::to_string(*options_.shots) + ")");
  for (int q = 0; q < map_->num_qubits(); ++q)
    for (Pauli p : {Pauli::X, Pauli::Y, Pauli::Z}) observables_.emplace_back(PauliSum(PauliString::single(p, q)));
  if (const Circuit* circuit = map_->circuit()) executor_.emplace(*circuit, options_.simulator);
}

FeatureMatrix ProjectedKernel::pauli_expectations(const FeatureMatrix& x, KernelTiming* timing) const {
  check_kernel_rows(x, num_features(), "projected kernel");
  const auto t0 = Clock::now();
  const auto count = static_cast<Index>(x.rows());
  const auto width = static_cast<std::size_t>(x.cols());
  const int n = num_qubits();
  const auto m = static_cast<Index>(3 * n);
  FeatureMatrix e(static_cast<Eigen::Index>(count), static_cast<Eigen::Index>(m));
  const ParameterRows rows{{x.data(), count * width}, count, width};
  if (executor_) {
    const std::vector<double> values = executor_->expectations(rows, observables_);  // one pass per row
    std::copy(values.begin(), values.end(), e.data());
  } else {
    // Encoded states, a tile of samples at a time.
    const Index dim = Index{1} << n, block = std::min(count, kGramTile);
    ensure_memory(block * dim * sizeof(cdouble), "projected kernel: states of " + plural(static_cast<long long>(block), "sample"),
                  options_.simulator.memory);
    std::vector<cdouble> states(block * dim);
    const Parallelism& par = options_.simulator.parallel;
    for (Index first = 0; first < count; first += block) {
      const Index size = std::min(block, count - first);
      encode_states(*map_, ParameterRows{rows.values.subspan(first * width, size * width), size, width},
                    {states.data(), size * dim}, par);
      parallel_for(size, 1, Parallelism{par.threads, std::max<Index>(1, par.threshold / dim)}, [&](Index i0, Index i1) {
        for (Index i = i0; i < i1; ++i) single_qubit_paulis(states.data() + i * dim, n, e.data() + (first + i) * m);
      });
    }
  }
  if (timing) {
    timing->state_seconds += seconds_since(t0);
    timing->state_evaluations += count;
  }
  return e;
}

void ProjectedKernel::fit(const FeatureMatrix& train) {
  if (gamma_given_) return;
  gamma_ = 2.0 * rbf_scale_gamma(pauli_expectations(train));
}

double ProjectedKernel::checked_gamma() const {
  if (!gamma_)
    throw InvalidArgument(
        "kernel projected: gamma is not set; fit the kernel on the training rows first or give projected:gamma=G");
  return *gamma_;
}

Eigen::MatrixXd ProjectedKernel::gram(const FeatureMatrix& x, KernelTiming* timing) const {
  return cross_gram(x, x, timing);
}

Eigen::MatrixXd ProjectedKernel::cross_gram(const FeatureMatrix& a, const FeatureMatrix& b, KernelTiming* timing) const {
  check_kernel_rows(a, num_features(), "projected kernel");
  check_kernel_rows(b, num_features(), "projected kernel");
  const double gamma = checked_gamma();
  KernelTiming local;
  const FeatureMatrix ea = pauli_expectations(a, &local);
  const FeatureMatrix eb = &a == &b ? ea : pauli_expectations(b, &local);
  return outer_kernel(ea, eb, gamma, local, timing);
}

Eigen::MatrixXd ProjectedKernel::fit_gram(const FeatureMatrix& train, KernelTiming* timing) {
  check_kernel_rows(train, num_features(), "projected kernel");
  KernelTiming local;
  const FeatureMatrix e = pauli_expectations(train, &local);
  if (!gamma_given_) gamma_ = 2.0 * rbf_scale_gamma(e);
  return outer_kernel(e, e, *gamma_, local, timing);
}

Eigen::MatrixXd ProjectedKernel::outer_kernel(const FeatureMatrix& ea, const FeatureMatrix& eb, double gamma,
                                              KernelTiming& local, KernelTiming* timing) const {
  const auto t0 = Clock::now();
  // sum_q ||rho_q(x) - rho_q(y)||_F^2 = (1/2) sum of squared expectation differences.
  Eigen::MatrixXd k = rbf_kernel(ea, eb, 0.5 * gamma, options_.simulator);
  local.product_seconds = seconds_since(t0);
  if (timing) *timing = local;
  return k;
}

ComponentSpec ProjectedKernel::spec() const {
  ComponentSpec spec{"projected", {}};
  if (gamma_) spec.set("gamma", format_number(*gamma_));
  return spec;
}

std::string ProjectedKernel::description() const {
  return "projected quantum kernel (Huang et al. 2021) over " + map_->description() + ", gamma " +
         (gamma_ ? format_number(*gamma_) : std::string("fitted on the training rows"));
}

}  // namespace qmlsim::qml

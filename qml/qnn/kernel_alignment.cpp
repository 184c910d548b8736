#include "qml/qnn/kernel_alignment.hpp"

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "qml/kernel/blas_adapter.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/memory.hpp"
#include "simulator/core/validate.hpp"
#include "simulator/execution/batch.hpp"

namespace qmlsim::qml {
namespace {

constexpr const char* kWhat = "kernel alignment";

// Amplitude rows per block of the cotangent product Lambda = Psi M: fixed, so the blocks (and
// with them every entry's sum) do not depend on the thread count.
constexpr Index kProductRows = 256;

}  // namespace

struct KernelAlignmentObjective::Impl {
  ParameterLayout layout;
  int num_parameters = 0;
  BatchExecutor executor;
  SimulatorOptions options;
  std::size_t samples = 0;
  Index dim = 0;
  std::vector<double> inputs;     // N x F, row-major
  std::vector<double> rows;       // the batch rows at the last weights
  Eigen::MatrixXd target;         // T
  double target_norm = 0.0;       // |T|_F
  double kernel_norm2 = 0.0;      // |K|_F^2 at the last weights
  std::vector<cdouble> states;    // Psi: column i = psi(x_i, w) (states_into's layout)
  std::vector<cdouble> cotangents;  // Lambda, same layout
  std::vector<cdouble> scratch;   // per thread: kProductRows rows of Psi, conjugated, transposed
  Eigen::MatrixXcd overlap;       // S = Psi^H Psi (upper triangle filled by zherk)
  Eigen::MatrixXd kernel;         // K = |S|^2, symmetric, unit diagonal
  Eigen::MatrixXcd mixing;        // M: Lambda = Psi M (zero diagonal)
  std::uint64_t evaluations = 0;

  Impl(const ModelCircuit& circuit, SimulatorOptions opts)
      : layout(circuit.layout), num_parameters(circuit.circuit.num_parameters()), executor(circuit.circuit, opts),
        options(opts) {}

  [[nodiscard]] ParameterRows batch() const { return {rows, samples, static_cast<std::size_t>(num_parameters)}; }

  // The states at weights w, then S and K; returns A(w).
  double alignment(std::span<const double> w) {
    check_count(w.size(), layout.weights.size(), kWhat, "weight");
    for (std::size_t k = 0; k < w.size(); ++k)
      check_finite(w[k], [&] { return std::string(kWhat) + ": weight " + std::to_string(k); });
    rows = make_rows(num_parameters, layout.inputs, ParameterRows{inputs, samples, layout.inputs.size()}, layout.weights,
                     w);
    executor.states_into(batch(), states);
    evaluations += samples;
    const auto n = static_cast<Index>(samples);
    detail::blas_herk_upper(states.data(), dim, n, overlap.data(), n);  // one single-threaded call
    double kt = 0.0, kk = 0.0;
    for (Index j = 0; j < n; ++j) {
      for (Index i = 0; i < j; ++i) {
        const double v = std::norm(overlap(i, j));
        kernel(i, j) = v;
        kernel(j, i) = v;
      }
      kernel(j, j) = 1.0;  // |<psi|psi>|^2 of a normalised state, as the fidelity kernel sets it
    }
    for (Index j = 0; j < n; ++j)
      for (Index i = 0; i < n; ++i) {
        kt += kernel(i, j) * target(i, j);
        kk += kernel(i, j) * kernel(i, j);
      }
    kernel_norm2 = kk;
    return kt / (std::sqrt(kk) * target_norm);
  }
};

KernelAlignmentObjective::KernelAlignmentObjective(const ModelCircuit& circuit, const FeatureMatrix& x,
                                                   const Labels& y, int num_classes, SimulatorOptions options) {
  const Circuit& c = circuit.circuit;
  if (c.needs_trajectories())
    throw InvalidArgument(std::string(kWhat) + ": " + no_single_final_state(c.trajectory_reason()));
  if (x.cols() != circuit.num_features())
    throw InvalidArgument(std::string(kWhat) + ": the circuit has " + plural(circuit.num_features(), "feature") +
                          " but the data has " + plural(x.cols(), "feature"));
  check_count(y.size(), static_cast<std::size_t>(x.rows()), "kernel alignment: labels (one per sample)", "label");
  if (x.rows() < 1) throw InvalidArgument(std::string(kWhat) + ": no samples");
  if (num_classes < 2)
    throw InvalidArgument(std::string(kWhat) + ": " + std::to_string(num_classes) +
                          " classes; the target alignment needs at least 2");
  for (std::size_t i = 0; i < y.size(); ++i)
    check_index(y[i], num_classes, [&] { return std::string(kWhat) + ": label of sample " + std::to_string(i); });
  for (Eigen::Index i = 0; i < x.rows(); ++i)
    for (Eigen::Index f = 0; f < x.cols(); ++f)
      check_finite(x(i, f), [&] {
        return std::string(kWhat) + ": sample " + std::to_string(i) + " feature " + std::to_string(f);
      });
  // The layout covers every parameter once (make_rows names the first that is not).
  const std::vector<double> zeros(circuit.layout.weights.size(), 0.0);
  (void)make_rows(c.num_parameters(), circuit.layout.inputs, ParameterRows{{}, 0, circuit.layout.inputs.size()},
                  circuit.layout.weights, zeros);

  const auto n = static_cast<std::uint64_t>(x.rows());
  const auto dim = std::uint64_t{1} << c.num_qubits();
  // Psi and Lambda, S, M, K and T, the product's scratch and the batch workers' states (two per
  // worker for the sweep), for every thread the machine has.
  const auto threads = static_cast<std::uint64_t>(std::max(1, default_thread_count()));
  ensure_memory(2 * n * dim * sizeof(cdouble) + n * n * (2 * sizeof(cdouble) + 2 * sizeof(double)) +
                    threads * n * static_cast<std::uint64_t>(kProductRows) * sizeof(cdouble) +
                    2 * threads * dim * sizeof(cdouble),
                "kernel alignment: " + plural(static_cast<long long>(n), "state") + " of " + plural(c.num_qubits(), "qubit") +
                    " with their cotangents and the overlap matrix",
                options.memory);

  impl_ = std::make_unique<Impl>(circuit, options);
  Impl& m = *impl_;
  m.samples = static_cast<std::size_t>(n);
  m.dim = static_cast<Index>(dim);
  m.inputs.assign(x.data(), x.data() + x.size());
  m.target.resize(x.rows(), x.rows());
  const double other = -1.0 / static_cast<double>(num_classes - 1);
  double tt = 0.0;
  for (Eigen::Index j = 0; j < x.rows(); ++j)
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
      const double t = y[static_cast<std::size_t>(i)] == y[static_cast<std::size_t>(j)] ? 1.0 : other;
      m.target(i, j) = t;
      tt += t * t;
    }
  m.target_norm = std::sqrt(tt);
  m.states.assign(static_cast<std::size_t>(n * dim), cdouble(0.0));
  m.cotangents.assign(static_cast<std::size_t>(n * dim), cdouble(0.0));
  m.overlap = Eigen::MatrixXcd::Zero(x.rows(), x.rows());
  m.kernel = Eigen::MatrixXd::Zero(x.rows(), x.rows());
  m.mixing = Eigen::MatrixXcd::Zero(x.rows(), x.rows());
}

KernelAlignmentObjective::~KernelAlignmentObjective() = default;

std::size_t KernelAlignmentObjective::num_parameters() const { return impl_->layout.weights.size(); }

double KernelAlignmentObjective::value(std::span<const double> w) { return -impl_->alignment(w); }

double KernelAlignmentObjective::value_and_gradient(std::span<const double> w, std::span<double> grad) {
  Impl& m = *impl_;
  check_count(grad.size(), m.layout.weights.size(), "kernel alignment: gradient", "value");
  const double a = m.alignment(w);
  const auto n = static_cast<Index>(m.samples);
  // dA/dK = G = T / (|K| |T|) - A K / |K|^2 (symmetric). With S_ij = <psi_i|psi_j> and
  // dK_ij = 2 Re(conj(S_ij) dS_ij), dA = 4 sum_i Re <lambda_i|d psi_i>, lambda_i = sum_j G_ij S_ji psi_j:
  // Lambda = Psi M with M_ji = G_ij S_ji, Hermitian. Its diagonal is left 0: Re <psi_i|d psi_i> = 0
  // for normalised states, so it adds nothing. The factor -4 (the objective is -A) is exact in M.
  const double kk = m.kernel_norm2;
  const double k_norm = std::sqrt(kk);
  Eigen::MatrixXcd& weights = m.mixing;
  for (Index j = 0; j < n; ++j)
    for (Index i = 0; i < j; ++i) {
      const double g = m.target(i, j) / (k_norm * m.target_norm) - a * m.kernel(i, j) / kk;
      // i < j: S_ij from the upper triangle; M_ji = G_ij S_ji = g conj(S_ij), M_ij = g S_ij.
      weights(i, j) = -4.0 * g * m.overlap(i, j);
      weights(j, i) = std::conj(weights(i, j));
    }
  // Lambda = Psi M by row blocks through the adapter's c = a^H b: a = the block's rows of Psi,
  // conjugated and transposed into scratch (N x kProductRows), b = M, c = the block's rows of
  // Lambda (leading dimension 2^n). Fixed blocks, one single-threaded zgemm each: the same bits
  // whichever thread runs a block.
  const Index blocks = (m.dim + kProductRows - 1) / kProductRows;
  const Parallelism& par = m.options.parallel;
  const int parts = resolve_threads(
      Parallelism{par.threads, std::max<Index>(1, par.threshold / std::max<Index>(1, kProductRows * n))}, blocks);
  m.scratch.resize(static_cast<std::size_t>(parts * n * kProductRows));
  parallel_for(static_cast<Index>(parts), 1, Parallelism{parts, 0}, [&](Index p0, Index p1) noexcept {
    for (Index part = p0; part < p1; ++part) {
      cdouble* block = m.scratch.data() + part * n * kProductRows;
      for (Index b = blocks * part / parts; b < blocks * (part + 1) / parts; ++b) {
        const Index r0 = b * kProductRows, rows = std::min(kProductRows, m.dim - r0);
        for (Index i = 0; i < n; ++i) {
          const cdouble* column = m.states.data() + i * m.dim + r0;
          for (Index k = 0; k < rows; ++k) block[k * n + i] = std::conj(column[k]);
        }
        detail::blas_gemm_adjoint(block, rows, weights.data(), n, n, m.cotangents.data() + r0, m.dim);
      }
    }
  });
  const BatchExecutor::StateVjp g = m.executor.state_vjp(m.batch(), m.cotangents, m.layout.weights);
  m.evaluations += 2 * m.samples;
  std::copy(g.gradient.begin(), g.gradient.end(), grad.begin());
  return -a;
}

std::uint64_t KernelAlignmentObjective::circuit_evaluations() const noexcept { return impl_->evaluations; }

}  // namespace qmlsim::qml

#pragma once
/// Quantum kernels over a feature map: the fidelity kernel K(x, y) = |<phi(x)|phi(y)>|^2 (all N
/// states simulated once on the batch engine, the Gram matrix as one Hermitian rank-k product in
/// fixed tiles) and the projected kernel of Huang et al. 2021 (the 3n one-qubit Pauli
/// expectations of every state, then an RBF over them).
#include <Eigen/Core>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "qml/data/dataset.hpp"
#include "qml/encoding/component_spec.hpp"
#include "qml/encoding/feature_map.hpp"
#include "simulator/execution/simulator.hpp"

namespace qmlsim::qml {

/// Which library multiplies the states (benchmarked against each other; Auto = the faster one,
/// documented in gram.hpp).
enum class GramBackend { Auto, Blas, Eigen };

/// Most shots per kernel entry (shot estimates cost about sqrt(shots) steps per entry).
inline constexpr std::uint64_t kMaxKernelShots = 100'000'000;

struct KernelOptions {
  SimulatorOptions simulator;  ///< threads for states and tiles; memory budget (--max-memory)
  GramBackend backend = GramBackend::Auto;
  /// Shot-based estimates: entry (i, j) ~ Binomial(shots, K_ij) / shots, seeded per entry;
  /// 1 to kMaxKernelShots.
  std::optional<std::uint64_t> shots;
  std::uint64_t seed = 1;
  /// Project the training Gram matrix onto the PSD cone (symmetric eigensolver, negative
  /// eigenvalues clipped to 0) after shot noise.
  bool psd_projection = false;
  /// Show progress on stderr (the CLI sets it when stderr is a terminal and the work is long).
  bool progress = false;
};

/// Where the time went in the last gram()/cross_gram() call.
struct KernelTiming {
  double state_seconds = 0.0;    ///< simulating the states (or Pauli expectations)
  double product_seconds = 0.0;  ///< the matrix product (or the classical RBF)
  double gflops = 0.0;           ///< of the product (fidelity kernel; 0 otherwise)
  std::size_t blocks = 1;        ///< sample blocks the states were produced in (memory budget)
  std::size_t state_evaluations = 0;  ///< states simulated (repeats included when blocked)
};

class QuantumKernel {
 public:
  virtual ~QuantumKernel() = default;
  [[nodiscard]] virtual int num_features() const noexcept = 0;
  [[nodiscard]] virtual int num_qubits() const noexcept = 0;
  /// Fits data-driven hyperparameters on training rows (the projected kernel's gamma; nothing
  /// for the fidelity kernel). gram() and cross_gram() never refit: prediction never recomputes
  /// them from test data.
  virtual void fit(const FeatureMatrix& train) { (void)train; }
  /// fit(train), then gram(train): the training Gram matrix of a model. Kernels whose fit needs
  /// the same simulations as the matrix (projected: the Pauli expectations) run them once.
  [[nodiscard]] virtual Eigen::MatrixXd fit_gram(const FeatureMatrix& train, KernelTiming* timing = nullptr) {
    fit(train);
    return gram(train, timing);
  }
  /// K(i, j) = k(x_i, x_j): symmetric, unit diagonal exactly (fidelity), bit-identical on any
  /// thread count. Throws InvalidArgument for a wrong feature count, ResourceError when even
  /// blocked work does not fit the memory budget (with the estimate).
  [[nodiscard]] virtual Eigen::MatrixXd gram(const FeatureMatrix& x, KernelTiming* timing = nullptr) const = 0;
  /// K(i, j) = k(a_i, b_j): a = new samples (rows), b = training or support samples (columns).
  [[nodiscard]] virtual Eigen::MatrixXd cross_gram(const FeatureMatrix& a, const FeatureMatrix& b,
                                                   KernelTiming* timing = nullptr) const = 0;
  /// "fidelity" or "projected:gamma=0.25" (fitted values included), as model files store it.
  [[nodiscard]] virtual ComponentSpec spec() const = 0;
  [[nodiscard]] virtual const FeatureMap& feature_map() const noexcept = 0;
  [[nodiscard]] virtual std::string description() const = 0;
};

/// Builds "fidelity" or "projected[:gamma=G]" over `map`. Throws InvalidArgument naming the
/// valid kernels or options.
[[nodiscard]] std::unique_ptr<QuantumKernel> make_quantum_kernel(const ComponentSpec& kernel,
                                                                 std::shared_ptr<const FeatureMap> map,
                                                                 KernelOptions options = {});

/// The checks every kernel makes before any work: x.cols() == num_features ("<what>: the feature
/// map takes 4 features but the data has 3") and every feature finite ("<what>: row 2, feature
/// 1 = nan is not finite"). Throws InvalidArgument.
void check_kernel_rows(const FeatureMatrix& x, int num_features, const std::string& what);

/// |phi(x)> of rows.count samples by FeatureMap::encode (maps without a circuit), column i of
/// `out` (2^n amplitudes each, column-major) for rows.row(i); samples in parallel under `par`
/// (its threshold counts amplitudes), each writing its own column. An encode() error is rethrown
/// after the loop: the earliest failing sample's, whatever the thread count.
void encode_states(const FeatureMap& map, ParameterRows rows, std::span<cdouble> out, const Parallelism& par);

/// Kernel diagnostics (printed by `qmlsim kernel`).
struct KernelDiagnostics {
  double target_alignment = 0.0;   ///< <K, yy^T>_F / (||K||_F ||yy^T||_F), y_i = +-1 per class (one-vs-rest mean for C > 2)
  double offdiag_mean = 0.0;       ///< mean of K_ij, i != j (concentration as qubits grow)
  double offdiag_variance = 0.0;
  /// The spectral diagnostics (three symmetric eigensolves, O(N^3)): NaN when not computed.
  double min_eigenvalue = std::numeric_limits<double>::quiet_NaN();
  double geometric_difference = std::numeric_limits<double>::quiet_NaN();  ///< g(K_rbf || K) of Huang et al. 2021, RBF gamma = 'scale'
};
/// Largest N for which `qmlsim kernel` computes the spectral diagnostics by default: about a
/// second of eigensolves on one core (3 s at N = 1000, minutes at N = 3000).
inline constexpr std::size_t kSpectralDiagnosticsMax = 600;
/// Diagnostics of a training Gram matrix `k` of `data`'s rows (k square, data.size() rows; else
/// InvalidArgument). Target alignment: two classes y = +1 (class 1) / -1 (class 0); C > 2 the
/// mean over the C one-vs-rest alignments; regression the alignment with the centred targets
/// (y - mean y). Off-diagonal mean and population variance over i != j. min_eigenvalue by Eigen's
/// symmetric eigensolver. geometric_difference(K_rbf, k, kGeometricDifferenceLambda) with K_rbf
/// the RBF kernel of gamma = 'scale' = 1 / (F var(X)) on data.x() (the rows as given).
/// With `spectral` false, min_eigenvalue and geometric_difference stay NaN (O(N^2) work only);
/// with it, memory for the eigensolves (about 6 N^2 doubles) is checked against `memory` first.
[[nodiscard]] KernelDiagnostics kernel_diagnostics(const Eigen::MatrixXd& k, const Dataset& data, bool spectral = true,
                                                   const MemoryLimit& memory = {});

/// The regulariser of kernel_diagnostics' geometric difference, relative to the trace-N
/// normalisation (the eigenvalues of K_c average 1): directions of K_c with eigenvalues well
/// below it are damped instead of inverted (an RBF Gram matrix is numerically singular on
/// clustered rows).
inline constexpr double kGeometricDifferenceLambda = 1e-3;

/// Geometric difference of Huang et al. 2021 ("Power of data in quantum machine learning",
/// eq. 5 and its regularised form in the supplementary material):
///   g(K_c || K_q) = sqrt(|| sqrt(K_q) sqrt(K_c) (K_c + lambda I)^-2 sqrt(K_c) sqrt(K_q) ||_inf),
/// both matrices first normalised to trace N, ||.||_inf the spectral norm; lambda -> 0 gives the
/// unregularised sqrt(|| sqrt(K_q) K_c^-1 sqrt(K_q) ||_inf). g(K || K) = 1 (up to lambda); a large
/// g says the quantum kernel can fit functions the classical one would need many more samples
/// for. Negative eigenvalues (rounding) are clipped to 0. Throws InvalidArgument for matrices of
/// different or non-square sizes, or lambda <= 0.
[[nodiscard]] double geometric_difference(const Eigen::MatrixXd& k_classical, const Eigen::MatrixXd& k_quantum,
                                          double lambda = kGeometricDifferenceLambda);

}  // namespace qmlsim::qml

#pragma once
/// Support vector machines on a precomputed kernel: libsvm trains them (behind one adapter,
/// libsvm_adapter.cpp; no header exposes it), qmlsim predicts with its own code from the copied
/// model, so prediction needs only the kernel row against the support vectors.
///
/// Conventions are libsvm's (and so scikit-learn's, whose SVC is libsvm too): classes in index
/// order 0 .. C-1, one binary problem per pair (i, j), i < j, in the order (0,1), (0,2), ...,
/// (1,2), ...; the pair's decision value is positive for class i. dual_coef is libsvm's sv_coef
/// (scikit-learn's `_dual_coef_`), rho its rho (scikit-learn's `_intercept_` is -rho).
/// Probabilities never use libsvm's internal rand(): Platt scaling is fitted here on decision
/// values from a 5-fold cross-validation whose split is drawn from Rng(seed).
#include <Eigen/Core>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "simulator/core/memory.hpp"

namespace qmlsim::qml {

enum class SvmType {
  CSvc,        ///< C-SVC, one-vs-one (labels: class indices 0 .. C-1)
  EpsilonSvr,  ///< epsilon-SVR (labels: real targets)
  OneClass,    ///< one-class SVM with nu (labels ignored); decision > 0 means inlier
};

struct SvmParams {
  SvmType type = SvmType::CSvc;
  double C = 1.0;            ///< C-SVC and epsilon-SVR
  double epsilon = 0.1;      ///< epsilon-SVR tube (libsvm's p)
  double nu = 0.5;           ///< one-class
  double tolerance = 1e-3;   ///< stopping criterion (libsvm's eps, scikit-learn's tol)
  double cache_mb = 200.0;   ///< libsvm's kernel cache (scikit-learn's default)
  bool probability = false;  ///< C-SVC: fit Platt scaling for predict_proba
  std::uint64_t seed = 1;    ///< the cross-validation split of Platt scaling
  MemoryLimit memory;        ///< checked before libsvm's N(N+2) kernel nodes are allocated
};

/// A trained SVM, copied out of libsvm: everything prediction needs except the support vectors'
/// kernel values, which the caller computes (column s of a kernel matrix = support vector s).
struct SvmModel {
  SvmType type = SvmType::CSvc;
  /// (C-1) x S for C-SVC (libsvm's sv_coef), 1 x S otherwise.
  Eigen::MatrixXd dual_coef;
  /// C(C-1)/2 for C-SVC, one per pair in pair order; 1 value otherwise.
  std::vector<double> rho;
  /// Support vectors per class (C-SVC; they are grouped by class, in class order); empty otherwise.
  std::vector<int> n_support;
  /// Platt scaling per pair (C-SVC with probability), P(class i) = 1 / (1 + exp(A f + B)); else empty.
  std::vector<double> prob_a, prob_b;

  [[nodiscard]] std::size_t num_support() const noexcept { return static_cast<std::size_t>(dual_coef.cols()); }
  /// Classes (C-SVC), 2 otherwise (as libsvm counts them).
  [[nodiscard]] int num_classes() const noexcept;
  [[nodiscard]] bool has_probability() const noexcept { return !prob_a.empty(); }

  /// Decision values of the rows of `k` (N x S, k(n, s) = kernel of sample n with support vector
  /// s): N x C(C-1)/2 for C-SVC (pair order), N x 1 otherwise (sum - rho). Summed in libsvm's
  /// order, so they equal svm_predict_values to the last bit. Throws InvalidArgument for a wrong
  /// column count.
  [[nodiscard]] Eigen::MatrixXd decision_values(const Eigen::MatrixXd& k) const;
  /// C-SVC: the one-vs-one vote winner (ties to the lower class index, as libsvm); one-class:
  /// 0 for inliers (decision > 0), 1 otherwise. Throws InvalidArgument for epsilon-SVR.
  [[nodiscard]] std::vector<int> predict_labels(const Eigen::MatrixXd& k) const;
  /// epsilon-SVR predictions; throws InvalidArgument for the other types.
  [[nodiscard]] std::vector<double> predict_values(const Eigen::MatrixXd& k) const;
  /// N x C probabilities (rows sum to 1): Platt's sigmoid per pair, coupled as libsvm's
  /// multiclass_probability for C > 2. Throws InvalidArgument without Platt scaling.
  [[nodiscard]] Eigen::MatrixXd predict_proba(const Eigen::MatrixXd& k) const;

  /// Checks that the parts fit together (shapes, counts, finite values); throws DatasetError
  /// "<field>: <what is wrong>" with field one of dual_coef, rho, n_support, prob_a, prob_b.
  void validate() const;
};

/// A model with the training rows that became its support vectors.
struct SvmTraining {
  SvmModel model;
  /// Rows of the training kernel that are support vectors, in the model's column order.
  std::vector<std::size_t> support;
};

/// Trains on the N x N training kernel `k` (symmetric; only what libsvm reads is used) with
/// labels `y`: class indices 0 .. C-1 (C-SVC; every class present, C >= 2), real targets
/// (epsilon-SVR) or nothing (one-class). Rows are passed to libsvm grouped by class (stably), so
/// the problem, and the solution, are scikit-learn's. Throws InvalidArgument for bad parameters
/// (libsvm's svm_check_parameter text), wrong sizes, non-finite values or a missing class;
/// ResourceError when libsvm's kernel nodes (N(N+2) x 16 bytes) exceed the memory limit.
[[nodiscard]] SvmTraining train_precomputed(const Eigen::MatrixXd& k, std::span<const double> y, const SvmParams& params);

}  // namespace qmlsim::qml

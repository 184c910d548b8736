#pragma once
/// The classical RBF kernel: svm-rbf / svr-rbf (scikit-learn's SVC(kernel='rbf') and its
/// gamma = 'scale', computed by qmlsim so that a model file predicts without libsvm), the
/// projected kernel's outer kernel, and the reference kernel of the geometric difference.
#include <Eigen/Core>
#include <functional>
#include <string>

#include "qml/data/dataset.hpp"
#include "simulator/execution/simulator.hpp"

namespace qmlsim::qml {

/// What pairwise_kernel sums over the features of a pair of rows.
enum class PairwiseSum { SquaredDistance, Dot };

/// The frame of the classical kernels: K(i, j) = finish(s_ij), s_ij = |a_i - b_j|^2 or a_i . b_j,
/// each s_ij summed in feature order and rows of K spread over threads, so the matrix is
/// bit-identical on any thread count. Throws ResourceError when K exceeds the memory limit,
/// InvalidArgument "<what>: rows of 3 features against rows of 4 features".
[[nodiscard]] Eigen::MatrixXd pairwise_kernel(const FeatureMatrix& a, const FeatureMatrix& b, PairwiseSum sum,
                                              const std::function<double(double)>& finish,
                                              const SimulatorOptions& options, const std::string& what);

/// RBF kernel exp(-gamma |a_i - b_j|^2) between the rows of `a` (rows of the result) and `b`
/// (columns), each entry summed in feature order, so the matrix is bit-identical on any thread
/// count. Threads and the memory limit come from `options`; throws ResourceError when the result
/// exceeds the limit, InvalidArgument for different feature counts.
[[nodiscard]] Eigen::MatrixXd rbf_kernel(const FeatureMatrix& a, const FeatureMatrix& b, double gamma,
                                         const SimulatorOptions& options = {});
/// scikit-learn's gamma = 'scale': 1 / (features * var(x)), the population variance over every
/// entry of x; 1 when that variance is 0.
[[nodiscard]] double rbf_scale_gamma(const FeatureMatrix& x);

}  // namespace qmlsim::qml

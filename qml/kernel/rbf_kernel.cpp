#include "qml/kernel/rbf_kernel.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "simulator/core/errors.hpp"
#include "simulator/core/memory.hpp"
#include "simulator/core/parallel.hpp"

namespace qmlsim::qml {

Eigen::MatrixXd pairwise_kernel(const FeatureMatrix& a, const FeatureMatrix& b, PairwiseSum sum,
                                const std::function<double(double)>& finish, const SimulatorOptions& options,
                                const std::string& what) {
  if (a.cols() != b.cols())
    throw InvalidArgument(what + ": rows of " + plural(a.cols(), "feature") + " against rows of " +
                          plural(b.cols(), "feature"));
  ensure_memory(static_cast<std::uint64_t>(a.rows()) * static_cast<std::uint64_t>(b.rows()) * sizeof(double),
                what + ": a " + std::to_string(a.rows()) + " x " + std::to_string(b.rows()) + " matrix",
                options.memory);
  Eigen::MatrixXd k(a.rows(), b.rows());
  const Eigen::Index features = a.cols(), columns = b.rows();
  // Rows of the result go to threads; each entry is one fixed-order sum, so threads change nothing.
  const auto work_per_row = static_cast<Index>(std::max<Eigen::Index>(1, features * columns));
  const Parallelism per_row{options.parallel.threads, std::max<Index>(1, options.parallel.threshold / work_per_row)};
  parallel_for(static_cast<Index>(a.rows()), 1, per_row, [&](Index begin, Index end) {
    for (auto i = static_cast<Eigen::Index>(begin); i < static_cast<Eigen::Index>(end); ++i) {
      const double* x = a.data() + i * features;
      for (Eigen::Index j = 0; j < columns; ++j) {
        const double* y = b.data() + j * features;
        double s = 0.0;
        if (sum == PairwiseSum::Dot)
          for (Eigen::Index f = 0; f < features; ++f) s += x[f] * y[f];
        else
          for (Eigen::Index f = 0; f < features; ++f) s += (x[f] - y[f]) * (x[f] - y[f]);
        k(i, j) = finish(s);
      }
    }
  });
  return k;
}

Eigen::MatrixXd rbf_kernel(const FeatureMatrix& a, const FeatureMatrix& b, double gamma, const SimulatorOptions& options) {
  return pairwise_kernel(
      a, b, PairwiseSum::SquaredDistance, [gamma](double d2) { return std::exp(-gamma * d2); }, options, "rbf kernel");
}

double rbf_scale_gamma(const FeatureMatrix& x) {
  const double n = static_cast<double>(x.size());
  if (n == 0.0) return 1.0;
  const double mean = x.sum() / n;
  const double variance = (x.array() - mean).square().sum() / n;
  return variance == 0.0 ? 1.0 : 1.0 / (static_cast<double>(x.cols()) * variance);
}

}  // namespace qmlsim::qml

#include "qml/kernel/rbf_kernel.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "simulator/core/errors.hpp"
#include "simulator/core/rng.hpp"
#include "tests/support/error_message.hpp"

namespace qmlsim::qml {
namespace {

FeatureMatrix random_rows(Eigen::Index n, Eigen::Index f, std::uint64_t seed) {
  Rng rng(seed);
  FeatureMatrix x(n, f);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < f; ++j) x(i, j) = rng.normal();
  return x;
}

TEST(RbfKernelTest, EqualsTheDefinition) {
  const FeatureMatrix a = random_rows(7, 3, 1), b = random_rows(5, 3, 2);
  const Eigen::MatrixXd k = rbf_kernel(a, b, 0.3);
  ASSERT_EQ(k.rows(), 7);
  ASSERT_EQ(k.cols(), 5);
  for (Eigen::Index i = 0; i < 7; ++i)
    for (Eigen::Index j = 0; j < 5; ++j) EXPECT_NEAR(k(i, j), std::exp(-0.3 * (a.row(i) - b.row(j)).squaredNorm()), 1e-15);
  const Eigen::MatrixXd g = rbf_kernel(a, a, 0.3);
  EXPECT_EQ(g, g.transpose());
  EXPECT_TRUE((g.diagonal().array() == 1.0).all());
}

TEST(RbfKernelTest, BitIdenticalOnOneAndTwoThreads) {
  const FeatureMatrix a = random_rows(301, 4, 3), b = random_rows(97, 4, 4);
  SimulatorOptions one, two;
  one.parallel = Parallelism{1, 0};
  two.parallel = Parallelism{2, 0};
  EXPECT_EQ(rbf_kernel(a, b, 0.7, one), rbf_kernel(a, b, 0.7, two));
}

TEST(RbfKernelTest, ScaleGammaIsScikitLearns) {
  FeatureMatrix x(2, 2);
  x << 0, 1, 2, 5;  // mean 2, population variance (4 + 1 + 0 + 9) / 4 = 3.5
  EXPECT_DOUBLE_EQ(rbf_scale_gamma(x), 1.0 / (2 * 3.5));
  EXPECT_EQ(rbf_scale_gamma(FeatureMatrix::Constant(3, 2, 4.0)), 1.0);
}

TEST(RbfKernelTest, RefusesMismatchedRowsAndTooLittleMemory) {
  EXPECT_EQ(testing::invalid_argument_of([] { (void)rbf_kernel(random_rows(2, 3, 1), random_rows(2, 2, 1), 1.0); }),
            "rbf kernel: rows of 3 features against rows of 2 features");
  SimulatorOptions tight;
  tight.memory.max_bytes = 100;
  EXPECT_THROW((void)rbf_kernel(random_rows(10, 2, 1), random_rows(10, 2, 1), 1.0, tight), ResourceError);
}

}  // namespace
}  // namespace qmlsim::qml

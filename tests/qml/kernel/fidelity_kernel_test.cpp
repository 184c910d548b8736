#include "qml/kernel/fidelity_kernel.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <Eigen/Eigenvalues>
#include <cmath>
#include <vector>

#include "qml/kernel/gram.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/memory.hpp"
#include "tests/qml/kernel/test_maps.hpp"
#include "tests/support/error_message.hpp"

namespace qmlsim::qml {
namespace {

using ::testing::HasSubstr;
using testing::random_features;
using testing::zz_map;

KernelOptions with_threads(int threads, GramBackend backend = GramBackend::Auto) {
  KernelOptions o;
  // Threshold 128: the small states of these tests run across rows on `threads` workers and the
  // tiles split over them, as kernels run; threshold 0 would open a parallel region in every gate
  // of a tiny state (slow under OMP_WAIT_POLICY=passive, which ctest sets).
  o.simulator.parallel = threads == 1 ? Parallelism::serial() : Parallelism{threads, 128};
  o.backend = backend;
  return o;
}

double min_eigenvalue(const Eigen::MatrixXd& k) {
  return Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(k, Eigen::EigenvaluesOnly).eigenvalues().minCoeff();
}

// The definition, one entry at a time: |<phi(x_i)|phi(y_j)>|^2 from separately simulated states.
Eigen::MatrixXd reference(const FeatureMap& map, const FeatureMatrix& a, const FeatureMatrix& b) {
  const auto sa = testing::states_one_by_one(map, a), sb = testing::states_one_by_one(map, b);
  Eigen::MatrixXd k(a.rows(), b.rows());
  for (Eigen::Index i = 0; i < a.rows(); ++i)
    for (Eigen::Index j = 0; j < b.rows(); ++j) k(i, j) = std::norm(testing::inner(sa[i], sb[j]));
  return k;
}

TEST(FidelityKernelTest, GramIsSymmetricWithUnitDiagonalAndPositiveSemidefinite) {
  const FidelityKernel kernel(zz_map(3), with_threads(2));
  const FeatureMatrix x = random_features(150, 3, 1);  // three tiles, the last one partial
  const Eigen::MatrixXd k = kernel.gram(x);
  ASSERT_EQ(k.rows(), 150);
  EXPECT_TRUE(k == k.transpose());
  for (Eigen::Index i = 0; i < k.rows(); ++i) EXPECT_EQ(k(i, i), 1.0);
  EXPECT_GE(min_eigenvalue(k), -1e-10);
}

TEST(FidelityKernelTest, GramAndCrossGramEqualTheDefinitionEntryByEntry) {
  const auto map = zz_map(4);
  const FidelityKernel kernel(map, with_threads(2));
  const FeatureMatrix x = random_features(90, 4, 2), y = random_features(70, 4, 3);
  const Eigen::MatrixXd k = kernel.gram(x), want = reference(*map, x, x);
  for (Eigen::Index i = 0; i < k.rows(); ++i)
    for (Eigen::Index j = 0; j < k.cols(); ++j)
      if (i != j) EXPECT_NEAR(k(i, j), want(i, j), 1e-12) << i << ", " << j;
  const Eigen::MatrixXd c = kernel.cross_gram(x, y), want_c = reference(*map, x, y);
  ASSERT_EQ(c.rows(), 90);
  ASSERT_EQ(c.cols(), 70);
  EXPECT_LE((c - want_c).cwiseAbs().maxCoeff(), 1e-12);
}

TEST(FidelityKernelTest, EncodedMapsEqualTheDefinition) {
  const auto map = std::make_shared<testing::AmplitudeMap>(3);
  const FidelityKernel kernel(map, with_threads(2));
  const FeatureMatrix x = random_features(80, 8, 4, -1.0, 1.0);
  const Eigen::MatrixXd k = kernel.gram(x), want = reference(*map, x, x);
  for (Eigen::Index i = 0; i < k.rows(); ++i)
    for (Eigen::Index j = 0; j < k.cols(); ++j)
      EXPECT_NEAR(k(i, j), want(i, j), 1e-12) << i << ", " << j;
  // (x . y)^2 / (|x|^2 |y|^2): the closed form of a real amplitude encoding.
  const double dot = x.row(0).dot(x.row(1));
  EXPECT_NEAR(k(0, 1), dot * dot / (x.row(0).squaredNorm() * x.row(1).squaredNorm()), 1e-12);
}

TEST(FidelityKernelTest, EncodeErrorsAreRethrownForTheEarliestSample) {
  const FidelityKernel kernel(std::make_shared<testing::AmplitudeMap>(2), with_threads(2));
  FeatureMatrix x = random_features(100, 4, 5);
  x.row(70).setZero();
  x.row(90).setZero();
  EXPECT_THAT(testing::invalid_argument_of([&] { (void)kernel.gram(x); }), HasSubstr("all-zero sample"));
}

TEST(FidelityKernelTest, BitIdenticalOnOneAndTwoThreads) {
  const FeatureMatrix x = random_features(200, 4, 6), y = random_features(75, 4, 7);
  for (GramBackend backend : {GramBackend::Blas, GramBackend::Eigen}) {
    const FidelityKernel one(zz_map(4), with_threads(1, backend)), two(zz_map(4), with_threads(2, backend));
    EXPECT_TRUE(one.gram(x) == two.gram(x));
    EXPECT_TRUE(one.cross_gram(x, y) == two.cross_gram(x, y));
  }
}

TEST(FidelityKernelTest, BlasAndEigenBackendsAgree) {
  const FeatureMatrix x = random_features(130, 5, 8), y = random_features(40, 5, 9);
  const FidelityKernel blas(zz_map(5), with_threads(2, GramBackend::Blas));
  const FidelityKernel eigen(zz_map(5), with_threads(2, GramBackend::Eigen));
  EXPECT_LE((blas.gram(x) - eigen.gram(x)).cwiseAbs().maxCoeff(), 1e-12);
  EXPECT_LE((blas.cross_gram(x, y) - eigen.cross_gram(x, y)).cwiseAbs().maxCoeff(), 1e-12);
}

TEST(FidelityKernelTest, CrossGramOfTheTrainingRowsEqualsTheGramOffTheDiagonal) {
  const FidelityKernel kernel(zz_map(4), with_threads(2));
  const FeatureMatrix x = random_features(140, 4, 10);
  const Eigen::MatrixXd k = kernel.gram(x), c = kernel.cross_gram(x, x);
  for (Eigen::Index i = 0; i < k.rows(); ++i)
    for (Eigen::Index j = 0; j < k.cols(); ++j)
      if (i != j) EXPECT_NEAR(c(i, j), k(i, j), 1e-15) << i << ", " << j;
}

// Caps from enough for all states (about 640 KiB: states, output, tile scratch) to too little:
// every result that fits is bit-identical to the in-memory one, at least one run is blocked into
// three or more blocks, and the smallest caps are refused. Slow: about 100 s in a Debug+ASan build (GramTest.BlocksOfColumnsGiveTheSameBits covers the tiles there).
TEST(FidelityKernelTest, BlockedGramIsBitIdenticalToInMemory) {
  const auto map = zz_map(6);  // 1 KiB per state
  constexpr Index n = 4 * kGramTile + 40;  // 5 tiles: blocks of 1 to 4 tiles are possible
  const FeatureMatrix x = random_features(n, 6, 11), y = random_features(150, 6, 12);
  const FidelityKernel free_kernel(map, with_threads(2));
  KernelTiming timing;
  const Eigen::MatrixXd want = free_kernel.gram(x, &timing), want_c = free_kernel.cross_gram(x, y);
  EXPECT_EQ(timing.blocks, 1u);
  EXPECT_EQ(timing.state_evaluations, static_cast<std::size_t>(n));
  // Caps from above the in-memory need (the matrix and the states, twice over) down to the first
  // refusal, in 32 KiB steps.
  const std::uint64_t start = 2 * (static_cast<std::uint64_t>(n * n) * 8 + static_cast<std::uint64_t>(n) * 1024);
  std::size_t most_blocks = 1;
  bool refused = false;
  for (std::uint64_t cap = start; !refused && cap > (std::uint64_t{64} << 10);
       cap -= std::uint64_t{32} << 10) {
    KernelOptions o = with_threads(2);
    o.simulator.memory.max_bytes = cap;
    const FidelityKernel kernel(map, o);
    try {
      KernelTiming t;
      EXPECT_TRUE(kernel.gram(x, &t) == want) << "cap " << cap;
      if (t.blocks > 1) {
        // All states once, plus blocks j > i + 1 again for every row i of blocks (the block size
        // B: the multiple of the tile that gives this many blocks).
        Index size = kGramTile;
        while ((n + size - 1) / size > static_cast<Index>(t.blocks)) size += kGramTile;
        std::size_t again = 0;
        for (Index i = 0; i < static_cast<Index>(t.blocks); ++i)
          for (Index j = i + 2; j < static_cast<Index>(t.blocks); ++j) again += std::min<Index>(size, n - j * size);
        EXPECT_EQ(t.state_evaluations, static_cast<std::size_t>(n) + again) << "cap " << cap;
      }
      most_blocks = std::max(most_blocks, t.blocks);
      EXPECT_TRUE(kernel.cross_gram(x, y) == want_c) << "cap " << cap;
    } catch (const ResourceError&) {
      refused = true;
    }
  }
  EXPECT_GE(most_blocks, 3u);
  EXPECT_TRUE(refused);
}

TEST(FidelityKernelTest, MemoryRefusalNamesTheEstimate) {
  KernelOptions o = with_threads(1);
  o.simulator.memory.max_bytes = 64 << 10;
  const FidelityKernel kernel(zz_map(6), o);
  const FeatureMatrix x = random_features(300, 6, 13);
  try {
    (void)kernel.gram(x);
    FAIL() << "no ResourceError";
  } catch (const ResourceError& e) {
    EXPECT_THAT(e.what(), HasSubstr("fidelity kernel: 300 states of 6 qubits take " + format_bytes(300 * 1024) +
                                    " at once; two blocks of " + std::to_string(kGramTile) + " states"));
    EXPECT_THAT(e.what(), HasSubstr("allowed by the memory limit"));
  }
}

TEST(FidelityKernelTest, WrongFeatureCountNamesBothCounts) {
  const FidelityKernel kernel(zz_map(3));
  EXPECT_EQ(testing::invalid_argument_of([&] { (void)kernel.gram(random_features(5, 2, 14)); }),
            "fidelity kernel: the feature map takes 3 features but the data has 2");
  EXPECT_THAT(testing::invalid_argument_of(
                  [&] { (void)kernel.cross_gram(random_features(5, 3, 14), random_features(5, 4, 14)); }),
              HasSubstr("takes 3 features but the data has 4"));
  FeatureMatrix x = random_features(5, 3, 15);
  x(2, 1) = std::nan("");
  EXPECT_EQ(testing::invalid_argument_of([&] { (void)kernel.gram(x); }),
            "fidelity kernel: row 2, feature 1 = nan is not finite");
}

TEST(FidelityKernelTest, ShotEstimatesAreBinomialAndDeterministicPerSeed) {
  const auto map = zz_map(3, 1);
  const FeatureMatrix x = random_features(60, 3, 16);
  const Eigen::MatrixXd exact = FidelityKernel(map, with_threads(2)).gram(x);
  KernelOptions o = with_threads(2);
  o.shots = 2000;
  o.seed = 7;
  const Eigen::MatrixXd k = FidelityKernel(map, o).gram(x);
  EXPECT_TRUE(k == FidelityKernel(map, o).gram(x));
  KernelOptions serial = o;
  serial.simulator.parallel = Parallelism::serial();
  EXPECT_TRUE(k == FidelityKernel(map, serial).gram(x));
  EXPECT_TRUE(k == k.transpose());
  double sum = 0.0, squares = 0.0;
  int count = 0;
  for (Eigen::Index j = 0; j < k.rows(); ++j) {
    EXPECT_EQ(k(j, j), 1.0);
    for (Eigen::Index i = 0; i < j; ++i) {
      const double p = exact(i, j), se = std::sqrt(p * (1 - p) / 2000.0);
      EXPECT_NEAR(k(i, j), p, 6 * se + 1e-12) << i << ", " << j;
      EXPECT_DOUBLE_EQ(k(i, j) * 2000.0, std::round(k(i, j) * 2000.0));
      if (2000.0 * p * (1 - p) >= 10) {
        const double z = (k(i, j) - p) / se;
        sum += z;
        squares += z * z;
        ++count;
      }
    }
  }
  ASSERT_GT(count, 500);
  const double mean = sum / count, var = squares / count - mean * mean;
  EXPECT_LT(std::abs(mean), 5.0 / std::sqrt(count));
  EXPECT_GT(var, 0.8);
  EXPECT_LT(var, 1.25);
  o.seed = 8;
  EXPECT_FALSE(k == FidelityKernel(map, o).gram(x));
  // Cross-Gram entries: their own streams, within the same bounds.
  const FeatureMatrix y = random_features(20, 3, 17);
  const Eigen::MatrixXd exact_c = FidelityKernel(map, with_threads(2)).cross_gram(x, y);
  const Eigen::MatrixXd c = FidelityKernel(map, o).cross_gram(x, y);
  EXPECT_TRUE(c == FidelityKernel(map, o).cross_gram(x, y));
  for (Eigen::Index i = 0; i < c.rows(); ++i)
    for (Eigen::Index j = 0; j < c.cols(); ++j) {
      const double p = exact_c(i, j);
      EXPECT_NEAR(c(i, j), p, 6 * std::sqrt(p * (1 - p) / 2000.0) + 1e-12);
    }
}

TEST(FidelityKernelTest, PsdProjectionKeepsUnitDiagonalAndRemovesNegativeEigenvalues) {
  const auto map = zz_map(4);
  const FeatureMatrix x = random_features(60, 4, 18);
  KernelOptions o = with_threads(2);
  o.shots = 8;
  const Eigen::MatrixXd noisy = FidelityKernel(map, o).gram(x);
  ASSERT_LT(min_eigenvalue(noisy), -1e-3);  // few shots: not PSD
  o.psd_projection = true;
  const Eigen::MatrixXd k = FidelityKernel(map, o).gram(x);
  EXPECT_TRUE(k == k.transpose());
  for (Eigen::Index i = 0; i < k.rows(); ++i) EXPECT_EQ(k(i, i), 1.0);
  EXPECT_GE(min_eigenvalue(k), -1e-10);
  EXPECT_LT((k - noisy).norm(), noisy.norm());
}

TEST(FidelityKernelTest, SpecDescriptionAndValidation) {
  const FidelityKernel kernel(zz_map(2));
  EXPECT_EQ(kernel.spec().text(), "fidelity");
  EXPECT_THAT(kernel.description(), HasSubstr("test circuit map"));
  EXPECT_EQ(kernel.num_qubits(), 2);
  EXPECT_EQ(kernel.num_features(), 2);
  KernelOptions o;
  o.shots = 0;
  EXPECT_THAT(testing::invalid_argument_of([&] { FidelityKernel(zz_map(2), o); }), HasSubstr("shots 0"));
  EXPECT_THAT(testing::invalid_argument_of([&] { FidelityKernel(nullptr); }), HasSubstr("no feature map"));
  EXPECT_EQ(kernel.gram(FeatureMatrix(0, 2)).size(), 0);
}

}  // namespace
}  // namespace qmlsim::qml

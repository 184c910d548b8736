#include "simulator/core/eigen_interop.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "simulator/core/rng.hpp"
#include "simulator/execution/batch.hpp"
#include "simulator/execution/simulator.hpp"
#include "tests/support/random_state.hpp"

namespace qmlsim {
namespace {

using ::testing::HasSubstr;

TEST(EigenInteropTest, AsEigenIsTheStateItselfWithoutACopy) {
  Rng rng(3);
  StateVector<double> s = testing::make_state<double>(testing::random_state(5, rng), Parallelism{});
  auto view = as_eigen(s);
  EXPECT_EQ(view.data(), s.data());
  EXPECT_EQ(view.size(), 32);
  view(7) = cdouble(0.25, -0.5);  // writes through
  EXPECT_EQ(s[7], cdouble(0.25, -0.5));
  const StateVector<double>& cs = s;
  EXPECT_NEAR(as_eigen(cs).squaredNorm(), s.norm_squared(), 1e-15);
}

TEST(EigenInteropTest, CopiesToAndFromEigenInBothPrecisions) {
  Rng rng(4);
  const std::vector<cdouble> amps = testing::random_state(6, rng);
  for (const Parallelism& par : {Parallelism::serial(), Parallelism{2, 0}}) {
    const StateVector<double> d = testing::make_state<double>(amps, par);
    Eigen::MatrixXcd block(64, 3);
    copy_to_eigen(d, block.col(1), par);
    for (int i = 0; i < 64; ++i) EXPECT_EQ(block(i, 1), amps[static_cast<std::size_t>(i)]);
    StateVector<float> f(6, par);
    copy_from_eigen(block.col(1), f, par);
    for (int i = 0; i < 64; ++i) {
      EXPECT_EQ(f[i].real(), static_cast<float>(amps[static_cast<std::size_t>(i)].real()));
      EXPECT_EQ(f[i].imag(), static_cast<float>(amps[static_cast<std::size_t>(i)].imag()));
    }
    // A row of a matrix has a stride: copied all the same.
    Eigen::MatrixXcd rows(2, 64);
    copy_to_eigen(d, rows.row(0).transpose(), par);
    for (int i = 0; i < 64; ++i) EXPECT_EQ(rows(0, i), amps[static_cast<std::size_t>(i)]);
  }
  Eigen::VectorXcd small(3);
  StateVector<double> s(2);
  try {
    copy_to_eigen(s, small);
    ADD_FAILURE() << "no exception";
  } catch (const InvalidArgument& e) {
    EXPECT_STREQ(e.what(), "copy_to_eigen: the state has 4 amplitudes but the Eigen vector has 3 entries");
  }
  EXPECT_THROW(copy_from_eigen(small, s), InvalidArgument);
}

TEST(EigenInteropTest, StatesIntoFillsAColumnMajorMatrix) {
  Circuit c(3);
  c.ry(Param::parameter(0), 0).cx(0, 1).rz(Param::parameter(1), 2).h(2);
  const std::vector<double> rows = {0.1, 0.2, -0.7, 1.4, 2.0, -0.3};
  Eigen::MatrixXcd states(8, 3);
  BatchExecutor(c).states_into(ParameterRows::of(rows, 2), {states.data(), static_cast<std::size_t>(states.size())});
  for (int i = 0; i < 3; ++i) {
    const StateVector<double> expected = Simulator().run(c, std::span<const double>(rows.data() + 2 * i, 2));
    EXPECT_EQ(states.col(i), as_eigen(expected)) << i;
  }
  // The Gram matrix of fidelities is one product.
  const Eigen::MatrixXd gram = (states.adjoint() * states).cwiseAbs2();
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(gram(i, i), 1.0, 1e-14);
}

}  // namespace
}  // namespace qmlsim

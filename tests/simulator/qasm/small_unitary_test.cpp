#include "simulator/qasm/small_unitary.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "simulator/core/bits.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/rng.hpp"
#include "tests/support/dense_reference.hpp"
#include "tests/support/random_state.hpp"

namespace qmlsim::qasm::detail {
namespace {

using qmlsim::testing::DenseMatrix;

TEST(SmallUnitaryTest, OperationsMatrixMatchesTheDenseReference) {
  Circuit c(5);
  c.h(3).cx(3, 7 - 6).rz(0.4, 1).ccx(1, 3, 4).gphase(0.3).cp(0.7, 4, 3);
  c.controlled(GateKind::RY, {3}, {4}, {Param(0.5)}, {false});
  const std::vector<Qubit> qubits = {3, 1, 4};  // the qubits used, in a non-sorted order
  const GateMatrix m = operations_matrix(c.operations(), qubits);
  // The reference on the whole register, restricted to the used qubits: compare on a relabelled circuit.
  Circuit local(3);
  for (Operation op : c.operations()) {
    for (Qubit& q : op.qubits) q = static_cast<Qubit>(std::find(qubits.begin(), qubits.end(), q) - qubits.begin());
    Index mask = 0, values = 0;
    for (std::size_t i = 0; i < qubits.size(); ++i) {
      if (op.control_mask >> qubits[i] & 1) mask |= bit(static_cast<Qubit>(i));
      if (op.control_values >> qubits[i] & 1) values |= bit(static_cast<Qubit>(i));
    }
    op.control_mask = mask;
    op.control_values = values;
    local.append(op);
  }
  EXPECT_LT(DenseMatrix::from_gate_matrix(m).max_abs_diff(qmlsim::testing::circuit_matrix(local)), 1e-14);
  EXPECT_THROW((void)operations_matrix(c.operations(), std::vector<Qubit>{3, 1}), InvalidArgument);
  Circuit p(1, 0);
  p.rx(Param::parameter(0), 0);
  EXPECT_THROW((void)operations_matrix(p.operations(), std::vector<Qubit>{0}), InvalidArgument);
}

TEST(SmallUnitaryTest, PrincipalPowers) {
  const GateMatrix z = target_matrix(GateKind::Z);
  EXPECT_LT(DenseMatrix::from_gate_matrix(principal_power(z, 0.5)).max_abs_diff(
                DenseMatrix::from_gate_matrix(target_matrix(GateKind::S))),
            1e-15);
  EXPECT_LT(DenseMatrix::from_gate_matrix(principal_power(target_matrix(GateKind::X), 0.5))
                .max_abs_diff(DenseMatrix::from_gate_matrix(target_matrix(GateKind::SX))),
            1e-15);
  EXPECT_LT(DenseMatrix::from_gate_matrix(principal_power(z, -0.5))
                .max_abs_diff(DenseMatrix::from_gate_matrix(target_matrix(GateKind::Sdg))),
            1e-15);
  // A random 2-qubit unitary: (u^(1/3))^3 == u, and u^1 == u.
  Rng rng(11);
  const DenseMatrix u = qmlsim::testing::random_unitary(2, rng);
  const DenseMatrix r = DenseMatrix::from_gate_matrix(principal_power(u.to_gate_matrix(), 1.0 / 3));
  EXPECT_LT((r * r * r).max_abs_diff(u), 1e-13);
  EXPECT_LT(DenseMatrix::from_gate_matrix(principal_power(u.to_gate_matrix(), 1.0)).max_abs_diff(u), 1e-13);
  EXPECT_LT(r.unitarity_error(), 1e-13);
  // Degenerate eigenvalues (the identity on 2 qubits, swap) are fine.
  const DenseMatrix s = DenseMatrix::from_gate_matrix(principal_power(target_matrix(GateKind::Swap), 0.5));
  EXPECT_LT((s * s).max_abs_diff(DenseMatrix::from_gate_matrix(target_matrix(GateKind::Swap))), 1e-14);
}

TEST(SmallUnitaryTest, ZyzReconstructsEveryUnitary) {
  Rng rng(3);
  std::vector<GateMatrix> cases = {target_matrix(GateKind::X), target_matrix(GateKind::H), target_matrix(GateKind::Z),
                                   target_matrix(GateKind::I), target_matrix(GateKind::Y)};
  for (int i = 0; i < 20; ++i) cases.push_back(qmlsim::testing::random_unitary(1, rng).to_gate_matrix());
  for (const GateMatrix& u : cases) {
    const ZyzAngles z = zyz_decompose(u);
    const std::vector<double> params = {z.theta, z.phi, z.lambda};
    const DenseMatrix rebuilt = qmlsim::testing::reference_target_matrix(GateKind::U, params) * std::polar(1.0, z.alpha);
    EXPECT_LT(rebuilt.max_abs_diff(DenseMatrix::from_gate_matrix(u)), 1e-14);
  }
}

}  // namespace
}  // namespace qmlsim::qasm::detail

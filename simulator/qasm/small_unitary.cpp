#include "simulator/qasm/small_unitary.hpp"

#include <Eigen/Dense>
#include <cmath>
#include <string>

#include "simulator/core/bits.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim::qasm::detail {
namespace {

int position_of(std::span<const Qubit> qubits, Qubit q, const Operation& op) {
  for (std::size_t i = 0; i < qubits.size(); ++i)
    if (qubits[i] == q) return static_cast<int>(i);
  throw InvalidArgument(op.name() + ": qubit " + std::to_string(q) + " is outside the gate's qubits");
}

/// Applies `op` to every column of the dim x dim row-major matrix `m` (m <- op * m).
void apply(const Operation& op, std::span<const Qubit> qubits, GateMatrix& m) {
  if (op.kind == GateKind::Barrier || op.kind == GateKind::I || op.kind == GateKind::U0) return;
  if (!op.is_unitary()) throw InvalidArgument(op.name() + ": not unitary");
  GateMatrix t;
  if (op.kind == GateKind::Unitary) {
    t = *op.matrix;
  } else {
    std::vector<double> values;
    for (const Param& p : op.params) {
      if (!p.is_constant()) throw InvalidArgument(op.name() + ": parameter " + p.to_string() + " is not constant");
      values.push_back(p.offset());
    }
    t = target_matrix(op.kind, values);
  }
  Index cmask = 0, cvalue = 0;
  const int nc = op.num_builtin_controls();
  for (int i = 0; i < nc; ++i) {
    const Index b = bit(position_of(qubits, op.qubits[static_cast<std::size_t>(i)], op));
    cmask |= b;
    cvalue |= b;
  }
  for (int q = 0; q < 64; ++q) {
    if (!(op.control_mask >> q & 1)) continue;
    const Index b = bit(position_of(qubits, q, op));
    cmask |= b;
    if (op.control_values >> q & 1) cvalue |= b;
  }
  std::vector<Index> target_bits;
  Index tmask = 0;
  for (std::size_t i = static_cast<std::size_t>(nc); i < op.qubits.size(); ++i) {
    target_bits.push_back(bit(position_of(qubits, op.qubits[i], op)));
    tmask |= target_bits.back();
  }
  const Index dim = m.dim(), tdim = t.dim();
  std::vector<Index> idx(tdim);
  std::vector<cdouble> in(tdim);
  for (Index col = 0; col < dim; ++col) {
    for (Index base = 0; base < dim; ++base) {
      if ((base & tmask) != 0 || (base & cmask) != cvalue) continue;
      for (Index c = 0; c < tdim; ++c) {
        Index i = base;
        for (std::size_t j = 0; j < target_bits.size(); ++j)
          if (c >> j & 1) i |= target_bits[j];
        idx[c] = i;
        in[c] = m(i, col);
      }
      for (Index r = 0; r < tdim; ++r) {
        cdouble acc = 0;
        for (Index c = 0; c < tdim; ++c) acc += t(r, c) * in[c];
        m(idx[r], col) = acc;
      }
    }
  }
}

}  // namespace

GateMatrix operations_matrix(std::span<const Operation> ops, std::span<const Qubit> qubits) {
  check_range(qubits.size(), 0, kMaxUnitaryQubits, "operations matrix: number of qubits");
  GateMatrix m = GateMatrix::identity(static_cast<int>(qubits.size()));
  for (const Operation& op : ops) apply(op, qubits, m);
  return m;
}

GateMatrix principal_power(const GateMatrix& u, double k) {
  const auto dim = static_cast<Eigen::Index>(u.dim());
  Eigen::MatrixXcd a(dim, dim);
  for (Eigen::Index r = 0; r < dim; ++r)
    for (Eigen::Index c = 0; c < dim; ++c) a(r, c) = u(static_cast<Index>(r), static_cast<Index>(c));
  const Eigen::ComplexSchur<Eigen::MatrixXcd> schur(a);
  const Eigen::MatrixXcd& q = schur.matrixU();
  const Eigen::MatrixXcd& t = schur.matrixT();
  Eigen::VectorXcd d(dim);
  for (Eigen::Index j = 0; j < dim; ++j) {
    double angle = std::arg(t(j, j));
    // The principal branch takes -1 as e^{+i pi}; rounding may leave it just below -pi.
    if (angle <= -kPi + 1e-12) angle += 2 * kPi;
    d(j) = std::polar(1.0, k * angle);
  }
  const Eigen::MatrixXcd p = q * d.asDiagonal() * q.adjoint();
  GateMatrix out = GateMatrix::identity(u.num_qubits);
  for (Eigen::Index r = 0; r < dim; ++r)
    for (Eigen::Index c = 0; c < dim; ++c) out(static_cast<Index>(r), static_cast<Index>(c)) = p(r, c);
  return out;
}

ZyzAngles zyz_decompose(const GateMatrix& u) {
  ZyzAngles z;
  const double c = std::abs(u(0, 0)), s = std::abs(u(1, 0));
  z.theta = 2 * std::atan2(s, c);
  z.alpha = c > 1e-12 ? std::arg(u(0, 0)) : 0.0;
  if (s > 1e-12) {
    z.phi = std::arg(u(1, 0)) - z.alpha;
    z.lambda = std::arg(-u(0, 1)) - z.alpha;
  } else {
    z.lambda = std::arg(u(1, 1)) - z.alpha;
  }
  return z;
}

}  // namespace qmlsim::qasm::detail

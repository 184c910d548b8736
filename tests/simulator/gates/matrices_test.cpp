#include "simulator/gates/matrices.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "simulator/circuit/circuit.hpp"
#include "simulator/core/bits.hpp"
#include "simulator/core/rng.hpp"
#include "simulator/gates/gate_kind.hpp"
#include "tests/support/dense_reference.hpp"
#include "tests/support/random_state.hpp"

namespace qmlsim {
namespace {

using testing::DenseMatrix;
using testing::MatrixSource;

constexpr double kTol = 1e-12;

bool has_target_matrix(GateKind k) {
  return k != GateKind::Unitary && k != GateKind::Measure && k != GateKind::Reset && k != GateKind::Barrier;
}

std::vector<GateKind> matrix_kinds() {
  std::vector<GateKind> kinds;
  for (GateKind k : all_gate_kinds())
    if (has_target_matrix(k)) kinds.push_back(k);
  return kinds;
}

std::string name_of(GateKind k) { return std::string(gate_info(k).name); }

DenseMatrix library(GateKind k, std::vector<double> params = {}) {
  return DenseMatrix::from_gate_matrix(target_matrix(k, params));
}

// Parameter sets: random ones plus special angles where sin/cos vanish or wrap.
std::vector<std::vector<double>> parameter_sets(GateKind k, Rng& rng, int random_sets) {
  const auto np = static_cast<std::size_t>(gate_info(k).num_params);
  std::vector<std::vector<double>> sets;
  if (np == 0) return {{}};
  for (double special : {0.0, kPi, -kPi, kPi / 2, 2 * kPi, 3 * kPi, 10 * kPi + 0.3, -7.25})
    sets.emplace_back(np, special);
  for (int s = 0; s < random_sets; ++s) sets.push_back(testing::random_angles(np, rng));
  return sets;
}

// The full matrix of a circuit built from the library's own matrices.
DenseMatrix lib_circuit(const Circuit& c) { return testing::circuit_matrix(c, {}, MatrixSource::Library); }

// ---------------------------------------------------------------------------------------------

TEST(GateKindTest, NamesRoundTripAndAreUnique) {
  std::set<std::string> names;
  for (GateKind k : all_gate_kinds()) {
    const auto back = gate_kind_from_name(gate_info(k).name);
    ASSERT_TRUE(back.has_value()) << name_of(k);
    EXPECT_EQ(*back, k) << name_of(k);
    EXPECT_TRUE(names.insert(name_of(k)).second) << "duplicate name " << name_of(k);
  }
  EXPECT_EQ(names.size(), static_cast<std::size_t>(kNumGateKinds));
  EXPECT_EQ(gate_kind_from_name("c3sqrtx"), GateKind::C3SX);
  EXPECT_EQ(gate_kind_from_name("xx_plus_yy"), GateKind::XXPlusYY);
  EXPECT_FALSE(gate_kind_from_name("CX").has_value());
  EXPECT_FALSE(gate_kind_from_name("").has_value());
  EXPECT_FALSE(gate_kind_from_name("toffoli").has_value());
}

TEST(GateKindTest, TraitsAreConsistent) {
  for (GateKind k : all_gate_kinds()) {
    const GateInfo info = gate_info(k);
    SCOPED_TRACE(name_of(k));
    EXPECT_GE(info.num_controls, 0);
    EXPECT_LE(info.num_params, kMaxGateParams);
    if (info.num_qubits >= 0) {
      EXPECT_LE(info.num_controls, info.num_qubits);
      EXPECT_EQ(gate_targets(k), info.num_qubits - info.num_controls);
    }
    if (info.self_inverse) {
      EXPECT_EQ(info.num_params, 0);
    }
    if (!info.unitary) {
      EXPECT_EQ(info.shape, MatrixShape::None);
    }
  }
  EXPECT_EQ(all_gate_kinds().size(), static_cast<std::size_t>(kNumGateKinds));
  EXPECT_EQ(all_gate_kinds().front(), GateKind::I);
  EXPECT_EQ(all_gate_kinds().back(), GateKind::Barrier);
}

TEST(GateMatrixTest, TargetMatrixHasTheTargetDimension) {
  for (GateKind k : matrix_kinds()) {
    const std::vector<double> params(static_cast<std::size_t>(gate_info(k).num_params), 0.3);
    const GateMatrix m = target_matrix(k, params);
    const int t = k == GateKind::GPhase ? 0 : gate_targets(k);
    EXPECT_EQ(m.num_qubits, t) << name_of(k);
    EXPECT_EQ(m.data.size(), (std::size_t{1} << t) << t) << name_of(k);
  }
}

TEST(GateMatrixTest, EveryTargetMatrixIsUnitaryForRandomParameters) {
  Rng rng(11);
  for (GateKind k : matrix_kinds())
    for (const auto& params : parameter_sets(k, rng, 30)) {
      const GateMatrix m = target_matrix(k, params);
      EXPECT_LE(m.unitarity_error(), kTol) << name_of(k);
      EXPECT_LE(DenseMatrix::from_gate_matrix(m).unitarity_error(), kTol) << name_of(k);
    }
}

TEST(GateMatrixTest, EveryTargetMatrixEqualsTheIndependentReference) {
  Rng rng(12);
  for (GateKind k : matrix_kinds())
    for (const auto& params : parameter_sets(k, rng, 30)) {
      const DenseMatrix expected = testing::reference_target_matrix(k, params);
      const DenseMatrix actual = library(k, params);
      ASSERT_EQ(actual.dim(), expected.dim()) << name_of(k);
      EXPECT_LE(actual.max_abs_diff(expected), kTol) << name_of(k) << " params[0]=" << (params.empty() ? 0.0 : params[0]);
    }
}

TEST(GateMatrixTest, ReferenceMatricesAreUnitary) {
  // The reference itself must be sane, or the comparison above proves little.
  Rng rng(13);
  for (GateKind k : matrix_kinds())
    for (const auto& params : parameter_sets(k, rng, 5))
      EXPECT_LE(testing::reference_target_matrix(k, params).unitarity_error(), kTol) << name_of(k);
}

TEST(GateMatrixTest, FillTargetMatrixAgreesWithTargetMatrix) {
  Rng rng(14);
  for (GateKind k : matrix_kinds()) {
    const auto params = testing::random_angles(static_cast<std::size_t>(gate_info(k).num_params), rng);
    const GateMatrix m = target_matrix(k, params);
    std::vector<cdouble> buf(m.data.size() + 4, cdouble(7.0, 7.0));
    fill_target_matrix(k, params, buf.data());
    for (std::size_t i = 0; i < m.data.size(); ++i) EXPECT_EQ(buf[i], m.data[i]) << name_of(k) << " entry " << i;
    for (std::size_t i = m.data.size(); i < buf.size(); ++i)
      EXPECT_EQ(buf[i], cdouble(7.0, 7.0)) << name_of(k) << " wrote past its matrix";
  }
}

TEST(GateMatrixTest, MatrixlessKindsWriteNothing) {
  for (GateKind k : {GateKind::Unitary, GateKind::Measure, GateKind::Reset, GateKind::Barrier}) {
    std::vector<cdouble> buf(16, cdouble(3.0, -1.0));
    fill_target_matrix(k, {}, buf.data());
    for (const cdouble& z : buf) EXPECT_EQ(z, cdouble(3.0, -1.0)) << name_of(k);
  }
}

TEST(GateMatrixTest, ShapeTraitsHoldForAllParameters) {
  Rng rng(15);
  for (GateKind k : matrix_kinds()) {
    const MatrixShape shape = gate_info(k).shape;
    for (const auto& params : parameter_sets(k, rng, 10)) {
      const GateMatrix m = target_matrix(k, params);
      if (shape == MatrixShape::Diagonal) {
        EXPECT_TRUE(m.is_diagonal()) << name_of(k);
      }
      if (shape == MatrixShape::Permutation) {
        for (Index c = 0; c < m.dim(); ++c) {
          int ones = 0;
          for (Index r = 0; r < m.dim(); ++r) {
            const cdouble z = m(r, c);
            EXPECT_TRUE(z == cdouble(0.0) || z == cdouble(1.0)) << name_of(k);
            ones += z == cdouble(1.0) ? 1 : 0;
          }
          EXPECT_EQ(ones, 1) << name_of(k) << " column " << c;
        }
      }
    }
  }
}

TEST(GateMatrixTest, SelfInverseGatesSquareToIdentity) {
  for (GateKind k : matrix_kinds()) {
    if (!gate_info(k).self_inverse) continue;
    const DenseMatrix m = library(k);
    EXPECT_LE((m * m).max_abs_diff(DenseMatrix::identity(m.dim())), kTol) << name_of(k);
  }
}

TEST(GateMatrixTest, GateMatrixHelpers) {
  Rng rng(16);
  const DenseMatrix u = testing::random_unitary(2, rng), v = testing::random_unitary(2, rng);
  const GateMatrix gu = u.to_gate_matrix(), gv = v.to_gate_matrix();
  EXPECT_LE(DenseMatrix::from_gate_matrix(gu * gv).max_abs_diff(u * v), kTol);
  EXPECT_LE(DenseMatrix::from_gate_matrix(gu.adjoint()).max_abs_diff(u.adjoint()), 0.0);
  EXPECT_LE(gu.unitarity_error(), kTol);
  EXPECT_FALSE(gu.is_diagonal());
  const GateMatrix id = GateMatrix::identity(3);
  EXPECT_EQ(id.num_qubits, 3);
  EXPECT_TRUE(id.is_diagonal());
  EXPECT_LE(DenseMatrix::from_gate_matrix(id).max_abs_diff(DenseMatrix::identity(8)), 0.0);
  GateMatrix bad = GateMatrix::identity(1);
  bad(0, 1) = 0.5;
  EXPECT_NEAR(bad.unitarity_error(), 0.5, 1e-15);  // (U^dag U)_01 = 0.5, _11 = 1.25
}

TEST(DenseReferenceTest, EmbedAgreesWithKroneckerProducts) {
  // The reference's bit-extraction embedding against plain Kronecker products.
  using testing::kron;
  Rng rng(17);
  const auto identity = [](int qubits) { return DenseMatrix::identity(Index{1} << qubits); };
  for (int n = 1; n <= 4; ++n)
    for (Qubit q = 0; q < n; ++q) {
      const DenseMatrix u = testing::random_unitary(1, rng);
      const Qubit t[1] = {q};
      const DenseMatrix expected = kron(identity(n - 1 - q), kron(u, identity(q)));
      EXPECT_LE(testing::embed(u, t, n).max_abs_diff(expected), 0.0) << "n=" << n << " q=" << q;
    }
  // A 2-qubit matrix on (a0, a1) = (1, 3) of 4 qubits: bit(a0) is matrix bit 0.
  const DenseMatrix u = testing::random_unitary(2, rng);
  const Qubit t[2] = {1, 3};
  DenseMatrix swap23(16), expected(16);
  // Permute qubits so that the targets become (0, 1) in order: new index bits (1, 3, 0, 2).
  const auto perm = [](Index i) {
    const auto b = [&](int k) { return (i >> k) & 1U; };
    return b(1) | (b(3) << 1) | (b(0) << 2) | (b(2) << 3);
  };
  for (Index i = 0; i < 16; ++i) swap23(perm(i), i) = 1.0;
  expected = swap23.adjoint() * kron(identity(2), u) * swap23;
  EXPECT_LE(testing::embed(u, t, 4).max_abs_diff(expected), 1e-15);
  // A control on qubit 0 (value 1) and a negative control on qubit 2, target qubit 1.
  const DenseMatrix v = testing::random_unitary(1, rng);
  const Qubit t1[1] = {1};
  const DenseMatrix p0{{1.0, 0.0}, {0.0, 0.0}}, p1{{0.0, 0.0}, {0.0, 1.0}};
  // Active when q0 = 1 and q2 = 0: kron(P0_q2, V_q1, P1_q0) + identity elsewhere.
  const DenseMatrix active = kron(p0, kron(v, p1));
  const DenseMatrix inactive = DenseMatrix::identity(8) - kron(p0, kron(identity(1), p1));
  EXPECT_LE(testing::embed(v, t1, 3, bit(0) | bit(2), bit(0)).max_abs_diff(active + inactive), 0.0);
}

TEST(DenseReferenceTest, ControlledGateMatricesAreBlockDiagonal) {
  // cu = |0><0| (x) I + e^{i gamma} |1><1| (x) U with the control as qubit 0 (signature order).
  using testing::kron;
  Rng rng(18);
  const DenseMatrix p0{{1.0, 0.0}, {0.0, 0.0}}, p1{{0.0, 0.0}, {0.0, 1.0}};
  for (int trial = 0; trial < 10; ++trial) {
    const auto a = testing::random_angles(4, rng);
    const DenseMatrix u = testing::reference_target_matrix(GateKind::U, std::vector<double>{a[0], a[1], a[2]});
    const DenseMatrix expected = kron(DenseMatrix::identity(2), p0) + kron(u, p1) * std::polar(1.0, a[3]);
    EXPECT_LE(testing::reference_gate_matrix(GateKind::CU, a).max_abs_diff(expected), kTol);
    // The library's matrices give the same full matrix through a circuit.
    Circuit c(2);
    c.gate(GateKind::CU, {0, 1}, {a[0], a[1], a[2], a[3]});
    EXPECT_LE(lib_circuit(c).max_abs_diff(expected), kTol);
  }
  // Every gate with built-in controls: the identity wherever a control is 0, and the library's
  // full matrix equals the reference's.
  for (GateKind k : matrix_kinds()) {
    const GateInfo info = gate_info(k);
    if (info.num_controls == 0) continue;
    const auto params = testing::random_angles(static_cast<std::size_t>(info.num_params), rng);
    const DenseMatrix full = testing::reference_gate_matrix(k, params);
    const Index controls = (Index{1} << info.num_controls) - 1;
    for (Index r = 0; r < full.dim(); ++r)
      for (Index c = 0; c < full.dim(); ++c)
        if ((c & controls) != controls) {
          EXPECT_EQ(full(r, c), r == c ? cdouble(1.0) : cdouble(0.0)) << name_of(k);
        }
    std::vector<Qubit> qubits;
    for (int q = 0; q < info.num_qubits; ++q) qubits.push_back(q);
    std::vector<Param> ps(params.begin(), params.end());
    Circuit circ(info.num_qubits);
    circ.gate(k, qubits, ps);
    EXPECT_LE(lib_circuit(circ).max_abs_diff(full), kTol) << name_of(k);
  }
}

// ---------------------------------------------------------------------------------------------
// Identities between the library's matrices.

TEST(GateIdentityTest, OneQubitCliffordRelations) {
  const DenseMatrix x = library(GateKind::X), y = library(GateKind::Y), z = library(GateKind::Z);
  const DenseMatrix h = library(GateKind::H), s = library(GateKind::S), t = library(GateKind::T);
  const DenseMatrix sx = library(GateKind::SX);
  EXPECT_LE((h * z * h).max_abs_diff(x), kTol);
  EXPECT_LE((h * x * h).max_abs_diff(z), kTol);
  EXPECT_LE((s * s).max_abs_diff(z), kTol);
  EXPECT_LE((t * t).max_abs_diff(s), kTol);
  EXPECT_LE((sx * sx).max_abs_diff(x), kTol);
  EXPECT_LE((x * y).max_abs_diff(z * cdouble(0, 1)), kTol);  // XY = iZ
  EXPECT_LE(library(GateKind::Sdg).max_abs_diff(s.adjoint()), kTol);
  EXPECT_LE(library(GateKind::Tdg).max_abs_diff(t.adjoint()), kTol);
  EXPECT_LE(library(GateKind::SXdg).max_abs_diff(sx.adjoint()), kTol);
  EXPECT_LE(library(GateKind::I).max_abs_diff(DenseMatrix::identity(2)), 0.0);
  EXPECT_LE(library(GateKind::U0, {1.234}).max_abs_diff(DenseMatrix::identity(2)), 0.0);
  // sx = sdg h sdg up to the global phase e^{i pi/4} (qelib1.inc writes it that way).
  const DenseMatrix sdg = library(GateKind::Sdg);
  EXPECT_LE((sdg * h * sdg * std::polar(1.0, kPi / 4)).max_abs_diff(sx), kTol);
}

TEST(GateIdentityTest, RotationsAndUGates) {
  Rng rng(21);
  for (int trial = 0; trial < 20; ++trial) {
    const auto a = testing::random_angles(4, rng);
    const double th = a[0], ph = a[1], la = a[2], ga = a[3];
    const DenseMatrix h = library(GateKind::H), s = library(GateKind::S);
    const DenseMatrix rx = library(GateKind::RX, {th}), ry = library(GateKind::RY, {th}), rz = library(GateKind::RZ, {th});
    EXPECT_LE(library(GateKind::U2, {ph, la}).max_abs_diff(library(GateKind::U, {kPi / 2, ph, la})), kTol);
    EXPECT_LE(library(GateKind::U1, {la}).max_abs_diff(library(GateKind::P, {la})), kTol);
    EXPECT_LE(library(GateKind::U3, {th, ph, la}).max_abs_diff(library(GateKind::U, {th, ph, la})), kTol);
    EXPECT_LE(library(GateKind::CU1, {la}).max_abs_diff(library(GateKind::CP, {la})), kTol);
    EXPECT_LE(library(GateKind::CU3, {th, ph, la}).max_abs_diff(library(GateKind::CU, {th, ph, la, 0.0})), kTol);
    EXPECT_LE(library(GateKind::CU, {th, ph, la, ga}).max_abs_diff(library(GateKind::U, {th, ph, la}) * std::polar(1.0, ga)), kTol);
    EXPECT_LE(rz.max_abs_diff(library(GateKind::P, {th}) * std::polar(1.0, -th / 2)), kTol);
    EXPECT_LE((h * rz * h).max_abs_diff(rx), kTol);
    EXPECT_LE((s * rx * s.adjoint()).max_abs_diff(ry), kTol);
    // Rotations are exp(-i theta/2 P): compare with a series matrix exponential.
    EXPECT_LE(rx.max_abs_diff(testing::expm(testing::pauli_x() * cdouble(0, -th / 2))), kTol);
    EXPECT_LE(ry.max_abs_diff(testing::expm(testing::pauli_y() * cdouble(0, -th / 2))), kTol);
    EXPECT_LE(rz.max_abs_diff(testing::expm(testing::pauli_z() * cdouble(0, -th / 2))), kTol);
    // U(theta, phi, lambda) = e^{i (phi + lambda)/2} RZ(phi) RY(theta) RZ(lambda).
    const DenseMatrix zyz = library(GateKind::RZ, {ph}) * ry * library(GateKind::RZ, {la}) * std::polar(1.0, (ph + la) / 2);
    EXPECT_LE(library(GateKind::U, {th, ph, la}).max_abs_diff(zyz), kTol);
    EXPECT_LE(library(GateKind::GPhase, {ga}).max_abs_diff(DenseMatrix::scalar(std::polar(1.0, ga))), kTol);
  }
}

TEST(GateIdentityTest, TwoQubitPauliRotationsAreExponentials) {
  Rng rng(22);
  using testing::kron;
  const DenseMatrix x = testing::pauli_x(), y = testing::pauli_y(), z = testing::pauli_z();
  for (int trial = 0; trial < 20; ++trial) {
    const double th = testing::random_angles(1, rng)[0], beta = testing::random_angles(1, rng)[0];
    const auto ex = [&](const DenseMatrix& g) { return testing::expm(g * cdouble(0, -th / 2)); };
    EXPECT_LE(library(GateKind::RXX, {th}).max_abs_diff(ex(kron(x, x))), kTol);
    EXPECT_LE(library(GateKind::RYY, {th}).max_abs_diff(ex(kron(y, y))), kTol);
    EXPECT_LE(library(GateKind::RZZ, {th}).max_abs_diff(ex(kron(z, z))), kTol);
    // rzx(theta) on (a, b) = exp(-i theta/2 Z_a X_b); a is matrix bit 0.
    EXPECT_LE(library(GateKind::RZX, {th}).max_abs_diff(ex(kron(x, z))), kTol);
    // With beta = 0 the XX+YY and XX-YY gates are plain exponentials.
    EXPECT_LE(library(GateKind::XXPlusYY, {th, 0.0}).max_abs_diff(ex((kron(x, x) + kron(y, y)) * cdouble(0.5))), kTol);
    EXPECT_LE(library(GateKind::XXMinusYY, {th, 0.0}).max_abs_diff(ex((kron(x, x) - kron(y, y)) * cdouble(0.5))), kTol);
    // beta is a z rotation of qubit 0 (XX+YY) or qubit 1 (XX-YY) around the gate.
    Circuit plus(2);
    plus.rz(beta, 0).gate(GateKind::XXPlusYY, {0, 1}, {th, 0.0}).rz(-beta, 0);
    EXPECT_LE(lib_circuit(plus).max_abs_diff(library(GateKind::XXPlusYY, {th, beta})), kTol);
    Circuit minus(2);
    minus.rz(-beta, 1).gate(GateKind::XXMinusYY, {0, 1}, {th, 0.0}).rz(beta, 1);
    EXPECT_LE(lib_circuit(minus).max_abs_diff(library(GateKind::XXMinusYY, {th, beta})), kTol);
  }
  // iSWAP = exp(i pi/4 (XX + YY)).
  EXPECT_LE(library(GateKind::ISwap).max_abs_diff(testing::expm((kron(x, x) + kron(y, y)) * cdouble(0, kPi / 4))), kTol);
}

TEST(GateIdentityTest, ControlledGatesOnFullMatrices) {
  // cx = (I (x) H) cz (I (x) H).
  Circuit a(2), b(2);
  a.cx(0, 1);
  b.h(1).cz(0, 1).h(1);
  EXPECT_LE(lib_circuit(a).max_abs_diff(lib_circuit(b)), kTol);
  // cz is symmetric in its qubits.
  Circuit cz01(2), cz10(2);
  cz01.cz(0, 1);
  cz10.cz(1, 0);
  EXPECT_LE(lib_circuit(cz01).max_abs_diff(lib_circuit(cz10)), 0.0);
  // swap = three cx.
  Circuit sw(2), three(2);
  sw.swap(0, 1);
  three.cx(0, 1).cx(1, 0).cx(0, 1);
  EXPECT_LE(lib_circuit(sw).max_abs_diff(lib_circuit(three)), kTol);
  // dcx = cx(0, 1) then cx(1, 0).
  Circuit dcx(2), two(2);
  dcx.gate(GateKind::DCX, {0, 1});
  two.cx(0, 1).cx(1, 0);
  EXPECT_LE(lib_circuit(dcx).max_abs_diff(lib_circuit(two)), kTol);
  // cswap = cx(b, a) ccx(c, a, b) cx(b, a).
  Circuit cs(3), cs3(3);
  cs.cswap(0, 1, 2);
  cs3.cx(2, 1).ccx(0, 1, 2).cx(2, 1);
  EXPECT_LE(lib_circuit(cs).max_abs_diff(lib_circuit(cs3)), kTol);
  // cy = sdg(t) cx s(t); ch checked through its target; csx^2 = cx; c3sqrtx^2 = c3x.
  Circuit cy(2), cy3(2);
  cy.cy(0, 1);
  cy3.sdg(1).cx(0, 1).s(1);
  EXPECT_LE(lib_circuit(cy).max_abs_diff(lib_circuit(cy3)), kTol);
  Circuit csx2(2), c3sx2(4), c3x(4);
  csx2.gate(GateKind::CSX, {0, 1}).gate(GateKind::CSX, {0, 1});
  EXPECT_LE(lib_circuit(csx2).max_abs_diff(lib_circuit(a)), kTol);
  c3sx2.gate(GateKind::C3SX, {0, 1, 2, 3}).gate(GateKind::C3SX, {0, 1, 2, 3});
  c3x.gate(GateKind::C3X, {0, 1, 2, 3});
  EXPECT_LE(lib_circuit(c3sx2).max_abs_diff(lib_circuit(c3x)), kTol);
}

TEST(GateIdentityTest, QelibDecompositions) {
  Rng rng(23);
  // ccx from qelib1.inc (h, cx, t, tdg).
  Circuit ccx(3), dec(3);
  ccx.ccx(0, 1, 2);
  dec.h(2).cx(1, 2).tdg(2).cx(0, 2).t(2).cx(1, 2).tdg(2).cx(0, 2).t(1).t(2).h(2).cx(0, 1).t(0).tdg(1).cx(0, 1);
  EXPECT_LE(lib_circuit(ccx).max_abs_diff(lib_circuit(dec)), kTol);
  for (int trial = 0; trial < 10; ++trial) {
    const double l = testing::random_angles(1, rng)[0];
    // crz(l) a,b { u1(l/2) b; cx a,b; u1(-l/2) b; cx a,b; }
    Circuit crz(2), crz_dec(2);
    crz.crz(l, 0, 1);
    crz_dec.gate(GateKind::U1, {1}, {l / 2}).cx(0, 1).gate(GateKind::U1, {1}, {-l / 2}).cx(0, 1);
    EXPECT_LE(lib_circuit(crz).max_abs_diff(lib_circuit(crz_dec)), kTol);
    // cu1(l) a,b { u1(l/2) a; cx a,b; u1(-l/2) b; cx a,b; u1(l/2) b; }
    Circuit cu1(2), cu1_dec(2);
    cu1.gate(GateKind::CU1, {0, 1}, {l});
    cu1_dec.gate(GateKind::U1, {0}, {l / 2}).cx(0, 1).gate(GateKind::U1, {1}, {-l / 2}).cx(0, 1).gate(GateKind::U1, {1}, {l / 2});
    EXPECT_LE(lib_circuit(cu1).max_abs_diff(lib_circuit(cu1_dec)), kTol);
  }
}

TEST(GateIdentityTest, RelativePhaseToffolisMatchTheirQelibDecompositions) {
  // Built with the library's u2, u1 and cx, so this checks the hard-coded rccx / rc3x matrices
  // against qelib1.inc with the library's own 1- and 2-qubit matrices.
  const auto u2 = [](Circuit& c, Qubit q) -> Circuit& { return c.gate(GateKind::U2, {q}, {0.0, kPi}); };
  const auto u1 = [](Circuit& c, double l, Qubit q) -> Circuit& { return c.gate(GateKind::U1, {q}, {l}); };
  Circuit rccx(3);
  {
    const Qubit a = 0, b = 1, c = 2;
    u2(rccx, c);
    u1(rccx, kPi / 4, c).cx(b, c);
    u1(rccx, -kPi / 4, c).cx(a, c);
    u1(rccx, kPi / 4, c).cx(b, c);
    u1(rccx, -kPi / 4, c);
    u2(rccx, c);
  }
  EXPECT_LE(library(GateKind::RCCX).max_abs_diff(lib_circuit(rccx)), kTol);
  Circuit rc3x(4);
  {
    const Qubit a = 0, b = 1, c = 2, d = 3;
    u2(rc3x, d);
    u1(rc3x, kPi / 4, d).cx(c, d);
    u1(rc3x, -kPi / 4, d);
    u2(rc3x, d).cx(a, d);
    u1(rc3x, kPi / 4, d).cx(b, d);
    u1(rc3x, -kPi / 4, d).cx(a, d);
    u1(rc3x, kPi / 4, d).cx(b, d);
    u1(rc3x, -kPi / 4, d);
    u2(rc3x, d);
    u1(rc3x, kPi / 4, d).cx(c, d);
    u1(rc3x, -kPi / 4, d);
    u2(rc3x, d);
  }
  EXPECT_LE(library(GateKind::RC3X).max_abs_diff(lib_circuit(rc3x)), kTol);
  // Both are Toffolis up to relative phases: |entries| equal those of ccx / c3x.
  Circuit ccx(3), c3x(4);
  ccx.ccx(0, 1, 2);
  c3x.gate(GateKind::C3X, {0, 1, 2, 3});
  for (const auto& [rel, full] : {std::pair{library(GateKind::RCCX), lib_circuit(ccx)}, std::pair{library(GateKind::RC3X), lib_circuit(c3x)}})
    for (Index r = 0; r < rel.dim(); ++r)
      for (Index c = 0; c < rel.dim(); ++c) EXPECT_NEAR(std::abs(rel(r, c)), std::abs(full(r, c)), kTol);
}

TEST(GateIdentityTest, EcrIsQiskitsRzxDefinition) {
  // Qiskit's ECRGate definition, in circuit order: rzx(pi/4) q0,q1; x q0; rzx(-pi/4) q0,q1.
  Circuit c(2);
  c.rzx(kPi / 4, 0, 1).x(0).rzx(-kPi / 4, 0, 1);
  EXPECT_LE(library(GateKind::ECR).max_abs_diff(lib_circuit(c)), kTol);
  // Same with the reference's own matrices.
  EXPECT_LE(testing::reference_target_matrix(GateKind::ECR).max_abs_diff(testing::circuit_matrix(c)), kTol);
}

TEST(GateIdentityTest, InverseOperationIsTheAdjoint) {
  // inverse_operation must give the adjoint of every unitary kind, with extra controls kept.
  Rng rng(24);
  for (GateKind k : matrix_kinds()) {
    const GateInfo info = gate_info(k);
    const int n = std::max(info.num_qubits, 0) + 1;
    std::vector<Qubit> qubits;
    for (int q = 0; q < info.num_qubits; ++q) qubits.push_back(n - 1 - q);  // reversed order
    std::vector<Param> params;
    for (double v : testing::random_angles(static_cast<std::size_t>(info.num_params), rng)) params.emplace_back(v);
    for (bool controlled : {false, true}) {
      Circuit c(n);
      if (controlled)
        c.controlled(k, {0}, qubits, params, {static_cast<int>(k) % 2 == 0});  // some negative controls
      else
        c.gate(k, qubits, params);
      const Circuit inv = c.inverse();
      const DenseMatrix u = testing::circuit_matrix(c), ui = testing::circuit_matrix(inv);
      EXPECT_LE(ui.max_abs_diff(u.adjoint()), kTol) << name_of(k) << (controlled ? " controlled" : "");
    }
  }
}

}  // namespace
}  // namespace qmlsim

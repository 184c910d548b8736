#include "simulator/gates/matrices.hpp"

#include <algorithm>
#include <cmath>

#include "simulator/gates/matrix_helpers.hpp"

namespace qmlsim {
namespace {

using detail::expi;
using detail::kI;
using detail::set2;

constexpr double kSqrt1_2 = 0.70710678118654752440;


void zero(cdouble* m, int dim) { std::fill(m, m + dim * dim, cdouble{}); }

// U(theta, phi, lambda), Qiskit's UGate / U3Gate, times e^{i gamma}.
void u_matrix(cdouble* m, double theta, double phi, double lam, double gamma = 0.0) {
  const double c = std::cos(theta / 2), s = std::sin(theta / 2);
  const cdouble g = expi(gamma);
  set2(m, g * c, -g * expi(lam) * s, g * expi(phi) * s, g * expi(phi + lam) * c);
}

}  // namespace

GateMatrix GateMatrix::identity(int num_qubits) {
  GateMatrix m{num_qubits, std::vector<cdouble>((Index{1} << num_qubits) << num_qubits)};
  for (Index i = 0; i < m.dim(); ++i) m(i, i) = 1.0;
  return m;
}

GateMatrix GateMatrix::adjoint() const {
  GateMatrix m{num_qubits, std::vector<cdouble>(data.size())};
  for (Index r = 0; r < dim(); ++r)
    for (Index c = 0; c < dim(); ++c) m(c, r) = std::conj((*this)(r, c));
  return m;
}

GateMatrix GateMatrix::operator*(const GateMatrix& o) const {
  GateMatrix m{num_qubits, std::vector<cdouble>(data.size())};
  for (Index r = 0; r < dim(); ++r)
    for (Index k = 0; k < dim(); ++k) {
      const cdouble a = (*this)(r, k);
      if (a == cdouble{}) continue;
      for (Index c = 0; c < dim(); ++c) m(r, c) += a * o(k, c);
    }
  return m;
}

double GateMatrix::unitarity_error() const {
  const GateMatrix p = adjoint() * *this;
  double err = 0.0;
  for (Index r = 0; r < dim(); ++r)
    for (Index c = 0; c < dim(); ++c) err = std::max(err, std::abs(p(r, c) - (r == c ? 1.0 : 0.0)));
  return err;
}

bool GateMatrix::is_diagonal() const noexcept {
  for (Index r = 0; r < dim(); ++r)
    for (Index c = 0; c < dim(); ++c)
      if (r != c && (*this)(r, c) != cdouble{}) return false;
  return true;
}

void fill_target_matrix(GateKind kind, std::span<const double> p, cdouble* m) noexcept {
  auto arg = [&](std::size_t i) { return i < p.size() ? p[i] : 0.0; };
  const double h = kSqrt1_2;
  switch (kind) {
    case GateKind::I:
    case GateKind::U0: set2(m, 1, 0, 0, 1); return;
    case GateKind::X:
    case GateKind::CX:
    case GateKind::CCX:
    case GateKind::C3X:
    case GateKind::C4X: set2(m, 0, 1, 1, 0); return;
    case GateKind::Y:
    case GateKind::CY: set2(m, 0, -kI, kI, 0); return;
    case GateKind::Z:
    case GateKind::CZ:
    case GateKind::CCZ: set2(m, 1, 0, 0, -1); return;
    case GateKind::H:
    case GateKind::CH: set2(m, h, h, h, -h); return;
    case GateKind::S: set2(m, 1, 0, 0, kI); return;
    case GateKind::Sdg: set2(m, 1, 0, 0, -kI); return;
    case GateKind::T: set2(m, 1, 0, 0, cdouble(h, h)); return;
    case GateKind::Tdg: set2(m, 1, 0, 0, cdouble(h, -h)); return;
    case GateKind::SX:
    case GateKind::CSX:
    case GateKind::C3SX: set2(m, {0.5, 0.5}, {0.5, -0.5}, {0.5, -0.5}, {0.5, 0.5}); return;
    case GateKind::SXdg: set2(m, {0.5, -0.5}, {0.5, 0.5}, {0.5, 0.5}, {0.5, -0.5}); return;
    case GateKind::RX:
    case GateKind::CRX: {
      const double c = std::cos(arg(0) / 2), s = std::sin(arg(0) / 2);
      set2(m, c, cdouble(0, -s), cdouble(0, -s), c);
      return;
    }
    case GateKind::RY:
    case GateKind::CRY: {
      const double c = std::cos(arg(0) / 2), s = std::sin(arg(0) / 2);
      set2(m, c, -s, s, c);
      return;
    }
    case GateKind::RZ:
    case GateKind::CRZ: set2(m, expi(-arg(0) / 2), 0, 0, expi(arg(0) / 2)); return;
    case GateKind::P:
    case GateKind::U1:
    case GateKind::CP:
    case GateKind::CU1: set2(m, 1, 0, 0, expi(arg(0))); return;
    case GateKind::U2: u_matrix(m, kPi / 2, arg(0), arg(1)); return;
    case GateKind::U3:
    case GateKind::U:
    case GateKind::CU3: u_matrix(m, arg(0), arg(1), arg(2)); return;
    case GateKind::CU: u_matrix(m, arg(0), arg(1), arg(2), arg(3)); return;
    case GateKind::GPhase: m[0] = expi(arg(0)); return;
    case GateKind::Swap:
    case GateKind::CSwap:
      zero(m, 4);
      m[0 * 4 + 0] = m[1 * 4 + 2] = m[2 * 4 + 1] = m[3 * 4 + 3] = 1;
      return;
    case GateKind::ISwap:
      zero(m, 4);
      m[0 * 4 + 0] = m[3 * 4 + 3] = 1;
      m[1 * 4 + 2] = m[2 * 4 + 1] = kI;
      return;
    case GateKind::ECR:
      zero(m, 4);
      m[0 * 4 + 1] = h;
      m[0 * 4 + 3] = cdouble(0, h);
      m[1 * 4 + 0] = h;
      m[1 * 4 + 2] = cdouble(0, -h);
      m[2 * 4 + 1] = cdouble(0, h);
      m[2 * 4 + 3] = h;
      m[3 * 4 + 0] = cdouble(0, -h);
      m[3 * 4 + 2] = h;
      return;
    case GateKind::DCX:
      zero(m, 4);
      m[0 * 4 + 0] = m[1 * 4 + 3] = m[2 * 4 + 1] = m[3 * 4 + 2] = 1;
      return;
    case GateKind::RXX:
    case GateKind::RYY: {
      const double c = std::cos(arg(0) / 2), s = std::sin(arg(0) / 2);
      const cdouble corner = kind == GateKind::RXX ? cdouble(0, -s) : cdouble(0, s);
      zero(m, 4);
      m[0 * 4 + 0] = m[1 * 4 + 1] = m[2 * 4 + 2] = m[3 * 4 + 3] = c;
      m[0 * 4 + 3] = m[3 * 4 + 0] = corner;
      m[1 * 4 + 2] = m[2 * 4 + 1] = cdouble(0, -s);
      return;
    }
    case GateKind::RZZ: {
      zero(m, 4);
      const cdouble a = expi(-arg(0) / 2), b = expi(arg(0) / 2);
      m[0 * 4 + 0] = m[3 * 4 + 3] = a;
      m[1 * 4 + 1] = m[2 * 4 + 2] = b;
      return;
    }
    case GateKind::RZX: {
      // exp(-i theta/2 Z_a X_b), a = first qubit (bit 0), b = second (bit 1).
      const double c = std::cos(arg(0) / 2), s = std::sin(arg(0) / 2);
      zero(m, 4);
      m[0 * 4 + 0] = m[1 * 4 + 1] = m[2 * 4 + 2] = m[3 * 4 + 3] = c;
      m[0 * 4 + 2] = m[2 * 4 + 0] = cdouble(0, -s);
      m[1 * 4 + 3] = m[3 * 4 + 1] = cdouble(0, s);
      return;
    }
    case GateKind::XXPlusYY: {
      const double c = std::cos(arg(0) / 2), s = std::sin(arg(0) / 2);
      zero(m, 4);
      m[0 * 4 + 0] = m[3 * 4 + 3] = 1;
      m[1 * 4 + 1] = m[2 * 4 + 2] = c;
      m[1 * 4 + 2] = cdouble(0, -s) * expi(-arg(1));
      m[2 * 4 + 1] = cdouble(0, -s) * expi(arg(1));
      return;
    }
    case GateKind::XXMinusYY: {
      const double c = std::cos(arg(0) / 2), s = std::sin(arg(0) / 2);
      zero(m, 4);
      m[1 * 4 + 1] = m[2 * 4 + 2] = 1;
      m[0 * 4 + 0] = m[3 * 4 + 3] = c;
      m[0 * 4 + 3] = cdouble(0, -s) * expi(-arg(1));
      m[3 * 4 + 0] = cdouble(0, -s) * expi(arg(1));
      return;
    }
    case GateKind::RCCX:
      // Qiskit's RCCXGate (Margolus): a Toffoli up to relative phases; qubits (c0, c1, target).
      zero(m, 8);
      m[0 * 8 + 0] = m[1 * 8 + 1] = m[2 * 8 + 2] = m[4 * 8 + 4] = m[6 * 8 + 6] = 1;
      m[5 * 8 + 5] = -1;
      m[3 * 8 + 7] = -kI;
      m[7 * 8 + 3] = kI;
      return;
    case GateKind::RC3X:
      // Qiskit's RC3XGate: a 3-controlled X up to relative phases; qubits (c0, c1, c2, target).
      zero(m, 16);
      for (int d : {0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14}) m[d * 16 + d] = 1;
      m[3 * 16 + 3] = kI;
      m[11 * 16 + 11] = -kI;
      m[7 * 16 + 15] = 1;
      m[15 * 16 + 7] = -1;
      return;
    case GateKind::Unitary:
    case GateKind::Measure:
    case GateKind::Reset:
    case GateKind::Barrier: return;
  }
}

GateMatrix target_matrix(GateKind kind, std::span<const double> params) {
  const int t = kind == GateKind::GPhase ? 0 : gate_targets(kind);
  GateMatrix m{std::max(t, 0), std::vector<cdouble>((Index{1} << std::max(t, 0)) << std::max(t, 0))};
  fill_target_matrix(kind, params, m.data.data());
  return m;
}

}  // namespace qmlsim

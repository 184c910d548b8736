#include "simulator/gates/derivatives.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "simulator/gates/matrices.hpp"
#include "simulator/gates/matrix_helpers.hpp"

namespace qmlsim {
namespace {

using detail::expi;
using detail::kI;
using detail::set2;

// d/d(param j) of e^{i gamma} U(theta, phi, lambda) (matrices.cpp's u_matrix), j over
// (theta, phi, lambda, gamma).
void u_derivative(cdouble* m, int j, double theta, double phi, double lam, double gamma) {
  const double c = std::cos(theta / 2), s = std::sin(theta / 2);
  const cdouble g = expi(gamma);
  switch (j) {
    case 0: set2(m, -g * s / 2.0, -g * expi(lam) * c / 2.0, g * expi(phi) * c / 2.0, -g * expi(phi + lam) * s / 2.0); return;
    case 1: set2(m, 0, 0, kI * g * expi(phi) * s, kI * g * expi(phi + lam) * c); return;
    case 2: set2(m, 0, -kI * g * expi(lam) * s, 0, kI * g * expi(phi + lam) * c); return;
    case 3: set2(m, kI * g * c, -kI * g * expi(lam) * s, kI * g * expi(phi) * s, kI * g * expi(phi + lam) * c); return;
    default: set2(m, 0, 0, 0, 0); return;
  }
}

// For U = cos(a/2) I - i sin(a/2) P: dU/da = -sin(a/2)/2 I - i cos(a/2)/2 P, which is U at
// a + pi, halved. Used for the gates whose every entry has frequency 1/2 (rx ry rz rxx ryy rzz rzx).
void half_frequency_derivative(GateKind kind, double a, cdouble* out, int dim) {
  const double shifted[1] = {a + kPi};
  fill_target_matrix(kind, shifted, out);
  for (int i = 0; i < dim * dim; ++i) out[i] *= 0.5;
}

}  // namespace

ParamSpectrum param_spectrum(GateKind kind, int j) noexcept {
  using S = ParamSpectrum;
  if (j < 0 || j >= gate_info(kind).num_params) return S::Constant;
  switch (kind) {
    case GateKind::RX:
    case GateKind::RY:
    case GateKind::RZ:
    case GateKind::RXX:
    case GateKind::RYY:
    case GateKind::RZZ:
    case GateKind::RZX: return S::HalfPair;
    case GateKind::P:
    case GateKind::U1:
    case GateKind::CP:
    case GateKind::CU1:
    case GateKind::U2:
    case GateKind::GPhase: return S::ZeroOne;
    case GateKind::U3:
    case GateKind::U: return j == 0 ? S::HalfPair : S::ZeroOne;
    case GateKind::CU3:
    case GateKind::CU: return j == 0 ? S::ZeroHalfPair : S::ZeroOne;
    case GateKind::CRX:
    case GateKind::CRY:
    case GateKind::CRZ: return S::ZeroHalfPair;
    case GateKind::XXPlusYY:
    case GateKind::XXMinusYY: return j == 0 ? S::ZeroHalfPair : S::Conjugation;
    case GateKind::U0:
    default: return S::Constant;
  }
}

ParamSpectrum controlled_spectrum(ParamSpectrum spectrum) noexcept {
  return spectrum == ParamSpectrum::HalfPair ? ParamSpectrum::ZeroHalfPair : spectrum;
}

ShiftRule shift_rule(ParamSpectrum spectrum) noexcept {
  switch (spectrum) {
    case ParamSpectrum::HalfPair:
    case ParamSpectrum::ZeroOne: return ShiftRule::TwoTerm;
    case ParamSpectrum::ZeroHalfPair: return ShiftRule::FourTerm;
    case ParamSpectrum::Conjugation: return ShiftRule::TwoFrequency;
    case ParamSpectrum::Constant: return ShiftRule::None;
  }
  return ShiftRule::None;
}

std::span<const ShiftTerm> shift_terms(ShiftRule rule) noexcept {
  static const std::array<ShiftTerm, 2> two = {{{kPi / 2, 0.5}, {-kPi / 2, -0.5}}};
  static const std::array<ShiftTerm, 4> four = [] {
    const double r2 = std::sqrt(2.0);
    const double dp = (r2 + 1) / (4 * r2), dm = (r2 - 1) / (4 * r2);
    return std::array<ShiftTerm, 4>{{{kPi / 2, dp}, {-kPi / 2, -dp}, {3 * kPi / 2, -dm}, {-3 * kPi / 2, dm}}};
  }();
  static const std::array<ShiftTerm, 4> two_frequency = [] {
    std::array<ShiftTerm, 4> t{};
    for (int mu = 1; mu <= 4; ++mu) {
      const double x = (2 * mu - 1) * kPi / 4;
      const double s = std::sin(x / 2);
      t[static_cast<std::size_t>(mu - 1)] = {x, (mu % 2 == 1 ? 1.0 : -1.0) / (8 * s * s)};
    }
    return t;
  }();
  switch (rule) {
    case ShiftRule::TwoTerm: return two;
    case ShiftRule::FourTerm: return four;
    case ShiftRule::TwoFrequency: return two_frequency;
    case ShiftRule::None: return {};
  }
  return {};
}

const char* shift_rule_name(ShiftRule rule) noexcept {
  switch (rule) {
    case ShiftRule::TwoTerm: return "two-term";
    case ShiftRule::FourTerm: return "four-term";
    case ShiftRule::TwoFrequency: return "two-frequency";
    case ShiftRule::None: return "none";
  }
  return "none";
}

void fill_target_derivative(GateKind kind, std::span<const double> p, int j, cdouble* m) noexcept {
  auto arg = [&](std::size_t i) { return i < p.size() ? p[i] : 0.0; };
  const GateInfo info = gate_info(kind);
  if (kind == GateKind::Unitary || info.shape == MatrixShape::None) {
    if (kind == GateKind::GPhase) m[0] = j == 0 ? kI * expi(arg(0)) : cdouble{};
    return;
  }
  const int dim = 1 << gate_targets(kind);
  std::fill(m, m + dim * dim, cdouble{});
  if (j < 0 || j >= info.num_params) return;
  switch (kind) {
    case GateKind::RX:
    case GateKind::CRX:
    case GateKind::RY:
    case GateKind::CRY:
    case GateKind::RZ:
    case GateKind::CRZ:
    case GateKind::RXX:
    case GateKind::RYY:
    case GateKind::RZZ:
    case GateKind::RZX: half_frequency_derivative(kind, arg(0), m, dim); return;
    case GateKind::P:
    case GateKind::U1:
    case GateKind::CP:
    case GateKind::CU1: m[3] = kI * expi(arg(0)); return;
    case GateKind::U2: u_derivative(m, j + 1, kPi / 2, arg(0), arg(1), 0.0); return;
    case GateKind::U3:
    case GateKind::U:
    case GateKind::CU3:
    case GateKind::CU: u_derivative(m, j, arg(0), arg(1), arg(2), arg(3)); return;
    case GateKind::XXPlusYY:
    case GateKind::XXMinusYY: {
      // xx_plus_yy: identity on |00>, |11>; on (|01>, |10>) the block
      // [[c, -i s e^{-i b}], [-i s e^{i b}, c]] (xx_minus_yy: the same on (|00>, |11>)).
      const double c = std::cos(arg(0) / 2), s = std::sin(arg(0) / 2), b = arg(1);
      const int lo = kind == GateKind::XXPlusYY ? 1 : 0, hi = kind == GateKind::XXPlusYY ? 2 : 3;
      if (j == 0) {
        m[lo * 4 + lo] = m[hi * 4 + hi] = -s / 2;
        m[lo * 4 + hi] = -kI * (c / 2) * expi(-b);
        m[hi * 4 + lo] = -kI * (c / 2) * expi(b);
      } else {
        m[lo * 4 + hi] = -s * expi(-b);         // d/db of -i s e^{-ib}
        m[hi * 4 + lo] = cdouble(s, 0) * expi(b);  // d/db of -i s e^{ib}
      }
      return;
    }
    default: return;  // fixed gates and u0: the derivative is zero
  }
}

}  // namespace qmlsim

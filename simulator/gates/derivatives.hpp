#pragma once
/// The gate table's calculus: for every parametric gate and each of its parameters, the exact
/// derivative of the target matrix and the spectrum of the parameter's generator, which fixes the
/// parameter-shift rule. Every gradient method reads this table; nothing here knows circuits.
///
/// Derivative: fill_target_derivative writes dU/da_j for the target matrix U(a_0, ..., a_{p-1})
/// of matrices.hpp (same layout, same dimension, Qiskit's global phases included), from analytic
/// formulas; the tests compare them with finite differences of fill_target_matrix. Under controls
/// (built-in or extra) the gate is |c><c| (x) U + (1 - |c><c|) (x) I, so its derivative is
/// dU/da_j on the controlled subspace and zero elsewhere.
///
/// Generator spectrum: each angle a enters the gate as U = A e^{-i a G} B (or, for the beta
/// angle of xx_plus_yy / xx_minus_yy, twice: U = C(-a) V C(a)). The eigenvalues of G decide how
/// an expectation value f(a) = <psi| U^dagger H U |psi> oscillates in a:
///   HalfPair     G = P/2 with P a Pauli string, eigenvalues +-1/2: rx ry rz rxx ryy rzz rzx and
///                theta of u/u3. f has the single frequency 1.
///   ZeroOne      G a projector (eigenvalues 0, 1): p u1 cp cu1, phi and lambda of u/u2/u3/cu3/cu,
///                gamma of cu, gphase. Frequency 1, also under any controls.
///   ZeroHalfPair eigenvalues 0 and +-1/2: a HalfPair angle under controls (crx cry crz, theta of
///                cu3/cu, any HalfPair gate with ctrl @), and theta of xx_plus_yy / xx_minus_yy.
///                Frequencies 1/2 and 1.
///   Conjugation  beta of xx_plus_yy / xx_minus_yy: frequencies 1 and 2.
///   Constant     the angle of u0 (a duration; the matrix does not depend on it).
///
/// Shift rules (derivative = sum_i coefficient_i * f(a + shift_i)):
///   TwoTerm      shifts +-pi/2, coefficients +-1/2 (frequency 1).
///   FourTerm     shifts +-pi/2, +-3pi/2 with coefficients +-(sqrt2 + 1)/(4 sqrt2),
///                -+(sqrt2 - 1)/(4 sqrt2) (frequencies 1/2 and 1).
///   TwoFrequency shifts pi/4, 3pi/4, 5pi/4, 7pi/4 with (-1)^(mu-1) / (8 sin^2(x_mu/2)), the
///                general rule for frequencies 1 and 2 (Wierichs et al., Quantum 6, 677, 2022).
///   None         no evaluation: the derivative is zero.
#include <cstdint>
#include <span>

#include "simulator/core/types.hpp"
#include "simulator/gates/gate_kind.hpp"

namespace qmlsim {

enum class ParamSpectrum : std::uint8_t { HalfPair, ZeroOne, ZeroHalfPair, Conjugation, Constant };
enum class ShiftRule : std::uint8_t { TwoTerm, FourTerm, TwoFrequency, None };

struct ShiftTerm {
  double shift;
  double coefficient;
};

/// Spectrum of parameter j of `kind` without extra controls (the kind's built-in controls are
/// included: crx's angle is ZeroHalfPair). Constant for a kind without parameter j.
[[nodiscard]] ParamSpectrum param_spectrum(GateKind kind, int j) noexcept;

/// The spectrum once the gate carries extra controls (ctrl @): HalfPair becomes ZeroHalfPair,
/// the others stay.
[[nodiscard]] ParamSpectrum controlled_spectrum(ParamSpectrum spectrum) noexcept;

/// The rule exact for a spectrum.
[[nodiscard]] ShiftRule shift_rule(ParamSpectrum spectrum) noexcept;

/// The rule's shifts and coefficients (empty for None). Static storage.
[[nodiscard]] std::span<const ShiftTerm> shift_terms(ShiftRule rule) noexcept;

/// Human-readable names: "two-term", "four-term", "two-frequency", "none".
[[nodiscard]] const char* shift_rule_name(ShiftRule rule) noexcept;

/// Writes dU/da_j (the derivative of fill_target_matrix(kind, params, .) with respect to
/// params[j]) into `out`, 2^t x 2^t entries. Writes zeros for a kind without parameter j, and
/// nothing for Unitary, measure, reset and barrier (as fill_target_matrix). No allocation.
void fill_target_derivative(GateKind kind, std::span<const double> params, int j, cdouble* out) noexcept;

}  // namespace qmlsim

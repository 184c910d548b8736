#pragma once
/// Seeded random test inputs: normalised states, angles, Haar-like unitaries, diagonal unitaries.
/// Everything draws from a qmlsim::Rng, so a test is reproducible from its seed.
#include <complex>
#include <cstddef>
#include <span>
#include <vector>

#include "simulator/core/parallel.hpp"
#include "simulator/core/rng.hpp"
#include "simulator/core/state_vector.hpp"
#include "tests/support/dense_reference.hpp"

namespace qmlsim::testing {

/// 2^n amplitudes with independent complex Gaussian entries, scaled to norm 1.
[[nodiscard]] std::vector<cdouble> random_state(int num_qubits, Rng& rng);

/// `count` angles uniform in [lo, hi).
[[nodiscard]] std::vector<double> random_angles(std::size_t count, Rng& rng, double lo = -2 * kPi, double hi = 2 * kPi);

/// A random unitary on k qubits: the Q factor of the QR decomposition (modified Gram-Schmidt,
/// applied twice) of a matrix with complex Gaussian entries. Unitary to ~1e-15.
[[nodiscard]] DenseMatrix random_unitary(int num_qubits, Rng& rng);

/// A random diagonal unitary on k qubits (random phases).
[[nodiscard]] DenseMatrix random_diagonal_unitary(int num_qubits, Rng& rng);

/// A StateVector holding `amplitudes` (converted to R) with the given parallelism.
template <class R>
[[nodiscard]] StateVector<R> make_state(std::span<const cdouble> amplitudes, const Parallelism& par) {
  StateVector<R> s = StateVector<R>::from_amplitudes(amplitudes, false, par);
  return s;
}

}  // namespace qmlsim::testing

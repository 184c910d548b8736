#pragma once
/// A dense reference simulator for tests: every operation becomes its full 2^n x 2^n matrix, built
/// by bit extraction, and a circuit is applied by dense matrix-vector products. Slow (O(4^n) per
/// gate) and meant for n <= 8; its value is that it shares nothing with the kernels.
///
/// The gate matrices used here (reference_target_matrix) are written down independently of
/// simulator/gates/matrices.cpp, from Qiskit's documented formulas: Pauli rotations as
/// cos(t/2) I - i sin(t/2) P with P built by Kronecker products, the XX+YY / XX-YY gates as matrix
/// exponentials conjugated by RZ, rccx and rc3x as products of their qelib1.inc decompositions.
/// Conventions are the library's (core/types.hpp): qubit 0 is the least significant bit, and a
/// matrix on qubits (a0, a1, ...) is indexed bit(a0) + 2 bit(a1) + ...
#include <algorithm>
#include <complex>
#include <initializer_list>
#include <span>
#include <vector>

#include "simulator/circuit/circuit.hpp"
#include "simulator/core/types.hpp"
#include "simulator/observables/observable.hpp"
#include "simulator/gates/matrices.hpp"

namespace qmlsim::testing {

/// A small dense complex matrix, row-major.
class DenseMatrix {
 public:
  DenseMatrix() = default;
  /// The dim x dim zero matrix.
  explicit DenseMatrix(Index dim) : dim_(dim), data_(dim * dim) {}
  /// From rows (each row of the same length as the number of rows).
  DenseMatrix(std::initializer_list<std::initializer_list<cdouble>> rows);

  [[nodiscard]] static DenseMatrix identity(Index dim);
  /// A 1 x 1 matrix [z] (a scalar on zero qubits).
  [[nodiscard]] static DenseMatrix scalar(cdouble z);
  [[nodiscard]] static DenseMatrix from_gate_matrix(const GateMatrix& m);
  [[nodiscard]] GateMatrix to_gate_matrix() const;

  [[nodiscard]] Index dim() const noexcept { return dim_; }
  /// log2(dim) (dim must be a power of two).
  [[nodiscard]] int num_qubits() const noexcept;
  [[nodiscard]] cdouble operator()(Index r, Index c) const noexcept { return data_[r * dim_ + c]; }
  [[nodiscard]] cdouble& operator()(Index r, Index c) noexcept { return data_[r * dim_ + c]; }
  [[nodiscard]] const std::vector<cdouble>& data() const noexcept { return data_; }

  [[nodiscard]] DenseMatrix operator*(const DenseMatrix& other) const;
  [[nodiscard]] DenseMatrix operator+(const DenseMatrix& other) const;
  [[nodiscard]] DenseMatrix operator-(const DenseMatrix& other) const;
  [[nodiscard]] DenseMatrix operator*(cdouble z) const;
  [[nodiscard]] std::vector<cdouble> apply(std::span<const cdouble> v) const;
  [[nodiscard]] DenseMatrix adjoint() const;
  [[nodiscard]] bool is_diagonal() const noexcept;

  /// max_ij |A_ij - B_ij| (the dimensions must agree).
  [[nodiscard]] double max_abs_diff(const DenseMatrix& other) const;
  /// max_ij |(A^dagger A - I)_ij|.
  [[nodiscard]] double unitarity_error() const;

 private:
  Index dim_ = 0;
  std::vector<cdouble> data_;
};

inline DenseMatrix operator*(cdouble z, const DenseMatrix& m) { return m * z; }

/// a (x) b: b acts on the less significant bits (a "on the higher qubits").
[[nodiscard]] DenseMatrix kron(const DenseMatrix& a, const DenseMatrix& b);

/// exp(m) by scaling and squaring with a Taylor series (accurate to ~1e-15 for the small, modest-
/// norm matrices of gate generators).
[[nodiscard]] DenseMatrix expm(const DenseMatrix& m);

/// cos(t/2) I - i sin(t/2) P = exp(-i t/2 P) for an involution P (P^2 = I, e.g. a Pauli string).
[[nodiscard]] DenseMatrix pauli_rotation(double theta, const DenseMatrix& p);

/// Single-qubit Paulis and identity.
[[nodiscard]] DenseMatrix pauli_i();
[[nodiscard]] DenseMatrix pauli_x();
[[nodiscard]] DenseMatrix pauli_y();
[[nodiscard]] DenseMatrix pauli_z();

/// The target matrix of `kind` (what it applies to its targets when the built-in controls are 1),
/// derived independently of matrices.cpp. params must have gate_info(kind).num_params values.
/// GPhase gives the 1 x 1 matrix [e^{i theta}]. Throws std::invalid_argument for Unitary,
/// Measure, Reset and Barrier.
[[nodiscard]] DenseMatrix reference_target_matrix(GateKind kind, std::span<const double> params = {});

/// The full matrix of a gate on its signature qubits (built-in controls included), on
/// gate_info(kind).num_qubits qubits with signature qubit j = bit j (e.g. cx: bit 0 = control).
[[nodiscard]] DenseMatrix reference_gate_matrix(GateKind kind, std::span<const double> params = {});

/// The 2^n x 2^n matrix that applies `target` (dimension 2^targets.size()) to `targets` when every
/// qubit in `control_mask` has its bit in `control_values`, and the identity elsewhere. Built by
/// bit extraction: entry (i, j) is nonzero only where i and j agree outside the targets. A 1 x 1
/// `target` with no targets is a phase on the controlled subspace.
[[nodiscard]] DenseMatrix embed(const DenseMatrix& target, std::span<const Qubit> targets, int num_qubits,
                                Index control_mask = 0, Index control_values = 0);

/// Where the target matrix of an operation comes from.
enum class MatrixSource {
  Reference,  // reference_target_matrix (independent of the library)
  Library,    // qmlsim::target_matrix from matrices.cpp (to test identities of the library's matrices)
};

/// The full 2^n x 2^n matrix of one unitary operation at theta: built-in controls (the first
/// num_builtin_controls() qubits) must be 1, extra controls must equal their control_values bit.
/// Unitary uses op.matrix; GPhase is a scalar on the controlled subspace; id, u0 and barrier are
/// the identity. Throws std::invalid_argument for measure, reset or a conditioned operation.
[[nodiscard]] DenseMatrix operation_matrix(const Operation& op, int num_qubits, std::span<const double> theta = {},
                                           MatrixSource source = MatrixSource::Reference);

/// Applies one unitary operation to `state` (2^n amplitudes) without forming its full matrix:
/// every output amplitude i gathers sum_c T(r(i), c) state[i with its target bits set to c] where
/// the controls match (O(2^n 2^k); for larger n than operation_matrix can afford).
[[nodiscard]] std::vector<cdouble> apply_operation(const Operation& op, int num_qubits, std::span<const double> theta,
                                                   std::span<const cdouble> state,
                                                   MatrixSource source = MatrixSource::Reference);

/// The full matrix of a unitary circuit at theta (product of operation_matrix, in order).
[[nodiscard]] DenseMatrix circuit_matrix(const Circuit& circuit, std::span<const double> theta = {},
                                         MatrixSource source = MatrixSource::Reference);

/// Applies a unitary circuit to `state` (2^n amplitudes) by dense products, one operation at a time.
[[nodiscard]] std::vector<cdouble> apply_circuit(const Circuit& circuit, std::span<const double> theta,
                                                 std::span<const cdouble> state,
                                                 MatrixSource source = MatrixSource::Reference);

/// Same result by apply_operation, one operation at a time (for n up to ~16).
[[nodiscard]] std::vector<cdouble> apply_circuit_gather(const Circuit& circuit, std::span<const double> theta,
                                                        std::span<const cdouble> state,
                                                        MatrixSource source = MatrixSource::Reference);

/// max_i |a_i - b_i| between amplitude vectors of any precision (the sizes must agree).
template <class R>
[[nodiscard]] double max_abs_diff(std::span<const std::complex<R>> a, std::span<const cdouble> b) {
  double err = a.size() == b.size() ? 0.0 : 1e300;
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i)
    err = std::max(err, std::abs(cdouble(static_cast<double>(a[i].real()), static_cast<double>(a[i].imag())) - b[i]));
  return err;
}

/// The 2^n x 2^n matrix of an observable, built from Kronecker products of single-qubit Paulis
/// (a PauliSum) or from the outcome values (a DiagonalObservable).
[[nodiscard]] DenseMatrix dense_observable(const Observable& h, int n);

}  // namespace qmlsim::testing

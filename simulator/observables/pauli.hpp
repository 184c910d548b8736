#pragma once
/// Observables: Pauli strings with real coefficients, sums of them, their expectation values on a
/// state vector (no copy of the state) and their action H|psi>.
///
/// Conventions
/// - A PauliString is c * sigma_{q_1} sigma_{q_2} ... with sigma in {X, Y, Z} on distinct qubits and
///   a real, finite coefficient c. It is stored as two bit masks: x_mask (qubits carrying X or Y)
///   and z_mask (qubits carrying Z or Y), with Y = i X Z on each qubit, so
///       P = i^{nY} X^{x_mask} Z^{z_mask},  nY = popcount(x_mask & z_mask),
///       P |i> = i^{nY} (-1)^{popcount(i & z_mask)} |i ^ x_mask>
///   for a basis index i (qubit 0 = least significant bit, core/types.hpp). Qubits 0..63.
///   Every P is Hermitian, so with real coefficients every PauliSum is Hermitian and its
///   expectation value is real.
/// - A PauliSum holds terms with pairwise distinct Pauli operators (equal operators are combined
///   by adding coefficients; terms keep the order of first appearance). The identity string is
///   the constant term. Terms with coefficient zero are kept (simplified() drops them); the empty
///   sum is the zero operator.
///
/// Text syntax (PauliSum::parse): a sum of terms joined by '+' / '-' (the first term may carry a
/// sign, and one sign may follow an operator: "Z0 + -0.5*X1"). A term is a product of factors
/// separated by '*' or whitespace; a factor is a Pauli ('X', 'Y', 'Z', upper or lower case,
/// followed by a qubit index 0..63: "Z0", "y12"), the identity ("I", "I3": no effect), or a real
/// number ("0.5", ".5", "2", "1e-3", "1.5E+2"; two numbers need a '*' between them). Examples:
/// "0.5*Z0 Z1 - 0.2*X2 + 1.5", "Z0*Z1", "-Y3", "2 * X0 X1", "1e-3*Z5", "I". Whitespace may appear
/// anywhere between tokens, not inside one ("Z 0" is an error).
///
/// Errors: parse() throws InvalidArgument naming the 0-based column and what was expected:
///   "observable: unexpected character '%' at column 7; expected a Pauli term such as Z0",
///   "observable: qubit 1 appears twice in term 'Z1 X1' at column 3",
///   "observable: qubit 64 at column 1 out of range [0, 64)",
///   "observable: dangling '+' at column 3; expected a Pauli term such as Z0 after it",
///   "observable: coefficient '1e999' at column 0 is not finite", "observable: empty text; ...".
/// Arithmetic throws InvalidArgument when a coefficient would become non-finite.
/// expectation(s)/apply() throw InvalidArgument before touching the state when the observable
/// acts on a qubit the state lacks: "observable acts on qubit 5 but the state has 4 qubits".
///
/// Cost: expectation values group the terms by x_mask; each distinct x_mask costs one pass over
/// the state (2^n reads for diagonal terms, x_mask = 0; 2^n reads in 2^(n-1) pairs otherwise),
/// with O(terms in the group) arithmetic per amplitude, nothing allocated in proportion to 2^n
/// and O(terms) small setup. expectations() over several sums shares the passes of all sums.
/// apply() writes the output once and reads the input once per distinct x_mask, with O(terms)
/// arithmetic per amplitude. All sums are reduced in fixed chunks (core/parallel.hpp) in double
/// precision (also for float states), so results are bit-identical on any thread count.
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "simulator/core/state_vector.hpp"
#include "simulator/core/types.hpp"

namespace qmlsim {

/// One single-qubit Pauli operator.
enum class Pauli : char { I = 'I', X = 'X', Y = 'Y', Z = 'Z' };

/// Qubits a Pauli string can address: 0 .. kMaxPauliQubits-1 (one bit of a 64-bit mask each).
inline constexpr int kMaxPauliQubits = 64;

class PauliString {
 public:
  /// The identity with coefficient 1.
  PauliString() = default;
  /// coefficient * i^{popcount(x & z)} X^x Z^z (see the header comment). Throws InvalidArgument
  /// for a non-finite coefficient.
  PauliString(double coefficient, Index x_mask, Index z_mask);
  /// coefficient * `pauli` on qubit `q` (0..63; throws InvalidArgument otherwise).
  [[nodiscard]] static PauliString single(Pauli pauli, Qubit q, double coefficient = 1.0);

  [[nodiscard]] double coefficient() const noexcept { return coefficient_; }
  [[nodiscard]] Index x_mask() const noexcept { return x_mask_; }
  [[nodiscard]] Index z_mask() const noexcept { return z_mask_; }
  /// Number of Y factors.
  [[nodiscard]] int num_y() const noexcept;
  /// 1 + the largest qubit with a non-identity factor; 0 for the identity.
  [[nodiscard]] int num_qubits_needed() const noexcept;
  [[nodiscard]] bool is_identity() const noexcept { return (x_mask_ | z_mask_) == 0; }
  /// True when the operator is diagonal in the computational basis (only Z and I factors).
  [[nodiscard]] bool is_diagonal() const noexcept { return x_mask_ == 0; }
  /// The factor on qubit q (Pauli::I for q outside 0..63).
  [[nodiscard]] Pauli pauli(Qubit q) const noexcept;
  /// True if both strings have the same operator part (masks), whatever the coefficients.
  [[nodiscard]] bool same_operator(const PauliString& other) const noexcept {
    return x_mask_ == other.x_mask_ && z_mask_ == other.z_mask_;
  }
  /// The same operator with another coefficient (throws InvalidArgument if not finite).
  [[nodiscard]] PauliString with_coefficient(double coefficient) const;

  /// "0.5*Z0 Z1", qubits ascending; a coefficient of exactly 1 (or -1) is written as nothing (or
  /// "-"): "Z0", "-X1 Y2"; the identity is its coefficient: "1.5", "1". The coefficient is the
  /// shortest text that reads back to the same double, so parse(to_string()) round-trips.
  [[nodiscard]] std::string to_string() const;
  /// The operator part alone, without coefficient: "Z0 Z1", or "I" for the identity.
  [[nodiscard]] std::string operator_string() const;

  friend bool operator==(const PauliString&, const PauliString&) = default;

 private:
  double coefficient_ = 1.0;
  Index x_mask_ = 0;
  Index z_mask_ = 0;
};

/// scalar * string; throws InvalidArgument if the product is not finite.
[[nodiscard]] PauliString operator*(double scalar, const PauliString& p);
[[nodiscard]] PauliString operator*(const PauliString& p, double scalar);

class PauliSum {
 public:
  /// The zero operator (no terms).
  PauliSum() = default;
  /// The sum of `terms`, equal operators combined (first appearance order). Throws
  /// InvalidArgument if a combined coefficient is not finite.
  explicit PauliSum(std::vector<PauliString> terms);
  /// A single term (implicit: a string is a sum).
  PauliSum(const PauliString& term);  // NOLINT(google-explicit-constructor)

  /// Parses the text syntax of the header comment; throws InvalidArgument with the column.
  [[nodiscard]] static PauliSum parse(std::string_view text);

  [[nodiscard]] const std::vector<PauliString>& terms() const noexcept { return terms_; }
  [[nodiscard]] std::size_t size() const noexcept { return terms_.size(); }
  [[nodiscard]] bool empty() const noexcept { return terms_.empty(); }
  /// max over terms of num_qubits_needed(); 0 for an empty or constant sum.
  [[nodiscard]] int num_qubits_needed() const noexcept;
  /// True if every term is diagonal (only Z and I).
  [[nodiscard]] bool is_diagonal() const noexcept;
  /// The coefficient of the identity term (0 if there is none).
  [[nodiscard]] double constant() const noexcept;
  /// The same sum without the terms whose |coefficient| <= tolerance.
  [[nodiscard]] PauliSum simplified(double tolerance = 0.0) const;

  /// "0.5*Z0 Z1 - 0.2*X2 + 1.5" (terms in order; see PauliString::to_string); "0" when empty.
  /// parse(to_string()) gives back an equal sum (a zero-term sum reads back as the constant 0).
  [[nodiscard]] std::string to_string() const;

  /// Adds terms, combining equal operators (new operators are appended in order).
  PauliSum& operator+=(const PauliSum& other);
  PauliSum& operator-=(const PauliSum& other);
  /// Scales every coefficient; throws InvalidArgument if one becomes non-finite.
  PauliSum& operator*=(double scalar);

  /// Same terms in the same order.
  friend bool operator==(const PauliSum&, const PauliSum&) = default;

 private:
  std::vector<PauliString> terms_;
};

[[nodiscard]] PauliSum operator+(PauliSum a, const PauliSum& b);
[[nodiscard]] PauliSum operator-(PauliSum a, const PauliSum& b);
[[nodiscard]] PauliSum operator-(PauliSum a);
[[nodiscard]] PauliSum operator*(double scalar, PauliSum a);
[[nodiscard]] PauliSum operator*(PauliSum a, double scalar);

/// The one check that an observable fits a state: throws InvalidArgument "observable acts on
/// qubit <needed - 1> but the state has <num_qubits> qubits" when needed > num_qubits, where
/// `needed` is the observable's num_qubits_needed().
void check_observable_fits(int needed, int num_qubits);

/// <psi|H|psi> (not divided by <psi|psi>). Throws InvalidArgument if H acts on a qubit >= n.
/// Runs under `par`; bit-identical on any thread count.
template <class R>
[[nodiscard]] double expectation(const PauliSum& observable, const StateVector<R>& state, const Parallelism& par = {});

/// <psi|H_k|psi> for every sum, sharing one pass per distinct x_mask among all their terms.
/// Each result is bit-identical to expectation(observables[k], state).
template <class R>
[[nodiscard]] std::vector<double> expectations(std::span<const PauliSum> observables, const StateVector<R>& state,
                                               const Parallelism& par = {});

/// out = H |in>. `out` must be a different state with as many qubits as `in` (its previous
/// content is overwritten); throws InvalidArgument otherwise or if H acts on a qubit >= n.
/// Runs under `par`; the result does not depend on the thread count.
template <class R>
void apply(const PauliSum& observable, const StateVector<R>& in, StateVector<R>& out, const Parallelism& par = {});

extern template double expectation<double>(const PauliSum&, const StateVector<double>&, const Parallelism&);
extern template double expectation<float>(const PauliSum&, const StateVector<float>&, const Parallelism&);
extern template std::vector<double> expectations<double>(std::span<const PauliSum>, const StateVector<double>&,
                                                         const Parallelism&);
extern template std::vector<double> expectations<float>(std::span<const PauliSum>, const StateVector<float>&,
                                                        const Parallelism&);
extern template void apply<double>(const PauliSum&, const StateVector<double>&, StateVector<double>&, const Parallelism&);
extern template void apply<float>(const PauliSum&, const StateVector<float>&, StateVector<float>&, const Parallelism&);

}  // namespace qmlsim

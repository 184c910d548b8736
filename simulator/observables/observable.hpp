#pragma once
/// What gradients and batches differentiate and evaluate: a Pauli sum, or a diagonal observable
/// over the outcomes of a qubit subset (outcome probabilities, cross-entropy losses, parity
/// readouts of sampler-style models).
///
/// DiagonalObservable: H = sum_o values[o] |o><o| (x) I on the other qubits, o over the 2^k
/// outcomes of `qubits` (bit j of o = qubits[j]; qubit 0 = least significant, types.hpp). The
/// projector onto one outcome gives that outcome's probability as an expectation value.
///
/// Errors (InvalidArgument, before touching any state): repeated or negative qubit, more than 30
/// qubits ("diagonal observable: number of qubits 31 out of range [0, 30]"), a values vector that
/// is not 2^k long ("diagonal observable on 2 qubits: expects 4 values, got 3") or holds a
/// non-finite value ("diagonal observable: value of outcome 1 = nan is not finite"), and an
/// observable on a qubit the state lacks: "observable acts on qubit 5 but the state has 4 qubits".
/// Cost: expectation and apply are one pass over the state; O(2^k) memory for the values.
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "simulator/core/state_vector.hpp"
#include "simulator/core/types.hpp"
#include "simulator/observables/pauli.hpp"

namespace qmlsim {

class DiagonalObservable {
 public:
  /// Throws InvalidArgument as described in the header comment.
  DiagonalObservable(std::vector<Qubit> qubits, std::vector<double> values);
  /// |outcome><outcome| on `qubits`: its expectation is the probability of `outcome`.
  [[nodiscard]] static DiagonalObservable projector(std::vector<Qubit> qubits, Index outcome);

  [[nodiscard]] const std::vector<Qubit>& qubits() const noexcept { return qubits_; }
  [[nodiscard]] const std::vector<double>& values() const noexcept { return values_; }
  /// 1 + the largest qubit (0 when there are none: a constant).
  [[nodiscard]] int num_qubits_needed() const noexcept;
  /// "diag(q2 q0: 0, 1, 1, 0)" (values elided after 8).
  [[nodiscard]] std::string to_string() const;

 private:
  std::vector<Qubit> qubits_;
  std::vector<double> values_;
};

using Observable = std::variant<PauliSum, DiagonalObservable>;

[[nodiscard]] int num_qubits_needed(const Observable& observable) noexcept;
[[nodiscard]] std::string to_string(const Observable& observable);
/// Throws InvalidArgument "observable acts on qubit q but the state has n qubits".
void check_observable(const Observable& observable, int num_qubits);

/// <psi|H|psi> (not divided by <psi|psi>), reduced in fixed chunks under `par`: bit-identical on
/// any thread count.
template <class R>
[[nodiscard]] double expectation(const DiagonalObservable& observable, const StateVector<R>& state,
                                 const Parallelism& par = {});
template <class R>
[[nodiscard]] double expectation(const Observable& observable, const StateVector<R>& state, const Parallelism& par = {});

/// out = sum_j weights[j] H_j |in> (out must be another state of the same size; its content is
/// overwritten). The Pauli sums are combined into one sum first (one pass per distinct x mask),
/// then each diagonal observable adds in one pass. Throws InvalidArgument for mismatched sizes
/// or an observable on a missing qubit.
template <class R>
void apply_weighted(std::span<const Observable> observables, std::span<const double> weights,
                    const StateVector<R>& in, StateVector<R>& out, const Parallelism& par = {});

}  // namespace qmlsim

#pragma once
/// Shot-based estimates of an observable's expectation value, as hardware would measure it: the
/// terms are split into groups of qubit-wise commuting Pauli strings, and each group is measured
/// in its own product basis.
///
/// Grouping (greedy, in term order): a term joins the first group whose basis agrees with it on
/// every qubit both act on (X with X, Y with Y, Z with Z); otherwise it opens a new group. The
/// identity term is a constant and is never measured.
///
/// Estimation: for each group g, a copy of the state is rotated into the group's basis (H for X;
/// Sdg then H for Y; nothing for Z, and an all-Z group samples the state itself without a copy),
/// and `shots` outcomes of the group's qubits are drawn with sample_counts() from the seed
///     seed_g = splitmix64(seed + g)   (the splitmix64 output for state seed + g),
/// so groups draw distinct streams and results depend only on (seed, shots), never on the thread
/// count. Each shot gives the group's value v = sum_t c_t * (-1)^(parity of the term's qubits).
///     estimate       = constant + sum_g mean_g(v)
///     standard_error = sqrt(sum_g s_g^2 / shots),  s_g^2 the unbiased sample variance of v in g.
/// `shots` is per group: the total number of circuit executions is shots * groups.size().
///
/// Cost: one extra state vector (the rotated copy) when some group is not all-Z, O(shots) per
/// group for sampling plus O(distinct outcomes * terms in the group).
#include <cstdint>
#include <vector>

#include "simulator/core/state_vector.hpp"
#include "simulator/observables/pauli.hpp"

namespace qmlsim {

/// One set of qubit-wise commuting terms and the basis that measures them all.
struct MeasurementGroup {
  /// Basis per qubit, as Pauli masks: qubit q is measured in X if only x_mask has it, in Y if
  /// both masks have it, in Z if only z_mask has it (the union of the terms' masks).
  Index x_mask = 0;
  Index z_mask = 0;
  /// Indices into PauliSum::terms().
  std::vector<std::size_t> terms;
};

/// The greedy grouping of the header comment. Identity terms are left out.
[[nodiscard]] std::vector<MeasurementGroup> group_qubitwise_commuting(const PauliSum& observable);

struct ExpectationEstimate {
  double estimate = 0.0;
  double standard_error = 0.0;
  std::uint64_t shots = 0;  // per group
  std::size_t groups = 0;   // measured groups (0 for a constant observable)
};

/// The shot estimate of <psi|H|psi> described in the header comment. Throws InvalidArgument if
/// shots < 2 (no sample variance) or H acts on a qubit the state lacks, ResourceError if the
/// rotated copy does not fit in `memory`. Passes over the state run under `par`.
template <class R>
[[nodiscard]] ExpectationEstimate estimate_expectation(const PauliSum& observable, const StateVector<R>& state,
                                                       std::uint64_t shots, std::uint64_t seed,
                                                       const MemoryLimit& memory = {}, const Parallelism& par = {});

/// The seed of group g: splitmix64 applied to a state of seed + g.
[[nodiscard]] std::uint64_t group_seed(std::uint64_t seed, std::size_t group) noexcept;

}  // namespace qmlsim

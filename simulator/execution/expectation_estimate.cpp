#include "simulator/execution/expectation_estimate.hpp"

#include <bit>
#include <cmath>
#include <optional>
#include <string>

#include "simulator/core/bits.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/rng.hpp"
#include "simulator/execution/compiled_circuit.hpp"
#include "simulator/execution/sampling.hpp"

namespace qmlsim {
namespace {

// Two strings are qubit-wise compatible with a basis when, on every qubit both touch, they ask
// for the same Pauli. With masks: the qubits both touch are (x1|z1) & (x2|z2), and on those the
// x bits and the z bits must agree.
bool compatible(Index x1, Index z1, Index x2, Index z2) noexcept {
  const Index common = (x1 | z1) & (x2 | z2);
  return ((x1 ^ x2) & common) == 0 && ((z1 ^ z2) & common) == 0;
}

// The group's qubits, ascending (the order of the sampled outcome's bits).
std::vector<Qubit> support_of(const MeasurementGroup& g) {
  std::vector<Qubit> qubits;
  for (Index m = g.x_mask | g.z_mask; m != 0; m &= m - 1) qubits.push_back(std::countr_zero(m));
  return qubits;
}

// The rotation into the group's basis: H on X qubits, Sdg then H on Y qubits.
Circuit basis_rotation(const MeasurementGroup& g, int num_qubits) {
  Circuit c(num_qubits);
  for (Index m = g.x_mask; m != 0; m &= m - 1) {
    const Qubit q = std::countr_zero(m);
    if (g.z_mask & bit(q)) c.sdg(q);
    c.h(q);
  }
  return c;
}

struct GroupStatistics {
  double mean = 0.0;
  double variance = 0.0;  // unbiased sample variance of one shot's value
};

// Mean and sample variance of v(o) = sum_t c_t (-1)^parity(o & mask_t) over the sampled outcomes.
// Two passes over the (few) distinct outcomes, so the variance does not cancel catastrophically.
GroupStatistics statistics(const Counts& counts, const std::vector<double>& coefficients,
                           const std::vector<Index>& masks, std::uint64_t shots) {
  auto value = [&](Index outcome) {
    double v = 0.0;
    for (std::size_t t = 0; t < masks.size(); ++t) v += parity(outcome & masks[t]) ? -coefficients[t] : coefficients[t];
    return v;
  };
  const double n = static_cast<double>(shots);
  double sum = 0.0;
  for (const auto& [outcome, k] : counts) sum += static_cast<double>(k) * value(outcome);
  GroupStatistics s;
  s.mean = sum / n;
  double squares = 0.0;
  for (const auto& [outcome, k] : counts) {
    const double d = value(outcome) - s.mean;
    squares += static_cast<double>(k) * d * d;
  }
  s.variance = squares / (n - 1.0);
  return s;
}

}  // namespace

std::vector<MeasurementGroup> group_qubitwise_commuting(const PauliSum& observable) {
  std::vector<MeasurementGroup> groups;
  const auto& terms = observable.terms();
  for (std::size_t t = 0; t < terms.size(); ++t) {
    const PauliString& p = terms[t];
    if (p.is_identity()) continue;
    MeasurementGroup* home = nullptr;
    for (auto& g : groups)
      if (compatible(g.x_mask, g.z_mask, p.x_mask(), p.z_mask())) {
        home = &g;
        break;
      }
    if (!home) home = &groups.emplace_back();
    home->x_mask |= p.x_mask();
    home->z_mask |= p.z_mask();
    home->terms.push_back(t);
  }
  return groups;
}

std::uint64_t group_seed(std::uint64_t seed, std::size_t group) noexcept {
  std::uint64_t state = seed + static_cast<std::uint64_t>(group);
  return splitmix64(state);
}

template <class R>
ExpectationEstimate estimate_expectation(const PauliSum& observable, const StateVector<R>& state,
                                         std::uint64_t shots, std::uint64_t seed, const MemoryLimit& memory,
                                         const Parallelism& par) {
  if (shots < 2)
    throw InvalidArgument("expectation estimate: " + std::to_string(shots) +
                          " shots give no sample variance; use at least 2");
  check_observable_fits(observable.num_qubits_needed(), state.num_qubits());
  const std::vector<MeasurementGroup> groups = group_qubitwise_commuting(observable);
  ExpectationEstimate result;
  result.estimate = observable.constant();
  result.shots = shots;
  result.groups = groups.size();

  std::optional<StateVector<R>> rotated;  // allocated once, for the first group that needs it
  double variance_sum = 0.0;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const MeasurementGroup& group = groups[g];
    const std::vector<Qubit> qubits = support_of(group);
    const StateVector<R>* measured = &state;
    if (group.x_mask != 0) {
      if (!rotated) {
        ensure_state_memory(state.num_qubits(), sizeof(R), 2, memory, "the measurement-basis copy");
        rotated.emplace(state);
      } else {
        rotated->assign(state, par);
      }
      CompiledCircuit rotation(basis_rotation(group, state.num_qubits()));
      rotation.bind({});
      rotation.apply(*rotated, par);
      measured = &*rotated;
    }
    const Counts counts =
        sample_counts(*measured, qubits, shots, group_seed(seed, g),
                      memory.remaining_after(state_bytes(state.num_qubits(), sizeof(R)) * (rotated ? 2 : 1)), par);
    // Each term's qubits as bits of the sampled outcome (outcome bit j = qubits[j]).
    std::vector<double> coefficients;
    std::vector<Index> masks;
    for (std::size_t t : group.terms) {
      const PauliString& p = observable.terms()[t];
      coefficients.push_back(p.coefficient());
      masks.push_back(extract_bits(p.x_mask() | p.z_mask(), qubits.data(), static_cast<int>(qubits.size())));
    }
    const GroupStatistics s = statistics(counts, coefficients, masks, shots);
    result.estimate += s.mean;
    variance_sum += s.variance / static_cast<double>(shots);
  }
  result.standard_error = std::sqrt(variance_sum);
  return result;
}

template ExpectationEstimate estimate_expectation<double>(const PauliSum&, const StateVector<double>&, std::uint64_t,
                                                          std::uint64_t, const MemoryLimit&, const Parallelism&);
template ExpectationEstimate estimate_expectation<float>(const PauliSum&, const StateVector<float>&, std::uint64_t,
                                                         std::uint64_t, const MemoryLimit&, const Parallelism&);

}  // namespace qmlsim

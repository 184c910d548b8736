#include "simulator/execution/parameter_shift.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <string>

#include "simulator/core/errors.hpp"
#include "simulator/execution/expectation_estimate.hpp"
#include "simulator/execution/sampling.hpp"
#include "simulator/gates/derivatives.hpp"

namespace qmlsim {
namespace {

// Shortest text that reads back to the same double ("1e-05", "0.001", "inf"), for messages.
std::string format_double(double x) {
  std::array<char, 32> buf{};
  const auto res = std::to_chars(buf.data(), buf.data() + buf.size(), x);
  return std::string(buf.data(), res.ptr);
}

void check_no_trajectories(const CompiledCircuit& circuit, const char* method) {
  const std::string reason = circuit.circuit().trajectory_reason();
  if (!reason.empty())
    throw InvalidArgument(std::string(method) + ": no gradient of a single final state: " + reason +
                          "; the circuit must run shot by shot");
}

// Slot of each parameter in the output (-1 when not selected).
std::vector<int> slots_of(const std::vector<int>& wrt, int num_parameters) {
  std::vector<int> slot(static_cast<std::size_t>(num_parameters), -1);
  for (std::size_t s = 0; s < wrt.size(); ++s) slot[static_cast<std::size_t>(wrt[s])] = static_cast<int>(s);
  return slot;
}

struct Estimate {
  double value = 0.0;
  double standard_error = 0.0;
};

// One value of f: exact, or estimated from `shots` samples drawn with `seed`.
Estimate evaluate(const Observable& observable, const StateVector<double>& state, std::uint64_t shots,
                  std::uint64_t seed, const MemoryLimit& memory, const Parallelism& par) {
  if (shots == 0) return {expectation(observable, state, par), 0.0};
  if (const auto* sum = std::get_if<PauliSum>(&observable)) {
    const ExpectationEstimate e = estimate_expectation(*sum, state, shots, seed, memory, par);
    return {e.estimate, e.standard_error};
  }
  const auto& diag = std::get<DiagonalObservable>(observable);
  const std::vector<double>& values = diag.values();
  if (diag.qubits().empty()) return {values[0], 0.0};  // a constant: nothing to measure
  const Counts counts = sample_counts(state, std::span<const Qubit>(diag.qubits()), shots, seed, memory, par);
  // Two passes over the distinct outcomes (mean, then squared deviations): no cancellation.
  double sum = 0.0;
  for (const auto& [outcome, count] : counts) sum += static_cast<double>(count) * values[outcome];
  const double n = static_cast<double>(shots);
  const double mean = sum / n;
  double squares = 0.0;
  for (const auto& [outcome, count] : counts) {
    const double d = values[outcome] - mean;
    squares += static_cast<double>(count) * d * d;
  }
  return {mean, std::sqrt(squares / (n - 1.0) / n)};
}

void check_shape(const CompiledCircuit& bound, int num_qubits, int num_parameters, const char* method) {
  if (bound.num_qubits() != num_qubits || bound.num_parameters() != num_parameters)
    throw InvalidArgument(std::string(method) + ": planned for a circuit on " + std::to_string(num_qubits) +
                          " qubits with " + std::to_string(num_parameters) + " parameters; given one on " +
                          std::to_string(bound.num_qubits()) + " qubits with " +
                          std::to_string(bound.num_parameters()) + " parameters");
  if (!bound.is_bound())
    throw InvalidArgument(std::string(method) + ": circuit has " + std::to_string(bound.num_parameters()) +
                          " unbound parameter" + (bound.num_parameters() == 1 ? "" : "s") +
                          "; bind values before taking the gradient");
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Parameter shift

ParameterShiftGradient::ParameterShiftGradient(const CompiledCircuit& circuit, std::span<const int> wrt,
                                               SimulatorOptions options)
    : options_(options),
      wrt_(resolve_selection(wrt, circuit.num_parameters())),
      num_qubits_(circuit.num_qubits()),
      num_parameters_(circuit.num_parameters()),
      num_records_(circuit.records().size()),
      fingerprint_(circuit.fingerprint()) {
  check_no_trajectories(circuit, "parameter shift");
  const std::vector<int> slot = slots_of(wrt_, num_parameters_);
  const auto& ops = circuit.circuit().operations();
  const auto& records = circuit.records();
  // The plan follows the records, i.e. circuit order. An uncontrolled gphase has no record of its
  // own (its phase is folded into another record's matrix and survives rebind_record unchanged):
  // a global phase is not observable, so it is skipped here without a run. A controlled gphase
  // is a Phase record and is shifted like any gate.
  for (std::size_t ri = 0; ri < records.size(); ++ri) {
    const Record& r = records[ri];
    if (r.op < 0) continue;
    const Operation& op = ops[static_cast<std::size_t>(r.op)];
    if (op.params.empty() || op.kind == GateKind::Unitary) continue;
    for (std::size_t j = 0; j < op.params.size(); ++j) {
      const auto first = static_cast<std::uint32_t>(terms_.size());
      for (int p : op.params[j].parameters())
        if (slot[static_cast<std::size_t>(p)] >= 0) terms_.push_back({p, slot[static_cast<std::size_t>(p)]});
      const auto last = static_cast<std::uint32_t>(terms_.size());
      if (first == last) continue;
      const ParamSpectrum base = param_spectrum(op.kind, static_cast<int>(j));
      const ShiftRule rule = shift_rule(op.control_mask != 0 ? controlled_spectrum(base) : base);
      if (rule == ShiftRule::None) {
        terms_.resize(first);
        continue;
      }
      shifts_.push_back({static_cast<std::uint32_t>(ri), static_cast<std::uint32_t>(j), rule, first, last});
    }
  }
}

std::uint64_t ParameterShiftGradient::evaluations() const noexcept {
  std::uint64_t runs = 1;
  for (const Shift& s : shifts_) runs += shift_terms(s.rule).size();
  return runs;
}

GradientResult ParameterShiftGradient::gradient(const CompiledCircuit& bound, const Observable& observable,
                                                ShotOptions shots) const {
  constexpr const char* kMethod = "parameter shift";
  check_shape(bound, num_qubits_, num_parameters_, kMethod);
  if (bound.records().size() != num_records_ || bound.fingerprint() != fingerprint_)
    throw InvalidArgument(std::string(kMethod) + ": the circuit is not the one the gradient was planned for");
  check_observable(observable, num_qubits_);
  if (shots.shots == 1)
    throw InvalidArgument(std::string(kMethod) +
                          ": shots = 1 gives no standard error; use shots >= 2 (or 0 for exact values)");
  ensure_state_memory(num_qubits_, sizeof(double), 1, options_.memory, "parameter shift");

  CompiledCircuit shifted = bound;  // the copy whose records are moved one at a time
  const std::span<const double> theta = bound.theta();
  const auto& ops = bound.circuit().operations();
  StateVector<double> state(num_qubits_, options_.parallel, options_.memory);

  std::uint64_t run_index = 0;
  auto run = [&]() -> Estimate {
    state.set_zero_state(options_.parallel);
    shifted.apply(state, options_.parallel);
    return evaluate(observable, state, shots.shots, group_seed(shots.seed, run_index++), options_.memory,
                    options_.parallel);
  };

  GradientResult result;
  const Estimate f0 = run();
  result.value = f0.value;
  result.value_standard_error = f0.standard_error;
  result.gradient.assign(wrt_.size(), 0.0);
  std::vector<double> variance(wrt_.size(), 0.0);

  std::array<double, kMaxGateParams> angles{};
  for (const Shift& s : shifts_) {
    const Record& r = bound.records()[s.record];
    const Operation& op = ops[static_cast<std::size_t>(r.op)];
    const std::size_t np = op.params.size();
    for (std::size_t k = 0; k < np; ++k) angles[k] = op.params[k].value(theta);
    const double a = angles[s.param];
    double dfda = 0.0, dfda_variance = 0.0;
    for (const ShiftTerm& t : shift_terms(s.rule)) {
      angles[s.param] = a + t.shift;
      shifted.rebind_record(s.record, std::span<const double>(angles.data(), np));
      const Estimate f = run();
      dfda += t.coefficient * f.value;
      dfda_variance += t.coefficient * t.coefficient * f.standard_error * f.standard_error;
    }
    angles[s.param] = a;
    shifted.rebind_record(s.record, std::span<const double>(angles.data(), np));  // restore
    for (std::uint32_t ti = s.first_term; ti < s.last_term; ++ti) {
      const Term& term = terms_[ti];
      const double d = op.params[s.param].derivative(theta, term.index);
      const auto slot = static_cast<std::size_t>(term.slot);
      result.gradient[slot] += d * dfda;
      variance[slot] += d * d * dfda_variance;  // the runs of different angles are independent
    }
  }
  if (shots.shots > 0) {
    result.standard_error.resize(wrt_.size());
    for (std::size_t i = 0; i < wrt_.size(); ++i) result.standard_error[i] = std::sqrt(variance[i]);
  }
  result.circuit_evaluations = run_index;
  return result;
}

// ---------------------------------------------------------------------------------------------
// Finite differences

FiniteDifferenceGradient::FiniteDifferenceGradient(const CompiledCircuit& circuit, std::span<const int> wrt,
                                                   double step, int order, SimulatorOptions options)
    : options_(options),
      wrt_(resolve_selection(wrt, circuit.num_parameters())),
      step_(step),
      order_(order),
      num_qubits_(circuit.num_qubits()),
      num_parameters_(circuit.num_parameters()) {
  if (!(std::isfinite(step) && step > 0.0))
    throw InvalidArgument("finite difference: step " + format_double(step) + " must be positive and finite");
  if (order != 2 && order != 4)
    throw InvalidArgument("finite difference: order " + std::to_string(order) + " is not supported; use 2 or 4");
  check_no_trajectories(circuit, "finite difference");
}

GradientResult FiniteDifferenceGradient::gradient(const CompiledCircuit& bound, const Observable& observable) const {
  check_shape(bound, num_qubits_, num_parameters_, "finite difference");
  check_observable(observable, num_qubits_);
  ensure_state_memory(num_qubits_, sizeof(double), 1, options_.memory, "finite difference");

  CompiledCircuit moved = bound;
  const std::vector<double> theta(bound.theta().begin(), bound.theta().end());
  std::vector<double> point = theta;
  StateVector<double> state(num_qubits_, options_.parallel, options_.memory);
  GradientResult result;
  auto run = [&]() {
    state.set_zero_state(options_.parallel);
    moved.apply(state, options_.parallel);
    ++result.circuit_evaluations;
    return expectation(observable, state, options_.parallel);
  };
  auto at = [&](std::size_t p, double delta) {
    point[p] = theta[p] + delta;
    moved.bind(point);
    const double f = run();
    point[p] = theta[p];
    return f;
  };

  result.value = run();
  result.gradient.reserve(wrt_.size());
  const double h = step_;
  for (int index : wrt_) {
    const auto p = static_cast<std::size_t>(index);
    if (order_ == 2) {
      result.gradient.push_back((at(p, h) - at(p, -h)) / (2 * h));
    } else {
      const double fp1 = at(p, h), fm1 = at(p, -h), fp2 = at(p, 2 * h), fm2 = at(p, -2 * h);
      result.gradient.push_back((-fp2 + 8 * fp1 - 8 * fm1 + fm2) / (12 * h));
    }
  }
  return result;
}

}  // namespace qmlsim

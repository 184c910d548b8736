#include "simulator/execution/parameter_shift.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "simulator/core/validate.hpp"
#include "simulator/execution/expectation_estimate.hpp"
#include "simulator/execution/sampling.hpp"
#include "simulator/gates/derivatives.hpp"

namespace qmlsim {
namespace {

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

void check_shots(std::uint64_t shots) {
  if (shots == 1)
    throw InvalidArgument("parameter shift: shots = 1 gives no standard error; use shots >= 2 (or 0 for exact values)");
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Parameter shift

ParameterShiftGradient::ParameterShiftGradient(const CompiledCircuit& circuit, std::span<const int> wrt,
                                               SimulatorOptions options, std::uint64_t shots)
    : GradientMethod(GradientPlan::make(circuit, wrt, "parameter shift"), options), shots_(shots) {
  check_shots(shots);
  // The plan follows the records, i.e. circuit order. An uncontrolled gphase has no record of its
  // own (its phase is folded into another record's matrix and survives rebind_record unchanged):
  // a global phase is not observable, so the plan has no angle and no run for it. A controlled
  // gphase is a Phase record and is shifted like any gate. The rule is the plan's only addition.
  const auto& ops = circuit.circuit().operations();
  rules_.reserve(plan_.angles.size());
  for (const GradientPlan::Angle& a : plan_.angles) {
    const Operation& op = ops[static_cast<std::size_t>(circuit.records()[a.record].op)];
    const ParamSpectrum base = param_spectrum(op.kind, static_cast<int>(a.param));
    rules_.push_back(shift_rule(op.control_mask != 0 ? controlled_spectrum(base) : base));
  }
}

std::uint64_t ParameterShiftGradient::evaluations() const noexcept {
  std::uint64_t runs = 1;
  for (ShiftRule rule : rules_) runs += shift_terms(rule).size();
  return runs;
}

std::unique_ptr<GradientMethod::Workspace> ParameterShiftGradient::make_workspace(int num_qubits,
                                                                                  const MemoryLimit& memory,
                                                                                  const Parallelism& par) const {
  return std::make_unique<SingleStateWorkspace>(num_qubits, memory, par);
}

void ParameterShiftGradient::gradient_into(CompiledCircuit& circuit, const Observable& observable, std::uint64_t seed,
                                           Workspace& workspace, GradientResult& out, const Parallelism& par) const {
  auto* ws = dynamic_cast<SingleStateWorkspace*>(&workspace);
  if (!ws) throw InvalidArgument("parameter shift: the workspace was not made by this method");
  run(circuit, observable, ShotOptions{shots_, seed}, ws->state, out, par);
}

GradientResult ParameterShiftGradient::gradient(const CompiledCircuit& bound, const Observable& observable,
                                                ShotOptions shots) const {
  plan_.check(bound, "parameter shift");  // the order of the checks: circuit, observable, shots
  check_observable(observable, plan_.num_qubits);
  check_shots(shots.shots);
  ensure_state_memory(plan_.num_qubits, sizeof(double), 1, options_.memory, "parameter shift");
  CompiledCircuit shifted = bound;  // the copy whose records are moved one at a time
  StateVector<double> state(plan_.num_qubits, options_.parallel, options_.memory);
  GradientResult out;
  run(shifted, observable, shots, state, out, options_.parallel);
  return out;
}

void ParameterShiftGradient::run(CompiledCircuit& shifted, const Observable& observable, ShotOptions shots,
                                 StateVector<double>& state, GradientResult& result, const Parallelism& par) const {
  constexpr const char* kMethod = "parameter shift";
  plan_.check(shifted, kMethod);
  check_observable(observable, plan_.num_qubits);
  check_shots(shots.shots);
  if (state.num_qubits() != plan_.num_qubits)
    throw InvalidArgument(std::string(kMethod) + ": the workspace is not sized for this circuit");
  const std::span<const double> theta = shifted.theta();
  const auto& ops = shifted.circuit().operations();

  std::uint64_t run_index = 0;
  auto evaluate_run = [&]() -> Estimate {
    state.set_zero_state(par);
    shifted.apply(state, par);
    return evaluate(observable, state, shots.shots, group_seed(shots.seed, run_index++), options_.memory, par);
  };

  const Estimate f0 = evaluate_run();
  result.value = f0.value;
  result.value_standard_error = f0.standard_error;
  result.gradient.assign(plan_.wrt.size(), 0.0);
  result.standard_error.clear();
  std::vector<double> variance(plan_.wrt.size(), 0.0);

  std::array<double, kMaxGateParams> angles{};
  for (std::size_t ai = 0; ai < plan_.angles.size(); ++ai) {
    const GradientPlan::Angle& s = plan_.angles[ai];
    const Record& r = shifted.records()[s.record];
    const Operation& op = ops[static_cast<std::size_t>(r.op)];
    const std::size_t np = op.params.size();
    for (std::size_t k = 0; k < np; ++k) angles[k] = op.params[k].value(theta);
    const double a = angles[s.param];
    double dfda = 0.0, dfda_variance = 0.0;
    for (const ShiftTerm& t : shift_terms(rules_[ai])) {
      angles[s.param] = a + t.shift;
      shifted.rebind_record(s.record, std::span<const double>(angles.data(), np));
      const Estimate f = evaluate_run();
      dfda += t.coefficient * f.value;
      dfda_variance += t.coefficient * t.coefficient * f.standard_error * f.standard_error;
    }
    angles[s.param] = a;
    shifted.rebind_record(s.record, std::span<const double>(angles.data(), np));  // restore
    for (std::uint32_t ti = s.first; ti < s.last; ++ti) {
      const GradientPlan::Term& term = plan_.terms[ti];
      const double d = GradientPlan::derivative(op.params[s.param], theta, term.index);
      const auto slot = static_cast<std::size_t>(term.slot);
      result.gradient[slot] += d * dfda;
      variance[slot] += d * d * dfda_variance;  // the runs of different angles are independent
    }
  }
  if (shots.shots > 0) {
    result.standard_error.resize(plan_.wrt.size());
    for (std::size_t i = 0; i < plan_.wrt.size(); ++i) result.standard_error[i] = std::sqrt(variance[i]);
  }
  result.circuit_evaluations = run_index;
}

// ---------------------------------------------------------------------------------------------
// Finite differences

FiniteDifferenceGradient::FiniteDifferenceGradient(const CompiledCircuit& circuit, std::span<const int> wrt,
                                                   double step, int order, SimulatorOptions options)
    : GradientMethod(GradientPlan::make(circuit, wrt, "finite difference"), options), step_(step), order_(order) {
  check_positive(step, "finite difference: step");
  if (order != 2 && order != 4)
    throw InvalidArgument("finite difference: order " + std::to_string(order) + " is not supported; use 2 or 4");
}

std::unique_ptr<GradientMethod::Workspace> FiniteDifferenceGradient::make_workspace(int num_qubits,
                                                                                    const MemoryLimit& memory,
                                                                                    const Parallelism& par) const {
  return std::make_unique<SingleStateWorkspace>(num_qubits, memory, par);
}

void FiniteDifferenceGradient::gradient_into(CompiledCircuit& moved, const Observable& observable,
                                             std::uint64_t /*seed*/, Workspace& workspace, GradientResult& result,
                                             const Parallelism& par) const {
  auto* ws = dynamic_cast<SingleStateWorkspace*>(&workspace);
  if (!ws) throw InvalidArgument("finite difference: the workspace was not made by this method");
  plan_.check(moved, "finite difference");
  check_observable(observable, plan_.num_qubits);
  StateVector<double>& state = ws->state;
  if (state.num_qubits() != plan_.num_qubits)
    throw InvalidArgument("finite difference: the workspace is not sized for this circuit");
  const std::vector<double> theta(moved.theta().begin(), moved.theta().end());
  std::vector<double> point = theta;
  result.circuit_evaluations = 0;
  result.standard_error.clear();
  result.value_standard_error = 0.0;
  auto run = [&]() {
    state.set_zero_state(par);
    moved.apply(state, par);
    ++result.circuit_evaluations;
    return expectation(observable, state, par);
  };
  auto at = [&](std::size_t p, double delta) {
    point[p] = theta[p] + delta;
    moved.bind(point);
    const double f = run();
    point[p] = theta[p];
    return f;
  };

  result.value = run();
  result.gradient.clear();
  result.gradient.reserve(plan_.wrt.size());
  const double h = step_;
  for (int index : plan_.wrt) {
    const auto p = static_cast<std::size_t>(index);
    if (order_ == 2) {
      result.gradient.push_back((at(p, h) - at(p, -h)) / (2 * h));
    } else {
      const double fp1 = at(p, h), fm1 = at(p, -h), fp2 = at(p, 2 * h), fm2 = at(p, -2 * h);
      result.gradient.push_back((-fp2 + 8 * fp1 - 8 * fm1 + fm2) / (12 * h));
    }
  }
  if (!plan_.wrt.empty()) moved.bind(theta);  // restore the binding
}

}  // namespace qmlsim

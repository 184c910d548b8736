#include "simulator/execution/gradient_plan.hpp"

#include <algorithm>
#include <string>

#include "simulator/core/validate.hpp"
#include "simulator/gates/derivatives.hpp"

namespace qmlsim {

std::vector<int> resolve_selection(std::span<const int> wrt, int num_parameters) {
  std::vector<int> out;
  if (wrt.empty()) {
    out.resize(static_cast<std::size_t>(num_parameters));
    for (int p = 0; p < num_parameters; ++p) out[static_cast<std::size_t>(p)] = p;
    return out;
  }
  std::vector<bool> seen(static_cast<std::size_t>(num_parameters), false);
  for (int p : wrt) {
    check_index(p, num_parameters, "gradient with respect to parameter");
    if (seen[static_cast<std::size_t>(p)])
      throw InvalidArgument("gradient with respect to parameter " + std::to_string(p) + ": selected twice");
    seen[static_cast<std::size_t>(p)] = true;
    out.push_back(p);
  }
  return out;
}

GradientPlan GradientPlan::make(const CompiledCircuit& circuit, std::span<const int> wrt, std::string_view method) {
  GradientPlan plan;
  plan.wrt = resolve_selection(wrt, circuit.num_parameters());
  plan.num_qubits = circuit.num_qubits();
  plan.num_parameters = circuit.num_parameters();
  plan.num_records = circuit.records().size();
  plan.fingerprint = circuit.fingerprint();
  const std::string reason = circuit.circuit().trajectory_reason();
  if (!reason.empty())
    throw InvalidArgument(std::string(method) + ": " + no_single_final_state(reason) +
                          "; gradients need every measurement at the end of the circuit");
  std::vector<std::int32_t> slot(static_cast<std::size_t>(plan.num_parameters), -1);
  for (std::size_t s = 0; s < plan.wrt.size(); ++s)
    slot[static_cast<std::size_t>(plan.wrt[s])] = static_cast<std::int32_t>(s);
  const auto& ops = circuit.circuit().operations();
  plan.stop = plan.num_records;
  plan.steps.resize(plan.num_records);
  for (std::size_t i = 0; i < plan.num_records; ++i) {
    const Record& r = circuit.records()[i];
    Step& step = plan.steps[i];
    step.first_angle = step.last_angle = static_cast<std::uint32_t>(plan.angles.size());
    if (r.op < 0) continue;  // fused or folded: no operation of its own
    const Operation& op = ops[static_cast<std::size_t>(r.op)];
    if (op.kind == GateKind::Unitary || !op.is_unitary()) continue;
    for (std::size_t j = 0; j < op.params.size(); ++j) {
      if (param_spectrum(op.kind, static_cast<int>(j)) == ParamSpectrum::Constant) continue;
      const auto first = static_cast<std::uint32_t>(plan.terms.size());
      for (int p : op.params[j].parameters())
        if (slot[static_cast<std::size_t>(p)] >= 0) plan.terms.push_back({p, slot[static_cast<std::size_t>(p)]});
      if (plan.terms.size() == first) continue;
      plan.angles.push_back({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j), first,
                             static_cast<std::uint32_t>(plan.terms.size())});
    }
    step.last_angle = static_cast<std::uint32_t>(plan.angles.size());
    if (step.last_angle > step.first_angle) plan.stop = std::min(plan.stop, i);
  }
  return plan;
}

void GradientPlan::check(const CompiledCircuit& bound, std::string_view method) const {
  check_structure(bound, method);
  if (!bound.is_bound())
    throw InvalidArgument(std::string(method) + ": circuit has " + plural(num_parameters, "unbound parameter") +
                          "; bind values before taking the gradient");
}

void GradientPlan::check_structure(const CompiledCircuit& bound, std::string_view method) const {
  const std::string m(method);
  if (bound.num_qubits() != num_qubits || bound.num_parameters() != num_parameters)
    throw InvalidArgument(m + ": the circuit is not the one the gradient was planned for (planned for a circuit on " +
                          std::to_string(num_qubits) + " qubits with " + plural(num_parameters, "parameter") +
                          "; given one on " + std::to_string(bound.num_qubits()) + " qubits with " +
                          plural(bound.num_parameters(), "parameter") + ")");
  if (bound.records().size() != num_records || bound.fingerprint() != fingerprint)
    throw InvalidArgument(m + ": the circuit is not the one the gradient was planned for");
}

}  // namespace qmlsim

#include "simulator/execution/batch.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <string>

#include "simulator/core/validate.hpp"

namespace qmlsim {
namespace {

// Runs f(scratch[w], i) for every item i, worker w taking the contiguous items
// [items * w / W, items * (w + 1) / W). With one worker the calling thread runs them in order
// (kernels inside may be parallel); with more, one parallel region hands each thread whole
// workers. If OpenMP grants fewer threads, a thread runs several workers one after another, each
// with its own scratch, so no item ever shares scratch with another running item.
// Exceptions must not cross the parallel region: each worker stops at its first failing item and
// keeps the exception (an InvalidArgument gains the item's name: "batch row 7: ..."); the lowest
// failing worker's is rethrown, which is the earliest failing item overall (every item before it,
// in earlier workers, succeeded): the same on any thread count.
template <class Scratch, class F>
void for_each_item(std::size_t items, std::vector<Scratch>& scratch, const char* item_name, F&& f) {
  const auto run = [&](Scratch& s, std::size_t begin, std::size_t end) {
    std::size_t i = begin;
    try {
      for (; i < end; ++i) f(s, i);
    } catch (const InvalidArgument& e) {
      throw InvalidArgument(std::string(item_name) + " " + std::to_string(i) + ": " + e.what());
    }
  };
  const auto workers = static_cast<Index>(scratch.size());
  if (workers <= 1) {
    run(scratch[0], 0, items);
    return;
  }
  std::vector<std::exception_ptr> errors(scratch.size());
  __extension__ using u128 = unsigned __int128;  // items * w must not overflow for huge shot counts
  const auto bound = [&](Index w) { return static_cast<std::size_t>(static_cast<u128>(items) * w / workers); };
  parallel_for(workers, 1, Parallelism{static_cast<int>(workers), 0}, [&](Index w0, Index w1) noexcept {
    for (Index w = w0; w < w1; ++w) {
      try {
        run(scratch[w], bound(w), bound(w + 1));
      } catch (...) {
        errors[w] = std::current_exception();
      }
    }
  });
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
}

void check_rows(const ParameterRows& rows, const Circuit& circuit) {
  const auto width = static_cast<std::size_t>(circuit.num_parameters());
  check_count(rows.width, width, "batch rows", "parameter value");
  check_count(rows.values.size(), rows.count * rows.width,
              [&] { return "a batch of " + plural(rows.count, "row") + " of " + plural(rows.width, "value"); }, "value");
  for (std::size_t i = 0; i < rows.count; ++i)
    for (std::size_t p = 0; p < width; ++p)
      check_finite(rows.values[i * width + p], [&] {
        return "batch row " + std::to_string(i) + ": parameter " + parameter_name(p, circuit.parameter_names());
      });
}

// `what` names the call ("expectations"): the message starts with it.
void check_state_based(const Circuit& circuit, std::string_view what) {
  if (!circuit.needs_trajectories()) return;
  std::string message(what);
  message += ": ";
  message += no_single_final_state(circuit.trajectory_reason());
  message += "; sample it shot by shot instead";
  throw InvalidArgument(message);
}

void check_observables(std::span<const Observable> observables, int num_qubits) {
  for (const Observable& h : observables) check_observable(h, num_qubits);
}

void check_weights(std::span<const double> weights, std::size_t rows, std::size_t m) {
  check_count(weights.size(), rows * m,
              [&] { return "a batch of " + plural(rows, "row") + " and " + plural(m, "observable"); }, "weight");
  for (std::size_t k = 0; k < weights.size(); ++k)
    check_finite(weights[k], [&] {
      return "batch row " + std::to_string(k / m) + ": weight of observable " + std::to_string(k % m);
    });
}

// The observables split once per call: the Pauli sums evaluated together (one pass per distinct
// x mask over all of them, each value bit-identical to its own expectation()), the diagonal ones
// one pass each.
struct ObservableSplit {
  std::vector<PauliSum> paulis;
  std::vector<std::size_t> pauli_slot;
  std::vector<std::size_t> diagonal_slot;
  explicit ObservableSplit(std::span<const Observable> observables) {
    for (std::size_t j = 0; j < observables.size(); ++j) {
      if (const auto* p = std::get_if<PauliSum>(&observables[j])) {
        paulis.push_back(*p);
        pauli_slot.push_back(j);
      } else {
        diagonal_slot.push_back(j);
      }
    }
  }
  void evaluate(std::span<const Observable> observables, const StateVector<double>& state, double* out,
                const Parallelism& par) const {
    if (!paulis.empty()) {
      const std::vector<double> v = qmlsim::expectations(std::span<const PauliSum>(paulis), state, par);
      for (std::size_t k = 0; k < v.size(); ++k) out[pauli_slot[k]] = v[k];
    }
    for (std::size_t j : diagonal_slot) out[j] = expectation(std::get<DiagonalObservable>(observables[j]), state, par);
  }
};

// Workers sit side by side in a vector and write their own members on every item (bind() sets the
// circuit's flags and theta): each starts on its own cache line, so that no two workers write to
// one line. Without this the 4-qubit expectation batch ran 1.3x faster on 2 threads instead of
// 1.9x (false sharing between a worker's circuit and the next worker's first members).
inline constexpr std::size_t kCacheLine = 64;

// A worker of the state-based calls: its own copy of the compiled circuit (bind() rewrites it) and
// its state.
struct alignas(kCacheLine) StateWorker {
  CompiledCircuit circuit;
  StateVector<double> state;
};

// states(): the outputs are the states; a worker only needs its circuit.
struct alignas(kCacheLine) CircuitWorker {
  CompiledCircuit circuit;
};

std::vector<StateWorker> make_state_workers(const CompiledCircuit& compiled, const BatchPlan& plan,
                                            const MemoryLimit& memory) {
  ensure_state_memory(compiled.num_qubits(), sizeof(double), plan.workers, memory, "batch");
  std::vector<StateWorker> workers;
  workers.reserve(static_cast<std::size_t>(plan.workers));
  for (int w = 0; w < plan.workers; ++w)
    workers.push_back(StateWorker{compiled, StateVector<double>(compiled.num_qubits(), plan.per_item, memory)});
  return workers;
}

// One row's final state in the worker's state, under the plan's per-item policy.
void run_row(StateWorker& w, std::span<const double> theta, const Parallelism& par) {
  w.circuit.bind(theta);
  w.state.set_zero_state(par);
  w.circuit.apply(w.state, par);
}

struct alignas(kCacheLine) GradientWorker {
  CompiledCircuit circuit;
  AdjointWorkspace workspace;
  std::vector<double> unit_weights;  // jacobian(): weight 1 on one observable
  std::vector<double> values;        // jacobian(): the values of the sweeps after the first
};

std::vector<GradientWorker> make_gradient_workers(const CompiledCircuit& compiled, const BatchPlan& plan,
                                                  const MemoryLimit& memory, std::size_t m) {
  ensure_state_memory(compiled.num_qubits(), sizeof(double), 2 * plan.workers, memory, "batch gradients");
  std::vector<GradientWorker> workers;
  workers.reserve(static_cast<std::size_t>(plan.workers));
  for (int w = 0; w < plan.workers; ++w)
    workers.push_back(GradientWorker{compiled, AdjointWorkspace(compiled.num_qubits(), plan.per_item, memory),
                                     std::vector<double>(m, 0.0), std::vector<double>(m, 0.0)});
  return workers;
}

// One outcome over all qubits, drawn with `rng` by a serial walk (once per trajectory).
template <class R>
Index sample_one(const StateVector<R>& state, Rng& rng, const Parallelism& par) {
  const double u = rng.uniform() * state.norm_squared(par);
  double cum = 0.0;
  Index last = 0;
  for (Index i = 0; i < state.size(); ++i) {
    const double p = static_cast<double>(std::norm(state[i]));
    if (p == 0.0) continue;
    last = i;
    cum += p;
    if (u < cum) return i;
  }
  return last;  // rounding left u just past the total
}

}  // namespace

ParameterRows ParameterRows::of(std::span<const double> values, std::size_t width) {
  if (width == 0)
    throw InvalidArgument("ParameterRows::of: rows of 0 values have no count; set ParameterRows::count directly");
  if (values.size() % width != 0)
    throw InvalidArgument("ParameterRows::of: " + std::to_string(values.size()) +
                          " values are not a whole number of rows of " + std::to_string(width));
  return ParameterRows{values, values.size() / width, width};
}

std::vector<double> make_rows(int num_parameters, std::span<const int> input_indices, ParameterRows inputs,
                              std::span<const int> weight_indices, std::span<const double> weights) {
  check_non_negative(num_parameters, "make_rows: parameter count");
  check_count(inputs.width, input_indices.size(), "make_rows: input rows (one value per input index)", "value");
  check_count(inputs.values.size(), inputs.count * inputs.width, [&] {
    return "make_rows: " + plural(inputs.count, "input row") + " of " + plural(inputs.width, "value");
  }, "value");
  check_count(weights.size(), weight_indices.size(), "make_rows: weights (one per weight index)", "weight");
  const auto np = static_cast<std::size_t>(num_parameters);
  // Who covers each parameter: 0 nobody, k + 1 input k, -(k + 1) weight k.
  std::vector<long> source(np, 0);
  const auto claim = [&](int index, long who, const char* kind, std::size_t k) {
    check_index(index, num_parameters,
                [&] { return std::string("make_rows: ") + kind + " " + std::to_string(k) + ": parameter index"; });
    long& s = source[static_cast<std::size_t>(index)];
    if (s != 0)
      throw InvalidArgument("make_rows: parameter " + std::to_string(index) + " is given twice (" +
                            (s > 0 ? "input " + std::to_string(s - 1) : "weight " + std::to_string(-s - 1)) + " and " +
                            kind + " " + std::to_string(k) + ")");
    s = who;
  };
  for (std::size_t k = 0; k < input_indices.size(); ++k) claim(input_indices[k], static_cast<long>(k) + 1, "input", k);
  for (std::size_t k = 0; k < weight_indices.size(); ++k)
    claim(weight_indices[k], -static_cast<long>(k) - 1, "weight", k);
  for (std::size_t p = 0; p < np; ++p)
    if (source[p] == 0)
      throw InvalidArgument("make_rows: parameter " + std::to_string(p) + " is neither an input nor a weight");

  std::vector<double> rows(inputs.count * np);
  for (std::size_t i = 0; i < inputs.count; ++i) {
    double* row = rows.data() + i * np;
    const std::span<const double> x = inputs.row(i);
    for (std::size_t k = 0; k < input_indices.size(); ++k) row[input_indices[k]] = x[k];
    for (std::size_t k = 0; k < weight_indices.size(); ++k) row[weight_indices[k]] = weights[k];
  }
  return rows;
}

BatchPlan plan_batch(int num_qubits, std::size_t items, const Parallelism& par) {
  BatchPlan plan;
  plan.per_item = par;
  if (items < 2 || num_qubits < 0 || num_qubits >= 63 || in_parallel_region()) return plan;
  // A gate on a state this small runs on one thread whatever `par` says (resolve_threads), so the
  // cores are only usable across the batch. Up to kAcrossBatchFactor times larger, a batch with
  // an item for every thread still runs across it: each worker streams its own state with no
  // barrier per gate (inside the gates, 14 to 16 qubits paid one per gate: gradient-variance at 14
  // qubits, 50 samples, 2 threads: 0.91 s inside, see the README); above that, inside the gates,
  // as Simulator does.
  const Index amplitudes = Index{1} << num_qubits;
  if (amplitudes >= par.threshold * kAcrossBatchFactor) return plan;
  const int threads = par.threads > 0 ? par.threads : default_thread_count();
  if (threads < 2) return plan;
  if (amplitudes >= par.threshold && items < static_cast<std::size_t>(threads)) return plan;
  plan.workers = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(threads), items));
  plan.per_item = Parallelism{1, par.threshold};
  return plan;
}

BatchExecutor::BatchExecutor(const Circuit& circuit, SimulatorOptions options)
    : options_(options), compiled_(circuit) {}

std::vector<double> BatchExecutor::expectations(ParameterRows rows, std::span<const Observable> observables) const {
  const Circuit& circuit = compiled_.circuit();
  check_state_based(circuit, "expectations");
  check_rows(rows, circuit);
  check_observables(observables, circuit.num_qubits());
  const std::size_t m = observables.size();
  std::vector<double> values(rows.count * m);
  if (rows.count == 0) return values;
  const ObservableSplit split(observables);
  const BatchPlan plan = plan_batch(circuit.num_qubits(), rows.count, options_.parallel);
  std::vector<StateWorker> workers = make_state_workers(compiled_, plan, options_.memory);
  for_each_item(rows.count, workers, "batch row", [&](StateWorker& w, std::size_t i) {
    run_row(w, rows.row(i), plan.per_item);
    split.evaluate(observables, w.state, values.data() + i * m, plan.per_item);
  });
  return values;
}

std::vector<double> BatchExecutor::probabilities(ParameterRows rows, std::span<const Qubit> qubits) const {
  const Circuit& circuit = compiled_.circuit();
  const int n = circuit.num_qubits();
  check_state_based(circuit, "probabilities");
  check_rows(rows, circuit);
  for (std::size_t j = 0; j < qubits.size(); ++j) {
    check_index(qubits[j], n, "probabilities: qubit");
    for (std::size_t k = 0; k < j; ++k)
      if (qubits[k] == qubits[j])
        throw InvalidArgument("probabilities: qubit " + std::to_string(qubits[j]) + " appears twice");
  }
  const std::size_t outcomes = std::size_t{1} << (qubits.empty() ? n : static_cast<int>(qubits.size()));
  ensure_memory(static_cast<std::uint64_t>(rows.count) * outcomes * sizeof(double), "batch probabilities",
                options_.memory);
  std::vector<double> probs(rows.count * outcomes);
  if (rows.count == 0) return probs;
  const BatchPlan plan = plan_batch(n, rows.count, options_.parallel);
  std::vector<StateWorker> workers = make_state_workers(compiled_, plan, options_.memory);
  for_each_item(rows.count, workers, "batch row", [&](StateWorker& w, std::size_t i) {
    run_row(w, rows.row(i), plan.per_item);
    double* out = probs.data() + i * outcomes;
    if (qubits.empty()) {
      // The expression of StateVector::probabilities(), written in place (no vector per item).
      const auto* d = w.state.data();
      parallel_for(w.state.size(), kBlock, plan.per_item, [&](Index b, Index e) noexcept {
        for (Index k = b; k < e; ++k) out[k] = static_cast<double>(std::norm(d[k]));
      });
    } else {
      const std::vector<double> p = w.state.marginal_probabilities(qubits, {}, plan.per_item);
      std::copy(p.begin(), p.end(), out);
    }
  });
  return probs;
}

std::vector<StateVector<double>> BatchExecutor::states(ParameterRows rows) const {
  const Circuit& circuit = compiled_.circuit();
  const int n = circuit.num_qubits();
  check_state_based(circuit, "states");
  check_rows(rows, circuit);
  check_range(rows.count, 0, std::numeric_limits<int>::max(), "states: number of rows");
  ensure_state_memory(n, sizeof(double), static_cast<int>(rows.count), options_.memory, "batch states");
  const BatchPlan plan = plan_batch(n, rows.count, options_.parallel);
  std::vector<StateVector<double>> out;
  out.reserve(rows.count);
  for (std::size_t i = 0; i < rows.count; ++i) out.emplace_back(n, plan.per_item, options_.memory);
  // The workers only need their circuit copies: each item runs in its own output state.
  std::vector<CircuitWorker> circuits(static_cast<std::size_t>(plan.workers), CircuitWorker{compiled_});
  for_each_item(rows.count, circuits, "batch row", [&](CircuitWorker& w, std::size_t i) {
    w.circuit.bind(rows.row(i));
    w.circuit.apply(out[i], plan.per_item);
  });
  return out;
}

BatchExecutor::Gradients BatchExecutor::vjp(ParameterRows rows, std::span<const Observable> observables,
                                            std::span<const double> weights, std::span<const int> wrt) const {
  const Circuit& circuit = compiled_.circuit();
  const AdjointGradient gradient(compiled_, wrt, options_);  // refuses trajectories and a bad `wrt`
  check_rows(rows, circuit);
  check_observables(observables, circuit.num_qubits());
  const std::size_t m = observables.size();
  check_weights(weights, rows.count, m);
  Gradients out;
  out.parameters = gradient.parameters();
  const std::size_t np = out.parameters.size();
  out.values.assign(rows.count * m, 0.0);
  out.gradient.assign(rows.count * np, 0.0);
  if (rows.count == 0) return out;
  const BatchPlan plan = plan_batch(circuit.num_qubits(), rows.count, options_.parallel);
  std::vector<GradientWorker> workers = make_gradient_workers(compiled_, plan, options_.memory, 0);
  for_each_item(rows.count, workers, "batch row", [&](GradientWorker& w, std::size_t i) {
    w.circuit.bind(rows.row(i));
    gradient.vjp_into(w.circuit, observables, weights.subspan(i * m, m), w.workspace, out.values.data() + i * m,
                      out.gradient.data() + i * np, plan.per_item);
  });
  return out;
}

BatchExecutor::Gradients BatchExecutor::jacobian(ParameterRows rows, std::span<const Observable> observables,
                                                 std::span<const int> wrt) const {
  const Circuit& circuit = compiled_.circuit();
  const AdjointGradient gradient(compiled_, wrt, options_);
  check_rows(rows, circuit);
  check_observables(observables, circuit.num_qubits());
  const std::size_t m = observables.size();
  Gradients out;
  out.parameters = gradient.parameters();
  const std::size_t np = out.parameters.size();
  out.values.assign(rows.count * m, 0.0);
  out.gradient.assign(rows.count * m * np, 0.0);
  if (rows.count == 0 || m == 0) return out;
  const BatchPlan plan = plan_batch(circuit.num_qubits(), rows.count, options_.parallel);
  std::vector<GradientWorker> workers = make_gradient_workers(compiled_, plan, options_.memory, m);
  for_each_item(rows.count, workers, "batch row", [&](GradientWorker& w, std::size_t i) {
    w.circuit.bind(rows.row(i));
    for (std::size_t j = 0; j < m; ++j) {
      std::fill(w.unit_weights.begin(), w.unit_weights.end(), 0.0);
      w.unit_weights[j] = 1.0;
      // The first sweep writes the row's values; the others recompute the same values into scratch.
      double* values = j == 0 ? out.values.data() + i * m : w.values.data();
      gradient.vjp_into(w.circuit, observables, w.unit_weights, w.workspace, values,
                        out.gradient.data() + (i * m + j) * np, plan.per_item);
    }
  });
  return out;
}

void BatchExecutor::states_into(ParameterRows rows, std::span<cdouble> out) const {
  const Circuit& circuit = compiled_.circuit();
  const int n = circuit.num_qubits();
  check_state_based(circuit, "states_into");
  check_rows(rows, circuit);
  const auto dim = static_cast<std::size_t>(Index{1} << n);
  check_count(out.size(), rows.count * dim, [&] {
    return "states_into: a block for " + plural(rows.count, "row") + " of " + plural(dim, "amplitude");
  }, "amplitude");
  if (rows.count == 0) return;
  const BatchPlan plan = plan_batch(n, rows.count, options_.parallel);
  std::vector<StateWorker> workers = make_state_workers(compiled_, plan, options_.memory);
  for_each_item(rows.count, workers, "batch row", [&](StateWorker& w, std::size_t i) {
    run_row(w, rows.row(i), plan.per_item);
    const cdouble* src = w.state.data();
    cdouble* dst = out.data() + i * dim;
    parallel_for(static_cast<Index>(dim), kBlock, plan.per_item,
                 [&](Index b, Index e) noexcept { std::copy(src + b, src + e, dst + b); });
  });
}

BatchExecutor::MethodGradients BatchExecutor::gradients(ParameterRows rows, const Observable& observable,
                                                        const GradientMethod& method, std::uint64_t seed) const {
  const Circuit& circuit = compiled_.circuit();
  const int n = circuit.num_qubits();
  method.plan().check_structure(compiled_, gradient_method_name(method.kind()));
  check_rows(rows, circuit);
  const Observable observables[] = {observable};
  check_observables(observables, n);
  MethodGradients out;
  out.parameters = method.parameters();
  const std::size_t np = out.parameters.size();
  out.values.assign(rows.count, 0.0);
  out.gradient.assign(rows.count * np, 0.0);
  if (method.sampled()) {
    out.value_standard_error.assign(rows.count, 0.0);
    out.standard_error.assign(rows.count * np, 0.0);
  }
  if (rows.count == 0) return out;
  const BatchPlan plan = plan_batch(n, rows.count, options_.parallel);
  ensure_state_memory(n, sizeof(double), method.states_per_workspace() * plan.workers, options_.memory,
                      "batch gradients");
  struct alignas(kCacheLine) Worker {
    CompiledCircuit circuit;
    std::unique_ptr<GradientMethod::Workspace> workspace;
    GradientResult result;
    std::uint64_t evaluations = 0;
  };
  std::vector<Worker> workers;
  workers.reserve(static_cast<std::size_t>(plan.workers));
  for (int w = 0; w < plan.workers; ++w)
    workers.push_back(Worker{compiled_, method.make_workspace(n, options_.memory, plan.per_item), {}, 0});
  for_each_item(rows.count, workers, "batch row", [&](Worker& w, std::size_t i) {
    w.circuit.bind(rows.row(i));
    method.gradient_into(w.circuit, observable, row_seed(seed, i), *w.workspace, w.result, plan.per_item);
    out.values[i] = w.result.value;
    std::copy(w.result.gradient.begin(), w.result.gradient.end(), out.gradient.begin() + static_cast<std::ptrdiff_t>(i * np));
    if (method.sampled()) {
      out.value_standard_error[i] = w.result.value_standard_error;
      std::copy(w.result.standard_error.begin(), w.result.standard_error.end(),
                out.standard_error.begin() + static_cast<std::ptrdiff_t>(i * np));
    }
    w.evaluations += w.result.circuit_evaluations;
  });
  for (const Worker& w : workers) out.evaluations += w.evaluations;
  return out;
}

BatchExecutor::LossGradient BatchExecutor::loss_gradient(ParameterRows rows, std::span<const Observable> observables,
                                                         const LossHook& hook, std::span<const int> wrt) const {
  const Circuit& circuit = compiled_.circuit();
  const AdjointGradient gradient(compiled_, wrt, options_);  // refuses trajectories and a bad `wrt`
  check_rows(rows, circuit);
  check_observables(observables, circuit.num_qubits());
  if (!hook) throw InvalidArgument("loss_gradient: no loss hook given");
  const std::size_t m = observables.size();
  LossGradient out;
  out.parameters = gradient.parameters();
  const std::size_t np = out.parameters.size();
  out.losses.assign(rows.count, 0.0);
  out.values.assign(rows.count * m, 0.0);
  out.gradient.assign(np, 0.0);
  if (rows.count == 0) return out;
  ensure_memory(static_cast<std::uint64_t>(rows.count) * np * sizeof(double), "per-row loss gradients",
                options_.memory);
  std::vector<double> per_row(rows.count * np, 0.0);
  const BatchPlan plan = plan_batch(circuit.num_qubits(), rows.count, options_.parallel);
  std::vector<GradientWorker> workers = make_gradient_workers(compiled_, plan, options_.memory, m);
  for_each_item(rows.count, workers, "batch row", [&](GradientWorker& w, std::size_t i) {
    w.circuit.bind(rows.row(i));
    double* values = out.values.data() + i * m;
    gradient.forward_into(w.circuit, observables, w.workspace, values, plan.per_item);
    std::fill(w.unit_weights.begin(), w.unit_weights.end(), std::numeric_limits<double>::quiet_NaN());
    out.losses[i] = hook(i, std::span<const double>(values, m), std::span<double>(w.unit_weights));
    check_finite(out.losses[i], "loss hook: returned loss");
    // The weights start as NaN, so a weight the hook did not set is reported here too.
    for (std::size_t j = 0; j < m; ++j)
      check_finite(w.unit_weights[j], [&] { return "loss hook: weight " + std::to_string(j) + " (every weight must be set)"; });
    gradient.backward_into(w.circuit, observables, w.unit_weights, w.workspace, per_row.data() + i * np, plan.per_item);
  });
  for (std::size_t i = 0; i < rows.count; ++i) {  // row order: the same sums on any thread count
    out.loss += out.losses[i];
    for (std::size_t p = 0; p < np; ++p) out.gradient[p] += per_row[i * np + p];
  }
  return out;
}

BatchExecutor::StateVjp BatchExecutor::state_vjp(ParameterRows rows, std::span<const cdouble> cotangents,
                                                  std::span<const int> wrt) const {
  const Circuit& circuit = compiled_.circuit();
  const AdjointGradient gradient(compiled_, wrt, options_);  // refuses trajectories and a bad `wrt`
  check_rows(rows, circuit);
  const auto dim = static_cast<std::size_t>(Index{1} << circuit.num_qubits());
  check_count(cotangents.size(), rows.count * dim, [&] {
    return "state_vjp: cotangents for " + plural(rows.count, "row") + " of " + plural(dim, "amplitude");
  }, "amplitude");
  for (std::size_t k = 0; k < cotangents.size(); ++k)
    if (!std::isfinite(cotangents[k].real()) || !std::isfinite(cotangents[k].imag()))
      throw InvalidArgument("state_vjp: batch row " + std::to_string(k / dim) + ": cotangent amplitude " +
                            std::to_string(k % dim) + " = " + format_number(cotangents[k].real()) + " + " +
                            format_number(cotangents[k].imag()) + " i is not finite");
  StateVjp out;
  out.parameters = gradient.parameters();
  const std::size_t np = out.parameters.size();
  out.gradient.assign(np, 0.0);
  if (rows.count == 0) return out;
  ensure_memory(static_cast<std::uint64_t>(rows.count) * np * sizeof(double), "per-row state gradients",
                options_.memory);
  std::vector<double> per_row(rows.count * np, 0.0);
  const BatchPlan plan = plan_batch(circuit.num_qubits(), rows.count, options_.parallel);
  std::vector<GradientWorker> workers = make_gradient_workers(compiled_, plan, options_.memory, 0);
  for_each_item(rows.count, workers, "batch row", [&](GradientWorker& w, std::size_t i) {
    w.circuit.bind(rows.row(i));
    gradient.state_vjp_into(w.circuit, cotangents.subspan(i * dim, dim), w.workspace, per_row.data() + i * np,
                            plan.per_item);
  });
  for (std::size_t i = 0; i < rows.count; ++i)  // row order: the same sums on any thread count
    for (std::size_t p = 0; p < np; ++p) out.gradient[p] += per_row[i * np + p];
  return out;
}

template <class R>
Counts sample_trajectories(const CompiledCircuit& compiled, std::uint64_t shots, std::uint64_t seed,
                           std::span<const Qubit> measured_qubits, std::span<const int> measured_clbits,
                           const SimulatorOptions& options) {
  const Circuit& circuit = compiled.circuit();
  const int n = circuit.num_qubits();
  if (!compiled.is_bound())
    throw InvalidArgument("circuit has " + std::to_string(circuit.num_parameters()) +
                          " unbound parameters; bind values before sampling");
  check_count(measured_clbits.size(), measured_qubits.size(), "sample_trajectories: measured_clbits", "classical bit");
  for (std::size_t j = 0; j < measured_qubits.size(); ++j) {
    check_index(measured_qubits[j], n, "sample_trajectories: qubit");
    const int b = measured_clbits[j];
    check_index(b, circuit.num_clbits(), "sample_trajectories: classical bit");
    check_index(b, 64, "sample_trajectories: measured classical bit");  // outcomes are 64-bit keys
  }
  static_assert(sizeof(std::size_t) >= sizeof(std::uint64_t), "shots are batch items");
  const BatchPlan plan = plan_batch(n, static_cast<std::size_t>(shots), options.parallel);
  // The state before the first measurement, reset or condition is the same for every shot.
  ensure_state_memory(n, sizeof(R), 1 + plan.workers, options.memory, "shot-by-shot sampling");
  StateVector<R> start(n, options.parallel, options.memory);
  compiled.apply(start, options.parallel, {}, 0, compiled.deterministic_prefix());

  struct alignas(kCacheLine) Worker {
    StateVector<R> state;
    std::vector<std::uint8_t> clbits;
    Counts counts;
  };
  std::vector<Worker> workers;
  workers.reserve(static_cast<std::size_t>(plan.workers));
  for (int w = 0; w < plan.workers; ++w)
    workers.push_back(Worker{StateVector<R>(start), std::vector<std::uint8_t>(static_cast<std::size_t>(circuit.num_clbits())), {}});
  for_each_item(static_cast<std::size_t>(shots), workers, "shot", [&](Worker& w, std::size_t s) {
    w.state.assign(start, plan.per_item);
    std::fill(w.clbits.begin(), w.clbits.end(), 0);
    Rng rng(seed, s);
    compiled.apply(w.state, plan.per_item, Classical{&rng, &w.clbits}, compiled.deterministic_prefix());
    if (measured_clbits.empty()) {
      ++w.counts[sample_one(w.state, rng, plan.per_item)];  // nothing measured: read out every qubit at the end
      return;
    }
    Index key = 0;
    for (int b : measured_clbits) key |= static_cast<Index>(w.clbits[static_cast<std::size_t>(b)] & 1U) << b;
    ++w.counts[key];
  });
  // Sums per outcome: independent of how the shots were split.
  Counts out;
  for (const Worker& w : workers)
    for (const auto& [key, count] : w.counts) out[key] += count;
  return out;
}

template Counts sample_trajectories<double>(const CompiledCircuit&, std::uint64_t, std::uint64_t,
                                            std::span<const Qubit>, std::span<const int>, const SimulatorOptions&);
template Counts sample_trajectories<float>(const CompiledCircuit&, std::uint64_t, std::uint64_t,
                                           std::span<const Qubit>, std::span<const int>, const SimulatorOptions&);

}  // namespace qmlsim

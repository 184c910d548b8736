#include "cli/run_command.hpp"

#include <algorithm>
#include <chrono>
#include <limits>
#include <optional>
#include <ostream>
#include <queue>

#include "cli/circuit_source.hpp"
#include "simulator/execution/expectation_estimate.hpp"
#include "cli/options.hpp"
#include "cli/outcomes.hpp"
#include "cli/output.hpp"
#include "cli/parameter_binding.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/execution/simulator.hpp"
#include "simulator/observables/pauli.hpp"

namespace qmlsim::cli {
namespace {

constexpr const char* kUsage =
    "qmlsim run FILE.qasm [options]\n"
    "       qmlsim run --circuit NAME --qubits N [options]";

constexpr const char* kHelpText =
    "Simulates a circuit from |0...0>: an OpenQASM 2 or 3 FILE, or a standard circuit (--circuit)\n"
    "whose parameters are angles in [-pi, pi) drawn from --seed. A file's `input` parameters get\n"
    "their values from --params FILE.json (an object {\"name\": number}) and --param NAME=VALUE,\n"
    "which overrides the file.\n"
    "\n"
    "--output\n"
    "  summary      circuit size, run time and the most likely outcomes (--top, default 8); with\n"
    "               --shots, sampled counts too. Circuits with mid-circuit measurement, reset or\n"
    "               if run shot by shot (--shots, default 1024) and show sampled frequencies.\n"
    "  probs        probability of every basis state before measurement (--top K: the K largest)\n"
    "  state        amplitudes re, im of the final state (--top K: the K most likely)\n"
    "  counts       --shots (default 1024) samples, drawn from --seed\n"
    "  expectation  exact <H> for --observable (\"0.5*Z0 Z1 + X2\"); with --shots, also an estimate\n"
    "               measuring each group of qubit-wise commuting terms in its own basis, with its\n"
    "               standard error (--shots per group)\n"
    "probs, state and expectation ignore terminal measurements and refuse circuits with\n"
    "mid-circuit ones.\n"
    "\n"
    "Outcomes print with the highest bit leftmost. A circuit that measures is read out over its\n"
    "classical bits in Qiskit's format: registers in reverse declaration order, separated by\n"
    "spaces (cregs c[2], d[1] with c[0] = 1 and d[0] = 1 give \"1 01\"); one that does not, over\n"
    "all its qubits (qubit n-1 leftmost). JSON and CSV numbers are exact (shortest round-trip).";

constexpr std::uint64_t kDefaultShots = 1024;
constexpr std::size_t kDefaultSummaryTop = 8;
// Probabilities below this are numerically zero: not "likely" outcomes in the summary.
constexpr double kZeroProbability = 1e-15;

enum class OutputMode { Summary, Probs, State, Counts, Expectation };

OutputMode parse_output(const std::string& text) {
  if (text == "summary") return OutputMode::Summary;
  if (text == "probs") return OutputMode::Probs;
  if (text == "state") return OutputMode::State;
  if (text == "counts") return OutputMode::Counts;
  if (text == "expectation") return OutputMode::Expectation;
  throw UsageError("invalid value '" + text + "' for --output: expected summary, probs, state, counts or expectation");
}

// The command line as typed; converted and checked by to_request(). Defaults show in --help.
struct RunOptionText {
  bool help = false;
  std::string file, circuit, qubits, depth = "1", params_file, output = "summary", shots, seed = "1", observable, top;
  std::vector<std::string> params;
  std::string format = "table", threads = "0", precision = "double", max_memory;
};

struct RunRequest {
  std::string file;     // the circuit file, or empty for a standard circuit
  std::string circuit;  // the standard circuit's name
  int num_qubits = 0;
  int depth = 1;
  std::string params_file;                   // --params, or empty
  std::vector<ParameterAssignment> params;   // --param, in order
  OutputMode output = OutputMode::Summary;
  std::optional<std::uint64_t> shots;
  std::uint64_t seed = 1;
  std::string observable;
  std::optional<std::size_t> top;
  Format format = Format::Table;
  Precision precision = Precision::Double;
  Parallelism parallel;
  MemoryLimit memory;
};

po::options_description describe_options(RunOptionText& t) {
  po::options_description desc("Options");
  desc.add_options()
      ("circuit", po::value(&t.circuit)->value_name("NAME"),
       ("standard circuit instead of a FILE: " + library_names()).c_str())
      ("qubits", po::value(&t.qubits)->value_name("N"), "number of qubits of --circuit")
      ("depth", po::value(&t.depth)->default_value(t.depth)->value_name("L"),
       "layers of the 'layers' and 'random' circuits")
      ("param", po::value(&t.params)->value_name("NAME=VALUE"),
       "value of a FILE input (repeatable; overrides --params)")
      ("params", po::value(&t.params_file)->value_name("FILE.json"), "values of FILE inputs: {\"name\": number, ...}")
      ("output", po::value(&t.output)->default_value(t.output)->value_name("MODE"),
       "summary, probs, state, counts or expectation")
      ("shots", po::value(&t.shots)->value_name("N"),
       "samples: counts (default 1024), summary, expectation estimate")
      ("observable", po::value(&t.observable)->value_name("H"), "Pauli sum for --output expectation: \"0.5*Z0 Z1 + X2\"")
      ("top", po::value(&t.top)->value_name("K"), "only the K most likely outcomes (summary: 8)");
  add_seed_option(desc, t.seed);
  add_format_option(desc, t.format);
  add_threads_option(desc, t.threads, "T", "threads per gate (0: the default count)");
  add_precision_option(desc, t.precision);
  add_max_memory_option(desc, t.max_memory);
  add_help_option(desc, t.help);
  return desc;
}

bool given(const po::variables_map& vm, const char* name) { return vm.count(name) && !vm[name].defaulted(); }

RunRequest to_request(const RunOptionText& t, const po::variables_map& vm) {
  RunRequest r;
  if (t.file.empty() == t.circuit.empty())
    throw UsageError(t.file.empty() ? "missing the circuit: give FILE.qasm or --circuit NAME (one of: " +
                                          library_names() + ")"
                                    : "give either a circuit FILE or --circuit, not both");
  if (!t.file.empty()) {
    r.file = t.file;
    for (const char* name : {"qubits", "depth"})
      if (given(vm, name))
        throw UsageError(std::string("--") + name + " applies to --circuit; a circuit file fixes its own size");
  } else {
    if (t.qubits.empty()) throw UsageError("missing --qubits N");
    if (!t.params.empty() || !t.params_file.empty())
      throw UsageError("--param and --params bind the inputs of a circuit FILE; the parameters of --circuit " +
                       t.circuit + " are random angles drawn from --seed");
    r.circuit = t.circuit;
    r.num_qubits = static_cast<int>(parse_integer(t.qubits, "--qubits", 1, kMaxQubits));
    r.depth = static_cast<int>(parse_integer(t.depth, "--depth", 0, std::numeric_limits<int>::max()));
  }
  r.params_file = t.params_file;
  for (const auto& word : t.params) r.params.push_back(parse_param_assignment(word));
  r.output = parse_output(t.output);
  r.seed = parse_seed(t.seed);
  if (!t.shots.empty()) {
    const std::uint64_t min_shots = r.output == OutputMode::Expectation ? 2 : 1;
    r.shots = parse_unsigned(t.shots, "--shots", min_shots, std::numeric_limits<std::int64_t>::max());
  }
  if (!t.top.empty()) r.top = static_cast<std::size_t>(parse_unsigned(t.top, "--top", 0, std::uint64_t{1} << 40));
  r.observable = t.observable;
  r.format = parse_format(t.format);
  r.precision = parse_precision(t.precision);
  r.parallel = parse_threads(t.threads);
  r.memory = parse_max_memory(t.max_memory);

  const bool exact_output = r.output == OutputMode::Probs || r.output == OutputMode::State;
  if (exact_output && r.shots)
    throw UsageError("--shots does not apply to --output " + t.output + " (exact values); use --output counts");
  if (r.output == OutputMode::Expectation) {
    if (r.observable.empty()) throw UsageError("--output expectation needs --observable, e.g. \"0.5*Z0 Z1 + X2\"");
    if (r.top) throw UsageError("--top does not apply to --output expectation");
  } else if (!r.observable.empty()) {
    throw UsageError("--observable applies to --output expectation");
  }
  return r;
}

// The circuit with its parameters bound. A file's parse errors come before those of its
// parameters (the messages of the latter name the file's inputs).
BoundCircuit load_circuit(const RunRequest& r) {
  if (r.file.empty()) return library_circuit(r.circuit, r.num_qubits, r.depth, r.seed);
  qasm::Program program = qasm::parse_file(r.file);
  std::vector<ParameterAssignment> assignments;
  if (!r.params_file.empty()) assignments = read_params_file(r.params_file);
  assignments.insert(assignments.end(), r.params.begin(), r.params.end());
  return bind_program(std::move(program), r.file, assignments);
}

// probs, state and expectation need the one final state.
void require_final_state(const BoundCircuit& bound, std::string_view output) {
  if (!bound.circuit.needs_trajectories()) return;
  throw InvalidArgument(bound.name + ": --output " + std::string(output) +
                        " needs the state before measurement, but the circuit has a mid-circuit measurement, "
                        "reset or condition (" + bound.circuit.trajectory_reason() +
                        "), so it has no single final state; use --output counts, which runs it shot by shot");
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

template <class R>
double probability_of(const StateVector<R>& state, Index i) noexcept {
  const double re = state[i].real(), im = state[i].imag();
  return re * re + im * im;
}

// ---- summary ----

struct SummaryRow {
  std::string key;
  double probability = 0.0;  // exact, or the sampled frequency
  std::optional<std::uint64_t> count;
};

struct SummaryResult {
  Record summary;
  bool sampled = false;  // outcomes are sampled frequencies (shot-by-shot circuits)
  std::vector<SummaryRow> outcomes;
  std::vector<std::pair<std::string, std::uint64_t>> counts;  // with shots, most frequent first
  bool has_counts = false;
  std::vector<std::pair<std::string, double>> inputs;
};

Record summary_record(const RunRequest& r, const BoundCircuit& bound, bool sampled, double seconds,
                      std::optional<std::uint64_t> shots) {
  const Circuit& c = bound.circuit;
  Record s{{"circuit", bound.name},
           {"num_qubits", std::int64_t{c.num_qubits()}},
           {"num_clbits", std::int64_t{c.num_clbits()}},
           {"gates", static_cast<std::int64_t>(c.num_gates())},
           {"parameters", std::int64_t{c.num_parameters()}},
           {"method", std::string(sampled ? "trajectories" : "statevector")},
           {"precision", std::string(to_string(r.precision))},
           {"threads", std::int64_t{effective_threads(r.parallel.threads)}},
           {"seed", r.seed},
           {"seconds", seconds}};
  if (shots) s.emplace_back("shots", *shots);
  return s;
}

template <class R>
SummaryResult simulate_summary(const RunRequest& r, const BoundCircuit& bound) {
  const Circuit& circuit = bound.circuit;
  const OutcomeLayout layout = outcome_layout(circuit, bound.cregs);
  const Simulator sim(SimulatorOptions{r.parallel, r.memory});
  const std::size_t top = r.top.value_or(kDefaultSummaryTop);
  SummaryResult result;
  if (!r.file.empty())
    for (std::size_t i = 0; i < bound.theta.size(); ++i)
      result.inputs.emplace_back(circuit.parameter_names().at(i), bound.theta[i]);
  Counts counts;
  if (circuit.needs_trajectories()) {
    // No single final state: the outcomes are the frequencies of shot-by-shot samples.
    const std::uint64_t shots = r.shots.value_or(kDefaultShots);
    const auto start = std::chrono::steady_clock::now();
    counts = sim.sample<R>(circuit, bound.theta, shots, r.seed);
    result.summary = summary_record(r, bound, true, seconds_since(start), shots);
    result.sampled = true;
    for (const auto& [key, k] : top_counts(counts, top))
      result.outcomes.push_back({format_outcome(key, layout), static_cast<double>(k) / static_cast<double>(shots), k});
  } else {
    // Refuse an impossible size before anything of size 2^n exists (the state vector would too).
    ensure_state_memory(circuit.num_qubits(), sizeof(R), 1, r.memory);
    const auto start = std::chrono::steady_clock::now();
    const StateVector<R> state = sim.run<R>(circuit, bound.theta);
    result.summary = summary_record(r, bound, false, seconds_since(start), r.shots);
    const TerminalMeasurements measured = terminal_measurements(circuit);
    std::vector<std::pair<Index, double>> best;
    if (has_measurement(circuit)) {
      best = top_measured_outcomes(state, measured, top, r.memory);
    } else {
      for (const Outcome& o : top_outcomes(state, top)) best.emplace_back(o.index, o.probability);
    }
    if (r.shots) counts = sample_measured(state, measured, *r.shots, r.seed);
    for (const auto& [key, p] : best) {
      if (p < kZeroProbability) continue;  // numerically impossible: not a likely outcome
      SummaryRow row{format_outcome(key, layout), p, std::nullopt};
      if (r.shots) row.count = counts.count(key) ? counts.at(key) : 0;
      result.outcomes.push_back(std::move(row));
    }
  }
  if (r.shots || result.sampled) {
    result.has_counts = true;
    for (const auto& [key, k] : top_counts(counts, counts.size()))
      result.counts.emplace_back(format_outcome(key, layout), k);
  }
  return result;
}

// The outcomes as rows, each prefixed by `prefix` (the summary, for CSV).
Table outcome_table(const SummaryResult& result, const Record& prefix) {
  std::vector<std::string> columns;
  for (const auto& field : prefix) columns.push_back(field.first);
  if (result.sampled) {
    columns.insert(columns.end(), {"bitstring", "count", "frequency"});
  } else {
    columns.insert(columns.end(), {"bitstring", "probability"});
    if (result.has_counts) columns.emplace_back("count");
  }
  Table table(std::move(columns));
  for (const SummaryRow& o : result.outcomes) {
    std::vector<Cell> row;
    for (const auto& field : prefix) row.push_back(field.second);
    row.emplace_back(o.key);
    if (result.sampled) {
      row.insert(row.end(), {*o.count, o.probability});
    } else {
      row.emplace_back(o.probability);
      if (o.count) row.emplace_back(*o.count);
    }
    table.add_row(std::move(row));
  }
  return table;
}

void write_summary(std::ostream& out, const SummaryResult& result, Format format) {
  switch (format) {
    case Format::Table: {
      Record head = result.summary;
      if (!result.inputs.empty()) {
        std::string text;
        for (const auto& [name, value] : result.inputs) text += (text.empty() ? "" : ", ") + name + "=" + format_exact(value);
        head.emplace_back("inputs", text);
      }
      write_text(out, head);
      out << '\n';
      write_text(out, outcome_table(result, {}));
      return;
    }
    case Format::Csv: write_csv(out, outcome_table(result, result.summary)); return;
    case Format::Json: {
      Json j = to_json(result.summary);
      if (!result.inputs.empty()) {
        Json inputs = Json::object();
        for (const auto& [name, value] : result.inputs) inputs[name] = value;
        j["inputs"] = std::move(inputs);
      }
      j["outcomes"] = to_json(outcome_table(result, {}));
      if (result.has_counts) {
        Json counts = Json::object();
        for (const auto& [key, k] : result.counts) counts[key] = k;
        j["counts"] = std::move(counts);
      }
      write_json(out, j);
      return;
    }
  }
}

// ---- probs and state ----

template <class R>
StateVector<R> final_state(const RunRequest& r, const BoundCircuit& bound, std::string_view output, int copies = 1) {
  require_final_state(bound, output);
  ensure_state_memory(bound.circuit.num_qubits(), sizeof(R), copies, r.memory);
  return Simulator(SimulatorOptions{r.parallel, r.memory}).run<R>(bound.circuit, bound.theta);
}

// The basis states to print: all of them in index order, or the `top` most likely.
template <class R>
struct BasisSelection {
  const StateVector<R>& state;
  std::optional<std::vector<Outcome>> best;
  [[nodiscard]] std::uint64_t size() const { return best ? best->size() : state.size(); }
  [[nodiscard]] Index operator[](std::uint64_t k) const { return best ? (*best)[k].index : k; }
};

template <class R>
BasisSelection<R> select_basis(const StateVector<R>& state, std::optional<std::size_t> top) {
  BasisSelection<R> s{state, std::nullopt};
  if (top) s.best = top_outcomes(state, *top);
  return s;
}

template <class R>
void write_probabilities(std::ostream& out, const StateVector<R>& state, std::optional<std::size_t> top,
                         Format format) {
  const int n = state.num_qubits();
  const BasisSelection<R> basis = select_basis(state, top);
  if (format == Format::Json) {
    out << "{\"num_qubits\": " << n << ", \"probabilities\": " << (top ? '{' : '[');
    for (std::uint64_t k = 0; k < basis.size(); ++k) {
      if (k) out << ", ";
      if (top) out << '"' << to_bitstring(basis[k], n) << "\": ";
      out << json_number(probability_of(state, basis[k]));
    }
    out << (top ? '}' : ']') << "}\n";
    return;
  }
  write_rows(out, format, {"index", "bitstring", "probability"}, basis.size(), [&](std::uint64_t k) {
    const Index i = basis[k];
    return std::vector<Cell>{i, to_bitstring(i, n), probability_of(state, i)};
  });
}

template <class R>
void write_amplitudes(std::ostream& out, const StateVector<R>& state, std::optional<std::size_t> top, Format format) {
  const int n = state.num_qubits();
  const BasisSelection<R> basis = select_basis(state, top);
  if (format == Format::Json) {
    out << "{\"num_qubits\": " << n << ", \"amplitudes\": " << (top ? '{' : '[');
    for (std::uint64_t k = 0; k < basis.size(); ++k) {
      if (k) out << ", ";
      if (top) out << '"' << to_bitstring(basis[k], n) << "\": ";
      const auto a = state[basis[k]];
      out << '[' << json_number(static_cast<double>(a.real())) << ", " << json_number(static_cast<double>(a.imag()))
          << ']';
    }
    out << (top ? '}' : ']') << "}\n";
    return;
  }
  write_rows(out, format, {"index", "bitstring", "re", "im"}, basis.size(), [&](std::uint64_t k) {
    const Index i = basis[k];
    const auto a = state[i];
    return std::vector<Cell>{i, to_bitstring(i, n), static_cast<double>(a.real()), static_cast<double>(a.imag())};
  });
}

// ---- counts ----

template <class R>
void write_counts(std::ostream& out, const RunRequest& r, const BoundCircuit& bound) {
  const OutcomeLayout layout = outcome_layout(bound.circuit, bound.cregs);
  const std::uint64_t shots = r.shots.value_or(kDefaultShots);
  const Simulator sim(SimulatorOptions{r.parallel, r.memory});
  const Counts counts = sim.sample<R>(bound.circuit, bound.theta, shots, r.seed);
  const auto best = top_counts(counts, r.top.value_or(counts.size()));
  if (r.format == Format::Json) {
    Json keyed = Json::object();
    for (const auto& [key, k] : best) keyed[format_outcome(key, layout)] = k;
    out << json_line(Json{{"shots", shots}, {"counts", std::move(keyed)}}) << '\n';
    return;
  }
  write_rows(out, r.format, {"bitstring", "count"}, best.size(), [&](std::uint64_t k) {
    return std::vector<Cell>{format_outcome(best[k].first, layout), best[k].second};
  });
}

// ---- expectation ----

template <class R>
void write_expectation(std::ostream& out, const RunRequest& r, const BoundCircuit& bound) {
  const PauliSum observable = PauliSum::parse(r.observable);
  const int n = bound.circuit.num_qubits();
  if (observable.num_qubits_needed() > n)
    throw InvalidArgument("observable '" + r.observable + "' acts on qubit " +
                          std::to_string(observable.num_qubits_needed() - 1) + " but " + bound.name + " has " +
                          std::to_string(n) + (n == 1 ? " qubit" : " qubits"));
  const StateVector<R> state = final_state<R>(r, bound, "expectation");
  Record result{{"observable", observable.to_string()}, {"expectation", expectation(observable, state)}};
  if (r.shots) {
    const ExpectationEstimate e = estimate_expectation(observable, state, *r.shots, r.seed, r.memory);
    result.insert(result.end(), {{"estimate", e.estimate}, {"standard_error", e.standard_error}, {"shots", e.shots}});
  }
  switch (r.format) {
    case Format::Table: write_text(out, result); return;
    case Format::Csv: {
      std::vector<std::string> columns;
      std::vector<Cell> row;
      for (const auto& [name, value] : result) {
        columns.push_back(name);
        row.push_back(value);
      }
      Table table(std::move(columns));
      table.add_row(std::move(row));
      write_csv(out, table);
      return;
    }
    case Format::Json: out << json_line(to_json(result)) << '\n'; return;
  }
}

template <class R>
void run(std::ostream& out, const RunRequest& r) {
  const BoundCircuit bound = load_circuit(r);
  switch (r.output) {
    case OutputMode::Summary: write_summary(out, simulate_summary<R>(r, bound), r.format); return;
    case OutputMode::Probs: write_probabilities(out, final_state<R>(r, bound, "probs"), r.top, r.format); return;
    case OutputMode::State: write_amplitudes(out, final_state<R>(r, bound, "state"), r.top, r.format); return;
    case OutputMode::Counts: write_counts<R>(out, r, bound); return;
    case OutputMode::Expectation: write_expectation<R>(out, r, bound); return;
  }
}

}  // namespace

template <class R>
std::vector<Outcome> top_outcomes(const StateVector<R>& state, std::size_t k) {
  std::vector<Outcome> out;
  for (const auto& [i, p] : top_k<double>(state.size(), k, [&](Index i) { return std::pair{i, probability_of(state, i)}; }))
    out.push_back({i, p});
  return out;
}

template std::vector<Outcome> top_outcomes<double>(const StateVector<double>&, std::size_t);
template std::vector<Outcome> top_outcomes<float>(const StateVector<float>&, std::size_t);

void run_command(const std::vector<std::string>& args, std::ostream& out) {
  RunOptionText text;
  const po::options_description desc = describe_options(text);
  po::options_description all;
  all.add(desc).add_options()("file", po::value(&text.file), "circuit file");
  po::positional_options_description positional;
  positional.add("file", 1);
  const po::variables_map vm = parse_command_line(args, all, positional);
  if (text.help) {
    print_command_help(out, kUsage, kHelpText, desc);
    return;
  }
  const RunRequest request = to_request(text, vm);
  if (request.precision == Precision::Single) {
    run<float>(out, request);
  } else {
    run<double>(out, request);
  }
}

}  // namespace qmlsim::cli

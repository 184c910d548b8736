#include "cli/run_command.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <optional>
#include <ostream>
#include <queue>
#include <stdexcept>

#include "cli/circuit_source.hpp"
#include "simulator/execution/expectation_estimate.hpp"
#include "cli/options.hpp"
#include "cli/outcomes.hpp"
#include "cli/output.hpp"
#include "cli/parameter_binding.hpp"
#include "simulator/core/validate.hpp"
#include "simulator/execution/compiled_circuit.hpp"
#include "simulator/execution/fusion.hpp"
#include "simulator/execution/gradient_method.hpp"
#include "simulator/execution/outcomes.hpp"
#include "simulator/execution/simulator.hpp"
#include "simulator/observables/observable.hpp"
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
    "  gradient     <H> for --observable and its derivative with respect to every input of a FILE\n"
    "               (every parameter theta0, theta1, ... of --circuit), or only those of --wrt, in\n"
    "               that order. A circuit without inputs has an empty gradient. --method:\n"
    "                 adjoint  (default) exact; one forward run and one backward sweep, whatever\n"
    "                          the number of inputs\n"
    "                 shift    parameter-shift rules, exact; 2 or 4 runs per gate angle that\n"
    "                          depends on a differentiated input. With --shots N (per measurement\n"
    "                          group and run, drawn from --seed), the estimate hardware would give:\n"
    "                          the expectation and every derivative are sampled, with standard errors\n"
    "                 fd       central finite differences, step --fd-step (1e-5), order --fd-order\n"
    "                          2 (two runs per input; error ~h^2 + 1e-16/h, about 1e-10 at the\n"
    "                          default step) or 4 (four runs per input; error ~h^4 + 1e-16/h)\n"
    "               Computed in double precision.\n"
    "probs, state, expectation and gradient ignore terminal measurements and refuse circuits with\n"
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

constexpr std::uint64_t kMinEstimateShots = 2;  // a standard error needs two samples

enum class OutputMode { Summary, Probs, State, Counts, Expectation, Gradient };

OutputMode parse_output(const std::string& text) {
  if (text == "summary") return OutputMode::Summary;
  if (text == "probs") return OutputMode::Probs;
  if (text == "state") return OutputMode::State;
  if (text == "counts") return OutputMode::Counts;
  if (text == "expectation") return OutputMode::Expectation;
  if (text == "gradient") return OutputMode::Gradient;
  throw UsageError("invalid value '" + text +
                   "' for --output: expected summary, probs, state, counts, expectation or gradient");
}

// --method: the library's gradient method names (gradient_method.hpp), as a usage error.
GradientMethodKind parse_method(const std::string& text) {
  try {
    return parse_gradient_method(text);
  } catch (const InvalidArgument&) {
    throw UsageError("invalid value '" + text + "' for --method: expected adjoint, shift or fd");
  }
}

// The --method word, as printed in the output.
std::string method_name(GradientMethodKind method) { return std::string(gradient_method_name(method)); }

// --wrt words, each NAME[,NAME...], into the names in order. Spaces around a name are dropped
// ("--wrt 'a, b'"); an empty or repeated name is refused.
std::vector<std::string> parse_wrt(const std::vector<std::string>& words) {
  std::vector<std::string> names;
  for (const std::string& word : words) {
    std::size_t begin = 0;
    while (true) {
      const std::size_t comma = std::min(word.find(',', begin), word.size());
      std::string name = word.substr(begin, comma - begin);
      const auto first = name.find_first_not_of(' ');
      name = first == std::string::npos ? std::string() : name.substr(first, name.find_last_not_of(' ') - first + 1);
      if (name.empty()) throw UsageError("invalid value '" + word + "' for --wrt: expected NAME[,NAME...]");
      if (std::find(names.begin(), names.end(), name) != names.end())
        throw UsageError("invalid value '" + word + "' for --wrt: '" + name + "' is given twice");
      names.push_back(std::move(name));
      if (comma == word.size()) break;
      begin = comma + 1;
    }
  }
  return names;
}

// The command line as typed; converted and checked by to_request(). Defaults show in --help.
struct RunOptionText {
  bool help = false;
  std::string file, circuit, qubits, depth = "1", params_file, output = "summary", shots, seed = "1", observable, top;
  std::vector<std::string> params;
  std::string method = "adjoint", fd_step = "1e-5", fd_order = "2";
  std::vector<std::string> wrt;
  std::string format = "table", threads = "0", precision = "double", max_memory, fusion = "auto";
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
  GradientMethodKind method = GradientMethodKind::Adjoint;
  double fd_step = 1e-5;
  int fd_order = 2;
  std::vector<std::string> wrt;  // --wrt names in order; empty: every parameter
  Format format = Format::Table;
  Precision precision = Precision::Double;
  Parallelism parallel;
  MemoryLimit memory;
  FusionOptions fusion;  // of the final-state run and of the gradient's forward run
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
       "summary, probs, state, counts, expectation or gradient")
      ("shots", po::value(&t.shots)->value_name("N"),
       "samples: counts (default 1024), summary, expectation estimate, gradient --method shift")
      ("observable", po::value(&t.observable)->value_name("H"),
       "Pauli sum for --output expectation and gradient: \"0.5*Z0 Z1 + X2\"")
      ("top", po::value(&t.top)->value_name("K"), "only the K most likely outcomes (summary: 8)")
      ("method", po::value(&t.method)->default_value(t.method)->value_name("M"),
       "gradient method: adjoint, shift or fd")
      ("wrt", po::value(&t.wrt)->value_name("NAME,..."),
       "differentiate only these inputs, in this order (repeatable)")
      ("fd-step", po::value(&t.fd_step)->default_value(t.fd_step)->value_name("H"), "step of --method fd")
      ("fd-order", po::value(&t.fd_order)->default_value(t.fd_order)->value_name("K"),
       "--method fd: 2 (central difference) or 4 (five-point stencil)");
  add_seed_option(desc, t.seed);
  add_format_option(desc, t.format);
  add_threads_option(desc, t.threads, "T", "threads per gate (0: the default count)");
  add_precision_option(desc, t.precision);
  add_max_memory_option(desc, t.max_memory);
  desc.add_options()("fusion", po::value(&t.fusion)->default_value(t.fusion)->value_name("F"),
                     "gate fusion of the final-state run (and a gradient's): auto, off or a block size K "
                     "(2..5 qubits); as in qmlsim bench");
  add_help_option(desc, t.help);
  return desc;
}

FusionOptions parse_fusion(const std::string& text) {
  if (text == "auto") return FusionOptions{};
  if (text == "off") return FusionOptions::off();
  const bool digit = text.size() == 1 && text[0] >= '0' && text[0] <= '9';
  const int k = digit ? text[0] - '0' : -1;
  if (k < kMinFusionQubits || k > kMaxFusionQubits)
    throw UsageError("invalid value '" + text + "' for --fusion: expected auto, off or a block size from " +
                     std::to_string(kMinFusionQubits) + " to " + std::to_string(kMaxFusionQubits) + " (qubits)");
  return FusionOptions::fixed(k);
}

bool given(const po::variables_map& vm, const char* name) { return vm.count(name) && !vm[name].defaulted(); }

// The gradient options, for --output gradient: which combinations mean something.
void check_gradient_options(const RunOptionText& t, const po::variables_map& vm, RunRequest& r) {
  r.method = parse_method(t.method);
  r.wrt = parse_wrt(t.wrt);
  if (r.method == GradientMethodKind::FiniteDifference) {
    r.fd_step = parse_positive(t.fd_step, "--fd-step", false, "1e-5");
    r.fd_order = static_cast<int>(parse_integer(t.fd_order, "--fd-order", 2, 4));
    if (r.fd_order != 2 && r.fd_order != 4)
      throw UsageError("invalid value '" + t.fd_order + "' for --fd-order: expected 2 or 4");
  } else {
    for (const char* name : {"fd-step", "fd-order"})
      if (given(vm, name)) throw UsageError(std::string("--") + name + " applies to --method fd");
  }
  if (r.shots && r.method != GradientMethodKind::ParameterShift)
    throw UsageError("--shots does not apply to --method " + method_name(r.method) +
                     "; the shot estimate of a gradient is --method shift --shots N");
  if (r.precision == Precision::Single)
    throw UsageError("--output gradient computes in double precision; --precision single does not apply");
}

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
    const bool estimate = r.output == OutputMode::Expectation || r.output == OutputMode::Gradient;
    r.shots = parse_unsigned(t.shots, "--shots", estimate ? kMinEstimateShots : 1,
                             std::numeric_limits<std::int64_t>::max());
  }
  if (!t.top.empty()) r.top = static_cast<std::size_t>(parse_unsigned(t.top, "--top", 0, std::uint64_t{1} << 40));
  r.observable = t.observable;
  r.format = parse_format(t.format);
  r.precision = parse_precision(t.precision);
  r.parallel = parse_threads(t.threads);
  r.memory = parse_max_memory(t.max_memory);
  r.fusion = parse_fusion(t.fusion);

  const bool exact_output = r.output == OutputMode::Probs || r.output == OutputMode::State;
  if (exact_output && r.shots)
    throw UsageError("--shots does not apply to --output " + t.output + " (exact values); use --output counts");
  if (r.output == OutputMode::Expectation || r.output == OutputMode::Gradient) {
    if (r.observable.empty())
      throw UsageError("--output " + t.output + " needs --observable, e.g. \"0.5*Z0 Z1 + X2\"");
    if (r.top) throw UsageError("--top does not apply to --output " + t.output);
  } else if (!r.observable.empty()) {
    throw UsageError("--observable applies to --output expectation and gradient");
  }
  if (r.output == OutputMode::Gradient) {
    check_gradient_options(t, vm, r);
  } else {
    for (const char* name : {"method", "wrt", "fd-step", "fd-order"})
      if (given(vm, name)) throw UsageError(std::string("--") + name + " applies to --output gradient");
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

// probs, state, expectation and gradient need the one final state.
void require_final_state(const BoundCircuit& bound, std::string_view output) {
  if (!bound.circuit.needs_trajectories()) return;
  // Counts are what such a circuit gives; a gradient has no shot-by-shot counterpart.
  const std::string hint = output == "gradient" ? "gradients need every measurement at the end of the circuit"
                                                : "use --output counts, which runs it shot by shot";
  throw InvalidArgument(bound.name + ": --output " + std::string(output) + " needs the state before measurement, but " +
                        no_single_final_state(bound.circuit.trajectory_reason()) + "; " + hint);
}

// --observable, checked against the circuit's qubits (a message naming the circuit, before any
// state exists).
PauliSum circuit_observable(const RunRequest& r, const BoundCircuit& bound) {
  PauliSum observable = PauliSum::parse(r.observable);
  const int n = bound.circuit.num_qubits();
  if (observable.num_qubits_needed() > n)
    throw InvalidArgument("observable '" + r.observable + "' acts on qubit " +
                          std::to_string(observable.num_qubits_needed() - 1) + " but " + bound.name + " has " +
                          plural(n, "qubit"));
  return observable;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
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
    CompiledCircuit compiled(circuit, r.fusion);
    compiled.bind(bound.theta);
    const StateVector<R> state = sim.run<R>(compiled);
    result.summary = summary_record(r, bound, false, seconds_since(start), r.shots);
    const TerminalMeasurements measured = terminal_measurements(circuit);
    // Whatever follows the state counts against what it left of the budget.
    const MemoryLimit scratch = r.memory.remaining_after(state_bytes(circuit.num_qubits(), sizeof(R)));
    const std::vector<std::pair<Index, double>> best = top_measured_outcomes(state, measured, top, scratch, r.parallel);
    if (r.shots) counts = sample_measured(state, measured, *r.shots, r.seed, scratch, r.parallel);
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

// The final state; `copies` state vectors must fit (checked before the run, so that a request
// that will need a second vector later is refused before the simulation, not after it).
template <class R>
StateVector<R> final_state(const RunRequest& r, const BoundCircuit& bound, std::string_view output, int copies = 1,
                           const char* purpose = nullptr) {
  require_final_state(bound, output);
  ensure_state_memory(bound.circuit.num_qubits(), sizeof(R), copies, r.memory, purpose);
  CompiledCircuit compiled(bound.circuit, r.fusion);
  compiled.bind(bound.theta);
  return Simulator(SimulatorOptions{r.parallel, r.memory}).run<R>(compiled);
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
BasisSelection<R> select_basis(const StateVector<R>& state, std::optional<std::size_t> top, const MemoryLimit& memory) {
  BasisSelection<R> s{state, std::nullopt};
  if (top) s.best = top_outcomes(state, *top, memory.remaining_after(state_bytes(state.num_qubits(), sizeof(R))));
  return s;
}

template <class R>
void write_probabilities(std::ostream& out, const StateVector<R>& state, std::optional<std::size_t> top,
                         Format format, const MemoryLimit& memory) {
  const int n = state.num_qubits();
  const BasisSelection<R> basis = select_basis(state, top, memory);
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
void write_amplitudes(std::ostream& out, const StateVector<R>& state, std::optional<std::size_t> top, Format format,
                      const MemoryLimit& memory) {
  const int n = state.num_qubits();
  const BasisSelection<R> basis = select_basis(state, top, memory);
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
  const PauliSum observable = circuit_observable(r, bound);
  // The shot estimate measures non-diagonal terms on a rotated copy of the state.
  const bool rotated_copy = r.shots && !observable.is_diagonal();
  const StateVector<R> state =
      final_state<R>(r, bound, "expectation", rotated_copy ? 2 : 1, rotated_copy ? "the shot estimate" : nullptr);
  Record result{{"observable", observable.to_string()}, {"expectation", expectation(observable, state, r.parallel)}};
  if (r.shots) {
    const ExpectationEstimate e = estimate_expectation(observable, state, *r.shots, r.seed, r.memory, r.parallel);
    result.insert(result.end(), {{"estimate", e.estimate}, {"standard_error", e.standard_error}, {"shots", e.shots}});
  }
  switch (r.format) {
    case Format::Table: write_text(out, result); return;
    case Format::Csv: write_record(out, result, Format::Csv); return;
    case Format::Json: out << json_line(to_json(result)) << '\n'; return;
  }
}

// ---- gradient ----

// The names of the circuit's parameters: a file's inputs, or theta0, theta1, ... for a
// standard circuit (whose parameters have no names).
std::vector<std::string> parameter_names(const Circuit& circuit) {
  std::vector<std::string> names = circuit.parameter_names();
  if (names.size() == static_cast<std::size_t>(circuit.num_parameters())) return names;
  names.clear();
  for (int i = 0; i < circuit.num_parameters(); ++i) names.push_back("theta" + std::to_string(i));
  return names;
}

// The --wrt names as parameter indices. An unknown name depends on the circuit, so it is bad
// input (exit 3), worded like an unknown --param.
std::vector<int> resolve_wrt(const RunRequest& r, const BoundCircuit& bound, const std::vector<std::string>& names) {
  std::vector<int> wrt;
  for (const std::string& name : r.wrt) {
    const auto it = std::find(names.begin(), names.end(), name);
    if (it != names.end()) {
      wrt.push_back(static_cast<int>(it - names.begin()));
      continue;
    }
    const char* what = r.file.empty() ? "parameter" : "input";
    std::string message = "--wrt " + name + ": unknown " + what + " '" + name + "'";
    if (const auto guess = closest_name(name, names)) message += " (did you mean '" + *guess + "'?)";
    if (names.empty()) {
      message += "; " + bound.name + (r.file.empty() ? " has no parameters" : " declares no inputs");
    } else if (r.file.empty()) {
      message += "; the parameters of " + bound.name + " are " + names.front() +
                 (names.size() > 1 ? " to " + names.back() : std::string());
    } else {
      std::string list;
      for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
      message += "; the inputs of " + bound.name + " are: " + list;
    }
    throw InvalidArgument(message);
  }
  return wrt;
}

struct GradientReport {
  Record head;  // observable, expectation, method, ..., evaluations: what the table shows on top
  std::vector<std::string> names;
  std::vector<double> values;
  GradientResult result;
  bool sampled = false;
};

GradientReport compute_gradient(const RunRequest& r, const BoundCircuit& bound) {
  const PauliSum pauli = circuit_observable(r, bound);
  require_final_state(bound, "gradient");
  const std::vector<std::string> all_names = parameter_names(bound.circuit);
  std::vector<int> wrt = resolve_wrt(r, bound, all_names);
  if (wrt.empty())  // every parameter, in index order (spelled out so the rows can be named)
    for (int i = 0; i < bound.circuit.num_parameters(); ++i) wrt.push_back(i);

  CompiledCircuit compiled(bound.circuit, r.fusion);
  compiled.bind(bound.theta);
  const Observable observable = pauli;
  const SimulatorOptions options{r.parallel, r.memory};
  const GradientSettings settings{r.method, r.shots.value_or(0), r.fd_step, r.fd_order};
  GradientReport report;
  report.result = make_gradient_method(compiled, wrt, settings, options)->gradient(compiled, observable, r.seed);
  if (report.result.gradient.size() != wrt.size())
    throw std::logic_error("gradient has " + std::to_string(report.result.gradient.size()) + " entries for " +
                           std::to_string(wrt.size()) + " parameters");
  report.sampled = r.shots.has_value();
  if (report.sampled && report.result.standard_error.size() != wrt.size())
    throw std::logic_error("shot gradient without a standard error per entry");
  for (const int i : wrt) {
    report.names.push_back(all_names[static_cast<std::size_t>(i)]);
    report.values.push_back(bound.theta[static_cast<std::size_t>(i)]);
  }

  Record& head = report.head;
  head = {{"observable", pauli.to_string()}, {"expectation", report.result.value}};
  if (report.sampled) head.emplace_back("expectation_standard_error", report.result.value_standard_error);
  head.emplace_back("method", method_name(r.method));
  if (r.method == GradientMethodKind::FiniteDifference) {
    head.emplace_back("fd_step", r.fd_step);
    head.emplace_back("fd_order", std::int64_t{r.fd_order});
  }
  if (report.sampled) {
    head.emplace_back("shots", *r.shots);
    head.emplace_back("seed", r.seed);
  }
  head.emplace_back("evaluations", report.result.circuit_evaluations);
  return report;
}

// One row per differentiated parameter, each prefixed by `prefix` (the head, for CSV).
Table gradient_table(const GradientReport& report, const Record& prefix) {
  std::vector<std::string> columns;
  for (const auto& field : prefix) columns.push_back(field.first);
  columns.insert(columns.end(), {"parameter", "value", "derivative"});
  if (report.sampled) columns.emplace_back("standard_error");
  Table table(std::move(columns));
  for (std::size_t k = 0; k < report.names.size(); ++k) {
    std::vector<Cell> row;
    for (const auto& field : prefix) row.push_back(field.second);
    row.insert(row.end(), {report.names[k], report.values[k], report.result.gradient[k]});
    if (report.sampled) row.emplace_back(report.result.standard_error[k]);
    table.add_row(std::move(row));
  }
  return table;
}

void write_gradient(std::ostream& out, const GradientReport& report, Format format) {
  switch (format) {
    case Format::Table:
      write_text(out, report.head);
      out << '\n';
      write_text(out, gradient_table(report, {}));
      return;
    case Format::Csv: write_csv(out, gradient_table(report, report.head)); return;
    case Format::Json: {
      // {"expectation": e, "gradient": {name: derivative, ...}} first, then the details.
      Json j = Json::object();
      j["expectation"] = report.result.value;
      Json gradient = Json::object();
      for (std::size_t k = 0; k < report.names.size(); ++k) gradient[report.names[k]] = report.result.gradient[k];
      j["gradient"] = std::move(gradient);
      if (report.sampled) {
        Json errors = Json::object();
        for (std::size_t k = 0; k < report.names.size(); ++k) errors[report.names[k]] = report.result.standard_error[k];
        j["standard_error"] = std::move(errors);
      }
      for (const auto& [name, value] : report.head)
        if (name != "expectation") j[name] = to_json(value);
      out << json_line(j) << '\n';
      return;
    }
  }
}

template <class R>
void run(std::ostream& out, const RunRequest& r) {
  const BoundCircuit bound = load_circuit(r);
  switch (r.output) {
    case OutputMode::Summary: write_summary(out, simulate_summary<R>(r, bound), r.format); return;
    case OutputMode::Probs:
      write_probabilities(out, final_state<R>(r, bound, "probs"), r.top, r.format, r.memory);
      return;
    case OutputMode::State:
      write_amplitudes(out, final_state<R>(r, bound, "state"), r.top, r.format, r.memory);
      return;
    case OutputMode::Counts: write_counts<R>(out, r, bound); return;
    case OutputMode::Expectation: write_expectation<R>(out, r, bound); return;
    case OutputMode::Gradient: write_gradient(out, compute_gradient(r, bound), r.format); return;
  }
}

}  // namespace

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
  with_precision(request.precision, [&]<class R>() { run<R>(out, request); });
}

}  // namespace qmlsim::cli

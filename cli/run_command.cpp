#include "cli/run_command.hpp"

#include <algorithm>
#include <chrono>
#include <limits>
#include <optional>
#include <ostream>
#include <queue>

#include "cli/circuit_source.hpp"
#include "cli/options.hpp"
#include "cli/output.hpp"
#include "simulator/execution/simulator.hpp"

namespace qmlsim::cli {
namespace {

constexpr const char* kUsage = "qmlsim run --circuit NAME --qubits N [options]";

// The command line as typed; converted and checked by to_request(). Defaults show in --help.
struct RunOptionText {
  bool help = false;
  std::string circuit, qubits, depth = "1", seed = "1", shots, top = "8";
  std::string format = "table", threads = "0", precision = "double", max_memory;
};

struct RunRequest {
  std::string circuit;
  int num_qubits = 0;
  int depth = 1;
  std::uint64_t seed = 1;
  std::optional<std::uint64_t> shots;
  std::size_t top = 8;
  Format format = Format::Table;
  Precision precision = Precision::Double;
  Parallelism parallel;
  MemoryLimit memory;
};

struct RunResult {
  Record summary;                 // circuit, num_qubits, gates, ..., seconds
  int outcome_width = 0;          // bits in an outcome's bitstring
  std::vector<Outcome> outcomes;  // most likely first
  std::optional<Counts> counts;   // with --shots
};

po::options_description describe_options(RunOptionText& t) {
  po::options_description desc("Options");
  desc.add_options()
      ("circuit", po::value(&t.circuit)->value_name("NAME"), ("standard circuit: " + library_names()).c_str())
      ("qubits", po::value(&t.qubits)->value_name("N"), "number of qubits")
      ("depth", po::value(&t.depth)->default_value(t.depth)->value_name("L"),
       "layers of the 'layers' and 'random' circuits")
      ("shots", po::value(&t.shots)->value_name("K"), "also sample K measurement outcomes")
      ("top", po::value(&t.top)->default_value(t.top)->value_name("K"), "number of most likely outcomes shown");
  add_seed_option(desc, t.seed);
  add_format_option(desc, t.format);
  add_threads_option(desc, t.threads, "T", "threads per gate (0: the default count)");
  add_precision_option(desc, t.precision);
  add_max_memory_option(desc, t.max_memory);
  add_help_option(desc, t.help);
  return desc;
}

RunRequest to_request(const RunOptionText& t) {
  // A positional circuit FILE will be the alternative to --circuit (exactly one of them).
  if (t.circuit.empty()) throw UsageError("missing --circuit NAME (one of: " + library_names() + ")");
  if (t.qubits.empty()) throw UsageError("missing --qubits N");
  RunRequest r;
  r.circuit = t.circuit;
  r.num_qubits = static_cast<int>(parse_integer(t.qubits, "--qubits", 1, kMaxQubits));
  r.depth = static_cast<int>(parse_integer(t.depth, "--depth", 0, std::numeric_limits<int>::max()));
  r.seed = parse_seed(t.seed);
  if (!t.shots.empty())
    r.shots = parse_unsigned(t.shots, "--shots", 1, std::numeric_limits<std::int64_t>::max());
  r.top = static_cast<std::size_t>(parse_unsigned(t.top, "--top", 0, std::uint64_t{1} << 20));
  r.format = parse_format(t.format);
  r.precision = parse_precision(t.precision);
  r.parallel = parse_threads(t.threads);
  r.memory = parse_max_memory(t.max_memory);
  return r;
}

// "a before b" in the outcome list: more probable first, then lower index.
bool more_likely(const Outcome& a, const Outcome& b) noexcept {
  return a.probability > b.probability || (a.probability == b.probability && a.index < b.index);
}

bool measures(const Circuit& circuit) {
  return std::any_of(circuit.operations().begin(), circuit.operations().end(),
                     [](const Operation& op) { return op.kind == GateKind::Measure; });
}

// Simulator::sample counts over the classical bits when the circuit measures, else over all qubits.
int outcome_width(const Circuit& circuit) { return measures(circuit) ? circuit.num_clbits() : circuit.num_qubits(); }

// The counts of `shots` samples. A unitary circuit's counts are those of its final state (this is
// what Simulator::sample does for it), so the state already computed is sampled: no second run
// and no second vector. Other circuits go through Simulator::sample after the state is freed.
template <class R>
Counts sample_outcomes(const Simulator& sim, const BoundCircuit& bound, std::optional<StateVector<R>>& state,
                       std::uint64_t shots, std::uint64_t seed) {
  if (bound.circuit.is_unitary()) return sample_counts(*state, shots, seed);
  state.reset();
  return sim.sample<R>(bound.circuit, bound.theta, shots, seed);
}

Record summary_of(const RunRequest& r, const BoundCircuit& bound, double seconds) {
  Record s{{"circuit", bound.name},
           {"num_qubits", std::int64_t{bound.circuit.num_qubits()}},
           {"gates", static_cast<std::int64_t>(bound.circuit.num_gates())},
           {"parameters", std::int64_t{bound.circuit.num_parameters()}},
           {"precision", std::string(to_string(r.precision))},
           {"threads", std::int64_t{effective_threads(r.parallel.threads)}},
           {"seed", r.seed},
           {"seconds", seconds}};
  if (r.shots) s.emplace_back("shots", *r.shots);
  return s;
}

template <class R>
RunResult simulate(const RunRequest& r) {
  const BoundCircuit bound = library_circuit(r.circuit, r.num_qubits, r.depth, r.seed);
  // Refuse an impossible size before anything of size 2^n exists (the state vector would too).
  ensure_state_memory(bound.circuit.num_qubits(), sizeof(R), 1, r.memory);
  const Simulator sim(SimulatorOptions{r.parallel, r.memory});
  const auto start = std::chrono::steady_clock::now();
  std::optional<StateVector<R>> state(sim.run<R>(bound.circuit, bound.theta));
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;

  RunResult result;
  result.summary = summary_of(r, bound, elapsed.count());
  result.outcome_width = outcome_width(bound.circuit);
  result.outcomes = top_outcomes(*state, r.top);
  // Outcomes of (numerically) zero probability are not "likely": leave them out of the list.
  std::erase_if(result.outcomes, [](const Outcome& o) { return o.probability < 1e-15; });
  if (r.shots) result.counts = sample_outcomes(sim, bound, state, *r.shots, r.seed);
  return result;
}

std::uint64_t count_of(const Counts& counts, Index index) {
  const auto it = counts.find(index);
  return it == counts.end() ? 0 : it->second;
}

// The outcomes as rows, each prefixed by `prefix` (the summary, for CSV) and followed by its
// sampled count when there are counts.
Table outcome_table(const RunResult& result, const Record& prefix) {
  std::vector<std::string> columns;
  for (const auto& field : prefix) columns.push_back(field.first);
  columns.insert(columns.end(), {"bitstring", "probability"});
  if (result.counts) columns.emplace_back("count");
  Table table(std::move(columns));
  for (const Outcome& o : result.outcomes) {
    std::vector<Cell> row;
    for (const auto& field : prefix) row.push_back(field.second);
    row.insert(row.end(), {to_bitstring(o.index, result.outcome_width), o.probability});
    if (result.counts) row.emplace_back(count_of(*result.counts, o.index));
    table.add_row(std::move(row));
  }
  return table;
}

Json json_of(const RunResult& result) {
  Json j = to_json(result.summary);
  j["outcomes"] = to_json(outcome_table(result, {}));
  if (result.counts) {
    Json counts = Json::object();
    for (const auto& [index, count] : *result.counts) counts[to_bitstring(index, result.outcome_width)] = count;
    j["counts"] = std::move(counts);
  }
  return j;
}

void write_result(std::ostream& out, const RunResult& result, Format format) {
  switch (format) {
    case Format::Table:
      write_text(out, result.summary);
      out << '\n';
      write_text(out, outcome_table(result, {}));
      return;
    case Format::Csv: write_csv(out, outcome_table(result, result.summary)); return;
    case Format::Json: write_json(out, json_of(result)); return;
  }
}

}  // namespace

template <class R>
std::vector<Outcome> top_outcomes(const StateVector<R>& state, std::size_t k) {
  k = static_cast<std::size_t>(std::min<Index>(k, state.size()));
  if (k == 0) return {};
  // Max-heap under more_likely: its top is the least likely outcome kept so far.
  std::priority_queue<Outcome, std::vector<Outcome>, decltype(&more_likely)> kept(&more_likely);
  const auto* amp = state.data();
  for (Index i = 0; i < state.size(); ++i) {
    const double re = amp[i].real(), im = amp[i].imag();
    const Outcome o{i, re * re + im * im};
    if (kept.size() < k) {
      kept.push(o);
    } else if (more_likely(o, kept.top())) {
      kept.pop();
      kept.push(o);
    }
  }
  std::vector<Outcome> out;
  out.reserve(k);
  for (; !kept.empty(); kept.pop()) out.push_back(kept.top());
  std::reverse(out.begin(), out.end());
  return out;
}

template std::vector<Outcome> top_outcomes<double>(const StateVector<double>&, std::size_t);
template std::vector<Outcome> top_outcomes<float>(const StateVector<float>&, std::size_t);

void run_command(const std::vector<std::string>& args, std::ostream& out) {
  RunOptionText text;
  const po::options_description desc = describe_options(text);
  parse_command_line(args, desc);
  if (text.help) {
    print_command_help(out, kUsage,
                       "Simulates a standard circuit from |0...0> and prints its most likely outcomes\n"
                       "(bitstrings with qubit n-1 leftmost). Parameters of the 'layers' circuit are\n"
                       "angles in [-pi, pi) drawn from --seed. With --shots, also samples measurement\n"
                       "counts from --seed.",
                       desc);
    return;
  }
  const RunRequest request = to_request(text);
  const RunResult result =
      request.precision == Precision::Single ? simulate<float>(request) : simulate<double>(request);
  write_result(out, result, request.format);
}

}  // namespace qmlsim::cli

#include "cli/bench_command.hpp"

#include <algorithm>
#include <chrono>
#include <limits>
#include <optional>
#include <ostream>
#include <stdexcept>

#include "cli/circuit_source.hpp"
#include "cli/options.hpp"
#include "cli/outcomes.hpp"
#include "cli/output.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/state_vector.hpp"
#include "simulator/execution/compiled_circuit.hpp"

namespace qmlsim::cli {
namespace {

constexpr const char* kUsage = "qmlsim bench [options]";

// The command line as typed; defaults show in --help.
struct BenchOptionText {
  bool help = false;
  std::string circuit = "layers", qubits = "10:20:2", depth = "10", threads = "0", repeats = "5", seed = "1";
  std::string precision = "double", format = "table", max_memory;
};

struct BenchRequest {
  std::string circuit;  // a standard circuit's name or a .qasm file
  std::vector<int> qubits;
  int depth = 10;
  std::vector<int> threads;  // 0 = the default count
  int repeats = 5;
  std::uint64_t seed = 1;
  Precision precision = Precision::Double;
  Format format = Format::Table;
  MemoryLimit memory;
  std::optional<BoundCircuit> file;  // the parsed file when `circuit` is a .qasm path
};

// One measured configuration.
struct BenchCase {
  int num_qubits = 0;
  int threads = 0;
};

po::options_description describe_options(BenchOptionText& t) {
  po::options_description desc("Options");
  desc.add_options()
      ("circuit", po::value(&t.circuit)->default_value(t.circuit)->value_name("NAME"),
       ("standard circuit (" + library_names() + ") or an OpenQASM file FILE.qasm").c_str())
      ("qubits", po::value(&t.qubits)->default_value(t.qubits)->value_name("RANGE"),
       "qubit counts: N, START:STOP[:STEP] (inclusive) or a comma-separated list of these "
       "(not with a file, whose size is fixed)")
      ("depth", po::value(&t.depth)->default_value(t.depth)->value_name("L"),
       "layers of the 'layers' and 'random' circuits")
      ("repeats", po::value(&t.repeats)->default_value(t.repeats)->value_name("R"),
       "timed runs per configuration (after one warm-up run)");
  add_threads_option(desc, t.threads, "LIST", "comma-separated thread counts (0: the default count)");
  add_seed_option(desc, t.seed);
  add_precision_option(desc, t.precision);
  add_format_option(desc, t.format);
  add_max_memory_option(desc, t.max_memory);
  add_help_option(desc, t.help);
  return desc;
}

BenchRequest to_request(const BenchOptionText& t, const po::variables_map& vm) {
  BenchRequest r;
  r.circuit = t.circuit;
  if (is_qasm_path(t.circuit)) {
    for (const char* name : {"qubits", "depth"})
      if (vm.count(name) && !vm[name].defaulted())
        throw UsageError(std::string("--") + name + " applies to standard circuits; " + t.circuit +
                         " fixes its own size");
  } else {
    r.qubits = parse_int_range(t.qubits, "--qubits", 1, kMaxQubits);
  }
  r.depth = static_cast<int>(parse_integer(t.depth, "--depth", 0, std::numeric_limits<int>::max()));
  r.threads = parse_thread_list(t.threads);
  r.repeats = static_cast<int>(parse_integer(t.repeats, "--repeats", 1, 1'000'000));
  r.seed = parse_seed(t.seed);
  r.precision = parse_precision(t.precision);
  r.format = parse_format(t.format);
  r.memory = parse_max_memory(t.max_memory);
  return r;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Times `repeats` runs of the bound circuit on one state: each run starts from |0...0> (reset
// outside the timing), after one untimed warm-up run.
template <class R>
std::vector<double> time_runs(const CompiledCircuit& compiled, const BenchCase& c, int repeats,
                              const MemoryLimit& memory) {
  StateVector<R> state(c.num_qubits, Parallelism{c.threads, kDefaultParallelThreshold}, memory);
  compiled.apply(state);
  std::vector<double> seconds;
  for (int i = 0; i < repeats; ++i) {
    state.set_zero_state();
    const auto start = std::chrono::steady_clock::now();
    compiled.apply(state);
    seconds.push_back(seconds_since(start));
  }
  return seconds;
}

// The circuit of one row: a standard circuit of `num_qubits` qubits, or the file (parsed once).
BoundCircuit bench_circuit(const BenchRequest& r, int num_qubits) {
  if (r.file) return *r.file;
  return library_circuit(r.circuit, num_qubits, r.depth, r.seed);
}

std::vector<double> time_case(const BenchRequest& r, const BenchCase& c) {
  const BoundCircuit bound = bench_circuit(r, c.num_qubits);
  const std::size_t real_bytes = r.precision == Precision::Single ? sizeof(float) : sizeof(double);
  ensure_state_memory(c.num_qubits, real_bytes, 1, r.memory);
  CompiledCircuit compiled(bound.circuit);
  compiled.bind(bound.theta);
  return r.precision == Precision::Single ? time_runs<float>(compiled, c, r.repeats, r.memory)
                                          : time_runs<double>(compiled, c, r.repeats, r.memory);
}

Table scaling_table() {
  return Table({"circuit", "qubits", "threads", "precision", "gates", "seconds_median", "seconds_min",
                "seconds_max", "ns_per_gate", "amplitudes_per_s"});
}

void add_scaling_row(Table& table, const BenchRequest& r, const BenchCase& c, std::size_t gates,
                     const TimingSummary& t) {
  const double g = static_cast<double>(gates);
  const double amplitudes = static_cast<double>(Index{1} << c.num_qubits);
  table.add_row({r.circuit, std::int64_t{c.num_qubits}, std::int64_t{c.threads}, std::string(to_string(r.precision)),
                 static_cast<std::int64_t>(gates), t.median, t.min, t.max, gates ? t.median * 1e9 / g : 0.0,
                 t.median > 0 ? g * amplitudes / t.median : 0.0});
}

// The qubit-scaling benchmark: every qubit count (outer) times every thread count (inner).
// Other benchmarks (bandwidth, fusion) become siblings of this function.
Table scaling_benchmark(const BenchRequest& r) {
  Table table = scaling_table();
  for (int n : r.qubits) {
    // Validate once per size, before any timing: an unknown circuit fails fast.
    const std::size_t gates = bench_circuit(r, n).circuit.num_gates();
    for (int t : r.threads) {
      const BenchCase c{n, effective_threads(t)};
      add_scaling_row(table, r, c, gates, summarize_timings(time_case(r, c)));
    }
  }
  return table;
}

}  // namespace

TimingSummary summarize_timings(std::vector<double> seconds) {
  if (seconds.empty()) throw std::invalid_argument("summarize_timings: no timings");
  std::sort(seconds.begin(), seconds.end());
  const std::size_t n = seconds.size();
  const double median = n % 2 ? seconds[n / 2] : 0.5 * (seconds[n / 2 - 1] + seconds[n / 2]);
  return TimingSummary{median, seconds.front(), seconds.back()};
}

void bench_command(const std::vector<std::string>& args, std::ostream& out) {
  BenchOptionText text;
  const po::options_description desc = describe_options(text);
  const po::variables_map vm = parse_command_line(args, desc);
  if (text.help) {
    print_command_help(out, kUsage,
                       "Qubit-scaling benchmark: for each qubit count and thread count, compiles the\n"
                       "circuit once, makes one warm-up run, then times --repeats runs from |0...0>.\n"
                       "Columns: the median, fastest and slowest run in seconds, ns_per_gate =\n"
                       "median / gates, and amplitudes_per_s = gates * 2^qubits / median.\n"
                       "--circuit FILE.qasm times an OpenQASM file at its own size, its inputs bound to\n"
                       "angles in [-pi, pi) drawn from --seed (terminal measurements are ignored).",
                       desc);
    return;
  }
  BenchRequest request = to_request(text, vm);
  if (is_qasm_path(request.circuit)) {
    // The file's inputs are bound to random_angles(P, --seed), like the standard circuits' parameters.
    BoundCircuit file = file_circuit_with_random_inputs(request.circuit, request.seed);
    if (file.circuit.needs_trajectories())
      throw InvalidArgument(request.circuit + ": bench times state-vector runs, but the circuit has a mid-circuit "
                            "measurement, reset or condition (" + file.circuit.trajectory_reason() + ")");
    request.qubits = {file.circuit.num_qubits()};
    request.file = std::move(file);
  }
  write_table(out, scaling_benchmark(request), request.format);
}

}  // namespace qmlsim::cli

#include "cli/bench_command.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <tuple>

#include "cli/bandwidth.hpp"
#include "cli/circuit_source.hpp"
#include "cli/options.hpp"
#include "cli/output.hpp"
#include "cli/plot.hpp"
#include "qml/ansatz/ansatz.hpp"
#include "qml/eval/gradient_variance.hpp"
#include "simulator/core/precision.hpp"
#include "simulator/core/state_vector.hpp"
#include "simulator/core/validate.hpp"
#include "simulator/execution/compiled_circuit.hpp"

namespace qmlsim::cli {
namespace {

constexpr const char* kUsage = "qmlsim bench [options]";

constexpr const char* kHelp =
    "Times a circuit over qubit counts, precisions, fusion settings and thread counts (one row\n"
    "each, in that nesting order) and compares every run with the memory-bandwidth limit of this\n"
    "machine. Each row compiles the circuit once with its --fusion setting, makes one untimed\n"
    "warm-up run, then times --repeats runs, each from |0...0>.\n"
    "\n"
    "Columns:\n"
    "  circuit, qubits      the circuit (a standard name or the file) and its size\n"
    "  threads              threads used (0 in --threads becomes the default count)\n"
    "  precision            double (16-byte amplitudes) or single (8-byte amplitudes)\n"
    "  fusion               'off' for --fusion off; otherwise the --fusion value, ':' and the\n"
    "                       largest block fusion actually built, in qubits ('auto:3', '5:3'), or\n"
    "                       ':off' when it found nothing worth fusing ('auto:off', '4:off')\n"
    "  gates                gates of the circuit, before fusion\n"
    "  passes               passes over the state vector after fusion: every executed gate or\n"
    "                       fused block counts the fraction of the state's 64-byte cache lines it\n"
    "                       reads and writes. A gate controlled by a qubit above the cache-line\n"
    "                       bits (qubit >= 2 in double, >= 3 in single) touches half of them and\n"
    "                       counts 1/2 per such control, so passes can be fractional\n"
    "  seconds_median, seconds_min, seconds_max   over the --repeats timed runs\n"
    "  ns_per_gate          seconds_median / gates, in nanoseconds\n"
    "  gb_per_s             passes x 2 x state bytes / seconds_median / 1e9: the effective memory\n"
    "                       traffic (state bytes = 2^qubits x amplitude bytes; a full pass reads\n"
    "                       and writes the state once, 2 x state bytes)\n"
    "  bandwidth_gb_per_s   memory bandwidth measured by this command at the row's thread count:\n"
    "                       2 x array bytes / median time of 7 in-place read-and-write sweeps\n"
    "                       x[i] = 0.5 x[i] + 1 over an array larger than the last-level cache\n"
    "                       (--bandwidth-array), after one warm-up sweep; measured once per\n"
    "                       thread count, before the timed runs\n"
    "  limit_s              passes x 2 x state bytes / (bandwidth_gb_per_s x 1e9): the time the\n"
    "                       run's own passes need at full memory bandwidth\n"
    "  ratio_to_limit       seconds_median / limit_s. 1.0 is the memory-bandwidth wall; above 1\n"
    "                       is time spent on arithmetic, overhead or thread start-up. limit_s\n"
    "                       counts the passes after fusion, so fusion lowers passes and limit_s\n"
    "                       together; to see what fusion gains, compare seconds_median (or a fused\n"
    "                       row with the limit_s of its 'off' row). Below 1 means the passes ran\n"
    "                       faster than memory allows: the state (2^qubits x amplitude bytes) fits\n"
    "                       in the cache, as on small states.\n"
    "\n"
    "--plot FILE.png writes, after the table, seconds_median and ratio_to_limit against qubits\n"
    "(log scale, one line per threads/precision/fusion) with gnuplot from PATH (Debian package\n"
    "gnuplot-nox); without gnuplot the table is still printed, then the command fails (exit 3).\n"
    "--circuit FILE.qasm times an OpenQASM file at its own size, its inputs bound to angles in\n"
    "[-pi, pi) drawn from --seed (terminal measurements are ignored). Standard circuits' angles\n"
    "are drawn from --seed too, so every run of a row uses the same circuit.\n"
    "\n"
    "Example: qmlsim bench --qubits 20,24 --threads 1,2 --fusion off,auto --plot scaling.png\n"
    "\n"
    "--workload gradient-variance (barren plateaus, McClean et al. 2018; Cerezo et al. 2021): for\n"
    "each qubit count n (--qubits, default 2:10:2), the ansatz (--ansatz SPEC without reps, default\n"
    "two-local:rotation_blocks=ry+rz,entanglement_blocks=cz,entanglement=linear: RY and RZ layers\n"
    "with a CZ ladder) with --layers repetitions, at --samples initialisations (sample s: weights\n"
    "uniform in [0, 2 pi) from --seed + s), and from |0...0> the derivatives with respect to w0 (the\n"
    "first rotation on qubit 0) of the global cost C_G = 1 - p(0...0) and the local cost\n"
    "C_L = 1 - (1/n) sum_j p_j(0), by the adjoint method. Columns: ansatz, qubits, layers, weights\n"
    "(the ansatz's weight count), samples, variance_global, variance_local (sample variances of\n"
    "dC/dw0 over the samples), mean_global, mean_local, seconds (wall time of the row). --plot\n"
    "FILE.png draws both variances against qubits on a log scale. --threads takes one count here.\n"
    "\n"
    "Example: qmlsim bench --workload gradient-variance --qubits 2:14:2 --layers 10 --samples 200";

// The command line as typed; defaults show in --help.
struct BenchOptionText {
  bool help = false;
  std::string circuit = "layers", qubits = "10:20:2", depth = "10", threads = "0", repeats = "5", seed = "1";
  std::string precision = "double", fusion = "auto", format = "table", max_memory, plot, bandwidth_array;
  std::string workload = "circuit", layers = "10", samples = "100", ansatz;
};

// --workload gradient-variance: --qubits when not given.
constexpr const char* kGradientVarianceQubits = "2:10:2";

// One --fusion value: as typed ("auto", "off", "4") and as options for CompiledCircuit.
struct FusionChoice {
  std::string text;
  FusionOptions options;
};

struct BenchRequest {
  std::string circuit;  // a standard circuit's name or a .qasm file
  std::vector<int> qubits;
  int depth = 10;
  std::vector<int> threads;  // resolved: 0 already replaced by the default count
  int repeats = 5;
  std::uint64_t seed = 1;
  std::vector<Precision> precisions;
  std::vector<FusionChoice> fusions;
  Format format = Format::Table;
  MemoryLimit memory;
  std::string plot;                              // PNG path, empty for none
  std::optional<std::uint64_t> bandwidth_bytes;  // sweep array size; unset: default_sweep_bytes
  std::optional<BoundCircuit> file;              // the parsed file when `circuit` is a .qasm path
};

// One measured configuration.
struct BenchCase {
  int num_qubits = 0;
  int threads = 0;
  Precision precision = Precision::Double;
};

constexpr int kMinFusionQubits = 2;
constexpr int kMaxFusionQubits = 5;

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> parts;
  std::string::size_type begin = 0;
  while (true) {
    const auto end = text.find(',', begin);
    parts.push_back(text.substr(begin, end == std::string::npos ? std::string::npos : end - begin));
    if (end == std::string::npos) return parts;
    begin = end + 1;
  }
}

std::vector<FusionChoice> parse_fusion_list(const std::string& text) {
  const std::string expected = "expected auto, off or a block size from " + std::to_string(kMinFusionQubits) +
                               " to " + std::to_string(kMaxFusionQubits) + " (qubits), or a comma-separated list";
  std::vector<FusionChoice> choices;
  for (const std::string& item : split_commas(text)) {
    if (item == "auto") {
      choices.push_back({item, FusionOptions{}});
    } else if (item == "off") {
      choices.push_back({item, FusionOptions::off()});
    } else {
      const bool digits = !item.empty() && item.size() <= 2 &&
                          std::all_of(item.begin(), item.end(), [](char c) { return c >= '0' && c <= '9'; });
      const int k = digits ? std::stoi(item) : -1;
      if (k < kMinFusionQubits || k > kMaxFusionQubits)
        throw UsageError("invalid value '" + text + "' for --fusion: " + expected);
      choices.push_back({item, FusionOptions::fixed(k)});
    }
  }
  return choices;
}

std::vector<Precision> parse_precision_list(const std::string& text) {
  std::vector<Precision> precisions;
  for (const std::string& item : split_commas(text)) precisions.push_back(parse_precision(item));
  return precisions;
}

po::options_description describe_options(BenchOptionText& t) {
  po::options_description desc("Options");
  desc.add_options()
      ("workload", po::value(&t.workload)->default_value(t.workload)->value_name("W"),
       "circuit (time circuit runs) or gradient-variance (barren plateaus: see below)")
      ("circuit", po::value(&t.circuit)->default_value(t.circuit)->value_name("NAME"),
       ("standard circuit (" + library_names() + ") or an OpenQASM file FILE.qasm").c_str())
      ("qubits", po::value(&t.qubits)->default_value(t.qubits)->value_name("RANGE"),
       "qubit counts: N, START:STOP[:STEP] (inclusive) or a comma-separated list of these "
       "(not with a file, whose size is fixed)")
      ("depth", po::value(&t.depth)->default_value(t.depth)->value_name("L"),
       "layers of the 'layers' and 'random' circuits")
      ("repeats", po::value(&t.repeats)->default_value(t.repeats)->value_name("R"),
       "timed runs per row (after one warm-up run)");
  add_threads_option(desc, t.threads, "LIST", "comma-separated thread counts (0: the default count)");
  add_seed_option(desc, t.seed);
  desc.add_options()
      ("precision", po::value(&t.precision)->default_value(t.precision)->value_name("P"),
       "state vector precision: double or single, or both: double,single")
      ("fusion", po::value(&t.fusion)->default_value(t.fusion)->value_name("F"),
       "gate fusion: auto (a cost model chooses), off, or K = blocks of at most K qubits (2..5); "
       "a comma-separated list gives one row each: off,auto")
      ("plot", po::value(&t.plot)->value_name("FILE.png"),
       "also write a PNG of seconds_median and ratio_to_limit against qubits (needs gnuplot)")
      ("bandwidth-array", po::value(&t.bandwidth_array)->value_name("SIZE"),
       "size of the bandwidth sweep array such as 512M (default: max(4 x last-level cache, 256 MiB), "
       "or 2 x cache if memory is short). Below the cache size it measures the cache, not memory: "
       "only for quick tests");
  desc.add_options()
      ("layers", po::value(&t.layers)->default_value(t.layers)->value_name("L"),
       "gradient-variance: repetitions (reps) of the ansatz")
      ("samples", po::value(&t.samples)->default_value(t.samples)->value_name("S"),
       "gradient-variance: random initialisations per qubit count (at least 2)")
      ("ansatz", po::value(&t.ansatz)->value_name("SPEC"),
       "gradient-variance: the ansatz, NAME[:key=value,...] without reps (default: RY+RZ layers "
       "with a CZ ladder)");
  add_format_option(desc, t.format);
  add_max_memory_option(desc, t.max_memory);
  add_help_option(desc, t.help);
  return desc;
}

// --plot's file, empty without --plot.
std::string plot_path(const BenchOptionText& t, const po::variables_map& vm) {
  if (vm.count("plot") && t.plot.empty())
    throw UsageError("invalid value '' for --plot: expected a file name such as scaling.png");
  return vm.count("plot") ? t.plot : std::string();
}

// Options of the other workload, given explicitly, are usage errors naming the workload.
void refuse_options(const po::variables_map& vm, std::initializer_list<const char*> names, const std::string& workload) {
  for (const char* name : names)
    if (vm.count(name) && !vm[name].defaulted())
      throw UsageError(std::string("--") + name + " does not apply to --workload " + workload);
}

BenchRequest to_request(const BenchOptionText& t, const po::variables_map& vm) {
  refuse_options(vm, {"layers", "samples", "ansatz"}, "circuit");
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
  for (const int threads : parse_thread_list(t.threads)) r.threads.push_back(effective_threads(threads));
  r.repeats = static_cast<int>(parse_integer(t.repeats, "--repeats", 1, 1'000'000));
  r.seed = parse_seed(t.seed);
  r.precisions = parse_precision_list(t.precision);
  r.fusions = parse_fusion_list(t.fusion);
  r.format = parse_format(t.format);
  r.memory = parse_max_memory(t.max_memory);
  r.plot = plot_path(t, vm);
  if (vm.count("bandwidth-array")) r.bandwidth_bytes = parse_max_memory(t.bandwidth_array, "--bandwidth-array").max_bytes;
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
  const Parallelism par{c.threads, kDefaultParallelThreshold};
  StateVector<R> state(c.num_qubits, par, memory);
  compiled.apply(state, par);
  std::vector<double> seconds;
  for (int i = 0; i < repeats; ++i) {
    state.set_zero_state(par);
    const auto start = std::chrono::steady_clock::now();
    compiled.apply(state, par);
    seconds.push_back(seconds_since(start));
  }
  return seconds;
}

std::vector<double> time_case(const BenchRequest& r, const CompiledCircuit& compiled, const BenchCase& c) {
  ensure_state_memory(c.num_qubits, real_bytes(c.precision), 1, r.memory);
  return with_precision(c.precision, [&]<class R>() { return time_runs<R>(compiled, c, r.repeats, r.memory); });
}

// The circuit of one size: a standard circuit of `num_qubits` qubits, or the file (parsed once).
BoundCircuit bench_circuit(const BenchRequest& r, int num_qubits) {
  if (r.file) return *r.file;
  return library_circuit(r.circuit, num_qubits, r.depth, r.seed);
}

// "off"; else the requested value, ':' and the largest fused block ("auto:3", "5:3", "auto:off").
std::string fusion_label(const FusionChoice& f, int fused_qubits) {
  if (f.options.mode == FusionOptions::Mode::Off) return "off";
  return f.text + ":" + (fused_qubits > 0 ? std::to_string(fused_qubits) : std::string("off"));
}

// The derived columns of one row; see the help text for the definitions.
struct RowMetrics {
  double ns_per_gate = 0.0;
  double gb_per_s = 0.0;
  double bandwidth_gb_per_s = 0.0;
  double limit_s = 0.0;
  double ratio_to_limit = 0.0;
};

RowMetrics row_metrics(std::size_t gates, double passes, double state_bytes, const TimingSummary& t,
                       double bandwidth_bytes_per_s) {
  RowMetrics m;
  const double traffic = passes * 2.0 * state_bytes;  // bytes read and written by the run
  m.ns_per_gate = gates ? t.median * 1e9 / static_cast<double>(gates) : 0.0;
  m.gb_per_s = t.median > 0 ? traffic / t.median / 1e9 : 0.0;
  m.bandwidth_gb_per_s = bandwidth_bytes_per_s / 1e9;
  m.limit_s = traffic / (m.bandwidth_gb_per_s * 1e9);
  // No passes (an empty circuit): no limit to compare with.
  m.ratio_to_limit = m.limit_s > 0 ? t.median / m.limit_s : std::numeric_limits<double>::quiet_NaN();
  return m;
}

// A row as the plot needs it.
struct PlotKey {
  int threads;
  Precision precision;
  std::string fusion;
  bool operator<(const PlotKey& o) const {
    return std::tie(threads, precision, fusion) < std::tie(o.threads, o.precision, o.fusion);
  }
};

// The state of one invocation: the table, the plot's series, the bandwidth per thread count.
struct BenchRun {
  Table table{std::vector<std::string>(std::begin(kBenchColumns), std::end(kBenchColumns))};
  std::map<int, double> bandwidth;  // bytes per second by thread count, measured once each
  std::vector<PlotSeries> series;
  std::map<PlotKey, std::size_t> series_index;

  void add_point(const PlotKey& key, PlotPoint point) {
    auto [it, inserted] = series_index.try_emplace(key, series.size());
    if (inserted)
      series.push_back({std::to_string(key.threads) + (key.threads == 1 ? " thread, " : " threads, ") +
                            std::string(to_string(key.precision)) + ", fusion " + key.fusion,
                        {}});
    series[it->second].points.push_back(point);
  }
};

// A --plot into a missing directory fails before anything runs (nothing to check without --plot).
// Fails fast, before any bandwidth sweep or timing: an unknown circuit, a state too large for the
// memory, or a plot into a missing directory. Returns the gate count of each size.
std::vector<std::size_t> validate(const BenchRequest& r) {
  std::vector<std::size_t> gates;
  for (const int n : r.qubits) gates.push_back(bench_circuit(r, n).circuit.num_gates());
  const int largest = *std::max_element(r.qubits.begin(), r.qubits.end());
  for (const Precision p : r.precisions) ensure_state_memory(largest, real_bytes(p), 1, r.memory);
  check_output_directory(r.plot, "--plot");
  return gates;
}

void measure_bandwidths(const BenchRequest& r, BenchRun& run) {
  std::vector<int> distinct = r.threads;
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  try {
    const std::uint64_t bytes =
        r.bandwidth_bytes ? *r.bandwidth_bytes : default_sweep_bytes(last_level_cache_bytes(), r.memory);
    // One array for all thread counts, released before the first state is allocated.
    for (const BandwidthMeasurement& m : measure_bandwidth(distinct, bytes, 7, r.memory))
      run.bandwidth[m.threads] = m.bytes_per_second;
  } catch (const ResourceError& e) {
    throw ResourceError(std::string(e.what()) + " (--bandwidth-array SIZE sets a smaller sweep array)");
  }
}

BenchRun run_benchmark(const BenchRequest& r) {
  const std::vector<std::size_t> gates = validate(r);
  BenchRun run;
  measure_bandwidths(r, run);
  for (std::size_t i = 0; i < r.qubits.size(); ++i) {
    const int n = r.qubits[i];
    const BoundCircuit bound = bench_circuit(r, n);
    for (const Precision precision : r.precisions) {
      const double state_bytes = std::ldexp(static_cast<double>(amplitude_bytes(precision)), n);
      for (const FusionChoice& fusion : r.fusions) {
        CompiledCircuit compiled(bound.circuit, fusion.options);
        compiled.bind(bound.theta);
        const double passes = compiled.passes(amplitude_bytes(precision));
        const std::string label = fusion_label(fusion, compiled.fusion_qubits());
        for (const int threads : r.threads) {
          const BenchCase c{n, threads, precision};
          const TimingSummary t = summarize_timings(time_case(r, compiled, c));
          const RowMetrics m = row_metrics(gates[i], passes, state_bytes, t, run.bandwidth.at(threads));
          run.table.add_row({r.circuit, std::int64_t{n}, std::int64_t{threads}, std::string(to_string(precision)),
                             label, static_cast<std::int64_t>(gates[i]), passes, t.median, t.min, t.max,
                             m.ns_per_gate, m.gb_per_s, m.bandwidth_gb_per_s, m.limit_s, m.ratio_to_limit});
          run.add_point({threads, precision, fusion.text}, {static_cast<double>(n), t.median, m.ratio_to_limit});
        }
      }
    }
  }
  return run;
}

std::string plot_title(const BenchRequest& r) {
  std::string title = "qmlsim bench: " + r.circuit;
  if (!r.file && (r.circuit == "layers" || r.circuit == "random")) title += ", depth " + std::to_string(r.depth);
  return title;
}

// --workload gradient-variance: the request, the table, the plot.
struct GradientVarianceRequest {
  qml::GradientVarianceOptions options;
  SimulatorOptions simulator;
  Format format = Format::Table;
  std::string plot;
};

GradientVarianceRequest to_gradient_variance_request(const BenchOptionText& t, const po::variables_map& vm) {
  refuse_options(vm, {"circuit", "depth", "repeats", "precision", "fusion", "bandwidth-array"}, "gradient-variance");
  GradientVarianceRequest r;
  const bool qubits_given = vm.count("qubits") && !vm["qubits"].defaulted();
  r.options.qubits = parse_int_range(qubits_given ? t.qubits : kGradientVarianceQubits, "--qubits", 1, kMaxQubits);
  r.options.layers = static_cast<int>(parse_integer(t.layers, "--layers", 1, 100'000));
  r.options.samples = static_cast<int>(parse_integer(t.samples, "--samples", 2, 100'000'000));
  r.options.seed = parse_seed(t.seed);
  if (vm.count("ansatz")) {
    r.options.ansatz = qml::parse_component_spec(t.ansatz, "ansatz");
    if (r.options.ansatz.type == "file")
      throw UsageError("--ansatz " + t.ansatz + ": bench takes a named ansatz, not a circuit file");
    if (r.options.ansatz.get("reps") || r.options.ansatz.get("layers"))
      throw UsageError("--ansatz " + t.ansatz + ": give the depth with --layers, not in the spec");
  }
  const std::vector<int> threads = parse_thread_list(t.threads);
  if (threads.size() != 1)
    throw UsageError("invalid value '" + t.threads + "' for --threads: --workload gradient-variance takes one count");
  r.simulator.parallel = Parallelism{threads[0], kDefaultParallelThreshold};
  r.simulator.memory = parse_max_memory(t.max_memory);
  r.format = parse_format(t.format);
  r.plot = plot_path(t, vm);
  return r;
}

void gradient_variance_workload(const BenchOptionText& t, const po::variables_map& vm, std::ostream& out) {
  const GradientVarianceRequest r = to_gradient_variance_request(t, vm);
  check_output_directory(r.plot, "--plot");
  const std::vector<qml::GradientVariancePoint> points = qml::gradient_variance(r.options, r.simulator);
  const std::string ansatz = r.options.ansatz.text();
  Table table{std::vector<std::string>(std::begin(kGradientVarianceColumns), std::end(kGradientVarianceColumns))};
  LinePlot plot{"gradient variance: " + ansatz + ", " + std::to_string(r.options.layers) +
                    " layers, " + std::to_string(r.options.samples) + " samples",
                "qubits",
                {{"Var[dC/dw0] over the samples", true,
                  {{"global cost 1 - p(0...0)", {}}, {"local cost 1 - (1/n) sum_j p_j(0)", {}}}}}};
  for (const auto& p : points) {
    table.add_row({ansatz, std::int64_t{p.qubits}, std::int64_t{r.options.layers}, std::int64_t{p.weights},
                   std::int64_t{r.options.samples}, p.variance_global, p.variance_local, p.mean_global, p.mean_local,
                   p.seconds});
    plot.panels[0].series[0].points.emplace_back(p.qubits, p.variance_global);
    plot.panels[0].series[1].points.emplace_back(p.qubits, p.variance_local);
  }
  write_table(out, table, r.format);
  if (r.plot.empty()) return;
  try {
    write_line_plot(plot, r.plot);
  } catch (const PlotError& e) {
    throw ResultWrittenError(e.what());
  }
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
    print_command_help(out, kUsage, kHelp, desc);
    return;
  }
  if (text.workload == "gradient-variance") return gradient_variance_workload(text, vm, out);
  if (text.workload != "circuit")
    throw UsageError("invalid value '" + text.workload + "' for --workload: expected circuit or gradient-variance");
  BenchRequest request = to_request(text, vm);
  if (is_qasm_path(request.circuit)) {
    // The file's inputs are bound to random_angles(P, --seed), like the standard circuits' parameters.
    BoundCircuit file = file_circuit_with_random_inputs(request.circuit, request.seed);
    if (file.circuit.needs_trajectories())
      throw InvalidArgument(request.circuit + ": bench times state-vector runs, but " +
                            no_single_final_state(file.circuit.trajectory_reason()));
    request.qubits = {file.circuit.num_qubits()};
    request.file = std::move(file);
  }
  const BenchRun run = run_benchmark(request);
  write_table(out, run.table, request.format);
  if (request.plot.empty()) return;
  try {
    write_scaling_plot(ScalingPlot{plot_title(request), run.series}, request.plot);
  } catch (const PlotError& e) {
    throw ResultWrittenError(e.what());
  }
}

}  // namespace qmlsim::cli

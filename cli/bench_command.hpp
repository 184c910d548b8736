#pragma once
/// `qmlsim bench`: timing benchmarks of the simulator against the machine's memory bandwidth
/// (--workload circuit, the default), or the gradient variance of an ansatz against qubit count
/// (--workload gradient-variance: barren plateaus, qml/eval/gradient_variance.hpp).
/// One circuit over qubit counts x precisions x fusion settings x thread counts, one row each:
/// the timings, the passes over the state after fusion, the bandwidth measured here at the row's
/// thread count (cli/bandwidth.hpp), and the run time that bandwidth allows (limit_s). Optionally
/// a PNG plot through gnuplot (cli/plot.hpp).
#include <iosfwd>
#include <string>
#include <vector>

namespace qmlsim::cli {

/// One-line description for `qmlsim help`.
inline constexpr const char* kBenchSummary = "time circuit runs against the memory-bandwidth limit, or measure gradient variance (barren plateaus)";

/// The columns of a bench row, in order (also the keys of each --format json object).
inline constexpr const char* kBenchColumns[] = {
    "circuit",     "qubits",      "threads",  "precision",          "fusion",  "gates",         "passes",
    "seconds_median", "seconds_min", "seconds_max", "ns_per_gate", "gb_per_s", "bandwidth_gb_per_s",
    "limit_s",     "ratio_to_limit"};

/// The columns of a `--workload gradient-variance` row, in order (also the --format json keys).
inline constexpr const char* kGradientVarianceColumns[] = {
    "ansatz", "qubits", "layers", "weights", "samples", "variance_global", "variance_local",
    "mean_global", "mean_local", "seconds"};

/// Median (mean of the two middle values for an even count), minimum and maximum of timings.
struct TimingSummary {
  double median = 0.0;
  double min = 0.0;
  double max = 0.0;
};

/// Summarises `seconds` (taken by value: it is sorted). Throws std::invalid_argument when empty.
[[nodiscard]] TimingSummary summarize_timings(std::vector<double> seconds);

/// The subcommand: `args` are the words after "bench". Writes the table, or the help for --help,
/// to `out`. Throws UsageError or boost::program_options::error for a bad command line,
/// qmlsim::Error for bad input (unknown circuit, too little memory). With --plot, the table is
/// written first; a plot that cannot be made (gnuplot not on PATH, gnuplot failing) then throws
/// ResultWrittenError (cli/options.hpp) with the reason.
void bench_command(const std::vector<std::string>& args, std::ostream& out);

}  // namespace qmlsim::cli

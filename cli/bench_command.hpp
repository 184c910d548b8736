#pragma once
/// `qmlsim bench`: timing benchmarks of the simulator. For now the qubit-scaling benchmark: one
/// circuit over a range of qubit counts and a list of thread counts, one row per pair.
#include <iosfwd>
#include <string>
#include <vector>

namespace qmlsim::cli {

/// One-line description for `qmlsim help`.
inline constexpr const char* kBenchSummary = "time circuit runs over qubit and thread counts";

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
/// qmlsim::Error for bad input (unknown circuit, too little memory).
void bench_command(const std::vector<std::string>& args, std::ostream& out);

}  // namespace qmlsim::cli

#pragma once
/// `qmlsim run`: simulates one circuit and prints a summary (circuit, size, precision, threads,
/// wall time) and its most likely outcomes; with --shots, the sampled counts too.
#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

#include "simulator/core/state_vector.hpp"
#include "simulator/core/types.hpp"

namespace qmlsim::cli {

/// One-line description for `qmlsim help`.
inline constexpr const char* kRunSummary = "simulate a circuit and print its most likely outcomes";

/// A basis state and its probability.
struct Outcome {
  Index index = 0;
  double probability = 0.0;
};

/// The `k` most likely basis states of `state` (k is clamped to 2^n), by probability descending
/// then index ascending. One pass over the amplitudes, O(2^n log k) time, O(k) memory.
template <class R>
[[nodiscard]] std::vector<Outcome> top_outcomes(const StateVector<R>& state, std::size_t k);

/// The subcommand: `args` are the words after "run". Writes the result, or the help for --help,
/// to `out` (nothing before the result is complete). Throws UsageError or
/// boost::program_options::error for a bad command line, qmlsim::Error for bad input (unknown
/// circuit, too little memory).
void run_command(const std::vector<std::string>& args, std::ostream& out);

}  // namespace qmlsim::cli

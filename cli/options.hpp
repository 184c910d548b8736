#pragma once
/// Option helpers shared by the subcommands: declaring the common options on a
/// Boost.Program_options description, and turning their text into values.
///
/// Every option is stored as text and converted here, so that a bad value gives one message that
/// names the option, the value and what is expected: "invalid value '10:5' for --qubits: stop 5 is
/// below start 10". Such errors are UsageError (exit 2); Boost's own errors (unknown option, missing
/// value) are boost::program_options::error (exit 2 as well). Nothing here reads global state.
#include <boost/program_options.hpp>
#include <cstdint>
#include <iosfwd>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "cli/output.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/memory.hpp"
#include "simulator/core/parallel.hpp"
#include "simulator/core/precision.hpp"

namespace qmlsim::cli {

namespace po = boost::program_options;

/// A malformed command line (bad option value, missing required option): exit code 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// ---- Conversions. `option` is the option's name as typed ("--qubits"), used in messages. ----

/// A decimal integer in [min, max] (no sign for non-negative ranges, no spaces, no suffix).
[[nodiscard]] std::int64_t parse_integer(const std::string& text, std::string_view option,
                                         std::int64_t min = std::numeric_limits<std::int64_t>::min(),
                                         std::int64_t max = std::numeric_limits<std::int64_t>::max());
/// A decimal unsigned 64-bit integer in [min, max].
[[nodiscard]] std::uint64_t parse_unsigned(const std::string& text, std::string_view option, std::uint64_t min = 0,
                                           std::uint64_t max = std::numeric_limits<std::uint64_t>::max());

/// Comma-separated items, each a number "12" or an inclusive range "start:stop" or
/// "start:stop:step" (step > 0, start <= stop): "10:20:2" -> 10 12 ... 20, "20,24", "4:8:2,12".
/// Every value must lie in [min, max]. Order is kept.
[[nodiscard]] std::vector<int> parse_int_range(const std::string& text, std::string_view option, int min, int max);

/// Comma-separated integers in [min, max]: "1,2,4".
[[nodiscard]] std::vector<int> parse_int_list(const std::string& text, std::string_view option, int min, int max);

/// A finite decimal number > 0 (>= 0 with allow_zero), the whole word (std::from_chars): "1e-5",
/// "0.5". `example` ends the message: "expected a positive number, e.g. 1e-5".
[[nodiscard]] double parse_positive(const std::string& text, std::string_view option, bool allow_zero = false,
                                    std::string_view example = "");
/// A fraction strictly between 0 and 1 (for --test-size).
[[nodiscard]] double parse_fraction(const std::string& text, std::string_view option);
/// "table", "csv" or "json" (for --format).
[[nodiscard]] Format parse_format(const std::string& text, std::string_view option = "--format");
/// "double" or "single" (for --precision).
[[nodiscard]] Precision parse_precision(const std::string& text, std::string_view option = "--precision");
/// A thread count, 0 = the default count (for --threads).
[[nodiscard]] int parse_thread_count(const std::string& text, std::string_view option = "--threads");
/// The parallel policy of --threads T: Parallelism{T, kDefaultParallelThreshold}.
[[nodiscard]] Parallelism parse_threads(const std::string& text, std::string_view option = "--threads");
/// Comma-separated thread counts (for bench --threads 1,2), each >= 0 (0 = the default count).
[[nodiscard]] std::vector<int> parse_thread_list(const std::string& text, std::string_view option = "--threads");
/// A memory size "12G", "512MiB" (qmlsim::parse_memory_size); empty text means no explicit limit.
[[nodiscard]] MemoryLimit parse_max_memory(const std::string& text, std::string_view option = "--max-memory");
/// A 64-bit seed (for --seed).
[[nodiscard]] std::uint64_t parse_seed(const std::string& text, std::string_view option = "--seed");

/// The thread count a policy stands for: `threads`, or default_thread_count() when it is 0.
[[nodiscard]] int effective_threads(int threads) noexcept;

// ---- Declaring the common options. Each binds the option's text to `text`, whose current value
// is the default shown in --help. ----

/// Fails fast, before long work, when `path` (an output file of `option`, e.g. "--plot") would go
/// into a directory that does not exist: InvalidArgument "--plot out/p.png: directory out does not
/// exist", or "--report out is a directory, not a file". An empty path passes.
void check_output_directory(const std::string& path, std::string_view option);

void add_help_option(po::options_description& desc, bool& help);
void add_format_option(po::options_description& desc, std::string& text);
void add_precision_option(po::options_description& desc, std::string& text);
void add_threads_option(po::options_description& desc, std::string& text, const char* value_name,
                        const char* description);
void add_max_memory_option(po::options_description& desc, std::string& text);
void add_seed_option(po::options_description& desc, std::string& text);

/// Parses `args` (the words after the subcommand name) against `desc` and `positional`, writes
/// the bound variables (no option is declared required: commands check that after --help) and
/// returns the map. Abbreviated option names are not accepted. Throws po::error for an unknown
/// option or a missing value, UsageError for a positional word `positional` does not take.
po::variables_map parse_command_line(const std::vector<std::string>& args, const po::options_description& desc,
                                     const po::positional_options_description& positional = {});

/// Thrown by a command after it has written its complete result to its output stream, when an
/// optional extra fails (bench --plot without gnuplot). main writes the held result to stdout
/// first, then the message to stderr, and exits 3 like any ResourceError.
class ResultWrittenError : public ResourceError {
 public:
  using ResourceError::ResourceError;
};

/// Prints "Usage: <usage>\n\n<summary>\n\n<options>" for a subcommand's --help.
void print_command_help(std::ostream& out, std::string_view usage, std::string_view summary,
                        const po::options_description& desc);

}  // namespace qmlsim::cli

// The qmlsim command-line program: dispatches to one subcommand and is the only place that turns
// exceptions into exit codes (0 ok, 2 usage, 3 bad input, 1 internal error).
//
// A subcommand writes its result into a buffer that reaches stdout only when the command
// succeeds, so a failing command prints nothing on stdout, only "qmlsim <command>: error: ..." on
// stderr. The one exception is ResultWrittenError (cli/options.hpp): the result was complete and
// an optional extra failed (bench --plot without gnuplot), so the result is printed, then the error.
#include <algorithm>
#include <boost/program_options/errors.hpp>
#include <exception>
#include <iostream>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/bench_command.hpp"
#include "cli/compare_command.hpp"
#include "cli/explain_command.hpp"
#include "cli/kernel_command.hpp"
#include "cli/options.hpp"
#include "cli/predict_command.hpp"
#include "cli/run_command.hpp"
#include "cli/train_command.hpp"
#include "simulator/core/errors.hpp"

namespace {

using qmlsim::cli::UsageError;

constexpr int kExitOk = 0;
constexpr int kExitInternal = 1;
constexpr int kExitUsage = 2;
constexpr int kExitBadInput = 3;

using Handler = void (*)(const std::vector<std::string>& args, std::ostream& out);

struct Command {
  std::string_view name;
  std::string_view summary;
  Handler handler;
};

constexpr Command kCommands[] = {
    {"run", qmlsim::cli::kRunSummary, qmlsim::cli::run_command},
    {"bench", qmlsim::cli::kBenchSummary, qmlsim::cli::bench_command},
    {"kernel", qmlsim::cli::kKernelSummary, qmlsim::cli::kernel_command},
    {"train", qmlsim::cli::kTrainSummary, qmlsim::cli::train_command},
    {"predict", qmlsim::cli::kPredictSummary, qmlsim::cli::predict_command},
    {"compare", qmlsim::cli::kCompareSummary, qmlsim::cli::compare_command},
    {"explain", qmlsim::cli::kExplainSummary, qmlsim::cli::explain_command},
};

const Command* find_command(std::string_view name) {
  for (const Command& c : kCommands)
    if (c.name == name) return &c;
  return nullptr;
}

std::string command_names() {
  std::string names;
  for (const Command& c : kCommands) names += std::string(names.empty() ? "" : ", ") + std::string(c.name);
  return names;
}

void print_overview(std::ostream& out) {
  out << "Usage: qmlsim <command> [options]\n"
         "       qmlsim <command> --help\n\n"
         "qmlsim " QMLSIM_VERSION " - quantum machine learning circuit simulator.\n\n"
         "Commands:\n";
  std::size_t width = 4;  // "help"
  for (const Command& c : kCommands) width = std::max(width, c.name.size());
  auto line = [&](std::string_view name, std::string_view summary) {
    out << "  " << name << std::string(width - name.size() + 2, ' ') << summary << '\n';
  };
  for (const Command& c : kCommands) line(c.name, c.summary);
  line("help", "show this list, or the help of a command (qmlsim help run)");
  out << "\nOptions:\n"
         "  -h, --help     show this help and exit\n"
         "  -V, --version  print the version and exit\n";
}

// "qmlsim run: error: ..." (or "qmlsim: error: ..." before a command is known), plus a hint for
// usage errors. Returns `code`.
int report(std::string_view command, const std::string& message, int code) {
  const std::string prefix = command.empty() ? "qmlsim" : "qmlsim " + std::string(command);
  std::cerr << prefix << ": error: " << message << '\n';
  if (code == kExitUsage) std::cerr << "Try '" << prefix << " --help'.\n";
  return code;
}

// Holds a command's output in memory so that a failing command prints nothing on stdout; past
// kMaxHeld bytes (a full --output probs or state of a large circuit) it streams to `sink`
// instead, so output never costs memory in proportion to its size.
class HeldOutput : public std::streambuf {
 public:
  static constexpr std::size_t kMaxHeld = std::size_t{64} << 20;
  explicit HeldOutput(std::ostream& sink) : sink_(sink) {}
  [[nodiscard]] bool spilled() const noexcept { return spilled_; }
  // Writes what is held; returns false if the sink failed.
  bool release() {
    sink_.write(held_.data(), static_cast<std::streamsize>(held_.size()));
    held_.clear();
    sink_.flush();
    return static_cast<bool>(sink_);
  }

 protected:
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    if (!spilled_ && held_.size() + static_cast<std::size_t>(n) > kMaxHeld) {
      spilled_ = true;
      release();
    }
    if (spilled_) {
      sink_.write(s, n);
      return sink_ ? n : 0;
    }
    held_.append(s, static_cast<std::size_t>(n));
    return n;
  }
  int_type overflow(int_type ch) override {
    if (traits_type::eq_int_type(ch, traits_type::eof())) return traits_type::not_eof(ch);
    const char c = traits_type::to_char_type(ch);
    return xsputn(&c, 1) == 1 ? ch : traits_type::eof();
  }

 private:
  std::ostream& sink_;
  std::string held_;
  bool spilled_ = false;
};

// Runs the handler and maps what it throws. The result reaches stdout only on success (for
// outputs up to HeldOutput::kMaxHeld; a larger one streams, and an error after it started
// leaves what was written).
int execute(const Command& command, const std::vector<std::string>& args) {
  HeldOutput held(std::cout);
  std::ostream out(&held);
  try {
    command.handler(args, out);
  } catch (const UsageError& e) {
    return report(command.name, e.what(), kExitUsage);
  } catch (const boost::program_options::error& e) {
    return report(command.name, e.what(), kExitUsage);
  } catch (const qmlsim::InvalidArgument& e) {
    return report(command.name, e.what(), kExitBadInput);
  } catch (const qmlsim::ParseError& e) {
    return report(command.name, e.what(), kExitBadInput);
  } catch (const qmlsim::DatasetError& e) {
    return report(command.name, e.what(), kExitBadInput);
  } catch (const qmlsim::cli::ResultWrittenError& e) {
    // The command's result is complete (bench's table before a failed --plot): print it, then fail.
    held.release();
    return report(command.name, e.what(), kExitBadInput);
  } catch (const qmlsim::ResourceError& e) {
    return report(command.name, e.what(), kExitBadInput);
  } catch (const std::exception& e) {
    return report(command.name, std::string("internal error: ") + e.what(), kExitInternal);
  } catch (...) {
    return report(command.name, "internal error: unknown exception", kExitInternal);
  }
  return held.release() ? kExitOk : report(command.name, "cannot write the output", kExitInternal);
}

// `qmlsim help [COMMAND]`.
int help(std::span<const std::string> args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    print_overview(std::cout);
    return kExitOk;
  }
  const Command* command = find_command(args[0]);
  if (!command || args.size() > 1)
    return report("",
                  args.size() > 1 ? "expected at most one command name"
                                  : "unknown command '" + args[0] + "' (commands: " + command_names() + ")",
                  kExitUsage);
  return execute(*command, {"--help"});
}

int dispatch(const std::vector<std::string>& words) {
  if (words.empty()) {
    print_overview(std::cout);
    return kExitOk;
  }
  const std::string& first = words[0];
  const std::vector<std::string> rest(words.begin() + 1, words.end());
  if (first == "--help" || first == "-h") {
    print_overview(std::cout);
    return kExitOk;
  }
  if (first == "--version" || first == "-V") {
    std::cout << "qmlsim " QMLSIM_VERSION "\n";
    return kExitOk;
  }
  if (first == "help") return help(rest);
  if (const Command* command = find_command(first)) return execute(*command, rest);
  if (first.starts_with("-")) return report("", "unrecognised option '" + first + "'", kExitUsage);
  return report("", "unknown command '" + first + "' (commands: " + command_names() + ")", kExitUsage);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return dispatch(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const std::exception& e) {  // e.g. bad_alloc while printing help
    return report("", std::string("internal error: ") + e.what(), kExitInternal);
  }
}

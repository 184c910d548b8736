// End-to-end tests of the qmlsim binary (path: QMLSIM_BINARY): exit codes, streams, formats.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "simulator/circuit/library.hpp"

namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

struct Invocation {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// A temporary file that is removed when it goes out of scope.
class TempFile {
 public:
  TempFile() {
    std::string pattern = (std::filesystem::temp_directory_path() / "qmlsim_cli_test_XXXXXX").string();
    const int fd = mkstemp(pattern.data());
    if (fd < 0) throw std::runtime_error("mkstemp failed");
    close(fd);
    path_ = pattern;
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() { std::remove(path_.c_str()); }
  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] std::string read() const {
    std::ifstream in(path_, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }

 private:
  std::string path_;
};

// Runs `qmlsim <args>` through the shell (args are trusted test literals).
Invocation qmlsim(const std::string& args) {
  const TempFile out, err;
  const std::string command =
      std::string("'") + QMLSIM_BINARY + "' " + args + " >'" + out.path() + "' 2>'" + err.path() + "' </dev/null";
  const int status = std::system(command.c_str());
  Invocation r;
  r.exit_code = status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = out.read();
  r.err = err.read();
  return r;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(MainTest, TopLevelHelpListsTheCommands) {
  for (const char* args : {"--help", "-h", "help", ""}) {
    const auto r = qmlsim(args);
    EXPECT_EQ(r.exit_code, 0) << args;
    EXPECT_THAT(r.out, StartsWith("Usage: qmlsim <command>")) << args;
    EXPECT_THAT(r.out, HasSubstr("\n  run  "));
    EXPECT_THAT(r.out, HasSubstr("\n  bench  "));
    EXPECT_EQ(r.err, "");
  }
}

TEST(MainTest, EverySubcommandHasHelp) {
  for (const std::string command : {"run", "bench"}) {
    for (const std::string& args : {command + " --help", command + " -h", "help " + command}) {
      const auto r = qmlsim(args);
      EXPECT_EQ(r.exit_code, 0) << args;
      EXPECT_THAT(r.out, StartsWith("Usage: qmlsim " + command)) << args;
      EXPECT_THAT(r.out, HasSubstr("--format")) << args;
      EXPECT_EQ(r.err, "") << args;
    }
  }
}

// "qmlsim X.Y.Z\n" with decimal X, Y, Z. (No std::regex: GCC 12 warns inside it under sanitizers.)
bool is_version_line(const std::string& text) {
  const std::string prefix = "qmlsim ";
  if (text.rfind(prefix, 0) != 0 || text.empty() || text.back() != '\n') return false;
  int parts = 0;
  bool digits = false;
  for (std::size_t i = prefix.size(); i + 1 < text.size(); ++i) {
    if (std::isdigit(static_cast<unsigned char>(text[i]))) {
      digits = true;
    } else if (text[i] == '.' && digits) {
      ++parts;
      digits = false;
    } else {
      return false;
    }
  }
  return parts == 2 && digits;
}

TEST(MainTest, VersionPrintsNameAndVersion) {
  const auto r = qmlsim("--version");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(is_version_line(r.out)) << r.out;
  EXPECT_EQ(qmlsim("-V").out, r.out);
}

TEST(MainTest, UnknownCommandIsAUsageError) {
  const auto r = qmlsim("frobnicate");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, StartsWith("qmlsim: error: unknown command 'frobnicate'"));
  EXPECT_THAT(r.err, HasSubstr("Try 'qmlsim --help'."));
  EXPECT_EQ(qmlsim("--frobnicate").exit_code, 2);
  EXPECT_EQ(qmlsim("help frobnicate").exit_code, 2);
}

TEST(MainTest, BadOptionIsAUsageErrorNamingTheCommand) {
  const auto r = qmlsim("run --circuit ghz --qubits 3 --bogus");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, StartsWith("qmlsim run: error: "));
  EXPECT_THAT(r.err, HasSubstr("--bogus"));
  EXPECT_THAT(r.err, HasSubstr("Try 'qmlsim run --help'."));
}

TEST(MainTest, BadOptionValuesAreUsageErrors) {
  for (const char* args : {"run --circuit ghz --qubits abc", "run --circuit ghz --qubits 3 --format xml",
                           "run --circuit ghz --qubits 3 --threads", "run --circuit ghz",
                           "run --circuit ghz --qubits 3 x", "bench --qubits 5:2", "bench --threads 1,two",
                           "bench --repeats 0"}) {
    const auto r = qmlsim(args);
    EXPECT_EQ(r.exit_code, 2) << args;
    EXPECT_EQ(r.out, "") << args;
    EXPECT_THAT(r.err, StartsWith("qmlsim " + std::string(args).substr(0, std::string(args).find(' ')) + ": error: "))
        << args;
  }
}

TEST(MainTest, RunGhzJsonGivesHalfOn000And111) {
  const auto r = qmlsim("run --circuit ghz --qubits 3 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["circuit"], "ghz");
  EXPECT_EQ(j["num_qubits"], 3);
  const auto& outcomes = j["outcomes"];
  ASSERT_EQ(outcomes.size(), 2U);  // zero-probability outcomes are not listed
  EXPECT_EQ(outcomes[0]["bitstring"], "000");
  EXPECT_EQ(outcomes[1]["bitstring"], "111");
  double total = 0;
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    const double p = outcomes[i]["probability"].get<double>();
    EXPECT_NEAR(p, i < 2 ? 0.5 : 0.0, 1e-14) << outcomes[i]["bitstring"];
    total += p;
  }
  EXPECT_NEAR(total, 1.0, 1e-14);
}

TEST(MainTest, RunShotsAreSeededAndOnlyHitGhzOutcomes) {
  const std::string args = "run --circuit ghz --qubits 3 --shots 1000 --seed 7 --format json";
  const auto first = qmlsim(args), second = qmlsim(args);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ASSERT_EQ(second.exit_code, 0) << second.err;
  const auto a = nlohmann::json::parse(first.out), b = nlohmann::json::parse(second.out);
  std::uint64_t total = 0;
  for (const auto& [bits, count] : a["counts"].items()) {
    EXPECT_TRUE(bits == "000" || bits == "111") << bits;
    total += count.get<std::uint64_t>();
  }
  EXPECT_EQ(total, 1000U);
  EXPECT_EQ(a["counts"], b["counts"]);
  EXPECT_EQ(a["outcomes"], b["outcomes"]);
  // Same except the measured time: identical output apart from "seconds".
  auto a_no_time = a, b_no_time = b;
  a_no_time.erase("seconds");
  b_no_time.erase("seconds");
  EXPECT_EQ(a_no_time, b_no_time);
}

TEST(MainTest, RunTooLargeExitsBadInputWithoutOutput) {
  const auto r = qmlsim("run --circuit ghz --qubits 40");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, StartsWith("qmlsim run: error: 40 qubits need "));
  EXPECT_THAT(r.err, Not(HasSubstr("Try ")));
}

TEST(MainTest, UnknownCircuitExitsBadInputListingNames) {
  const auto r = qmlsim("run --circuit bell --qubits 3");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, StartsWith("qmlsim run: error: "));
  for (const auto& name : qmlsim::library::names()) EXPECT_THAT(r.err, HasSubstr(name));
}

TEST(MainTest, BenchCsvHasHeaderAndTwoRowsPerThreadCount) {
  const auto r = qmlsim("bench --qubits 4:6:2 --repeats 2 --threads 1,2 --format csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), 5U) << r.out;
  EXPECT_THAT(lines[0], StartsWith("circuit,qubits,threads,"));
  int per_thread[3] = {0, 0, 0};
  for (std::size_t i = 1; i < lines.size(); ++i) {
    std::istringstream row(lines[i]);
    std::string circuit, qubits, threads;
    std::getline(row, circuit, ',');
    std::getline(row, qubits, ',');
    std::getline(row, threads, ',');
    EXPECT_EQ(circuit, "layers");
    EXPECT_TRUE(qubits == "4" || qubits == "6") << lines[i];
    ++per_thread[std::stoi(threads)];
  }
  EXPECT_EQ(per_thread[1], 2);
  EXPECT_EQ(per_thread[2], 2);
}

TEST(MainTest, BenchDefaultThreadsGivesOneRowPerQubitCount) {
  const auto r = qmlsim("bench --qubits 4:6:2 --repeats 2 --format csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(lines_of(r.out).size(), 3U) << r.out;
}

}  // namespace

// The public entry points: parse_file and includes, QasmError, the files in circuits/ and
// circuits/invalid/, and fuzzed input.
#include "simulator/qasm/qasm.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "simulator/core/errors.hpp"
#include "simulator/core/rng.hpp"
#include "tests/simulator/qasm/qasm_test_util.hpp"

namespace qmlsim::qasm {
namespace {

namespace fs = std::filesystem;
using test::parse_ok;
using ::testing::HasSubstr;

/// A fresh directory for one test, removed afterwards.
class TempDir {
 public:
  explicit TempDir(const std::string& name)
      : path_(fs::temp_directory_path() / ("qmlsim_qasm_" + name + "_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()))) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  fs::path write(const std::string& name, const std::string& text) const {
    const fs::path p = path_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }
  [[nodiscard]] const fs::path& path() const noexcept { return path_; }

 private:
  fs::path path_;
};

std::vector<Diagnostic> file_errors(const fs::path& p, const Options& options = {}) {
  try {
    (void)parse_file(p, options);
  } catch (const QasmError& e) {
    return e.diagnostics();
  }
  ADD_FAILURE() << "expected a QasmError from " << p;
  return {};
}

TEST(QasmTest, ErrorTextListsEveryDiagnosticWithACaret) {
  try {
    (void)parse("OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\n\th q[5];\n\xCF\x80x q[0];\n", "prog.qasm");
    FAIL() << "no error";
  } catch (const QasmError& e) {
    ASSERT_EQ(e.diagnostics().size(), 2U);
    EXPECT_EQ(e.file(), "prog.qasm");  // the ParseError base holds the first diagnostic
    EXPECT_EQ(e.line(), 4);
    EXPECT_EQ(e.column(), 6);
    EXPECT_EQ(std::string(e.what()),
              "prog.qasm:4:6: index 5 out of range [0, 2) for register 'q'\n"
              "    \th q[5];\n"
              "    \t    ^\n"
              "prog.qasm:5:1: unknown gate '\xCF\x80x'\n"
              "    \xCF\x80x q[0];\n"
              "    ^");
  }
}

TEST(QasmTest, IncludesResolveRelativeToTheIncludingFile) {
  const TempDir dir("includes");
  dir.write("lib/gates.inc", "gate bell a, b { h a; cx a, b; }\ninclude \"more/extra.inc\";\n");
  dir.write("lib/more/extra.inc", "OPENQASM 2.0;\ngate flip a { x a; }\n");
  const fs::path main = dir.write("prog.qasm", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\ninclude \"lib/gates.inc\";\n"
                                                "qreg q[2];\nbell q[0], q[1];\nflip q[1];\n");
  const Program p = parse_file(main);
  ASSERT_EQ(p.circuit.size(), 3U);
  EXPECT_EQ(p.circuit.operations()[2].kind, GateKind::X);
  // An include defines exactly what its file defines.
  const fs::path other = dir.write("other.qasm", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\ninclude \"lib/more/extra.inc\";\n"
                                                  "qreg q[2];\nbell q[0], q[1];\n");
  const auto d = file_errors(other);
  ASSERT_EQ(d.size(), 1U);
  EXPECT_EQ(d[0].message, "unknown gate 'bell'");
}

TEST(QasmTest, IncludeErrors) {
  const TempDir dir("include_errors");
  dir.write("a.inc", "include \"b.inc\";\n");
  dir.write("b.inc", "gate g a { }\ninclude \"a.inc\";\n");
  const fs::path cycle = dir.write("cycle.qasm", "OPENQASM 2.0;\ninclude \"a.inc\";\nqreg q[1];\n");
  auto d = file_errors(cycle);
  ASSERT_EQ(d.size(), 1U);
  EXPECT_EQ(d[0].message, "include cycle: a.inc -> b.inc -> a.inc");
  EXPECT_EQ(fs::path(d[0].file).filename(), "b.inc");
  EXPECT_EQ(d[0].line, 2);
  EXPECT_EQ(d[0].column, 9);

  const fs::path self = dir.write("self.qasm", "OPENQASM 2.0;\ninclude \"self.qasm\";\n");
  EXPECT_EQ(file_errors(self).at(0).message, "include cycle: self.qasm -> self.qasm");

  const fs::path missing = dir.write("missing.qasm", "OPENQASM 2.0;\ninclude \"nowhere/x.inc\";\nqreg q[1];\n");
  d = file_errors(missing);
  ASSERT_EQ(d.size(), 1U);
  EXPECT_THAT(d[0].message, HasSubstr("cannot open include file 'nowhere/x.inc'"));
  EXPECT_EQ(d[0].line, 2);

  dir.write("v3.inc", "OPENQASM 3;\n");
  const fs::path mixed = dir.write("mixed.qasm", "OPENQASM 2.0;\ninclude \"v3.inc\";\nqreg q[1];\n");
  EXPECT_THAT(file_errors(mixed).at(0).message, HasSubstr("included file declares OPENQASM 3 but the program is OPENQASM 2"));

  dir.write("bad.inc", "gate g a { h a }\n");
  const fs::path bad = dir.write("bad.qasm", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\ninclude \"bad.inc\";\nqreg q[1];\n");
  d = file_errors(bad);
  ASSERT_EQ(d.size(), 1U);
  EXPECT_EQ(fs::path(d[0].file).filename(), "bad.inc");  // errors name the included file
  EXPECT_EQ(d[0].source_line, "gate g a { h a }");
}

TEST(QasmTest, FileProblems) {
  const TempDir dir("files");
  EXPECT_THROW((void)parse_file(dir.path() / "absent.qasm"), InvalidArgument);
  EXPECT_THROW((void)parse_file(dir.path()), InvalidArgument);  // a directory
  const fs::path big = dir.write("big.qasm", "OPENQASM 2.0;\nqreg q[1];\n" + std::string(2000, ' '));
  Options small;
  small.max_file_bytes = 1000;
  try {
    (void)parse_file(big, small);
    FAIL() << "no error";
  } catch (const ResourceError& e) {
    EXPECT_THAT(e.what(), HasSubstr("exceeds the limit of 1000 bytes"));
  }
  EXPECT_THROW((void)parse(std::string(2000, ' '), "s.qasm", small), ResourceError);
  EXPECT_NO_THROW((void)parse_file(big));  // the default limit is 256 MiB
  const fs::path empty = dir.write("empty.qasm", "");
  EXPECT_EQ(file_errors(empty).at(0).message, "empty file: expected an OpenQASM program");
  const fs::path blank = dir.write("blank.qasm", " \n\t\n");
  EXPECT_EQ(file_errors(blank).at(0).line, 1);
  const fs::path latin1 = dir.write("latin1.qasm", "OPENQASM 2.0;\n// caf\xE9\nqreg q[1];\n");
  const auto d = file_errors(latin1);
  ASSERT_EQ(d.size(), 1U);
  EXPECT_EQ(d[0].message, "file is not valid UTF-8: found byte 0xE9, expected UTF-8 text");
  EXPECT_EQ(d[0].line, 2);
  EXPECT_EQ(d[0].column, 7);
}

// ---- the project's circuit files ------------------------------------------------------------

std::vector<fs::path> files_in(const fs::path& dir, const std::string& extension) {
  std::vector<fs::path> files;
  if (!fs::is_directory(dir)) return files;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.is_regular_file() && entry.path().extension() == extension) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

TEST(QasmTest, EveryCircuitFileParses) {
  for (const fs::path& p : files_in(fs::path(QMLSIM_SOURCE_DIR) / "circuits", ".qasm")) {
    try {
      const Program program = parse_file(p);
      EXPECT_GE(program.circuit.num_qubits(), 1) << p;
    } catch (const std::exception& e) {
      ADD_FAILURE() << p << ":\n" << e.what();
    }
  }
}

/// `// expect: [FILE:]LINE:COL: message substring`, the first line of each invalid circuit.
struct Expectation {
  std::string file;  // empty: the circuit's own file
  int line = 0;
  int column = 0;
  std::string message;
};

std::optional<Expectation> parse_expectation(const std::string& first_line) {
  const std::string prefix = "// expect: ";
  if (first_line.rfind(prefix, 0) != 0) return std::nullopt;
  const std::string rest = first_line.substr(prefix.size());
  const std::size_t colon_space = rest.find(": ");
  if (colon_space == std::string::npos) return std::nullopt;
  std::vector<std::string> parts;
  std::size_t start = 0;
  const std::string position = rest.substr(0, colon_space);
  for (std::size_t c = position.find(':'); c != std::string::npos; c = position.find(':', start)) {
    parts.push_back(position.substr(start, c - start));
    start = c + 1;
  }
  parts.push_back(position.substr(start));
  if (parts.size() < 2 || parts.size() > 3) return std::nullopt;
  Expectation e;
  if (parts.size() == 3) e.file = parts[0];
  try {
    e.line = std::stoi(parts[parts.size() - 2]);
    e.column = std::stoi(parts.back());
  } catch (const std::exception&) {
    return std::nullopt;
  }
  e.message = rest.substr(colon_space + 2);
  return e;
}

/// Each circuits/invalid/*.qasm starts with `// expect: [FILE:]LINE:COL: message substring`.
TEST(QasmTest, EveryInvalidCircuitFailsWhereItExpects) {
  const std::vector<fs::path> files = files_in(fs::path(QMLSIM_SOURCE_DIR) / "circuits" / "invalid", ".qasm");
  EXPECT_GE(files.size(), 25U);
  for (const fs::path& p : files) {
    std::ifstream in(p, std::ios::binary);
    std::string first;
    std::getline(in, first);
    const std::optional<Expectation> expect = parse_expectation(first);
    ASSERT_TRUE(expect) << p << ": first line is not '// expect: LINE:COL: message'";
    const std::string file = expect->file.empty() ? p.filename().string() : expect->file;
    try {
      (void)parse_file(p);
      ADD_FAILURE() << p << " parsed without error";
    } catch (const QasmError& e) {
      const Diagnostic& d = e.diagnostics().front();
      EXPECT_EQ(fs::path(d.file).filename().string(), file) << p;
      EXPECT_EQ(d.line, expect->line) << p << "\n" << e.what();
      EXPECT_EQ(d.column, expect->column) << p << "\n" << e.what();
      EXPECT_THAT(d.message, HasSubstr(expect->message)) << p;
    } catch (const std::exception& e) {
      ADD_FAILURE() << p << ": not a QasmError: " << e.what();
    }
  }
}

// ---- fuzzing --------------------------------------------------------------------------------

const char* const kSeeds[] = {
    "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[3];\ncreg c[3];\n"
    "gate maj(t) a, b, c { cx c, b; cx c, a; ccx a, b, c; rz(t/2) a; }\n"
    "h q;\nmaj(pi/4) q[0], q[1], q[2];\nu3(0.1, -0.2, 1.5e0) q[1];\ncu1(.25) q[0], q[2];\n"
    "barrier q;\nmeasure q -> c;\nif (c == 5) x q[0];\nreset q[1];\nopaque op a;\n",
    "OPENQASM 3;\ninclude \"stdgates.inc\";\ninput float[64] x0;\ninput angle x1;\nconst int n = 3;\n"
    "qubit[n] q;\nbit[n] c;\ngate layer(a) u, v { h u; ctrl @ rz(a) u, v; gphase(a/2); }\n"
    "p(2*(pi-x0)*(pi-x1)) q[0];\nlayer(x0 ** 2) q[0], q[1];\ninv @ pow(2) @ s q[2];\n"
    "negctrl(2) @ x q[0], q[1], q[2];\npow(0.5) @ cx q[1], q[2];\nc = measure q;\nif (c[0] == 1) { x q[1]; }\n"
    "c[1] = measure q[1]; /* comment */ barrier;\n",
    "// teleport\nOPENQASM 3;\ninclude \"stdgates.inc\";\nqubit[3] q;\nbit c0;\nbit c1;\n"
    "U(0.3, 0.2, 0.1) q[0];\nh q[1];\ncx q[1], q[2];\ncx q[0], q[1];\nh q[0];\nc0 = measure q[0];\n"
    "c1 = measure q[1];\nif(c0==1) z q[2];\nif(c1==1) { x q[2]; }\nfor uint i in [0:2] { x q[i]; }\n",
};

std::string mutate(std::string s, Rng& rng) {
  const int edits = 1 + static_cast<int>(rng.below(3));
  for (int e = 0; e < edits && !s.empty(); ++e) {
    const std::size_t at = rng.below(s.size());
    switch (rng.below(5)) {
      case 0: s[at] = static_cast<char>(rng.below(256)); break;  // a random byte
      case 1: s.erase(at, 1 + rng.below(12)); break;              // a deletion
      case 2: {                                                    // a duplication
        const std::size_t len = 1 + rng.below(40);
        s.insert(rng.below(s.size() + 1), s.substr(at, len));
        break;
      }
      case 3: {  // swap two whitespace-separated tokens
        std::vector<std::pair<std::size_t, std::size_t>> tokens;
        for (std::size_t i = 0; i < s.size();) {
          while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
          const std::size_t start = i;
          while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i]))) ++i;
          if (i > start) tokens.emplace_back(start, i - start);
        }
        if (tokens.size() < 2) break;
        auto a = tokens[rng.below(tokens.size())], b = tokens[rng.below(tokens.size())];
        if (a.first > b.first) std::swap(a, b);
        if (a.first == b.first) break;
        const std::string ta = s.substr(a.first, a.second), tb = s.substr(b.first, b.second);
        s.replace(b.first, b.second, ta);
        s.replace(a.first, a.second, tb);
        break;
      }
      default: s.resize(at); break;  // a truncation
    }
  }
  return s;
}

/// Parses `source`: success or a typed error are fine; anything else fails the test.
void expect_graceful(const std::string& source, const Options& options) {
  try {
    const Program p = parse(source, "fuzz.qasm", options);
    (void)to_qasm3(p);  // whatever parses can be written out
  } catch (const QasmError& e) {
    EXPECT_FALSE(e.diagnostics().empty());
    for (const Diagnostic& d : e.diagnostics()) {
      EXPECT_GE(d.line, 1);
      EXPECT_GE(d.column, 1);
    }
  } catch (const ResourceError&) {
  } catch (const InvalidArgument&) {
  } catch (const std::exception& e) {
    ADD_FAILURE() << "unexpected " << typeid(e).name() << ": " << e.what() << "\nfor:\n" << source;
  }
}

TEST(QasmFuzzTest, MutatedAndTruncatedProgramsFailGracefully) {
  Options options;
  options.max_operations = 20000;  // mutated exponents and sizes must not make huge circuits
  Rng rng(20240611);
  for (const char* seed : kSeeds) {
    const std::string text = seed;
    for (std::size_t cut = 0; cut < text.size(); cut += 3) expect_graceful(text.substr(0, cut), options);
    for (int i = 0; i < 1500; ++i) expect_graceful(mutate(text, rng), options);
  }
}

}  // namespace
}  // namespace qmlsim::qasm

#pragma once
/// OpenQASM front end: OpenQASM 2.0 (the whole 2017 language, qelib1.inc built in with Qiskit's
/// matrices) and the OpenQASM 3 subset that variational circuits need (stdgates.inc, `input`
/// parameters, gate definitions, modifiers, measurement, `if`, reset). A file becomes a Circuit
/// whose parameters are the file's `input` variables, in declaration order.
///
/// Phases. Both versions follow Qiskit exactly, global phase included: qelib1.inc's and
/// stdgates.inc's gates are the Qiskit gates of the same names (stdgates' `crz` is controlled-RZ,
/// `cu` is Qiskit's four-parameter CU, `phase`/`cphase` are P/CP, `CX` is cx), U(theta, phi,
/// lambda) is Qiskit's U, and `gphase` and `ctrl @` act on exactly what they are given; so a
/// state equals Qiskit's statevector of the same file. (This departs from one literal reading of
/// stdgates.inc's bodies: see simulator/qasm/std_gates.hpp.) Uncontrolled global phases are
/// summed into one trailing gphase.
///
/// Not supported, and refused by name ("for loops are not supported"): loops, subroutines,
/// switch, box, delay and timing, calibrations, extern, classical variables other than `const`
/// and `input`, arrays, aliases, else branches, physical qubits ($0), bit operations beyond
/// measurement and `if (c == n)` / `if (c[i] == b)`.
///
/// Errors: every problem found is reported with file:line:column, what was found and what was
/// expected, and the source line; the parser recovers (at the next ';' or '}') and reports all it
/// can; after a syntax error, semantic checks stop, to avoid cascades. The thrown QasmError is a
/// ParseError (its position is the first diagnostic's). Recursion is bounded (nesting of
/// expressions, blocks and gate expansion: 1000 levels), so no input crashes the parser.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "simulator/circuit/circuit.hpp"
#include "simulator/core/errors.hpp"

namespace qmlsim::qasm {

/// One problem in a source file.
struct Diagnostic {
  std::string file;
  int line = 0;    // 1-based
  int column = 0;  // 1-based, in characters (UTF-8 code points)
  std::string message;
  std::string source_line;  // the line's text, for display
};

/// All diagnostics of a failed parse. what() lists each as
///   file:line:col: message
///       source line
///       ^
class QasmError : public ParseError {
 public:
  explicit QasmError(std::vector<Diagnostic> diagnostics);
  [[nodiscard]] const std::vector<Diagnostic>& diagnostics() const noexcept { return diagnostics_; }
  /// Every diagnostic, formatted as above.
  [[nodiscard]] const char* what() const noexcept override { return text_.c_str(); }

 private:
  std::vector<Diagnostic> diagnostics_;
  std::string text_;
};

/// A register: `size` consecutive qubits (or clbits) starting at `offset`, numbered across all
/// registers of that type in declaration order.
struct Register {
  std::string name;
  int offset = 0;
  int size = 0;
};

struct Program {
  Circuit circuit{1};
  int version = 2;                  // 2 or 3
  std::vector<Register> qregs;      // declaration order
  std::vector<Register> cregs;      // declaration order
  std::vector<std::string> inputs;  // == circuit.parameter_names()
};

struct Options {
  /// Files larger than this are refused (before reading) with a ResourceError.
  std::uint64_t max_file_bytes = std::uint64_t{256} << 20;
  /// Programs that expand to more operations than this (gate definitions, broadcasting and
  /// pow(k) @ repetitions included) are refused with a QasmError ("circuit too large").
  std::uint64_t max_operations = std::uint64_t{1} << 24;
};

/// Parses a file; `include "x.inc"` resolves relative to the including file.
/// Throws QasmError (bad source), ResourceError (file too large), InvalidArgument (unreadable).
[[nodiscard]] Program parse_file(const std::filesystem::path& path, const Options& options = {});

/// Parses source text; `filename` is used in diagnostics and includes resolve relative to it.
/// Throws QasmError (bad source), ResourceError (source longer than Options::max_file_bytes).
[[nodiscard]] Program parse(std::string_view source, const std::string& filename = "<input>",
                            const Options& options = {});

/// Writes a circuit as OpenQASM 3 that parse() reads back to an equivalent circuit (same
/// operations, same parameters and names, global phase included). Kinds with a stdgates or
/// `ctrl @` spelling come back as the same operations; rxx, ryy, rzz, rzx, ecr, iswap, dcx,
/// xx_plus_yy, xx_minus_yy, rccx and rc3x become gate definitions, and user unitaries exact
/// decompositions (so those come back as several operations with the same matrix). Parameters
/// become `input float[64]`; registers keep their names when they are valid and cover every
/// bit in order (else one register `q` / `c` is written). Throws InvalidArgument for a
/// condition spanning several classical registers.
[[nodiscard]] std::string to_qasm3(const Program& program);

}  // namespace qmlsim::qasm

#pragma once
// Helpers shared by the OpenQASM front-end tests.
#include <gtest/gtest.h>

#include <span>
#include <string>
#include <vector>

#include "simulator/circuit/circuit.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/qasm/qasm.hpp"
#include "tests/support/dense_reference.hpp"

namespace qmlsim::qasm::test {

/// Parses `source`; a parse failure fails the test with the diagnostics and rethrows.
inline Program parse_ok(const std::string& source, const Options& options = {}) {
  try {
    return parse(source, "test.qasm", options);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "unexpected parse failure:\n" << e.what() << "\nsource:\n" << source;
    throw;
  }
}

/// The diagnostics of a source that must fail (empty, with a test failure, if it parses).
inline std::vector<Diagnostic> errors_of(const std::string& source, const Options& options = {}) {
  try {
    (void)parse(source, "test.qasm", options);
  } catch (const QasmError& e) {
    return e.diagnostics();
  }
  ADD_FAILURE() << "expected a QasmError for:\n" << source;
  return {};
}

/// "line:col: message" of the first diagnostic ("no error" if the source parses).
inline std::string first_error(const std::string& source, const Options& options = {}) {
  try {
    (void)parse(source, "test.qasm", options);
  } catch (const QasmError& e) {
    const Diagnostic& d = e.diagnostics().front();
    return std::to_string(d.line) + ":" + std::to_string(d.column) + ": " + d.message;
  } catch (const std::exception& e) {
    return std::string("other exception: ") + e.what();
  }
  return "no error";
}

/// The full unitary of a circuit (measurement-free) at theta, from the dense reference.
inline qmlsim::testing::DenseMatrix matrix_of(const Circuit& c, std::span<const double> theta = {}) {
  return qmlsim::testing::circuit_matrix(c, theta);
}

/// max |A - B| over the two circuits' full matrices at theta.
inline double distance(const Circuit& a, const Circuit& b, std::span<const double> theta = {}) {
  return matrix_of(a, theta).max_abs_diff(matrix_of(b, theta));
}

/// The first `n` lines of the OpenQASM 3 / 2 prologue used by many tests.
inline std::string qasm3(const std::string& body) { return "OPENQASM 3;\ninclude \"stdgates.inc\";\n" + body; }
inline std::string qasm2(const std::string& body) { return "OPENQASM 2.0;\ninclude \"qelib1.inc\";\n" + body; }

}  // namespace qmlsim::qasm::test

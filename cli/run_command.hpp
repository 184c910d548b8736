#pragma once
/// `qmlsim run`: simulates one circuit (an OpenQASM file, or a standard circuit by name) and prints
/// one of:
///   summary      (default) the circuit's size and run time, and its most likely outcomes
///   probs        the probability of every basis state before measurement
///   state        the amplitudes of the final state
///   counts       --shots sampled readouts, keyed like Qiskit's counts
///   expectation  the exact <H> of --observable; with --shots, also a shot estimate
///   gradient     <H> and its derivative with respect to each input of a file (each parameter
///                theta0, theta1, ... of a standard circuit), or those of --wrt: --method adjoint
///                (simulator/execution/gradient.hpp), shift (parameter shift; with --shots, a shot
///                estimate with standard errors) or fd (central finite differences)
///                (simulator/execution/parameter_shift.hpp)
/// in a text table, CSV or JSON. See run_command()'s --help text and cli/outcomes.hpp for keys;
/// the outcomes shown come from simulator/execution/outcomes.hpp.
///
/// Exact JSON shapes (one line each):
///   probs:  {"num_qubits": n, "probabilities": [p_0, ..., p_{2^n-1}]}
///           with --top K: {"num_qubits": n, "probabilities": {"011": 0.5, ...}} (most likely first)
///   state:  {"num_qubits": n, "amplitudes": [[re, im], ...]}  (--top K: {"011": [re, im], ...})
///   gradient: {"expectation": e, "gradient": {"theta0": g0, ...}, ...} with the entries in
///           --wrt order (else parameter order), then "standard_error": {"theta0": s0, ...} (with
///           --shots), "observable", "expectation_standard_error" (--shots), "method", "fd_step"
///           and "fd_order" (fd), "shots" and "seed" (--shots), "evaluations" (circuit runs or
///           sweeps). With --shots the expectation is the estimate of the unshifted run. A circuit
///           without parameters gives "gradient": {}.
/// Numbers in JSON and CSV read back to the same doubles (shortest round-trip form).
///
/// Memory: every mode but gradient and the expectation's shot estimate (which rotates a copy of
/// the state) holds one state vector and nothing else in proportion to 2^n: probs and state
/// stream their rows from the state, --top keeps K outcomes, counts keep the sampling scratch
/// (8 bytes per shot, 1/2048 of the state). Each allocation asks the memory guard first; with
/// --max-memory, the cap bounds the state and its scratch together.
#include <iosfwd>
#include <string>
#include <vector>

namespace qmlsim::cli {

/// One-line description for `qmlsim help`.
inline constexpr const char* kRunSummary = "simulate a circuit file or a standard circuit and print its results";

/// The subcommand: `args` are the words after "run". Writes the result, or the help for --help,
/// to `out` (nothing before the result is complete). Throws UsageError or
/// boost::program_options::error for a bad command line, qmlsim::Error for bad input (unreadable
/// or malformed file, unknown circuit, bad parameters, too little memory).
void run_command(const std::vector<std::string>& args, std::ostream& out);

}  // namespace qmlsim::cli

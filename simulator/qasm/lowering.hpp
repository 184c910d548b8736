#pragma once
/// Lowering (internal): a parsed program becomes a Circuit.
///
/// - Qubits are all qubit registers in declaration order, clbits the same; parameters are the
///   `input` declarations, in order, named.
/// - Gate definitions are checked when defined (names used in the body must already exist, so a
///   definition cannot recurse) and expanded inline where applied, with their parameters
///   substituted (folded where constant, affine or Expr otherwise).
/// - Modifiers: ctrl/negctrl add extra controls to every operation of the expansion; inv inverts
///   the expansion (reverse order, inverse_operation); pow(k) repeats it (inverse for k < 0) or,
///   for a non-integer k on at most 2 qubits, emits the principal matrix power as a unitary.
/// - Global phases: uncontrolled, unconditioned gphase contributions are summed exactly (as a
///   linear combination of parameters) into one trailing GPhase, left out when the sum is zero;
///   consecutive controlled or conditioned phases on the same controls are merged likewise.
/// - A gate with positive extra controls that has a built-in controlled kind becomes that kind
///   (ctrl @ x -> cx, ctrl(2) @ x -> ccx, ctrl @ rz -> crz, ...).
#include <memory>

#include "simulator/qasm/ast.hpp"
#include "simulator/qasm/parser.hpp"
#include "simulator/qasm/qasm.hpp"
#include "simulator/qasm/source.hpp"

namespace qmlsim::qasm::detail {

/// What Lowering delegates to (defined in lowering.cpp).
class LoweringImpl {
 public:
  virtual ~LoweringImpl() = default;
  virtual void statement(Statement&& s) = 0;
  virtual Program finish(Location end) = 0;
};

/// Lowers statements as the parser completes them (a large file never has its whole syntax tree
/// in memory; gate definitions are kept). Problems are recorded in `diags`. After the first
/// syntax error (a diagnostic this class did not make) lowering stops, so that a broken
/// declaration does not cause a cascade of errors, while the parser goes on reporting syntax
/// errors. TooManyErrors passes through.
class Lowering final : public StatementSink {
 public:
  Lowering(const Options& options, Diagnostics& diags);
  ~Lowering() override;
  Lowering(const Lowering&) = delete;
  Lowering& operator=(const Lowering&) = delete;

  void begin(int version) override;
  void statement(Statement&& s) override;
  /// The program (meaningful only if no diagnostic was recorded); `end` locates end-of-program
  /// errors (no qubits declared).
  [[nodiscard]] Program finish(Location end);

 private:
  const Options& options_;
  Diagnostics& diags_;
  std::unique_ptr<LoweringImpl> impl_;
};



}  // namespace qmlsim::qasm::detail

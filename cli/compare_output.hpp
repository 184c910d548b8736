#pragma once
/// How `qmlsim compare` prints a qml::CompareResult: the main table (one row per model, in the
/// result's order), the kernel-diagnostics and importance tables, and the JSON document
///   {"rows": [{"model": ..., "kind": "quantum"|"classical", "accuracy_mean": ..., ...}],
///    "summary": "...", "protocol": {...}}
/// (non-finite numbers are null). Columns appear only when they say something: features with a
/// sweep, ROC AUC and log loss when some model has them, chosen hyperparameters with a search,
/// test_accuracy (test_r2) with a train/test pair.
#include <iosfwd>

#include "cli/output.hpp"
#include "qml/eval/compare.hpp"

namespace qmlsim::cli {

/// The main table. Format::Table: the primary score as "0.967 +- 0.021" and the other scores'
/// means, rounded for reading; Csv/Json: every mean and standard deviation in its own column.
[[nodiscard]] Table compare_table(const qml::CompareResult& result, Format format);

/// "C=10 (3/5), gamma=scale (5/5)": each chosen value with the number of folds that chose it,
/// in first-seen order; "" without a search.
[[nodiscard]] std::string chosen_text(const qml::CompareRow& row);

/// Kernel diagnostics of the rows that have them (model, features with a sweep, alignment,
/// off-diagonal mean and variance, geometric difference); no rows when none has them.
[[nodiscard]] Table diagnostics_table(const qml::CompareResult& result);
/// Permutation importance: one row per model and feature (mean, std); no rows without it.
[[nodiscard]] Table importance_table(const qml::CompareResult& result);

/// The JSON document above; `protocol` is copied in as is.
[[nodiscard]] Json compare_json(const qml::CompareResult& result, const Json& protocol);

/// The whole output in `format`: table: the main table, a blank line, the summary, then the
/// diagnostics and importance tables under headings; csv: the main table only (the caller shows
/// the summary elsewhere); json: compare_json.
void write_compare_result(std::ostream& out, const qml::CompareResult& result, Format format, const Json& protocol);

}  // namespace qmlsim::cli

#pragma once
/// Feature maps on the command line: `--feature-map zz:reps=2,entanglement=linear` builds a named
/// map (qml/encoding), `--feature-map circuits/my_map.qasm` an OpenQASM file whose `input`
/// parameters are the features, in declaration order. qml/ never includes the parser: the CLI
/// turns the file into a Circuit here, and keeps the file's text in the map's spec, so a model
/// file predicts without the .qasm file.
#include <string>

#include "qml/encoding/component_spec.hpp"
#include "qml/models/kernel_model.hpp"
#include "qml/models/qnn_model.hpp"

namespace qmlsim::cli {

/// The factory models use: make_feature_map for names; for {"file", path[, source]} specs the
/// source text (read from `path` when absent) parsed as OpenQASM 2 or 3, its inputs the features.
/// Throws qasm::QasmError (a ParseError) for a bad file, InvalidArgument when the file's input
/// count differs from the feature count (naming both).
[[nodiscard]] qml::FeatureMapFactory feature_map_factory();

/// A {"file", path[, source]} spec with the file's text in "source" (read from `path` when
/// absent), so that a model file keeps the circuit. InvalidArgument for a missing path or another
/// option (`what` names the component: "feature map", "ansatz"); the reader's errors for the file.
[[nodiscard]] qml::ComponentSpec with_file_source(const qml::ComponentSpec& spec, const std::string& what);

/// The factory QNN models use for OpenQASM ansatz files: the spec's source (or file) parsed as
/// OpenQASM 2 or 3 (qasm::QasmError, a ParseError, for a bad file).
[[nodiscard]] qml::CircuitFactory circuit_file_factory();

/// "zz, z, pauli, angle, iqp, amplitude, or FILE.qasm" for --help.
[[nodiscard]] std::string feature_map_help_names();

}  // namespace qmlsim::cli

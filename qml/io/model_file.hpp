#pragma once
/// Model files: JSON (nlohmann-json, the ONLY qml file that includes it is model_file.cpp),
/// versioned schema {"format": "qmlsim-model", "version": 1, "qmlsim_version": ..., "seed": ...,
/// "model": {...}}, doubles in shortest round-trip form, written atomically (temp file + rename).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "qml/models/kernel_model.hpp"
#include "qml/models/qnn_model.hpp"

namespace qmlsim::qml {

struct ModelFileInfo {
  std::string qmlsim_version;
  std::uint64_t seed = 0;
  std::string label_column;  ///< the training file's label column ("" for built-in data)
  /// Shots per kernel entry when the model was trained on shot estimates: prediction estimates
  /// its kernel rows the same way (seeded by `seed`), so it reproduces the in-process predictions.
  std::optional<std::uint64_t> shots;
};

/// Writes `model` (fitted) to `path` atomically. Throws DatasetError when the file cannot be written.
void save_model(const std::filesystem::path& path, const KernelModel& model, const ModelFileInfo& info);

struct LoadedModel {
  KernelModel model;
  ModelFileInfo info;
};
/// Reads a model file. The file's seed and shots replace those of `options`. A corrupt, truncated or wrong-version file is a DatasetError naming the
/// file and the JSON pointer of the bad field: "model.json: /model/dual_coef: expected 3 rows, got 2".
[[nodiscard]] LoadedModel load_model(const std::filesystem::path& path, KernelOptions options = {},
                                     FeatureMapFactory factory = {});

/// Which family a model file holds, from its "model"/"type" (read without building the model):
/// "kernel" (KernelModel types) or "qnn" (QnnModel types). DatasetError for an unreadable file.
[[nodiscard]] std::string model_file_family(const std::filesystem::path& path);

/// Writes a fitted QNN model (the same envelope; "model" holds QnnModel::State, weights as
/// shortest round-trip doubles so that a loaded model predicts bit for bit as in process).
void save_model(const std::filesystem::path& path, const QnnModel& model, const ModelFileInfo& info);

struct LoadedQnnModel {
  QnnModel model;
  ModelFileInfo info;
};
/// Reads a QNN model file; errors as load_model's (file and JSON pointer).
[[nodiscard]] LoadedQnnModel load_qnn_model(const std::filesystem::path& path, QnnOptions options = {},
                                            FeatureMapFactory maps = {}, CircuitFactory files = {});

}  // namespace qmlsim::qml

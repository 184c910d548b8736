#pragma once
/// The network behind classical/mlp (private to qml/classical; the tests check its gradient):
/// fully connected layers, ReLU on the hidden ones, and scikit-learn's output layers and losses
/// (sklearn/neural_network/_multilayer_perceptron.py, _base.py):
///   softmax   cross-entropy  -sum_i sum_c t_ic log p_ic / n
///   logistic  binary cross-entropy (two classes: one output, P(class 1))
///   identity  half squared error sum_i sum_o (p_io - t_io)^2 / (2 n) (scikit-learn's mean / 2
///             for one output, the regressor's case)
/// plus the L2 penalty alpha/2 |W|^2 / n on the weights (not the biases), n the rows of the batch.
/// Probabilities are clipped to [eps, 1 - eps] inside the log as scikit-learn does. All
/// parameters live in one flat vector (layer 0's weights, column-major fan_in x fan_out, then its
/// biases, then layer 1 ...), so the optimizer, the best-weights copy and gradient checks see
/// one array.
#include <Eigen/Core>
#include <cstddef>
#include <vector>

#include "simulator/core/rng.hpp"

namespace qmlsim::qml::detail {

enum class MlpOutput { Softmax, Logistic, Identity };

class MlpNetwork {
 public:
  MlpNetwork() = default;
  /// `layer_units`: inputs, hidden sizes..., outputs (at least two entries, all >= 1).
  /// Glorot-uniform as scikit-learn's _init_coef for ReLU: each layer's weights then biases
  /// uniform in +-sqrt(6 / (fan_in + fan_out)), drawn from `rng` in parameter order.
  MlpNetwork(std::vector<int> layer_units, MlpOutput output, Rng& rng);

  /// Weights plus biases of every layer for these units.
  [[nodiscard]] static std::size_t parameter_count(const std::vector<int>& layer_units);

  [[nodiscard]] const std::vector<int>& layer_units() const noexcept { return units_; }
  [[nodiscard]] MlpOutput output() const noexcept { return output_; }
  /// Layers of weights (hidden layers + 1).
  [[nodiscard]] int layers() const noexcept { return static_cast<int>(units_.size()) - 1; }
  [[nodiscard]] Eigen::VectorXd& parameters() noexcept { return params_; }
  [[nodiscard]] const Eigen::VectorXd& parameters() const noexcept { return params_; }

  /// The outputs for the rows of `x` (rows x outputs): softmax probabilities, P(class 1), or values.
  [[nodiscard]] Eigen::MatrixXd predict(const Eigen::Ref<const Eigen::MatrixXd>& x) const;

  /// The batch loss (data term + L2 penalty, as above) of inputs `x` (rows x inputs) against
  /// `target` (rows x outputs: one-hot, 0/1, or values), with its gradient by backpropagation
  /// written to `gradient` (resized to parameters().size()). Keeps the layer buffers between calls.
  double loss_gradient(const Eigen::Ref<const Eigen::MatrixXd>& x, const Eigen::Ref<const Eigen::MatrixXd>& target,
                       double alpha, Eigen::VectorXd& gradient);

 private:
  [[nodiscard]] std::size_t weight_offset(int layer) const noexcept { return offsets_[static_cast<std::size_t>(layer)]; }
  [[nodiscard]] Eigen::Map<const Eigen::MatrixXd> weight(int layer) const;
  [[nodiscard]] Eigen::Map<const Eigen::RowVectorXd> bias(int layer) const;
  /// Fills activations[l] with layer l's outputs for the inputs `x` (the last one the network's).
  void forward(const Eigen::Ref<const Eigen::MatrixXd>& x, std::vector<Eigen::MatrixXd>& activations) const;

  std::vector<int> units_;
  MlpOutput output_ = MlpOutput::Identity;
  Eigen::VectorXd params_;
  std::vector<std::size_t> offsets_;  // where each layer's weights start in params_
  std::vector<Eigen::MatrixXd> activations_, deltas_;  // loss_gradient's buffers
};

}  // namespace qmlsim::qml::detail

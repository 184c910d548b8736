#include "qml/classical/mlp_network.hpp"

#include <cmath>
#include <limits>
#include <utility>

namespace qmlsim::qml::detail {

namespace {

// scikit-learn clips probabilities to [eps, 1 - eps] (eps of the dtype) before taking logs.
constexpr double kEps = std::numeric_limits<double>::epsilon();

Eigen::ArrayXXd clipped_log(const Eigen::ArrayXXd& p) { return p.max(kEps).min(1.0 - kEps).log(); }

}  // namespace

MlpNetwork::MlpNetwork(std::vector<int> layer_units, MlpOutput output, Rng& rng)
    : units_(std::move(layer_units)), output_(output) {
  params_.resize(static_cast<Eigen::Index>(parameter_count(units_)));
  std::size_t at = 0;
  for (int l = 0; l < layers(); ++l) {
    offsets_.push_back(at);
    const int fan_in = units_[static_cast<std::size_t>(l)], fan_out = units_[static_cast<std::size_t>(l) + 1];
    const double bound = std::sqrt(6.0 / (fan_in + fan_out));
    const std::size_t count = static_cast<std::size_t>(fan_in + 1) * static_cast<std::size_t>(fan_out);
    for (std::size_t k = 0; k < count; ++k) params_[static_cast<Eigen::Index>(at + k)] = bound * (2.0 * rng.uniform() - 1.0);
    at += count;
  }
}

std::size_t MlpNetwork::parameter_count(const std::vector<int>& layer_units) {
  std::size_t count = 0;
  for (std::size_t l = 0; l + 1 < layer_units.size(); ++l)
    count += static_cast<std::size_t>(layer_units[l] + 1) * static_cast<std::size_t>(layer_units[l + 1]);
  return count;
}

Eigen::Map<const Eigen::MatrixXd> MlpNetwork::weight(int layer) const {
  const auto l = static_cast<std::size_t>(layer);
  return {params_.data() + weight_offset(layer), units_[l], units_[l + 1]};
}

Eigen::Map<const Eigen::RowVectorXd> MlpNetwork::bias(int layer) const {
  const auto l = static_cast<std::size_t>(layer);
  return {params_.data() + weight_offset(layer) + static_cast<std::size_t>(units_[l]) * static_cast<std::size_t>(units_[l + 1]),
          units_[l + 1]};
}

void MlpNetwork::forward(const Eigen::Ref<const Eigen::MatrixXd>& x, std::vector<Eigen::MatrixXd>& activations) const {
  activations.resize(static_cast<std::size_t>(layers()));
  for (int l = 0; l < layers(); ++l) {
    Eigen::MatrixXd& z = activations[static_cast<std::size_t>(l)];
    if (l == 0)
      z.noalias() = x * weight(0);
    else
      z.noalias() = activations[static_cast<std::size_t>(l) - 1] * weight(l);
    z.rowwise() += bias(l);
    if (l + 1 < layers()) {
      z = z.cwiseMax(0.0);
      continue;
    }
    switch (output_) {
      case MlpOutput::Softmax: {
        z.colwise() -= z.rowwise().maxCoeff();
        z = z.array().exp();
        z.array().colwise() /= z.rowwise().sum().array();
        break;
      }
      case MlpOutput::Logistic:
        z = 1.0 / (1.0 + (-z.array()).exp());
        break;
      case MlpOutput::Identity:
        break;
    }
  }
}

Eigen::MatrixXd MlpNetwork::predict(const Eigen::Ref<const Eigen::MatrixXd>& x) const {
  std::vector<Eigen::MatrixXd> activations;
  forward(x, activations);
  return std::move(activations.back());
}

double MlpNetwork::loss_gradient(const Eigen::Ref<const Eigen::MatrixXd>& x, const Eigen::Ref<const Eigen::MatrixXd>& target,
                                 double alpha, Eigen::VectorXd& gradient) {
  forward(x, activations_);
  const Eigen::MatrixXd& out = activations_.back();
  const auto n = static_cast<double>(x.rows());

  double loss = 0.0;
  switch (output_) {
    case MlpOutput::Softmax:
      loss = -(target.array() * clipped_log(out.array())).sum() / n;
      break;
    case MlpOutput::Logistic:
      loss = -(target.array() * clipped_log(out.array()) + (1.0 - target.array()) * clipped_log(1.0 - out.array())).sum() / n;
      break;
    case MlpOutput::Identity:
      loss = (out - target).squaredNorm() / (2.0 * n);
      break;
  }
  double squares = 0.0;
  for (int l = 0; l < layers(); ++l) squares += weight(l).squaredNorm();
  loss += 0.5 * alpha * squares / n;

  // Every output layer with its matching loss has d loss / d z = (out - target) / n.
  gradient.resize(params_.size());
  deltas_.resize(static_cast<std::size_t>(layers()));
  deltas_.back() = out - target;
  for (int l = layers() - 1; l >= 0; --l) {
    const auto ul = static_cast<std::size_t>(l);
    const Eigen::MatrixXd& delta = deltas_[ul];
    Eigen::Map<Eigen::MatrixXd> grad_w(gradient.data() + weight_offset(l), units_[ul], units_[ul + 1]);
    Eigen::Map<Eigen::RowVectorXd> grad_b(grad_w.data() + grad_w.size(), units_[ul + 1]);
    if (l == 0)
      grad_w.noalias() = x.transpose() * delta;
    else
      grad_w.noalias() = activations_[ul - 1].transpose() * delta;
    grad_w = (grad_w + alpha * weight(l)) / n;
    grad_b = delta.colwise().sum() / n;
    if (l > 0) {
      Eigen::MatrixXd& below = deltas_[ul - 1];
      below.noalias() = delta * weight(l).transpose();
      // ReLU': 1 where the unit was active (scikit-learn zeroes where its output is 0).
      below = (activations_[ul - 1].array() > 0.0).select(below, 0.0);
    }
  }
  return loss;
}

}  // namespace qmlsim::qml::detail

#pragma once
/// The training objective of the QNN models: the mean over samples of a per-sample loss of the
/// circuit's observable values, plus L2 weight decay,
///   f(w) = (1 / N) sum_i loss_i(<H_1>(x_i, w_q), ..., <H_m>(x_i, w_q); w_c) + (l2 / 2) |w|^2,
/// where w = (w_q, w_c): the circuit's weights (layout.weights order) then the sample loss's
/// classical weights (a dressed model's output layer; none for the others).
/// Gradients come from BatchExecutor::loss_gradient: ONE forward run and ONE adjoint sweep per
/// sample, samples spread over the cores by the batch engine, per-sample terms summed in sample
/// order (bit-identical on any thread count). Separable: stochastic optimizers may evaluate
/// mini-batches of samples.
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "qml/data/dataset.hpp"
#include "qml/encoding/model_circuit.hpp"
#include "qml/optim/optimizer.hpp"
#include "qml/qnn/loss.hpp"
#include "qml/qnn/readout.hpp"
#include "simulator/execution/batch.hpp"

namespace qmlsim::qml {

/// One sample's loss from its observable values. Called concurrently from the batch engine's
/// workers: implementations are read-only after construction.
class SampleLoss {
 public:
  virtual ~SampleLoss() = default;
  /// Classical weights this loss owns (appended after the circuit's weights).
  [[nodiscard]] virtual std::size_t num_classical() const { return 0; }
  /// Loss of sample `sample` (an index into the objective's data) given the observable values;
  /// writes dL/dvalues into `dvalues` and dL/dclassical into `dclassical` (every entry).
  virtual double evaluate(std::size_t sample, std::span<const double> values, std::span<const double> classical,
                          std::span<double> dvalues, std::span<double> dclassical) const = 0;
};

/// Classifier: loss(readout probabilities, label). InvalidArgument for a label out of range.
class ClassifierLoss final : public SampleLoss {
 public:
  ClassifierLoss(Readout readout, LossKind loss, Labels labels);
  double evaluate(std::size_t sample, std::span<const double> values, std::span<const double> classical,
                  std::span<double> dvalues, std::span<double> dclassical) const override;
  [[nodiscard]] const Readout& readout() const noexcept { return readout_; }

 private:
  Readout readout_;
  LossKind loss_;
  Labels labels_;
};

/// Regressor on one observable: (<O> - t_i)^2 for the scaled targets t_i.
class RegressionLoss final : public SampleLoss {
 public:
  explicit RegressionLoss(std::vector<double> targets);
  double evaluate(std::size_t sample, std::span<const double> values, std::span<const double> classical,
                  std::span<double> dvalues, std::span<double> dclassical) const override;

 private:
  std::vector<double> targets_;
};

/// Dressed circuit's output layer (Mari et al. 2020): logits = W z + b from the m values z
/// (W: C x m row-major, then b: C; classical weights in that order), p = softmax(logits), then
/// loss(p, label).
class DressedLoss final : public SampleLoss {
 public:
  DressedLoss(int num_values, int num_classes, LossKind loss, Labels labels);
  [[nodiscard]] std::size_t num_classical() const override;
  double evaluate(std::size_t sample, std::span<const double> values, std::span<const double> classical,
                  std::span<double> dvalues, std::span<double> dclassical) const override;
  /// Class probabilities of one sample (C entries).
  void probabilities(std::span<const double> values, std::span<const double> classical, std::span<double> p) const;

 private:
  int values_;
  int classes_;
  LossKind loss_;
  Labels labels_;
};

class QnnObjective final : public Objective {
 public:
  /// `x`: one row per sample, columns = layout.inputs. Throws InvalidArgument when the layout does
  /// not fit the circuit, x's width differs from layout.inputs, or l2 < 0.
  QnnObjective(const Circuit& circuit, ParameterLayout layout, std::vector<Observable> observables, FeatureMatrix x,
               std::shared_ptr<const SampleLoss> loss, double l2, SimulatorOptions options = {});

  [[nodiscard]] std::size_t num_parameters() const override;
  [[nodiscard]] double value(std::span<const double> w) override;
  double value_and_gradient(std::span<const double> w, std::span<double> grad) override;
  [[nodiscard]] std::size_t num_samples() const override;
  double batch_value_and_gradient(std::span<const double> w, std::span<const std::size_t> rows,
                                  std::span<double> grad) override;
  [[nodiscard]] double batch_value(std::span<const double> w, std::span<const std::size_t> rows) override;

  /// Circuit runs so far (a forward run and an adjoint sweep count one each).
  [[nodiscard]] std::uint64_t circuit_evaluations() const noexcept { return circuit_evaluations_; }

 private:
  double evaluate(std::span<const double> w, std::span<const std::size_t> rows, std::span<double> grad);
  std::vector<double> parameter_rows(std::span<const double> w, std::span<const std::size_t> rows) const;

  BatchExecutor executor_;
  ParameterLayout layout_;
  std::vector<Observable> observables_;
  FeatureMatrix x_;
  std::shared_ptr<const SampleLoss> loss_;
  double l2_;
  std::vector<std::size_t> all_rows_;
  std::uint64_t circuit_evaluations_ = 0;
};

/// values[i * m + j] = <H_j> for sample i of `x` at the circuit weights `weights` (prediction).
[[nodiscard]] std::vector<double> circuit_values(const BatchExecutor& executor, const ParameterLayout& layout,
                                                 const FeatureMatrix& x, std::span<const double> weights,
                                                 std::span<const Observable> observables);

}  // namespace qmlsim::qml

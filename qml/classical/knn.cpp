#include "qml/classical/knn.hpp"

#include <algorithm>
#include <numeric>

#include "qml/classical/common.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/memory.hpp"
#include "simulator/core/parallel.hpp"

namespace qmlsim::qml {

namespace {

class Knn final : public detail::ClassicalModel {
 public:
  Knn(const ModelConfig& config, const EstimatorContext& context)
      : ClassicalModel(config, config.type == "knn" ? Task::Classification : Task::Regression, context) {
    auto options = detail::model_options(config);
    k_ = options.integer("n_neighbors", 5, 1, 1000000);
    options.finish();
  }

  bool has_proba() const noexcept override { return task() == Task::Classification; }

  Labels predict(const FeatureMatrix& x) const override {
    require_task(Task::Classification, "predict");
    const Eigen::MatrixXd p = neighbour_means(prepare(x), targets_);
    Labels labels(static_cast<std::size_t>(p.rows()));
    for (Eigen::Index i = 0; i < p.rows(); ++i) {
      Eigen::Index best = 0;
      p.row(i).maxCoeff(&best);  // the first maximum: ties go to the lowest class index
      labels[static_cast<std::size_t>(i)] = static_cast<int>(best);
    }
    return labels;
  }

  Eigen::MatrixXd predict_proba(const FeatureMatrix& x) const override {
    if (task() != Task::Classification) return ClassicalModel::predict_proba(x);
    return neighbour_means(prepare(x), targets_);
  }

  std::vector<double> score_class1(const FeatureMatrix& x) const override {
    require_task(Task::Classification, "score_class1");
    const Eigen::MatrixXd p = neighbour_means(prepare_two_class(x), targets_);
    std::vector<double> scores(static_cast<std::size_t>(p.rows()));
    for (Eigen::Index i = 0; i < p.rows(); ++i) scores[static_cast<std::size_t>(i)] = p(i, 1);
    return scores;
  }

  std::vector<double> predict_values(const FeatureMatrix& x) const override {
    require_task(Task::Regression, "predict_values");
    const Eigen::MatrixXd mean = neighbour_means(prepare(x), targets_);
    return std::vector<double>(mean.data(), mean.data() + mean.size());
  }

  EstimatorInfo info() const override {
    require_fitted();
    return EstimatorInfo{0, 0, 0};
  }

  std::string description() const override { return type_ + " n_neighbors=" + std::to_string(k_); }

 private:
  int fit_rows(const FeatureMatrix& x, const Dataset& train) override {
    if (static_cast<std::size_t>(k_) > train.size())
      throw InvalidArgument(context_text_ + ": n_neighbors " + std::to_string(k_) + " exceeds the " +
                            plural(static_cast<long long>(train.size()), "training row"));
    rows_ = x;
    // One column per output: the one-hot class (classifier) or the target (regressor).
    if (task() == Task::Classification) {
      targets_ = Eigen::MatrixXd::Zero(x.rows(), num_classes_);
      for (std::size_t i = 0; i < train.size(); ++i) targets_(static_cast<Eigen::Index>(i), train.y()[i]) = 1.0;
    } else {
      targets_ = Eigen::Map<const Eigen::VectorXd>(train.targets().data(), x.rows());
    }
    return 0;
  }

  // Row i: the mean of `values` over the k nearest training rows of query i, summed in
  // neighbour order (nearest first). Queries go to threads; each is computed alone.
  Eigen::MatrixXd neighbour_means(const FeatureMatrix& rows, const Eigen::MatrixXd& values) const {
    const Eigen::Index n = rows_.rows(), features = rows_.cols();
    const auto threads = resolve_threads(options_.parallel, static_cast<Index>(rows.rows() * n * features));
    ensure_memory(static_cast<std::uint64_t>(threads) * static_cast<std::uint64_t>(n) * (sizeof(double) + sizeof(Eigen::Index)),
                  context_text_ + ": distances to " + plural(n, "training row"), options_.memory);
    Eigen::MatrixXd out(rows.rows(), values.cols());
    const auto work_per_row = static_cast<Index>(std::max<Eigen::Index>(1, n * features));
    const Parallelism per_row{options_.parallel.threads, std::max<Index>(1, options_.parallel.threshold / work_per_row)};
    parallel_for(static_cast<Index>(rows.rows()), 1, per_row, [&](Index begin, Index end) {
      std::vector<double> d2(static_cast<std::size_t>(n));
      std::vector<Eigen::Index> order(static_cast<std::size_t>(n));
      for (auto q = static_cast<Eigen::Index>(begin); q < static_cast<Eigen::Index>(end); ++q) {
        const double* x = rows.data() + q * features;
        for (Eigen::Index j = 0; j < n; ++j) {
          const double* t = rows_.data() + j * features;
          double s = 0.0;
          for (Eigen::Index f = 0; f < features; ++f) s += (x[f] - t[f]) * (x[f] - t[f]);
          d2[static_cast<std::size_t>(j)] = s;
        }
        std::iota(order.begin(), order.end(), Eigen::Index{0});
        std::partial_sort(order.begin(), order.begin() + k_, order.end(), [&](Eigen::Index a, Eigen::Index b) {
          const double da = d2[static_cast<std::size_t>(a)], db = d2[static_cast<std::size_t>(b)];
          return da < db || (da == db && a < b);
        });
        out.row(q).setZero();
        for (int m = 0; m < k_; ++m) out.row(q) += values.row(order[static_cast<std::size_t>(m)]);
        out.row(q) /= static_cast<double>(k_);
      }
    });
    return out;
  }

  int k_ = 5;
  FeatureMatrix rows_;       // the preprocessed training rows
  Eigen::MatrixXd targets_;  // training rows x outputs
};

}  // namespace

std::vector<std::string> knn_parameter_keys() { return {"n_neighbors"}; }

std::unique_ptr<Estimator> make_knn(const ModelConfig& config, const EstimatorContext& context) {
  return std::make_unique<Knn>(config, context);
}

}  // namespace qmlsim::qml

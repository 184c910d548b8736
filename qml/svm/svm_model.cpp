#include "qml/svm/svm_model.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <utility>

#include "qml/svm/libsvm_adapter.hpp"
#include "qml/svm/platt.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/rng.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim::qml {

namespace {

constexpr int kPlattFolds = 5;          // libsvm's
constexpr double kMinProbability = 1e-7;  // libsvm clips pairwise probabilities to [1e-7, 1 - 1e-7]

std::size_t pair_count(std::size_t classes) { return classes * (classes - 1) / 2; }

void check_kernel(const Eigen::MatrixXd& k, std::size_t n) {
  if (k.rows() != k.cols())
    throw InvalidArgument("svm: the training kernel must be square, got " + std::to_string(k.rows()) + " x " +
                          std::to_string(k.cols()));
  if (static_cast<std::size_t>(k.rows()) != n)
    throw InvalidArgument("svm: the training kernel has " + plural(k.rows(), "row") + " but there are " +
                          plural(static_cast<long long>(n), "label"));
  for (Eigen::Index j = 0; j < k.cols(); ++j)
    for (Eigen::Index i = 0; i < k.rows(); ++i)
      check_finite(k(i, j), [&] { return "svm: kernel entry (" + std::to_string(i) + ", " + std::to_string(j) + ")"; });
}

// Classes 0 .. C-1, each present; returns C.
std::size_t check_class_labels(std::span<const double> y) {
  double top = -1.0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    if (!(y[i] >= 0.0) || y[i] != std::floor(y[i]) || y[i] > 1e9)
      throw InvalidArgument("svm: label " + format_number(y[i]) + " of sample " + std::to_string(i) +
                            " is not a class index");
    top = std::max(top, y[i]);
  }
  const auto classes = static_cast<std::size_t>(top) + 1;
  std::vector<char> seen(classes, 0);
  for (double v : y) seen[static_cast<std::size_t>(v)] = 1;
  for (std::size_t c = 0; c < classes; ++c)
    if (!seen[c]) throw InvalidArgument("svm: class " + std::to_string(c) + " has no training samples");
  if (classes < 2) throw InvalidArgument("svm: a classifier needs at least 2 classes, the training labels have 1");
  return classes;
}

// Decision values of the binary problem (class 0 positive) on `rows` by 5-fold cross-validation,
// as libsvm's svm_binary_svc_probability, with the fold split drawn from `rng` instead of rand().
std::vector<double> cross_validated_decisions(const Eigen::MatrixXd& k, const std::vector<std::size_t>& rows,
                                              const std::vector<double>& y, const SvmParams& params, Rng rng) {
  const std::size_t l = rows.size();
  std::vector<std::size_t> perm(l);
  std::iota(perm.begin(), perm.end(), std::size_t{0});
  for (std::size_t i = 0; i < l; ++i) std::swap(perm[i], perm[i + rng.below(l - i)]);

  std::vector<double> decision(l, 0.0);
  for (std::size_t fold = 0; fold < kPlattFolds; ++fold) {
    const std::size_t begin = fold * l / kPlattFolds, end = (fold + 1) * l / kPlattFolds;
    std::vector<std::size_t> train_rows;
    std::vector<double> train_y;
    std::size_t positives = 0;
    for (std::size_t j = 0; j < l; ++j) {
      if (j >= begin && j < end) continue;
      train_rows.push_back(rows[perm[j]]);
      train_y.push_back(y[perm[j]]);
      positives += y[perm[j]] == 0.0;
    }
    const std::size_t negatives = train_rows.size() - positives;
    if (positives == 0 || negatives == 0) {  // one class only: libsvm's constant answers
      const double constant = positives > 0 ? 1.0 : negatives > 0 ? -1.0 : 0.0;
      for (std::size_t j = begin; j < end; ++j) decision[perm[j]] = constant;
      continue;
    }
    const SvmTraining fit = detail::libsvm_train(k, train_rows, train_y, params);
    Eigen::MatrixXd held(static_cast<Eigen::Index>(end - begin), static_cast<Eigen::Index>(fit.support.size()));
    for (std::size_t j = begin; j < end; ++j)
      for (std::size_t s = 0; s < fit.support.size(); ++s)
        held(static_cast<Eigen::Index>(j - begin), static_cast<Eigen::Index>(s)) =
            k(static_cast<Eigen::Index>(rows[perm[j]]), static_cast<Eigen::Index>(fit.support[s]));
    const Eigen::MatrixXd values = fit.model.decision_values(held);
    for (std::size_t j = begin; j < end; ++j) decision[perm[j]] = values(static_cast<Eigen::Index>(j - begin), 0);
  }
  return decision;
}

// Platt scaling per pair (i, j), i < j, on the pair's rows (class i first), each pair's split
// from its own stream of params.seed.
void fit_probability(const Eigen::MatrixXd& k, std::span<const double> y, std::size_t classes, const SvmParams& params,
                     SvmModel& model) {
  std::vector<std::vector<std::size_t>> by_class(classes);
  for (std::size_t r = 0; r < y.size(); ++r) by_class[static_cast<std::size_t>(y[r])].push_back(r);
  std::uint64_t pair = 0;
  for (std::size_t i = 0; i < classes; ++i) {
    for (std::size_t j = i + 1; j < classes; ++j, ++pair) {
      std::vector<std::size_t> rows = by_class[i];
      rows.insert(rows.end(), by_class[j].begin(), by_class[j].end());
      std::vector<double> binary(by_class[i].size(), 0.0);
      binary.resize(rows.size(), 1.0);
      const std::vector<double> f = cross_validated_decisions(k, rows, binary, params, Rng(params.seed, pair));
      std::vector<std::uint8_t> positive(rows.size());
      for (std::size_t r = 0; r < rows.size(); ++r) positive[r] = binary[r] == 0.0;
      const PlattSigmoid s = fit_platt_sigmoid(f, positive);
      model.prob_a.push_back(s.a);
      model.prob_b.push_back(s.b);
    }
  }
}

const char* type_name(SvmType type) {
  switch (type) {
    case SvmType::CSvc: return "C-SVC";
    case SvmType::EpsilonSvr: return "epsilon-SVR";
    case SvmType::OneClass: return "one-class SVM";
  }
  return "SVM";
}

}  // namespace

SvmTraining train_precomputed(const Eigen::MatrixXd& k, std::span<const double> y, const SvmParams& params) {
  for (const auto& [value, name] : {std::pair{params.C, "C"}, std::pair{params.epsilon, "epsilon"},
                                    std::pair{params.nu, "nu"}, std::pair{params.tolerance, "tolerance"},
                                    std::pair{params.cache_mb, "cache size"}})
    check_finite(value, std::string("svm: ") + name);
  if (params.probability && params.type != SvmType::CSvc)
    throw InvalidArgument(std::string("svm: probability estimates are for C-SVC, not ") + type_name(params.type));
  std::vector<double> labels(y.begin(), y.end());
  if (params.type == SvmType::OneClass) {
    if (!y.empty() && y.size() != static_cast<std::size_t>(k.rows()))
      throw InvalidArgument("svm: one-class training takes no labels or one per row, got " +
                            plural(static_cast<long long>(y.size()), "label"));
    labels.assign(static_cast<std::size_t>(k.rows()), 1.0);
  }
  check_kernel(k, labels.size());
  if (labels.empty()) throw InvalidArgument("svm: no training samples");
  std::size_t classes = 0;
  if (params.type == SvmType::CSvc) {
    classes = check_class_labels(labels);
  } else {
    for (std::size_t i = 0; i < labels.size(); ++i)
      check_finite(labels[i], [&] { return "svm: target of sample " + std::to_string(i); });
  }

  std::vector<std::size_t> rows(labels.size());
  std::iota(rows.begin(), rows.end(), std::size_t{0});
  SvmTraining out = detail::libsvm_train(k, rows, labels, params);
  if (params.probability) fit_probability(k, labels, classes, params, out.model);
  return out;
}

int SvmModel::num_classes() const noexcept {
  return type == SvmType::CSvc ? static_cast<int>(n_support.size()) : 2;
}

Eigen::MatrixXd SvmModel::decision_values(const Eigen::MatrixXd& k) const {
  const auto support = static_cast<Eigen::Index>(num_support());
  if (k.cols() != support)
    throw InvalidArgument("svm: kernel rows have " + plural(k.cols(), "column") + " but the model has " +
                          plural(support, "support vector"));
  const Eigen::Index n = k.rows();
  std::vector<double> row(static_cast<std::size_t>(support));
  if (type != SvmType::CSvc) {
    Eigen::MatrixXd out(n, 1);
    for (Eigen::Index i = 0; i < n; ++i) {
      double sum = 0.0;
      for (Eigen::Index s = 0; s < support; ++s) sum += dual_coef(0, s) * k(i, s);
      out(i, 0) = sum - rho[0];
    }
    return out;
  }
  // libsvm's svm_predict_values: pair (a, b) sums class a's support vectors with coefficient row
  // b - 1, then class b's with row a, in this order.
  const int classes = num_classes();
  std::vector<Eigen::Index> start(static_cast<std::size_t>(classes), 0);
  for (int c = 1; c < classes; ++c) start[c] = start[c - 1] + n_support[c - 1];
  Eigen::MatrixXd out(n, static_cast<Eigen::Index>(pair_count(static_cast<std::size_t>(classes))));
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index s = 0; s < support; ++s) row[static_cast<std::size_t>(s)] = k(i, s);
    Eigen::Index p = 0;
    for (int a = 0; a < classes; ++a) {
      for (int b = a + 1; b < classes; ++b, ++p) {
        double sum = 0.0;
        for (Eigen::Index s = start[a]; s < start[a] + n_support[a]; ++s)
          sum += dual_coef(b - 1, s) * row[static_cast<std::size_t>(s)];
        for (Eigen::Index s = start[b]; s < start[b] + n_support[b]; ++s)
          sum += dual_coef(a, s) * row[static_cast<std::size_t>(s)];
        out(i, p) = sum - rho[static_cast<std::size_t>(p)];
      }
    }
  }
  return out;
}

std::vector<int> SvmModel::predict_labels(const Eigen::MatrixXd& k) const {
  if (type == SvmType::EpsilonSvr) throw InvalidArgument("svm: epsilon-SVR predicts values, not labels");
  const Eigen::MatrixXd d = decision_values(k);
  std::vector<int> labels(static_cast<std::size_t>(k.rows()));
  if (type == SvmType::OneClass) {
    for (Eigen::Index i = 0; i < d.rows(); ++i) labels[static_cast<std::size_t>(i)] = d(i, 0) > 0.0 ? 0 : 1;
    return labels;
  }
  const int classes = num_classes();
  std::vector<int> votes(static_cast<std::size_t>(classes));
  for (Eigen::Index i = 0; i < d.rows(); ++i) {
    std::fill(votes.begin(), votes.end(), 0);
    Eigen::Index p = 0;
    for (int a = 0; a < classes; ++a)
      for (int b = a + 1; b < classes; ++b, ++p) ++votes[d(i, p) > 0.0 ? a : b];
    // The first class with the most votes: ties go to the lower index, as in libsvm.
    labels[static_cast<std::size_t>(i)] = static_cast<int>(std::max_element(votes.begin(), votes.end()) - votes.begin());
  }
  return labels;
}

std::vector<double> SvmModel::predict_values(const Eigen::MatrixXd& k) const {
  if (type != SvmType::EpsilonSvr)
    throw InvalidArgument(std::string("svm: ") + type_name(type) + " predicts labels, not values");
  const Eigen::MatrixXd d = decision_values(k);
  return {d.data(), d.data() + d.rows()};
}

Eigen::MatrixXd SvmModel::predict_proba(const Eigen::MatrixXd& k) const {
  if (type != SvmType::CSvc || !has_probability())
    throw InvalidArgument("svm: probability estimates need a C-SVC trained with probability = true");
  const Eigen::MatrixXd d = decision_values(k);
  const int classes = num_classes();
  Eigen::MatrixXd out(d.rows(), classes);
  Eigen::MatrixXd pairwise(classes, classes);
  for (Eigen::Index i = 0; i < d.rows(); ++i) {
    Eigen::Index p = 0;
    for (int a = 0; a < classes; ++a) {
      for (int b = a + 1; b < classes; ++b, ++p) {
        const double v = PlattSigmoid{prob_a[static_cast<std::size_t>(p)], prob_b[static_cast<std::size_t>(p)]}(d(i, p));
        pairwise(a, b) = std::clamp(v, kMinProbability, 1.0 - kMinProbability);
        pairwise(b, a) = 1.0 - pairwise(a, b);
      }
    }
    if (classes == 2) {
      out(i, 0) = pairwise(0, 1);
      out(i, 1) = pairwise(1, 0);
    } else {
      out.row(i) = couple_pairwise(pairwise).transpose();
    }
  }
  return out;
}

void SvmModel::validate() const {
  const auto support = static_cast<std::size_t>(dual_coef.cols());
  std::size_t rows = 1, pairs = 1;
  if (type == SvmType::CSvc) {
    if (n_support.size() < 2)
      throw DatasetError("n_support: expected one count per class (at least 2), got " +
                         std::to_string(n_support.size()));
    rows = n_support.size() - 1;
    pairs = pair_count(n_support.size());
    long long total = 0;
    for (std::size_t c = 0; c < n_support.size(); ++c) {
      if (n_support[c] < 0)
        throw DatasetError("n_support: count " + std::to_string(n_support[c]) + " of class " + std::to_string(c) +
                           " is negative");
      total += n_support[c];
    }
    if (total != static_cast<long long>(support))
      throw DatasetError("n_support: the counts add up to " + std::to_string(total) + " but there are " +
                         plural(static_cast<long long>(support), "support vector"));
  } else if (!n_support.empty()) {
    throw DatasetError(std::string("n_support: expected none for ") + type_name(type) + ", got " +
                       std::to_string(n_support.size()));
  }
  if (static_cast<std::size_t>(dual_coef.rows()) != rows)
    throw DatasetError("dual_coef: expected " + plural(static_cast<long long>(rows), "row") + ", got " +
                       std::to_string(dual_coef.rows()));
  for (Eigen::Index j = 0; j < dual_coef.cols(); ++j)
    for (Eigen::Index i = 0; i < dual_coef.rows(); ++i)
      if (!std::isfinite(dual_coef(i, j)))
        throw DatasetError("dual_coef: entry (" + std::to_string(i) + ", " + std::to_string(j) + ") is " +
                           format_number(dual_coef(i, j)));
  const auto check_vector = [&](const std::vector<double>& v, const char* name, bool optional) {
    if (optional && v.empty()) return;
    if (v.size() != pairs)
      throw DatasetError(std::string(name) + ": expected " + plural(static_cast<long long>(pairs), "value") + ", got " +
                         std::to_string(v.size()));
    for (std::size_t i = 0; i < v.size(); ++i)
      if (!std::isfinite(v[i]))
        throw DatasetError(std::string(name) + ": value " + std::to_string(i) + " is " + format_number(v[i]));
  };
  check_vector(rho, "rho", false);
  if (type != SvmType::CSvc && (!prob_a.empty() || !prob_b.empty()))
    throw DatasetError(std::string("prob_a: probability estimates are for C-SVC, not ") + type_name(type));
  if (prob_a.size() != prob_b.size())
    throw DatasetError("prob_b: expected as many values as prob_a (" + std::to_string(prob_a.size()) + "), got " +
                       std::to_string(prob_b.size()));
  check_vector(prob_a, "prob_a", true);
  check_vector(prob_b, "prob_b", true);
}

}  // namespace qmlsim::qml

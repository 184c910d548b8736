// The only file that includes libsvm. Its global state is tamed here: the print function is set
// once to a silent one (libsvm writes "optimization finished" to stdout, which would corrupt
// --format json), and probability = 0 always (libsvm's Platt split calls the unseeded rand();
// svm_model.cpp fits Platt scaling on a seeded split instead).
#include "qml/svm/libsvm_adapter.hpp"

#include <libsvm/svm.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <numeric>
#include <string>
#include <vector>

#include "simulator/core/errors.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim::qml::detail {

namespace {

void discard_libsvm_output(const char* /*text*/) {}

void silence_libsvm() {
  static std::once_flag once;
  std::call_once(once, [] { svm_set_print_string_function(&discard_libsvm_output); });
}

struct ModelDeleter {
  void operator()(svm_model* m) const noexcept { svm_free_and_destroy_model(&m); }
};
using ModelPtr = std::unique_ptr<svm_model, ModelDeleter>;

int libsvm_type(SvmType type) {
  switch (type) {
    case SvmType::CSvc: return C_SVC;
    case SvmType::EpsilonSvr: return EPSILON_SVR;
    case SvmType::OneClass: return ONE_CLASS;
  }
  return C_SVC;
}

svm_parameter libsvm_parameters(const SvmParams& params) {
  svm_parameter p{};
  p.svm_type = libsvm_type(params.type);
  p.kernel_type = PRECOMPUTED;
  p.cache_size = params.cache_mb;
  p.eps = params.tolerance;
  p.C = params.C;
  p.nu = params.nu;
  p.p = params.epsilon;
  p.shrinking = 1;    // scikit-learn's default
  p.probability = 0;  // never: libsvm's probability split uses rand()
  return p;
}

// The order in which libsvm sees the rows: grouped by class, stably, for C-SVC (so its classes,
// which it orders by first occurrence, come in index order, as scikit-learn's sorted labels).
std::vector<std::size_t> problem_order(std::span<const double> y, SvmType type) {
  std::vector<std::size_t> order(y.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  if (type == SvmType::CSvc)
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return y[a] < y[b]; });
  return order;
}

}  // namespace

SvmTraining libsvm_train(const Eigen::MatrixXd& k, std::span<const std::size_t> rows, std::span<const double> y,
                         const SvmParams& params) {
  silence_libsvm();
  const std::size_t n = rows.size();
  const std::uint64_t node_bytes = std::uint64_t{n} * (n + 2) * sizeof(svm_node);
  ensure_memory(node_bytes, "libsvm: the precomputed kernel of " + plural(static_cast<long long>(n), "sample"),
                params.memory);

  // Precomputed rows x[p] = {0: p+1, 1: K(p,0), ..., n: K(p,n-1), -1}; node 0 is the serial
  // number through which libsvm finds the kernel column of a support vector.
  const std::vector<std::size_t> order = problem_order(y, params.type);
  std::vector<svm_node> nodes(n * (n + 2));
  std::vector<svm_node*> x(n);
  std::vector<double> labels(n);
  for (std::size_t p = 0; p < n; ++p) {
    svm_node* row = nodes.data() + p * (n + 2);
    const auto r = static_cast<Eigen::Index>(rows[order[p]]);
    row[0] = {0, static_cast<double>(p + 1)};
    for (std::size_t q = 0; q < n; ++q)
      row[q + 1] = {static_cast<int>(q + 1), k(r, static_cast<Eigen::Index>(rows[order[q]]))};
    row[n + 1] = {-1, 0.0};
    x[p] = row;
    labels[p] = y[order[p]];
  }
  svm_problem problem{static_cast<int>(n), labels.data(), x.data()};
  const svm_parameter parameters = libsvm_parameters(params);
  if (const char* error = svm_check_parameter(&problem, &parameters))
    throw InvalidArgument(std::string("svm: ") + error + " (C = " + format_number(params.C) +
                          ", epsilon = " + format_number(params.epsilon) + ", nu = " + format_number(params.nu) +
                          ", tolerance = " + format_number(params.tolerance) + ")");

  const ModelPtr model(svm_train(&problem, &parameters));
  // Copy everything out at once; the model's support vectors point into `nodes`.
  const int l = model->l;
  const int classes = model->nr_class;
  SvmTraining out;
  out.model.type = params.type;
  const int coef_rows = params.type == SvmType::CSvc ? classes - 1 : 1;
  out.model.dual_coef.resize(coef_rows, l);
  for (int c = 0; c < coef_rows; ++c)
    for (int s = 0; s < l; ++s) out.model.dual_coef(c, s) = model->sv_coef[c][s];
  const int pairs = params.type == SvmType::CSvc ? classes * (classes - 1) / 2 : 1;
  out.model.rho.assign(model->rho, model->rho + pairs);
  if (params.type == SvmType::CSvc) {
    out.model.n_support.assign(model->nSV, model->nSV + classes);
    for (int c = 0; c < classes; ++c)
      if (model->label[c] != c)
        throw Error("libsvm ordered the classes unexpectedly: class " + std::to_string(c) + " is label " +
                    std::to_string(model->label[c]));
  }
  out.support.resize(static_cast<std::size_t>(l));
  for (int s = 0; s < l; ++s) {
    const auto serial = static_cast<std::size_t>(model->SV[s][0].value);  // p + 1
    out.support[static_cast<std::size_t>(s)] = rows[order[serial - 1]];
  }
  return out;
}

}  // namespace qmlsim::qml::detail

#include "cli/kernel_command.hpp"

#include <chrono>
#include <memory>
#include <ostream>

#include "cli/data_source.hpp"
#include "cli/feature_map_source.hpp"
#include "cli/model_options.hpp"
#include "cli/options.hpp"
#include "cli/output.hpp"
#include "cli/plot.hpp"
#include "qml/data/preprocess.hpp"
#include "qml/io/atomic_file.hpp"
#include "qml/models/kernel_model.hpp"

namespace qmlsim::cli {
namespace {

constexpr const char* kUsage =
    "qmlsim kernel (--dataset NAME|FILE.csv | --train FILE.csv [--test FILE.csv]) [--feature-map SPEC]\n"
    "                     [--kernel fidelity|projected] [--preprocess LIST] [--gram-out K.csv] [--cross-out KX.csv]\n"
    "                     [--plot gram.png] [options]";

constexpr const char* kHelp =
    "Computes the quantum kernel matrix of the training rows (and, with test rows, the test-by-train\n"
    "cross matrix) and prints its size, where the time went and how the kernel looks.\n"
    "\n"
    "The fidelity kernel k(x, y) = |<phi(x)|phi(y)>|^2 simulates every sample's state once (the\n"
    "batch engine) and forms the Gram matrix as one Hermitian product S^H S of the 2^n x N state\n"
    "matrix, in fixed tiles, so the matrix is bit-identical on any thread count. When the states do\n"
    "not fit --max-memory, they are produced and multiplied in blocks (same result, bit for bit).\n"
    "The projected kernel (Huang et al. 2021) uses the 3n one-qubit Pauli expectations of each\n"
    "state: k(x, y) = exp(-gamma sum_q ||rho_q(x) - rho_q(y)||_F^2); gamma is fitted on the training\n"
    "rows unless --gamma gives it.\n"
    "\n"
    "Preprocessing (--preprocess, steps in order, comma-separated) is fitted on the training rows\n"
    "only and applied unchanged to the test rows; test values outside the training range are not\n"
    "clipped. Steps: standard (zero mean, unit variance), minmax:LO:HI (bounds are numbers or\n"
    "multiples of pi: minmax:0:pi, minmax:-pi/2:pi/2), pca:K (principal components, signs as\n"
    "scikit-learn fixes them), none.\n"
    "\n"
    "Printed: samples, features, qubits, the feature map, seconds (the whole kernel computation),\n"
    "state_seconds and product_seconds, gflops of the product, blocks, and the diagnostics:\n"
    "  alignment            kernel-target alignment <K, Y>_F / (||K||_F ||Y||_F) with the labels\n"
    "  offdiag_mean, offdiag_variance   of the entries K_ij, i != j: as qubits grow, fidelity kernels\n"
    "                       concentrate (mean and variance shrink exponentially)\n"
    "  min_eigenvalue       of K (PSD up to rounding: >= -1e-10 for exact fidelity kernels)\n"
    "  geometric_difference g(K_rbf || K) of Huang et al. 2021 against an RBF kernel (gamma =\n"
    "                       1 / (features x variance)) on the same rows: a quantum kernel can only\n"
    "                       have a prediction advantage over that RBF kernel when this is large\n"
    "min_eigenvalue and geometric_difference need O(N^3) eigensolves: by default (--diagnostics auto)\n"
    "they are computed up to 600 training rows and printed as nan (JSON null) above.\n"
    "--gram-out and --cross-out write the matrices as CSV (no header; every number in its shortest\n"
    "form that reads back to the same double); --plot writes a heat map of the Gram matrix with\n"
    "gnuplot. Files are written atomically.\n"
    "\n"
    "Example: qmlsim kernel --dataset ad_hoc --feature-map zz:entanglement=linear --plot gram.png";

static_assert(qml::kSpectralDiagnosticsMax == 600, "kHelp quotes the limit");

struct KernelCommandText {
  bool help = false;
  DataOptionText data;
  KernelOptionText kernel;
  std::string preprocess, gram_out, cross_out, plot, seed = "1", format = "table", diagnostics = "auto";
  bool regression = false;
};

po::options_description describe(KernelCommandText& t) {
  po::options_description desc("Options");
  add_data_options(desc, t.data);
  add_kernel_options(desc, t.kernel);
  desc.add_options()
      ("preprocess", po::value(&t.preprocess)->value_name("LIST"),
       ("preprocessing steps fitted on the training rows (default: " + qml::default_preprocess("qsvc") +
        "; none for ad_hoc, whose features are already angles)").c_str())
      ("gram-out", po::value(&t.gram_out)->value_name("K.csv"), "write the training Gram matrix as CSV")
      ("cross-out", po::value(&t.cross_out)->value_name("KX.csv"), "write the test-by-train matrix as CSV (needs test rows)")
      ("plot", po::value(&t.plot)->value_name("FILE.png"), "write a heat map of the Gram matrix (needs gnuplot)")
      ("diagnostics", po::value(&t.diagnostics)->default_value(t.diagnostics)->value_name("D"),
       ("full (also min_eigenvalue and geometric_difference: O(N^3) eigensolves), basic (alignment and "
        "off-diagonal statistics only) or auto (full up to " + std::to_string(qml::kSpectralDiagnosticsMax) +
        " training rows)").c_str())
      ("regression", po::bool_switch(&t.regression),
       "the label column holds numeric targets (the alignment is then with the centred targets)");
  add_seed_option(desc, t.seed);
  add_format_option(desc, t.format);
  add_help_option(desc, t.help);
  return desc;
}

std::string matrix_csv(const Eigen::MatrixXd& m) {
  std::string text;
  text.reserve(static_cast<std::size_t>(m.size()) * 20);
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    for (Eigen::Index j = 0; j < m.cols(); ++j) {
      if (j) text += ',';
      text += format_exact(m(i, j));
    }
    text += '\n';
  }
  return text;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

void kernel_command(const std::vector<std::string>& args, std::ostream& out) {
  KernelCommandText t;
  const po::options_description desc = describe(t);
  (void)parse_command_line(args, desc);
  if (t.help) {
    print_command_help(out, kUsage, kHelp, desc);
    return;
  }
  const Format format = parse_format(t.format);
  const std::uint64_t seed = parse_seed(t.seed);
  const qml::ComponentSpec map_spec = feature_map_spec(t.kernel);
  const qml::ComponentSpec kernel_spec_ = kernel_spec(t.kernel);
  const qml::KernelOptions options = kernel_options(t.kernel, seed);
  if (t.diagnostics != "auto" && t.diagnostics != "full" && t.diagnostics != "basic")
    throw UsageError("invalid value '" + t.diagnostics + "' for --diagnostics: expected auto, full or basic");
  const LoadedData data = load_data(t.data, t.regression ? qml::Task::Regression : qml::Task::Classification, seed);
  qml::Pipeline pipeline = qml::Pipeline::parse(
      !t.preprocess.empty() ? t.preprocess : data.natural_preprocess.value_or(qml::default_preprocess("qsvc")));
  if (!t.cross_out.empty() && !data.test) throw UsageError("--cross-out needs test rows (--test or --test-size)");

  const qml::FeatureMatrix x = pipeline.fit_transform(data.train.x());
  std::shared_ptr<const qml::FeatureMap> map = feature_map_factory()(map_spec, static_cast<int>(x.cols()));
  std::unique_ptr<qml::QuantumKernel> kernel = qml::make_quantum_kernel(kernel_spec_, map, options);

  const auto start = std::chrono::steady_clock::now();
  qml::KernelTiming timing;
  const Eigen::MatrixXd gram = kernel->fit_gram(x, &timing);
  const double seconds = seconds_since(start);
  std::optional<Eigen::MatrixXd> cross;
  qml::KernelTiming cross_timing;
  double cross_seconds = 0.0;
  if (data.test) {
    const qml::FeatureMatrix xt = pipeline.transform(data.test->x());
    const auto cross_start = std::chrono::steady_clock::now();
    cross = kernel->cross_gram(xt, x, &cross_timing);
    cross_seconds = seconds_since(cross_start);
  }
  const bool spectral = t.diagnostics == "full" ||
                        (t.diagnostics == "auto" && data.train.size() <= qml::kSpectralDiagnosticsMax);
  const auto diagnostics_start = std::chrono::steady_clock::now();
  const qml::KernelDiagnostics diag =
      qml::kernel_diagnostics(gram, data.train.with_features(x), spectral, options.simulator.memory);
  const double diagnostics_seconds = seconds_since(diagnostics_start);

  Record r;
  r.emplace_back("dataset", data.name);
  r.emplace_back("train_samples", std::int64_t(data.train.size()));
  r.emplace_back("test_samples", std::int64_t(data.test ? data.test->size() : 0));
  r.emplace_back("features", std::int64_t(x.cols()));
  r.emplace_back("qubits", std::int64_t(map->num_qubits()));
  r.emplace_back("feature_map", map->description());
  r.emplace_back("kernel", kernel->spec().text());
  r.emplace_back("preprocess", pipeline.spec());
  r.emplace_back("seconds", seconds);
  r.emplace_back("state_seconds", timing.state_seconds);
  r.emplace_back("product_seconds", timing.product_seconds);
  r.emplace_back("gflops", timing.gflops);
  r.emplace_back("blocks", std::int64_t(timing.blocks));
  if (cross) r.emplace_back("cross_seconds", cross_seconds);
  r.emplace_back("alignment", diag.target_alignment);
  r.emplace_back("offdiag_mean", diag.offdiag_mean);
  r.emplace_back("offdiag_variance", diag.offdiag_variance);
  r.emplace_back("min_eigenvalue", diag.min_eigenvalue);
  r.emplace_back("geometric_difference", diag.geometric_difference);
  r.emplace_back("diagnostics_seconds", diagnostics_seconds);
  if (options.shots) r.emplace_back("shots", std::uint64_t(*options.shots));
  r.emplace_back("seed", std::uint64_t(seed));

  if (!t.gram_out.empty()) qml::write_file_atomically(t.gram_out, matrix_csv(gram));
  if (cross && !t.cross_out.empty()) qml::write_file_atomically(t.cross_out, matrix_csv(*cross));

  write_record(out, r, format);
  if (!t.plot.empty()) {
    HeatmapPlot plot;
    plot.title = kernel->spec().type + " kernel, " + map->description() + ", " + data.name;
    plot.values = gram;
    plot.lo = std::min(0.0, gram.minCoeff());
    plot.hi = std::max(1.0, gram.maxCoeff());
    try {
      write_heatmap_plot(plot, t.plot);
    } catch (const PlotError& e) {
      throw ResultWrittenError(e.what());
    }
  }
}

}  // namespace qmlsim::cli

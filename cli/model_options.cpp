#include "cli/model_options.hpp"

#include <unistd.h>


#include "cli/feature_map_source.hpp"

namespace qmlsim::cli {

bool stderr_is_terminal() noexcept { return ::isatty(STDERR_FILENO) == 1; }

void add_kernel_options(po::options_description& desc, KernelOptionText& t) {
  desc.add_options()
      ("feature-map", po::value(&t.feature_map)->default_value(t.feature_map)->value_name("SPEC"),
       ("NAME[:key=value,...] (" + feature_map_help_names() +
        "), e.g. zz:reps=2,entanglement=linear or iqp:repeats=2; a file's input parameters are the features")
           .c_str())
      ("kernel", po::value(&t.kernel)->default_value(t.kernel)->value_name("K"),
       "fidelity (|<phi(x)|phi(y)>|^2) or projected (Huang et al. 2021: RBF over the one-qubit reduced states)")
      ("gamma", po::value(&t.gamma)->value_name("G"),
       "projected kernel: k = exp(-G sum_q ||rho_q(x) - rho_q(y)||_F^2); svm-rbf, svr-rbf: exp(-G ||x - y||^2) "
       "(default: fitted on the training rows; for the RBF models scikit-learn's 'scale')")
      ("shots", po::value(&t.shots)->value_name("S"),
       "estimate every kernel entry from S shots (binomial, seeded by --seed; S up to 1e8) instead of exactly")
      ("psd", po::bool_switch(&t.psd), "project the training Gram matrix onto the PSD cone (clip negative eigenvalues)")
      ("gram-backend", po::value(&t.backend)->default_value(t.backend)->value_name("B"),
       "the Gram product: auto (the faster, measured in benchmarks/), blas (BLIS) or eigen");
  add_threads_option(desc, t.threads, "T", "threads (0: all cores this process may use)");
  add_max_memory_option(desc, t.max_memory);
}

qml::ComponentSpec kernel_spec(const KernelOptionText& t) {
  if (t.kernel != "fidelity" && t.kernel != "projected")
    throw UsageError("invalid value '" + t.kernel + "' for --kernel: expected fidelity or projected");
  qml::ComponentSpec spec{t.kernel, {}};
  if (!t.gamma.empty()) {
    if (t.kernel != "projected") throw UsageError("--gamma applies to --kernel projected");
    (void)parse_positive(t.gamma, "--gamma");
    spec.set("gamma", t.gamma);
  }
  return spec;
}

qml::ComponentSpec feature_map_spec(const KernelOptionText& t) {
  try {
    return qml::parse_component_spec(t.feature_map, "--feature-map");
  } catch (const InvalidArgument& e) {
    throw UsageError(e.what());
  }
}

qml::KernelOptions kernel_options(const KernelOptionText& t, std::uint64_t seed) {
  qml::KernelOptions o;
  o.simulator.parallel = parse_threads(t.threads);
  o.simulator.memory = parse_max_memory(t.max_memory);
  if (t.backend == "auto") o.backend = qml::GramBackend::Auto;
  else if (t.backend == "blas") o.backend = qml::GramBackend::Blas;
  else if (t.backend == "eigen") o.backend = qml::GramBackend::Eigen;
  else throw UsageError("invalid value '" + t.backend + "' for --gram-backend: expected auto, blas or eigen");
  if (!t.shots.empty()) o.shots = parse_unsigned(t.shots, "--shots", 1, qml::kMaxKernelShots);
  o.seed = seed;
  o.psd_projection = t.psd;
  o.progress = stderr_is_terminal();
  return o;
}

}  // namespace qmlsim::cli

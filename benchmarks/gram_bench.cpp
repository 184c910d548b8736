// Fidelity-kernel Gram matrices: end to end, the product against the BLAS's own zherk and Eigen,
// the algorithm against Qiskit ML's and PennyLane's ways of computing the same matrix, and the
// blocked (memory-budgeted) path. A plain program that prints its tables; wall clock, medians of
// --repeats runs, the load average printed first (the development machine is shared).
// Run: build/benchmarks/qmlsim_gram_bench [--n 1000] [--qubits 8] [--repeats 5] [--threads 0]
//        [--pennylane-n 100] [--blocked-n 400] [--blocked-qubits 14] [--budget-mib 80] [--no-blocked]
//
// (a) N samples of the zz feature map (Qiskit's ZZFeatureMap: reps 2, full entanglement, alpha 2;
//     built inline here with the same gates), FidelityKernel::gram end to end, time split into
//     states (batch engine) and product (tiles + finishing).
// (b) The product alone on the same states: the tiled product (BLIS tiles; Eigen tiles) on 1
//     and on all threads, against ONE plain cblas_zherk over the whole 2^n x N matrix (BLIS's
//     single-threaded build: one thread), in GFLOP/s (8 2^n N (N + 1) / 2 flops). Also at 12 qubits, where the
//     product is large enough to run at the BLAS's full speed.
// (c) The same matrix the way Qiskit ML's statevector kernel computes it (states once, then one
//     inner product per entry, both triangles, one thread: its Python double loop), and the way
//     PennyLane does (one compute-uncompute circuit U(x_j)^dagger U(x_i) per entry, the probability
//     of |0...0>; run here on qmlsim's batch engine for the upper triangle of --pennylane-n
//     samples, then extrapolated per entry to N).
// (d) The blocked path: --blocked-n states of --blocked-qubits qubits under a --budget-mib cap
//     (blocks of a multiple of kGramTile = 128 states, two held at a time), its blocks, state evaluations and
//     time, and the check that it is bit-identical to the in-memory matrix.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "qml/encoding/feature_map.hpp"
#include "qml/kernel/blas_adapter.hpp"
#include "qml/kernel/fidelity_kernel.hpp"
#include "qml/kernel/gram.hpp"
#include "simulator/circuit/circuit.hpp"
#include "simulator/core/memory.hpp"
#include "simulator/core/rng.hpp"
#include "simulator/execution/batch.hpp"
#include "simulator/observables/observable.hpp"

namespace {

using namespace qmlsim;
using namespace qmlsim::qml;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

std::string load_average() {
  std::FILE* f = std::fopen("/proc/loadavg", "r");
  if (!f) return "?";
  char buf[64] = {};
  const bool ok = std::fgets(buf, sizeof buf, f) != nullptr;
  std::fclose(f);
  if (!ok) return "?";
  std::string s(buf);
  return s.substr(0, s.find(' ', s.find(' ', s.find(' ') + 1) + 1));
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

template <class F>
double median_seconds(int repeats, F&& f) {
  std::vector<double> t;
  for (int r = 0; r < repeats; ++r) {
    const auto t0 = Clock::now();
    f();
    t.push_back(seconds_since(t0));
  }
  return median(t);
}

// Qiskit's ZZFeatureMap (reps, full entanglement, alpha 2): H, P(2 x_i); per pair i < j: CX,
// P(2 (pi - x_i)(pi - x_j)), CX. Parameters theta[offset + i] are the features (PennyLane's
// compute-uncompute circuit needs two copies side by side).
void append_zz(Circuit& c, int n, int offset, int reps = 2) {
  for (int r = 0; r < reps; ++r) {
    for (int q = 0; q < n; ++q) c.h(q).p(Param::parameter(offset + q, 2.0), q);
    for (int i = 0; i < n; ++i)
      for (int j = i + 1; j < n; ++j)
        c.cx(i, j).p(Param(2.0 * (kPi - Expr::parameter(offset + i)) * (kPi - Expr::parameter(offset + j))), j).cx(i, j);
  }
}

// The feature map under test: qml's own zz map (the same gates as append_zz, which (c) checks).
std::shared_ptr<const FeatureMap> zz_map(int n) { return make_feature_map({"zz", {}}, n); }

FeatureMatrix random_features(Index rows, int cols, std::uint64_t seed) {
  Rng rng(seed);
  FeatureMatrix x(static_cast<Eigen::Index>(rows), cols);
  for (Eigen::Index i = 0; i < x.rows(); ++i)
    for (int j = 0; j < cols; ++j) x(i, j) = 2.0 * kPi * rng.uniform();
  return x;
}

struct Args {
  Index n = 1000;
  int qubits = 8;
  int repeats = 5;
  int threads = 0;
  Index pennylane_n = 100;
  Index blocked_n = 400;
  int blocked_qubits = 14;
  std::uint64_t budget_mib = 80;
  bool blocked = true;
};

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string k = argv[i];
    auto next = [&]() -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", k.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (k == "--n") a.n = std::strtoull(next(), nullptr, 10);
    else if (k == "--qubits") a.qubits = std::atoi(next());
    else if (k == "--repeats") a.repeats = std::atoi(next());
    else if (k == "--threads") a.threads = std::atoi(next());
    else if (k == "--pennylane-n") a.pennylane_n = std::strtoull(next(), nullptr, 10);
    else if (k == "--blocked-n") a.blocked_n = std::strtoull(next(), nullptr, 10);
    else if (k == "--blocked-qubits") a.blocked_qubits = std::atoi(next());
    else if (k == "--budget-mib") a.budget_mib = std::strtoull(next(), nullptr, 10);
    else if (k == "--no-blocked") a.blocked = false;
    else {
      std::fprintf(stderr, "unknown option %s\n", k.c_str());
      std::exit(2);
    }
  }
  return a;
}

KernelOptions options(int threads, GramBackend backend = GramBackend::Auto) {
  KernelOptions o;
  o.simulator.parallel.threads = threads;
  o.backend = backend;
  return o;
}

// (b) for one shape: GFLOP/s of the tiled products and of one plain zherk.
void product_table(Index n_samples, int qubits, int repeats, int threads) {
  const auto map = zz_map(qubits);
  const FeatureMatrix x = random_features(n_samples, qubits, 2);
  const Index dim = Index{1} << qubits;
  Eigen::MatrixXcd s(static_cast<Eigen::Index>(dim), static_cast<Eigen::Index>(n_samples));
  FidelityKernel(map, options(threads)).states_into(x, 0, n_samples, {s.data(), static_cast<std::size_t>(s.size())});
  const double flops = gram_flops(n_samples, n_samples, dim, true);
  const StateColumns all{s.data(), dim, 0, n_samples};
  Eigen::MatrixXd k(static_cast<Eigen::Index>(n_samples), static_cast<Eigen::Index>(n_samples));
  Eigen::MatrixXcd c(static_cast<Eigen::Index>(n_samples), static_cast<Eigen::Index>(n_samples));
  const int all_threads = threads > 0 ? threads : default_thread_count();
  std::printf("\n(b) product of N = %llu states of %d qubits (%.2f GFLOP), GFLOP/s, median of %d\n",
              static_cast<unsigned long long>(n_samples), qubits, flops * 1e-9, repeats);
  std::printf("%-34s %10s %10s\n", "", "1 thread", std::to_string(all_threads).append(" threads").c_str());
  double row[3][2];
  for (int t = 0; t < 2; ++t) {
    const int th = t == 0 ? 1 : all_threads;
    const Parallelism par = th == 1 ? Parallelism::serial() : Parallelism{th, 0};
    row[0][t] = flops * 1e-9 / median_seconds(repeats, [&] {
      fidelity_tiles(all, all, true, GramBackend::Blas, par, k);
    });
    row[1][t] = flops * 1e-9 / median_seconds(repeats, [&] {
      fidelity_tiles(all, all, true, GramBackend::Eigen, par, k);
    });
    // BLIS is single-threaded: the plain call is the same on both columns.
    row[2][t] = flops * 1e-9 / median_seconds(repeats, [&] {
      qml::detail::blas_herk_upper(s.data(), dim, n_samples, c.data(), n_samples);
    });
  }
  const char* names[3] = {"tiled BLIS (zherk/zgemm tiles)", "tiled Eigen", "one plain BLIS zherk (1 thread)"};
  for (int r = 0; r < 3; ++r) std::printf("%-34s %10.2f %10.2f\n", names[r], row[r][0], row[r][1]);
  std::printf("tiled BLIS / plain zherk: %.0f%% (1 thread), %.0f%% (%d threads); tiled BLIS / tiled Eigen: "
              "%.2fx, %.2fx\n",
              100 * row[0][0] / row[2][0], 100 * row[0][1] / row[2][1], all_threads, row[0][0] / row[1][0],
              row[0][1] / row[1][1]);
}

}  // namespace

int main(int argc, char** argv) {
  const Args args = parse(argc, argv);
  const int threads = args.threads;
  std::printf("gram_bench: load average %s, %d threads by default, %s\n", load_average().c_str(),
              default_thread_count(), qml::detail::blas_config().c_str());

  // (a) End to end.
  const auto map = zz_map(args.qubits);
  const FeatureMatrix x = random_features(args.n, args.qubits, 1);
  const FidelityKernel kernel(map, options(threads));
  std::vector<double> total, states, product, gflops;
  Eigen::MatrixXd k;
  for (int r = 0; r < args.repeats; ++r) {
    KernelTiming t;
    const auto t0 = Clock::now();
    k = kernel.gram(x, &t);
    total.push_back(seconds_since(t0));
    states.push_back(t.state_seconds);
    product.push_back(t.product_seconds);
    gflops.push_back(t.gflops);
  }
  std::printf("\n(a) Gram matrix, N = %llu, %d qubits, zz reps 2 full, end to end (median of %d)\n",
              static_cast<unsigned long long>(args.n), args.qubits, args.repeats);
  std::printf("total %.4f s = states %.4f s + product %.4f s (%.2f GFLOP/s)\n", median(total), median(states),
              median(product), median(gflops));

  // (b) The product.
  product_table(args.n, args.qubits, args.repeats, threads);
  product_table(1000, 12, std::max(1, args.repeats / 2), threads);

  // (c) Qiskit ML's way (states once, N^2 inner products, one thread) and PennyLane's way.
  {
    const Index n = args.n, dim = Index{1} << args.qubits;
    Eigen::MatrixXcd s(static_cast<Eigen::Index>(dim), static_cast<Eigen::Index>(n));
    const double state_seconds = median_seconds(1, [&] {
      kernel.states_into(x, 0, n, {s.data(), static_cast<std::size_t>(s.size())});
    });
    Eigen::MatrixXd q(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n));
    const double loop_seconds = median_seconds(args.repeats, [&] {
      for (Index i = 0; i < n; ++i)
        for (Index j = 0; j < n; ++j) {
          const cdouble* a = s.data() + i * dim;
          const cdouble* b = s.data() + j * dim;
          double re = 0.0, im = 0.0;
          for (Index m = 0; m < dim; ++m) {
            re += a[m].real() * b[m].real() + a[m].imag() * b[m].imag();
            im += a[m].real() * b[m].imag() - a[m].imag() * b[m].real();
          }
          q(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = re * re + im * im;
        }
    });
    double diff = 0.0;
    for (Index i = 0; i < n; ++i)
      for (Index j = 0; j < n; ++j)
        if (i != j) diff = std::max(diff, std::abs(q(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) -
                                                   k(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j))));

    // PennyLane: U(x_i) then U(x_j)^dagger, P(|0...0>), one circuit per entry of the upper triangle.
    const int nq = args.qubits;
    Circuit cu(nq);
    cu.declare_parameters(2 * nq);
    append_zz(cu, nq, 0);
    Circuit second(nq);
    second.declare_parameters(2 * nq);
    append_zz(second, nq, nq);
    cu.append(second.inverse());
    const BatchExecutor executor(cu, SimulatorOptions{Parallelism{threads, kDefaultParallelThreshold}, {}});
    const Index pn = std::min(args.pennylane_n, n);
    std::vector<double> rows;
    for (Index i = 0; i < pn; ++i)
      for (Index j = i + 1; j < pn; ++j) {
        for (int f = 0; f < nq; ++f) rows.push_back(x(static_cast<Eigen::Index>(i), f));
        for (int f = 0; f < nq; ++f) rows.push_back(x(static_cast<Eigen::Index>(j), f));
      }
    const Observable zero = DiagonalObservable::projector([&] {
      std::vector<Qubit> all(static_cast<std::size_t>(nq));
      for (int q0 = 0; q0 < nq; ++q0) all[static_cast<std::size_t>(q0)] = q0;
      return all;
    }(), 0);
    std::vector<double> values;
    const double pl_seconds = median_seconds(std::max(1, args.repeats / 2), [&] {
      values = executor.expectations(ParameterRows::of(rows, static_cast<std::size_t>(2 * nq)), {&zero, 1});
    });
    double pl_diff = 0.0;
    std::size_t p = 0;
    for (Index i = 0; i < pn; ++i)
      for (Index j = i + 1; j < pn; ++j, ++p)
        pl_diff = std::max(pl_diff, std::abs(values[p] - k(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j))));
    const double entries = static_cast<double>(pn) * static_cast<double>(pn - 1) / 2.0;
    const double per_entry = pl_seconds / entries;
    const double pl_full = per_entry * static_cast<double>(n) * static_cast<double>(n - 1) / 2.0;
    std::printf("\n(c) the same N = %llu Gram matrix computed three ways (median)\n", static_cast<unsigned long long>(n));
    std::printf("qmlsim (states once, tiled Hermitian product)       %10.4f s\n", median(total));
    std::printf("Qiskit ML style (states once, N^2 inner products)   %10.4f s (states %.4f + loop %.4f, 1 thread), "
                "%.1fx slower, max |diff| %.1e\n",
                state_seconds + loop_seconds, state_seconds, loop_seconds, (state_seconds + loop_seconds) / median(total),
                diff);
    std::printf("PennyLane style (U(x)U(y)^dagger per entry)          %10.4f s extrapolated from %llu samples "
                "(%.1f us per entry, batch engine), %.0fx slower, max |diff| %.1e\n",
                pl_full, static_cast<unsigned long long>(pn), per_entry * 1e6, pl_full / median(total), pl_diff);
  }

  // (d) Blocked under a memory budget.
  if (args.blocked) {
    const auto bmap = zz_map(args.blocked_qubits);
    const FeatureMatrix bx = random_features(args.blocked_n, args.blocked_qubits, 3);
    KernelOptions capped = options(threads);
    capped.simulator.memory.max_bytes = args.budget_mib << 20;
    const std::uint64_t state_bytes = (std::uint64_t{16} << args.blocked_qubits) * args.blocked_n;
    std::printf("\n(d) blocked: N = %llu states of %d qubits (%s) under a %s budget\n",
                static_cast<unsigned long long>(args.blocked_n), args.blocked_qubits, format_bytes(state_bytes).c_str(),
                format_bytes(args.budget_mib << 20).c_str());
    KernelTiming tb, tm;
    auto t0 = Clock::now();
    const Eigen::MatrixXd kb = FidelityKernel(bmap, capped).gram(bx, &tb);
    const double blocked_seconds = seconds_since(t0);
    std::printf("blocked:   %.2f s (states %.2f s, product %.2f s, %.2f GFLOP/s), %zu blocks, %zu state evaluations\n",
                blocked_seconds, tb.state_seconds, tb.product_seconds, tb.gflops, tb.blocks, tb.state_evaluations);
    std::fflush(stdout);
    t0 = Clock::now();
    const Eigen::MatrixXd km = FidelityKernel(bmap, options(threads)).gram(bx, &tm);
    std::printf("in memory: %.2f s (states %.2f s, product %.2f s), bit-identical: %s\n", seconds_since(t0),
                tm.state_seconds, tm.product_seconds, kb == km ? "yes" : "NO");
  }
  return 0;
}

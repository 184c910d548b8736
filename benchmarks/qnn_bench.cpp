// Training cost of QML-sized circuits: what one adjoint loss gradient costs against the forward
// runs it replaces. A plain program that prints two tables.
// Run: OMP_WAIT_POLICY=passive build/benchmarks/qmlsim_qnn_bench [--repeats 5] [--max-qubits 16]
//      [--threads 0 (all cores)] [--only-table | --only-epoch]
//
// The model circuit (built here with the Circuit builders): a ZZ-like feature map, reps 1 (h and
// p(2 x_q) on every qubit, then cx p(2 (pi - x_q)(pi - x_q+1)) cx on neighbours), then a
// real-amplitudes-like ansatz with `reps` layers (ry on every qubit, a reverse cx chain; a final
// ry layer): n features and n (reps + 1) weights. Observable Z0 (a binary readout); the loss is
// the squared error of <Z0> against a +-1 label, so the hook's weight is 2 (<Z0> - y).
//
// Table (a): for n = 4..16 qubits and 3 ansatz reps (4 n weights), B rows of random features and
// shared weights, the median over the repeats of
//   forward  = BatchExecutor::expectations over the B rows (one run per row),
//   gradient = BatchExecutor::loss_gradient over the same rows with respect to the weights (one
//              forward run, the hook, one adjoint sweep per row; the sweep stops at the first
//              weight, so the feature map is not swept back through),
// and gradient / forward. Both are timed interleaved (forward, gradient, forward, ...) on the
// wall clock, so machine load hits them alike; all cores of the process (2 here).
// (b) The target: one epoch of 1000 samples, 10 qubits, 9 reps (100 weights): one
// loss_gradient over all rows (full batch) and 32 calls on mini-batches of 32 rows (what SGD and
// Adam call), against expectations over the 1000 rows; target gradient / forward <= 4.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "simulator/circuit/circuit.hpp"
#include "simulator/core/parallel.hpp"
#include "simulator/core/rng.hpp"
#include "simulator/execution/batch.hpp"
#include "simulator/observables/observable.hpp"

namespace {

using namespace qmlsim;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

double process_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

std::string load_average() {
  std::FILE* f = std::fopen("/proc/loadavg", "r");
  if (!f) return "unknown";
  char buf[64] = {};
  const bool ok = std::fgets(buf, sizeof buf, f) != nullptr;
  std::fclose(f);
  std::string s = ok ? buf : "unknown";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t k = v.size() / 2;
  return v.size() % 2 ? v[k] : 0.5 * (v[k - 1] + v[k]);
}

int parse_int(const char* flag, const char* text, int lo, int hi) {
  char* end = nullptr;
  const long v = std::strtol(text, &end, 10);
  if (end == text || *end != '\0' || v < lo || v > hi) {
    std::fprintf(stderr, "%s: expected an integer in [%d, %d], got '%s'\n", flag, lo, hi, text);
    std::exit(2);
  }
  return static_cast<int>(v);
}

// The model circuit of the header comment: features are parameters 0..n-1, weights n...
Circuit model_circuit(int n, int reps) {
  Circuit c(n);
  c.declare_parameters(n + n * (reps + 1));
  for (int q = 0; q < n; ++q) c.h(q).p(Param::parameter(q, 2.0), q);
  for (int q = 0; q + 1 < n; ++q) {
    const Expr e = 2.0 * (kPi - Expr::parameter(q)) * (kPi - Expr::parameter(q + 1));
    c.cx(q, q + 1).p(Param(e), q + 1).cx(q, q + 1);
  }
  int w = n;
  for (int r = 0; r <= reps; ++r) {
    for (int q = 0; q < n; ++q) c.ry(Param::parameter(w++), q);
    if (r == reps) break;
    for (int q = n - 2; q >= 0; --q) c.cx(q, q + 1);  // reverse linear, as Qiskit's default
  }
  return c;
}

struct Problem {
  Circuit circuit;
  std::vector<double> rows;  // B full parameter rows
  std::vector<double> labels;
  std::vector<int> weights;  // parameter indices of the weights
  std::size_t count = 0;
  [[nodiscard]] ParameterRows batch(std::size_t first, std::size_t size) const {
    const auto width = static_cast<std::size_t>(circuit.num_parameters());
    return ParameterRows{std::span<const double>(rows).subspan(first * width, size * width), size, width};
  }
};

Problem make_problem(int n, int reps, std::size_t count, std::uint64_t seed) {
  Problem p{model_circuit(n, reps), {}, {}, {}, count};
  const int np = p.circuit.num_parameters();
  Rng rng(seed);
  std::vector<double> x(count * static_cast<std::size_t>(n)), w(static_cast<std::size_t>(np - n));
  for (double& v : x) v = kPi * rng.uniform();
  for (double& v : w) v = 2 * kPi * rng.uniform();
  std::vector<int> inputs(static_cast<std::size_t>(n));
  for (int q = 0; q < n; ++q) inputs[static_cast<std::size_t>(q)] = q;
  for (int k = n; k < np; ++k) p.weights.push_back(k);
  p.rows = make_rows(np, inputs, ParameterRows::of(x, static_cast<std::size_t>(n)), p.weights, w);
  for (std::size_t i = 0; i < count; ++i) p.labels.push_back(rng.uniform() < 0.5 ? -1.0 : 1.0);
  return p;
}

// Squared error of <Z0> against the row's label.
BatchExecutor::LossHook squared_error(const Problem& p) {
  return [&p](std::size_t row, std::span<const double> values, std::span<double> weights) {
    const double d = values[0] - p.labels[row];
    weights[0] = 2.0 * d;
    return d * d;
  };
}

struct Pair {
  double forward = 0.0, gradient = 0.0, cores_forward = 0.0, cores_gradient = 0.0;
};

// Medians of `repeats` interleaved runs of f() and g() (after one warm-up of each), and the CPUs
// busy (process CPU time / wall time) over the recorded runs.
template <class F, class G>
Pair time_pair(int repeats, F&& f, G&& g) {
  std::vector<double> tf, tg;
  double cf = 0.0, wf = 0.0, cg = 0.0, wg = 0.0;
  for (int r = 0; r <= repeats; ++r) {
    double c0 = process_cpu_seconds();
    auto t0 = Clock::now();
    f();
    const double a = seconds_since(t0), ca = process_cpu_seconds() - c0;
    c0 = process_cpu_seconds();
    t0 = Clock::now();
    g();
    const double b = seconds_since(t0), cb = process_cpu_seconds() - c0;
    if (r == 0) continue;
    tf.push_back(a);
    tg.push_back(b);
    cf += ca;
    wf += a;
    cg += cb;
    wg += b;
  }
  return {median(tf), median(tg), cf / wf, cg / wg};
}

void gradient_table(int max_qubits, int repeats, const SimulatorOptions& options) {
  std::printf("(a) loss gradient vs forward, feature map zz-like reps 1 + real-amplitudes-like reps 3, <Z0>,\n"
              "    squared error; %d threads, wall clock, median of %d (load average before: %s)\n",
              options.parallel.threads > 0 ? options.parallel.threads : default_thread_count(), repeats,
              load_average().c_str());
  std::printf("%6s %8s %6s %6s %14s %15s %9s %14s %14s\n", "qubits", "weights", "gates", "rows", "forward [ms]",
              "gradient [ms]", "ratio", "fwd CPUs busy", "grad CPUs busy");
  const std::vector<Observable> obs = {PauliSum::parse("Z0")};
  for (int n = 4; n <= max_qubits; n += 2) {
    const std::size_t rows = n <= 10 ? 1000 : n == 12 ? 200 : n == 14 ? 50 : 16;
    const Problem p = make_problem(n, 3, rows, static_cast<std::uint64_t>(n));
    const BatchExecutor batch(p.circuit, options);
    const BatchExecutor::LossHook hook = squared_error(p);
    double sink = 0.0;
    const Pair t = time_pair(
        repeats, [&] { sink += batch.expectations(p.batch(0, rows), obs)[0]; },
        [&] { sink += batch.loss_gradient(p.batch(0, rows), obs, hook, p.weights).gradient[0]; });
    std::printf("%6d %8zu %6zu %6zu %14.3f %15.3f %9.2f %14.2f %14.2f\n", n, p.weights.size(),
                p.circuit.operations().size(), rows, 1e3 * t.forward, 1e3 * t.gradient, t.gradient / t.forward,
                t.cores_forward, t.cores_gradient);
    if (sink == 12345.678) std::printf(" ");  // keep the work observable
  }
}

void epoch_table(int repeats, const SimulatorOptions& options) {
  const int n = 10, reps = 9;
  const std::size_t samples = 1000, mini = 32;
  const Problem p = make_problem(n, reps, samples, 99);
  const std::vector<Observable> obs = {PauliSum::parse("Z0")};
  const BatchExecutor batch(p.circuit, options);
  const BatchExecutor::LossHook hook = squared_error(p);
  std::printf("\n(b) one training epoch: %zu samples, %d qubits, %zu weights, %zu gates; %d threads, wall clock,\n"
              "    median of %d (load average before: %s)\n",
              samples, n, p.weights.size(), p.circuit.operations().size(),
              options.parallel.threads > 0 ? options.parallel.threads : default_thread_count(), repeats,
              load_average().c_str());
  double sink = 0.0;
  const auto forward = [&] { sink += batch.expectations(p.batch(0, samples), obs)[0]; };
  const Pair full = time_pair(repeats, forward, [&] {
    sink += batch.loss_gradient(p.batch(0, samples), obs, hook, p.weights).gradient[0];
  });
  const Pair minis = time_pair(repeats, forward, [&] {
    for (std::size_t first = 0; first < samples; first += mini)
      sink += batch.loss_gradient(p.batch(first, std::min(mini, samples - first)), obs, hook, p.weights).gradient[0];
  });
  std::printf("%-52s %10s %10s\n", "", "time [s]", "CPUs busy");
  std::printf("%-52s %10.3f %10.2f\n", "1000 forward runs (expectations)", full.forward, full.cores_forward);
  std::printf("%-52s %10.3f %10.2f   ratio %.2f (target <= 4)\n", "epoch, full batch (one loss_gradient)", full.gradient,
              full.cores_gradient, full.gradient / full.forward);
  std::printf("%-52s %10.3f %10.2f   ratio %.2f (target <= 4)\n", "epoch, mini-batches of 32 (32 loss_gradient calls)",
              minis.gradient, minis.cores_gradient, minis.gradient / minis.forward);
  if (sink == 12345.678) std::printf(" ");
}

}  // namespace

int main(int argc, char** argv) {
  int max_qubits = 16, repeats = 5, threads = 0;
  bool table = true, epoch = true;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const auto value = [&]() -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--max-qubits") {
      max_qubits = parse_int("--max-qubits", value(), 4, 20);
    } else if (a == "--repeats") {
      repeats = parse_int("--repeats", value(), 1, 1000);
    } else if (a == "--threads") {
      threads = parse_int("--threads", value(), 0, 256);
    } else if (a == "--only-table") {
      epoch = false;
    } else if (a == "--only-epoch") {
      table = false;
    } else if (a == "--help" || a == "-h") {
      std::printf("usage: %s [--max-qubits N (4..20, default 16)] [--repeats K (default 5)]\n"
                  "          [--threads T (0: all cores)] [--only-table | --only-epoch]\n",
                  argv[0]);
      return 0;
    } else {
      std::fprintf(stderr, "unknown option '%s' (try --help)\n", a.c_str());
      return 2;
    }
  }
  const SimulatorOptions options{Parallelism{threads}, {}};
  if (table) gradient_table(max_qubits, repeats, options);
  if (epoch) epoch_table(repeats, options);
  return 0;
}

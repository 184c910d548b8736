// Gradient cost and small-circuit batch throughput. A plain program that prints two tables.
// Run: build/benchmarks/qmlsim_gradient_bench [--max-qubits 20] [--repeats 5] [--batch 10000] [--wall]
//      [--sweep-table]
//
// Table 1 (one thread): for n qubits and L layers of ry + rz on every qubit and a cx chain
// (P = 2 n L parameters, observable sum_i Z_i), the median over the repeats of
//   forward  = bind + run (a fresh state) + expectation, with the default gate fusion (blocks of
//              up to 3 qubits from 10 qubits on) and, column "unfused", one pass per gate,
//   gradient = bind + AdjointGradient::gradient (forward run, lambda = H psi, backward sweep; from
//              16 qubits on the blocked sweep of execution/adjoint_sweep.hpp: one pass over psi
//              and lambda per stage of gates, the gates applied in a cache-sized chunk),
//   per-gate = the same gradient with the per-gate sweep (one two-vector pass over the whole
//              vectors per gate: what the gradient used before the blocked sweep),
// and the ratios gradient / forward, gradient / unfused forward, per-gate / forward, on the
// calling thread's CPU clock (time the thread was preempted on a shared machine is not counted;
// --wall for the wall clock). The adjoint method's ratio stays a small constant whatever P, where
// parameter shift would cost 2 P forward runs. All times of one row come from the same run,
// interleaved (forward, unfused forward, gradient, per-gate, forward, ...), so machine load
// affects them alike.
// Sweep table (--sweep-table; one thread): the backward sweep alone on 16, 18 and 20 qubits, 10
// layers, per chunk size (0 = per-gate) and largest fused run (0 = one pass per gate inside the
// chunk), with its number of stages (passes over psi and lambda).
// Table 2 (wall clock; the load average is printed with it): a batch of 4-qubit, 16-parameter evaluations (expectations of sum_i Z_i) run one by
// one through Simulator (compiled once), and through BatchExecutor on 1 and 2 threads; then a
// batch of gradients (vjp) on 1 and 2 threads. "CPUs busy" (process CPU / wall time) tells
// whether a second core was actually available while it ran (OMP_WAIT_POLICY=passive).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#include "simulator/circuit/circuit.hpp"
#include "simulator/core/rng.hpp"
#include "simulator/execution/adjoint_sweep.hpp"
#include "simulator/execution/batch.hpp"
#include "simulator/execution/gradient.hpp"
#include "simulator/execution/simulator.hpp"
#include "simulator/gates/derivatives.hpp"
#include "simulator/observables/observable.hpp"

namespace {

using namespace qmlsim;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// CPU time of the calling thread: on a shared machine, time the thread was not scheduled is not
// counted. Valid for table 1, where every kernel runs on the calling thread (one thread).
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// A stopwatch on the wall clock or on the thread's CPU clock.
struct Stopwatch {
  bool cpu;
  double start = 0.0;
  Clock::time_point wall_start{};
  void reset() {
    if (cpu) start = thread_cpu_seconds();
    else wall_start = Clock::now();
  }
  [[nodiscard]] double seconds() const { return cpu ? thread_cpu_seconds() - start : seconds_since(wall_start); }
};

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
  const std::size_t m = v.size() / 2;
  return v.size() % 2 != 0 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

Circuit layered_ry_rz(int n, int layers) {
  Circuit c(n);
  int p = 0;
  for (int l = 0; l < layers; ++l) {
    for (int q = 0; q < n; ++q) c.ry(Param::parameter(p++), q);
    for (int q = 0; q < n; ++q) c.rz(Param::parameter(p++), q);
    for (int q = 0; q + 1 < n; ++q) c.cx(q, q + 1);
  }
  return c;
}

Observable sum_z(int n) {
  std::vector<PauliString> terms;
  for (int q = 0; q < n; ++q) terms.push_back(PauliString::single(Pauli::Z, q));
  return PauliSum(std::move(terms));
}

std::vector<double> random_theta(std::size_t count, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<double> v(count);
  for (double& x : v) x = (2 * rng.uniform() - 1) * 3.14159265358979;
  return v;
}

// Layer counts for n qubits: P = 2 n L near 24, 48, 96, 240, 480 (within [24, 480]), and the
// issue's reference point L = 10 for n = 12 and 18.
std::vector<int> layer_counts(int n) {
  std::vector<int> out;
  for (int target : {24, 48, 96, 240, 480}) {
    int l = std::max(1, (target + n) / (2 * n));  // rounded
    while (2 * n * l > 480) --l;
    if (l >= 1 && 2 * n * l >= 24 && std::find(out.begin(), out.end(), l) == out.end()) out.push_back(l);
  }
  if (n == 12 || n == 18)
    if (std::find(out.begin(), out.end(), 10) == out.end()) out.push_back(10);
  std::sort(out.begin(), out.end());
  return out;
}

// Every differentiable angle of the circuit's records, in record order (what AdjointGradient
// differentiates for a full gradient).
std::vector<SweepAngle> all_angles(const CompiledCircuit& compiled) {
  std::vector<SweepAngle> out;
  const auto& ops = compiled.circuit().operations();
  for (std::size_t i = 0; i < compiled.records().size(); ++i) {
    const Record& r = compiled.records()[i];
    if (r.op < 0) continue;
    const Operation& op = ops[static_cast<std::size_t>(r.op)];
    for (std::size_t j = 0; j < op.params.size(); ++j)
      if (op.is_parametric() && param_spectrum(op.kind, static_cast<int>(j)) != ParamSpectrum::Constant)
        out.push_back({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j)});
  }
  return out;
}

// A gradient's work with a chosen sweep: forward run, <H>, lambda = H psi, the sweep, the chain
// rule (every angle is one parameter with scale 1 here). Returns the sum of the derivatives.
double gradient_with_sweep(const Simulator& sim, CompiledCircuit& compiled, std::span<const double> theta,
                           const Observable& h, std::span<const SweepAngle> angles, const AdjointSweepOptions& sweep,
                           std::vector<double>& acc) {
  compiled.bind(theta);
  StateVector<double> psi = sim.run(compiled);
  double sum = expectation(h, psi);
  StateVector<double> lambda(psi.num_qubits(), Parallelism{1});
  const double one = 1.0;
  apply_weighted(std::span<const Observable>(&h, 1), std::span<const double>(&one, 1), psi, lambda);
  adjoint_sweep(compiled, 0, angles, reinterpret_cast<double*>(psi.data()), reinterpret_cast<double*>(lambda.data()),
                Parallelism{1}, acc.data(), sweep);
  for (double a : acc) sum += 2.0 * a;
  return sum;
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

void gradient_table(int max_qubits, int repeats, bool cpu_clock) {
  const SimulatorOptions options{Parallelism{1}, {}};
  const Simulator sim(options);
  std::printf("Adjoint gradient vs forward pass (1 thread; median of k runs; %s time; observable sum_i Z_i)\n",
              cpu_clock ? "thread CPU" : "wall");
  std::printf("%6s %6s %6s %4s %13s %13s %14s %14s %9s %9s %9s\n", "qubits", "layers", "P", "k", "forward [ms]",
              "unfused [ms]", "gradient [ms]", "per-gate [ms]", "ratio", "unfused", "per-gate");
  for (int n : {4, 6, 8, 10, 12, 14, 16, 18, 20}) {
    if (n > max_qubits) break;
    const Observable h = sum_z(n);
    for (int layers : layer_counts(n)) {
      const Circuit circuit = layered_ry_rz(n, layers);
      CompiledCircuit compiled(circuit);
      CompiledCircuit unfused(circuit, FusionOptions::off());
      const AdjointGradient gradient(compiled, {}, options);
      const std::vector<double> theta = random_theta(static_cast<std::size_t>(circuit.num_parameters()), 7);
      const std::vector<SweepAngle> angles = all_angles(compiled);
      std::vector<double> acc(angles.size());
      // Large states: at most 3 runs (a 20-qubit, 480-parameter gradient takes seconds).
      const int k = n >= 18 ? std::min(repeats, 3) : n >= 16 ? std::min(repeats, 5) : repeats;
      std::vector<double> forward, plain, backward, per_gate;
      double sink = 0.0;
      Stopwatch watch{cpu_clock};
      const int first = n >= 18 ? 1 : 0;  // r = 0: a warm-up, not recorded (skipped for large states)
      for (int r = first; r <= k; ++r) {
        watch.reset();
        compiled.bind(theta);
        const StateVector<double> state = sim.run(compiled);
        sink += expectation(h, state);
        const double tf = watch.seconds();
        watch.reset();
        unfused.bind(theta);
        const StateVector<double> plain_state = sim.run(unfused);
        sink += expectation(h, plain_state);
        const double tu = watch.seconds();
        watch.reset();
        compiled.bind(theta);
        const GradientResult g = gradient.gradient(compiled, h);
        sink += g.gradient[0];
        const double tg = watch.seconds();
        watch.reset();
        sink += gradient_with_sweep(sim, compiled, theta, h, angles, AdjointSweepOptions{}, acc);
        const double tp = watch.seconds();
        if (r > 0) {
          forward.push_back(tf);
          plain.push_back(tu);
          backward.push_back(tg);
          per_gate.push_back(tp);
        }
      }
      const double f = median(forward), u = median(plain), g = median(backward), pg = median(per_gate);
      std::printf("%6d %6d %6d %4d %13.3f %13.3f %14.3f %14.3f %9.2f %9.2f %9.2f%s\n", n, layers,
                  circuit.num_parameters(), k, 1e3 * f, 1e3 * u, 1e3 * g, 1e3 * pg, g / f, g / u, pg / f,
                  (n == 12 || n == 18) && layers == 10 ? "  <- reference point" : "");
      if (sink == 12345.678) std::printf(" ");  // keep the work observable
    }
  }
}

void sweep_table(int max_qubits, int repeats, bool cpu_clock) {
  const Simulator sim(SimulatorOptions{Parallelism{1}, {}});
  std::printf("\nBackward sweep alone, 10 layers (1 thread; median of %d; %s time; load average before: %s)\n",
              repeats, cpu_clock ? "thread CPU" : "wall", load_average().c_str());
  std::printf("%6s %6s %7s %6s %8s %12s %10s\n", "qubits", "P", "chunk", "runs", "stages", "sweep [ms]", "vs chunk 0");
  for (int n : {16, 18, 20}) {
    if (n > max_qubits) break;
    const Circuit circuit = layered_ry_rz(n, 10);
    CompiledCircuit compiled(circuit);
    compiled.bind(random_theta(static_cast<std::size_t>(circuit.num_parameters()), 7));
    const std::vector<SweepAngle> angles = all_angles(compiled);
    std::vector<double> acc(angles.size());
    const StateVector<double> psi = sim.run(compiled);
    StateVector<double> a = psi, b = psi;
    double base = 0.0;
    const int def = default_sweep_chunk_qubits(n);
    const int runs = AdjointSweepOptions{}.run_qubits;
    const std::pair<int, int> settings[] = {{0, 0},     {10, runs}, {11, runs}, {12, runs}, {13, runs}, {14, runs},
                                            {15, runs}, {16, runs}, {def, 0},   {def, 3 - runs}};
    for (const auto& [chunk, run] : settings) {
      if (chunk >= n) continue;
      AdjointSweepOptions o;
      o.chunk_qubits = chunk;
      o.run_qubits = run;
      std::vector<double> t;
      Stopwatch watch{cpu_clock};
      for (int r = 0; r <= repeats; ++r) {
        a.assign(psi);
        b.assign(psi);
        watch.reset();
        adjoint_sweep(compiled, 0, angles, reinterpret_cast<double*>(a.data()), reinterpret_cast<double*>(b.data()),
                      Parallelism{1}, acc.data(), o);
        if (r > 0) t.push_back(watch.seconds());
      }
      const double m = median(t);
      if (chunk == 0) base = m;
      std::printf("%6d %6d %7d %6d %8zu %12.3f %10.2f%s\n", n, circuit.num_parameters(), chunk, run,
                  count_sweep_stages(compiled, 0, o), 1e3 * m, m / base,
                  chunk == def && run == runs ? "  <- default" : "");
    }
  }
}

double process_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

struct Timing {
  double seconds;  // median
  double fastest;
  double cores;    // process CPU time / wall time over the recorded runs
  double checksum;
};

template <class F>
Timing time_median(int repeats, F&& f) {
  std::vector<double> t;
  double checksum = 0.0, cpu = 0.0, wall = 0.0;
  for (int r = 0; r <= repeats; ++r) {  // r = 0: warm-up, not recorded
    const double c0 = process_cpu_seconds();
    const auto t0 = Clock::now();
    checksum = f();
    const double w = seconds_since(t0), c = process_cpu_seconds() - c0;
    if (r > 0) {
      t.push_back(w);
      wall += w;
      cpu += c;
    }
  }
  return {median(t), *std::min_element(t.begin(), t.end()), cpu / wall, checksum};
}

void batch_table(std::size_t items, int repeats) {
  const int n = 4, layers = 2;
  const Circuit circuit = layered_ry_rz(n, layers);  // 16 parameters
  const auto width = static_cast<std::size_t>(circuit.num_parameters());
  const std::vector<double> values = random_theta(items * width, 11);
  const ParameterRows rows = ParameterRows::of(values, width);
  const std::vector<Observable> obs = {sum_z(n)};
  const std::vector<double> weights(items, 1.0);

  std::printf("\nBatch of %zu evaluations: %d qubits, %zu parameters, %zu gates, <sum_i Z_i> (median of %d)\n",
              items, n, width, circuit.operations().size(), repeats);
  std::printf("(wall time; load average before: %s)\n", load_average().c_str());
  std::printf("%-44s %8s %12s %14s %9s %12s %10s\n", "mode", "threads", "total [ms]", "per item [us]", "speed-up",
              "fastest [ms]", "CPUs busy");

  // One by one: Simulator::run on a compiled circuit (a fresh state each time) + expectation.
  const Timing single = time_median(repeats, [&] {
    const Simulator sim(SimulatorOptions{Parallelism{1}, {}});
    CompiledCircuit compiled(circuit);
    double s = 0.0;
    for (std::size_t i = 0; i < items; ++i) {
      compiled.bind(rows.row(i));
      s += expectation(obs[0], sim.run(compiled));
    }
    return s;
  });
  const auto row = [&](const char* mode, int threads, const Timing& t, double base) {
    std::printf("%-44s %8d %12.2f %14.3f %9.2f %12.2f %10.2f\n", mode, threads, 1e3 * t.seconds,
                1e6 * t.seconds / static_cast<double>(items), base / t.seconds, 1e3 * t.fastest, t.cores);
  };
  row("one by one (bind + Simulator::run + expect.)", 1, single, single.seconds);

  double reference = 0.0;
  Timing batch1{};
  for (int threads : {1, 2}) {
    const BatchExecutor batch(circuit, SimulatorOptions{Parallelism{threads}, {}});
    const Timing t = time_median(repeats, [&] {
      const std::vector<double> v = batch.expectations(rows, obs);
      double s = 0.0;
      for (double x : v) s += x;
      return s;
    });
    if (threads == 1) {
      reference = t.checksum;
      batch1 = t;
    }
    row("BatchExecutor::expectations", threads, t, single.seconds);
    if (t.checksum != reference || t.checksum != single.checksum)
      std::printf("  !! results differ between thread counts or from one by one\n");
  }

  Timing grad1{};
  for (int threads : {1, 2}) {
    const BatchExecutor batch(circuit, SimulatorOptions{Parallelism{threads}, {}});
    const Timing t = time_median(repeats, [&] {
      const BatchExecutor::Gradients g = batch.vjp(rows, obs, weights);
      double s = 0.0;
      for (double x : g.gradient) s += x;
      return s;
    });
    if (threads == 1) grad1 = t;
    row("BatchExecutor::vjp (value + 16 derivatives)", threads, t, grad1.seconds);
    if (t.checksum != grad1.checksum) std::printf("  !! gradients differ between thread counts\n");
  }
  std::printf("(total, per item, speed-up: medians; speed-up against the one-by-one loop for expectations,\n"
              " against 1 thread for vjp; vjp / expectations per item on 1 thread: %.2f. CPUs busy = process\n"
              " CPU time / wall time: near 1 on 2 threads means the machine had one free core, not a\n"
              " scaling limit; run with OMP_WAIT_POLICY=passive so that idle threads do not count)\n",
              grad1.seconds / batch1.seconds);
}

}  // namespace

int main(int argc, char** argv) {
  int max_qubits = 20, repeats = 5, batch = 10000;
  bool skip_gradient = false, skip_batch = false, cpu_clock = true, sweeps = false;
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
      max_qubits = parse_int("--max-qubits", value(), 4, 30);
    } else if (a == "--repeats") {
      repeats = parse_int("--repeats", value(), 1, 1000);
    } else if (a == "--batch") {
      batch = parse_int("--batch", value(), 1, 10000000);
    } else if (a == "--wall") {
      cpu_clock = false;
    } else if (a == "--sweep-table") {
      sweeps = true;
    } else if (a == "--only-gradient") {
      skip_batch = true;
    } else if (a == "--only-batch") {
      skip_gradient = true;
    } else if (a == "--help" || a == "-h") {
      std::printf("usage: %s [--max-qubits N (4..30, default 20)] [--repeats K (default 5)]\n"
                  "          [--batch ITEMS (default 10000)] [--only-gradient | --only-batch] [--sweep-table]\n"
                  "          [--wall (table 1 on the wall clock instead of the thread's CPU clock)]\n",
                  argv[0]);
      return 0;
    } else {
      std::fprintf(stderr, "unknown option '%s' (try --help)\n", a.c_str());
      return 2;
    }
  }
  if (!skip_gradient) gradient_table(max_qubits, repeats, cpu_clock);
  if (sweeps) sweep_table(max_qubits, repeats, cpu_clock);
  if (!skip_batch) batch_table(static_cast<std::size_t>(batch), repeats);
  return 0;
}

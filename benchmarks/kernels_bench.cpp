// Micro-benchmarks: each kernel family x target position x thread count, on one state of 24
// qubits (256 MiB in double: far larger than the last-level cache), plus the memory-bandwidth
// sweep that bounds them, measured in the same run.
// Run: build/benchmarks/qmlsim_kernels_bench --benchmark_min_time=0.2 [--benchmark_filter=...]
//      (QMLSIM_BENCH_QUBITS=N to change the size)
// Counters:
//   bytes_per_second: 2 x the bytes of the cache lines the kernel touches (in-place read + write),
//     comparable with BM_Sweep's, which reads and writes an array of the state's size in place;
//   so a kernel's ratio to the memory-bandwidth limit is BM_Sweep's bytes_per_second (same thread
//   count) divided by the kernel's.
// Args: isa (0 generic, 1 avx2, 2 avx512; the CPU must support it), target qubit, threads.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "simulator/circuit/library.hpp"
#include "simulator/core/state_vector.hpp"
#include "simulator/execution/compiled_circuit.hpp"
#include "simulator/gates/kernels.hpp"

namespace {

using qmlsim::Index;
using qmlsim::Parallelism;
using qmlsim::Qubit;
using qmlsim::StateVector;
using qmlsim::kernels::Isa;
using qmlsim::kernels::KernelTable;

int bench_qubits() {
  const char* env = std::getenv("QMLSIM_BENCH_QUBITS");
  return env ? std::atoi(env) : 24;
}
const int kQubits = bench_qubits();

// One state per (precision, thread count), reused across benchmarks (allocating 256 MiB per
// benchmark would dominate short runs).
template <class R>
StateVector<R>& state(int threads) {
  static StateVector<R> s1(kQubits, Parallelism{1, qmlsim::kDefaultParallelThreshold});
  static StateVector<R> s2(kQubits, Parallelism{2, qmlsim::kDefaultParallelThreshold});
  return threads == 1 ? s1 : s2;
}

template <class R>
void set_bytes(benchmark::State& st, double fraction_touched) {
  const double bytes = 2.0 * static_cast<double>(qmlsim::state_bytes(kQubits, sizeof(R))) * fraction_touched;
  st.SetBytesProcessed(static_cast<std::int64_t>(bytes * static_cast<double>(st.iterations())));
  st.counters["fraction"] = fraction_touched;
}

// Reads the isa, target and threads args; false (and the benchmark skipped) if the CPU lacks the ISA.
struct Args {
  Isa isa;
  Qubit target;
  Parallelism par;
};
bool read_args(benchmark::State& st, Args& a) {
  a.isa = static_cast<Isa>(st.range(0));
  a.target = static_cast<Qubit>(st.range(1));
  a.par = Parallelism{static_cast<int>(st.range(2)), qmlsim::kDefaultParallelThreshold};
  if (!qmlsim::kernels::isa_supported(a.isa)) {
    st.SkipWithError("instruction set not supported by this CPU");
    return false;
  }
  return true;
}

template <class R>
R* amplitudes(const Args& a) {
  return reinterpret_cast<R*>(state<R>(a.par.threads).data());
}

// The in-place read-and-write sweep over an array of the state's size: the bandwidth bound.
template <class R>
void BM_Sweep(benchmark::State& st) {
  Args a{};
  if (!read_args(st, a)) return;
  R* p = amplitudes<R>(a);
  const Index reals = Index{2} << kQubits;
  for (auto _ : st) {
    qmlsim::parallel_for(reals, 1024, Parallelism{a.par.threads, 0}, [&](Index b, Index e) noexcept {
      for (Index i = b; i < e; ++i) p[i] = p[i] * R(0.5) + R(0.25);
    });
    benchmark::ClobberMemory();
  }
  set_bytes<R>(st, 1.0);
}

template <class R>
void BM_Matrix1(benchmark::State& st) {
  Args a{};
  if (!read_args(st, a)) return;
  const auto& t = qmlsim::kernels::kernel_table<R>(a.isa);
  const R m[8] = {R(0.6), R(0), R(0), R(-0.8), R(0), R(-0.8), R(0.6), R(0)};
  for (auto _ : st) t.matrix(amplitudes<R>(a), kQubits, &a.target, 1, m, 0, 0, a.par);
  set_bytes<R>(st, 1.0);
}

template <class R>
void BM_Diagonal1(benchmark::State& st) {
  Args a{};
  if (!read_args(st, a)) return;
  const auto& t = qmlsim::kernels::kernel_table<R>(a.isa);
  const R d[4] = {R(0.6), R(-0.8), R(0.6), R(0.8)};
  for (auto _ : st) t.diagonal(amplitudes<R>(a), kQubits, &a.target, 1, d, 0, 0, a.par);
  set_bytes<R>(st, 1.0);
}

template <class R>
void BM_PauliX(benchmark::State& st) {
  Args a{};
  if (!read_args(st, a)) return;
  const auto& t = qmlsim::kernels::kernel_table<R>(a.isa);
  for (auto _ : st) t.pauli_x(amplitudes<R>(a), kQubits, a.target, 0, 0, a.par);
  set_bytes<R>(st, 1.0);
}

// cx with the control on the highest qubit (the next one when that is the target): touches half
// of the cache lines.
template <class R>
void BM_ControlledX(benchmark::State& st) {
  Args a{};
  if (!read_args(st, a)) return;
  const auto& t = qmlsim::kernels::kernel_table<R>(a.isa);
  const Index c = qmlsim::bit(a.target == kQubits - 1 ? kQubits - 2 : kQubits - 1);
  for (auto _ : st) t.pauli_x(amplitudes<R>(a), kQubits, a.target, c, c, a.par);
  set_bytes<R>(st, 0.5);
}

// A dense 2-qubit matrix on (target, target == 0 ? 1 : 0).
template <class R>
void BM_Matrix2(benchmark::State& st) {
  Args a{};
  if (!read_args(st, a)) return;
  const auto& t = qmlsim::kernels::kernel_table<R>(a.isa);
  R m[32] = {};
  for (int i = 0; i < 4; ++i) m[8 * i + 2 * ((i + 1) % 4)] = R(1);  // a cyclic permutation as a dense matrix
  const Qubit ts[2] = {a.target, a.target == 0 ? 1 : 0};
  for (auto _ : st) t.matrix(amplitudes<R>(a), kQubits, ts, 2, m, 0, 0, a.par);
  set_bytes<R>(st, 1.0);
}

// SWAP of (target, target == 0 ? 1 : 0): moves the cache lines where the two bits differ.
template <class R>
void BM_Swap(benchmark::State& st) {
  Args a{};
  if (!read_args(st, a)) return;
  const auto& t = qmlsim::kernels::kernel_table<R>(a.isa);
  const Qubit other = a.target == 0 ? 1 : 0;
  for (auto _ : st) t.swap(amplitudes<R>(a), kQubits, a.target, other, 0, 0, a.par);
  const int line_bits = sizeof(R) == 8 ? 2 : 3;
  set_bytes<R>(st, a.target >= line_bits && other >= line_bits ? 0.5 : 1.0);
}

// A dense k-qubit matrix (what gate fusion produces) on qubits target, target+1, ..., target+k-1
// (k = range(3)): compute grows as 2^k per amplitude, memory traffic stays one pass.
template <class R>
void BM_MatrixK(benchmark::State& st) {
  Args a{};
  if (!read_args(st, a)) return;
  const auto& t = qmlsim::kernels::kernel_table<R>(a.isa);
  const int k = static_cast<int>(st.range(3));
  const std::size_t dim = std::size_t{1} << k;
  std::vector<R> m(2 * dim * dim, R(0));
  for (std::size_t i = 0; i < 2 * dim * dim; ++i) m[i] = R(0.01) * static_cast<R>(i % 7);
  std::vector<Qubit> ts(static_cast<std::size_t>(k));
  for (int j = 0; j < k; ++j) ts[static_cast<std::size_t>(j)] = a.target + j;
  for (auto _ : st) t.matrix(amplitudes<R>(a), kQubits, ts.data(), k, m.data(), 0, 0, a.par);
  set_bytes<R>(st, 1.0);
}

// The standard variational layer, 10 layers, unfused and fused (range(2): 0 off, else fused k).
template <class R>
void BM_LayeredCircuit(benchmark::State& st) {
  const int n = static_cast<int>(st.range(0));
  const int fuse = static_cast<int>(st.range(2));
  const qmlsim::FusionOptions fusion = fuse ? qmlsim::FusionOptions::fixed(fuse) : qmlsim::FusionOptions::off();
  qmlsim::CompiledCircuit c(qmlsim::library::layered(n, 10), fusion);
  std::vector<double> theta(static_cast<std::size_t>(c.num_parameters()), 0.3);
  c.bind(theta);
  const Parallelism par{static_cast<int>(st.range(1)), qmlsim::kDefaultParallelThreshold};
  StateVector<R> s(n, par);
  for (auto _ : st) c.apply(s, par);
  st.counters["ns_per_gate"] = benchmark::Counter(static_cast<double>(c.records().size()) * static_cast<double>(st.iterations()),
                                                  benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  st.counters["passes"] = c.passes(2 * sizeof(R));
}

const Isa kActive = qmlsim::kernels::active_isa();

void positions(benchmark::internal::Benchmark* b) {
  for (int threads : {1, 2})
    for (int t : {0, 1, 2, 3, 5, 7, 9, 12, 18, kQubits - 1}) b->Args({static_cast<int>(kActive), t, threads});
  b->ArgNames({"isa", "target", "threads"})->Unit(benchmark::kMillisecond)->UseRealTime();
}
// The portable build's kernels at a few positions, for comparison.
void generic_positions(benchmark::internal::Benchmark* b) {
  for (int t : {0, 3, 12}) b->Args({static_cast<int>(Isa::Generic), t, 1});
  b->ArgNames({"isa", "target", "threads"})->Unit(benchmark::kMillisecond)->UseRealTime();
}
void sweep(benchmark::internal::Benchmark* b) {
  for (int threads : {1, 2}) b->Args({static_cast<int>(kActive), 0, threads});
  b->ArgNames({"isa", "target", "threads"})->Unit(benchmark::kMillisecond)->UseRealTime();
}
void fused(benchmark::internal::Benchmark* b) {
  for (int threads : {1, 2})
    for (int k = 1; k <= 6; ++k)
      for (int t : {0, 2, 10}) b->Args({static_cast<int>(kActive), t, threads, k});
  b->ArgNames({"isa", "target", "threads", "k"})->Unit(benchmark::kMillisecond)->UseRealTime();
}

}  // namespace

BENCHMARK(BM_Sweep<double>)->Apply(sweep);
BENCHMARK(BM_Sweep<float>)->Apply(sweep);
BENCHMARK(BM_Matrix1<double>)->Apply(positions);
BENCHMARK(BM_Matrix1<double>)->Apply(generic_positions);
BENCHMARK(BM_Matrix1<float>)->Apply(positions);
BENCHMARK(BM_Diagonal1<double>)->Apply(positions);
BENCHMARK(BM_PauliX<double>)->Apply(positions);
BENCHMARK(BM_ControlledX<double>)->Apply(positions);
BENCHMARK(BM_Matrix2<double>)->Apply(positions);
BENCHMARK(BM_Swap<double>)->Apply(positions);
BENCHMARK(BM_MatrixK<double>)->Apply(fused);
BENCHMARK(BM_MatrixK<float>)->Apply(fused);
BENCHMARK(BM_LayeredCircuit<double>)
    ->ArgsProduct({{4, 8, 12, 16, 20}, {1, 2}, {0, 4}})
    ->ArgNames({"qubits", "threads", "fusion"})
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime();

BENCHMARK_MAIN();

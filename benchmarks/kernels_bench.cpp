// Micro-benchmarks: each kernel family x target position on one state, single thread by default.
// Run: build/benchmarks/qmlsim_kernels_bench --benchmark_min_time=0.2
// Counters: bytes_per_second is 2 x state bytes per full pass (in-place read + write).
#include <benchmark/benchmark.h>

#include <complex>

#include "simulator/circuit/library.hpp"
#include "simulator/core/state_vector.hpp"
#include "simulator/execution/compiled_circuit.hpp"
#include "simulator/gates/kernels.hpp"

namespace {

using qmlsim::Index;
using qmlsim::Parallelism;
using qmlsim::StateVector;

constexpr int kQubits = 22;

template <class R>
void set_counters(benchmark::State& st, double fraction_of_state) {
  const double bytes = 2.0 * static_cast<double>(qmlsim::state_bytes(kQubits, sizeof(R))) * fraction_of_state;
  st.SetBytesProcessed(static_cast<std::int64_t>(bytes * static_cast<double>(st.iterations())));
}

template <class R>
void BM_Matrix1(benchmark::State& st) {
  StateVector<R> s(kQubits, Parallelism{static_cast<int>(st.range(1)), qmlsim::kDefaultParallelThreshold});
  const R m[8] = {R(0.6), R(0), R(0), R(-0.8), R(0), R(-0.8), R(0.6), R(0)};
  for (auto _ : st) qmlsim::kernels::apply_matrix1(reinterpret_cast<R*>(s.data()), kQubits, static_cast<int>(st.range(0)), m, 0, 0, s.parallelism());
  set_counters<R>(st, 1.0);
}

template <class R>
void BM_Diagonal1(benchmark::State& st) {
  StateVector<R> s(kQubits, Parallelism{static_cast<int>(st.range(1)), qmlsim::kDefaultParallelThreshold});
  const R d[4] = {R(0.6), R(-0.8), R(0.6), R(0.8)};
  const int t = static_cast<int>(st.range(0));
  for (auto _ : st) qmlsim::kernels::apply_diagonal(reinterpret_cast<R*>(s.data()), kQubits, &t, 1, d, 0, 0, s.parallelism());
  set_counters<R>(st, 1.0);
}

template <class R>
void BM_PauliX(benchmark::State& st) {
  StateVector<R> s(kQubits, Parallelism{static_cast<int>(st.range(1)), qmlsim::kDefaultParallelThreshold});
  for (auto _ : st) qmlsim::kernels::apply_x(reinterpret_cast<R*>(s.data()), kQubits, static_cast<int>(st.range(0)), 0, 0, s.parallelism());
  set_counters<R>(st, 1.0);
}

template <class R>
void BM_ControlledX(benchmark::State& st) {
  // cx with the control on the highest qubit: touches half of the state.
  StateVector<R> s(kQubits, Parallelism{static_cast<int>(st.range(1)), qmlsim::kDefaultParallelThreshold});
  const Index c = qmlsim::bit(kQubits - 1);
  for (auto _ : st) qmlsim::kernels::apply_x(reinterpret_cast<R*>(s.data()), kQubits, static_cast<int>(st.range(0)), c, c, s.parallelism());
  set_counters<R>(st, 0.5);
}

template <class R>
void BM_Matrix2(benchmark::State& st) {
  StateVector<R> s(kQubits, Parallelism{static_cast<int>(st.range(1)), qmlsim::kDefaultParallelThreshold});
  R m[32] = {};
  for (int i = 0; i < 4; ++i) m[8 * i + 2 * ((i + 1) % 4)] = R(1);  // a cyclic permutation as a dense matrix
  const int t0 = static_cast<int>(st.range(0)), t1 = t0 == 0 ? 1 : 0;
  for (auto _ : st) qmlsim::kernels::apply_matrix2(reinterpret_cast<R*>(s.data()), kQubits, t0, t1, m, 0, 0, s.parallelism());
  set_counters<R>(st, 1.0);
}

template <class R>
void BM_Swap(benchmark::State& st) {
  StateVector<R> s(kQubits, Parallelism{static_cast<int>(st.range(1)), qmlsim::kDefaultParallelThreshold});
  const int a = static_cast<int>(st.range(0)), b = a == 0 ? 1 : 0;
  for (auto _ : st) qmlsim::kernels::apply_swap(reinterpret_cast<R*>(s.data()), kQubits, a, b, 0, 0, s.parallelism());
  set_counters<R>(st, 0.5);
}

// A whole compiled circuit: the standard variational layer, 10 layers, on n qubits.
template <class R>
void BM_LayeredCircuit(benchmark::State& st) {
  const int n = static_cast<int>(st.range(0));
  qmlsim::CompiledCircuit c(qmlsim::library::layered(n, 10));
  std::vector<double> theta(static_cast<std::size_t>(c.num_parameters()), 0.3);
  c.bind(theta);
  StateVector<R> s(n, Parallelism{static_cast<int>(st.range(1)), qmlsim::kDefaultParallelThreshold});
  for (auto _ : st) c.apply(s);
  st.counters["ns_per_gate"] = benchmark::Counter(static_cast<double>(c.records().size()) * static_cast<double>(st.iterations()),
                                                  benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void positions(benchmark::internal::Benchmark* b) {
  for (int threads : {1, 2})
    for (int t : {0, 1, 3, 6, 12, kQubits - 1}) b->Args({t, threads});
  b->ArgNames({"target", "threads"})->Unit(benchmark::kMillisecond);
}

}  // namespace

BENCHMARK(BM_Matrix1<double>)->Apply(positions);
BENCHMARK(BM_Matrix1<float>)->Apply(positions);
BENCHMARK(BM_Diagonal1<double>)->Apply(positions);
BENCHMARK(BM_PauliX<double>)->Apply(positions);
BENCHMARK(BM_ControlledX<double>)->Apply(positions);
BENCHMARK(BM_Matrix2<double>)->Apply(positions);
BENCHMARK(BM_Swap<double>)->Apply(positions);
BENCHMARK(BM_LayeredCircuit<double>)
    ->ArgsProduct({{4, 8, 12, 16, 20}, {1, 2}})
    ->ArgNames({"qubits", "threads"})
    ->Unit(benchmark::kMicrosecond);

BENCHMARK_MAIN();

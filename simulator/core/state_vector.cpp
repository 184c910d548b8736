#include "simulator/core/state_vector.hpp"

#include <algorithm>
#include <cmath>
#include <new>

#include "simulator/core/bits.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim {

void ensure_state_memory(int num_qubits, std::size_t real_bytes, int count, const MemoryLimit& limit,
                         const char* purpose) {
  const std::uint64_t one = state_bytes(num_qubits, real_bytes);
  std::string what = std::to_string(num_qubits) + " qubits";
  if (purpose) what += std::string(" (") + purpose + ")";
  if (count > 1) what += " with " + std::to_string(count) + " state vectors";
  const std::uint64_t total = one * static_cast<std::uint64_t>(count);
  if (count > 0 && total / static_cast<std::uint64_t>(count) != one)
    throw ResourceError(what + " need more memory than can be addressed");
  ensure_memory(total, what, limit);
}

template <class R>
void StateVector<R>::Free::operator()(Amplitude* p) const noexcept {
  ::operator delete[](static_cast<void*>(p), std::align_val_t{64});
}

template <class R>
StateVector<R>::StateVector(int num_qubits, const Parallelism& par, const MemoryLimit& memory, bool)
    : num_qubits_(num_qubits) {
  check_range(num_qubits, 1, kMaxQubits, "state vector: number of qubits");
  ensure_state_memory(num_qubits, sizeof(R), 1, memory);
  void* raw = ::operator new[](size() * sizeof(Amplitude), std::align_val_t{64}, std::nothrow);
  if (!raw)
    throw ResourceError(std::to_string(num_qubits) + " qubits need " + format_bytes(state_bytes(num_qubits, sizeof(R))) +
                        "; the allocation failed");
  // Amplitude is an implicit-lifetime-like trivial pair of reals; the storage is written before read.
  data_.reset(static_cast<Amplitude*>(raw));
}

template <class R>
StateVector<R>::StateVector(int num_qubits, const Parallelism& par, const MemoryLimit& memory)
    : StateVector(num_qubits, par, memory, true) {
  set_basis_state(0, par);
}

template <class R>
StateVector<R> StateVector<R>::basis(int num_qubits, Index index, const Parallelism& par, const MemoryLimit& memory) {
  if (num_qubits >= 1 && num_qubits <= kMaxQubits) check_index(index, Index{1} << num_qubits, "basis state");
  StateVector s(num_qubits, par, memory, true);
  s.set_basis_state(index, par);
  return s;
}

template <class R>
StateVector<R> StateVector<R>::from_amplitudes(std::span<const cdouble> amps, bool normalize, const Parallelism& par,
                                               const MemoryLimit& memory) {
  const std::size_t n = amps.size();
  if (n < 2 || (n & (n - 1)) != 0)
    throw InvalidArgument("state vector: " + std::to_string(n) + " amplitudes given; expected a power of two >= 2");
  // The norm is summed after dividing by the largest component, so that amplitudes such as 1e200
  // or 1e-170 neither overflow nor underflow: the norm is big * sqrt(sum).
  double big = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    check_finite(amps[i].real(), [&] { return "state vector: real part of amplitude " + std::to_string(i); });
    check_finite(amps[i].imag(), [&] { return "state vector: imaginary part of amplitude " + std::to_string(i); });
    big = std::max({big, std::abs(amps[i].real()), std::abs(amps[i].imag())});
  }
  double sum = 0.0;
  if (big > 0.0)
    for (std::size_t i = 0; i < n; ++i) sum += std::norm(amps[i] / big);
  if (normalize) {
    if (big == 0.0) throw InvalidArgument("state vector: cannot normalise the zero vector");
  } else if (std::abs(big * std::sqrt(sum) - 1.0) > 1e-10) {
    throw InvalidArgument("state vector: norm " + format_number(big * std::sqrt(sum)) +
                          " differs from 1 by more than 1e-10 (ask for normalisation)");
  }
  StateVector s(std::countr_zero(n), par, memory, true);
  const double scale = normalize ? 1.0 / (big * std::sqrt(sum)) : 1.0;
  Amplitude* d = s.data();
  parallel_for(s.size(), kBlock, par, [&](Index b, Index e) noexcept {
    for (Index i = b; i < e; ++i)
      d[i] = Amplitude(static_cast<R>(amps[i].real() * scale), static_cast<R>(amps[i].imag() * scale));
  });
  return s;
}

template <class R>
StateVector<R>::StateVector(const StateVector& other) : StateVector(other.num_qubits_, Parallelism{}, MemoryLimit{}, true) {
  const Amplitude* src = other.data();
  Amplitude* dst = data_.get();
  parallel_for(size(), kBlock, Parallelism{}, [&](Index b, Index e) noexcept { std::copy(src + b, src + e, dst + b); });
}

template <class R>
StateVector<R>& StateVector<R>::operator=(const StateVector& other) {
  if (this == &other) return *this;
  if (other.num_qubits_ != num_qubits_) {
    *this = StateVector(other);
    return *this;
  }
  const Amplitude* src = other.data();
  Amplitude* dst = data_.get();
  parallel_for(size(), kBlock, Parallelism{}, [&](Index b, Index e) noexcept { std::copy(src + b, src + e, dst + b); });
  return *this;
}

template <class R>
void StateVector<R>::throw_size_mismatch(int other_qubits) const {
  throw InvalidArgument("cannot assign a state of " + std::to_string(other_qubits) + " qubits to one of " +
                        std::to_string(num_qubits_) + " qubits");
}

template <class R>
typename StateVector<R>::Amplitude StateVector<R>::amplitude(Index i) const {
  check_index(i, size(), "amplitude index");
  return data_[i];
}

template <class R>
void StateVector<R>::set_basis_state(Index index, const Parallelism& par) {
  check_index(index, size(), "basis state");
  Amplitude* d = data_.get();
  // First touch by the same threads and ranges the kernels use (NUMA placement, no serial fill).
  parallel_for(size(), kBlock, par, [&](Index b, Index e) noexcept { std::fill(d + b, d + e, Amplitude{}); });
  d[index] = Amplitude(1);
}

template <class R>
double StateVector<R>::norm_squared(const Parallelism& par) const noexcept {
  const Amplitude* d = data_.get();
  return parallel_sum(size(), par, [&](Index b, Index e) noexcept {
    double s = 0.0;
    for (Index i = b; i < e; ++i) s += static_cast<double>(std::norm(d[i]));
    return s;
  });
}

template <class R>
double StateVector<R>::norm(const Parallelism& par) const noexcept {
  return std::sqrt(norm_squared(par));
}

template <class R>
void StateVector<R>::normalize(const Parallelism& par) {
  const double n = norm(par);
  if (n == 0.0) throw InvalidArgument("state vector: cannot normalise the zero vector");
  const R scale = static_cast<R>(1.0 / n);
  Amplitude* d = data_.get();
  parallel_for(size(), kBlock, par, [&](Index b, Index e) noexcept {
    for (Index i = b; i < e; ++i) d[i] *= scale;
  });
}

template <class R>
cdouble StateVector<R>::inner(const StateVector& other, const Parallelism& par) const {
  if (other.num_qubits_ != num_qubits_)
    throw InvalidArgument("inner product of states on " + std::to_string(num_qubits_) + " and " +
                          std::to_string(other.num_qubits_) + " qubits");
  const Amplitude* a = data_.get();
  const Amplitude* b = other.data();
  double out[2];
  parallel_sums(size(), 2, out, par, [&](Index lo, Index hi, double* acc) noexcept {
    double re = 0.0, im = 0.0;
    for (Index i = lo; i < hi; ++i) {
      const double ar = a[i].real(), ai = a[i].imag(), br = b[i].real(), bi = b[i].imag();
      re += ar * br + ai * bi;  // conj(a) * b
      im += ar * bi - ai * br;
    }
    acc[0] += re;
    acc[1] += im;
  });
  return {out[0], out[1]};
}

template <class R>
std::vector<double> StateVector<R>::probabilities(const MemoryLimit& memory, const Parallelism& par) const {
  ensure_memory(size() * sizeof(double), "the probabilities of " + std::to_string(num_qubits_) + " qubits", memory);
  std::vector<double> p(size());
  const Amplitude* d = data_.get();
  parallel_for(size(), kBlock, par, [&](Index b, Index e) noexcept {
    for (Index i = b; i < e; ++i) p[i] = static_cast<double>(std::norm(d[i]));
  });
  return p;
}

template <class R>
double StateVector<R>::probability(Index i) const {
  return static_cast<double>(std::norm(amplitude(i)));
}

template <class R>
std::vector<double> StateVector<R>::marginal_probabilities(std::span<const Qubit> qubits, const MemoryLimit& memory,
                                                           const Parallelism& par) const {
  Index mask = 0;
  for (Qubit q : qubits) {
    check_index(q, num_qubits_, "marginal: qubit");
    if (mask & bit(q)) throw InvalidArgument("marginal: qubit " + std::to_string(q) + " used twice");
    mask |= bit(q);
  }
  const int m = static_cast<int>(qubits.size());
  std::vector<Qubit> sorted(qubits.begin(), qubits.end());
  std::sort(sorted.begin(), sorted.end());
  const Index outcomes = Index{1} << m, rest = size() >> m;
  ensure_memory(outcomes * sizeof(double),
                "the marginal probabilities of " + plural(m, "qubit"), memory);
  std::vector<double> out(outcomes, 0.0);
  const Amplitude* d = data_.get();
  // Each outcome's sum runs serially in a fixed order over the other qubits' values, so the
  // result does not depend on how outcomes are shared among threads.
  const int threads = resolve_threads(par, size());
  parallel_for(outcomes, 1, Parallelism{threads, 0}, [&](Index o0, Index o1) noexcept {
    for (Index o = o0; o < o1; ++o) {
      const Index fixed = deposit_bits(o, qubits.data(), m);
      double s = 0.0;
      for (Index r = 0; r < rest; ++r) s += static_cast<double>(std::norm(d[insert_zero_bits(r, sorted.data(), m) | fixed]));
      out[o] = s;
    }
  });
  return out;
}

template class StateVector<double>;
template class StateVector<float>;

}  // namespace qmlsim

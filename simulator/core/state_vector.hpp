#pragma once
/// The state of n qubits: 2^n complex amplitudes, 64-byte aligned, in qubit-0-least-significant
/// order (types.hpp). Templated on the real type; StateVector<double> (the default) and
/// StateVector<float> are both instantiated in the library.
///
/// Memory: one allocation of state_bytes(n, sizeof(R)), checked by the memory guard first
/// (ResourceError, nothing allocated). The storage is left uninitialised by the allocation and
/// written exactly once (|0...0>, a basis state, given amplitudes or a copy), in parallel with the
/// kernels' own schedule, so each page is first touched by the thread that later works on it and
/// nothing is zero-filled twice. Nothing else here allocates in proportion to 2^n except
/// probabilities() and marginal_probabilities(), which ask the guard first. Reductions (norm,
/// inner product, marginals) are bit-identical on any thread count (parallel.hpp).
///
/// Threads: a StateVector holds amplitudes, not a policy. Every call that loops over the
/// amplitudes takes the Parallelism it may use (default: all cores the process may use, from the
/// parallel threshold on); the batch engine passes Parallelism::serial() to calls inside its
/// workers. Copy construction and copy assignment use the default policy.
#include <complex>
#include <memory>
#include <span>
#include <vector>

#include "simulator/core/memory.hpp"
#include "simulator/core/parallel.hpp"
#include "simulator/core/types.hpp"

namespace qmlsim {

/// Bytes of one state vector of `num_qubits` qubits with real type of `real_bytes` bytes.
[[nodiscard]] constexpr std::uint64_t state_bytes(int num_qubits, std::size_t real_bytes) noexcept {
  return (std::uint64_t{1} << num_qubits) * 2 * real_bytes;
}

/// Throws ResourceError unless `count` state vectors of `num_qubits` qubits fit in memory:
/// "30 qubits need 16.0 GiB; 11.2 GiB available". Allocates nothing.
void ensure_state_memory(int num_qubits, std::size_t real_bytes, int count, const MemoryLimit& limit,
                         const char* purpose = nullptr);

template <class R>
class StateVector {
 public:
  using Real = R;
  using Amplitude = std::complex<R>;

  /// |0...0> on `num_qubits` qubits (1..kMaxQubits). Throws InvalidArgument, ResourceError.
  explicit StateVector(int num_qubits, const Parallelism& par = {}, const MemoryLimit& memory = {});
  /// Basis state |index>.
  [[nodiscard]] static StateVector basis(int num_qubits, Index index, const Parallelism& par = {},
                                         const MemoryLimit& memory = {});
  /// Given amplitudes (length 2^n, n >= 1, finite). Unless `normalize`, the norm must be 1 within
  /// 1e-10; with it, the amplitudes are scaled to norm 1 (a zero vector is refused).
  [[nodiscard]] static StateVector from_amplitudes(std::span<const cdouble> amplitudes, bool normalize = false,
                                                   const Parallelism& par = {}, const MemoryLimit& memory = {});

  StateVector(const StateVector& other);
  StateVector& operator=(const StateVector& other);
  StateVector(StateVector&&) noexcept = default;
  StateVector& operator=(StateVector&&) noexcept = default;
  ~StateVector() = default;

  [[nodiscard]] int num_qubits() const noexcept { return num_qubits_; }
  [[nodiscard]] Index size() const noexcept { return Index{1} << num_qubits_; }
  [[nodiscard]] Amplitude* data() noexcept { return data_.get(); }
  [[nodiscard]] const Amplitude* data() const noexcept { return data_.get(); }
  [[nodiscard]] std::span<Amplitude> amplitudes() noexcept { return {data_.get(), size()}; }
  [[nodiscard]] std::span<const Amplitude> amplitudes() const noexcept { return {data_.get(), size()}; }
  /// Unchecked amplitude access.
  [[nodiscard]] Amplitude operator[](Index i) const noexcept { return data_[i]; }
  /// Checked: throws InvalidArgument for i >= 2^n.
  [[nodiscard]] Amplitude amplitude(Index i) const;

  /// Sets |0...0>, or |index>.
  void set_zero_state(const Parallelism& par = {}) { set_basis_state(0, par); }
  void set_basis_state(Index index, const Parallelism& par = {});
  /// Copies amplitudes from a state of the same size (any precision), without allocating.
  template <class S>
  void assign(const StateVector<S>& other, const Parallelism& par = {});

  [[nodiscard]] double norm_squared(const Parallelism& par = {}) const noexcept;
  [[nodiscard]] double norm(const Parallelism& par = {}) const noexcept;
  /// Scales to norm 1; throws InvalidArgument for the zero vector.
  void normalize(const Parallelism& par = {});
  /// <this|other> (this conjugated). Throws InvalidArgument if the sizes differ.
  [[nodiscard]] cdouble inner(const StateVector& other, const Parallelism& par = {}) const;
  /// |a_i|^2 for every basis state: 2^n doubles (half the state's size in double precision, as
  /// large as the state in single), checked against `memory` first (ResourceError).
  [[nodiscard]] std::vector<double> probabilities(const MemoryLimit& memory = {}, const Parallelism& par = {}) const;
  [[nodiscard]] double probability(Index i) const;
  /// Probabilities of the outcomes of `qubits` (outcome bit j = qubits[j]), summed over the rest:
  /// 2^m doubles for m qubits, checked against `memory` first (ResourceError). Throws
  /// InvalidArgument for an out-of-range or repeated qubit.
  [[nodiscard]] std::vector<double> marginal_probabilities(std::span<const Qubit> qubits, const MemoryLimit& memory = {},
                                                           const Parallelism& par = {}) const;

 private:
  struct Free {
    void operator()(Amplitude* p) const noexcept;
  };
  StateVector(int num_qubits, const Parallelism& par, const MemoryLimit& memory, bool /*uninitialised*/);
  [[noreturn]] void throw_size_mismatch(int other_qubits) const;

  int num_qubits_ = 0;
  std::unique_ptr<Amplitude[], Free> data_;
};

extern template class StateVector<double>;
extern template class StateVector<float>;

template <class R>
template <class S>
void StateVector<R>::assign(const StateVector<S>& other, const Parallelism& par) {
  if (other.num_qubits() != num_qubits_) throw_size_mismatch(other.num_qubits());
  const auto* src = other.data();
  Amplitude* dst = data_.get();
  parallel_for(size(), kBlock, par, [&](Index b, Index e) noexcept {
    for (Index i = b; i < e; ++i) dst[i] = Amplitude(static_cast<R>(src[i].real()), static_cast<R>(src[i].imag()));
  });
}

}  // namespace qmlsim

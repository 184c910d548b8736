#pragma once
/// Amplitudes between a StateVector and Eigen, for the QML layer's dense linear algebra (Gram
/// matrices, projected kernels). Header-only: the includer links Eigen (qml/ and the tests do;
/// the simulator library itself does not depend on Eigen).
///
/// - as_eigen(): a double-precision state's amplitudes as an Eigen column vector, in place: no
///   copy and no pass (the storage is 64-byte aligned complex<double>, Eigen's own layout).
/// - copy_to_eigen() / copy_from_eigen(): one pass, converting precision where the types differ
///   (a single-precision state), under the call's Parallelism. For a block of many states see
///   BatchExecutor::states_into(), which writes the columns of a column-major matrix directly.
/// Sizes must agree (InvalidArgument naming both). copy_from_eigen() does not renormalise.
#include <Eigen/Core>
#include <string>

#include "simulator/core/errors.hpp"
#include "simulator/core/parallel.hpp"
#include "simulator/core/state_vector.hpp"

namespace qmlsim {

[[nodiscard]] inline Eigen::Map<Eigen::VectorXcd, Eigen::Aligned64> as_eigen(StateVector<double>& state) noexcept {
  return {state.data(), static_cast<Eigen::Index>(state.size())};
}

[[nodiscard]] inline Eigen::Map<const Eigen::VectorXcd, Eigen::Aligned64> as_eigen(
    const StateVector<double>& state) noexcept {
  return {state.data(), static_cast<Eigen::Index>(state.size())};
}

namespace detail {
inline void check_eigen_size(Index amplitudes, Eigen::Index entries, const char* what) {
  if (static_cast<Index>(entries) != amplitudes)
    throw InvalidArgument(std::string(what) + ": the state has " + std::to_string(amplitudes) +
                          " amplitudes but the Eigen vector has " + std::to_string(entries) + " entries");
}
}  // namespace detail

/// out = the amplitudes of `state` (out.size() must be 2^n). One pass.
template <class R>
void copy_to_eigen(const StateVector<R>& state, Eigen::Ref<Eigen::VectorXcd, 0, Eigen::InnerStride<>> out, const Parallelism& par = {}) {
  detail::check_eigen_size(state.size(), out.size(), "copy_to_eigen");
  const auto* src = state.data();
  cdouble* dst = out.data();
  const Eigen::Index stride = out.innerStride();
  parallel_for(state.size(), kBlock, par, [&](Index b, Index e) noexcept {
    for (Index i = b; i < e; ++i)
      dst[static_cast<Eigen::Index>(i) * stride] = cdouble(static_cast<double>(src[i].real()), static_cast<double>(src[i].imag()));
  });
}

/// The amplitudes of `state` = in (in.size() must be 2^n). One pass; no normalisation.
template <class R>
void copy_from_eigen(const Eigen::Ref<const Eigen::VectorXcd, 0, Eigen::InnerStride<>>& in, StateVector<R>& state, const Parallelism& par = {}) {
  detail::check_eigen_size(state.size(), in.size(), "copy_from_eigen");
  const cdouble* src = in.data();
  auto* dst = state.data();
  const Eigen::Index stride = in.innerStride();
  parallel_for(state.size(), kBlock, par, [&](Index b, Index e) noexcept {
    for (Index i = b; i < e; ++i) {
      const cdouble v = src[static_cast<Eigen::Index>(i) * stride];
      dst[i] = typename StateVector<R>::Amplitude(static_cast<R>(v.real()), static_cast<R>(v.imag()));
    }
  });
}

}  // namespace qmlsim

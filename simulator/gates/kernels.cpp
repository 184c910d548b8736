#include "simulator/gates/kernels.hpp"

namespace qmlsim::kernels {

// Defined in kernels_<isa>.cpp (the same source, kernels_simd.hpp, compiled per instruction set).
namespace generic {
template <class R>
KernelTable<R> table() noexcept;
}
#if defined(QMLSIM_X86_KERNELS)
namespace avx2 {
template <class R>
KernelTable<R> table() noexcept;
}
namespace avx512 {
template <class R>
KernelTable<R> table() noexcept;
}
#endif

std::string_view isa_name(Isa isa) noexcept {
  switch (isa) {
    case Isa::Generic: return "generic";
    case Isa::Avx2: return "avx2";
    case Isa::Avx512: return "avx512";
  }
  return "unknown";
}

bool isa_supported(Isa isa) noexcept {
  switch (isa) {
    case Isa::Generic: return true;
    case Isa::Avx2:
#if defined(QMLSIM_X86_KERNELS)
      __builtin_cpu_init();
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("bmi2") &&
             __builtin_cpu_supports("popcnt");
#else
      return false;
#endif
    case Isa::Avx512:
#if defined(QMLSIM_X86_KERNELS)
      return isa_supported(Isa::Avx2) && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
             __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw");
#else
      return false;
#endif
  }
  return false;
}

Isa active_isa() noexcept {
  // Read once; the CPU does not change under a running process.
  static const Isa best = isa_supported(Isa::Avx512) ? Isa::Avx512 : isa_supported(Isa::Avx2) ? Isa::Avx2 : Isa::Generic;
  return best;
}

template <class R>
const KernelTable<R>& kernel_table(Isa isa) noexcept {
#if defined(QMLSIM_X86_KERNELS)
  static const KernelTable<R> tables[3] = {generic::table<R>(), avx2::table<R>(), avx512::table<R>()};
  return tables[static_cast<int>(isa)];
#else
  (void)isa;
  static const KernelTable<R> only = generic::table<R>();
  return only;
#endif
}

namespace {
template <class R>
const KernelTable<R>& active() noexcept {
  static const KernelTable<R>& t = kernel_table<R>(active_isa());
  return t;
}
}  // namespace

template <class R>
void apply_matrix1(R* psi, int n, Qubit t, const R* m, Index cmask, Index cval, const Parallelism& par) noexcept {
  active<R>().matrix(psi, n, &t, 1, m, cmask, cval, par);
}

template <class R>
void apply_matrix2(R* psi, int n, Qubit t0, Qubit t1, const R* m, Index cmask, Index cval,
                   const Parallelism& par) noexcept {
  const Qubit ts[2] = {t0, t1};
  active<R>().matrix(psi, n, ts, 2, m, cmask, cval, par);
}

template <class R>
void apply_matrixk(R* psi, int n, const Qubit* targets, int k, const R* m, Index cmask, Index cval,
                   const Parallelism& par) noexcept {
  active<R>().matrix(psi, n, targets, k, m, cmask, cval, par);
}

template <class R>
void apply_diagonal(R* psi, int n, const Qubit* targets, int k, const R* d, Index cmask, Index cval,
                    const Parallelism& par) noexcept {
  active<R>().diagonal(psi, n, targets, k, d, cmask, cval, par);
}

template <class R>
void apply_x(R* psi, int n, Qubit t, Index cmask, Index cval, const Parallelism& par) noexcept {
  active<R>().pauli_x(psi, n, t, cmask, cval, par);
}

template <class R>
void apply_swap(R* psi, int n, Qubit a, Qubit b, Index cmask, Index cval, const Parallelism& par) noexcept {
  active<R>().swap(psi, n, a, b, cmask, cval, par);
}

template <class R>
void apply_phase(R* psi, int n, R pr, R pi, Index cmask, Index cval, const Parallelism& par) noexcept {
  const R d[2] = {pr, pi};
  active<R>().diagonal(psi, n, nullptr, 0, d, cmask, cval, par);
}

namespace detail {
template <class R>
void reference_matrix(R* psi, int n, const Qubit* targets, int k, const R* m, Index cmask, Index cval,
                      const Parallelism& par) noexcept {
  reference::apply_matrixk(psi, n, targets, k, m, cmask, cval, par);
}
template <class R>
void reference_diagonal(R* psi, int n, const Qubit* targets, int k, const R* d, Index cmask, Index cval,
                        const Parallelism& par) noexcept {
  reference::apply_diagonal(psi, n, targets, k, d, cmask, cval, par);
}
template <class R>
void reference_x(R* psi, int n, Qubit t, Index cmask, Index cval, const Parallelism& par) noexcept {
  reference::apply_x(psi, n, t, cmask, cval, par);
}
}  // namespace detail

#define QMLSIM_INSTANTIATE_KERNELS(R)                                                                           \
  template const KernelTable<R>& kernel_table<R>(Isa) noexcept;                                                 \
  template void apply_matrix1<R>(R*, int, Qubit, const R*, Index, Index, const Parallelism&) noexcept;          \
  template void apply_matrix2<R>(R*, int, Qubit, Qubit, const R*, Index, Index, const Parallelism&) noexcept;   \
  template void apply_matrixk<R>(R*, int, const Qubit*, int, const R*, Index, Index, const Parallelism&) noexcept; \
  template void apply_diagonal<R>(R*, int, const Qubit*, int, const R*, Index, Index, const Parallelism&) noexcept; \
  template void apply_x<R>(R*, int, Qubit, Index, Index, const Parallelism&) noexcept;                          \
  template void apply_swap<R>(R*, int, Qubit, Qubit, Index, Index, const Parallelism&) noexcept;                \
  template void apply_phase<R>(R*, int, R, R, Index, Index, const Parallelism&) noexcept;                     \
  template void detail::reference_matrix<R>(R*, int, const Qubit*, int, const R*, Index, Index,               \
                                            const Parallelism&) noexcept;                                     \
  template void detail::reference_diagonal<R>(R*, int, const Qubit*, int, const R*, Index, Index,             \
                                              const Parallelism&) noexcept;                                   \
  template void detail::reference_x<R>(R*, int, Qubit, Index, Index, const Parallelism&) noexcept;
QMLSIM_INSTANTIATE_KERNELS(double)
QMLSIM_INSTANTIATE_KERNELS(float)
#undef QMLSIM_INSTANTIATE_KERNELS

}  // namespace qmlsim::kernels

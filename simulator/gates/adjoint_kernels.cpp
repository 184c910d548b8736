#include "simulator/gates/adjoint_kernels.hpp"

namespace qmlsim::kernels {

// Defined in adjoint_<isa>.cpp (adjoint_simd.hpp compiled per instruction set, in their own
// translation units so that they compile in parallel with the gate kernels). This file is compiled for the baseline CPU: the reference fallbacks below are
// instantiated here, never inlined into the wider code.
namespace generic {
template <class R>
AdjointKernelTable<R> adjoint_table() noexcept;
}
#if defined(QMLSIM_X86_KERNELS)
namespace avx2 {
template <class R>
AdjointKernelTable<R> adjoint_table() noexcept;
}
namespace avx512 {
template <class R>
AdjointKernelTable<R> adjoint_table() noexcept;
}
#endif

const AdjointKernelTable<double>& adjoint_kernel_table(Isa isa) noexcept {
#if defined(QMLSIM_X86_KERNELS)
  static const AdjointKernelTable<double> tables[3] = {generic::adjoint_table<double>(), avx2::adjoint_table<double>(),
                                                       avx512::adjoint_table<double>()};
  return tables[static_cast<int>(isa)];
#else
  (void)isa;
  static const AdjointKernelTable<double> only = generic::adjoint_table<double>();
  return only;
#endif
}

namespace {
const AdjointKernelTable<double>& active() noexcept {
  static const AdjointKernelTable<double>& t = adjoint_kernel_table(active_isa());
  return t;
}
}  // namespace

void adjoint_dense(double* psi, double* lam, int n, const Qubit* targets, int k, const double* mdag,
                   const double* const* gens, const std::uint8_t* cols, int nd, Index cmask, Index cval,
                   const Parallelism& par, double* acc) noexcept {
  if (n >= kAdjointSimdMinQubits && k <= kAdjointSimdMaxTargets) {
    active().dense(psi, lam, n, targets, k, mdag, gens, cols, nd, cmask, cval, par, acc);
  } else if (nd == 0 && k > kAdjointSimdMaxTargets) {
    // No derivative to share the pass with: the gate kernel once per vector moves the same bytes.
    const KernelTable<double>& t = kernel_table<double>(active_isa());
    t.matrix(psi, n, targets, k, mdag, cmask, cval, par);
    t.matrix(lam, n, targets, k, mdag, cmask, cval, par);
  } else {
    reference::adjoint_dense(psi, lam, n, targets, k, mdag, gens, cols, nd, cmask, cval, par, acc);
  }
}

void adjoint_diagonal(double* psi, double* lam, int n, const Qubit* targets, int k, const double* mdag,
                      const double* const* gens, int nd, Index cmask, Index cval, const Parallelism& par,
                      double* acc) noexcept {
  if (n >= kAdjointSimdMinQubits && k <= kAdjointSimdMaxTargets) {
    active().diagonal(psi, lam, n, targets, k, mdag, gens, nd, cmask, cval, par, acc);
  } else if (nd == 0) {
    const KernelTable<double>& t = kernel_table<double>(active_isa());
    t.diagonal(psi, n, targets, k, mdag, cmask, cval, par);
    t.diagonal(lam, n, targets, k, mdag, cmask, cval, par);
  } else {
    reference::adjoint_diagonal(psi, lam, n, targets, k, mdag, gens, nd, cmask, cval, par, acc);
  }
}

void adjoint_x(double* psi, double* lam, int n, Qubit t, Index cmask, Index cval, const Parallelism& par) noexcept {
  if (n >= kAdjointSimdMinQubits) {
    active().pauli_x(psi, lam, n, t, cmask, cval, par);
  } else {
    reference::adjoint_x(psi, lam, n, t, cmask, cval, par);
  }
}

void adjoint_swap(double* psi, double* lam, int n, Qubit a, Qubit b, Index cmask, Index cval,
                  const Parallelism& par) noexcept {
  if (n >= kAdjointSimdMinQubits) {
    active().swap(psi, lam, n, a, b, cmask, cval, par);
  } else {
    reference::adjoint_swap(psi, lam, n, a, b, cmask, cval, par);
  }
}

}  // namespace qmlsim::kernels

#pragma once
/// The Gram product's BLAS calls, behind one adapter: blas_adapter.cpp is the only file that
/// includes cblas.h. The BLAS is BLIS, in Debian's single-threaded build (libblis-serial-dev):
/// every call runs on the calling thread only, so BLAS threads never nest inside qmlsim's and no
/// thread pool of its own spins beside them; gram.cpp spreads the tiles over qmlsim's threads.
/// BLIS picks its kernels from the CPU's features (AVX2, AVX-512) rather than from a table of
/// model numbers, so it runs its fast kernels on CPUs newer than the library. (OpenBLAS 0.3.21,
/// Debian 12's, does not know the CPUs of this project's machines and falls back to SSE3
/// kernels unless OPENBLAS_CORETYPE is set before the process starts; its threaded build also
/// keeps worker threads spinning beside qmlsim's. Both were measured; see gram.hpp.)
#include <string>

#include "simulator/core/types.hpp"

namespace qmlsim::qml::detail {

/// c = a^H a, upper triangle only (column-major, leading dimension ldc): `a` holds `cols` columns
/// of `dim` amplitudes, contiguous. One zherk.
void blas_herk_upper(const cdouble* a, Index dim, Index cols, cdouble* c, Index ldc) noexcept;

/// c = a^H b (column-major, leading dimension ldc): a has a_cols, b has b_cols contiguous columns
/// of `dim` amplitudes. One zgemm.
void blas_gemm_adjoint(const cdouble* a, Index a_cols, const cdouble* b, Index b_cols, Index dim, cdouble* c,
                       Index ldc) noexcept;

/// "BLIS 0.9.0, skx kernels": the library and the kernel set it chose for this CPU.
[[nodiscard]] std::string blas_config();

}  // namespace qmlsim::qml::detail

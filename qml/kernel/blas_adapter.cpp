// The only file that includes cblas.h (BLIS's, single-threaded build).
#include "qml/kernel/blas_adapter.hpp"

#include <blis.h>
#include <cblas.h>

namespace qmlsim::qml::detail {
namespace {

f77_int blas_int(Index v) noexcept { return static_cast<f77_int>(v); }

}  // namespace

void blas_herk_upper(const cdouble* a, Index dim, Index cols, cdouble* c, Index ldc) noexcept {
  cblas_zherk(CblasColMajor, CblasUpper, CblasConjTrans, blas_int(cols), blas_int(dim), 1.0, a, blas_int(dim), 0.0,
              c, blas_int(ldc));
}

void blas_gemm_adjoint(const cdouble* a, Index a_cols, const cdouble* b, Index b_cols, Index dim, cdouble* c,
                       Index ldc) noexcept {
  const cdouble one{1.0, 0.0}, zero{0.0, 0.0};
  cblas_zgemm(CblasColMajor, CblasConjTrans, CblasNoTrans, blas_int(a_cols), blas_int(b_cols), blas_int(dim), &one, a,
              blas_int(dim), b, blas_int(dim), &zero, c, blas_int(ldc));
}

std::string blas_config() {
  return std::string("BLIS ") + bli_info_get_version_str() + ", " + bli_arch_string(bli_arch_query_id()) + " kernels";
}

}  // namespace qmlsim::qml::detail

// Uses the installed QML library: the fidelity kernel of a ZZ feature map has a unit diagonal and
// entries in [0, 1]. Exit status 0 iff it does.
#include <cstdio>
#include <memory>

#include "qml/encoding/feature_map.hpp"
#include "qml/kernel/quantum_kernel.hpp"

int main() {
  using namespace qmlsim::qml;
  std::shared_ptr<const FeatureMap> map = make_feature_map({"zz", {}}, 2);
  const std::unique_ptr<QuantumKernel> kernel = make_quantum_kernel({"fidelity", {}}, map);
  FeatureMatrix x(3, 2);
  x << 0.1, 0.2, 1.0, 2.0, 2.5, 0.3;
  const Eigen::MatrixXd k = kernel->gram(x);
  std::printf("K(0,1) = %.6f  K(0,2) = %.6f  K(1,2) = %.6f\n", k(0, 1), k(0, 2), k(1, 2));
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      if (k(i, j) < 0.0 || k(i, j) > 1.0 + 1e-12 || (i == j && k(i, j) != 1.0)) return 1;
  return 0;
}

// Uses the installed qmlsim: a Bell pair must give P(00) = P(11) = 1/2. Exit status 0 iff it does.
#include <cmath>
#include <cstdio>
#include <vector>

#include "simulator/execution/simulator.hpp"

int main() {
  qmlsim::Circuit bell(2);
  bell.h(0).cx(0, 1);
  const std::vector<double> p = qmlsim::Simulator{}.run(bell).probabilities();
  if (p.size() != 4) return 1;
  std::printf("P(00) = %.6f  P(01) = %.6f  P(10) = %.6f  P(11) = %.6f\n", p[0], p[1], p[2], p[3]);
  const auto near = [](double a, double b) { return std::abs(a - b) < 1e-12; };
  return near(p[0], 0.5) && near(p[1], 0.0) && near(p[2], 0.0) && near(p[3], 0.5) ? 0 : 1;
}

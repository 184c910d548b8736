#include "simulator/observables/observable.hpp"

#include <algorithm>
#include <cmath>

#include "simulator/core/bits.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim {
namespace {

constexpr int kMaxDiagonalQubits = 30;

}  // namespace

DiagonalObservable::DiagonalObservable(std::vector<Qubit> qubits, std::vector<double> values)
    : qubits_(std::move(qubits)), values_(std::move(values)) {
  check_range(qubits_.size(), 0, kMaxDiagonalQubits, "diagonal observable: number of qubits");
  for (std::size_t i = 0; i < qubits_.size(); ++i) {
    check_index(qubits_[i], kMaxQubits, "diagonal observable: qubit");
    for (std::size_t j = 0; j < i; ++j)
      if (qubits_[j] == qubits_[i])
        throw InvalidArgument("diagonal observable: qubit " + std::to_string(qubits_[i]) + " appears twice");
  }
  check_count(values_.size(), std::size_t{1} << qubits_.size(),
              [&] { return "diagonal observable on " + plural(static_cast<long long>(qubits_.size()), "qubit"); },
              "value");
  for (std::size_t o = 0; o < values_.size(); ++o)
    check_finite(values_[o], [&] { return "diagonal observable: value of outcome " + std::to_string(o); });
}

DiagonalObservable DiagonalObservable::projector(std::vector<Qubit> qubits, Index outcome) {
  check_range(qubits.size(), 0, kMaxDiagonalQubits, "projector: number of qubits");
  check_index(outcome, Index{1} << qubits.size(), "projector: outcome");
  std::vector<double> values(std::size_t{1} << qubits.size(), 0.0);
  values[outcome] = 1.0;
  return DiagonalObservable(std::move(qubits), std::move(values));
}

int DiagonalObservable::num_qubits_needed() const noexcept {
  int needed = 0;
  for (Qubit q : qubits_) needed = std::max(needed, q + 1);
  return needed;
}

std::string DiagonalObservable::to_string() const {
  std::string s = "diag(";
  for (std::size_t j = qubits_.size(); j-- > 0;) {  // appended piecewise: GCC 12 PR 105329
    s += 'q';
    s += std::to_string(qubits_[j]);
    if (j) s += ' ';
  }
  s += ":";
  for (std::size_t o = 0; o < values_.size() && o < 8; ++o) {
    s += o ? ", " : " ";
    s += format_number(values_[o]);
  }
  if (values_.size() > 8) s += ", ...";
  return s + ")";
}

int num_qubits_needed(const Observable& observable) noexcept {
  return std::visit([](const auto& h) { return h.num_qubits_needed(); }, observable);
}

std::string to_string(const Observable& observable) {
  return std::visit([](const auto& h) { return h.to_string(); }, observable);
}

void check_observable(const Observable& observable, int num_qubits) {
  check_observable_fits(num_qubits_needed(observable), num_qubits);
}

template <class R>
double expectation(const DiagonalObservable& observable, const StateVector<R>& state, const Parallelism& par) {
  check_observable(observable, state.num_qubits());
  const auto* psi = reinterpret_cast<const R*>(state.data());
  const Qubit* qs = observable.qubits().data();
  const int k = static_cast<int>(observable.qubits().size());
  const double* values = observable.values().data();
  return parallel_sum(state.size(), par, [&](Index b, Index e) noexcept {
    double s = 0.0;
    for (Index i = b; i < e; ++i) {
      const double re = psi[2 * i], im = psi[2 * i + 1];
      s += values[extract_bits(i, qs, k)] * (re * re + im * im);
    }
    return s;
  });
}

template <class R>
double expectation(const Observable& observable, const StateVector<R>& state, const Parallelism& par) {
  return std::visit([&](const auto& h) { return expectation(h, state, par); }, observable);
}

template <class R>
void apply_weighted(std::span<const Observable> observables, std::span<const double> weights,
                    const StateVector<R>& in, StateVector<R>& out, const Parallelism& par) {
  check_count(weights.size(), observables.size(), "apply_weighted", "weight");
  if (&in == &out) throw InvalidArgument("apply_weighted: the output must be another state");
  if (in.num_qubits() != out.num_qubits())
    throw InvalidArgument("apply_weighted: states of " + std::to_string(in.num_qubits()) + " and " +
                          std::to_string(out.num_qubits()) + " qubits");
  for (std::size_t j = 0; j < observables.size(); ++j) {
    check_observable(observables[j], in.num_qubits());
    check_finite(weights[j], [&] { return "apply_weighted: weight " + std::to_string(j); });
  }
  // The Pauli sums combine into one sum (one pass per distinct x mask); it writes `out`.
  PauliSum combined;
  bool any_pauli = false;
  for (std::size_t j = 0; j < observables.size(); ++j)
    if (const auto* p = std::get_if<PauliSum>(&observables[j])) {
      combined += weights[j] * *p;
      any_pauli = true;
    }
  R* o = reinterpret_cast<R*>(out.data());
  const R* psi = reinterpret_cast<const R*>(in.data());
  if (any_pauli) {
    apply(combined, in, out, par);
  } else {
    parallel_for(in.size(), kBlock, par, [&](Index b, Index e) noexcept {
      std::fill(o + 2 * b, o + 2 * e, R(0));
    });
  }
  for (std::size_t j = 0; j < observables.size(); ++j) {
    const auto* d = std::get_if<DiagonalObservable>(&observables[j]);
    if (!d || weights[j] == 0.0) continue;
    const Qubit* qs = d->qubits().data();
    const int k = static_cast<int>(d->qubits().size());
    const double* values = d->values().data();
    const double w = weights[j];
    parallel_for(in.size(), kBlock, par, [&](Index b, Index e) noexcept {
      for (Index i = b; i < e; ++i) {
        const auto f = static_cast<R>(w * values[extract_bits(i, qs, k)]);
        o[2 * i] += f * psi[2 * i];
        o[2 * i + 1] += f * psi[2 * i + 1];
      }
    });
  }
}

#define QMLSIM_INSTANTIATE(R)                                                                        \
  template double expectation<R>(const DiagonalObservable&, const StateVector<R>&, const Parallelism&);  \
  template double expectation<R>(const Observable&, const StateVector<R>&, const Parallelism&);          \
  template void apply_weighted<R>(std::span<const Observable>, std::span<const double>,                 \
                                  const StateVector<R>&, StateVector<R>&, const Parallelism&);
QMLSIM_INSTANTIATE(double)
QMLSIM_INSTANTIATE(float)
#undef QMLSIM_INSTANTIATE

}  // namespace qmlsim

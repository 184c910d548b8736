#pragma once
/// Data sets by name: the built-in tables shipped in the repository (iris, wine, breast_cancer,
/// compiled into the binary; attribution in qml/data/builtin/README.md) and the seeded generators
/// (moons, circles, xor, blobs, ad_hoc, and the five families of Bowles, Ahmed and Schuld 2024:
/// linearly-separable, hidden-manifold, two-curves, bars-and-stripes, hyperplanes-parity).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "qml/data/dataset.hpp"

namespace qmlsim::qml {

/// Options of a generator, "NAME:key=value,..." on the command line (e.g.
/// "moons:samples=200,noise=0.1", "ad_hoc:training_size=20,test_size=5,gap=0.3,features=2").
/// Options may also be written in `name` after a ':' (a key in both is an error). Generators and
/// their options (defaults), as synthetic.hpp defines them:
///   moons    samples (200), noise (0.1)
///   circles  samples (200), noise (0.05), factor (0.5)
///   xor      samples (200), noise (0.1)
///   blobs    samples (200), features (2), centers (2), cluster_std (1)
///   ad_hoc   training_size (20), test_size (5) per class, features (2 or 3; 2), gap (0.3)
/// and, as benchmark_families.hpp defines them (classes "-1" and "1"; the study's settings in
/// brackets where the defaults differ):
///   linearly-separable  samples (300), features (4), margin (0.02 features)
///   hidden-manifold     samples (300), features (6), manifold_dimension (2) [6]
///   two-curves          samples (300), features (4), degree (5), offset (0.1), noise (0.01)
///   bars-and-stripes    samples (300) [1200], height (4), width (4), noise (0.5)
///   hyperplanes-parity  samples (300), features (4) [10], hyperplanes (3) [2..20],
///                       dim_hyperplanes (3)
/// Real values may be multiples of pi ("gap=pi/10"). The tables take no options; their classes
/// are scikit-learn's target_names (iris setosa, versicolor, virginica; wine class_0..class_2;
/// breast_cancer malignant (0), benign (1)).
struct DatasetRequest {
  std::string name;
  std::map<std::string, std::string> options;
  std::uint64_t seed = 1;
};

/// A named data set. Generators that define their own split (ad_hoc: training_size and
/// test_size per class, as Qiskit ML's ad_hoc_data) fill `test`; the others leave it unset and
/// the caller splits.
struct NamedDataset {
  Dataset data;                 ///< all rows (ad_hoc: the training rows)
  std::optional<Dataset> test;  ///< a split the generator defines itself
  std::string description;      ///< "iris (150 samples, 4 features, 3 classes; UCI, CC BY 4.0)"
};

/// True when `name` (before any ':') is a built-in table or generator.
[[nodiscard]] bool is_builtin_dataset(const std::string& name);
/// Names in the order `--help` lists them.
[[nodiscard]] std::vector<std::string> builtin_dataset_names();
/// Throws InvalidArgument naming the known data sets or the bad option and its valid values.
[[nodiscard]] NamedDataset load_builtin(const DatasetRequest& request);

}  // namespace qmlsim::qml

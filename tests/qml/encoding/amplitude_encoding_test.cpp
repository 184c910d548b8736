// amplitude (PennyLane AmplitudeEmbedding): the state is the padded, normalised sample, feature j
// at basis index j.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "qml/encoding/feature_map.hpp"
#include "tests/qml/encoding/encoding_testing.hpp"
#include "tests/support/error_message.hpp"

namespace qmlsim::qml {
namespace {

using qmlsim::testing::invalid_argument_of;
using ::testing::HasSubstr;
using testing::max_diff;

std::vector<cdouble> encoded(const FeatureMap& map, const std::vector<double>& x) {
  std::vector<cdouble> psi(std::size_t{1} << map.num_qubits());
  map.encode(x, psi);
  return psi;
}

TEST(AmplitudeEmbeddingTest, PadsToAPowerOfTwoAndNormalises) {
  const auto map = make_feature_map({"amplitude", {}}, 3);
  EXPECT_EQ(map->num_qubits(), 2);
  EXPECT_EQ(map->num_features(), 3);
  EXPECT_EQ(map->circuit(), nullptr);
  const std::vector<cdouble> expected{2.0 / 3, -1.0 / 3, 2.0 / 3, 0.0};
  EXPECT_LT(max_diff(encoded(*map, {2.0, -1.0, 2.0}), expected), 1e-15);
}

// Entries near the top of the double range overflow the squared norm; the state is still the
// normalised vector (it was all zeros, and the Gram matrix an identity, before).
TEST(AmplitudeEmbeddingTest, HugeEntriesAreNormalisedWithoutOverflow) {
  const auto map = make_feature_map({"amplitude", {{"pad", "1e200"}}}, 3);
  const std::vector<cdouble> expected{2.0 / 3, -1.0 / 3, 2.0 / 3, 0.0};
  const double r = std::sqrt(10.0);
  const std::vector<cdouble> padded{2.0 / r, -1.0 / r, 2.0 / r, 1.0 / r};
  EXPECT_LT(max_diff(encoded(*map, {2e200, -1e200, 2e200}), padded), 1e-15);
  const auto plain = make_feature_map({"amplitude", {}}, 3);
  EXPECT_LT(max_diff(encoded(*plain, {2e300, -1e300, 2e300}), expected), 1e-15);
}

TEST(AmplitudeEmbeddingTest, QubitCountsFromOneToFourFeaturesAndMore) {
  const std::vector<std::pair<int, int>> cases{{1, 1}, {2, 1}, {3, 2}, {4, 2}, {5, 3}, {8, 3}, {9, 4}, {16, 4}};
  for (const auto& [features, qubits] : cases) {
    const auto map = make_feature_map({"amplitude", {}}, features);
    EXPECT_EQ(map->num_qubits(), qubits) << features;
    std::vector<double> x(static_cast<std::size_t>(features));
    double norm2 = 0.0;
    for (int j = 0; j < features; ++j) norm2 += (x[j] = 0.5 + j) * (0.5 + j);
    std::vector<cdouble> expected(std::size_t{1} << qubits);
    for (int j = 0; j < features; ++j) expected[j] = x[j] / std::sqrt(norm2);
    EXPECT_LT(max_diff(encoded(*map, x), expected), 1e-15) << features;
  }
}

TEST(AmplitudeEmbeddingTest, PadValueAndMoreQubits) {
  // PennyLane pads before normalising: (1, 2, 3) padded with 1 to 8 entries has norm sqrt(19).
  const auto map = make_feature_map({"amplitude", {{"qubits", "3"}, {"pad", "1"}}}, 3);
  EXPECT_EQ(map->num_qubits(), 3);
  std::vector<cdouble> expected{1, 2, 3, 1, 1, 1, 1, 1};
  for (auto& a : expected) a /= std::sqrt(19.0);
  EXPECT_LT(max_diff(encoded(*map, {1, 2, 3}), expected), 1e-15);
  EXPECT_EQ(map->spec().text(), "amplitude:qubits=3,pad=1,normalize=true");
  EXPECT_EQ(map->description(), "AmplitudeEmbedding (PennyLane): 3 features in 3 qubits, pad 1, normalize true");
  // A nonzero pad makes an all-zero sample encodable.
  EXPECT_NO_THROW((void)encoded(*map, {0, 0, 0}));
}

TEST(AmplitudeEmbeddingTest, WithoutNormaliseTheSampleMustHaveUnitNorm) {
  const auto map = make_feature_map({"amplitude", {{"normalize", "false"}}}, 2);
  EXPECT_LT(max_diff(encoded(*map, {0.6, -0.8}), std::vector<cdouble>{0.6, -0.8}), 1e-16);
  EXPECT_EQ(invalid_argument_of([&] { (void)encoded(*map, {0.6, 0.6}); }),
            "feature map amplitude: the sample (0.6, 0.6) has norm 0.848528137423857, not 1 (use normalize=true)");
  EXPECT_EQ(map->spec().text(), "amplitude:pad=0,normalize=false");
}

TEST(AmplitudeEmbeddingTest, AllZeroSampleIsRefusedByName) {
  const auto map = make_feature_map({"amplitude", {}}, 3);
  EXPECT_EQ(invalid_argument_of([&] { (void)encoded(*map, {0, 0, 0}); }),
            "feature map amplitude: the sample (0, 0, 0) is all zeros and cannot be normalised");
}

TEST(AmplitudeEmbeddingTest, OptionErrors) {
  EXPECT_EQ(invalid_argument_of([] { (void)make_feature_map({"amplitude", {{"qubits", "1"}}}, 3); }),
            "feature map amplitude: qubits=1 gives 2 amplitudes but the data has 3 features (at least 2 qubits needed)");
  EXPECT_EQ(invalid_argument_of([] { (void)make_feature_map({"amplitude", {{"normalize", "yes"}}}, 3); }),
            "feature map amplitude: normalize must be one of true, false, got 'yes'");
  EXPECT_THAT(invalid_argument_of([] { (void)make_feature_map({"amplitude", {{"pad", "abc"}}}, 3); }),
              HasSubstr("feature map amplitude: pad: 'abc' is not a number"));
}

TEST(AmplitudeEmbeddingTest, SampleChecks) {
  const auto map = make_feature_map({"amplitude", {}}, 3);
  std::vector<cdouble> psi(4);
  EXPECT_EQ(invalid_argument_of([&] { map->encode(std::vector<double>{1, 2}, psi); }),
            "feature map amplitude: expects 3 features, got 2");
  EXPECT_EQ(invalid_argument_of([&] { map->encode(std::vector<double>{1, NAN, 2}, psi); }),
            "feature map amplitude: feature x1 = nan is not finite");
  std::vector<cdouble> small(2);
  EXPECT_EQ(invalid_argument_of([&] { map->encode(std::vector<double>{1, 2, 3}, small); }),
            "feature map amplitude: the state has 2 amplitudes, expected 4 (2 qubits)");
}

}  // namespace
}  // namespace qmlsim::qml

// ComponentSpec parsing ("NAME[:key=value,...]" and circuit files), angle values (numbers and
// multiples of pi), and ComponentOptions' typed reads and unknown-key check, with their messages.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <numbers>
#include <string>

#include "qml/encoding/component_spec.hpp"
#include "tests/support/error_message.hpp"

namespace qmlsim::qml {
namespace {

using qmlsim::testing::invalid_argument_of;
using ::testing::HasSubstr;

constexpr double kPiValue = std::numbers::pi;

TEST(ParseComponentSpecTest, NameAlone) {
  EXPECT_EQ(parse_component_spec("zz"), (ComponentSpec{"zz", {}}));
  EXPECT_EQ(parse_component_spec("  iqp \t"), (ComponentSpec{"iqp", {}}));
}

TEST(ParseComponentSpecTest, OptionsKeepTheirOrderAndLoseSurroundingBlanks) {
  EXPECT_EQ(parse_component_spec("zz:reps=2,entanglement=linear"),
            (ComponentSpec{"zz", {{"reps", "2"}, {"entanglement", "linear"}}}));
  EXPECT_EQ(parse_component_spec(" zz : entanglement = linear , reps=2 "),
            (ComponentSpec{"zz", {{"entanglement", "linear"}, {"reps", "2"}}}));
  EXPECT_EQ(parse_component_spec("zz:alpha=pi/2"), (ComponentSpec{"zz", {{"alpha", "pi/2"}}}));
  EXPECT_EQ(parse_component_spec("m:k=a=b,e="), (ComponentSpec{"m", {{"k", "a=b"}, {"e", ""}}}));
}

TEST(ParseComponentSpecTest, FilesArePaths) {
  EXPECT_EQ(parse_component_spec("circuits/my_map.qasm"), (ComponentSpec{"file", {{"path", "circuits/my_map.qasm"}}}));
  EXPECT_EQ(parse_component_spec("my_map.qasm"), (ComponentSpec{"file", {{"path", "my_map.qasm"}}}));
  EXPECT_EQ(parse_component_spec("/abs/dir/map"), (ComponentSpec{"file", {{"path", "/abs/dir/map"}}}));
  EXPECT_EQ(parse_component_spec("maps/m.qasm:qubits=3"),
            (ComponentSpec{"file", {{"path", "maps/m.qasm"}, {"qubits", "3"}}}));
}

TEST(ParseComponentSpecTest, TextRoundTrips) {
  for (const char* text : {"zz", "zz:reps=2,entanglement=linear", "pauli:paulis=X+YY,alpha=pi/2"}) {
    const ComponentSpec spec = parse_component_spec(text);
    EXPECT_EQ(spec.text(), text);
    EXPECT_EQ(parse_component_spec(spec.text()), spec);
  }
}

TEST(ParseComponentSpecTest, ErrorsNameTheTextAndTheProblem) {
  auto message = [](const char* text) {
    return invalid_argument_of([&] { (void)parse_component_spec(text, "feature map"); });
  };
  EXPECT_EQ(message(""), "feature map: empty specification");
  EXPECT_EQ(message("   "), "feature map: empty specification");
  EXPECT_EQ(message(":reps=2"), "feature map ':reps=2': missing name before ':'");
  EXPECT_EQ(message("zz:"), "feature map 'zz:': expected key=value after ':'");
  EXPECT_EQ(message("zz:reps"), "feature map 'zz:reps': option 'reps' is not key=value");
  EXPECT_EQ(message("zz:reps=2,"), "feature map 'zz:reps=2,': option '' is not key=value");
  EXPECT_EQ(message("zz:=2"), "feature map 'zz:=2': empty option name");
  EXPECT_EQ(message("zz:reps=2,reps=3"), "feature map 'zz:reps=2,reps=3': option 'reps' given twice");
  EXPECT_EQ(message("a/m.qasm:path=b"), "feature map 'a/m.qasm:path=b': option 'path' given twice");
  EXPECT_EQ(invalid_argument_of([] { (void)parse_component_spec(""); }), "component: empty specification");
}

TEST(ComponentSpecTest, GetAndSet) {
  ComponentSpec spec{"zz", {{"reps", "2"}}};
  EXPECT_EQ(spec.get("reps"), "2");
  EXPECT_EQ(spec.get("alpha"), std::nullopt);
  spec.set("alpha", "1");
  spec.set("reps", "3");
  EXPECT_EQ(spec.text(), "zz:reps=3,alpha=1");
}

TEST(ParseAngleValueTest, NumbersAndMultiplesOfPi) {
  EXPECT_EQ(parse_angle_value("1.5", "v"), 1.5);
  EXPECT_EQ(parse_angle_value("-2e-3", "v"), -2e-3);
  EXPECT_EQ(parse_angle_value("0", "v"), 0.0);
  EXPECT_EQ(parse_angle_value("pi", "v"), kPiValue);
  EXPECT_EQ(parse_angle_value("+pi", "v"), kPiValue);
  EXPECT_EQ(parse_angle_value("-pi/2", "v"), -kPiValue / 2);
  EXPECT_EQ(parse_angle_value("2pi", "v"), 2 * kPiValue);
  EXPECT_EQ(parse_angle_value("2*pi", "v"), 2 * kPiValue);
  EXPECT_EQ(parse_angle_value("2 * pi", "v"), 2 * kPiValue);
  EXPECT_EQ(parse_angle_value("0.5*pi", "v"), 0.5 * kPiValue);
  EXPECT_EQ(parse_angle_value("0.25*pi", "v"), 0.25 * kPiValue);
  EXPECT_EQ(parse_angle_value("3pi/4", "v"), 3 * kPiValue / 4);
  EXPECT_EQ(parse_angle_value(" -pi / 4 ", "v"), -kPiValue / 4);
}

TEST(ParseAngleValueTest, BadTextIsRefusedWithExamples) {
  EXPECT_EQ(invalid_argument_of([] { (void)parse_angle_value("abc", "minmax: low"); }),
            "minmax: low: 'abc' is not a number or a multiple of pi (e.g. 1.5, pi, -pi/2, 2pi, 0.5*pi)");
  for (const char* bad : {"", "p", "pi/", "pi/0", "pi2", "--pi", "2pi/-4", "*pi", "nan", "inf", "1e999", "pipi", "x*pi",
                          "1.5.2", "pi/2/2"})
    EXPECT_THAT(invalid_argument_of([&] { (void)parse_angle_value(bad, "v"); }),
                HasSubstr("is not a number or a multiple of pi"))
        << "'" << bad << "'";
}

TEST(ComponentOptionsTest, TypedReadsWithFallbacks) {
  const ComponentSpec spec = parse_component_spec("m:n=4,r=-pi/2,c=b,t=free text,f=false");
  ComponentOptions o(spec, "thing m");
  EXPECT_EQ(o.integer("n", 1, 1, 10), 4);
  EXPECT_EQ(o.integer("missing", 7, 1, 10), 7);
  EXPECT_EQ(o.real("r", 0.0), -kPiValue / 2);
  EXPECT_EQ(o.real("absent", 2.5), 2.5);
  EXPECT_EQ(o.choice("c", "a", {"a", "b"}), "b");
  EXPECT_EQ(o.text("t", ""), "free text");
  EXPECT_FALSE(o.flag("f", true));
  EXPECT_TRUE(o.flag("g", true));
  EXPECT_TRUE(o.has("n"));
  EXPECT_FALSE(o.has("missing"));
  EXPECT_NO_THROW(o.finish());
}

TEST(ComponentOptionsTest, BadValuesNameTheKeyAndTheValidValues) {
  const ComponentSpec spec = parse_component_spec("m:n=0,k=2.5,c=z,f=yes,r=two");
  ComponentOptions o(spec, "thing m");
  EXPECT_EQ(invalid_argument_of([&] { (void)o.integer("n", 1, 1, 10); }),
            "thing m: n must be an integer in [1, 10], got '0'");
  EXPECT_EQ(invalid_argument_of([&] { (void)o.integer("k", 1, 1, 10); }),
            "thing m: k must be an integer in [1, 10], got '2.5'");
  EXPECT_EQ(invalid_argument_of([&] { (void)o.choice("c", "a", {"a", "b"}); }), "thing m: c must be one of a, b, got 'z'");
  EXPECT_EQ(invalid_argument_of([&] { (void)o.flag("f", true); }), "thing m: f must be one of true, false, got 'yes'");
  EXPECT_THAT(invalid_argument_of([&] { (void)o.real("r", 1.0); }),
              HasSubstr("thing m: r: 'two' is not a number or a multiple of pi"));
}

TEST(ComponentOptionsTest, FinishRefusesKeysNobodyAskedFor) {
  const ComponentSpec spec = parse_component_spec("zz:reps=2,rep=3");
  ComponentOptions o(spec, "feature map zz");
  (void)o.integer("reps", 2, 1, 100);
  (void)o.integer("reps", 2, 1, 100);  // read twice: listed once
  (void)o.real("alpha", 2.0);
  EXPECT_EQ(invalid_argument_of([&] { o.finish(); }), "feature map zz: unknown option 'rep' (valid: reps, alpha)");
  const ComponentSpec none = parse_component_spec("plain:x=1");
  EXPECT_EQ(invalid_argument_of([&] { ComponentOptions(none, "model plain").finish(); }),
            "model plain: unknown option 'x' (it takes none)");
}

TEST(ComponentOptionsTest, OutlivesATemporarySpec) {
  ComponentOptions o(parse_component_spec("m:n=3"), "thing m");
  EXPECT_EQ(o.integer("n", 1, 1, 10), 3);
}

}  // namespace
}  // namespace qmlsim::qml

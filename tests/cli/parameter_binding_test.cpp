#include "cli/parameter_binding.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "cli/options.hpp"
#include "simulator/core/errors.hpp"

namespace qmlsim::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

// A temporary file with the given contents, removed when it goes out of scope.
class TempFile {
 public:
  explicit TempFile(const std::string& contents) {
    std::string pattern = (std::filesystem::temp_directory_path() / "qmlsim_params_XXXXXX").string();
    const int fd = mkstemp(pattern.data());
    if (fd < 0) throw std::runtime_error("mkstemp failed");
    close(fd);
    path_ = pattern;
    std::ofstream(path_, std::ios::binary) << contents;
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() { std::remove(path_.c_str()); }
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
};

template <class E, class F>
std::string message_of(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  return "<no exception>";
}

TEST(ParameterBindingTest, ParsesNameEqualsValue) {
  const auto a = parse_param_assignment("theta0=0.5");
  EXPECT_EQ(a.name, "theta0");
  EXPECT_EQ(a.value, 0.5);
  EXPECT_EQ(a.source, "--param theta0=0.5");
  EXPECT_EQ(parse_param_assignment("x=-2.5e-1").value, -0.25);
  EXPECT_EQ(parse_param_assignment("x=+3").value, 3.0);
  EXPECT_EQ(parse_param_assignment("x=0.1").value, 0.1);  // exactly the double nearest 0.1
}

TEST(ParameterBindingTest, MalformedAssignmentsAreUsageErrors) {
  const auto bad = [](const std::string& text) {
    return message_of<UsageError>([&] { (void)parse_param_assignment(text); });
  };
  EXPECT_EQ(bad("theta"), "invalid value 'theta' for --param: expected NAME=VALUE");
  EXPECT_EQ(bad("=1"), "invalid value '=1' for --param: missing the input name before '='");
  EXPECT_EQ(bad("x=abc"), "invalid value 'x=abc' for --param: 'abc' is not a finite number");
  for (const char* text : {"x=", "x=1.5y", "x=inf", "x=nan", "x= 1", "x=1e999", "x=0x10"})
    EXPECT_THAT(bad(text), HasSubstr("is not a finite number")) << text;
}

TEST(ParameterBindingTest, ReadsAJsonObjectInFileOrder) {
  const TempFile f(R"({"theta1": -2.5, "theta0": 0.1, "n": 3})");
  const auto values = read_params_file(f.path());
  ASSERT_EQ(values.size(), 3U);
  EXPECT_EQ(values[0].name, "theta1");
  EXPECT_EQ(values[0].value, -2.5);
  EXPECT_EQ(values[1].value, 0.1);
  EXPECT_EQ(values[2].value, 3.0);  // integers are numbers too
  EXPECT_EQ(values[0].source, f.path());
  EXPECT_TRUE(read_params_file(TempFile("{}").path()).empty());
}

TEST(ParameterBindingTest, BadJsonFilesNameTheFileAndKey) {
  const auto bad = [](const std::string& contents) {
    const TempFile f(contents);
    const std::string message = message_of<InvalidArgument>([&] { (void)read_params_file(f.path()); });
    EXPECT_THAT(message, HasSubstr(f.path() + ": ")) << contents;
    return message;
  };
  EXPECT_THAT(bad(R"({"x0": 0.1,})"), HasSubstr("invalid JSON: parse error at line 1"));
  EXPECT_THAT(bad(R"({"x0": 0.1,})"), Not(HasSubstr("[json.exception")));
  EXPECT_THAT(bad(""), HasSubstr("invalid JSON"));
  EXPECT_THAT(bad("[0.1, 0.2]"), HasSubstr("expected a JSON object mapping input names to numbers, got array"));
  EXPECT_THAT(bad(R"({"x0": "0.1"})"), HasSubstr("key 'x0': expected a number, got string"));
  EXPECT_THAT(bad(R"({"x0": 1, "x1": true})"), HasSubstr("key 'x1': expected a number, got boolean true"));
  EXPECT_THAT(bad(R"({"x0": null})"), HasSubstr("key 'x0': expected a number, got null"));
  EXPECT_THAT(bad(R"({"x0": [1]})"), HasSubstr("key 'x0': expected a number, got array"));
  EXPECT_THAT(message_of<InvalidArgument>([] { (void)read_params_file("/nonexistent/p.json"); }),
              HasSubstr("/nonexistent/p.json: cannot open"));
}

TEST(ParameterBindingTest, BindsInDeclarationOrderLaterAssignmentsWinning) {
  const std::vector<std::string> names = {"x0", "x1", "x2"};
  const std::vector<ParameterAssignment> a = {
      {"x2", 3.0, "p.json"}, {"x0", 1.0, "p.json"}, {"x1", 2.0, "p.json"}, {"x0", -1.0, "--param x0=-1"}};
  EXPECT_THAT(bind_parameters(names, a, "c.qasm"), ElementsAre(-1.0, 2.0, 3.0));
  EXPECT_TRUE(bind_parameters({}, {}, "c.qasm").empty());
}

TEST(ParameterBindingTest, UnknownNameListsTheInputsWithASuggestion) {
  const std::vector<std::string> names = {"theta0", "theta1"};
  const std::vector<ParameterAssignment> a = {{"thta0", 1.0, "--param thta0=1"}};
  EXPECT_EQ(message_of<InvalidArgument>([&] { (void)bind_parameters(names, a, "c.qasm"); }),
            "--param thta0=1: unknown input 'thta0' (did you mean 'theta0'?); the inputs of c.qasm are: "
            "theta0, theta1");
  const std::vector<ParameterAssignment> far = {{"alpha", 1.0, "p.json"}};
  EXPECT_EQ(message_of<InvalidArgument>([&] { (void)bind_parameters(names, far, "c.qasm"); }),
            "p.json: unknown input 'alpha'; the inputs of c.qasm are: theta0, theta1");
  EXPECT_EQ(message_of<InvalidArgument>([&] { (void)bind_parameters({}, far, "bell.qasm"); }),
            "p.json: unknown input 'alpha'; bell.qasm declares no inputs");
}

TEST(ParameterBindingTest, MissingValuesAreAllListed) {
  const std::vector<std::string> names = {"a", "b", "c", "d"};
  const std::vector<ParameterAssignment> a = {{"b", 1.0, "p.json"}};
  EXPECT_EQ(message_of<InvalidArgument>([&] { (void)bind_parameters(names, a, "c.qasm"); }),
            "c.qasm: 3 inputs have no value: a, c, d; give values with --param NAME=VALUE or --params FILE.json");
  EXPECT_THAT(message_of<InvalidArgument>([&] { (void)bind_parameters({"x"}, {}, "c.qasm"); }),
              HasSubstr("c.qasm: 1 input has no value: x;"));
}

TEST(ParameterBindingTest, EditDistanceAndSuggestions) {
  EXPECT_EQ(edit_distance("", ""), 0U);
  EXPECT_EQ(edit_distance("abc", ""), 3U);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3U);
  EXPECT_EQ(edit_distance("theta0", "thta0"), 1U);
  EXPECT_EQ(edit_distance("x0", "x1"), 1U);
  EXPECT_EQ(closest_name("thta0", {"theta0", "theta1"}), "theta0");
  EXPECT_EQ(closest_name("theta9", {"theta0", "theta1"}), "theta0");  // ties: the first
  EXPECT_EQ(closest_name("x", {"x0"}), "x0");
  EXPECT_EQ(closest_name("b", {"a"}), std::nullopt);  // one letter for another is no hint
  EXPECT_EQ(closest_name("gamma", {"theta0", "x"}), std::nullopt);
}

}  // namespace
}  // namespace qmlsim::cli

#include "cli/options.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

namespace qmlsim::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// The UsageError message for `f()`, or "" when it does not throw one.
template <class F>
std::string usage_error(F&& f) {
  try {
    f();
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

TEST(OptionsTest, RangeAcceptsSingleValuesRangesAndLists) {
  EXPECT_THAT(parse_int_range("10:20:2", "--qubits", 1, 40), ElementsAre(10, 12, 14, 16, 18, 20));
  EXPECT_THAT(parse_int_range("20,24", "--qubits", 1, 40), ElementsAre(20, 24));
  EXPECT_THAT(parse_int_range("12", "--qubits", 1, 40), ElementsAre(12));
  EXPECT_THAT(parse_int_range("5:7", "--qubits", 1, 40), ElementsAre(5, 6, 7));
  EXPECT_THAT(parse_int_range("3:8:2", "--qubits", 1, 40), ElementsAre(3, 5, 7));  // stop not on the grid
  EXPECT_THAT(parse_int_range("4:8:2,12,2:3", "--qubits", 1, 40), ElementsAre(4, 6, 8, 12, 2, 3));
  EXPECT_THAT(parse_int_range("40:40", "--qubits", 1, 40), ElementsAre(40));
}

TEST(OptionsTest, RangeErrorsNameTheOptionAndTheValue) {
  const auto bad = [](const std::string& text) {
    return usage_error([&] { (void)parse_int_range(text, "--qubits", 1, 40); });
  };
  EXPECT_EQ(bad("6:4"), "invalid value '6:4' for --qubits: stop 4 is below start 6");
  EXPECT_EQ(bad("1:5:0"), "invalid value '1:5:0' for --qubits: step 0 must be positive");
  EXPECT_EQ(bad("0:3"), "invalid value '0:3' for --qubits: values must lie in [1, 40]");
  EXPECT_EQ(bad("30:41"), "invalid value '30:41' for --qubits: values must lie in [1, 40]");
  EXPECT_EQ(bad("x"), "invalid value 'x' for --qubits: 'x' is not an integer");
  for (const char* text : {"", "1,,2", "1:", ":3", "1:2:3:4", "1:2:-1", "4,", " 4", "4 ", "+4", "1e1"})
    EXPECT_THAT(bad(text), HasSubstr(std::string("invalid value '") + text + "' for --qubits")) << text;
}

TEST(OptionsTest, RealsAreWholeFiniteDecimalWordsInRange) {
  EXPECT_EQ(parse_positive("1e-5", "--fd-step"), 1e-5);
  EXPECT_EQ(parse_positive("0", "--epsilon", true), 0.0);
  EXPECT_EQ(parse_fraction("0.3", "--test-size"), 0.3);
  EXPECT_EQ(usage_error([] { (void)parse_positive("0", "--C"); }),
            "invalid value '0' for --C: expected a positive number");
  EXPECT_EQ(usage_error([] { (void)parse_positive("-1", "--epsilon", true); }),
            "invalid value '-1' for --epsilon: expected a non-negative number");
  for (const char* bad : {"", "1x", " 1", "+1", "nan", "inf", "1e999"})
    EXPECT_THAT(usage_error([&] { (void)parse_positive(bad, "--gamma"); }), HasSubstr("--gamma")) << bad;
  for (const char* bad : {"0", "1", "1.5", "-0.2", "0.3x"})
    EXPECT_EQ(usage_error([&] { (void)parse_fraction(bad, "--test-size"); }),
              "invalid value '" + std::string(bad) + "' for --test-size: expected a fraction in (0, 1), e.g. 0.3")
        << bad;
}

TEST(OptionsTest, ListParsesCommaSeparatedIntegers) {
  EXPECT_THAT(parse_int_list("1,2", "--threads", 0, 8), ElementsAre(1, 2));
  EXPECT_THAT(parse_int_list("0", "--threads", 0, 8), ElementsAre(0));
  EXPECT_THAT(parse_thread_list("4,1,2"), ElementsAre(4, 1, 2));
  EXPECT_EQ(usage_error([] { (void)parse_int_list("1,x", "--threads", 0, 8); }),
            "invalid value '1,x' for --threads: 'x' is not an integer");
  EXPECT_EQ(usage_error([] { (void)parse_int_list("1,9", "--threads", 0, 8); }),
            "invalid value '1,9' for --threads: values must lie in [0, 8]");
  EXPECT_THAT(usage_error([] { (void)parse_thread_list("1:2"); }), HasSubstr("--threads"));
  EXPECT_THAT(usage_error([] { (void)parse_thread_list("-1"); }), HasSubstr("'-1'"));
  EXPECT_THAT(usage_error([] { (void)parse_thread_list(""); }), HasSubstr("--threads"));
}

TEST(OptionsTest, IntegersAreWholeDecimalWordsInRange) {
  EXPECT_EQ(parse_integer("42", "--depth"), 42);
  EXPECT_EQ(parse_integer("-42", "--x"), -42);
  EXPECT_EQ(parse_integer("7", "--depth", 0, 7), 7);
  EXPECT_EQ(usage_error([] { (void)parse_integer("8", "--depth", 0, 7); }),
            "invalid value '8' for --depth: must be in [0, 7]");
  EXPECT_EQ(usage_error([] { (void)parse_integer("abc", "--depth"); }),
            "invalid value 'abc' for --depth: expected an integer");
  for (const char* text : {"", " 1", "1 ", "+1", "1.0", "0x10", "99999999999999999999"})
    EXPECT_NE(usage_error([&] { (void)parse_integer(text, "--depth"); }), "") << text;
}

TEST(OptionsTest, UnsignedCoversTheWholeRangeAndRejectsSigns) {
  EXPECT_EQ(parse_seed("0"), 0U);
  EXPECT_EQ(parse_seed("18446744073709551615"), 18446744073709551615ULL);
  EXPECT_EQ(usage_error([] { (void)parse_seed("18446744073709551616"); }),
            "invalid value '18446744073709551616' for --seed: expected a non-negative integer");
  EXPECT_EQ(usage_error([] { (void)parse_seed("-1"); }),
            "invalid value '-1' for --seed: expected a non-negative integer");
  EXPECT_EQ(usage_error([] { (void)parse_unsigned("0", "--shots", 1); }),
            "invalid value '0' for --shots: must be in [1, 18446744073709551615]");
}

TEST(OptionsTest, FormatAndPrecisionAcceptTheirNames) {
  EXPECT_EQ(parse_format("table"), Format::Table);
  EXPECT_EQ(parse_format("csv"), Format::Csv);
  EXPECT_EQ(parse_format("json"), Format::Json);
  EXPECT_EQ(usage_error([] { (void)parse_format("xml"); }),
            "invalid value 'xml' for --format: expected table, csv or json");
  EXPECT_EQ(usage_error([] { (void)parse_format("JSON"); }),
            "invalid value 'JSON' for --format: expected table, csv or json");
  EXPECT_EQ(parse_precision("double"), Precision::Double);
  EXPECT_EQ(parse_precision("single"), Precision::Single);
  EXPECT_EQ(usage_error([] { (void)parse_precision("float"); }),
            "invalid value 'float' for --precision: expected double or single");
  EXPECT_EQ(to_string(Precision::Double), "double");
  EXPECT_EQ(to_string(Precision::Single), "single");
}

TEST(OptionsTest, ThreadsMapToParallelism) {
  const Parallelism zero = parse_threads("0");
  EXPECT_EQ(zero.threads, 0);
  EXPECT_EQ(zero.threshold, kDefaultParallelThreshold);
  EXPECT_EQ(parse_threads("3").threads, 3);
  EXPECT_EQ(usage_error([] { (void)parse_threads("-2"); }), "invalid value '-2' for --threads: must be in [0, 4096]");
  EXPECT_EQ(usage_error([] { (void)parse_threads("two"); }), "invalid value 'two' for --threads: expected an integer");
  EXPECT_EQ(effective_threads(0), default_thread_count());
  EXPECT_EQ(effective_threads(3), 3);
}

TEST(OptionsTest, MaxMemoryUsesMemorySizes) {
  EXPECT_FALSE(parse_max_memory("").max_bytes.has_value());
  EXPECT_EQ(parse_max_memory("12G").max_bytes, std::uint64_t{12} << 30);
  EXPECT_EQ(parse_max_memory("512MiB").max_bytes, std::uint64_t{512} << 20);
  EXPECT_EQ(parse_max_memory("1000").max_bytes, 1000U);
  EXPECT_THAT(usage_error([] { (void)parse_max_memory("lots"); }),
              HasSubstr("invalid value 'lots' for --max-memory: expected a positive size"));
  EXPECT_THAT(usage_error([] { (void)parse_max_memory("-1G"); }), HasSubstr("'-1G' for --max-memory"));
  EXPECT_THAT(usage_error([] { (void)parse_max_memory("3Q"); }), HasSubstr("'3Q' for --max-memory"));
}

// A description with the common options, as a subcommand declares them.
struct Declared {
  bool help = false;
  std::string format = "table", threads = "0", seed = "1", precision = "double", max_memory;
  po::options_description desc{"Options"};
  Declared() {
    desc.add_options()("qubits", po::value<std::string>(), "n");
    add_format_option(desc, format);
    add_threads_option(desc, threads, "T", "threads");
    add_seed_option(desc, seed);
    add_precision_option(desc, precision);
    add_max_memory_option(desc, max_memory);
    add_help_option(desc, help);
  }
};

TEST(OptionsTest, CommandLineWritesBoundVariables) {
  Declared d;
  const auto vm = parse_command_line({"--format", "csv", "--threads=2", "--seed", "9", "--max-memory", "1G",
                                      "--qubits", "5", "-h"},
                                     d.desc);
  EXPECT_EQ(d.format, "csv");
  EXPECT_EQ(d.threads, "2");
  EXPECT_EQ(d.seed, "9");
  EXPECT_EQ(d.max_memory, "1G");
  EXPECT_EQ(d.precision, "double");  // default kept
  EXPECT_TRUE(d.help);
  EXPECT_EQ(vm["qubits"].as<std::string>(), "5");
}

TEST(OptionsTest, CommandLineRejectsUnknownAbbreviatedAndStrayWords) {
  Declared d;
  EXPECT_THROW((void)parse_command_line({"--bogus"}, d.desc), po::unknown_option);
  EXPECT_THROW((void)parse_command_line({"--form", "csv"}, d.desc), po::error);  // no guessing
  EXPECT_THROW((void)parse_command_line({"--format"}, d.desc), po::error);       // missing value
  EXPECT_EQ(usage_error([&] { (void)parse_command_line({"--seed", "3", "stray", "more"}, d.desc); }),
            "unexpected argument 'stray'");
}

TEST(OptionsTest, CommandLinePassesDeclaredPositionals) {
  po::options_description desc;
  desc.add_options()("file", po::value<std::string>(), "input");
  po::positional_options_description positional;
  positional.add("file", 1);
  const auto vm = parse_command_line({"circuit.qasm"}, desc, positional);
  EXPECT_EQ(vm["file"].as<std::string>(), "circuit.qasm");
  EXPECT_EQ(usage_error([&] { (void)parse_command_line({"a.qasm", "b.qasm"}, desc, positional); }),
            "unexpected argument 'b.qasm'");
}

TEST(OptionsTest, CommandHelpShowsUsageSummaryAndOptions) {
  Declared d;
  std::ostringstream out;
  print_command_help(out, "qmlsim x [options]", "Does x.", d.desc);
  EXPECT_EQ(out.str().rfind("Usage: qmlsim x [options]\n\nDoes x.\n\nOptions:\n", 0), 0U) << out.str();
  EXPECT_THAT(out.str(), HasSubstr("--max-memory"));
  EXPECT_THAT(out.str(), HasSubstr("(=table)"));
}

}  // namespace
}  // namespace qmlsim::cli

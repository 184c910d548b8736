#include "cli/options.hpp"

#include <filesystem>

#include <charconv>
#include <cmath>
#include <ostream>

#include "simulator/core/validate.hpp"

namespace qmlsim::cli {
namespace {

[[noreturn]] void bad_value(std::string_view option, const std::string& text, const std::string& why) {
  throw UsageError("invalid value '" + text + "' for " + std::string(option) + ": " + why);
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string::size_type begin = 0;
  while (true) {
    const auto end = text.find(separator, begin);
    parts.push_back(text.substr(begin, end == std::string::npos ? std::string::npos : end - begin));
    if (end == std::string::npos) return parts;
    begin = end + 1;
  }
}

// std::from_chars over the whole word: no leading '+', spaces or trailing characters.
template <class T>
std::optional<T> parse_whole(std::string_view word) {
  T value{};
  const char* last = word.data() + word.size();
  const auto [ptr, ec] = std::from_chars(word.data(), last, value);
  if (word.empty() || ec != std::errc{} || ptr != last) return std::nullopt;
  return value;
}

// One item of a range list, already split at ':'; values are checked against [min, max].
void append_range_item(const std::vector<std::string>& fields, const std::string& text, std::string_view option,
                       int min, int max, std::vector<int>& out) {
  if (fields.size() > 3) bad_value(option, text, "expected N, START:STOP or START:STOP:STEP");
  std::vector<std::int64_t> v;
  for (const auto& field : fields) {
    const auto number = parse_whole<std::int64_t>(field);
    if (!number) bad_value(option, text, "'" + field + "' is not an integer");
    v.push_back(*number);
  }
  const std::int64_t start = v[0], stop = v.size() > 1 ? v[1] : v[0], step = v.size() > 2 ? v[2] : 1;
  if (step <= 0) bad_value(option, text, "step " + std::to_string(step) + " must be positive");
  if (stop < start)
    bad_value(option, text, "stop " + std::to_string(stop) + " is below start " + std::to_string(start));
  if (start < min || stop > max) bad_value(option, text, std::string("values must lie in ") + closed_range(min, max));
  for (std::int64_t x = start; x <= stop; x += step) out.push_back(static_cast<int>(x));
}

}  // namespace

std::int64_t parse_integer(const std::string& text, std::string_view option, std::int64_t min, std::int64_t max) {
  const auto value = parse_whole<std::int64_t>(text);
  if (!value) bad_value(option, text, "expected an integer");
  if (*value < min || *value > max) bad_value(option, text, std::string("must be in ") + closed_range(min, max));
  return *value;
}

std::uint64_t parse_unsigned(const std::string& text, std::string_view option, std::uint64_t min, std::uint64_t max) {
  const auto value = parse_whole<std::uint64_t>(text);
  if (!value) bad_value(option, text, "expected a non-negative integer");
  if (*value < min || *value > max)
    bad_value(option, text, std::string("must be in ") + closed_range(min, max));
  return *value;
}

std::vector<int> parse_int_range(const std::string& text, std::string_view option, int min, int max) {
  std::vector<int> values;
  for (const auto& item : split(text, ',')) {
    if (item.empty()) bad_value(option, text, "empty item");
    append_range_item(split(item, ':'), text, option, min, max, values);
  }
  return values;
}

std::vector<int> parse_int_list(const std::string& text, std::string_view option, int min, int max) {
  std::vector<int> values;
  for (const auto& item : split(text, ',')) {
    const auto value = parse_whole<std::int64_t>(item);
    if (!value) bad_value(option, text, "'" + item + "' is not an integer");
    if (*value < min || *value > max) bad_value(option, text, std::string("values must lie in ") + closed_range(min, max));
    values.push_back(static_cast<int>(*value));
  }
  return values;
}

double parse_positive(const std::string& text, std::string_view option, bool allow_zero, std::string_view example) {
  const std::optional<double> v = parse_whole<double>(text);
  if (!v || !std::isfinite(*v) || *v < 0.0 || (!allow_zero && *v == 0.0))
    bad_value(option, text, std::string("expected a ") + (allow_zero ? "non-negative" : "positive") + " number" +
                                (example.empty() ? "" : ", e.g. " + std::string(example)));
  return *v;
}

double parse_fraction(const std::string& text, std::string_view option) {
  const std::optional<double> v = parse_whole<double>(text);
  if (!v || !(*v > 0.0 && *v < 1.0)) bad_value(option, text, "expected a fraction in (0, 1), e.g. 0.3");
  return *v;
}

Format parse_format(const std::string& text, std::string_view option) {
  if (text == "table") return Format::Table;
  if (text == "csv") return Format::Csv;
  if (text == "json") return Format::Json;
  bad_value(option, text, "expected table, csv or json");
}

Precision parse_precision(const std::string& text, std::string_view option) {
  if (text == "double") return Precision::Double;
  if (text == "single") return Precision::Single;
  bad_value(option, text, "expected double or single");
}

// An upper bound that catches typos (--threads 10000000) without limiting real machines.
constexpr int kMaxThreads = 4096;

int parse_thread_count(const std::string& text, std::string_view option) {
  return static_cast<int>(parse_integer(text, option, 0, kMaxThreads));
}

Parallelism parse_threads(const std::string& text, std::string_view option) {
  return Parallelism{parse_thread_count(text, option), kDefaultParallelThreshold};
}

std::vector<int> parse_thread_list(const std::string& text, std::string_view option) {
  return parse_int_list(text, option, 0, kMaxThreads);
}

MemoryLimit parse_max_memory(const std::string& text, std::string_view option) {
  if (text.empty()) return MemoryLimit{};
  try {
    return MemoryLimit{parse_memory_size(text)};
  } catch (const InvalidArgument&) {
    bad_value(option, text, "expected a positive size such as 512M, 12G or 1.5GiB");
  }
}

std::uint64_t parse_seed(const std::string& text, std::string_view option) { return parse_unsigned(text, option); }

int effective_threads(int threads) noexcept { return threads > 0 ? threads : default_thread_count(); }

void add_help_option(po::options_description& desc, bool& help) {
  desc.add_options()("help,h", po::bool_switch(&help), "show this help and exit");
}

void add_format_option(po::options_description& desc, std::string& text) {
  desc.add_options()("format", po::value(&text)->default_value(text)->value_name("FMT"),
                     "output format: table, csv or json");
}

void add_precision_option(po::options_description& desc, std::string& text) {
  desc.add_options()("precision", po::value(&text)->default_value(text)->value_name("P"),
                     "state vector precision: double or single");
}

void add_threads_option(po::options_description& desc, std::string& text, const char* value_name,
                        const char* description) {
  desc.add_options()("threads", po::value(&text)->default_value(text)->value_name(value_name), description);
}

void add_max_memory_option(po::options_description& desc, std::string& text) {
  desc.add_options()("max-memory", po::value(&text)->value_name("SIZE"),
                     "memory cap such as 512M or 12G (default: the memory available now)");
}

void add_seed_option(po::options_description& desc, std::string& text) {
  desc.add_options()("seed", po::value(&text)->default_value(text)->value_name("S"),
                     "random seed (unsigned 64-bit); the same seed gives the same output");
}

po::variables_map parse_command_line(const std::vector<std::string>& args, const po::options_description& desc,
                                     const po::positional_options_description& positional) {
  // Words beyond the command's own positional arguments land in a hidden option, so that the
  // message can name the first of them (Boost's own says only "too many positional options").
  constexpr const char* kExtra = "qmlsim-unexpected-argument";
  po::options_description all;
  all.add(desc).add_options()(kExtra, po::value<std::vector<std::string>>());
  po::positional_options_description all_positional = positional;
  all_positional.add(kExtra, -1);
  // No abbreviations: a later option must not change what an existing command line means.
  const int style = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).positional(all_positional).style(style).run(), vm);
  if (vm.count(kExtra)) throw UsageError("unexpected argument '" + vm[kExtra].as<std::vector<std::string>>()[0] + "'");
  po::notify(vm);  // writes the bound variables
  return vm;
}

void print_command_help(std::ostream& out, std::string_view usage, std::string_view summary,
                        const po::options_description& desc) {
  out << "Usage: " << usage << "\n\n" << summary << "\n\n" << desc;
}

void check_output_directory(const std::string& path, std::string_view option) {
  if (path.empty()) return;
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  if (dir.empty()) dir = ".";
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    throw InvalidArgument(std::string(option) + " " + path + ": directory " + dir.string() + " does not exist");
  if (std::filesystem::is_directory(path, ec))
    throw InvalidArgument(std::string(option) + " " + path + " is a directory, not a file");
}

}  // namespace qmlsim::cli

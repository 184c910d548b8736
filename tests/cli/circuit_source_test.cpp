#include "cli/circuit_source.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "simulator/circuit/library.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/random_angles.hpp"

namespace qmlsim::cli {
namespace {

using ::testing::HasSubstr;

TEST(CircuitSourceTest, LibraryCircuitBindsEveryParameter) {
  const BoundCircuit layers = library_circuit("layers", 3, 2, 7);
  EXPECT_EQ(layers.name, "layers");
  EXPECT_EQ(layers.circuit.num_qubits(), 3);
  EXPECT_EQ(layers.circuit.num_parameters(), 12);  // rx and rz on 3 qubits, 2 layers
  EXPECT_EQ(layers.theta, uniform_angles(12, 7));
  const BoundCircuit ghz = library_circuit("ghz", 4, 2, 7);
  EXPECT_EQ(ghz.circuit.num_gates(), 4U);
  EXPECT_TRUE(ghz.theta.empty());
}

TEST(CircuitSourceTest, UnknownNameListsTheKnownOnes) {
  try {
    (void)library_circuit("bell", 2, 1, 1);
    FAIL() << "no exception";
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), HasSubstr("bell"));
    for (const auto& name : library::names()) EXPECT_THAT(e.what(), HasSubstr(name));
  }
  for (const auto& name : library::names()) EXPECT_THAT(library_names(), HasSubstr(name));
}

TEST(CircuitSourceTest, QasmPathsAreTheOnesEndingInDotQasm) {
  EXPECT_TRUE(is_qasm_path("circuits/bell.qasm"));
  EXPECT_TRUE(is_qasm_path("x.qasm"));
  EXPECT_FALSE(is_qasm_path(".qasm"));
  EXPECT_FALSE(is_qasm_path("layers"));
  EXPECT_FALSE(is_qasm_path("bell.qasm.txt"));
}

TEST(CircuitSourceTest, FilesBindTheirInputsByName) {
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("qmlsim_circuit_source_" + std::to_string(::getpid()) + ".qasm"))
                               .string();
  std::ofstream(path) << "OPENQASM 3.0;\ninclude \"stdgates.inc\";\ninput float[64] b;\ninput float[64] a;\n"
                         "qubit[1] q;\nbit[1] c;\nrx(a) q[0];\nry(b) q[0];\nc[0] = measure q[0];\n";
  const std::vector<ParameterAssignment> values = {{"a", 0.5, "test"}, {"b", -1.5, "test"}};
  const BoundCircuit bound = file_circuit(path, values);
  EXPECT_EQ(bound.name, path);
  EXPECT_EQ(bound.theta, (std::vector<double>{-1.5, 0.5}));  // declaration order: b, a
  ASSERT_EQ(bound.cregs.size(), 1U);
  EXPECT_EQ(bound.cregs[0].name, "c");
  const BoundCircuit random = file_circuit_with_random_inputs(path, 4);
  EXPECT_EQ(random.theta, uniform_angles(2, 4));
  EXPECT_THROW((void)file_circuit(path, {}), InvalidArgument);  // unbound inputs
  std::remove(path.c_str());
}

}  // namespace
}  // namespace qmlsim::cli

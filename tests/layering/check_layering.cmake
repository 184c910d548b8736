# The include directions of ARCHITECTURE.md, checked on every `#include "..."` (or <...>) line:
#   simulator/**        never includes qml/** or cli/**
#   qml/**              never includes simulator/qasm/** or cli/** (a circuit file reaches qml as
#                       a Circuit, turned so by the CLI)
#   anything else outside cli/ and tests/ (benchmarks/, ...) never includes cli/**
#   tests/simulator/**  never includes qml/** or cli/** (tests see the layer they test and below)
# Usage: cmake -DQMLSIM_SOURCE_DIR=<tree> -P check_layering.cmake
# Prints one line per bad include ("simulator/core/x.hpp:3: includes \"cli/options.hpp\" ...") and
# fails; also fails when it finds no source file at all (a wrong QMLSIM_SOURCE_DIR must not pass).
# Directories holding a CMakeCache.txt (build trees inside the source tree) are skipped.
cmake_minimum_required(VERSION 3.20)

if(NOT QMLSIM_SOURCE_DIR OR NOT IS_DIRECTORY "${QMLSIM_SOURCE_DIR}")
  message(FATAL_ERROR "layering: set -DQMLSIM_SOURCE_DIR=<source tree> (got '${QMLSIM_SOURCE_DIR}')")
endif()

# The rules, in order: a file follows the first one whose directory prefix starts its path ("*":
# every path). Each rule has a prefix, the includes it forbids (a regex; NONE: all allowed) and the
# reason printed.
set(rule_prefixes tests/simulator/ tests/ cli/ simulator/ qml/ *)
set(rule_patterns "^(qml|cli)/" NONE NONE "^(qml|cli)/" "^(simulator/qasm|cli)/" "^cli/")
set(rule_reasons
  "tests of simulator/ see only simulator/ and tests/support/"
  "" ""
  "simulator/ may not include qml/ or cli/"
  "qml/ may not include simulator/qasm/ or cli/"
  "only cli/ and tests/ may include cli/")
list(LENGTH rule_prefixes rule_count)
math(EXPR last_rule "${rule_count} - 1")

# Top-level build trees are not sources.
file(GLOB top_entries RELATIVE "${QMLSIM_SOURCE_DIR}" "${QMLSIM_SOURCE_DIR}/*")
set(skipped_dirs .git)
foreach(entry IN LISTS top_entries)
  if(IS_DIRECTORY "${QMLSIM_SOURCE_DIR}/${entry}" AND EXISTS "${QMLSIM_SOURCE_DIR}/${entry}/CMakeCache.txt")
    list(APPEND skipped_dirs "${entry}")
  endif()
endforeach()

file(GLOB_RECURSE sources RELATIVE "${QMLSIM_SOURCE_DIR}"
     "${QMLSIM_SOURCE_DIR}/*.hpp" "${QMLSIM_SOURCE_DIR}/*.cpp" "${QMLSIM_SOURCE_DIR}/*.h"
     "${QMLSIM_SOURCE_DIR}/*.cc" "${QMLSIM_SOURCE_DIR}/*.ipp" "${QMLSIM_SOURCE_DIR}/*.inl")

set(scanned 0)
set(violations "")
foreach(file IN LISTS sources)
  string(REGEX MATCH "^[^/]+" top "${file}")
  if(top IN_LIST skipped_dirs OR file MATCHES "/CMakeFiles/")
    continue()
  endif()
  # This directory's fixtures are deliberate violations (see CMakeLists.txt here).
  if(file MATCHES "^tests/layering/")
    continue()
  endif()
  set(rule -1)
  foreach(i RANGE ${last_rule})
    list(GET rule_prefixes ${i} prefix)
    string(LENGTH "${prefix}" len)
    string(SUBSTRING "${file}" 0 ${len} head)
    if(prefix STREQUAL "*" OR head STREQUAL prefix)
      set(rule ${i})
      break()
    endif()
  endforeach()
  list(GET rule_patterns ${rule} forbidden)
  list(GET rule_reasons ${rule} reason)
  math(EXPR scanned "${scanned} + 1")
  if(forbidden STREQUAL "NONE")
    continue()
  endif()
  file(STRINGS "${QMLSIM_SOURCE_DIR}/${file}" lines REGEX "^[ \t]*#[ \t]*include")
  if(NOT lines)
    continue()
  endif()
  # Line numbers: split the whole file on newlines, after hiding the characters that would make
  # CMake's list splitting go wrong (';' separates, unbalanced '[' ']' join elements).
  file(READ "${QMLSIM_SOURCE_DIR}/${file}" text)
  string(REPLACE ";" "<semicolon>" text "${text}")
  string(REPLACE "[" "<open>" text "${text}")
  string(REPLACE "]" "<close>" text "${text}")
  string(REPLACE "\\" "<backslash>" text "${text}")
  string(REPLACE "\n" ";" all_lines "${text}")
  set(number 0)
  foreach(line IN LISTS all_lines)
    math(EXPR number "${number} + 1")
    if(line MATCHES "^[ \t]*#[ \t]*include[ \t]*[\"<]([^\">]+)[\">]")
      set(target "${CMAKE_MATCH_1}")
      if(target MATCHES "${forbidden}")
        string(APPEND violations "  ${file}:${number}: includes \"${target}\": ${reason}\n")
      endif()
    endif()
  endforeach()
endforeach()

if(scanned EQUAL 0)
  message(FATAL_ERROR "layering: no source files under ${QMLSIM_SOURCE_DIR}")
endif()
if(violations)
  message(FATAL_ERROR "layering: includes against the layer order (ARCHITECTURE.md):\n${violations}")
endif()
message(STATUS "layering: ${scanned} files checked, every include points down")

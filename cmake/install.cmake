# Install rules and the CMake package: `cmake --install <build> --prefix <dir>` gives
#   <dir>/include/qmlsim/{simulator,qml}/**/*.hpp   (consumers write #include "simulator/...")
#   <dir>/lib/libqmlsim_sim.a
#   <dir>/lib/cmake/qmlsim/qmlsim{Config,ConfigVersion,Targets}.cmake
# so that `find_package(qmlsim CONFIG REQUIRED)` gives qmlsim::sim and qmlsim::qml. qmlsim_options
# (warnings, -march=native, sanitizers) is for this build only and never exported. The qmlsim
# executable is installed by cli/CMakeLists.txt.
include(CMakePackageConfigHelpers)

set(QMLSIM_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/qmlsim"
    CACHE STRING "Where qmlsimConfig.cmake is installed, relative to the prefix")
mark_as_advanced(QMLSIM_INSTALL_CMAKEDIR)

set(qmlsim_exported_targets qmlsim_sim qmlsim_qml)
# The OpenQASM front end becomes its own library (qmlsim_qasm, export name qasm) in a later issue.
if(TARGET qmlsim_qasm)
  list(INSERT qmlsim_exported_targets 1 qmlsim_qasm)
endif()

# What the exported targets hand to consumers (build-only parts removed). Exported targets may use
# qmlsim_options only as $<BUILD_INTERFACE:qmlsim::options>; say which target is wrong rather
# than letting install(EXPORT) fail with a generic message.
set(qmlsim_consumer_links "")
foreach(target IN LISTS qmlsim_exported_targets)
  get_target_property(link_interface ${target} INTERFACE_LINK_LIBRARIES)
  if(link_interface)
    string(REGEX REPLACE "\\$<BUILD_INTERFACE:[^>]*>" "" stripped "${link_interface}")
    if(stripped MATCHES "qmlsim(::|_)options")
      message(FATAL_ERROR "${target} links qmlsim_options outside $<BUILD_INTERFACE:...> "
                          "(${link_interface}): link it as $<BUILD_INTERFACE:qmlsim::options>")
    endif()
    string(APPEND qmlsim_consumer_links "${stripped};")
  endif()
endforeach()

# The config file finds exactly the imported targets the exported ones reference: OpenMP when
# built with QMLSIM_OPENMP; NLopt, which qml links; Eigen, Boost or nlohmann_json if a library
# ever links them other than through $<BUILD_INTERFACE:...> (a PRIVATE dependency of a static
# library is still linked by consumers). A new external dependency must be added here, or the package fails to load.
set(QMLSIM_CONFIG_DEPENDENCIES "")
if(qmlsim_consumer_links MATCHES "OpenMP::")
  string(APPEND QMLSIM_CONFIG_DEPENDENCIES "find_dependency(OpenMP COMPONENTS CXX)\n")
endif()
if(qmlsim_consumer_links MATCHES "Eigen3::")
  string(APPEND QMLSIM_CONFIG_DEPENDENCIES "find_dependency(Eigen3 3.4 NO_MODULE)\n")
endif()
if(qmlsim_consumer_links MATCHES "Boost::")
  string(APPEND QMLSIM_CONFIG_DEPENDENCIES "find_dependency(Boost 1.74 COMPONENTS program_options)\n")
endif()
if(qmlsim_consumer_links MATCHES "nlohmann_json::")
  string(APPEND QMLSIM_CONFIG_DEPENDENCIES "find_dependency(nlohmann_json 3.10)\n")
endif()
if(qmlsim_consumer_links MATCHES "NLopt::")
  string(APPEND QMLSIM_CONFIG_DEPENDENCIES "find_dependency(NLopt)\n")
endif()
# libsvm and BLIS have no CMake package on Debian: their find modules are installed next to the
# config file.
if(qmlsim_consumer_links MATCHES "(LIBSVM|BLIS)::")
  string(APPEND QMLSIM_CONFIG_DEPENDENCIES "list(APPEND CMAKE_MODULE_PATH \"\${CMAKE_CURRENT_LIST_DIR}\")\n")
endif()
if(qmlsim_consumer_links MATCHES "BLIS::")
  string(APPEND QMLSIM_CONFIG_DEPENDENCIES "find_dependency(BLIS)\n")
endif()
if(qmlsim_consumer_links MATCHES "LIBSVM::")
  string(APPEND QMLSIM_CONFIG_DEPENDENCIES "find_dependency(LIBSVM)\n")
endif()
string(REGEX MATCHALL "[A-Za-z0-9_]+::[A-Za-z0-9_]+" qmlsim_imported "${qmlsim_consumer_links}")
foreach(imported IN LISTS qmlsim_imported)
  if(NOT imported MATCHES "^(qmlsim|OpenMP|Eigen3|Boost|nlohmann_json|NLopt|BLIS|LIBSVM|Threads)::")
    message(FATAL_ERROR "cmake/install.cmake: exported qmlsim targets link ${imported}; add its "
                        "find_dependency() to QMLSIM_CONFIG_DEPENDENCIES")
  endif()
endforeach()

install(TARGETS ${qmlsim_exported_targets}
  EXPORT qmlsimTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# Headers keep their project paths under include/qmlsim, the INSTALL_INTERFACE include directory.
# (A tree without headers yet, like qml/ today, installs nothing rather than empty folders.)
foreach(dir IN ITEMS simulator qml)
  file(GLOB_RECURSE headers CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/${dir}/*.hpp)
  if(headers)
    install(DIRECTORY ${PROJECT_SOURCE_DIR}/${dir}/
      DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/qmlsim/${dir}
      FILES_MATCHING PATTERN "*.hpp")
  endif()
endforeach()

install(EXPORT qmlsimTargets
  NAMESPACE qmlsim::
  FILE qmlsimTargets.cmake
  DESTINATION ${QMLSIM_INSTALL_CMAKEDIR})

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/qmlsimConfig.cmake.in
  ${PROJECT_BINARY_DIR}/qmlsimConfig.cmake
  INSTALL_DESTINATION ${QMLSIM_INSTALL_CMAKEDIR})
# 0.x: a minor version may break the API, so only the same major.minor is compatible.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/qmlsimConfigVersion.cmake
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/qmlsimConfig.cmake ${PROJECT_BINARY_DIR}/qmlsimConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/FindLIBSVM.cmake ${PROJECT_SOURCE_DIR}/cmake/FindBLIS.cmake
  DESTINATION ${QMLSIM_INSTALL_CMAKEDIR})

# Installs this build into <build>/install-test/prefix, then configures, builds and runs the
# consumer project tests/install/ against it (see tests/install/run_install_test.cmake).
# "Slow" keeps it out of the sanitizer run.
if(QMLSIM_BUILD_TESTS)
  add_test(NAME InstallConsumerSlow
    COMMAND ${CMAKE_COMMAND}
      -DQMLSIM_BUILD_DIR=${PROJECT_BINARY_DIR}
      -DQMLSIM_CONFIG=$<CONFIG>
      -DCONSUMER_SOURCE_DIR=${PROJECT_SOURCE_DIR}/tests/install
      -DWORK_DIR=${PROJECT_BINARY_DIR}/install-test
      -DGENERATOR=${CMAKE_GENERATOR}
      -DMAKE_PROGRAM=${CMAKE_MAKE_PROGRAM}
      -DCXX_COMPILER=${CMAKE_CXX_COMPILER}
      -DSANITIZE=${QMLSIM_SANITIZE}
      -P ${PROJECT_SOURCE_DIR}/tests/install/run_install_test.cmake)
  set_tests_properties(InstallConsumerSlow PROPERTIES TIMEOUT 300)
endif()

# cmake -P script behind the InstallConsumerSlow test (registered in cmake/install.cmake):
# installs the build QMLSIM_BUILD_DIR into WORK_DIR/prefix, then configures, builds and runs the
# consumer project CONSUMER_SOURCE_DIR against that prefix only.
# Inputs: QMLSIM_BUILD_DIR QMLSIM_CONFIG CONSUMER_SOURCE_DIR WORK_DIR GENERATOR MAKE_PROGRAM
#         CXX_COMPILER SANITIZE
cmake_minimum_required(VERSION 3.20)

function(run_step what)
  message(STATUS "${what}: ${ARGN}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${what} failed (${status})")
  endif()
endfunction()

set(prefix ${WORK_DIR}/prefix)
set(consumer_build ${WORK_DIR}/build)
file(REMOVE_RECURSE ${WORK_DIR})

set(config_args)
if(QMLSIM_CONFIG)
  set(config_args --config ${QMLSIM_CONFIG})
endif()

run_step("install" ${CMAKE_COMMAND} --install ${QMLSIM_BUILD_DIR} --prefix ${prefix} ${config_args})

set(configure_args -S ${CONSUMER_SOURCE_DIR} -B ${consumer_build} -G ${GENERATOR}
    -DCMAKE_CXX_COMPILER=${CXX_COMPILER} -DCMAKE_PREFIX_PATH=${prefix}
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
if(MAKE_PROGRAM)
  list(APPEND configure_args -DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM})
endif()
if(QMLSIM_CONFIG)
  list(APPEND configure_args -DCMAKE_BUILD_TYPE=${QMLSIM_CONFIG})
endif()
if(SANITIZE)
  # The installed library is instrumented: the consumer must link the sanitizer runtimes.
  list(APPEND configure_args "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined")
endif()
run_step("configure consumer" ${CMAKE_COMMAND} ${configure_args})

# The package must come from the fresh prefix, not from some other installation.
file(STRINGS ${consumer_build}/CMakeCache.txt qmlsim_dir_line REGEX "^qmlsim_DIR:")
string(REGEX REPLACE "^qmlsim_DIR:[A-Z]+=" "" qmlsim_dir "${qmlsim_dir_line}")
file(REAL_PATH ${prefix} real_prefix)
file(REAL_PATH "${qmlsim_dir}" real_qmlsim_dir)
string(FIND "${real_qmlsim_dir}" "${real_prefix}/" at)
if(NOT at EQUAL 0)
  message(FATAL_ERROR "qmlsim was found in '${qmlsim_dir}', not under the test prefix '${prefix}'")
endif()

run_step("build consumer" ${CMAKE_COMMAND} --build ${consumer_build} ${config_args})

foreach(consumer IN ITEMS bell_consumer kernel_consumer)
  if(EXISTS ${consumer_build}/${consumer})
    set(exe ${consumer_build}/${consumer})
  else()
    set(exe ${consumer_build}/${QMLSIM_CONFIG}/${consumer})  # multi-config generators
  endif()
  run_step("run ${consumer}" ${exe})
endforeach()

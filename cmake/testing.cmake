# Test helpers shared by every folder that registers tests.
find_package(GTest REQUIRED)
find_program(EXTCOMM_PYTHON NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH REQUIRED)

# extcomm_add_gtest(<name> SOURCES <src>... [LIBRARIES <lib>...] [BOTH_STORES])
# BOTH_STORES: the test runs on the store fixture (tests/unit/core/store_fixture.hpp, linked here) and is
# registered twice: <name> on SQLite and <name>.postgresql on a private PostgreSQL server the fixture
# starts when EXTCOMM_TEST_STORE=postgresql. CI and the docs name the `.postgresql` tests.
function(extcomm_add_gtest name)
  cmake_parse_arguments(ARG "BOTH_STORES" "" "SOURCES;LIBRARIES" ${ARGN})
  if(ARG_BOTH_STORES)
    list(APPEND ARG_LIBRARIES extcomm_test_store)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE extcomm_settings GTest::gtest GTest::gtest_main ${ARG_LIBRARIES})
  set(_env "EXTCOMM_PLUGIN_DIR=${EXTCOMM_PLUGIN_OUTPUT_DIR};EXTCOMM_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS unit ENVIRONMENT "${_env}")
  if(ARG_BOTH_STORES)
    add_test(NAME ${name}.postgresql COMMAND ${name})
    set_tests_properties(${name}.postgresql PROPERTIES LABELS "unit;postgresql" TIMEOUT 300 ENVIRONMENT
      "EXTCOMM_TEST_STORE=postgresql;${_env}")
  endif()
endfunction()

# extcomm_add_python_test(<name> SCRIPT <file.py> [TIMEOUT <s>] [LABELS <l>...])
# Runs a unittest script with Debian's python3 (it has aiosmtpd); the harness finds the host binary,
# the plugin folder and the simulators through the environment set here.
function(extcomm_add_python_test name)
  cmake_parse_arguments(ARG "" "SCRIPT;TIMEOUT" "LABELS" ${ARGN})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  if(NOT ARG_LABELS)
    set(ARG_LABELS integration)
  endif()
  get_filename_component(_script ${ARG_SCRIPT} ABSOLUTE)
  add_test(NAME ${name} COMMAND ${EXTCOMM_PYTHON} -u ${_script} -v)
  set_tests_properties(${name} PROPERTIES TIMEOUT ${ARG_TIMEOUT} LABELS "${ARG_LABELS}" ENVIRONMENT
    "EXTCOMM_BIN=$<TARGET_FILE:extcomm>;EXTCOMM_PLUGIN_DIR=${EXTCOMM_PLUGIN_OUTPUT_DIR};EXTCOMM_SOURCE_DIR=${PROJECT_SOURCE_DIR};EXTCOMM_BINARY_DIR=${PROJECT_BINARY_DIR};PYTHONPATH=${PROJECT_SOURCE_DIR}/tests/support:${PROJECT_SOURCE_DIR}/tests/simulators:${PROJECT_SOURCE_DIR}/plugins/common/testing")
endfunction()

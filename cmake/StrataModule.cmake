# strata_module(NAME SOURCES a.cc ... DEPS lib ... TESTS a_test.cc ...)
# Defines the library strata_<NAME> and one GoogleTest executable per module, registered with
# CTest. Modules link only to modules listed above them in DESIGN.md §9.
#
# Headers follow the links: a module's headers are reachable as "<folder>/x.h" only through
# an include directory of its own (build/module_include/<NAME>/<folder> → src/<folder>), which
# the library exports to what links it. A module that includes a header of a module it does not
# link fails to compile; scripts/check_layers.sh checks the order itself.
function(strata_module_headers target folder)
  set(root ${PROJECT_BINARY_DIR}/module_include/${target})
  file(MAKE_DIRECTORY ${root})
  if(NOT EXISTS ${root}/${folder})
    file(CREATE_LINK ${PROJECT_SOURCE_DIR}/src/${folder} ${root}/${folder} SYMBOLIC)
  endif()
  target_include_directories(${target} PUBLIC ${root})
endfunction()

function(strata_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;TESTS" ${ARGN})
  get_filename_component(folder ${CMAKE_CURRENT_SOURCE_DIR} NAME)
  add_library(strata_${name} STATIC ${ARG_SOURCES})
  strata_module_headers(strata_${name} ${folder})
  target_compile_options(strata_${name} PRIVATE ${STRATA_WARNINGS})
  target_link_libraries(strata_${name} PUBLIC ${ARG_DEPS})
  if(ARG_TESTS)
    add_executable(${name}_test ${ARG_TESTS})
    target_compile_options(${name}_test PRIVATE ${STRATA_WARNINGS})
    target_link_libraries(${name}_test PRIVATE strata_${name} GTest::gtest GTest::gtest_main)
    add_test(NAME unit.${name} COMMAND ${name}_test)
    set_tests_properties(unit.${name} PROPERTIES LABELS unit)
  endif()
endfunction()

# mie_module(NAME DEPS ...): builds mie_NAME from src/mie/NAME/*.cpp and, when tests are on, its unit
# tests from src/mie/NAME/*_test.cpp.
#
# Test labels by cost: a test file may say what it needs in a first-lines comment
#   // ctest-labels: train data model
# (train: trains a model; data: reads ../shared/data; model: needs models/*.mie or the detector
# files); a file without one is "fast". The files of one module with the same labels form one test
# binary (mie_NAME_tests for the fast ones, mie_NAME_<labels>_tests otherwise), each of its tests
# labelled "unit-NAME:<labels>" (e.g. unit-ner:train:data): `ctest -L fast` runs the fast tier.
set(MIE_ALL_MODULES "" CACHE INTERNAL "")
# The cost labels of a test file: the words after "ctest-labels:" on a comment line near its top
# ("// ctest-labels: train data" in C++, "# ctest-labels: ..." in scripts), else "fast".
function(mie_cost_labels file out)
  file(STRINGS ${file} tag REGEX "^(//|#) ctest-labels:" LIMIT_COUNT 1)
  if(tag)
    string(REGEX REPLACE "^(//|#) ctest-labels: *" "" tag "${tag}")
    string(STRIP "${tag}" tag)
    string(REPLACE " " ";" tag "${tag}")
    set(${out} ${tag} PARENT_SCOPE)
  else()
    set(${out} fast PARENT_SCOPE)
  endif()
endfunction()

function(mie_module name)
  cmake_parse_arguments(M "" "" "DEPS" ${ARGN})
  set(dir ${CMAKE_SOURCE_DIR}/src/mie/${name})
  file(GLOB all CONFIGURE_DEPENDS ${dir}/*.cpp)
  file(GLOB tests CONFIGURE_DEPENDS ${dir}/*_test.cpp)
  set(srcs ${all})
  if(tests)
    list(REMOVE_ITEM srcs ${tests})
  endif()
  if(NOT srcs)
    set(srcs ${CMAKE_SOURCE_DIR}/cmake/empty.cpp)
  endif()
  add_library(mie_${name} STATIC ${srcs})
  target_include_directories(mie_${name} PUBLIC ${CMAKE_SOURCE_DIR}/src ${MIE_GENERATED_INCLUDE})
  target_link_libraries(mie_${name} PUBLIC ${M_DEPS})
  target_compile_definitions(mie_${name} PUBLIC MIE_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
  set(MIE_ALL_MODULES ${MIE_ALL_MODULES} mie_${name} CACHE INTERNAL "")
  if(NOT MIE_BUILD_TESTS OR NOT tests)
    return()
  endif()
  find_package(GTest REQUIRED)
  include(GoogleTest)
  set(groups "")
  foreach(t ${tests})
    mie_cost_labels(${t} labels)
    string(REPLACE ";" "_" key "${labels}")
    list(APPEND groups ${key})
    list(APPEND files_${key} ${t})
  endforeach()
  list(REMOVE_DUPLICATES groups)
  foreach(key ${groups})
    if(key STREQUAL "fast")
      set(bin mie_${name}_tests)
    else()
      set(bin mie_${name}_${key}_tests)
    endif()
    # One label, "unit-NAME:cost[:cost]" (gtest_discover_tests of CMake 3.25 cannot pass a list):
    # ctest -L takes a regular expression, so -L fast, -L train, -L unit-io and -L unit all match it.
    string(REPLACE "_" ":" labels "unit-${name}:${key}")
    add_executable(${bin} ${files_${key}})
    target_link_libraries(${bin} PRIVATE mie_${name} GTest::gtest_main)
    # Test names are prefixed "<module>." (ctest -R '^io\.').
    gtest_discover_tests(${bin} TEST_PREFIX "${name}." PROPERTIES LABELS "${labels}" DISCOVERY_TIMEOUT 120)
  endforeach()
endfunction()

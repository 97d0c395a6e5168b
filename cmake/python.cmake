# The Python package `mie` (python/mie: pure Python; src/python/_mie.cpp: the pybind11 core),
# built into ${CMAKE_BINARY_DIR}/python/mie so that PYTHONPATH=build/python imports it from a
# checkout, and installed to <prefix>/${MIE_PYTHON_INSTALL_DIR}/mie. Debian packages only:
# pybind11-dev, python3-dev (Debian's /usr/bin/python3, 3.11).
option(MIE_BUILD_PYTHON "Build the Python package (needs pybind11-dev, python3-dev)" ON)
if(NOT MIE_BUILD_PYTHON)
  return()
endif()
set(Python3_EXECUTABLE /usr/bin/python3 CACHE FILEPATH "Python the package is built for (Debian's)")
find_package(Python3 REQUIRED COMPONENTS Interpreter Development.Module)
set(PYBIND11_FINDPYTHON ON)
find_package(pybind11 CONFIG REQUIRED)

set(MIE_PYTHON_DIR ${CMAKE_BINARY_DIR}/python/mie)
set(MIE_PYTHON_INSTALL_DIR lib/python3/dist-packages CACHE STRING "Where cmake --install puts the package (relative to the prefix)")
pybind11_add_module(_mie ${CMAKE_SOURCE_DIR}/src/python/_mie.cpp)
target_link_libraries(_mie PRIVATE libmie ${OpenCV_LIBS})
target_include_directories(_mie PRIVATE ${CMAKE_SOURCE_DIR}/src ${MIE_GENERATED_INCLUDE} ${TORCH_INCLUDE_DIRS})
file(RELATIVE_PATH MIE_PY_TO_LIB /p/${MIE_PYTHON_INSTALL_DIR}/mie /p/${CMAKE_INSTALL_LIBDIR})
set_target_properties(_mie PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${MIE_PYTHON_DIR}
                                      INSTALL_RPATH "$ORIGIN/${MIE_PY_TO_LIB}")

# The pure-Python files and type stubs, copied beside the extension at build time.
file(GLOB MIE_PY_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/python/mie/*.py ${CMAKE_SOURCE_DIR}/python/mie/*.pyi
     ${CMAKE_SOURCE_DIR}/python/mie/py.typed)
set(MIE_PY_COPIES "")
foreach(f ${MIE_PY_SOURCES})
  get_filename_component(n ${f} NAME)
  add_custom_command(OUTPUT ${MIE_PYTHON_DIR}/${n} COMMAND ${CMAKE_COMMAND} -E copy ${f} ${MIE_PYTHON_DIR}/${n}
                     DEPENDS ${f} VERBATIM)
  list(APPEND MIE_PY_COPIES ${MIE_PYTHON_DIR}/${n})
endforeach()
add_custom_target(mie_python ALL DEPENDS ${MIE_PY_COPIES} _mie)
install(TARGETS _mie LIBRARY DESTINATION ${MIE_PYTHON_INSTALL_DIR}/mie)
install(FILES ${MIE_PY_SOURCES} DESTINATION ${MIE_PYTHON_INSTALL_DIR}/mie)

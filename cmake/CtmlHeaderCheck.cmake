# Every public header must compile on its own: one generated source file per
# header, built by a test so a missing include shows up as a failing test.
function(ctml_add_header_check)
  file(GLOB_RECURSE headers CONFIGURE_DEPENDS RELATIVE ${PROJECT_SOURCE_DIR}/include
       ${PROJECT_SOURCE_DIR}/include/ctml/*.hpp)
  # The optional layers' headers need their libraries (libpq, MPI).
  set(libraries ctml::xtensor ctml::io ctml::ops)
  foreach(layer IN ITEMS postgresql mpi)
    if(TARGET ctml_${layer})
      list(APPEND libraries ctml::${layer})
    else()
      list(FILTER headers EXCLUDE REGEX "(^|/)${layer}[^/]*\\.hpp$|/${layer}/")
    endif()
  endforeach()
  set(sources)
  foreach(header IN LISTS headers)
    string(MAKE_C_IDENTIFIER ${header} id)
    set(source ${CMAKE_CURRENT_BINARY_DIR}/header_check/${id}.cpp)
    file(CONFIGURE OUTPUT ${source} CONTENT "#include <${header}>\n#include <${header}>  // include guard works\n")
    list(APPEND sources ${source})
  endforeach()
  add_library(ctml_header_check OBJECT EXCLUDE_FROM_ALL ${sources})
  target_link_libraries(ctml_header_check PRIVATE ${libraries})
  ctml_strict_warnings(ctml_header_check)
  add_test(NAME headers_compile_on_their_own
    COMMAND ${CMAKE_COMMAND} --build ${PROJECT_BINARY_DIR} --target ctml_header_check)
  set_tests_properties(headers_compile_on_their_own PROPERTIES RESOURCE_LOCK build_tree LABELS headers)
endfunction()

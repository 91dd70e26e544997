# Must-not-compile tests, after Eigen's failtest/. Each file in the folder
# guards its misuse with `#ifdef CTML_MUST_NOT_COMPILE` and names the expected
# diagnostic on a line `// expect: <regex>`. Two tests per file:
#   <name>_compiles      -- the file without the misuse builds, so the failure
#                           below is not an unrelated error;
#   <name>_fails         -- with the misuse the build fails and the compiler's
#                           output matches the regex.
function(ctml_add_compile_fail_tests folder)
  file(GLOB sources CONFIGURE_DEPENDS ${folder}/*.cpp)
  foreach(source IN LISTS sources)
    get_filename_component(name ${source} NAME_WE)
    file(STRINGS ${source} expect_lines REGEX "^// expect: ")
    if(NOT expect_lines)
      message(FATAL_ERROR "${source}: no '// expect: <regex>' line")
    endif()
    list(GET expect_lines 0 expect_line)
    string(REGEX REPLACE "^// expect: " "" expect_regex "${expect_line}")

    foreach(variant IN ITEMS compiles fails)
      set(target cf_${name}_${variant})
      add_library(${target} OBJECT EXCLUDE_FROM_ALL ${source})
      target_link_libraries(${target} PRIVATE ctml::io)
      ctml_strict_warnings(${target})
      if(variant STREQUAL "fails")
        target_compile_definitions(${target} PRIVATE CTML_MUST_NOT_COMPILE)
      endif()
      add_test(NAME compile_fail.${name}.${variant}
        COMMAND ${CMAKE_COMMAND} --build ${PROJECT_BINARY_DIR} --target ${target})
      set_tests_properties(compile_fail.${name}.${variant} PROPERTIES RESOURCE_LOCK build_tree LABELS compile_fail)
      if(variant STREQUAL "fails")
        # Passing on the regex alone would let an unrelated success through;
        # the diagnostic only appears when the compiler rejects the code.
        set_tests_properties(compile_fail.${name}.${variant} PROPERTIES PASS_REGULAR_EXPRESSION "${expect_regex}")
      endif()
    endforeach()
  endforeach()
endfunction()

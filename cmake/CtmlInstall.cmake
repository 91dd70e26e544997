include(CMakePackageConfigHelpers)

set(CTML_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/ctml)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

# One export set per layer, so the package config can load the core without
# the optional layers' dependencies (find_package(ctml COMPONENTS io xtensor)).
function(ctml_export_layer target set_name)
  install(TARGETS ${target} EXPORT ${set_name})
  install(EXPORT ${set_name} NAMESPACE ctml:: DESTINATION ${CTML_CMAKE_DIR})
  export(EXPORT ${set_name} NAMESPACE ctml:: FILE ${PROJECT_BINARY_DIR}/${set_name}.cmake)
endfunction()
ctml_export_layer(ctml ctmlTargets)
ctml_export_layer(ctml_xtensor ctmlXtensorTargets)
ctml_export_layer(ctml_io ctmlIoTargets)
ctml_export_layer(ctml_ops ctmlOpsTargets)
if(TARGET ctml_postgresql)
  ctml_export_layer(ctml_postgresql ctmlPostgresqlTargets)
endif()
if(TARGET ctml_mpi)
  ctml_export_layer(ctml_mpi ctmlMpiTargets)
endif()

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/ctmlConfig.cmake.in
  ${PROJECT_BINARY_DIR}/ctmlConfig.cmake INSTALL_DESTINATION ${CTML_CMAKE_DIR})
# Header-only, so the architecture of the installing machine does not matter.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/ctmlConfigVersion.cmake
  COMPATIBILITY SameMinorVersion ARCH_INDEPENDENT)
install(FILES ${PROJECT_BINARY_DIR}/ctmlConfig.cmake ${PROJECT_BINARY_DIR}/ctmlConfigVersion.cmake
  DESTINATION ${CTML_CMAKE_DIR})

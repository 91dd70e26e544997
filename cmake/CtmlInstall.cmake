include(CMakePackageConfigHelpers)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS ctml ctml_xtensor ctml_io EXPORT ctmlTargets)

set(CTML_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/ctml)
install(EXPORT ctmlTargets NAMESPACE ctml:: DESTINATION ${CTML_CMAKE_DIR})
export(EXPORT ctmlTargets NAMESPACE ctml:: FILE ${PROJECT_BINARY_DIR}/ctmlTargets.cmake)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/ctmlConfig.cmake.in
  ${PROJECT_BINARY_DIR}/ctmlConfig.cmake INSTALL_DESTINATION ${CTML_CMAKE_DIR})
# Header-only, so the architecture of the installing machine does not matter.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/ctmlConfigVersion.cmake
  COMPATIBILITY SameMinorVersion ARCH_INDEPENDENT)
install(FILES ${PROJECT_BINARY_DIR}/ctmlConfig.cmake ${PROJECT_BINARY_DIR}/ctmlConfigVersion.cmake
  DESTINATION ${CTML_CMAKE_DIR})

# Every dependency comes from Debian's packages; see ../shared/design/TOOLCHAIN.md.
# The core needs Eigen, Boost.Hana and range-v3 (the streaming views, such as
# csv_row_view, are range-v3 views). The interop and io layers
# need xtensor and nlohmann_json; a consumer that lacks them still gets the
# core. ctml's own build (top level) needs everything.
include(GNUInstallDirs)
find_package(Eigen3 3.4 REQUIRED NO_MODULE)
find_package(Boost 1.74 REQUIRED CONFIG)
find_package(range-v3 REQUIRED)  # its version file accepts only an exact version
# The ops layer needs SQLite, OpenSSL's libcrypto and libarchive (packages) on top of io.
if(PROJECT_IS_TOP_LEVEL)
  find_package(xtensor REQUIRED)
  find_package(nlohmann_json 3.11 REQUIRED)
  find_package(SQLite3 REQUIRED)
  find_package(OpenSSL 3 REQUIRED COMPONENTS Crypto)
  find_package(LibArchive REQUIRED)
  # The scoring service (examples/, and its tests): cpp-httplib has no CMake package on Debian.
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
  find_package(spdlog REQUIRED)
  # Scale-out (docs/scale-out.md): libpq for the team registry, Open MPI for
  # data-parallel fit and scoring. Optional layers for a consumer, required
  # here so that ctml's own CI always builds and tests them.
  find_package(PostgreSQL REQUIRED)
  find_package(MPI REQUIRED COMPONENTS CXX)
else()
  find_package(xtensor QUIET)
  find_package(nlohmann_json 3.11 QUIET)
  find_package(SQLite3 QUIET)
  find_package(OpenSSL 3 QUIET COMPONENTS Crypto)
  find_package(LibArchive QUIET)
  find_package(PostgreSQL QUIET)
  find_package(MPI QUIET COMPONENTS CXX)
endif()

# Every dependency comes from Debian's packages; see ../shared/design/TOOLCHAIN.md.
include(GNUInstallDirs)
find_package(Eigen3 3.4 REQUIRED NO_MODULE)
find_package(Boost 1.74 REQUIRED CONFIG)
find_package(range-v3 REQUIRED)
find_package(xtensor REQUIRED)
find_package(nlohmann_json 3.11 REQUIRED)

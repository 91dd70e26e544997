// The library version; CMakeLists.txt reads it from here, so it is stated once.
#pragma once

#define CTML_VERSION_MAJOR 0
#define CTML_VERSION_MINOR 1
#define CTML_VERSION_PATCH 0

namespace ctml {
inline constexpr const char* version_string = "0.1.0";
}  // namespace ctml

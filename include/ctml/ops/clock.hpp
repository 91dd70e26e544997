// The time as the registry and run records write it: UTC, ISO 8601, with
// milliseconds ("2026-12-01T19:55:02.123Z"), so records sort as text.
#pragma once

#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

namespace ctml::ops {

[[nodiscard]] inline std::string utc_timestamp(std::chrono::system_clock::time_point t = std::chrono::system_clock::now()) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
    const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
    std::tm parts{};
    gmtime_r(&seconds, &parts);
    char text[80];  // room for any int the format could print
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.tm_year + 1900, parts.tm_mon + 1,
                  parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec, static_cast<int>(ms % 1000));
    return text;
}

}  // namespace ctml::ops

// A package as credit-package writes it and credit-deploy reads it:
//
//   <name>-<version>/manifest.json     what is in the package, with every other file's SHA-256
//   <name>-<version>/bin/credit-serve  the server
//   <name>-<version>/model/model.json  the artifact
//   <name>-<version>/openapi.json, Dockerfile, README.md
//
// read_package_manifest checks the manifest's shape, naming the field that is
// wrong: a package may come from anywhere.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <ctml/ops/ops_error.hpp>
#include <ctml/ops/package_files.hpp>

#include "credit/credit_run.hpp"

namespace credit {

namespace package_layout {
inline constexpr const char* format = "ctml.package";
inline constexpr int format_version = 1;
inline constexpr const char* manifest = "manifest.json";
inline constexpr const char* server = "bin/credit-serve";
inline constexpr const char* model = "model/model.json";
}  // namespace package_layout

struct package_manifest {
    nlohmann::json json;
    std::string name;
    int version = 0;
    std::string model_sha256;
    std::vector<ctml::ops::package_file> files;
};

inline package_manifest read_package_manifest(const std::filesystem::path& dir) {
    const auto path = dir / package_layout::manifest;
    if (!std::filesystem::is_regular_file(path)) throw ctml::ops::ops_error(path.string() + ": missing: not a package");
    package_manifest m;
    m.json = read_json(path);
    const auto fail = [&](const std::string& field, const std::string& why) -> void {
        throw ctml::ops::ops_error(path.string() + ": field \"" + field + "\" " + why);
    };
    const auto& j = m.json;
    if (!j.is_object()) throw ctml::ops::ops_error(path.string() + ": not a JSON object");
    if (!j.contains("format") || j["format"] != package_layout::format) fail("format", "is not \"ctml.package\"");
    if (!j.contains("format_version") || j["format_version"] != package_layout::format_version)
        fail("format_version", "is not 1 (a newer credit-package made it, or it is not a package)");
    if (!j.contains("name") || !j["name"].is_string() || j["name"].get<std::string>().empty()) fail("name", "is not a name");
    if (!j.contains("version") || !j["version"].is_number_integer() || j["version"].get<int>() < 1)
        fail("version", "is not a version number");
    if (!j.contains("model") || !j["model"].is_object() || !j["model"].contains("sha256") || !j["model"]["sha256"].is_string())
        fail("model", "has no sha256");
    if (!j.contains("files") || !j["files"].is_array()) fail("files", "is not a list");
    m.name = j["name"].get<std::string>();
    m.version = j["version"].get<int>();
    m.model_sha256 = j["model"]["sha256"].get<std::string>();
    for (const auto& f : j["files"]) {
        if (!f.is_object() || !f.contains("path") || !f["path"].is_string() || !f.contains("sha256") || !f["sha256"].is_string())
            fail("files", "has an entry without path and sha256");
        m.files.push_back({f["path"].get<std::string>(), f["sha256"].get<std::string>(),
                           f.value("bytes", std::uintmax_t{0}), f.value("executable", false)});
    }
    bool has_server = false, has_model = false;
    for (const auto& f : m.files) {
        has_server = has_server || f.path == package_layout::server;
        if (f.path == package_layout::model) {
            has_model = true;
            if (f.sha256 != m.model_sha256) fail("model", "sha256 differs from the files entry for " + f.path);
        }
    }
    if (!has_server) fail("files", std::string("does not list ") + package_layout::server);
    if (!has_model) fail("files", std::string("does not list ") + package_layout::model);
    return m;
}

}  // namespace credit

// package_files: the files of a package directory with their SHA-256, and
// the check that a directory still holds exactly those files.
//
//   auto files = ops::list_package_files(bundle, {"manifest.json"});  // what the manifest records
//   ops::verify_package_files(bundle, files, {"manifest.json"});        // throws, naming the first file that differs
//
// Verification refuses a listed file that is missing or whose bytes changed,
// and a file that is not listed (something added to the package), each by
// its path inside the package. Paths are relative, with '/' separators, in
// byte order.
#pragma once

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "ctml/ops/ops_error.hpp"
#include "ctml/ops/sha256.hpp"

namespace ctml::ops {

struct package_file {
    std::string path;  ///< relative to the package's root
    std::string sha256;
    std::uintmax_t bytes = 0;
    bool executable = false;
    friend bool operator==(const package_file&, const package_file&) = default;
};

/// Every regular file under dir but those in `except` (paths relative to dir), in path order.
[[nodiscard]] inline std::vector<package_file> list_package_files(const std::filesystem::path& dir,
                                                                  const std::set<std::string>& except = {}) {
    namespace fs = std::filesystem;
    std::vector<package_file> out;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        if (e.is_symlink() || (!e.is_regular_file() && !e.is_directory()))
            throw ops_error(e.path().string() + ": a package holds only regular files and directories");
        if (!e.is_regular_file()) continue;
        const auto relative = fs::relative(e.path(), dir).generic_string();
        if (except.count(relative)) continue;
        const bool executable = (e.status().permissions() & fs::perms::owner_exec) != fs::perms::none;
        out.push_back({relative, sha256_file(e.path()), e.file_size(), executable});
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
    return out;
}

/// Throws ops_error naming the first file of dir that is not as `expected` says.
inline void verify_package_files(const std::filesystem::path& dir, const std::vector<package_file>& expected,
                                 const std::set<std::string>& except = {}) {
    namespace fs = std::filesystem;
    std::set<std::string> listed;
    for (const auto& f : expected) {
        const fs::path relative = fs::path(f.path).lexically_normal();
        if (relative.empty() || relative.is_absolute() ||
            std::any_of(relative.begin(), relative.end(), [](const fs::path& part) { return part == ".."; }))
            throw ops_error((dir / "manifest.json").string() + ": lists \"" + f.path + "\", which is outside the package");
        const auto path = dir / relative;
        std::error_code ec;
        if (!fs::is_regular_file(path, ec)) throw ops_error(path.string() + ": listed in the manifest but missing");
        const auto actual = sha256_file(path);
        if (actual != f.sha256)
            throw ops_error(path.string() + ": changed since packaging (SHA-256 " + actual + ", manifest " + f.sha256 + ")");
        listed.insert(f.path);
    }
    for (const auto& f : list_package_files(dir, except))
        if (!listed.count(f.path)) throw ops_error((dir / f.path).string() + ": not in the manifest (added after packaging)");
}

}  // namespace ctml::ops

// tar_gz: a directory to a reproducible .tar.gz and back, through libarchive.
//
// write_reproducible_tar_gz gives the same bytes for the same files wherever
// and whenever it runs: entries in byte order of their paths, every mtime
// the same fixed time, owner and group 0 with no names, permissions only
// 0644 or 0755 (executable or not), no extended attributes, and a gzip
// header without a timestamp or file name -- what the Reproducible Builds
// project asks of an archive.
//
// extract_tar_gz reads an archive that may come from anywhere: it refuses
// absolute paths, `..`, links and device files, and anything but regular
// files and directories, naming the entry, before writing anything outside
// `destination`.
//
// Example: examples/credit/package.cpp, examples/credit/deploy.cpp.
#pragma once

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <archive.h>
#include <archive_entry.h>

#include "ctml/ops/ops_error.hpp"

namespace ctml::ops {

namespace detail {

struct archive_writer_deleter {
    void operator()(archive* a) const noexcept { archive_write_free(a); }
};
struct archive_reader_deleter {
    void operator()(archive* a) const noexcept { archive_read_free(a); }
};
struct archive_entry_deleter {
    void operator()(archive_entry* e) const noexcept { archive_entry_free(e); }
};

inline void check_archive(archive* a, int status, const std::string& what) {
    if (status < ARCHIVE_WARN) {
        const char* why = archive_error_string(a);
        throw ops_error(what + ": " + (why ? why : "libarchive failed"));
    }
}

}  // namespace detail

/// Writes every file under `dir` into `out` as `root/<relative path>`, reproducibly (see above).
inline void write_reproducible_tar_gz(const std::filesystem::path& dir, const std::string& root,
                                      const std::filesystem::path& out, std::int64_t mtime = 0) {
    namespace fs = std::filesystem;
    std::vector<std::string> files;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        if (e.is_symlink() || (!e.is_regular_file() && !e.is_directory()))
            throw ops_error(e.path().string() + ": only regular files and directories can be packaged");
        if (e.is_regular_file()) files.push_back(fs::relative(e.path(), dir).generic_string());
    }
    std::sort(files.begin(), files.end());

    std::unique_ptr<archive, detail::archive_writer_deleter> a(archive_write_new());
    const std::string what = out.string();
    detail::check_archive(a.get(), archive_write_set_format_pax_restricted(a.get()), what);
    detail::check_archive(a.get(), archive_write_add_filter_gzip(a.get()), what);
    detail::check_archive(a.get(), archive_write_set_filter_option(a.get(), "gzip", "timestamp", nullptr), what);
    detail::check_archive(a.get(), archive_write_set_filter_option(a.get(), "gzip", "compression-level", "9"), what);
    detail::check_archive(a.get(), archive_write_open_filename(a.get(), out.c_str()), what);
    std::unique_ptr<archive_entry, detail::archive_entry_deleter> entry(archive_entry_new());
    std::vector<char> bytes;
    for (const auto& name : files) {
        const auto path = dir / name;
        std::ifstream in(path, std::ios::binary);
        if (!in) throw ops_error(path.string() + ": cannot read");
        bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        const bool executable = (fs::status(path).permissions() & fs::perms::owner_exec) != fs::perms::none;
        archive_entry_clear(entry.get());
        archive_entry_set_pathname(entry.get(), (root + "/" + name).c_str());
        archive_entry_set_filetype(entry.get(), AE_IFREG);
        archive_entry_set_perm(entry.get(), executable ? 0755 : 0644);
        archive_entry_set_size(entry.get(), static_cast<la_int64_t>(bytes.size()));
        archive_entry_set_mtime(entry.get(), mtime, 0);
        archive_entry_set_uid(entry.get(), 0);
        archive_entry_set_gid(entry.get(), 0);
        detail::check_archive(a.get(), archive_write_header(a.get(), entry.get()), what + ": " + name);
        if (archive_write_data(a.get(), bytes.data(), bytes.size()) != static_cast<la_ssize_t>(bytes.size()))
            detail::check_archive(a.get(), ARCHIVE_FATAL, what + ": " + name);
    }
    detail::check_archive(a.get(), archive_write_close(a.get()), what);
}

/// Unpacks `archive_path` into `destination` (created if need be), refusing unsafe entries (see above).
inline void extract_tar_gz(const std::filesystem::path& archive_path, const std::filesystem::path& destination) {
    namespace fs = std::filesystem;
    const std::string what = archive_path.string();
    std::unique_ptr<archive, detail::archive_reader_deleter> in(archive_read_new());
    archive_read_support_filter_gzip(in.get());
    archive_read_support_format_tar(in.get());
    detail::check_archive(in.get(), archive_read_open_filename(in.get(), archive_path.c_str(), 1 << 16), what);
    fs::create_directories(destination);
    archive_entry* entry = nullptr;
    std::vector<char> block(1 << 16);
    while (true) {
        const int status = archive_read_next_header(in.get(), &entry);
        if (status == ARCHIVE_EOF) break;
        detail::check_archive(in.get(), status, what);
        const char* raw = archive_entry_pathname(entry);
        const std::string name = raw ? raw : "";
        const fs::path relative = fs::path(name).lexically_normal();
        const bool escapes = relative.empty() || relative.is_absolute() ||
                             std::any_of(relative.begin(), relative.end(), [](const fs::path& p) { return p == ".."; });
        if (escapes) throw ops_error(what + ": entry \"" + name + "\" would be written outside the destination");
        const auto type = archive_entry_filetype(entry);
        if (type == AE_IFDIR) {
            fs::create_directories(destination / relative);
            continue;
        }
        if (type != AE_IFREG)
            throw ops_error(what + ": entry \"" + name + "\" is not a regular file or directory (links are refused)");
        const auto target = destination / relative;
        fs::create_directories(target.parent_path());
        std::ofstream out(target, std::ios::binary | std::ios::trunc);
        if (!out) throw ops_error(target.string() + ": cannot write");
        while (true) {
            const auto n = archive_read_data(in.get(), block.data(), block.size());
            if (n < 0) detail::check_archive(in.get(), ARCHIVE_FATAL, what + ": " + name);
            if (n <= 0) break;
            out.write(block.data(), n);
        }
        out.close();
        if (!out) throw ops_error(target.string() + ": write failed");
        fs::permissions(target, (archive_entry_perm(entry) & 0111) ? fs::perms(0755) : fs::perms(0644));
    }
}

}  // namespace ctml::ops

// Packages as files: the reproducible tarball (same bytes twice, fixed
// owners, times and modes), unpacking that refuses entries that would escape
// the destination or are not plain files, and the manifest check that names
// an edited, missing or added file.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <archive.h>
#include <archive_entry.h>

#include <ctml/ops/package_files.hpp>
#include <ctml/ops/tar_gz.hpp>

#include "support/scratch_directory.hpp"

using namespace ctml::ops;
namespace fs = std::filesystem;

namespace {

const fs::path& scratch() {
    static const test_support::scratch_directory dir("ctml_package_tests");
    return dir.path();
}

std::string bytes_of(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void write(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
}

/// A small package directory: a script, a model, a manifest.
fs::path make_bundle(const std::string& name) {
    const auto dir = scratch() / name;
    fs::remove_all(dir);
    write(dir / "bin" / "serve", "#!/bin/sh\necho hi\n");
    fs::permissions(dir / "bin" / "serve", fs::perms(0755));
    write(dir / "model" / "model.json", "{\"w\": [1, 2]}\n");
    write(dir / "manifest.json", "{}\n");
    return dir;
}

/// An archive with one entry of the given name and type, written by libarchive directly.
fs::path archive_with(const std::string& file, const std::string& entry_name, unsigned type, const std::string& link = {}) {
    const auto path = scratch() / file;
    archive* a = archive_write_new();
    archive_write_set_format_pax_restricted(a);
    archive_write_add_filter_gzip(a);
    REQUIRE(archive_write_open_filename(a, path.c_str()) == ARCHIVE_OK);
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, entry_name.c_str());
    archive_entry_set_filetype(e, type);
    archive_entry_set_perm(e, 0644);
    if (!link.empty()) archive_entry_set_symlink(e, link.c_str());
    const std::string body = type == AE_IFREG ? "payload" : "";
    archive_entry_set_size(e, static_cast<la_int64_t>(body.size()));
    archive_write_header(a, e);
    if (!body.empty()) archive_write_data(a, body.data(), body.size());
    archive_entry_free(e);
    archive_write_close(a);
    archive_write_free(a);
    return path;
}

}  // namespace

TEST_CASE("the tarball is reproducible: same files, same bytes, whatever their times and owners", "[ops][package]") {
    const auto a = make_bundle("bundle_a");
    write_reproducible_tar_gz(a, "pkg-1", scratch() / "a.tar.gz");
    // The same files written later, with other times: the archive must not change.
    const auto b = make_bundle("bundle_b");
    fs::last_write_time(b / "model" / "model.json", fs::file_time_type::clock::now() - std::chrono::hours(48));
    write_reproducible_tar_gz(b, "pkg-1", scratch() / "b.tar.gz");
    CHECK(bytes_of(scratch() / "a.tar.gz") == bytes_of(scratch() / "b.tar.gz"));
    // A changed byte changes the archive.
    write(b / "model" / "model.json", "{\"w\": [1, 3]}\n");
    write_reproducible_tar_gz(b, "pkg-1", scratch() / "c.tar.gz");
    CHECK(bytes_of(scratch() / "a.tar.gz") != bytes_of(scratch() / "c.tar.gz"));

    // Entries in path order, owner 0, mtime 0, modes 0755 / 0644.
    archive* in = archive_read_new();
    archive_read_support_filter_gzip(in);
    archive_read_support_format_tar(in);
    REQUIRE(archive_read_open_filename(in, (scratch() / "a.tar.gz").c_str(), 1 << 16) == ARCHIVE_OK);
    archive_entry* e = nullptr;
    std::vector<std::string> names;
    while (archive_read_next_header(in, &e) == ARCHIVE_OK) {
        names.emplace_back(archive_entry_pathname(e));
        CHECK(archive_entry_uid(e) == 0);
        CHECK(archive_entry_gid(e) == 0);
        CHECK(archive_entry_mtime(e) == 0);
        CHECK(archive_entry_perm(e) == (names.back() == "pkg-1/bin/serve" ? 0755 : 0644));
    }
    archive_read_free(in);
    CHECK(names == std::vector<std::string>{"pkg-1/bin/serve", "pkg-1/manifest.json", "pkg-1/model/model.json"});
}

TEST_CASE("extract_tar_gz round-trips a package, modes included", "[ops][package]") {
    const auto a = make_bundle("bundle_round");
    write_reproducible_tar_gz(a, "pkg-1", scratch() / "round.tar.gz");
    const auto out = scratch() / "round_out";
    fs::remove_all(out);
    extract_tar_gz(scratch() / "round.tar.gz", out);
    CHECK(bytes_of(out / "pkg-1" / "model" / "model.json") == bytes_of(a / "model" / "model.json"));
    CHECK((fs::status(out / "pkg-1" / "bin" / "serve").permissions() & fs::perms::owner_exec) != fs::perms::none);
    CHECK(list_package_files(out / "pkg-1") == list_package_files(a));
}

TEST_CASE("extract_tar_gz refuses entries that escape the destination or are not plain files", "[ops][package]") {
    const auto out = scratch() / "unsafe_out";
    const auto refused = [&](const fs::path& archive_path) {
        fs::remove_all(out);
        try {
            extract_tar_gz(archive_path, out);
        } catch (const ops_error& e) {
            return std::string(e.what());
        }
        return std::string("nothing refused");
    };
    CHECK_THAT(refused(archive_with("abs.tar.gz", "/tmp/ctml_escape", AE_IFREG)),
               Catch::Contains("\"/tmp/ctml_escape\" would be written outside the destination"));
    CHECK_FALSE(fs::exists("/tmp/ctml_escape"));
    CHECK_THAT(refused(archive_with("dots.tar.gz", "pkg/../../escape", AE_IFREG)),
               Catch::Contains("would be written outside the destination"));
    CHECK_FALSE(fs::exists(scratch() / "escape"));
    CHECK_THAT(refused(archive_with("link.tar.gz", "pkg/link", AE_IFLNK, "/etc/passwd")),
               Catch::Contains("\"pkg/link\" is not a regular file or directory"));
    CHECK_FALSE(fs::exists(out / "pkg" / "link"));
    // Not an archive at all.
    write(scratch() / "text.tar.gz", "just text\n");
    CHECK_THAT(refused(scratch() / "text.tar.gz"), Catch::Contains("text.tar.gz"));
    // Cut short.
    const auto whole = bytes_of(scratch() / "round.tar.gz");
    write(scratch() / "short.tar.gz", whole.substr(0, whole.size() / 2));
    CHECK_THAT(refused(scratch() / "short.tar.gz"), Catch::Contains("short.tar.gz"));
}

TEST_CASE("verify_package_files names an edited, a missing or an added file", "[ops][package]") {
    const auto dir = make_bundle("bundle_verify");
    const auto listed = list_package_files(dir, {"manifest.json"});
    REQUIRE(listed.size() == 2);
    CHECK(listed[0].path == "bin/serve");
    CHECK(listed[0].executable);
    CHECK(listed[1].path == "model/model.json");
    CHECK(listed[1].sha256 == sha256_hex("{\"w\": [1, 2]}\n"));
    CHECK_NOTHROW(verify_package_files(dir, listed, {"manifest.json"}));

    write(dir / "model" / "model.json", "{\"w\": [9, 9]}\n");
    CHECK_THROWS_WITH(verify_package_files(dir, listed, {"manifest.json"}),
                      Catch::Contains("model/model.json: changed since packaging"));
    fs::remove(dir / "model" / "model.json");
    CHECK_THROWS_WITH(verify_package_files(dir, listed, {"manifest.json"}),
                      Catch::Contains("model/model.json: listed in the manifest but missing"));
    write(dir / "model" / "model.json", "{\"w\": [1, 2]}\n");
    write(dir / "bin" / "extra", "x");
    CHECK_THROWS_WITH(verify_package_files(dir, listed, {"manifest.json"}),
                      Catch::Contains("bin/extra: not in the manifest"));
    fs::remove(dir / "bin" / "extra");
    auto outside = listed;
    outside[0].path = "../elsewhere";
    CHECK_THROWS_WITH(verify_package_files(dir, outside, {"manifest.json"}), Catch::Contains("outside the package"));
}

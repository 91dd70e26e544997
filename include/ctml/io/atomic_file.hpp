// atomic_file<Error>: a file that appears complete or not at all. Text is
// written to PATH.partial; commit() flushes it and renames it over PATH. If
// commit() is never reached (an error, an exception, a stop half-way), the
// partial file is removed, so nothing that looks like finished output is left
// behind. Error is the exception type the caller wants failures reported as
// (artifact_error for the model artifact, ops_error for the programs).
//
//   atomic_file<artifact_error> file("model.json");
//   file.stream() << text;
//   file.commit();
#pragma once

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>

namespace ctml {

template <class Error>
class atomic_file {
public:
    explicit atomic_file(std::filesystem::path path)
        : path_(std::move(path)), partial_(std::filesystem::path(path_).concat(".partial")) {
        out_.open(partial_, std::ios::binary | std::ios::trunc);
        if (!out_) throw Error(partial_.string() + ": cannot open for writing");
    }
    atomic_file(const atomic_file&) = delete;
    atomic_file& operator=(const atomic_file&) = delete;
    ~atomic_file() {
        if (committed_) return;
        out_.close();
        std::error_code ec;
        std::filesystem::remove(partial_, ec);
    }

    [[nodiscard]] std::ostream& stream() noexcept { return out_; }
    [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

    /// Flushes, closes and moves the file into place.
    void commit() {
        out_.flush();
        if (!out_) throw Error(partial_.string() + ": write failed");
        out_.close();
        std::error_code ec;
        std::filesystem::rename(partial_, path_, ec);
        if (ec) throw Error(path_.string() + ": cannot move the written file into place: " + ec.message());
        committed_ = true;
    }

private:
    std::filesystem::path path_;
    std::filesystem::path partial_;
    std::ofstream out_;
    bool committed_ = false;
};

/// Writes `text` to `path` through an atomic_file.
template <class Error>
void write_file_atomically(const std::filesystem::path& path, std::string_view text) {
    atomic_file<Error> file(path);
    file.stream() << text;
    file.commit();
}

}  // namespace ctml

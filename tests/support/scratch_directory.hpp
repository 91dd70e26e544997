// scratch_directory: a directory of this process's own under the system's
// temporary directory, emptied when made and removed at exit. Per process,
// because ctest runs the test cases of one executable as parallel processes.
#pragma once

#include <filesystem>
#include <string>
#include <system_error>

#include <unistd.h>

namespace test_support {

class scratch_directory {
public:
    explicit scratch_directory(const std::string& name)
        : path_(std::filesystem::temp_directory_path() / (name + "_" + std::to_string(::getpid()))) {
        std::filesystem::remove_all(path_);
        std::filesystem::create_directories(path_);
    }
    scratch_directory(const scratch_directory&) = delete;
    scratch_directory& operator=(const scratch_directory&) = delete;
    ~scratch_directory() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }

    [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

private:
    std::filesystem::path path_;
};

}  // namespace test_support

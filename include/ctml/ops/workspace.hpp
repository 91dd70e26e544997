// workspace: the directory every credit-* program shares.
//
//   WORKSPACE/runs/<run-id>/     one training run: model.json, metrics.json, run.json, holdout.csv
//   WORKSPACE/registry.db        the model registry (SQLite), unless --registry / CTML_REGISTRY names another
//   WORKSPACE/artifacts/<sha256>.json   registered artifacts, content-addressed and read-only
//
// The directory is --workspace DIR, else $CTML_WORKSPACE, else ./mlops. Run
// ids are the UTC time to the second plus 24 random bits, and a run directory
// is claimed with an exclusive mkdir, so trainings that start in the same
// second -- in one process or many -- never share one.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <random>
#include <string>
#include <system_error>

#include <sys/stat.h>

#include "ctml/ops/ops_error.hpp"
#include "ctml/ops/sha256.hpp"

namespace ctml::ops {

class workspace {
public:
    /// The workspace directory a program should use, given its --workspace flag (empty when absent).
    [[nodiscard]] static std::filesystem::path locate(const std::string& flag) {
        if (!flag.empty()) return flag;
        if (const char* env = std::getenv("CTML_WORKSPACE"); env && *env) return env;
        return "mlops";
    }

    explicit workspace(std::filesystem::path root) : root_(std::move(root)) {}

    [[nodiscard]] const std::filesystem::path& root() const noexcept { return root_; }
    [[nodiscard]] std::filesystem::path runs_dir() const { return root_ / "runs"; }
    [[nodiscard]] std::filesystem::path run_dir(const std::string& run_id) const { return runs_dir() / run_id; }
    [[nodiscard]] std::filesystem::path registry_path() const { return root_ / "registry.db"; }
    [[nodiscard]] std::filesystem::path artifacts_dir() const { return root_ / "artifacts"; }
    [[nodiscard]] std::filesystem::path artifact_path(const std::string& sha256) const {
        return artifacts_dir() / (sha256 + ".json");
    }

    /// Creates the workspace's directories if they are missing.
    void create() const {
        std::error_code ec;
        for (const auto& dir : {runs_dir(), artifacts_dir()}) {
            std::filesystem::create_directories(dir, ec);
            if (ec) throw ops_error(dir.string() + ": cannot create the workspace directory: " + ec.message());
        }
    }

    /// Claims a new, unique run directory and returns its id.
    [[nodiscard]] std::string new_run() const {
        create();
        std::random_device entropy;
        for (int attempt = 0; attempt < 100; ++attempt) {
            const std::string id = timestamp_id() + "-" + hex24(entropy());
            std::error_code ec;
            if (std::filesystem::create_directory(run_dir(id), ec)) return id;  // false: it already exists
            if (ec) throw ops_error(run_dir(id).string() + ": cannot create the run directory: " + ec.message());
        }
        throw ops_error(runs_dir().string() + ": could not claim a unique run directory");
    }

    /// The run's directory, which must exist.
    [[nodiscard]] std::filesystem::path existing_run(const std::string& run_id) const {
        if (run_id.empty() || run_id.find('/') != std::string::npos || run_id.find("..") != std::string::npos)
            throw ops_error("\"" + run_id + "\" is not a run id");
        const auto dir = run_dir(run_id);
        if (!std::filesystem::is_directory(dir)) throw ops_error(dir.string() + ": no such run in the workspace");
        return dir;
    }

    /// Stores `file` (whose SHA-256 is `sha256`) under artifacts/, read-only. An artifact already
    /// stored is kept if its bytes are right and refused if they are not.
    void store_artifact(const std::filesystem::path& file, const std::string& sha256) const {
        create();
        const auto target = artifact_path(sha256);
        if (std::filesystem::exists(target)) {
            if (sha256_file(target) != sha256)
                throw ops_error(target.string() + ": the stored artifact does not match its SHA-256; it has been altered");
            return;
        }
        const auto partial = std::filesystem::path(target).concat(".partial");
        std::error_code ec;
        std::filesystem::copy_file(file, partial, std::filesystem::copy_options::overwrite_existing, ec);
        if (ec) throw ops_error(partial.string() + ": cannot store the artifact: " + ec.message());
        if (sha256_file(partial) != sha256) {
            std::filesystem::remove(partial, ec);
            throw ops_error(file.string() + ": changed while it was being stored");
        }
        ::chmod(partial.c_str(), 0444);
        std::filesystem::rename(partial, target, ec);
        if (ec) throw ops_error(target.string() + ": cannot move the stored artifact into place: " + ec.message());
    }

private:
    static std::string timestamp_id() {
        const std::time_t now = std::time(nullptr);
        std::tm parts{};
        gmtime_r(&now, &parts);
        char text[64];
        std::strftime(text, sizeof text, "%Y%m%d-%H%M%S", &parts);
        return text;
    }
    static std::string hex24(std::uint32_t bits) {
        char text[16];
        std::snprintf(text, sizeof text, "%06x", bits & 0xffffffu);
        return text;
    }

    std::filesystem::path root_;
};

}  // namespace ctml::ops

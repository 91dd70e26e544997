// A training run as credit-train writes it and the later programs read it:
//
//   runs/<run-id>/model.json     the artifact (the model, its training statistics, lineage, class names)
//   runs/<run-id>/metrics.json   the evaluation (holdout, or training rows with --test-size 0)
//   runs/<run-id>/holdout.csv    the holdout rows, so a later gate can score another model on them
//   runs/<run-id>/run.json       lineage: data SHA-256, rows, git commit, parameters, versions, timings,
//                                and the artifact's SHA-256; written last, so its presence marks a complete run
#pragma once

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include <nlohmann/json.hpp>

#include <ctml/ops/ops_error.hpp>
#include <ctml/ops/sha256.hpp>
#include <ctml/ops/workspace.hpp>

namespace credit {

inline nlohmann::json read_json(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ctml::ops::ops_error(path.string() + ": cannot open");
    try {
        return nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
        throw ctml::ops::ops_error(path.string() + ": not valid JSON (" + e.what() + ")");
    }
}

struct run_files {
    std::string id;
    std::filesystem::path dir;
    nlohmann::json run;
    nlohmann::json metrics;

    [[nodiscard]] std::filesystem::path artifact() const { return dir / "model.json"; }
    [[nodiscard]] std::filesystem::path holdout() const { return dir / "holdout.csv"; }
    [[nodiscard]] std::string artifact_sha256() const { return run.at("artifact_sha256").get<std::string>(); }
};

inline run_files open_run(const ctml::ops::workspace& ws, const std::string& id) {
    run_files r{id, ws.existing_run(id), {}, {}};
    if (!std::filesystem::exists(r.dir / "run.json"))
        throw ctml::ops::ops_error((r.dir / "run.json").string() + ": missing: the run did not finish");
    r.run = read_json(r.dir / "run.json");
    r.metrics = read_json(r.dir / "metrics.json");
    if (!r.run.contains("artifact_sha256") || !r.run["artifact_sha256"].is_string())
        throw ctml::ops::ops_error((r.dir / "run.json").string() + ": has no artifact_sha256");
    return r;
}

/// Throws `refused` when the run's artifact is not the one training wrote.
template <class Refused>
void verify_run_artifact(const run_files& r) {
    if (!std::filesystem::exists(r.artifact())) throw Refused(r.artifact().string() + ": the run's artifact is missing");
    const auto actual = ctml::ops::sha256_file(r.artifact());
    if (actual != r.artifact_sha256())
        throw Refused(r.artifact().string() + ": the artifact has been altered since training (SHA-256 " + actual +
                      ", recorded " + r.artifact_sha256() + ")");
}

}  // namespace credit

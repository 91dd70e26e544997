// resolve_model: what every program's --model argument means.
//
//   PATH           an artifact file, used as it is
//   NAME:VERSION   that registered version
//   NAME@ALIAS     the version the alias points at (champion, test, production, …)
//
// A registered model is read from WORKSPACE/artifacts/<sha256>.json and its
// SHA-256 is checked against the registry before anything is loaded: a
// stored artifact that was altered is refused. An existing file wins over a
// name, so a path that happens to contain ':' or '@' still works.
#pragma once

#include <cctype>
#include <filesystem>
#include <optional>
#include <string>

#include "ctml/ops/ops_error.hpp"
#include "ctml/ops/registry.hpp"
#include "ctml/ops/sha256.hpp"
#include "ctml/ops/workspace.hpp"

namespace ctml::ops {

struct resolved_model {
    std::filesystem::path path;
    std::string sha256;
    /// Set when the model came from the registry.
    std::optional<model_version> version;
    /// How to name it in messages: "credit:3", "credit@champion (credit:3)" or the path.
    std::string label;
};

/// NAME:VERSION or NAME@ALIAS split into its parts; nothing when `text` is neither.
struct model_reference {
    std::string name;
    std::optional<int> version;
    std::optional<std::string> alias;
};

[[nodiscard]] inline std::optional<model_reference> parse_model_reference(const std::string& text) {
    if (const auto at = text.rfind('@'); at != std::string::npos && at > 0 && at + 1 < text.size())
        return model_reference{text.substr(0, at), std::nullopt, text.substr(at + 1)};
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) return std::nullopt;
    const std::string digits = text.substr(colon + 1);
    for (char c : digits)
        if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    if (digits.size() > 9) return std::nullopt;
    return model_reference{text.substr(0, colon), std::stoi(digits), std::nullopt};
}

/// The registered version a reference names; ops_error when there is none.
[[nodiscard]] inline model_version find_version(registry& reg, const model_reference& ref) {
    int version = 0;
    if (ref.alias) {
        const auto target = reg.alias_target(ref.name, *ref.alias);
        if (!target) throw ops_error(reg.location() + ": " + ref.name + " has no alias \"" + *ref.alias + "\"");
        version = *target;
    } else {
        version = *ref.version;
    }
    auto found = reg.find(ref.name, version);
    if (!found) throw ops_error(reg.location() + ": there is no registered model " + ref.name + ":" + std::to_string(version));
    return *found;
}

/// The verified artifact of a registered version.
[[nodiscard]] inline resolved_model verified_artifact(const workspace& ws, const model_version& v, std::string label) {
    const auto path = ws.artifact_path(v.sha256);
    if (!std::filesystem::exists(path))
        throw ops_error(path.string() + ": the artifact of " + v.name + ":" + std::to_string(v.version) + " is missing");
    const auto actual = sha256_file(path);
    if (actual != v.sha256)
        throw ops_error(path.string() + ": the artifact of " + v.name + ":" + std::to_string(v.version) +
                        " has been altered (SHA-256 " + actual + ", registered " + v.sha256 + "); refusing to load it");
    return {path, v.sha256, v, std::move(label)};
}

[[nodiscard]] inline resolved_model resolve_model(const std::string& text, const workspace& ws, registry* reg) {
    if (text.empty()) throw ops_error("--model is empty: give an artifact path, NAME:VERSION or NAME@ALIAS");
    std::error_code ec;
    if (std::filesystem::is_regular_file(text, ec)) return {text, sha256_file(text), std::nullopt, text};
    const auto ref = parse_model_reference(text);
    if (!ref) throw ops_error(text + ": no such artifact file, and not NAME:VERSION or NAME@ALIAS");
    if (!reg) throw ops_error(text + ": names a registered model, but no registry is open");
    const auto v = find_version(*reg, *ref);
    std::string label = ref->alias ? text + " (" + v.name + ":" + std::to_string(v.version) + ")" : text;
    return verified_artifact(ws, v, std::move(label));
}

}  // namespace ctml::ops

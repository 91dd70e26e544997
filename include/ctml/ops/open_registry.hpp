// open_registry: the registry a program should use -- the --registry URL, else
// $CTML_REGISTRY, else WORKSPACE/registry.db (SQLite). A postgresql://… URL
// names a server registry (not in this build yet: it is refused clearly).
#pragma once

#include <cstdlib>
#include <memory>
#include <string>

#include "ctml/ops/ops_error.hpp"
#include "ctml/ops/registry.hpp"
#include "ctml/ops/sqlite_registry.hpp"
#include "ctml/ops/workspace.hpp"

namespace ctml::ops {

[[nodiscard]] inline std::unique_ptr<registry> open_registry(const workspace& ws, const std::string& flag = {}) {
    std::string url = flag;
    if (url.empty())
        if (const char* env = std::getenv("CTML_REGISTRY"); env && *env) url = env;
    if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0)
        throw ops_error(url.substr(0, url.find('@') == std::string::npos ? url.size() : 13) +
                        "…: this build has no PostgreSQL registry; use the SQLite one (leave --registry unset)");
    if (url.rfind("sqlite://", 0) == 0) url = url.substr(9);
    if (url.empty()) {
        ws.create();
        url = ws.registry_path().string();
    }
    return std::make_unique<sqlite_registry>(url);
}

}  // namespace ctml::ops

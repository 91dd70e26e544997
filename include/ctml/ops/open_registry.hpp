// open_registry: the registry a program should use -- the --registry URL, else
// $CTML_REGISTRY, else WORKSPACE/registry.db (SQLite). A postgresql://… (or
// postgres://…) URL names a team registry on a PostgreSQL server; it needs
// the ctml::postgresql layer (libpq), which defines CTML_HAVE_POSTGRESQL.
// Without it such a URL is refused with a message, never ignored.
#pragma once

#include <cstdlib>
#include <memory>
#include <string>

#include "ctml/ops/ops_error.hpp"
#include "ctml/ops/registry.hpp"
#include "ctml/ops/sqlite_registry.hpp"
#include "ctml/ops/workspace.hpp"
#if defined(CTML_HAVE_POSTGRESQL)
#include "ctml/ops/postgresql_registry.hpp"
#endif

namespace ctml::ops {

/// True for the URLs that name a PostgreSQL registry.
[[nodiscard]] inline bool is_postgresql_url(const std::string& url) {
    return url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0;
}

[[nodiscard]] inline std::unique_ptr<registry> open_registry(const workspace& ws, const std::string& flag = {}) {
    std::string url = flag;
    if (url.empty())
        if (const char* env = std::getenv("CTML_REGISTRY"); env && *env) url = env;
    if (is_postgresql_url(url)) {
#if defined(CTML_HAVE_POSTGRESQL)
        return std::make_unique<postgresql_registry>(url);
#else
        throw ops_error(url.substr(0, url.find("://") + 3) +
                        "…: this build has no PostgreSQL registry (built without libpq); use the SQLite one "
                        "(leave --registry unset)");
#endif
    }
    if (url.rfind("sqlite://", 0) == 0) url = url.substr(9);
    if (url.empty()) {
        ws.create();
        url = ws.registry_path().string();
    }
    return std::make_unique<sqlite_registry>(url);
}

}  // namespace ctml::ops

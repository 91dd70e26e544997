// The ops layer (ctml::ops): what the MLOps programs share -- the workspace
// and its run directories (workspace.hpp), SHA-256 through OpenSSL
// (sha256.hpp), the model registry behind a small interface (registry.hpp)
// with its embedded SQLite implementation (sqlite_registry.hpp,
// open_registry.hpp) and, with the ctml::postgresql layer, the team registry
// on a PostgreSQL server (postgresql_registry.hpp), and the --model resolver that turns a path,
// NAME:VERSION or NAME@ALIAS into a verified artifact (model_resolver.hpp).
// Programs: examples/credit/; the flow: docs/mlops-flow.md.
#pragma once

#include "ctml/io.hpp"
#include "ctml/ops/clock.hpp"
#include "ctml/ops/model_resolver.hpp"
#include "ctml/ops/open_registry.hpp"
#include "ctml/ops/ops_error.hpp"
#include "ctml/ops/registry.hpp"
#include "ctml/ops/score_request.hpp"
#include "ctml/ops/sha256.hpp"
#include "ctml/ops/sqlite_registry.hpp"
#include "ctml/ops/workspace.hpp"
#if defined(CTML_HAVE_POSTGRESQL)
#include "ctml/ops/postgresql_registry.hpp"
#endif

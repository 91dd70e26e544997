// postgresql_registry: the model registry in a PostgreSQL database, for a team
// whose people and CI runners on several machines share one registry. Same
// interface, same tables and columns, same schema versions and migrations as
// sqlite_registry; the artifacts stay content-addressed files in a workspace
// directory every machine can read, with their SHA-256 in the database.
//
// - The schema version lives in a one-row table, ctml_registry. A database
//   with tables of its own and no ctml_registry, or written by a newer schema,
//   is refused with a message and left exactly as it was.
// - Migrations run in one transaction under an advisory lock, so several
//   processes meeting an empty database create the schema once.
// - Lists sort by byte value (COLLATE "C"), as SQLite does, whatever the
//   database's locale.
// - Every write is one SERIALIZABLE transaction, run again (with jittered
//   back-off) when the server reports a conflict with a concurrent writer:
//   versions stay unique and gap-free however many machines register at
//   once. A registration's `inside` step may therefore run more than once; the
//   programs store the content-addressed artifact there, which is idempotent.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "ctml/ops/clock.hpp"
#include "ctml/ops/detail/postgresql.hpp"
#include "ctml/ops/ops_error.hpp"
#include "ctml/ops/registry.hpp"

namespace ctml::ops {

class postgresql_registry final : public registry {
public:
    /// The schema this build writes: the same numbering as sqlite_registry::latest_schema.
    static constexpr int latest_schema = 2;
    /// How many times a write that conflicted with another writer is tried in all.
    static constexpr int max_attempts = 40;

    /// url: "postgresql://user:password@host:port/database" (any libpq URL or key=value string).
    explicit postgresql_registry(const std::string& url) : db_(url) { check_and_migrate(); }

    [[nodiscard]] std::string location() const override { return db_.location(); }

    [[nodiscard]] int schema_version() override { return stored_schema().value_or(0); }

    std::int64_t record_approval(const approval& a) override {
        return write([&] {
            return db_.exec("INSERT INTO approvals (run_id, decision, approver, comment, decided_at, artifact_sha256, "
                            "gates) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                            {a.run_id, a.decision, a.approver, a.comment,
                             a.decided_at.empty() ? utc_timestamp() : a.decided_at, a.artifact_sha256, a.gates_json})
                .integer(0, 0);
        });
    }

    [[nodiscard]] std::optional<approval> latest_approval(const std::string& run_id) override {
        const auto r = db_.exec("SELECT id, run_id, decision, approver, comment, decided_at, artifact_sha256, gates "
                                "FROM approvals WHERE run_id = $1 ORDER BY id DESC LIMIT 1",
                                {run_id});
        if (r.rows() == 0) return std::nullopt;
        return approval{r.integer(0, 0), r.text(0, 1), r.text(0, 2), r.text(0, 3),
                        r.text(0, 4),    r.text(0, 5), r.text(0, 6), r.text(0, 7)};
    }

    using registry::register_version;

protected:
    model_version do_register_version(const version_request& q,
                                      const std::function<void(const model_version&)>& inside) override {
        return write([&] {
            const auto next = db_.exec("SELECT COALESCE(MAX(version), 0) + 1 FROM model_versions WHERE name = $1", {q.name});
            model_version v{q.name, static_cast<int>(next.integer(0, 0)), q.run_id, q.sha256, q.data_sha256,
                            q.metrics_json, q.params_json, q.approval_id, utc_timestamp(), q.registered_by, q.tags, {}};
            const auto version = std::to_string(v.version);
            db_.exec("INSERT INTO model_versions (name, version, run_id, sha256, data_sha256, metrics, params, "
                     "approval_id, registered_at, registered_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                     {v.name, version, v.run_id, v.sha256, v.data_sha256, v.metrics_json, v.params_json,
                      std::to_string(v.approval_id), v.registered_at, v.registered_by});
            for (const auto& [key, value] : v.tags)
                db_.exec("INSERT INTO tags (name, version, key, value) VALUES ($1, $2, $3, $4)",
                         {v.name, version, key, value});
            if (inside) inside(v);
            return v;
        });
    }

public:
    [[nodiscard]] std::optional<model_version> version_of_run(const std::string& run_id) override {
        return select_one("WHERE run_id = $1", {run_id});
    }

    [[nodiscard]] std::optional<model_version> find(const std::string& name, int version) override {
        return select_one("WHERE name = $1 AND version = $2", {name, std::to_string(version)});
    }

    [[nodiscard]] std::optional<model_version> latest(const std::string& name) override {
        return select_one("WHERE name = $1 ORDER BY version DESC LIMIT 1", {name});
    }

    [[nodiscard]] std::vector<model_version> list() override { return select("ORDER BY name COLLATE \"C\", version", {}); }

    [[nodiscard]] std::optional<int> alias_target(const std::string& name, const std::string& alias) override {
        const auto r = db_.exec("SELECT version FROM aliases WHERE name = $1 AND alias = $2", {name, alias});
        if (r.rows() == 0) return std::nullopt;
        return static_cast<int>(r.integer(0, 0));
    }

    alias_event move_alias(const std::string& name, const std::string& alias, int version,
                           const std::string& moved_by) override {
        return write([&] {
            if (!find(name, version)) throw ops_error(location() + ": there is no " + name + ":" + std::to_string(version));
            alias_event e{name, alias, alias_target(name, alias), version, moved_by, utc_timestamp()};
            const auto to = std::to_string(version);
            db_.exec("INSERT INTO aliases (name, alias, version) VALUES ($1, $2, $3) "
                     "ON CONFLICT (name, alias) DO UPDATE SET version = excluded.version",
                     {name, alias, to});
            db_.exec("INSERT INTO alias_events (name, alias, from_version, to_version, moved_by, moved_at) "
                     "VALUES ($1, $2, $3, $4, $5, $6)",
                     {name, alias, e.from_version ? std::optional(std::to_string(*e.from_version)) : std::nullopt, to,
                      moved_by, e.moved_at});
            return e;
        });
    }

    [[nodiscard]] std::vector<alias_event> alias_history(const std::string& name) override {
        const auto r = db_.exec("SELECT name, alias, from_version, to_version, moved_by, moved_at "
                                "FROM alias_events WHERE name = $1 ORDER BY id",
                                {name});
        std::vector<alias_event> out;
        for (int i = 0; i < r.rows(); ++i)
            out.push_back({r.text(i, 0), r.text(i, 1),
                           r.is_null(i, 2) ? std::nullopt : std::optional<int>(static_cast<int>(r.integer(i, 2))),
                           static_cast<int>(r.integer(i, 3)), r.text(i, 4), r.text(i, 5)});
        return out;
    }

    std::int64_t record_deployment(const deployment& d) override {
        return write([&] {
            if (!find(d.name, d.version))
                throw ops_error(location() + ": there is no " + d.name + ":" + std::to_string(d.version));
            const auto now = utc_timestamp();
            return db_.exec("INSERT INTO deployments (environment, name, version, package_sha256, port, pid, status, "
                            "reason, started_at, ended_at, deployed_by) "
                            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
                            {d.environment, d.name, std::to_string(d.version), d.package_sha256, std::to_string(d.port),
                             std::to_string(d.pid), d.status, d.reason, now,
                             d.status == "serving" ? std::string() : now, d.deployed_by})
                .integer(0, 0);
        });
    }

    void end_deployment(std::int64_t id, const std::string& status, const std::string& reason) override {
        write([&] {
            const auto r = db_.exec("UPDATE deployments SET status = $1, reason = $2, ended_at = $3 "
                                    "WHERE id = $4 AND status = 'serving'",
                                    {status, reason, utc_timestamp(), std::to_string(id)});
            if (r.affected() != 1) throw ops_error(location() + ": deployment " + std::to_string(id) + " is not serving");
            return 0;
        });
    }

    [[nodiscard]] std::vector<deployment> deployments(const std::string& environment) override {
        const auto r = db_.exec("SELECT id, environment, name, version, package_sha256, port, pid, status, reason, "
                                "started_at, ended_at, deployed_by FROM deployments WHERE environment = $1 ORDER BY id",
                                {environment});
        std::vector<deployment> out;
        for (int i = 0; i < r.rows(); ++i)
            out.push_back({r.integer(i, 0), r.text(i, 1), r.text(i, 2), static_cast<int>(r.integer(i, 3)), r.text(i, 4),
                           static_cast<int>(r.integer(i, 5)), r.integer(i, 6), r.text(i, 7), r.text(i, 8),
                           r.text(i, 9), r.text(i, 10), r.text(i, 11)});
        return out;
    }

private:
    // One serializable transaction around body, run again while the server
    // says a concurrent writer got in the way. Two registrations that both
    // read "the next version is 3" conflict as a serialization failure, or,
    // when the second insert reaches the key first, as a duplicate
    // (name, version) key; either way the loser starts over and reads 4.
    template <class Body>
    std::invoke_result_t<Body&> write(Body&& body) {
        std::minstd_rand jitter(std::random_device{}());
        for (int attempt = 1;; ++attempt) {
            try {
                detail::postgresql_transaction tx(db_);
                auto result = body();
                tx.commit();
                return result;
            } catch (const detail::postgresql_error& e) {
                const bool lost_race = e.is_transient() || (e.sqlstate() == "23505" && e.constraint() == "model_versions_pkey");
                if (!lost_race || attempt == max_attempts) throw;
                const int ceiling_ms = std::min(200, 2 << std::min(attempt, 7));
                std::this_thread::sleep_for(std::chrono::milliseconds(1 + static_cast<int>(jitter() % ceiling_ms)));
            }
        }
    }

    std::optional<int> stored_schema() {
        // A catalog query, not to_regclass(): that reads the cached catalog,
        // which need not yet show a table another session committed while
        // this one waited for the (advisory) migration lock.
        if (db_.exec("SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = current_schema() "
                     "AND tablename = 'ctml_registry')")
                .text(0, 0) != "t")
            return std::nullopt;
        const auto r = db_.exec("SELECT schema_version FROM ctml_registry WHERE application = 'ctml'");
        if (r.rows() == 0) return std::nullopt;
        return static_cast<int>(r.integer(0, 0));
    }

    // Reads only: a database that is not ours is refused before anything is written to it.
    // Called under the migration lock.
    void check_is_ours() {
        const auto version = stored_schema();
        if (!version) {
            const auto tables = db_.exec("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()")
                                    .integer(0, 0);
            if (tables > 0)
                throw ops_error(location() + ": not a ctml registry: a database with tables of its own (" +
                                std::to_string(tables) + " in schema \"" + db_.exec("SELECT current_schema()").text(0, 0) +
                                "\") and no ctml_registry table; it was left untouched");
            return;
        }
        if (*version > latest_schema)
            throw ops_error(location() + ": the registry has schema version " + std::to_string(*version) +
                            ", newer than this build knows (" + std::to_string(latest_schema) +
                            "); upgrade ctml to use it. It was left untouched");
    }

    void check_and_migrate() {
        if (stored_schema() == latest_schema) return;  // the usual case: no lock taken
        // Every other case is decided under the lock, so a process that is
        // creating the schema is never caught half-way (its tables committed
        // between two of this process's reads). Read committed: after
        // waiting for the lock, see what the holder created.
        detail::postgresql_transaction tx(db_, detail::isolation::read_committed);
        db_.exec("SELECT pg_advisory_xact_lock(1668574572)");  // 'ctml' in ASCII
        check_is_ours();
        const int version = stored_schema().value_or(0);
        if (version < 1) {
            db_.exec(R"sql(
                CREATE TABLE ctml_registry (
                    application TEXT PRIMARY KEY CHECK (application = 'ctml'),
                    schema_version INTEGER NOT NULL);
                CREATE TABLE approvals (
                    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                    run_id TEXT NOT NULL,
                    decision TEXT NOT NULL CHECK (decision IN ('approved', 'rejected')),
                    approver TEXT NOT NULL,
                    comment TEXT NOT NULL,
                    decided_at TEXT NOT NULL,
                    artifact_sha256 TEXT NOT NULL,
                    gates TEXT NOT NULL);
                CREATE INDEX approvals_by_run ON approvals (run_id);
                CREATE TABLE model_versions (
                    name TEXT NOT NULL,
                    version INTEGER NOT NULL CHECK (version >= 1),
                    run_id TEXT NOT NULL UNIQUE,
                    sha256 TEXT NOT NULL,
                    data_sha256 TEXT NOT NULL,
                    metrics TEXT NOT NULL,
                    params TEXT NOT NULL,
                    approval_id BIGINT NOT NULL REFERENCES approvals (id),
                    registered_at TEXT NOT NULL,
                    registered_by TEXT NOT NULL,
                    CONSTRAINT model_versions_pkey PRIMARY KEY (name, version));
                CREATE TABLE tags (
                    name TEXT NOT NULL, version INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
                    PRIMARY KEY (name, version, key),
                    FOREIGN KEY (name, version) REFERENCES model_versions (name, version));
                CREATE TABLE aliases (
                    name TEXT NOT NULL, alias TEXT NOT NULL, version INTEGER NOT NULL,
                    PRIMARY KEY (name, alias),
                    FOREIGN KEY (name, version) REFERENCES model_versions (name, version));
                CREATE TABLE alias_events (
                    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                    name TEXT NOT NULL, alias TEXT NOT NULL, from_version INTEGER, to_version INTEGER NOT NULL,
                    moved_by TEXT NOT NULL, moved_at TEXT NOT NULL);
                INSERT INTO ctml_registry (application, schema_version) VALUES ('ctml', 1);
            )sql");
        }
        if (version < 2) {  // deployments to environments
            db_.exec(R"sql(
                CREATE TABLE deployments (
                    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                    environment TEXT NOT NULL,
                    name TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    package_sha256 TEXT NOT NULL,
                    port INTEGER NOT NULL,
                    pid BIGINT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('serving', 'failed', 'replaced', 'stopped')),
                    reason TEXT NOT NULL,
                    started_at TEXT NOT NULL,
                    ended_at TEXT NOT NULL,
                    deployed_by TEXT NOT NULL,
                    FOREIGN KEY (name, version) REFERENCES model_versions (name, version));
                CREATE INDEX deployments_by_environment ON deployments (environment);
                UPDATE ctml_registry SET schema_version = 2 WHERE application = 'ctml';
            )sql");
        }
        tx.commit();
    }

    std::vector<model_version> select(const std::string& where, const detail::postgresql_params& params) {
        const auto r = db_.exec("SELECT name, version, run_id, sha256, data_sha256, metrics, params, approval_id, "
                                "registered_at, registered_by FROM model_versions " + where,
                                params);
        std::vector<model_version> out;
        for (int i = 0; i < r.rows(); ++i)
            out.push_back({r.text(i, 0), static_cast<int>(r.integer(i, 1)), r.text(i, 2), r.text(i, 3), r.text(i, 4),
                           r.text(i, 5), r.text(i, 6), r.integer(i, 7), r.text(i, 8), r.text(i, 9), {}, {}});
        for (auto& v : out) {
            const detail::postgresql_params key{v.name, std::to_string(v.version)};
            const auto tags = db_.exec("SELECT key, value FROM tags WHERE name = $1 AND version = $2 ORDER BY key COLLATE \"C\"", key);
            for (int i = 0; i < tags.rows(); ++i) v.tags[tags.text(i, 0)] = tags.text(i, 1);
            const auto aliases = db_.exec("SELECT alias FROM aliases WHERE name = $1 AND version = $2 ORDER BY alias COLLATE \"C\"", key);
            for (int i = 0; i < aliases.rows(); ++i) v.aliases.push_back(aliases.text(i, 0));
        }
        return out;
    }

    std::optional<model_version> select_one(const std::string& where, const detail::postgresql_params& params) {
        auto all = select(where, params);
        if (all.empty()) return std::nullopt;
        return std::move(all.front());
    }

    detail::postgresql_connection db_;
};

}  // namespace ctml::ops

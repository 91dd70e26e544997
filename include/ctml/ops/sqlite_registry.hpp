// sqlite_registry: the model registry in one embedded SQLite file,
// WORKSPACE/registry.db.
//
// - Schema versioned with PRAGMA user_version and migrated in order, each
//   migration in its own transaction. A file written by a newer schema, a
//   file that is not an SQLite database, or a database that is not a ctml
//   registry (PRAGMA application_id) is refused with a message and left
//   exactly as it was: nothing is written before those checks.
// - WAL journal, and a busy timeout, so concurrent writers wait for each
//   other instead of failing.
// - Every write is one BEGIN IMMEDIATE transaction: the writer holds the lock
//   from the moment it reads the current highest version, so versions stay
//   unique and gap-free however many processes register at once.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <sqlite3.h>

#include "ctml/ops/clock.hpp"
#include "ctml/ops/detail/sqlite.hpp"
#include "ctml/ops/ops_error.hpp"
#include "ctml/ops/registry.hpp"

namespace ctml::ops {

class sqlite_registry final : public registry {
public:
    /// 'ctml' in ASCII: marks a database as a ctml registry.
    static constexpr std::int64_t application_id = 0x63746d6c;
    /// The schema this build writes; migrations bring older files up to it.
    static constexpr int latest_schema = 2;

    explicit sqlite_registry(const std::filesystem::path& path, int busy_timeout_ms = 60'000)
        : db_(path.string(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX) {
        sqlite3_busy_timeout(db_.get(), busy_timeout_ms);
        check_is_ours();
        migrate();
        db_.exec("PRAGMA foreign_keys = ON");
    }

    [[nodiscard]] std::string location() const override { return db_.path(); }

    [[nodiscard]] int schema_version() override { return static_cast<int>(pragma("user_version")); }

    std::int64_t record_approval(const approval& a) override {
        detail::sqlite_write_transaction tx(db_);
        detail::sqlite_statement insert(db_, "INSERT INTO approvals (run_id, decision, approver, comment, decided_at, "
                                             "artifact_sha256, gates) VALUES (?, ?, ?, ?, ?, ?, ?)");
        insert.bind(1, a.run_id).bind(2, a.decision).bind(3, a.approver).bind(4, a.comment);
        insert.bind(5, a.decided_at.empty() ? utc_timestamp() : a.decided_at).bind(6, a.artifact_sha256).bind(7, a.gates_json);
        insert.run();
        const auto id = db_.last_insert_id();
        tx.commit();
        return id;
    }

    [[nodiscard]] std::optional<approval> latest_approval(const std::string& run_id) override {
        detail::sqlite_statement q(db_, "SELECT id, run_id, decision, approver, comment, decided_at, artifact_sha256, gates "
                                        "FROM approvals WHERE run_id = ? ORDER BY id DESC LIMIT 1");
        q.bind(1, run_id);
        if (!q.step()) return std::nullopt;
        return approval{q.integer(0), q.text(1), q.text(2), q.text(3), q.text(4), q.text(5), q.text(6), q.text(7)};
    }

    using registry::register_version;

protected:
    model_version do_register_version(const version_request& r,
                                      const std::function<void(const model_version&)>& inside) override {
        detail::sqlite_write_transaction tx(db_);
        detail::sqlite_statement next(db_, "SELECT COALESCE(MAX(version), 0) + 1 FROM model_versions WHERE name = ?");
        next.bind(1, r.name);
        next.step();
        model_version v{r.name, static_cast<int>(next.integer(0)), r.run_id, r.sha256, r.data_sha256, r.metrics_json,
                        r.params_json, r.approval_id, utc_timestamp(), r.registered_by, r.tags, {}};
        detail::sqlite_statement insert(db_, "INSERT INTO model_versions (name, version, run_id, sha256, data_sha256, "
                                             "metrics, params, approval_id, registered_at, registered_by) "
                                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        insert.bind(1, v.name).bind(2, v.version).bind(3, v.run_id).bind(4, v.sha256).bind(5, v.data_sha256);
        insert.bind(6, v.metrics_json).bind(7, v.params_json).bind(8, v.approval_id).bind(9, v.registered_at);
        insert.bind(10, v.registered_by);
        insert.run();
        for (const auto& [key, value] : v.tags) {
            detail::sqlite_statement tag(db_, "INSERT INTO tags (name, version, key, value) VALUES (?, ?, ?, ?)");
            tag.bind(1, v.name).bind(2, v.version).bind(3, key).bind(4, value).run();
        }
        if (inside) inside(v);
        tx.commit();
        return v;
    }

public:
    [[nodiscard]] std::optional<model_version> version_of_run(const std::string& run_id) override {
        return select_one("WHERE run_id = ?", [&](detail::sqlite_statement& q) { q.bind(1, run_id); });
    }

    [[nodiscard]] std::optional<model_version> find(const std::string& name, int version) override {
        return select_one("WHERE name = ? AND version = ?",
                          [&](detail::sqlite_statement& q) { q.bind(1, name).bind(2, version); });
    }

    [[nodiscard]] std::optional<model_version> latest(const std::string& name) override {
        return select_one("WHERE name = ? ORDER BY version DESC LIMIT 1",
                          [&](detail::sqlite_statement& q) { q.bind(1, name); });
    }

    [[nodiscard]] std::vector<model_version> list() override {
        return select("ORDER BY name, version", [](detail::sqlite_statement&) {});
    }

    [[nodiscard]] std::optional<int> alias_target(const std::string& name, const std::string& alias) override {
        detail::sqlite_statement q(db_, "SELECT version FROM aliases WHERE name = ? AND alias = ?");
        q.bind(1, name).bind(2, alias);
        if (!q.step()) return std::nullopt;
        return static_cast<int>(q.integer(0));
    }

    alias_event move_alias(const std::string& name, const std::string& alias, int version,
                           const std::string& moved_by) override {
        detail::sqlite_write_transaction tx(db_);
        if (!find(name, version)) throw ops_error(location() + ": there is no " + name + ":" + std::to_string(version));
        alias_event e{name, alias, alias_target(name, alias), version, moved_by, utc_timestamp()};
        detail::sqlite_statement set(db_, "INSERT INTO aliases (name, alias, version) VALUES (?, ?, ?) "
                                          "ON CONFLICT (name, alias) DO UPDATE SET version = excluded.version");
        set.bind(1, name).bind(2, alias).bind(3, version).run();
        detail::sqlite_statement log(db_, "INSERT INTO alias_events (name, alias, from_version, to_version, moved_by, "
                                          "moved_at) VALUES (?, ?, ?, ?, ?, ?)");
        log.bind(1, name).bind(2, alias);
        log.bind(3, e.from_version ? std::optional<std::int64_t>(*e.from_version) : std::nullopt);
        log.bind(4, version).bind(5, moved_by).bind(6, e.moved_at).run();
        tx.commit();
        return e;
    }

    [[nodiscard]] std::vector<alias_event> alias_history(const std::string& name) override {
        detail::sqlite_statement q(db_, "SELECT name, alias, from_version, to_version, moved_by, moved_at "
                                        "FROM alias_events WHERE name = ? ORDER BY id");
        q.bind(1, name);
        std::vector<alias_event> out;
        while (q.step())
            out.push_back({q.text(0), q.text(1),
                           q.is_null(2) ? std::nullopt : std::optional<int>(static_cast<int>(q.integer(2))),
                           static_cast<int>(q.integer(3)), q.text(4), q.text(5)});
        return out;
    }

    std::int64_t record_deployment(const deployment& d) override {
        detail::sqlite_write_transaction tx(db_);
        if (!find(d.name, d.version)) throw ops_error(location() + ": there is no " + d.name + ":" + std::to_string(d.version));
        detail::sqlite_statement insert(db_, "INSERT INTO deployments (environment, name, version, package_sha256, port, "
                                             "pid, status, reason, started_at, ended_at, deployed_by) "
                                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        const auto now = utc_timestamp();
        insert.bind(1, d.environment).bind(2, d.name).bind(3, d.version).bind(4, d.package_sha256).bind(5, d.port);
        insert.bind(6, d.pid).bind(7, d.status).bind(8, d.reason).bind(9, now);
        insert.bind(10, d.status == "serving" ? std::string() : now).bind(11, d.deployed_by);
        insert.run();
        const auto id = db_.last_insert_id();
        tx.commit();
        return id;
    }

    void end_deployment(std::int64_t id, const std::string& status, const std::string& reason) override {
        detail::sqlite_write_transaction tx(db_);
        detail::sqlite_statement update(db_, "UPDATE deployments SET status = ?, reason = ?, ended_at = ? "
                                             "WHERE id = ? AND status = 'serving'");
        update.bind(1, status).bind(2, reason).bind(3, utc_timestamp()).bind(4, id).run();
        if (sqlite3_changes(db_.get()) != 1)
            throw ops_error(location() + ": deployment " + std::to_string(id) + " is not serving");
        tx.commit();
    }

    [[nodiscard]] std::vector<deployment> deployments(const std::string& environment) override {
        detail::sqlite_statement q(db_, "SELECT id, environment, name, version, package_sha256, port, pid, status, "
                                        "reason, started_at, ended_at, deployed_by FROM deployments "
                                        "WHERE environment = ? ORDER BY id");
        q.bind(1, environment);
        std::vector<deployment> out;
        while (q.step())
            out.push_back({q.integer(0), q.text(1), q.text(2), static_cast<int>(q.integer(3)), q.text(4),
                           static_cast<int>(q.integer(5)), q.integer(6), q.text(7), q.text(8), q.text(9), q.text(10),
                           q.text(11)});
        return out;
    }

private:
    std::int64_t pragma(const char* name) {
        detail::sqlite_statement q(db_, std::string("PRAGMA ") + name);
        return q.step() ? q.integer(0) : 0;
    }

    // Reads only: a file that is not ours is refused before anything is written to it.
    void check_is_ours() {
        std::int64_t version = 0, app = 0, tables = 0;
        try {
            version = pragma("user_version");
            app = pragma("application_id");
            detail::sqlite_statement q(db_, "SELECT COUNT(*) FROM sqlite_master");
            q.step();
            tables = q.integer(0);
        } catch (const ops_error&) {
            throw ops_error(location() + ": not a ctml registry: the file is not an SQLite database (" +
                            sqlite3_errmsg(db_.get()) + "); it was left untouched");
        }
        if (app != 0 && app != application_id)
            throw ops_error(location() + ": not a ctml registry (SQLite application_id " + std::to_string(app) +
                            "); it was left untouched");
        if (app == 0 && tables > 0)
            throw ops_error(location() + ": not a ctml registry: an SQLite database with tables of its own; it was left untouched");
        if (version > latest_schema)
            throw ops_error(location() + ": the registry has schema version " + std::to_string(version) +
                            ", newer than this build knows (" + std::to_string(latest_schema) +
                            "); upgrade ctml to use it. It was left untouched");
    }

    void migrate() {
        if (pragma("user_version") == latest_schema) return;
        db_.exec("PRAGMA journal_mode = WAL");
        detail::sqlite_write_transaction tx(db_);
        // Another process may have migrated while this one waited for the lock.
        const auto version = pragma("user_version");
        if (version < 1) {
            db_.exec(R"sql(
                CREATE TABLE approvals (
                    id INTEGER PRIMARY KEY,
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
                    approval_id INTEGER NOT NULL REFERENCES approvals (id),
                    registered_at TEXT NOT NULL,
                    registered_by TEXT NOT NULL,
                    PRIMARY KEY (name, version));
                CREATE TABLE tags (
                    name TEXT NOT NULL, version INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
                    PRIMARY KEY (name, version, key),
                    FOREIGN KEY (name, version) REFERENCES model_versions (name, version));
                CREATE TABLE aliases (
                    name TEXT NOT NULL, alias TEXT NOT NULL, version INTEGER NOT NULL,
                    PRIMARY KEY (name, alias),
                    FOREIGN KEY (name, version) REFERENCES model_versions (name, version));
                CREATE TABLE alias_events (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL, alias TEXT NOT NULL, from_version INTEGER, to_version INTEGER NOT NULL,
                    moved_by TEXT NOT NULL, moved_at TEXT NOT NULL);
            )sql");
            db_.exec("PRAGMA application_id = " + std::to_string(application_id));
            db_.exec("PRAGMA user_version = 1");
        }
        if (version < 2) {  // deployments to environments
            db_.exec(R"sql(
                CREATE TABLE deployments (
                    id INTEGER PRIMARY KEY,
                    environment TEXT NOT NULL,
                    name TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    package_sha256 TEXT NOT NULL,
                    port INTEGER NOT NULL,
                    pid INTEGER NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('serving', 'failed', 'replaced', 'stopped')),
                    reason TEXT NOT NULL,
                    started_at TEXT NOT NULL,
                    ended_at TEXT NOT NULL,
                    deployed_by TEXT NOT NULL,
                    FOREIGN KEY (name, version) REFERENCES model_versions (name, version));
                CREATE INDEX deployments_by_environment ON deployments (environment);
            )sql");
            db_.exec("PRAGMA user_version = 2");
        }
        tx.commit();
    }

    template <class Bind>
    std::vector<model_version> select(const std::string& where, Bind&& bind) {
        detail::sqlite_statement q(db_, "SELECT name, version, run_id, sha256, data_sha256, metrics, params, approval_id, "
                                        "registered_at, registered_by FROM model_versions " + where);
        bind(q);
        std::vector<model_version> out;
        while (q.step())
            out.push_back({q.text(0), static_cast<int>(q.integer(1)), q.text(2), q.text(3), q.text(4), q.text(5),
                           q.text(6), q.integer(7), q.text(8), q.text(9), {}, {}});
        for (auto& v : out) {
            detail::sqlite_statement tags(db_, "SELECT key, value FROM tags WHERE name = ? AND version = ? ORDER BY key");
            tags.bind(1, v.name).bind(2, v.version);
            while (tags.step()) v.tags[tags.text(0)] = tags.text(1);
            detail::sqlite_statement aliases(db_, "SELECT alias FROM aliases WHERE name = ? AND version = ? ORDER BY alias");
            aliases.bind(1, v.name).bind(2, v.version);
            while (aliases.step()) v.aliases.push_back(aliases.text(0));
        }
        return out;
    }

    template <class Bind>
    std::optional<model_version> select_one(const std::string& where, Bind&& bind) {
        auto all = select(where, bind);
        if (all.empty()) return std::nullopt;
        return std::move(all.front());
    }

    detail::sqlite_connection db_;
};

}  // namespace ctml::ops

// A thin RAII layer over SQLite's C API: a connection, prepared statements
// with positional binds, and a write transaction that rolls back unless
// committed. Errors become ops_error naming the database file and SQLite's
// own message.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <sqlite3.h>

#include "ctml/ops/ops_error.hpp"

namespace ctml::ops::detail {

class sqlite_statement;

class sqlite_connection {
public:
    sqlite_connection(const std::string& path, int flags) : path_(path) {
        sqlite3* db = nullptr;
        const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
        db_ = db;
        if (rc != SQLITE_OK) {
            const std::string why = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
            sqlite3_close(db_);
            db_ = nullptr;
            throw ops_error(path + ": cannot open the registry: " + why);
        }
        sqlite3_extended_result_codes(db_, 1);
    }
    sqlite_connection(const sqlite_connection&) = delete;
    sqlite_connection& operator=(const sqlite_connection&) = delete;
    ~sqlite_connection() { sqlite3_close(db_); }

    [[nodiscard]] sqlite3* get() const noexcept { return db_; }
    [[nodiscard]] const std::string& path() const noexcept { return path_; }

    [[noreturn]] void fail(const std::string& doing) const {
        throw ops_error(path_ + ": " + doing + ": " + sqlite3_errmsg(db_));
    }

    void exec(const std::string& sql) {
        char* message = nullptr;
        if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
            const std::string why = message ? message : sqlite3_errmsg(db_);
            sqlite3_free(message);
            throw ops_error(path_ + ": " + why);
        }
    }

    [[nodiscard]] std::int64_t last_insert_id() const noexcept { return sqlite3_last_insert_rowid(db_); }

private:
    std::string path_;
    sqlite3* db_ = nullptr;
};

class sqlite_statement {
public:
    sqlite_statement(sqlite_connection& c, std::string_view sql) : c_(&c) {
        if (sqlite3_prepare_v2(c.get(), sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr) != SQLITE_OK)
            c.fail("cannot prepare \"" + std::string(sql.substr(0, 60)) + "\"");
    }
    sqlite_statement(const sqlite_statement&) = delete;
    sqlite_statement& operator=(const sqlite_statement&) = delete;
    ~sqlite_statement() { sqlite3_finalize(stmt_); }

    sqlite_statement& bind(int i, std::string_view text) {
        check(sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT));
        return *this;
    }
    sqlite_statement& bind(int i, std::int64_t value) {
        check(sqlite3_bind_int64(stmt_, i, value));
        return *this;
    }
    sqlite_statement& bind(int i, int value) { return bind(i, static_cast<std::int64_t>(value)); }
    sqlite_statement& bind(int i, std::optional<std::int64_t> value) {
        if (value) return bind(i, *value);
        check(sqlite3_bind_null(stmt_, i));
        return *this;
    }

    /// Steps once: true while there is a row.
    bool step() {
        const int rc = sqlite3_step(stmt_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        c_->fail("query failed");
    }
    void run() {
        while (step()) {
        }
    }

    [[nodiscard]] std::string text(int column) const {
        const auto* p = sqlite3_column_text(stmt_, column);
        return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)))
                 : std::string();
    }
    [[nodiscard]] std::int64_t integer(int column) const { return sqlite3_column_int64(stmt_, column); }
    [[nodiscard]] bool is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

private:
    void check(int rc) {
        if (rc != SQLITE_OK) c_->fail("cannot bind a parameter");
    }

    sqlite_connection* c_;
    sqlite3_stmt* stmt_ = nullptr;
};

/// BEGIN IMMEDIATE: takes the write lock up front (waiting through the busy
/// timeout), so two writers never both read "the next version is 3".
/// Rolls back unless commit() is reached.
class sqlite_write_transaction {
public:
    explicit sqlite_write_transaction(sqlite_connection& c) : c_(&c) { c.exec("BEGIN IMMEDIATE"); }
    sqlite_write_transaction(const sqlite_write_transaction&) = delete;
    sqlite_write_transaction& operator=(const sqlite_write_transaction&) = delete;
    ~sqlite_write_transaction() {
        if (open_) sqlite3_exec(c_->get(), "ROLLBACK", nullptr, nullptr, nullptr);
    }
    void commit() {
        c_->exec("COMMIT");
        open_ = false;
    }

private:
    sqlite_connection* c_;
    bool open_ = true;
};

}  // namespace ctml::ops::detail

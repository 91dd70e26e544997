// A thin RAII layer over libpq, the PostgreSQL client library: a connection,
// results, parameterised statements (every value travels as a parameter,
// never spliced into SQL), and a transaction that rolls back unless committed.
// Errors become postgresql_error naming the server (without its password),
// the SQLSTATE and the server's own message, so a caller can tell a
// serialization conflict (retry) from a real failure (report).
#pragma once

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <libpq-fe.h>

#include "ctml/ops/ops_error.hpp"

namespace ctml::ops::detail {

/// A failed statement: what() is the one-line reason; sqlstate() the five-character code.
class postgresql_error : public ops_error {
public:
    postgresql_error(const std::string& what, std::string sqlstate, std::string constraint = {})
        : ops_error(what), sqlstate_(std::move(sqlstate)), constraint_(std::move(constraint)) {}
    [[nodiscard]] const std::string& sqlstate() const noexcept { return sqlstate_; }
    /// The constraint a violation broke ("model_versions_pkey"), if the server named one.
    [[nodiscard]] const std::string& constraint() const noexcept { return constraint_; }
    /// Another transaction got in the way: running the whole transaction again may succeed.
    [[nodiscard]] bool is_transient() const noexcept {
        return sqlstate_ == "40001" /* serialization_failure */ || sqlstate_ == "40P01" /* deadlock_detected */;
    }

private:
    std::string sqlstate_;
    std::string constraint_;
};

/// "postgresql://alice:secret@db:5432/ctml?sslmode=require" -> "postgresql://alice@db:5432/ctml":
/// what messages and location() show. The password never leaves the connection.
[[nodiscard]] inline std::string redacted_url(std::string_view url) {
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) return "postgresql://…";
    const auto authority_begin = scheme_end + 3;
    const auto path_begin = url.find_first_of("/?", authority_begin);
    auto authority = url.substr(authority_begin, path_begin == std::string_view::npos ? url.npos : path_begin - authority_begin);
    std::string out(url.substr(0, authority_begin));
    if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
        const auto user = authority.substr(0, at);
        out += user.substr(0, user.find(':'));
        out += '@';
        authority = authority.substr(at + 1);
    }
    out += authority;
    if (path_begin != std::string_view::npos) {
        const auto path = url.substr(path_begin);
        out += path.substr(0, path.find('?'));  // parameters may carry a password too
    }
    return out;
}

/// One result; rows and fields are read as text (the registry stores text and integers).
class postgresql_result {
public:
    explicit postgresql_result(PGresult* r) noexcept : r_(r) {}
    [[nodiscard]] int rows() const noexcept { return PQntuples(r_.get()); }
    [[nodiscard]] bool is_null(int row, int field) const noexcept { return PQgetisnull(r_.get(), row, field) != 0; }
    [[nodiscard]] std::string text(int row, int field) const {
        return {PQgetvalue(r_.get(), row, field), static_cast<std::size_t>(PQgetlength(r_.get(), row, field))};
    }
    [[nodiscard]] std::int64_t integer(int row, int field) const {
        return is_null(row, field) ? 0 : std::strtoll(PQgetvalue(r_.get(), row, field), nullptr, 10);
    }
    /// How many rows an UPDATE or DELETE touched.
    [[nodiscard]] std::int64_t affected() const { return std::strtoll(PQcmdTuples(r_.get()), nullptr, 10); }

private:
    struct clear {
        void operator()(PGresult* r) const noexcept { PQclear(r); }
    };
    std::unique_ptr<PGresult, clear> r_;
};

/// A statement's parameters, as text; std::nullopt is SQL NULL.
using postgresql_params = std::vector<std::optional<std::string>>;

class postgresql_connection {
public:
    /// Connects, or throws naming the server and libpq's reason (refused, unknown host, bad password…).
    explicit postgresql_connection(const std::string& url, int connect_timeout_seconds = 10)
        : location_(redacted_url(url)) {
        // expand_dbname: the URL is parsed as a connection string, and what it
        // says overrides the keywords before it, which are only defaults.
        const std::string timeout = std::to_string(connect_timeout_seconds);
        const char* keys[] = {"connect_timeout", "application_name", "dbname", nullptr};
        const char* values[] = {timeout.c_str(), "ctml", url.c_str(), nullptr};
        c_.reset(PQconnectdbParams(keys, values, 1));
        if (!c_) throw ops_error(location_ + ": cannot connect to the registry: out of memory");
        if (PQstatus(c_.get()) != CONNECTION_OK)
            throw ops_error(location_ + ": cannot connect to the registry: " + last_message());
        // The server's NOTICEs ("relation already exists, skipping") are not the user's business.
        PQsetNoticeProcessor(c_.get(), [](void*, const char*) {}, nullptr);
    }

    [[nodiscard]] const std::string& location() const noexcept { return location_; }
    [[nodiscard]] PGconn* get() const noexcept { return c_.get(); }

    /// Runs one or more statements without parameters.
    postgresql_result exec(const std::string& sql) { return checked(PQexec(c_.get(), sql.c_str()), sql); }

    /// Runs one statement with $1, $2, … bound to params (sent as text, typed by the server).
    postgresql_result exec(const std::string& sql, const postgresql_params& params) {
        std::vector<const char*> values;
        values.reserve(params.size());
        for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
        return checked(PQexecParams(c_.get(), sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(),
                                    nullptr, nullptr, 0),
                       sql);
    }

private:
    std::string last_message() const {
        // libpq's messages span lines ("…failed: Connection refused\n\tIs the
        // server running…"): fold them into one, as the programs print one line.
        std::string m;
        for (const char* p = PQerrorMessage(c_.get()); *p; ++p) {
            const bool space = *p == '\n' || *p == '\t' || *p == ' ';
            if (space && (m.empty() || m.back() == ' ')) continue;
            m += space ? ' ' : *p;
        }
        if (!m.empty() && m.back() == ' ') m.pop_back();
        return m;
    }

    postgresql_result checked(PGresult* raw, const std::string& sql) {
        postgresql_result result(raw);
        const auto status = PQresultStatus(raw);
        if (raw && (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)) return result;
        std::string state, constraint, message;
        if (raw) {
            if (const char* s = PQresultErrorField(raw, PG_DIAG_SQLSTATE)) state = s;
            if (const char* s = PQresultErrorField(raw, PG_DIAG_CONSTRAINT_NAME)) constraint = s;
            if (const char* s = PQresultErrorField(raw, PG_DIAG_MESSAGE_PRIMARY)) message = s;
        }
        if (message.empty()) message = last_message();
        const auto statement = sql.substr(0, sql.find_first_of("(\n")).substr(0, 60);
        throw postgresql_error(location_ + ": " + message + (state.empty() ? "" : " (SQLSTATE " + state + ")") +
                                   " in \"" + statement + "\"",
                               state, constraint);
    }

    struct finish {
        void operator()(PGconn* c) const noexcept { PQfinish(c); }
    };
    std::string location_;
    std::unique_ptr<PGconn, finish> c_;
};

/// A transaction that rolls back unless commit() is reached.
///
/// serializable: the server aborts one of two transactions whose reads and
/// writes could not have happened one after the other (SQLSTATE 40001), so
/// "the next version is 3" is never read by both. read_committed: every
/// statement sees what was committed before it -- what a transaction that
/// first waits for a lock needs (a serializable one would keep the snapshot
/// taken before the wait).
enum class isolation { serializable, read_committed };

class postgresql_transaction {
public:
    explicit postgresql_transaction(postgresql_connection& c, isolation level = isolation::serializable) : c_(&c) {
        c.exec(level == isolation::serializable ? "BEGIN ISOLATION LEVEL SERIALIZABLE" : "BEGIN ISOLATION LEVEL READ COMMITTED");
    }
    postgresql_transaction(const postgresql_transaction&) = delete;
    postgresql_transaction& operator=(const postgresql_transaction&) = delete;
    ~postgresql_transaction() {
        if (open_) PQclear(PQexec(c_->get(), "ROLLBACK"));
    }
    void commit() {
        open_ = false;  // a failed COMMIT has already ended the transaction
        c_->exec("COMMIT");
    }

private:
    postgresql_connection* c_;
    bool open_ = true;
};

}  // namespace ctml::ops::detail

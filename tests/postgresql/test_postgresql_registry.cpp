// The PostgreSQL registry against a real server that ctest starts for these
// tests (pg_server.sh, fixture "postgresql"): the registry contract, the
// schema migrations, databases that are not ours left untouched, concurrent
// writers on separate connections, and connection failures that say why
// without showing the password.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <ctml/ops.hpp>
#include <ctml/ops/postgresql_registry.hpp>

#include "support/registry_contract.hpp"

using namespace ctml::ops;

namespace {

/// The test server's URL, from the state file pg_server.sh wrote.
std::string server_url() {
    const char* state = std::getenv("CTML_TEST_POSTGRESQL_STATE");
    REQUIRE(state != nullptr);  // set by ctest, which starts the server first (tests/CMakeLists.txt)
    std::ifstream in(state);
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("CTML_PG_URL=", 0) == 0) return line.substr(12);
    FAIL("no CTML_PG_URL in " << state << ": did the postgresql.start test run?");
    return {};
}

std::string with_database(const std::string& url, const std::string& database) {
    return url.substr(0, url.rfind('/') + 1) + database;
}

/// An empty database of its own for one test case, dropped first if an earlier run left it.
std::string fresh_database(const std::string& name) {
    detail::postgresql_connection admin(server_url());
    admin.exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    admin.exec("CREATE DATABASE " + name);
    return with_database(server_url(), name);
}

}  // namespace

TEST_CASE("postgresql: versions count up per name and carry their lineage", "[postgresql][registry]") {
    postgresql_registry reg(fresh_database("contract_versions"));
    registry_contract::versions_count_up(reg, postgresql_registry::latest_schema);
}

TEST_CASE("postgresql: a registration that fails inside its transaction leaves nothing behind", "[postgresql][registry]") {
    postgresql_registry reg(fresh_database("contract_rollback"));
    registry_contract::failed_registration_rolls_back(reg);
}

TEST_CASE("postgresql: alias moves are recorded with who, when and from which version", "[postgresql][registry]") {
    postgresql_registry reg(fresh_database("contract_aliases"));
    registry_contract::alias_moves_are_audited(reg);
}

TEST_CASE("postgresql: deployments are recorded per environment, and end once", "[postgresql][registry]") {
    postgresql_registry reg(fresh_database("contract_deployments"));
    registry_contract::deployments_end_once(reg);
}

TEST_CASE("postgresql: the same schema versions as SQLite, and a schema-1 database is migrated", "[postgresql][registry]") {
    STATIC_REQUIRE(postgresql_registry::latest_schema == sqlite_registry::latest_schema);
    const auto url = fresh_database("migrate");
    {
        postgresql_registry reg(url);
        reg.register_version(registry_contract::request("credit", "r1", registry_contract::approve(reg, "r1")));
    }
    {  // what a schema-1 build left: no deployments table
        detail::postgresql_connection c(url);
        c.exec("DROP TABLE deployments");
        c.exec("UPDATE ctml_registry SET schema_version = 1");
    }
    postgresql_registry reg(url);
    CHECK(reg.schema_version() == 2);
    CHECK(reg.find("credit", 1)->run_id == "r1");
    CHECK(reg.record_deployment({0, "test", "credit", 1, "pkg", 8080, 1, "serving", "", "", "", "ci"}) > 0);
}

TEST_CASE("postgresql: a database that is not a registry, or from a newer schema, is refused and left untouched",
          "[postgresql][registry]") {
    const auto other = fresh_database("not_a_registry");
    {
        detail::postgresql_connection c(other);
        c.exec("CREATE TABLE notes (body TEXT)");
        c.exec("INSERT INTO notes VALUES ('keep me')");
    }
    CHECK_THROWS_WITH(postgresql_registry(other), Catch::Contains("not a ctml registry") &&
                                                      Catch::Contains("left untouched"));
    {
        detail::postgresql_connection c(other);
        CHECK(c.exec("SELECT to_regclass('ctml_registry') IS NULL").text(0, 0) == "t");
        CHECK(c.exec("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'").integer(0, 0) == 1);
        CHECK(c.exec("SELECT body FROM notes").text(0, 0) == "keep me");
    }

    const auto newer = fresh_database("newer");
    { postgresql_registry created(newer); }
    {
        detail::postgresql_connection c(newer);
        c.exec("UPDATE ctml_registry SET schema_version = 42");
    }
    CHECK_THROWS_WITH(postgresql_registry(newer), Catch::Contains("schema version 42, newer than this build knows (2)"));
    detail::postgresql_connection c(newer);
    CHECK(c.exec("SELECT schema_version FROM ctml_registry").integer(0, 0) == 42);
}

TEST_CASE("postgresql: eight writers on eight connections get versions 1..8, and the schema is created once",
          "[postgresql][registry][concurrency]") {
    const auto url = fresh_database("racers");  // empty: every writer meets a database without a schema
    constexpr int writers = 8;
    std::vector<int> versions(writers, 0);
    std::vector<std::string> errors(writers);
    {
        std::vector<std::jthread> threads;
        for (int i = 0; i < writers; ++i)
            threads.emplace_back([&, i] {
                try {
                    postgresql_registry reg(url);
                    const auto run = "run-" + std::to_string(i);
                    versions[i] = reg.register_version(registry_contract::request("racer", run,
                                                                                  registry_contract::approve(reg, run)))
                                      .version;
                } catch (const std::exception& e) {
                    errors[i] = e.what();
                }
            });
    }
    for (const auto& e : errors) CHECK(e == "");
    std::sort(versions.begin(), versions.end());
    CHECK(versions == std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8});
    postgresql_registry reg(url);
    CHECK(reg.list().size() == writers);
    detail::postgresql_connection c(url);
    CHECK(c.exec("SELECT COUNT(*) FROM ctml_registry").integer(0, 0) == 1);
}

TEST_CASE("postgresql: a wrong password or an unreachable server fails naming the server, never the password",
          "[postgresql][registry]") {
    const auto url = server_url();
    const auto at = url.find('@');
    const auto colon = url.rfind(':', at);
    const auto wrong = url.substr(0, colon + 1) + "not-the-password" + url.substr(at);
    try {
        postgresql_registry reg(wrong);
        FAIL("a wrong password was accepted");
    } catch (const ops_error& e) {
        const std::string what = e.what();
        CHECK_THAT(what, Catch::Contains("cannot connect to the registry") &&
                             Catch::Contains("password authentication failed") &&
                             Catch::StartsWith("postgresql://ctml@127.0.0.1:"));
        CHECK(what.find("not-the-password") == std::string::npos);
    }
    // Port 1 on loopback: nothing listens there.
    CHECK_THROWS_WITH(postgresql_registry("postgresql://ctml:secret@127.0.0.1:1/ctml"),
                      Catch::StartsWith("postgresql://ctml@127.0.0.1:1/ctml: cannot connect to the registry") &&
                          Catch::Contains("refused"));
    CHECK_THROWS_WITH(postgresql_registry(with_database(url, "no_such_database")),
                      Catch::Contains("no_such_database") && Catch::Contains("does not exist"));
}

TEST_CASE("postgresql: open_registry takes a postgresql:// URL from --registry or CTML_REGISTRY", "[postgresql][registry]") {
    const auto url = fresh_database("opened");
    const workspace ws(std::filesystem::temp_directory_path() / "ctml_postgresql_tests" / "workspace");
    const auto from_flag = open_registry(ws, url);
    CHECK(from_flag->location().rfind("postgresql://ctml@127.0.0.1:", 0) == 0);
    CHECK(from_flag->location().find("ctml-test-secret") == std::string::npos);
    CHECK(from_flag->schema_version() == 2);
    const auto postgres_scheme = "postgres://" + url.substr(std::string("postgresql://").size());
    ::setenv("CTML_REGISTRY", postgres_scheme.c_str(), 1);
    const auto from_env = open_registry(ws);
    ::unsetenv("CTML_REGISTRY");
    CHECK(from_env->location().rfind("postgres://ctml@", 0) == 0);
    CHECK(from_env->list().empty());
}

TEST_CASE("postgresql: URLs are shown without their password", "[postgresql][registry]") {
    using detail::redacted_url;
    CHECK(redacted_url("postgresql://alice:s3cret@db.example:5432/ctml") == "postgresql://alice@db.example:5432/ctml");
    CHECK(redacted_url("postgresql://alice@db/ctml?password=s3cret&sslmode=require") == "postgresql://alice@db/ctml");
    CHECK(redacted_url("postgres://db") == "postgres://db");
    CHECK(redacted_url("postgresql://a:b@[::1]:5432/x") == "postgresql://a@[::1]:5432/x");
    CHECK(redacted_url("host=db password=s3cret") == "postgresql://…");
}

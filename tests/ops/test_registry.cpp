// The SQLite registry: the registry contract (support/registry_contract.hpp:
// versions, approvals, aliases and their audit trail, deployments, rollback),
// migrations, and files that are not ours refused and left untouched.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include <ctml/ops.hpp>

#include "support/registry_contract.hpp"

using namespace ctml::ops;
namespace fs = std::filesystem;

namespace {

fs::path fresh_dir(const std::string& name) {
    const auto dir = fs::temp_directory_path() / "ctml_registry_tests" / name;
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

std::string file_bytes(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

using registry_contract::approve;
using registry_contract::request;

TEST_CASE("versions count up per name and carry their lineage", "[ops][registry]") {
    sqlite_registry reg(fresh_dir("versions") / "registry.db");
    registry_contract::versions_count_up(reg, sqlite_registry::latest_schema);
}

TEST_CASE("a registration that fails inside its transaction leaves the registry as it was", "[ops][registry]") {
    sqlite_registry reg(fresh_dir("rollback") / "registry.db");
    registry_contract::failed_registration_rolls_back(reg);
}

TEST_CASE("alias moves are recorded with who, when and from which version", "[ops][registry]") {
    sqlite_registry reg(fresh_dir("aliases") / "registry.db");
    registry_contract::alias_moves_are_audited(reg);
}

TEST_CASE("deployments are recorded per environment, and end once", "[ops][registry][deploy]") {
    sqlite_registry reg(fresh_dir("deployments") / "registry.db");
    registry_contract::deployments_end_once(reg);
}

TEST_CASE("a schema-1 registry is migrated to the latest schema with its contents kept", "[ops][registry]") {
    const auto path = fresh_dir("migrate") / "registry.db";
    {
        sqlite_registry reg(path);
        reg.register_version(request("credit", "r1", approve(reg, "r1")));
    }
    {  // what a schema-1 build left: no deployments table
        detail::sqlite_connection c(path.string(), SQLITE_OPEN_READWRITE);
        c.exec("DROP TABLE deployments");
        c.exec("PRAGMA user_version = 1");
    }
    sqlite_registry reg(path);
    CHECK(reg.schema_version() == 2);
    CHECK(reg.find("credit", 1)->run_id == "r1");
    CHECK(reg.record_deployment({0, "test", "credit", 1, "pkg", 8080, 1, "serving", "", "", "", "ci"}) > 0);
}

TEST_CASE("a file that is not a registry is refused and left untouched", "[ops][registry]") {
    const auto dir = fresh_dir("foreign");
    const auto text = dir / "text.db";
    std::ofstream(text) << "just some text, not SQLite\n";
    const auto before = file_bytes(text);
    CHECK_THROWS_WITH(sqlite_registry(text), Catch::Contains("not an SQLite database") && Catch::Contains("left untouched"));
    CHECK(file_bytes(text) == before);

    // Another application's SQLite database.
    const auto other = dir / "other.db";
    {
        detail::sqlite_connection c(other.string(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
        c.exec("CREATE TABLE notes (body TEXT)");
    }
    const auto other_before = file_bytes(other);
    CHECK_THROWS_WITH(sqlite_registry(other), Catch::Contains("not a ctml registry"));
    CHECK(file_bytes(other) == other_before);

    // A registry from a newer schema.
    const auto newer = dir / "newer.db";
    { sqlite_registry created(newer); }
    {
        detail::sqlite_connection c(newer.string(), SQLITE_OPEN_READWRITE);
        c.exec("PRAGMA user_version = 42");
    }
    const auto newer_before = file_bytes(newer);
    CHECK_THROWS_WITH(sqlite_registry(newer), Catch::Contains("schema version 42, newer than this build knows (2)"));
    CHECK(file_bytes(newer) == newer_before);
}

TEST_CASE("the workspace claims unique run directories and stores artifacts by their SHA-256", "[ops][workspace]") {
    const workspace ws(fresh_dir("workspace"));
    std::set<std::string> ids;
    for (int i = 0; i < 200; ++i) ids.insert(ws.new_run());
    CHECK(ids.size() == 200);  // all in the same second or two
    const auto file = ws.root() / "a.json";
    std::ofstream(file) << "{\"a\": 1}\n";
    const auto sha = sha256_file(file);
    CHECK(sha == sha256_hex("{\"a\": 1}\n"));
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");  // FIPS 180-2
    ws.store_artifact(file, sha);
    CHECK(sha256_file(ws.artifact_path(sha)) == sha);
    CHECK((fs::status(ws.artifact_path(sha)).permissions() & fs::perms::owner_write) == fs::perms::none);
    CHECK_THROWS_WITH(ws.existing_run("../etc"), Catch::Contains("not a run id"));
    CHECK_THROWS_WITH(ws.existing_run("nope"), Catch::Contains("no such run"));
}

TEST_CASE("the model resolver takes a path, NAME:VERSION or NAME@ALIAS and verifies registered artifacts", "[ops][resolver]") {
    const workspace ws(fresh_dir("resolver"));
    ws.create();
    sqlite_registry reg(ws.registry_path());
    const auto file = ws.root() / "model.json";
    std::ofstream(file) << "{}\n";
    const auto sha = sha256_file(file);
    auto req = request("credit", "r1", approve(reg, "r1"));
    req.sha256 = sha;
    reg.register_version(req, [&](const model_version&) { ws.store_artifact(file, sha); });
    reg.move_alias("credit", "champion", 1, "ci");

    CHECK(resolve_model(file.string(), ws, &reg).version == std::nullopt);
    CHECK(resolve_model("credit:1", ws, &reg).path == ws.artifact_path(sha));
    CHECK(resolve_model("credit@champion", ws, &reg).label == "credit@champion (credit:1)");
    CHECK_THROWS_WITH(resolve_model("credit:2", ws, &reg), Catch::Contains("no registered model credit:2"));
    CHECK_THROWS_WITH(resolve_model("credit@production", ws, &reg), Catch::Contains("has no alias \"production\""));
    CHECK_THROWS_WITH(resolve_model("missing.json", ws, &reg), Catch::Contains("no such artifact file"));

    fs::permissions(ws.artifact_path(sha), fs::perms::owner_write, fs::perm_options::add);
    std::ofstream(ws.artifact_path(sha), std::ios::app) << " ";
    CHECK_THROWS_WITH(resolve_model("credit:1", ws, &reg), Catch::Contains("has been altered"));
}

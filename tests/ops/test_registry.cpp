// The SQLite registry through its interface: versions, approvals, aliases and
// their audit trail; a registration that fails inside its transaction leaves
// nothing behind; files that are not ours are refused and left untouched.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include <ctml/ops.hpp>

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

std::int64_t approve(registry& reg, const std::string& run) {
    return reg.record_approval({0, run, "approved", "ci", "looks good", "", "sha-" + run, "[]"});
}

version_request request(const std::string& name, const std::string& run, std::int64_t approval_id) {
    return {name, run, "sha-" + run, "data", "{}", "{}", approval_id, "ci", {{"stage", "test"}}};
}

}  // namespace

TEST_CASE("versions count up per name and carry their lineage", "[ops][registry]") {
    sqlite_registry reg(fresh_dir("versions") / "registry.db");
    CHECK(reg.schema_version() == sqlite_registry::latest_schema);
    const auto a = reg.register_version(request("credit", "r1", approve(reg, "r1")));
    const auto b = reg.register_version(request("credit", "r2", approve(reg, "r2")));
    const auto c = reg.register_version(request("other", "r3", approve(reg, "r3")));
    CHECK(a.version == 1);
    CHECK(b.version == 2);
    CHECK(c.version == 1);
    CHECK(reg.latest("credit")->version == 2);
    CHECK(reg.version_of_run("r1")->version == 1);
    CHECK(reg.find("credit", 1)->tags.at("stage") == "test");
    CHECK_FALSE(reg.find("credit", 3));
    CHECK(reg.list().size() == 3);
    CHECK(reg.latest_approval("r2")->approver == "ci");
    // A run is registered at most once.
    CHECK_THROWS_AS(reg.register_version(request("credit", "r1", approve(reg, "r1"))), ops_error);
}

TEST_CASE("a registration that fails inside its transaction leaves the registry as it was", "[ops][registry]") {
    const auto path = fresh_dir("rollback") / "registry.db";
    sqlite_registry reg(path);
    reg.register_version(request("credit", "r1", approve(reg, "r1")));
    const auto id = approve(reg, "r2");
    CHECK_THROWS_WITH(reg.register_version(request("credit", "r2", id),
                                           [](const model_version& v) {
                                               CHECK(v.version == 2);
                                               throw std::runtime_error("killed half-way");
                                           }),
                      "killed half-way");
    CHECK_FALSE(reg.version_of_run("r2"));
    CHECK(reg.list().size() == 1);
    CHECK(reg.find("credit", 2) == std::nullopt);
    // The next registration gets the version the failed one would have had: no gap.
    CHECK(reg.register_version(request("credit", "r2", id)).version == 2);
}

TEST_CASE("alias moves are recorded with who, when and from which version", "[ops][registry]") {
    sqlite_registry reg(fresh_dir("aliases") / "registry.db");
    reg.register_version(request("credit", "r1", approve(reg, "r1")));
    reg.register_version(request("credit", "r2", approve(reg, "r2")));
    const auto first = reg.move_alias("credit", "champion", 1, "alice");
    CHECK_FALSE(first.from_version);
    const auto second = reg.move_alias("credit", "champion", 2, "bob");
    CHECK(second.from_version == 1);
    CHECK(reg.alias_target("credit", "champion") == 2);
    CHECK(reg.find("credit", 2)->aliases == std::vector<std::string>{"champion"});
    const auto history = reg.alias_history("credit");
    REQUIRE(history.size() == 2);
    CHECK(history[1].moved_by == "bob");
    CHECK(history[1].to_version == 2);
    CHECK_FALSE(history[1].moved_at.empty());
    CHECK_THROWS_WITH(reg.move_alias("credit", "champion", 7, "eve"), Catch::Contains("there is no credit:7"));
    CHECK(reg.alias_history("credit").size() == 2);
}

TEST_CASE("deployments are recorded per environment, and end once", "[ops][registry][deploy]") {
    sqlite_registry reg(fresh_dir("deployments") / "registry.db");
    reg.register_version(request("credit", "r1", approve(reg, "r1")));
    reg.register_version(request("credit", "r2", approve(reg, "r2")));
    const auto first = reg.record_deployment({0, "test", "credit", 1, "pkg1", 8080, 111, "serving", "", "", "", "ci"});
    const auto failed = reg.record_deployment(
        {0, "test", "credit", 2, "pkg2", 8080, 0, "failed", "smoke test: status 500", "", "", "ci"});
    reg.record_deployment({0, "production", "credit", 1, "pkg1", 9090, 222, "serving", "", "", "", "ci"});
    auto test = reg.deployments("test");
    REQUIRE(test.size() == 2);
    CHECK(test[0].id == first);
    CHECK(test[0].status == "serving");
    CHECK(test[0].ended_at.empty());
    CHECK(test[1].id == failed);
    CHECK(test[1].reason == "smoke test: status 500");
    CHECK_FALSE(test[1].ended_at.empty());  // a failed attempt ended when it was recorded
    reg.end_deployment(first, "stopped", "credit-deploy --stop");
    test = reg.deployments("test");
    CHECK(test[0].status == "stopped");
    CHECK_FALSE(test[0].ended_at.empty());
    CHECK_THROWS_WITH(reg.end_deployment(first, "stopped", "again"), Catch::Contains("is not serving"));
    CHECK_THROWS_WITH(reg.record_deployment({0, "test", "credit", 9, "pkg", 1, 0, "failed", "", "", "", "ci"}),
                      Catch::Contains("there is no credit:9"));
    CHECK(reg.deployments("production").size() == 1);
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

// The registry contract: what every registry implementation must do, checked
// through the registry interface alone. tests/ops/test_registry.cpp runs it
// on SQLite, tests/postgresql/ on a PostgreSQL server; each passes a fresh,
// empty registry.
#pragma once

#include <catch2/catch.hpp>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <ctml/ops/ops_error.hpp>
#include <ctml/ops/registry.hpp>

namespace registry_contract {

using namespace ctml::ops;

inline std::int64_t approve(registry& reg, const std::string& run) {
    return reg.record_approval({0, run, "approved", "ci", "looks good", "", "sha-" + run, "[]"});
}

inline version_request request(const std::string& name, const std::string& run, std::int64_t approval_id) {
    return {name, run, "sha-" + run, "data", "{}", "{}", approval_id, "ci", {{"stage", "test"}}};
}

/// Versions count up per name and carry their lineage; a run is registered once.
inline void versions_count_up(registry& reg, int latest_schema) {
    CHECK(reg.schema_version() == latest_schema);
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
    const auto all = reg.list();
    REQUIRE(all.size() == 3);
    CHECK(all[0].name == "credit");
    CHECK(all[2].name == "other");
    CHECK(all[1].run_id == "r2");
    CHECK(reg.latest_approval("r2")->approver == "ci");
    CHECK_FALSE(reg.latest_approval("nobody"));
    CHECK_THROWS_AS(reg.register_version(request("credit", "r1", approve(reg, "r1"))), ops_error);
    CHECK(reg.list().size() == 3);
}

/// A registration whose inside step throws leaves nothing behind, and no gap.
inline void failed_registration_rolls_back(registry& reg) {
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
    CHECK(reg.register_version(request("credit", "r2", id)).version == 2);
}

/// Alias moves are recorded with who, when and from which version.
inline void alias_moves_are_audited(registry& reg) {
    reg.register_version(request("credit", "r1", approve(reg, "r1")));
    reg.register_version(request("credit", "r2", approve(reg, "r2")));
    const auto first = reg.move_alias("credit", "champion", 1, "alice");
    CHECK_FALSE(first.from_version);
    const auto second = reg.move_alias("credit", "champion", 2, "bob");
    CHECK(second.from_version == 1);
    CHECK(reg.alias_target("credit", "champion") == 2);
    CHECK_FALSE(reg.alias_target("credit", "production"));
    CHECK(reg.find("credit", 2)->aliases == std::vector<std::string>{"champion"});
    const auto history = reg.alias_history("credit");
    REQUIRE(history.size() == 2);
    CHECK_FALSE(history[0].from_version);
    CHECK(history[1].moved_by == "bob");
    CHECK(history[1].from_version == 1);
    CHECK(history[1].to_version == 2);
    CHECK_FALSE(history[1].moved_at.empty());
    CHECK_THROWS_WITH(reg.move_alias("credit", "champion", 7, "eve"), Catch::Contains("there is no credit:7"));
    CHECK(reg.alias_history("credit").size() == 2);
}

/// Deployments are recorded per environment and end once.
inline void deployments_end_once(registry& reg) {
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
    CHECK(test[0].pid == 111);
    CHECK(test[0].port == 8080);
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

}  // namespace registry_contract

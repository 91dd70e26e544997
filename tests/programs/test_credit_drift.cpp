// credit-drift as CI runs it: a real process, exit 0 on the training data, exit
// 1 on a shifted batch with exactly the shifted columns flagged, exit 2 with the
// reason on a batch it cannot compare.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <string>
#include <vector>


#include <ctml/io.hpp>
#include <nlohmann/json.hpp>

#include "credit/credit_pipeline.hpp"
#include "support/program_run.hpp"
#include "support/scratch_directory.hpp"
#include "support/sklearn_fixture.hpp"

namespace fs = std::filesystem;
using namespace ctml;

namespace {

const fs::path& scratch() {
    static const test_support::scratch_directory dir("ctml_credit_drift_tests");
    return dir.path();
}

const fs::path& artifact() {
    static const fs::path path = [] {
        const auto p = scratch() / "model.json";
        test_support::save_credit_model(p);
        return p;
    }();
    return path;
}

test_support::program_outcome credit_drift(const fs::path& in, const std::string& extra = "--json") {
    return test_support::run_program(std::string(CTML_BIN_DIR "/credit-drift --workspace ") + (scratch() / "ws").string() +
                                         " --model " + artifact().string() + " --in " + in.string() + " " + extra,
                                     scratch());
}

/// The data set with each row's fields passed through `edit` (header untouched).
fs::path edited_data(const std::string& name, const std::function<void(std::vector<std::string>&)>& edit) {
    std::ifstream in(CTML_TEST_DATA_DIR "/german_credit_data.csv");
    const auto path = scratch() / name;
    std::ofstream out(path);
    std::string line;
    std::getline(in, line);
    out << line << '\n';
    while (std::getline(in, line)) {
        std::vector<std::string> fields;
        std::stringstream s(line);
        for (std::string f; std::getline(s, f, ',');) fields.push_back(f);
        edit(fields);
        for (std::size_t i = 0; i < fields.size(); ++i) out << (i ? "," : "") << fields[i];
        out << '\n';
    }
    return path;
}

std::set<std::string> columns_with_band(const nlohmann::json& doc, const std::string& band) {
    std::set<std::string> out;
    for (const auto& c : doc["columns"])
        if (c["band"] == band) out.insert(c["column"].get<std::string>());
    return out;
}

}  // namespace

TEST_CASE("the training data does not drift from itself: exit 0", "[programs][drift]") {
    const auto r = credit_drift(CTML_TEST_DATA_DIR "/german_credit_data.csv");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto doc = nlohmann::json::parse(r.out);
    CHECK(doc["major_drift"] == false);
    CHECK(doc["rows"] == 1000);
    REQUIRE(doc["columns"].size() == 9);
    CHECK(columns_with_band(doc, "stable").size() == 9);
    for (const auto& c : doc["columns"]) CHECK(c["psi"].get<double>() == 0.0);
}

TEST_CASE("a shifted batch is flagged on exactly the shifted columns: exit 1", "[programs][drift]") {
    const auto shifted = edited_data("shifted.csv", [](std::vector<std::string>& f) {
        f[1] = std::to_string(std::stoi(f[1]) + 20);  // Age
        f[9] = "car";                                 // Purpose
    });
    const auto r = credit_drift(shifted);
    INFO(r.err);
    REQUIRE(r.exit_code == 1);
    const auto doc = nlohmann::json::parse(r.out);
    CHECK(doc["major_drift"] == true);
    CHECK(columns_with_band(doc, "major") == std::set<std::string>{"Age", "Purpose"});
    CHECK(columns_with_band(doc, "stable").size() == 7);
    // The text form says the same, for people.
    const auto text = credit_drift(shifted, "");
    CHECK(text.exit_code == 1);
    CHECK(text.out.find("major drift") != std::string::npos);
    CHECK(text.out.find("Purpose") != std::string::npos);
}

TEST_CASE("unseen categories and missing values are counted, not an error", "[programs][drift]") {
    const auto unseen = edited_data("unseen.csv", [](std::vector<std::string>& f) {
        if (std::stoi(f[0]) % 2 == 0) f[4] = "castle";      // Housing: never seen in training
        if (std::stoi(f[0]) % 3 == 0) f[6] = "NA";          // Checking account: more missing
    });
    const auto r = credit_drift(unseen);
    INFO(r.err);
    CHECK(r.exit_code == 1);
    const auto doc = nlohmann::json::parse(r.out);
    for (const auto& c : doc["columns"]) {
        if (c["column"] == "Housing") {
            CHECK(c["unseen"] == 500);
            CHECK(c["note"].get<std::string>().find("castle") != std::string::npos);
            CHECK(c["band"] == "major");
        }
    }
}

TEST_CASE("a batch credit-drift cannot compare exits 2 with the reason", "[programs][drift]") {
    std::ofstream(scratch() / "empty.csv") << "Sno,Age,Sex,Job,Housing,Saving accounts,Checking account,Credit amount,Duration,Purpose\n";
    auto r = credit_drift(scratch() / "empty.csv");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("no rows") != std::string::npos);
    std::ofstream(scratch() / "no_purpose.csv") << "Sno,Age,Sex,Job,Housing,Saving accounts,Checking account,Credit amount,Duration\n"
                                                   "0,67,male,2,own,NA,little,1169,6\n";
    r = credit_drift(scratch() / "no_purpose.csv");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("Purpose") != std::string::npos);
    // Every Saving accounts value missing: reported, not a crash.
    const auto all_missing = edited_data("all_missing.csv", [](std::vector<std::string>& f) { f[5] = "NA"; });
    r = credit_drift(all_missing);
    CHECK(r.exit_code == 1);
    const auto doc = nlohmann::json::parse(r.out);
    for (const auto& c : doc["columns"])
        if (c["column"] == "Saving accounts") CHECK(c["missing"] == 1000);
}

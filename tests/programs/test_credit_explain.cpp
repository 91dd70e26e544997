// credit-explain as a user runs it: a real process over a saved model and a
// CSV. Its JSON agrees with in-process explanation and scoring; --rows picks
// rows by Sno; a labelled CSV adds permutation importance; the text form
// reads as sentences; bad input exits 2 with the reason.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>


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
    static const test_support::scratch_directory dir("ctml_credit_explain_tests");
    return dir.path();
}

test_support::program_outcome credit_explain(const std::string& args) {
    return test_support::run_program(std::string(CTML_BIN_DIR "/credit-explain ") + args, scratch());
}

const auto& features() {
    static const auto x = test_support::credit_data().select<credit::feature_schema>();
    return x;
}
using fitted = decltype(credit::model().fit(features(), label_span{}));

const fs::path& artifact() {
    static const fs::path path = [] {
        const auto p = scratch() / "model.json";
        test_support::save_credit_model(p);
        return p;
    }();
    return path;
}

std::string model_and(const std::string& rest) {
    return "--workspace " + (scratch() / "ws").string() + " --model " + artifact().string() + " " + rest;
}

}  // namespace

TEST_CASE("credit-explain's JSON adds up and agrees with in-process scoring", "[programs][explain]") {
    const auto r = credit_explain(model_and("--in " CTML_TEST_DATA_DIR "/german_credit_data.csv --rows 0,5,999 --json"));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto doc = nlohmann::json::parse(r.out);
    const auto model = load<fitted>(artifact()).model;
    REQUIRE(doc["rows"].size() == 3);
    const std::size_t expected_rows[] = {0, 5, 999};
    for (std::size_t k = 0; k < 3; ++k) {
        const auto& row = doc["rows"][k];
        const auto i = expected_rows[k];
        CHECK(row["Sno"].get<std::int64_t>() == test_support::credit_data().column<"Sno">()[i]);
        double sum = row["base_value"].get<double>();
        for (const auto& [column, v] : row["contributions"].items()) sum += v.get<double>();
        CHECK(std::abs(sum - row["logit"].get<double>()) <= 1e-12);
        CHECK(row["p_good"].get<double>() == model.predict_proba_row(features().row(i))[1]);
        CHECK(row["logit"].get<double>() == model.decision_function_row(features().row(i)));
    }
    // The data set carries Risk: permutation importance is there, seeded and reproducible.
    const auto& perm = doc["global"]["permutation_importance"];
    REQUIRE(perm.is_object());
    CHECK(perm["metric"] == "roc_auc");
    CHECK(perm["columns"].size() == 9);
    CHECK(perm["columns"]["Checking account"]["mean"].get<double>() > 0);
    const auto again = credit_explain(model_and("--in " CTML_TEST_DATA_DIR "/german_credit_data.csv --rows 0,5,999 --json"));
    CHECK(nlohmann::json::parse(again.out)["global"] == doc["global"]);
    CHECK(doc["global"]["mean_abs_contribution"].size() == 9);
}

TEST_CASE("credit-explain in words, and without labels", "[programs][explain]") {
    // Only Sno and the features: no permutation importance, the rest as before.
    std::ifstream in(CTML_TEST_DATA_DIR "/german_credit_data.csv");
    std::ofstream out(scratch() / "unlabelled.csv");
    for (std::string line; std::getline(in, line);) out << line.substr(0, line.rfind(',')) << '\n';
    out.close();
    const auto r = credit_explain(model_and("--in " + (scratch() / "unlabelled.csv").string() + " --rows 3 --top 2"));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("applicant Sno 3") != std::string::npos);
    CHECK(r.out.find("probability of good credit") != std::string::npos);
    CHECK((r.out.find("raises the odds") != std::string::npos || r.out.find("lowers the odds") != std::string::npos));
    CHECK(r.out.find("permutation importance") == std::string::npos);
}

TEST_CASE("a labelled file with one class still gets its explanations", "[programs][explain]") {
    std::ifstream in(CTML_TEST_DATA_DIR "/german_credit_data.csv");
    std::ofstream out(scratch() / "only_good.csv");
    std::string line;
    std::getline(in, line);
    out << line << '\n';
    while (std::getline(in, line))
        if (line.ends_with(",good")) out << line << '\n';
    out.close();
    const auto r = credit_explain(model_and("--in " + (scratch() / "only_good.csv").string() + " --rows 0 --json"));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto doc = nlohmann::json::parse(r.out);
    CHECK(doc["rows"].size() == 1);
    CHECK(!doc["global"].contains("permutation_importance"));
    CHECK(doc["global"]["permutation_importance_note"].get<std::string>().find("one class") != std::string::npos);
}

TEST_CASE("credit-explain refuses bad input with the reason", "[programs][explain]") {
    const std::string data = " --in " CTML_TEST_DATA_DIR "/german_credit_data.csv";
    auto r = credit_explain(model_and(data + " --rows 5,100000"));
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("no row with Sno 100000") != std::string::npos);
    r = credit_explain(model_and(data + " --rows 5,x"));
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("\"x\" is not an Sno") != std::string::npos);
    r = credit_explain(model_and("--in " + (scratch() / "absent.csv").string()));
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("absent.csv") != std::string::npos);
    std::ofstream(scratch() / "header_only.csv") << "Sno,Age,Sex,Job,Housing,Saving accounts,Checking account,Credit amount,Duration,Purpose\n";
    r = credit_explain(model_and("--in " + (scratch() / "header_only.csv").string()));
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("no data rows") != std::string::npos);
    r = credit_explain(model_and(data + " --top 0"));
    CHECK(r.exit_code == 2);
}

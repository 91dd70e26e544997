// Request bodies into records: the seed's shape and the Open Inference
// Protocol's, and a 4xx naming the problem for every way a body can be wrong.
#include <catch2/catch.hpp>

#include <string>

#include <ctml/ops.hpp>

#include "credit/credit_schema.hpp"

using namespace ctml;
using namespace ctml::ops;

namespace {

const missing_token_set na({"NA"});

// The seed's functional-test request.
const std::string seed_request = R"({"data": {"Age": [20], "Sex": ["male"], "Job": [0], "Housing": ["own"],
    "Saving accounts": ["little"], "Checking account": ["little"], "Credit amount": [100], "Duration": [48],
    "Purpose": ["radio/TV"]}})";

std::string error_of(const std::string& body, int status = 400) {
    try {
        (void)parse_score_request<credit::feature_schema>(body, na);
        return "(parsed)";
    } catch (const request_error& e) {
        CHECK(e.status() == status);
        return e.what();
    }
}

std::string with(const std::string& from, const std::string& to) {
    std::string s = seed_request;
    s.replace(s.find(from), from.size(), to);
    return s;
}

}  // namespace

TEST_CASE("the seed's request becomes one record", "[ops][request]") {
    const auto rows = parse_score_request<credit::feature_schema>(seed_request, na);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].get<"Age">() == 20);
    CHECK(rows[0].get<"Sex">() == "male");
    CHECK(rows[0].get<"Saving accounts">() == std::optional<std::string>("little"));
    CHECK(rows[0].get<"Duration">() == 48);
}

TEST_CASE("missing values, extra columns and many rows", "[ops][request]") {
    const auto rows = parse_score_request<credit::feature_schema>(
        R"({"data": {"Sno": [1, 2], "Age": [20, 31], "Sex": ["male", "female"], "Job": [0, 2], "Housing": ["own", "rent"],
            "Saving accounts": [null, "NA"], "Checking account": ["little", null], "Credit amount": [100, 2500],
            "Duration": [48, 12], "Purpose": ["radio/TV", "car"], "Risk": ["good", "bad"]}})",
        na);
    REQUIRE(rows.size() == 2);
    CHECK_FALSE(rows[0].get<"Saving accounts">().has_value());
    CHECK_FALSE(rows[1].get<"Saving accounts">().has_value());
    CHECK_FALSE(rows[1].get<"Checking account">().has_value());
    CHECK(rows[1].get<"Credit amount">() == 2500);
}

TEST_CASE("every bad body is a 4xx naming the problem", "[ops][request]") {
    CHECK_THAT(error_of(""), Catch::Contains("empty body"));
    CHECK_THAT(error_of("{\"data\": "), Catch::Contains("malformed JSON"));
    CHECK_THAT(error_of("[1, 2]"), Catch::Contains("must be a JSON object, found an array"));
    CHECK_THAT(error_of("{\"rows\": []}"), Catch::Contains("missing \"data\""));
    CHECK_THAT(error_of("{\"data\": [1]}"), Catch::Contains("\"data\" must be an object of columns"));
    CHECK_THAT(error_of(with("\"Purpose\": [\"radio/TV\"]", "\"Purpos\": [\"radio/TV\"]")),
               Catch::Contains("missing column \"Purpose\""));
    CHECK_THAT(error_of(with("\"Age\": [20]", "\"Age\": 20")), Catch::Contains("column \"Age\" must be an array"));
    CHECK_THAT(error_of(with("\"Age\": [20]", "\"Age\": [20, 30]")),
               Catch::Contains("ragged columns: \"Age\" has 2 values but \"Sex\" has 1"));
    CHECK_THAT(error_of(with("\"Age\": [20]", "\"Age\": [\"twenty\"]")),
               Catch::Contains("column \"Age\", row 0: expected an integer, found \"twenty\""));
    CHECK_THAT(error_of(with("\"Age\": [20]", "\"Age\": [20.5]")), Catch::Contains("column \"Age\", row 0: expected an integer"));
    CHECK_THAT(error_of(with("\"Age\": [20]", "\"Age\": [true]")), Catch::Contains("found true or false"));
    CHECK_THAT(error_of(with("\"Sex\": [\"male\"]", "\"Sex\": [null]")),
               Catch::Contains("column \"Sex\", row 0: missing value"));
    CHECK_THAT(error_of(with("\"Sex\": [\"male\"]", "\"Sex\": [3]")), Catch::Contains("expected a string"));
    const std::string empty = R"({"data": {"Age": [], "Sex": [], "Job": [], "Housing": [], "Saving accounts": [],
        "Checking account": [], "Credit amount": [], "Duration": [], "Purpose": []}})";
    CHECK_THAT(error_of(empty), Catch::Contains("no rows to score"));
}

TEST_CASE("an Open Inference Protocol request becomes records", "[ops][request]") {
    const std::string body = R"({"inputs": [
        {"name": "Age", "shape": [1], "datatype": "INT64", "data": [20]},
        {"name": "Sex", "shape": [1], "datatype": "BYTES", "data": ["male"]},
        {"name": "Job", "shape": [1], "datatype": "INT64", "data": [0]},
        {"name": "Housing", "shape": [1], "datatype": "BYTES", "data": ["own"]},
        {"name": "Saving accounts", "shape": [1], "datatype": "BYTES", "data": ["little"]},
        {"name": "Checking account", "shape": [1], "datatype": "BYTES", "data": ["little"]},
        {"name": "Credit amount", "shape": [1], "datatype": "INT64", "data": [100]},
        {"name": "Duration", "shape": [1], "datatype": "INT64", "data": [48]},
        {"name": "Purpose", "shape": [1], "datatype": "BYTES", "data": ["radio/TV"]}]})";
    const auto rows = parse_infer_request<credit::feature_schema>(body, na);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0] == parse_score_request<credit::feature_schema>(seed_request, na)[0]);
    std::string bad = body;
    const std::string age = R"("shape": [1], "datatype": "INT64", "data": [20])";
    bad.replace(bad.find(age), age.size(), R"("shape": [2], "datatype": "INT64", "data": [20])");
    CHECK_THROWS_WITH(parse_infer_request<credit::feature_schema>(bad, na), Catch::Contains("shape does not match"));
    CHECK_THROWS_WITH(parse_infer_request<credit::feature_schema>("{\"inputs\": 3}", na), Catch::Contains("expected {\"inputs\""));
}

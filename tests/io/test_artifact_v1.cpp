// Format-1 artifacts, written by ctml 0.1 (commit 13f0bd4) and kept under
// tests/fixtures/artifact_v1 with the script that made them, still load and
// score exactly as they did when written.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>

#include <nlohmann/json.hpp>

#include <ctml/io.hpp>

#include "credit/credit_pipeline.hpp"
#include "support/sklearn_fixture.hpp"

using namespace ctml;

namespace {
const nlohmann::json& expected_scores() {
    static const auto doc = nlohmann::json::parse(std::ifstream(CTML_FIXTURE_DIR "/artifact_v1/expected_scores.json"));
    return doc;
}
}  // namespace

TEST_CASE("a format-1 credit artifact loads and scores as it did when written", "[io][artifact][v1]") {
    using model_type = decltype(credit::model().fit(std::declval<frame<credit::feature_schema>>(), label_span{}));
    const auto artifact = load<model_type>(CTML_FIXTURE_DIR "/artifact_v1/credit_model.json");
    CHECK(artifact.format_version == 1);
    CHECK(artifact.library_version == "0.1.0");
    CHECK(artifact.statistics.rows == 1000);
    CHECK(artifact.statistics.features.size() == 26);
    CHECK(artifact.lineage.at("data") == "german_credit_data.csv");
    const auto features = test_support::credit_data().select<credit::feature_schema>();
    // Through its stages it scores bit for bit as when written; the folded scorer (the default
    // since the model is folded into one sum per column) agrees to 1e-12.
    const auto staged = artifact.model.predict_proba_through_stages(features);
    const auto p = artifact.model.predict_proba(features);
    const auto& expected = expected_scores()["credit_model"]["p_good"];
    REQUIRE(artifact.model.fold() != nullptr);
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const auto r = static_cast<Eigen::Index>(i);
        CHECK(staged(r, 1) == expected[i].get<double>());
        CHECK(std::abs(p(r, 1) - expected[i].get<double>()) <= 1e-12);
    }

    // Saved again, it is a format-2 file that loads to the same model.
    const auto again = from_artifact_json<model_type>(to_artifact_json(artifact.model, artifact.statistics), "again");
    CHECK(again.format_version == artifact_format_version);
    CHECK(again.model.predict_proba(features) == p);
}

TEST_CASE("a format-1 artifact with min-max scaling and a passed-through remainder loads", "[io][artifact][v1]") {
    using numeric_schema = schema<column<"Age", std::int64_t>, column<"Job", std::int64_t>,
                                  column<"Credit amount", std::int64_t>, column<"Duration", std::int64_t>>;
    using model_type = decltype((column_transformer{remainder_passthrough, on<"Age", "Credit amount">("mm", min_max_scaler{})} |
                                 standard_scaler{} | logistic_regression{})
                                    .fit(std::declval<frame<numeric_schema>>(), label_span{}));
    const auto artifact = load<model_type>(CTML_FIXTURE_DIR "/artifact_v1/scaled_model.json");
    CHECK(artifact.model.last_step().params().C == 0.5);
    const auto numeric = test_support::credit_data().select<numeric_schema>();
    const auto p = artifact.model.predict_proba(numeric);
    const auto& expected = expected_scores()["scaled_model"]["p_good"];
    for (std::size_t i = 0; i < expected.size(); ++i) CHECK(p(static_cast<Eigen::Index>(i), 1) == expected[i].get<double>());
}

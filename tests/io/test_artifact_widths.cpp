// Every stage boundary is width-checked at load. For each stage that makes
// features followed by each stage that consumes them, an artifact whose
// consumer was edited to expect one feature more is refused, and the message
// names the step and both widths. The case that once read out of bounds -- a
// category (and its feature name) added to a one_hot_encoder that feeds a
// standard_scaler -- is refused too.
#include <catch2/catch.hpp>

#include <string>

#include <nlohmann/json.hpp>

#include <ctml/io.hpp>

#include "support/sklearn_fixture.hpp"

using namespace ctml;

namespace {

template <class Fitted>
std::string load_error(const nlohmann::ordered_json& doc) {
    try {
        (void)from_artifact_json<Fitted>(doc.dump(), "model.json");
        return "";
    } catch (const artifact_error& e) {
        return e.what();
    }
}

/// Makes every per-feature array of a step's state one longer.
void widen_state(nlohmann::ordered_json& step, std::size_t width) {
    for (auto& [key, value] : step["state"].items())
        if (value.is_array() && value.size() == width) value.push_back(1.0);
}

const auto& numbers() {
    static const auto x = test_support::credit_data().select<"Age", "Job", "Credit amount", "Duration">();
    return x;
}
const auto& categorical_columns() {
    static const auto x = test_support::credit_data().select<"Sex", "Housing", "Purpose">();
    return x;
}

/// Fits producer | consumer, widens the consumer in the file, and checks the refusal.
template <class Producer, class Consumer, class X>
void check_boundary(const std::string& producer_name, const std::string& consumer_name, Producer producer,
                    Consumer consumer, const X& x) {
    INFO(producer_name << " | " << consumer_name);
    const auto model = [&] {
        if constexpr (Consumer::kind == stage_kind::estimator)
            return (producer | consumer).fit(x, test_support::credit_labels());
        else
            return (producer | consumer).fit(x);
    }();
    using fitted = std::remove_cvref_t<decltype(model)>;
    auto doc = nlohmann::ordered_json::parse(to_artifact_json(model, training_statistics{}));
    REQUIRE(load_error<fitted>(doc).empty());
    const auto width = static_cast<std::size_t>(model.template step<0>().n_features_out());
    widen_state(doc["steps"][1], width);
    if constexpr (std::remove_cvref_t<decltype(model.template step<0>())>::width == dynamic_width) {
        // Learned width: the boundary check between the steps refuses it.
        CHECK_THAT(load_error<fitted>(doc),
                   Catch::Contains("model.json: steps[1]: " + consumer_name + " expects " + std::to_string(width + 1) +
                                   " features but step 0 (" + producer_name + ") makes " + std::to_string(width)));
    } else {
        // Width fixed by the type: the consumer's arrays have a length the file must match.
        CHECK_THAT(load_error<fitted>(doc),
                   Catch::Contains("model.json: steps[1].state.") &&
                       Catch::Contains("expected an array of " + std::to_string(width) + " elements, found " +
                                       std::to_string(width + 1)));
    }
}

template <class Consumer>
void check_every_producer(const std::string& name, Consumer consumer) {
    check_boundary("standard_scaler", name, standard_scaler{}, consumer, numbers());
    check_boundary("min_max_scaler", name, min_max_scaler{}, consumer, numbers());
    check_boundary("one_hot_encoder", name, one_hot_encoder{}, consumer, categorical_columns());
    check_boundary("column_transformer", name, test_support::credit_preprocessing(), consumer,
                   test_support::credit_data());
}

}  // namespace

TEST_CASE("every boundary between a feature producer and a consumer is width-checked at load", "[io][artifact]") {
    check_every_producer("standard_scaler", standard_scaler{});
    check_every_producer("min_max_scaler", min_max_scaler{});
    check_every_producer("logistic_regression", logistic_regression{});
}

TEST_CASE("a category added to a one_hot_encoder before a scaler is refused, not read out of bounds",
          "[io][artifact]") {
    const auto stage = column_transformer{on<"Sex", "Housing">("cat", one_hot_encoder{} | standard_scaler{})};
    const auto whole = make_pipeline(stage).fit(categorical_columns());
    using fitted = std::remove_cvref_t<decltype(whole)>;
    auto doc = nlohmann::ordered_json::parse(to_artifact_json(whole, training_statistics{}));
    REQUIRE(load_error<fitted>(doc).empty());
    // Sex: female, male -> female, male, other; and the matching feature name.
    auto& encoder = doc["steps"][0]["groups"][0]["steps"][0]["steps"][0];
    encoder["state"]["categories"][0].push_back("other");
    auto& names = doc["feature_names_out"];
    names.insert(names.begin() + 2, "cat__Sex_other");
    CHECK_THAT(load_error<fitted>(doc),
               Catch::Contains("model.json: steps[0].groups[0].steps[0].steps[1]: standard_scaler expects 5 features "
                               "but step 0 (one_hot_encoder) makes 6"));
}

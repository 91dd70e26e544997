// The folded scorer (linear_fold.hpp) against scoring through every stage:
// the same probabilities to 1e-12 (the order of operations differs), records
// and frames bit for bit alike, the stages' own errors for what the fold
// cannot score, and no fold where one would be wrong.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include <ctml/ctml.hpp>

#include "credit/credit_pipeline.hpp"
#include "support/credit_declared.hpp"
#include "support/sklearn_fixture.hpp"

using namespace ctml;

namespace {

const auto& credit_features() {
    static const auto x = test_support::credit_data().select<credit::feature_schema>();
    return x;
}

/// What every folded model must satisfy on x: fold and stages agree to 1e-12, a record
/// scores exactly as its row in a frame, and the labels agree.
template <class Fitted, class Frame>
void check_fold_matches_stages(const Fitted& model, const Frame& x) {
    REQUIRE(model.fold() != nullptr);
    const auto folded = model.predict_proba(x);
    const auto staged = model.predict_proba_through_stages(x);
    CHECK((folded - staged).cwiseAbs().maxCoeff() <= 1e-12);
    CHECK((model.decision_function(x) - model.decision_function_through_stages(x)).cwiseAbs().maxCoeff() <= 1e-12);
    CHECK(model.predict(x) == (staged.col(1).array() > 0.5).template cast<int>().matrix());
    const auto z = model.decision_function(x);
    for (std::size_t i = 0; i < x.rows(); ++i) {
        const auto row = x.row(i);
        const auto p = model.predict_proba_row(row);
        const auto r = static_cast<Eigen::Index>(i);
        CHECK(p[0] == folded(r, 0));  // bit for bit: the same sum in the same order
        CHECK(p[1] == folded(r, 1));
        CHECK(model.decision_function_row(row) == z(r));
        CHECK(std::abs(p[1] - model.predict_proba_row_through_stages(row)[1]) <= 1e-12);
    }
}

template <class F>
std::string message_of(F&& f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "(no exception)";
}

// Every kind of column the fold handles: a nullable number imputed by its mean then
// min-max scaled, a number standardised without centring, a nullable learned category
// and a declared one imputed and one-hot encoded with unknown categories ignored, and
// two numbers passed through as they are.
using mixed_schema = schema<column<"id", std::int64_t>, column<"income", nullable<double>>, column<"age", std::int64_t>,
                            column<"colour", nullable<categorical>>, column<"size", categories<"S", "M", "L">>,
                            column<"extra", double>>;

auto mixed_model() {
    return column_transformer{remainder_passthrough,
                              on<"income">("inc", simple_imputer{.strategy = impute_strategy::mean} | min_max_scaler{}),
                              on<"age">("age", standard_scaler{.with_mean = false}),
                              on<"colour", "size">("cat", simple_imputer{.strategy = impute_strategy::most_frequent} |
                                                             one_hot_encoder{.handle_unknown = unknown_category::ignore})} |
           logistic_regression{};
}

frame<mixed_schema> mixed_data(std::size_t rows) {
    frame_builder<mixed_schema> builder;
    const std::vector<std::string> colours{"red", "green", "blue", "teal"};
    for (std::size_t i = 0; i < rows; ++i) {
        record<mixed_schema> r;
        r.set<"id">(static_cast<std::int64_t>(i % 5));
        if (i % 7 != 3) r.set<"income">(std::optional<double>(1000.0 + static_cast<double>((i * 7919) % 5003)));
        r.set<"age">(static_cast<std::int64_t>(20 + (i * 31) % 50));
        if (i % 11 != 5) r.set<"colour">(std::optional<std::string>(colours[(i * 13) % colours.size()]));
        r.set<"size">(declared_category<categories<"S", "M", "L">>::from_index((i * 17) % 3));
        r.set<"extra">(static_cast<double>((i * 101) % 97) / 97.0);
        builder.push_back(r);
    }
    return std::move(builder).finish();
}

std::vector<int> mixed_labels(const frame<mixed_schema>& x) {
    std::vector<int> y;
    for (std::size_t i = 0; i < x.rows(); ++i) y.push_back((i * 2654435761u) % 3 == 0 || x.column<"age">()[i] > 55 ? 1 : 0);
    return y;
}

}  // namespace

TEST_CASE("the credit model folds, and the fold scores as the stages do", "[pipeline][fold]") {
    const auto model = credit::model().fit(credit_features(), test_support::credit_labels());
    STATIC_REQUIRE(std::remove_cvref_t<decltype(model)>::folds_linearly);
    check_fold_matches_stages(model, credit_features());

    // The training schema's extra columns (Sno, Risk) are dropped: they add nothing.
    const auto whole = credit::model().fit(test_support::credit_data(), test_support::credit_labels());
    check_fold_matches_stages(whole, test_support::credit_data());
    CHECK_FALSE(whole.fold()->columns()[0].used);
}

TEST_CASE("declared categories fold, looked up by their index", "[pipeline][fold]") {
    const auto declared = read_csv<test_support::declared_credit_schema>(CTML_TEST_DATA_DIR "/german_credit_data.csv");
    const auto model = credit::model().fit(declared, test_support::credit_labels());
    check_fold_matches_stages(model, declared);
}

TEST_CASE("imputers, both scalers, ignored unknowns and the remainder fold", "[pipeline][fold]") {
    const auto x = mixed_data(400);
    const auto model = mixed_model().fit(x, mixed_labels(x));
    check_fold_matches_stages(model, x);
    check_fold_matches_stages(model, mixed_data(37));

    // An unknown colour is ignored by the encoder: it adds nothing, as through the stages.
    auto r = x.row(0);
    r.set<"colour">(std::optional<std::string>("mauve"));
    CHECK(std::abs(model.predict_proba_row(r)[1] - model.predict_proba_row_through_stages(r)[1]) <= 1e-12);
    CHECK(std::isfinite(model.fold()->decision_row(r)));
}

TEST_CASE("what the fold cannot score gets the stages' own error", "[pipeline][fold]") {
    const auto model = credit::model().fit(credit_features(), test_support::credit_labels());
    auto bad = credit_features().row(3);
    bad.set<"Purpose">(std::string("spaceship"));
    CHECK(std::isnan(model.fold()->decision_row(bad)));
    const auto expected = message_of([&] { (void)model.predict_proba_row_through_stages(bad); });
    CHECK_THAT(expected, Catch::Contains("unknown category \"spaceship\""));
    CHECK(message_of([&] { (void)model.predict_proba_row(bad); }) == expected);
    CHECK(message_of([&] { (void)model.decision_function_row(bad); }) == expected);

    // In a frame: the stages name the row.
    frame_builder<credit::feature_schema> builder;
    for (std::size_t i = 0; i < 10; ++i) builder.push_back(i == 6 ? bad : credit_features().row(i));
    const auto frame_with_bad_row = std::move(builder).finish();
    const auto expected_in_frame = message_of([&] { (void)model.predict_proba_through_stages(frame_with_bad_row); });
    CHECK_THAT(expected_in_frame, Catch::Contains("in row 6"));
    CHECK(message_of([&] { (void)model.predict_proba(frame_with_bad_row); }) == expected_in_frame);
    CHECK(message_of([&] { (void)model.predict(frame_with_bad_row); }) == expected_in_frame);
    CHECK(message_of([&] { (void)model.decision_function(frame_with_bad_row); }) == expected_in_frame);
}

TEST_CASE("a missing value whose fill category the encoder never saw is the encoder's error", "[pipeline][fold]") {
    // Fitted on rows that all have a savings account: "missing" is not a category.
    const auto& x = credit_features();
    std::vector<std::size_t> present;
    std::vector<int> y;
    const auto labels = test_support::credit_labels();
    for (std::size_t i = 0; i < x.rows(); ++i)
        if (!x.column<"Saving accounts">().is_missing(i)) {
            present.push_back(i);
            y.push_back(labels[i]);
        }
    const auto model = credit::model().fit(x.take(present), y);
    check_fold_matches_stages(model, x.take(present));
    auto r = x.row(present[0]);
    r.set<"Saving accounts">(std::optional<std::string>());
    const auto expected = message_of([&] { (void)model.predict_proba_row_through_stages(r); });
    CHECK_THAT(expected, Catch::Contains("unknown category \"missing\""));
    CHECK(message_of([&] { (void)model.predict_proba_row(r); }) == expected);
}

TEST_CASE("no fold where one number per value cannot describe a column", "[pipeline][fold]") {
    // Age in two groups: the stages still score it, and nothing is folded.
    const auto twice = column_transformer{on<"Age", "Duration">("num", standard_scaler{}),
                                          on<"Age">("age", min_max_scaler{})} |
                       logistic_regression{};
    const auto model = twice.fit(credit_features(), test_support::credit_labels());
    CHECK(model.fold() == nullptr);
    CHECK(model.predict_proba(credit_features()) == model.predict_proba_through_stages(credit_features()));

    // A scaler after the column transformer reads features, not columns: it does not fold,
    // and neither does the pipeline -- decided at compile time.
    const auto rescaled = column_transformer{on<"Age", "Duration">("num", standard_scaler{})} | standard_scaler{} |
                          logistic_regression{};
    using rescaled_fit = decltype(rescaled.fit(credit_features(), label_span{}));
    STATIC_REQUIRE_FALSE(rescaled_fit::folds_linearly);
    const auto fitted = rescaled.fit(credit_features(), test_support::credit_labels());
    CHECK(fitted.fold() == nullptr);
    CHECK(fitted.predict_proba_row(credit_features().row(0)) ==
          fitted.predict_proba_row_through_stages(credit_features().row(0)));
}

TEST_CASE("a model loaded from its artifact folds as the fitted one does", "[pipeline][fold]") {
    const auto model = credit::model().fit(credit_features(), test_support::credit_labels());
    const auto copy = decltype(model)::restore({}, model.template step<0>(), model.template step<1>());
    REQUIRE(copy.fold() != nullptr);
    CHECK(copy.predict_proba(credit_features()) == model.predict_proba(credit_features()));
}

// Composition, typestate, concepts and widths of pipelines.
#include <catch2/catch.hpp>

#include <type_traits>

#include <ctml/ctml.hpp>

#include "support/allocation_counter.hpp"
#include "support/credit_declared.hpp"
#include "support/sklearn_fixture.hpp"

using namespace ctml;

namespace {
using numeric_schema = schema<column<"Age", std::int64_t>, column<"Duration", std::int64_t>>;
using credit_frame = frame<credit::training_schema>;
const auto& data = test_support::credit_data;
}  // namespace

TEST_CASE("stages and pipelines model the concepts they should", "[pipeline][concepts]") {
    using num_frame = frame<numeric_schema>;
    STATIC_REQUIRE(table<num_frame>);
    STATIC_REQUIRE(table<feature_matrix<>>);
    STATIC_REQUIRE(table<feature_matrix<4>>);
    STATIC_REQUIRE_FALSE(table<Eigen::Matrix<double, 3, 3>>);
    STATIC_REQUIRE(stage<standard_scaler>);
    STATIC_REQUIRE(transformer<standard_scaler, num_frame>);
    STATIC_REQUIRE(transformer<standard_scaler, feature_matrix<>>);
    STATIC_REQUIRE_FALSE(transformer<logistic_regression, feature_matrix<>>);
    STATIC_REQUIRE(estimator<logistic_regression, feature_matrix<>>);
    STATIC_REQUIRE(fitted_transformer<fitted_standard_scaler<num_frame>, num_frame>);
    // An unfitted stage is not a fitted transformer: its transform() does not return a table.
    STATIC_REQUIRE_FALSE(fitted_transformer<standard_scaler, num_frame>);
    STATIC_REQUIRE(probabilistic_classifier<fitted_logistic_regression<dynamic_width>, feature_matrix<>>);

    using model_type = decltype(test_support::credit_preprocessing() | logistic_regression{});
    using fitted_model = decltype(std::declval<model_type>().fit(std::declval<credit_frame>(), label_span{}));
    STATIC_REQUIRE(probabilistic_classifier<fitted_model, credit_frame>);
    STATIC_REQUIRE(model_type::kind == stage_kind::estimator);

    using transform_only = decltype(test_support::credit_preprocessing().fit(std::declval<credit_frame>()));
    STATIC_REQUIRE_FALSE(classifier<transform_only, credit_frame>);
    STATIC_REQUIRE_FALSE(probabilistic_classifier<transform_only, credit_frame>);
}

namespace {
// A stage whose fit() may be declared but never instantiated: its body does
// not compile. Programs that only load a model name its fitted type; that
// must not instantiate any fit (it used to instantiate all of them, solver
// included, for 3 s and 200 MB of compiling a program).
struct unfittable_scaler {
    static constexpr stage_kind kind = stage_kind::transformer;
    static constexpr std::string_view stage_name = "unfittable_scaler";
    bool operator==(const unfittable_scaler&) const = default;
    template <table In>
    fitted_standard_scaler<In> fit(const In& x) const {
        static_assert(detail::always_false<In>, "naming a fitted type instantiated fit()");
        return standard_scaler{}.fit(x);
    }
};
}  // namespace

TEST_CASE("a fitted pipeline's type is named without instantiating any fit", "[pipeline][concepts]") {
    using num_frame = frame<numeric_schema>;
    const auto model = column_transformer{on<"Age", "Duration">(unfittable_scaler{})} | logistic_regression{};
    using fitted = decltype(model)::fitted_type<num_frame>;
    STATIC_REQUIRE(std::is_same_v<typename fitted::input_type, num_frame>);
    STATIC_REQUIRE(std::is_same_v<decltype(model.fit(std::declval<const num_frame&>(), label_span{})), fitted>);
    // The same name as fit's result, for the credit model the programs load.
    using credit_model = decltype(test_support::credit_preprocessing() | logistic_regression{});
    STATIC_REQUIRE(std::is_same_v<credit_model::fitted_type<credit_frame>,
                                  decltype(std::declval<credit_model>().fit(std::declval<credit_frame>(), label_span{}))>);
}

TEST_CASE("a | b | c and make_pipeline build the same pipeline; pipelines splice", "[pipeline]") {
    const simple_imputer imputer{.strategy = impute_strategy::constant};
    const one_hot_encoder encoder{};
    const standard_scaler scaler{};
    const auto piped = imputer | encoder | scaler;
    const auto made = make_pipeline(imputer, encoder, scaler);
    STATIC_REQUIRE(std::is_same_v<decltype(piped), decltype(made)>);
    CHECK(piped == made);
    const auto spliced = (imputer | encoder) | make_pipeline(scaler);
    STATIC_REQUIRE(std::is_same_v<decltype(spliced), decltype(made)>);
    STATIC_REQUIRE(decltype(piped)::size == 3);
}

TEST_CASE("a partial pipeline is a reusable value", "[pipeline]") {
    const auto preprocess = test_support::credit_preprocessing();
    const auto weak = preprocess | logistic_regression{.C = 0.01};
    const auto strong = preprocess | logistic_regression{.C = 100};
    const auto y = test_support::credit_labels();
    const auto a = weak.fit(data(), y);
    const auto b = strong.fit(data(), y);
    CHECK(a.last_step().coef().norm() < b.last_step().coef().norm());
    // fit() never mutates: the values still hold the hyperparameters they were given.
    CHECK(std::get<1>(weak.steps).C == 0.01);
    CHECK(a.params() == weak);
    CHECK(std::get<0>(a.params().steps) == preprocess);
}

TEST_CASE("fitted pipelines score batches and single records alike", "[pipeline]") {
    const auto y = test_support::credit_labels();
    const auto fitted = (test_support::credit_preprocessing() | logistic_regression{}).fit(data(), y);
    const auto proba = fitted.predict_proba(data());
    const auto decision = fitted.decision_function(data());
    const auto labels = fitted.predict(data());
    REQUIRE(proba.rows() == 1000);
    for (std::size_t i = 0; i < data().rows(); ++i) {
        const auto row = data().row(i);
        const auto p = fitted.predict_proba_row(row);
        REQUIRE(p[1] == Approx(proba(static_cast<Eigen::Index>(i), 1)).epsilon(1e-15));
        // A dot product and a matrix-vector product may round differently in the last bits.
        REQUIRE(fitted.decision_function_row(row) == Approx(decision(static_cast<Eigen::Index>(i))).margin(1e-13));
        REQUIRE((p[1] > 0.5) == (labels(static_cast<Eigen::Index>(i)) == 1));
    }
    CHECK(fitted.features(data()).cols() == 26);
}

TEST_CASE("learned categories give a dynamic width", "[pipeline][width]") {
    const auto fitted = test_support::credit_preprocessing().fit(data());
    STATIC_REQUIRE(decltype(fitted)::width == dynamic_width);
    CHECK(fitted.n_features_out() == 26);
}

TEST_CASE("declared categories give a compile-time width and heap-free single-record scoring", "[pipeline][width]") {
    using test_support::declared_credit_schema;
    const auto declared = read_csv<declared_credit_schema>(CTML_TEST_DATA_DIR "/german_credit_data.csv");
    const auto y = test_support::credit_labels();
    const auto preprocess = column_transformer{
        on<"Age", "Job", "Credit amount", "Duration">("num", standard_scaler{}),
        on<"Sex", "Housing", "Saving accounts", "Checking account", "Purpose">(
            "cat", simple_imputer{.strategy = impute_strategy::constant, .fill_category = "missing"} | one_hot_encoder{})};
    const auto fitted_preprocess = preprocess.fit(declared);
    STATIC_REQUIRE(decltype(fitted_preprocess)::width == 26);
    STATIC_REQUIRE(std::is_same_v<decltype(fitted_preprocess.transform(declared)), feature_matrix<26>>);

    const auto model = (preprocess | logistic_regression{}).fit(declared, y);
    const auto learned = (test_support::credit_preprocessing() | logistic_regression{}).fit(data(), y);
    // Same features in the same (sorted) order, so the same optimum.
    CHECK(test_support::max_abs_diff(model.last_step().coef(), learned.last_step().coef()) <= 1e-12);

    const auto row = declared.row(1);
    std::array<double, 2> p{};
    std::size_t allocations = 0;
    {
        test_support::counting_scope scope;
        p = model.predict_proba_row(row);
        allocations = scope.count();
    }
    CHECK(allocations == 0);
    CHECK(p[1] == Approx(learned.predict_proba(data()).coeff(1, 1)).epsilon(1e-12));
}

TEST_CASE("column_transformer can pass the remainder through", "[compose]") {
    const auto ct = column_transformer{remainder_passthrough, on<"Age">("age", standard_scaler{})};
    const auto numbers = data().select<"Age", "Duration", "Credit amount">();
    const auto fitted = ct.fit(numbers);
    STATIC_REQUIRE(decltype(fitted)::width == 3);
    const auto x = fitted.transform(numbers);
    CHECK(fitted.feature_names_out() == std::vector<std::string>{"age__Age", "remainder__Duration", "remainder__Credit amount"});
    CHECK(x(0, 1) == 6.0);  // first row's Duration, unchanged
    CHECK(x(0, 2) == 1169.0);
    feature_row<3> row;
    fitted.transform_row_into(numbers.row(0), row);
    CHECK(row(0) == x(0, 0));
    CHECK(row(2) == 1169.0);
}

TEST_CASE("column groups must have distinct names", "[compose]") {
    CHECK_THROWS_WITH((column_transformer{on<"Age">(standard_scaler{}), on<"Duration">(standard_scaler{})}),
                      Catch::Contains("two groups are named \"standard_scaler\""));
}

TEST_CASE("pipeline::fit checks that rows and labels agree", "[pipeline]") {
    const auto model = test_support::credit_preprocessing() | logistic_regression{};
    CHECK_THROWS_WITH(model.fit(data(), std::vector<int>(10, 1)), Catch::Contains("1000 rows but 10 labels"));
}

TEST_CASE("one_hot_encoder reports an unknown category, or ignores it when asked", "[preprocessing]") {
    const auto train = data().select<"Sex", "Purpose">().take(std::vector<std::size_t>{0, 1, 2});  // radio/TV, education
    const auto full = data().select<"Sex", "Purpose">();
    const auto strict = one_hot_encoder{}.fit(train);
    CHECK_THROWS_WITH(strict.transform(full), Catch::Contains("column \"Purpose\": unknown category \"furniture/equipment\" in row 3"));
    const auto lenient = one_hot_encoder{.handle_unknown = unknown_category::ignore}.fit(train);
    const auto x = lenient.transform(full);
    CHECK(x.row(3).sum() == 1.0);  // only Sex is set
}

TEST_CASE("simple_imputer refuses what it cannot impute", "[preprocessing]") {
    const auto cats = data().select<"Saving accounts">();
    CHECK_THROWS_WITH(simple_imputer{.strategy = impute_strategy::mean}.fit(cats),
                      Catch::Contains("column \"Saving accounts\": strategy mean needs numbers"));
    using s = schema<column<"x", nullable<double>>>;
    const frame<s> all_missing(numeric_column<double>(std::vector<double>{0, 0}, std::vector<std::uint8_t>{1, 1}));
    CHECK_THROWS_WITH(simple_imputer{.strategy = impute_strategy::median}.fit(all_missing),
                      Catch::Contains("column \"x\": every value is missing"));
}

TEST_CASE("a long frame is scored block by block, with the same numbers as row by row", "[pipeline][blocks]") {
    const auto y = test_support::credit_labels();
    const auto fitted = (test_support::credit_preprocessing() | logistic_regression{}).fit(data(), y);
    // 10,007 rows: two full blocks and a partial one, rows in a scrambled order.
    std::vector<std::size_t> rows(10'007);
    for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = (i * 7919) % data().rows();
    const auto big = data().take(rows);
    REQUIRE(big.rows() > 2 * decltype(fitted)::scoring_block_rows);
    const auto proba = fitted.predict_proba(big);
    const auto decision = fitted.decision_function(big);
    const auto labels = fitted.predict(big);
    REQUIRE(proba.rows() == static_cast<Eigen::Index>(big.rows()));
    const auto whole_small = fitted.decision_function(data());  // one block: the unblocked path
    for (std::size_t i = 0; i < big.rows(); ++i) {
        const auto k = static_cast<Eigen::Index>(i);
        // Rows are scored independently: the block a row falls in cannot change its score.
        REQUIRE(decision(k) == whole_small(static_cast<Eigen::Index>(rows[i])));
        REQUIRE(proba(k, 1) == fitted.predict_proba(data().slice(rows[i], rows[i] + 1))(0, 1));
        REQUIRE(labels(k) == (decision(k) > 0 ? 1 : 0));
    }
}

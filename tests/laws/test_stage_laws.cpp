// scikit-learn's estimator conformance checks, as laws every stage obeys:
//   fit then transform equals fit_transform;
//   fitting twice gives the same model (idempotent, no hidden state);
//   transform keeps the row count;
//   fit leaves the hyperparameters as given.
#include <catch2/catch.hpp>

#include <cstring>
#include <string>

#include <ctml/ctml.hpp>

#include "support/sklearn_fixture.hpp"

using namespace ctml;

namespace {

template <class Schema>
bool same_table(const frame<Schema>& a, const frame<Schema>& b) {
    if (a.rows() != b.rows()) return false;
    for (std::size_t i = 0; i < a.rows(); ++i)
        if (!(a.row(i) == b.row(i))) return false;
    return true;
}

template <class Derived>
bool same_table(const Eigen::MatrixBase<Derived>& a, const Eigen::MatrixBase<Derived>& b) {
    // Bitwise: the laws are about determinism, not closeness.
    return a.rows() == b.rows() && a.cols() == b.cols() &&
           std::memcmp(a.derived().data(), b.derived().data(), sizeof(double) * static_cast<std::size_t>(a.size())) == 0;
}

template <class Stage, class In>
void check_laws(const std::string& name, const Stage& stage, const In& x) {
    INFO("stage " << name);
    const Stage before = stage;
    const auto fitted = make_pipeline(stage).fit(x);
    const auto out = fitted.transform(x);
    const auto [refitted, fit_transformed] = make_pipeline(stage).fit_transform(x);
    CHECK(same_table(out, fit_transformed));                      // fit + transform == fit_transform
    CHECK(same_table(out, make_pipeline(stage).fit(x).transform(x)));  // refit is idempotent
    CHECK(same_table(refitted.transform(x), out));
    CHECK(row_count(out) == row_count(x));                       // rows preserved
    CHECK(stage == before);                                      // hyperparameters unchanged
    CHECK(fitted.template step<0>().params() == stage);
}

}  // namespace

TEST_CASE("every stage obeys the estimator laws", "[laws]") {
    const auto& data = test_support::credit_data();
    const auto numbers = data.select<"Age", "Job", "Credit amount", "Duration">();
    const auto categories = data.select<"Sex", "Housing", "Saving accounts", "Checking account", "Purpose">();
    const auto imputed = simple_imputer{.strategy = impute_strategy::constant}.fit(categories).transform(categories);
    const feature_matrix<> features = standard_scaler{}.fit(numbers).transform(numbers);

    check_laws("standard_scaler on a frame", standard_scaler{}, numbers);
    check_laws("standard_scaler on features", standard_scaler{.with_mean = false}, features);
    check_laws("min_max_scaler", min_max_scaler{.range_min = -1, .range_max = 1}, numbers);
    check_laws("simple_imputer most_frequent", simple_imputer{.strategy = impute_strategy::most_frequent}, categories);
    check_laws("simple_imputer constant", simple_imputer{.strategy = impute_strategy::constant}, categories);
    check_laws("simple_imputer median", simple_imputer{.strategy = impute_strategy::median}, numbers);
    check_laws("one_hot_encoder", one_hot_encoder{}, imputed);
    check_laws("column_transformer", test_support::credit_preprocessing(), data);
    check_laws("column_transformer passthrough",
               column_transformer{remainder_passthrough, on<"Age">("age", min_max_scaler{})}, numbers);
    check_laws("pipeline", simple_imputer{.strategy = impute_strategy::constant} | one_hot_encoder{}, categories);
}

TEST_CASE("estimators obey the laws that apply to them", "[laws]") {
    const auto& data = test_support::credit_data();
    const auto y = test_support::credit_labels();
    const auto model = test_support::credit_preprocessing() | logistic_regression{};
    const auto before = model;
    const auto a = model.fit(data, y);
    const auto b = model.fit(data, y);
    CHECK(model == before);
    const auto pa = a.predict_proba(data);
    const auto pb = b.predict_proba(data);
    CHECK(std::memcmp(pa.data(), pb.data(), sizeof(double) * static_cast<std::size_t>(pa.size())) == 0);
    CHECK(static_cast<std::size_t>(pa.rows()) == data.rows());
}

TEST_CASE("every fitted stage models the stage protocol", "[laws][protocol]") {
    using numbers = frame<schema<column<"Age", std::int64_t>, column<"Duration", std::int64_t>>>;
    using words = frame<schema<column<"Sex", categorical>, column<"Saving accounts", nullable<categorical>>>>;
    using imputed = frame<imputed_schema_t<typename words::schema_type>>;
    using scaler = decltype(standard_scaler{}.fit(std::declval<numbers>()));
    using min_max = decltype(min_max_scaler{}.fit(std::declval<feature_matrix<>>()));
    using imputer = decltype(simple_imputer{}.fit(std::declval<words>()));
    using encoder = decltype(one_hot_encoder{}.fit(std::declval<imputed>()));
    using regression = decltype(logistic_regression{}.fit(std::declval<feature_matrix<>>(), label_span{}));
    using transformer_group = decltype(test_support::credit_preprocessing().fit(test_support::credit_data()));
    using whole = decltype((test_support::credit_preprocessing() | logistic_regression{})
                               .fit(test_support::credit_data(), label_span{}));

    STATIC_REQUIRE(leaf_fitted_stage<scaler>);
    STATIC_REQUIRE(leaf_fitted_stage<min_max>);
    STATIC_REQUIRE(leaf_fitted_stage<imputer>);
    STATIC_REQUIRE(leaf_fitted_stage<encoder>);
    STATIC_REQUIRE(leaf_fitted_stage<regression>);
    STATIC_REQUIRE(composite_fitted_stage<transformer_group>);
    STATIC_REQUIRE(composite_fitted_stage<whole>);
    STATIC_REQUIRE(feature_transformer<scaler>);
    STATIC_REQUIRE(feature_transformer<encoder>);
    STATIC_REQUIRE(feature_transformer<transformer_group>);
    STATIC_REQUIRE_FALSE(feature_transformer<imputer>);  // it keeps named columns
    STATIC_REQUIRE_FALSE(feature_transformer<regression>);
    STATIC_REQUIRE(probabilistic_classifier<regression, feature_matrix<>>);
    STATIC_REQUIRE(transformer<standard_scaler, numbers>);
    STATIC_REQUIRE(estimator<logistic_regression, feature_matrix<>>);
    STATIC_REQUIRE_FALSE(transformer<logistic_regression, feature_matrix<>>);
}

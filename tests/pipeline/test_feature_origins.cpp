// Feature origins: each of the credit pipeline's 26 features maps back to one
// of its 9 input columns, by the recursion that names the features; and one
// record's features, computed without a frame, equal the batch's row bit for bit.
#include <catch2/catch.hpp>

#include <cstring>
#include <set>

#include <ctml/ctml.hpp>

#include "credit/credit_pipeline.hpp"
#include "support/sklearn_fixture.hpp"

using namespace ctml;

TEST_CASE("feature origins map the credit pipeline's 26 features to its 9 input columns", "[pipeline][origins]") {
    const auto features = test_support::credit_data().select<credit::feature_schema>();
    const auto model = credit::model().fit(features, test_support::credit_labels());
    const auto origins = model.feature_origins();
    REQUIRE(origins.size() == 26);
    CHECK(names_of(origins) == model.feature_names_out());

    std::set<std::size_t> columns;
    for (const auto& o : origins) {
        REQUIRE(o.column_index < 9);
        CHECK(credit::feature_schema::names[o.column_index] == o.column);
        columns.insert(o.column_index);
    }
    CHECK(columns.size() == 9);

    CHECK(origins[0] == feature_origin{"num__Age", "Age", 0, "num", std::nullopt});
    CHECK(origins[3] == feature_origin{"num__Duration", "Duration", 7, "num", std::nullopt});
    // "Saving accounts" has a space; the category "quite rich" too: nothing is parsed from names.
    const auto quite_rich = std::find_if(origins.begin(), origins.end(),
                                         [](const auto& o) { return o.name == "cat__Saving accounts_quite rich"; });
    REQUIRE(quite_rich != origins.end());
    CHECK(quite_rich->column == "Saving accounts");
    CHECK(quite_rich->column_index == 4);
    CHECK(quite_rich->group == "cat");
    CHECK(quite_rich->category == std::optional<std::string>("quite rich"));
    // The imputer's fill value is a category like any other.
    CHECK(std::count_if(origins.begin(), origins.end(), [](const auto& o) { return o.category == "missing"; }) == 2);
}

TEST_CASE("features_row equals the batch features row for row, bit for bit", "[pipeline][origins]") {
    const auto features = test_support::credit_data().select<credit::feature_schema>();
    const auto model = credit::model().fit(features, test_support::credit_labels());
    const auto batch = model.features(features);
    for (std::size_t i = 0; i < features.rows(); ++i) {
        const auto row = model.features_row(features.row(i));
        REQUIRE(row.size() == batch.cols());
        const Eigen::RowVectorXd expected = batch.row(static_cast<Eigen::Index>(i));
        REQUIRE(std::memcmp(row.data(), expected.data(), sizeof(double) * static_cast<std::size_t>(row.size())) == 0);
    }
}

TEST_CASE("one record scores exactly as its row of the batch does", "[pipeline][origins]") {
    const auto features = test_support::credit_data().select<credit::feature_schema>();
    const auto model = credit::model().fit(features, test_support::credit_labels());
    const auto batch = model.predict_proba(features);
    const auto z = model.decision_function(features);
    for (std::size_t i = 0; i < features.rows(); ++i) {
        const auto e = static_cast<Eigen::Index>(i);
        const auto p = model.predict_proba_row(features.row(i));
        REQUIRE(std::memcmp(&p[0], &batch(e, 0), sizeof(double)) == 0);
        REQUIRE(std::memcmp(&p[1], &batch(e, 1), sizeof(double)) == 0);
        const double zi = model.decision_function_row(features.row(i));
        REQUIRE(std::memcmp(&zi, &z(e), sizeof(double)) == 0);
    }
}

TEST_CASE("origins of a pipeline on a feature matrix name features x0, x1, ...", "[pipeline][origins]") {
    const feature_matrix<> x = Eigen::MatrixXd::Random(20, 3);
    const auto fitted = (standard_scaler{} | min_max_scaler{}).fit(x);
    const auto origins = fitted.feature_origins(input_origins(3));
    REQUIRE(origins.size() == 3);
    CHECK(origins[2].name == "x2");
    CHECK(origins[2].column_index == 2);
    CHECK(fitted.feature_names_out(std::vector<std::string>{"a", "b", "c"}) == std::vector<std::string>{"a", "b", "c"});
}

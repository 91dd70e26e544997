// Every preprocessing stage against scikit-learn 1.2.1 on the credit data
// (fixture: tests/fixtures/sklearn_credit.json). Tolerance 1e-12, absolute
// for transformed values, relative to max(1, |x|) for statistics.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <ctml/ctml.hpp>

#include "support/sklearn_fixture.hpp"

using namespace ctml;
using test_support::max_abs_diff;
using test_support::max_rel_diff;
using test_support::matrix;
using test_support::row_vector;

namespace {
constexpr double tolerance = 1e-12;
const auto& fixture = test_support::sklearn_fixture;

auto numeric_frame() { return test_support::credit_data().select<"Age", "Job", "Credit amount", "Duration">(); }
auto categorical_frame() {
    return test_support::credit_data().select<"Sex", "Housing", "Saving accounts", "Checking account", "Purpose">();
}
}  // namespace

TEST_CASE("standard_scaler equals scikit-learn's StandardScaler", "[preprocessing][parity]") {
    const auto& ref = fixture()["standard_scaler"];
    const auto fitted = standard_scaler{}.fit(numeric_frame());
    CHECK(max_rel_diff(fitted.mean(), row_vector(ref["default"]["mean_"])) <= tolerance);
    CHECK(max_rel_diff(fitted.var(), row_vector(ref["default"]["var_"])) <= tolerance);
    CHECK(max_rel_diff(fitted.scale(), row_vector(ref["default"]["scale_"])) <= tolerance);
    CHECK(fitted.n_samples_seen() == ref["default"]["n_samples_seen_"].get<std::size_t>());
    CHECK(max_abs_diff(fitted.transform(numeric_frame()), matrix(ref["default"]["transformed"])) <= tolerance);

    SECTION("with_mean = false keeps the mean but does not subtract it") {
        const auto f = standard_scaler{.with_mean = false}.fit(numeric_frame());
        CHECK(max_rel_diff(f.mean(), row_vector(ref["with_mean_false"]["mean_"])) <= tolerance);
        CHECK(max_abs_diff(f.transform(numeric_frame()).topRows(20),
                           matrix(ref["with_mean_false"]["transformed_first_20_rows"])) <= tolerance);
    }
    SECTION("with_std = false only centres") {
        const auto f = standard_scaler{.with_std = false}.fit(numeric_frame());
        CHECK(max_abs_diff(f.transform(numeric_frame()).topRows(20),
                           matrix(ref["with_std_false"]["transformed_first_20_rows"])) <= tolerance);
        CHECK(f.scale().isOnes());
    }
    SECTION("zero and near-zero variance keep scale 1, as scikit-learn decides") {
        for (const char* key : {"zero_variance", "near_constant"}) {
            const auto& z = key == std::string("zero_variance") ? ref["zero_variance"] : ref["zero_variance"]["near_constant"];
            const feature_matrix<> input = matrix(z["input"]);
            const auto f = standard_scaler{}.fit(input);
            INFO(key);
            CHECK(max_rel_diff(f.scale(), row_vector(z["scale_"])) <= tolerance);
            CHECK(max_abs_diff(f.transform(input), matrix(z["transformed"])) <= tolerance);
        }
    }
}

TEST_CASE("min_max_scaler equals scikit-learn's MinMaxScaler", "[preprocessing][parity]") {
    const auto& ref = fixture()["min_max_scaler"];
    const auto fitted = min_max_scaler{}.fit(numeric_frame());
    CHECK(max_rel_diff(fitted.data_min(), row_vector(ref["data_min_"])) == 0);
    CHECK(max_rel_diff(fitted.data_max(), row_vector(ref["data_max_"])) == 0);
    CHECK(max_rel_diff(fitted.scale(), row_vector(ref["scale_"])) <= tolerance);
    CHECK(max_rel_diff(fitted.min(), row_vector(ref["min_"])) <= tolerance);
    CHECK(max_abs_diff(fitted.transform(numeric_frame()), matrix(ref["transformed"])) <= tolerance);
}

TEST_CASE("simple_imputer on numeric columns equals scikit-learn's SimpleImputer", "[preprocessing][parity]") {
    const auto& ref = fixture()["simple_imputer_numeric"];
    using s = schema<column<"Age", nullable<double>>, column<"Job", nullable<double>>,
                     column<"Credit amount", nullable<double>>, column<"Duration", nullable<double>>>;
    frame_builder<s> builder;
    for (const auto& row : ref["input"]) {
        record<s> r;
        for_each_column_index<s>([&](auto j) {
            if (!row[j].is_null()) r.template get_at<j>() = row[j].template get<double>();
        });
        builder.push_back(r);
    }
    const auto input = std::move(builder).finish();
    REQUIRE(input.column<"Age">().missing_count() == ref["missing_counts"][0].get<std::size_t>());

    for (auto [name, strategy] : {std::pair{"mean", impute_strategy::mean}, std::pair{"median", impute_strategy::median},
                                  std::pair{"most_frequent", impute_strategy::most_frequent},
                                  std::pair{"constant", impute_strategy::constant}}) {
        INFO("strategy " << name);
        const auto& expected = ref["strategies"][name];
        const auto fitted = simple_imputer{.strategy = strategy, .fill_value = 0.0}.fit(input);
        const std::vector<double> statistics{fitted.statistic<"Age">(), fitted.statistic<"Job">(),
                                             fitted.statistic<"Credit amount">(), fitted.statistic<"Duration">()};
        for (std::size_t j = 0; j < 4; ++j) CHECK(statistics[j] == Approx(expected["statistics_"][j].get<double>()).epsilon(tolerance));
        // The imputed frame as a matrix, through a scaler-free route: read the columns.
        const auto out = fitted.transform(input);
        const auto reference = matrix(expected["transformed"]);
        Eigen::MatrixXd got(1000, 4);
        got.col(0) = out.column<"Age">().as_eigen();
        got.col(1) = out.column<"Job">().as_eigen();
        got.col(2) = out.column<"Credit amount">().as_eigen();
        got.col(3) = out.column<"Duration">().as_eigen();
        CHECK(max_abs_diff(got, reference) <= tolerance * 1e4);  // values up to ~1.8e4: ≤ 1e-12 relative
        CHECK(max_rel_diff(got, reference) <= tolerance);
    }
}

TEST_CASE("simple_imputer on categorical columns equals scikit-learn's SimpleImputer", "[preprocessing][parity]") {
    const auto& ref = fixture()["simple_imputer_categorical"];
    for (auto [name, strategy] :
         {std::pair{"constant", impute_strategy::constant}, std::pair{"most_frequent", impute_strategy::most_frequent}}) {
        INFO("strategy " << name);
        const auto fitted = simple_imputer{.strategy = strategy, .fill_category = "missing"}.fit(categorical_frame());
        const auto& expected = ref[name];
        CHECK(fitted.statistic<"Sex">() == expected["statistics_"][0].get<std::string>());
        CHECK(fitted.statistic<"Saving accounts">() == expected["statistics_"][2].get<std::string>());
        CHECK(fitted.statistic<"Checking account">() == expected["statistics_"][3].get<std::string>());
        const auto out = fitted.transform(categorical_frame());
        std::size_t mismatches = 0;
        for (std::size_t i = 0; i < out.rows(); ++i) {
            const auto& row = expected["transformed"][i];
            mismatches += out.column<"Sex">().value(i) != row[0].get<std::string>();
            mismatches += out.column<"Housing">().value(i) != row[1].get<std::string>();
            mismatches += out.column<"Saving accounts">().value(i) != row[2].get<std::string>();
            mismatches += out.column<"Checking account">().value(i) != row[3].get<std::string>();
            mismatches += out.column<"Purpose">().value(i) != row[4].get<std::string>();
        }
        CHECK(mismatches == 0);
    }
}

TEST_CASE("one_hot_encoder equals scikit-learn's OneHotEncoder", "[preprocessing][parity]") {
    const auto& ref = fixture()["one_hot_encoder"];
    const auto imputed =
        simple_imputer{.strategy = impute_strategy::constant}.fit(categorical_frame()).transform(categorical_frame());
    const auto fitted = one_hot_encoder{}.fit(imputed);
    for (std::size_t j = 0; j < 5; ++j) CHECK(fitted.categories()[j] == ref["categories_"][j].get<std::vector<std::string>>());
    const std::vector<std::string> names{"Sex", "Housing", "Saving accounts", "Checking account", "Purpose"};
    CHECK(names_of(fitted.feature_origins(input_origins(names))) == ref["feature_names_out"].get<std::vector<std::string>>());

    const auto out = fitted.transform(imputed);
    REQUIRE(out.cols() == ref["n_output_columns"].get<int>());
    Eigen::MatrixXd expected = Eigen::MatrixXd::Zero(1000, out.cols());
    for (std::size_t i = 0; i < 1000; ++i)
        for (const auto& k : ref["transformed"][i]) expected(static_cast<Eigen::Index>(i), k.get<Eigen::Index>()) = 1.0;
    CHECK(max_abs_diff(out, expected) == 0);
}

TEST_CASE("column_transformer equals scikit-learn's ColumnTransformer, names included", "[compose][parity]") {
    const auto& ref = fixture()["column_transformer"];
    const auto fitted = test_support::credit_preprocessing().fit(test_support::credit_data());
    CHECK(fitted.feature_names_out() == ref["feature_names_out"].get<std::vector<std::string>>());
    CHECK(max_abs_diff(fitted.transform(test_support::credit_data()), matrix(ref["transformed"])) <= tolerance);
}

TEST_CASE("label_encoder equals scikit-learn's LabelEncoder", "[preprocessing][parity]") {
    const auto& ref = fixture()["label_encoder"];
    const auto& risk = test_support::credit_data().column<"Risk">();
    const auto fitted = label_encoder{}.fit(risk);
    CHECK(std::vector<std::string>(fitted.classes().begin(), fitted.classes().end()) ==
          ref["classes_"].get<std::vector<std::string>>());
    CHECK(fitted.transform(risk) == ref["y"].get<std::vector<int>>());
}

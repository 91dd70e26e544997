// Data drift against training statistics: the tail probabilities and the
// per-column PSI, KS and chi-square numbers checked against SciPy
// (tests/fixtures/drift_reference.json, made by make_drift_fixtures.py), then
// whole reports on the German credit data.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <ctml/ctml.hpp>

#include "support/sklearn_fixture.hpp"

using namespace ctml;

namespace {

const nlohmann::json& drift_fixture() {
    static const nlohmann::json fixture = [] {
        std::ifstream in(CTML_FIXTURE_DIR "/drift_reference.json");
        if (!in) throw std::runtime_error("cannot open " CTML_FIXTURE_DIR "/drift_reference.json");
        return nlohmann::json::parse(in);
    }();
    return fixture;
}

double relative_error(double actual, double expected) {
    if (actual == expected) return 0;
    return std::abs(actual - expected) / std::abs(expected);
}

using numeric_batch_schema = schema<column<"x", nullable<double>>>;
using categorical_batch_schema = schema<column<"c", nullable<categorical>>>;

/// A fixture case's training side as describe_frame would have stored it.
training_statistics numeric_training(const nlohmann::json& t) {
    numeric_column_statistics column{"x",
                                     t.at("count").get<std::size_t>(),
                                     t.at("missing").get<std::size_t>(),
                                     t.at("mean").get<double>(),
                                     t.at("std").get<double>(),
                                     t.at("min").get<double>(),
                                     t.at("max").get<double>(),
                                     t.at("decile_edges").get<std::vector<double>>(),
                                     t.at("decile_counts").get<std::vector<std::size_t>>()};
    const std::size_t rows = column.count + column.missing;
    return {rows, {std::move(column)}, {}, {}};
}

/// The present values followed by `missing` missing ones.
frame<numeric_batch_schema> numeric_batch(std::vector<double> values, std::size_t missing) {
    std::vector<std::uint8_t> mask(values.size(), 0);
    values.resize(values.size() + missing, 0.0);
    mask.resize(values.size(), 1);
    return frame<numeric_batch_schema>(numeric_column<double>(std::move(values), std::move(mask)));
}

training_statistics categorical_training(const nlohmann::json& t) {
    categorical_column_statistics column{"c", 0, t.at("missing").get<std::size_t>(), {}};
    for (const auto& f : t.at("frequencies")) {
        column.frequencies.emplace_back(f.at(0).get<std::string>(), f.at(1).get<std::size_t>());
        column.count += column.frequencies.back().second;
    }
    const std::size_t rows = column.count + column.missing;
    return {rows, {}, {std::move(column)}, {}};
}

/// Each (category, count) repeated count times, then `missing` missing values.
frame<categorical_batch_schema> categorical_batch(const nlohmann::json& frequencies, std::size_t missing) {
    std::vector<std::string> vocabulary;
    std::vector<categorical_column::code_type> codes;
    for (const auto& f : frequencies) {
        vocabulary.push_back(f.at(0).get<std::string>());
        codes.insert(codes.end(), f.at(1).get<std::size_t>(), static_cast<categorical_column::code_type>(vocabulary.size() - 1));
    }
    codes.insert(codes.end(), missing, categorical_column::missing_code);
    return frame<categorical_batch_schema>(categorical_column(std::move(codes), std::move(vocabulary)));
}

training_statistics credit_training() {
    auto described = describe_frame(test_support::credit_data());
    return {described.rows, std::move(described.numeric), std::move(described.categorical), {}};
}

}  // namespace

TEST_CASE("chi_square_sf matches scipy.stats.chi2.sf", "[inspection][drift]") {
    double worst = 0;
    for (const auto& row : drift_fixture().at("chi2_sf")) {
        const double x = row.at(0), dof = row.at(1), expected = row.at(2);
        const double error = relative_error(chi_square_sf(x, dof), expected);
        INFO("x = " << x << ", dof = " << dof);
        CHECK(error < 1e-11);
        worst = std::max(worst, error);
    }
    CHECK(worst < 1e-11);
    CHECK(chi_square_sf(0, 3) == 1);
    CHECK(chi_square_sf(-1, 3) == 1);
    CHECK(chi_square_sf(INFINITY, 3) == 0);
    CHECK(std::isnan(chi_square_sf(1, 0)));
    CHECK(std::isnan(chi_square_sf(NAN, 2)));
    // Two degrees of freedom: an exponential tail, exp(-x/2).
    CHECK(relative_error(chi_square_sf(7.3, 2), std::exp(-3.65)) < 1e-14);
}

TEST_CASE("kolmogorov_sf matches scipy.stats.kstwobign.sf", "[inspection][drift]") {
    for (const auto& row : drift_fixture().at("kstwobign_sf")) {
        const double x = row.at(0), expected = row.at(1);
        INFO("x = " << x);
        CHECK(std::abs(kolmogorov_sf(x) - expected) < 1e-14);
        CHECK(relative_error(kolmogorov_sf(x), expected) < 1e-12);
    }
    CHECK(kolmogorov_sf(0) == 1);
    CHECK(kolmogorov_sf(-2) == 1);
    CHECK(kolmogorov_sf(40) == 0);
    // Both series at the switch-over point agree with each other.
    CHECK(std::abs(kolmogorov_sf(std::nextafter(1.0, 0.0)) - kolmogorov_sf(1.0)) < 1e-15);
}

TEST_CASE("numeric drift matches the PSI formula and scipy's asymptotic kstest", "[inspection][drift]") {
    for (const auto& c : drift_fixture().at("numeric")) {
        INFO(c.at("name").get<std::string>());
        const auto training = numeric_training(c.at("training"));
        const auto values = c.at("batch_values").get<std::vector<double>>();
        const auto batch_missing = c.at("batch_missing").get<std::size_t>();
        const auto report = compare_to_training(training, numeric_batch(values, batch_missing));
        REQUIRE(report.columns.size() == 1);
        const auto& drift = report.columns[0];
        CHECK(report.rows == values.size() + batch_missing);
        CHECK(drift.column == "x");
        CHECK(drift.kind == "numeric");
        CHECK(drift.test == "ks");
        CHECK(drift.rows == values.size() + batch_missing);
        CHECK(drift.missing == batch_missing);
        CHECK(drift.unseen == 0);

        const auto counts = c.at("batch_counts").get<std::vector<std::size_t>>();
        REQUIRE(drift.bins.size() == 11);
        for (std::size_t k = 0; k < counts.size(); ++k) CHECK(drift.bins[k].actual_count == counts[k]);
        CHECK(drift.bins.back().label == "missing");

        CHECK(relative_error(drift.psi, c.at("psi")) < 1e-12);
        CHECK(drift.band == psi_band(c.at("psi")));
        CHECK(relative_error(drift.statistic, c.at("ks_statistic")) < 1e-12);
        CHECK(relative_error(drift.p_value, c.at("ks_p_value")) < 1e-10);

        // The PSI is recomputable from the bins alone.
        double psi = 0;
        for (const auto& bin : drift.bins)
            psi += (bin.actual_share - bin.expected_share) * std::log(bin.actual_share / bin.expected_share);
        CHECK(relative_error(psi, drift.psi) < 1e-14);
    }
}

TEST_CASE("the KS statistic uses both sides of a jump in the decile CDF", "[inspection][drift]") {
    // Edges 0, 1, 1, 2, …: F jumps from 0.1 to 0.2 at 1, and rises linearly elsewhere.
    const std::vector<double> edges{0, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3};
    CHECK(piecewise_linear_cdf(edges, -1) == 0);
    CHECK(piecewise_linear_cdf(edges, 0) == 0);
    CHECK(piecewise_linear_cdf(edges, 0.5) == Approx(0.05));
    CHECK(piecewise_linear_cdf_below(edges, 0.5) == Approx(0.05));
    CHECK(piecewise_linear_cdf(edges, 1) == Approx(0.2));
    CHECK(piecewise_linear_cdf_below(edges, 1) == Approx(0.1));
    CHECK(piecewise_linear_cdf(edges, 2) == Approx(0.8));
    CHECK(piecewise_linear_cdf_below(edges, 2) == Approx(0.3));
    CHECK(piecewise_linear_cdf(edges, 3) == 1);
    CHECK(piecewise_linear_cdf_below(edges, 3) == Approx(0.9));
    CHECK(piecewise_linear_cdf_below(edges, 4) == 1);

    // A batch at the jump points only: F_n(1) = 0.5 against F(1) = 0.2; just below 2, F_n = 0.5, F = 0.3.
    const std::vector<double> sorted{1, 1, 2, 2};
    CHECK(kolmogorov_smirnov_statistic(edges, sorted) == Approx(0.3));
    // Just below 3: F_n = 1 and F = 0.9; at 3 both are 1.
    CHECK(kolmogorov_smirnov_statistic(edges, std::vector<double>{3}) == Approx(0.9));
}

TEST_CASE("categorical drift matches the PSI formula and scipy.stats.chisquare", "[inspection][drift]") {
    for (const auto& c : drift_fixture().at("categorical")) {
        INFO(c.at("name").get<std::string>());
        const auto training = categorical_training(c.at("training"));
        const auto batch_missing = c.at("batch_missing").get<std::size_t>();
        const auto batch = categorical_batch(c.at("batch_frequencies"), batch_missing);
        const auto report = compare_to_training(training, batch);
        REQUIRE(report.columns.size() == 1);
        const auto& drift = report.columns[0];
        CHECK(drift.kind == "categorical");
        CHECK(drift.test == "chi_square");
        CHECK(drift.missing == batch_missing);
        CHECK(drift.unseen == c.at("unseen").get<std::size_t>());

        const auto labels = c.at("labels").get<std::vector<std::string>>();
        const auto counts = c.at("batch_counts").get<std::vector<std::size_t>>();
        const auto expected_counts = c.at("expected_counts").get<std::vector<double>>();
        REQUIRE(drift.bins.size() == labels.size());
        for (std::size_t k = 0; k < labels.size(); ++k) {
            CHECK(drift.bins[k].label == labels[k]);
            CHECK(drift.bins[k].actual_count == counts[k]);
            CHECK(relative_error(static_cast<double>(batch.rows()) * drift.bins[k].expected_share, expected_counts[k]) < 1e-14);
        }
        CHECK(relative_error(drift.psi, c.at("psi")) < 1e-12);
        CHECK(drift.band == psi_band(c.at("psi")));
        CHECK(relative_error(drift.statistic, c.at("chi_square_statistic")) < 1e-12);
        CHECK(relative_error(drift.p_value, c.at("chi_square_p_value")) < 1e-10);
    }
}

TEST_CASE("PSI smooths empty bins and is 0 for identical distributions", "[inspection][drift]") {
    const std::vector<std::size_t> training{10, 0, 30}, batch{0, 5, 15};
    // Shares (c + 0.5) / (total + 1.5): training 10.5/41.5, 0.5/41.5, 30.5/41.5; batch 0.5/21.5, 5.5/21.5, 15.5/21.5.
    double expected = 0;
    const double e[] = {10.5 / 41.5, 0.5 / 41.5, 30.5 / 41.5}, a[] = {0.5 / 21.5, 5.5 / 21.5, 15.5 / 21.5};
    for (int i = 0; i < 3; ++i) expected += (a[i] - e[i]) * std::log(a[i] / e[i]);
    CHECK(std::isfinite(population_stability_index(training, batch)));
    CHECK(relative_error(population_stability_index(training, batch), expected) < 1e-15);
    CHECK(population_stability_index(training, training) == 0);
    CHECK_THROWS_AS(population_stability_index(training, std::vector<std::size_t>{1, 2}), std::invalid_argument);
    CHECK(psi_band(0.0999) == "stable");
    CHECK(psi_band(0.1) == "moderate");
    CHECK(psi_band(0.25) == "moderate");
    CHECK(psi_band(0.2501) == "major");
    CHECK(psi_band(NAN) == "major");
}

TEST_CASE("the unchanged credit data is stable on every column", "[inspection][drift]") {
    const auto report = compare_to_training(credit_training(), test_support::credit_data());
    CHECK(report.rows == 1000);
    REQUIRE(report.columns.size() == 11);  // 5 numeric (with Sno) + 6 categorical (with Risk)
    CHECK_FALSE(report.major());
    for (const auto& c : report.columns) {
        INFO(c.column);
        CHECK(c.psi == 0);
        CHECK(c.band == "stable");
        CHECK(c.unseen == 0);
        CHECK(c.note.empty());
        CHECK(c.p_value >= 0);
        CHECK(c.p_value <= 1);
    }
    const auto* age = report.find("Age");
    REQUIRE(age != nullptr);
    CHECK(age->kind == "numeric");
    CHECK(age->bins.front().label.front() == '[');
    CHECK(age->bins[9].label.back() == ']');
    CHECK(age->statistic < 0.05);  // the decile CDF is close to the data's own
    const auto* saving = report.find("Saving accounts");
    REQUIRE(saving != nullptr);
    CHECK(saving->missing == 183);
    CHECK(saving->bins[saving->bins.size() - 2].label == "missing");
    CHECK(saving->bins[saving->bins.size() - 2].actual_count == 183);
    CHECK(report.find("no such column") == nullptr);
}

TEST_CASE("older applicants who all want a car are major drift on exactly Age and Purpose", "[inspection][drift]") {
    const auto& data = test_support::credit_data();
    std::vector<std::int64_t> older(data.column<"Age">().values().begin(), data.column<"Age">().values().end());
    for (auto& age : older) age += 20;
    const categorical_column cars(std::vector<categorical_column::code_type>(data.rows(), 0), {"car"});
    const frame<credit::training_schema> shifted(
        data.column<"Sno">(), numeric_column<std::int64_t>(std::move(older)), data.column<"Sex">(), data.column<"Job">(),
        data.column<"Housing">(), data.column<"Saving accounts">(), data.column<"Checking account">(),
        data.column<"Credit amount">(), data.column<"Duration">(), cars, data.column<"Risk">());

    const auto report = compare_to_training(credit_training(), shifted);
    CHECK(report.major());
    for (const auto& c : report.columns) {
        INFO(c.column << ": psi " << c.psi);
        if (c.column == "Age" || c.column == "Purpose") CHECK(c.band == "major");
        else CHECK(c.band == "stable");
    }
    const auto& age = *report.find("Age");
    CHECK(age.p_value < 1e-100);
    CHECK(age.note.find("values outside the training range [19, 75]") != std::string::npos);
    const auto& purpose = *report.find("Purpose");
    CHECK(purpose.p_value < 1e-100);
    CHECK(purpose.unseen == 0);
    const auto car = std::find_if(purpose.bins.begin(), purpose.bins.end(), [](const drift_bin& b) { return b.label == "car"; });
    REQUIRE(car != purpose.bins.end());
    CHECK(car->actual_count == 1000);
}

TEST_CASE("categories the training data lacks are counted as unseen and named", "[inspection][drift]") {
    using purpose_schema = schema<column<"Purpose", categorical>>;
    const auto training = credit_training();
    std::vector<categorical_column::code_type> codes{0, 0, 1, 2, 2, 2, 3, 4, 5, 6, 7};
    const frame<purpose_schema> batch(categorical_column(
        codes, {"car", "spaceship", "boat", "moon trip", "yacht", "rocket", "balloon", "submarine"}));
    const auto report = compare_to_training(training, batch);
    const auto& purpose = *report.find("Purpose");
    CHECK(purpose.rows == 11);
    CHECK(purpose.unseen == 9);
    CHECK(purpose.bins.back().label == "unseen");
    CHECK(purpose.bins.back().actual_count == 9);
    CHECK(purpose.bins.back().expected_share > 0);
    // Most frequent first, ties in alphabetical order; five named, the rest counted.
    CHECK(purpose.note == "7 categories unseen in training: \"boat\" (3), \"balloon\" (1), \"moon trip\" (1), "
                          "\"rocket\" (1), \"spaceship\" (1), and 2 more");
    CHECK(purpose.band == "major");

    // Every training column but Purpose is absent from this batch: reported, not thrown.
    CHECK(report.columns.size() == 11);
    const auto& age = *report.find("Age");
    CHECK(age.band == "major");
    CHECK(age.note == "column missing from the batch");
    CHECK(std::isnan(age.psi));
    CHECK(std::isnan(age.statistic));
    CHECK(std::isnan(age.p_value));
    CHECK(age.bins.empty());
}

TEST_CASE("a column with every value missing has a PSI but no KS test", "[inspection][drift]") {
    const auto training = describe_frame(numeric_batch({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0));
    const training_statistics stats{training.rows, training.numeric, training.categorical, {}};
    const auto report = compare_to_training(stats, numeric_batch({}, 4));
    const auto& x = report.columns.at(0);
    CHECK(x.missing == 4);
    CHECK(x.band == "major");
    CHECK(x.bins.back().actual_count == 4);
    CHECK(std::isnan(x.statistic));
    CHECK(std::isnan(x.p_value));
    CHECK(x.note == "every value is missing");
    CHECK(relative_error(x.psi, population_stability_index(std::vector<std::size_t>{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0},
                                                           std::vector<std::size_t>{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4})) < 1e-15);
    // A batch column of the other kind cannot be compared either.
    const auto mismatch = compare_to_training(stats, frame<schema<column<"x", categorical>>>(categorical_column({0}, {"a"})));
    CHECK(mismatch.columns.at(0).band == "major");
    CHECK(mismatch.columns.at(0).note == "numeric in training, categorical in the batch");
}

TEST_CASE("an empty batch is an error", "[inspection][drift]") {
    const auto training = credit_training();
    try {
        (void)compare_to_training(training, test_support::credit_data().slice(0, 0));
        FAIL("no exception");
    } catch (const std::invalid_argument& e) {
        CHECK(std::string(e.what()) == "ctml::compare_to_training: the batch has no rows");
    }
}

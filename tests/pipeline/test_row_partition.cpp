// Fitting on rows split into parts (row_partition.hpp) gives the model one
// fit on all the rows gives: the parts are threads here (thread_parts.hpp),
// exchanging what they learn exactly as MPI ranks do, so the combining of
// every stage is tested in one process. Every part must end with the same
// model bit for bit, and that model must equal the whole fit to 1e-12
// (categories, counts, quantiles exactly; sums to rounding).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <ctml/ctml.hpp>
#include <ctml/io.hpp>

#include "credit/credit_pipeline.hpp"
#include "support/sklearn_fixture.hpp"
#include "support/thread_parts.hpp"

using namespace ctml;

namespace {

/// Row ids [first, first + count) in `order`.
std::vector<std::size_t> slice(const std::vector<std::size_t>& order, std::size_t first, std::size_t count) {
    return {order.begin() + static_cast<std::ptrdiff_t>(first), order.begin() + static_cast<std::ptrdiff_t>(first + count)};
}

/// Every number within `tolerance` (relative above 1), everything else equal; `where` names the first difference.
struct tolerance {
    double relative = 1e-12;
    bool iterations_may_differ = false;
};
bool close(const nlohmann::json& a, const nlohmann::json& b, std::string& where, const std::string& at = "",
           tolerance tol = {}) {
    if (a.is_number_float() || b.is_number_float()) {
        if (!a.is_number() || !b.is_number()) return where = at, false;
        const double x = a.get<double>(), y = b.get<double>();
        if (std::abs(x - y) <= tol.relative * std::max({1.0, std::abs(x), std::abs(y)})) return true;
        where = at + ": " + a.dump() + " vs " + b.dump();
        return false;
    }
    if (a.type() != b.type()) return where = at + ": type", false;
    if (a.is_object()) {
        if (a.size() != b.size()) return where = at + ": keys", false;
        for (auto it = a.begin(); it != a.end(); ++it) {
            if (!b.contains(it.key())) return where = at + "." + it.key() + ": missing", false;
            if (it.key() == "gradient_max") continue;  // at the rounding floor: noise by design
            if (it.key() == "n_iter" && tol.iterations_may_differ) continue;
            if (!close(it.value(), b[it.key()], where, at + "." + it.key(), tol)) return false;
        }
        return true;
    }
    if (a.is_array()) {
        if (a.size() != b.size()) return where = at + ": length", false;
        for (std::size_t i = 0; i < a.size(); ++i)
            if (!close(a[i], b[i], where, at + "[" + std::to_string(i) + "]", tol)) return false;
        return true;
    }
    if (a != b) return where = at + ": " + a.dump() + " vs " + b.dump(), false;
    return true;
}

/// The credit model and its training statistics as an artifact, fitted on `rows` of the data in one piece.
template <class Model>
std::string whole_fit(const Model& model, const std::vector<std::size_t>& rows) {
    const auto features = test_support::credit_data().select<credit::feature_schema>().take(rows);
    const auto y = take(test_support::credit_labels(), rows);
    const auto fitted = model.fit(features, y);
    return to_artifact_json(fitted, describe_training_data(features, fitted));
}

/// The same, each part fitting on its slice of `rows` (sizes `sizes`) on its own thread; one artifact per part.
template <class Model>
std::vector<std::string> partitioned_fit(const Model& model, const std::vector<std::size_t>& rows,
                                         const std::vector<std::size_t>& sizes) {
    REQUIRE(std::accumulate(sizes.begin(), sizes.end(), std::size_t{0}) == rows.size());
    test_support::thread_parts parts(sizes.size());
    return parts.run([&](const row_partition& part, std::size_t p) {
        const std::size_t first = std::accumulate(sizes.begin(), sizes.begin() + static_cast<std::ptrdiff_t>(p), std::size_t{0});
        const auto mine = slice(rows, first, sizes[p]);
        const auto features = test_support::credit_data().select<credit::feature_schema>().take(mine);
        const auto y = take(test_support::credit_labels(), mine);
        const auto fitted = model.fit(features, y, part);
        return to_artifact_json(fitted, describe_training_data(features, fitted, part));
    });
}

void require_same_model(const std::string& whole, const std::vector<std::string>& parts, tolerance tol = {}) {
    for (std::size_t p = 1; p < parts.size(); ++p) REQUIRE(parts[p] == parts[0]);  // every part alike, bit for bit
    std::string where;
    const bool same = close(nlohmann::json::parse(whole), nlohmann::json::parse(parts[0]), where, "", tol);
    INFO("first difference at " << where);
    REQUIRE(same);
}

std::vector<std::size_t> all_rows() {
    std::vector<std::size_t> rows(test_support::credit_data().rows());
    std::iota(rows.begin(), rows.end(), std::size_t{0});
    return rows;
}

/// A stage written without fit(x, row_partition): it can fit only where all the rows are.
struct only_whole {
    static constexpr stage_kind kind = stage_kind::transformer;
    static constexpr std::string_view stage_name = "only_whole";
    bool operator==(const only_whole&) const = default;
    auto fit(const frame<credit::feature_schema>& x) const { return standard_scaler{}.fit(x.select<"Age">()); }
};

}  // namespace

TEST_CASE("the credit model fitted on parts equals the model fitted on all rows", "[pipeline][partition]") {
    const auto rows = all_rows();
    const auto whole = whole_fit(credit::model(), rows);
    SECTION("one part is the plain fit, bit for bit") { REQUIRE(partitioned_fit(credit::model(), rows, {1000})[0] == whole); }
    SECTION("two even parts") { require_same_model(whole, partitioned_fit(credit::model(), rows, {500, 500})); }
    SECTION("uneven parts, one of them empty") {
        require_same_model(whole, partitioned_fit(credit::model(), rows, {1, 0, 333, 666}));
    }
    SECTION("seven parts") {
        require_same_model(whole, partitioned_fit(credit::model(), rows, {100, 150, 150, 200, 100, 250, 50}));
    }
}

TEST_CASE("parts that each lack classes and categories still give the whole model", "[pipeline][partition]") {
    // Sorted by label, then purpose: the first part holds only "bad" rows, the
    // last only "good" ones, and most parts see a few of the eight purposes.
    auto rows = all_rows();
    const auto& data = test_support::credit_data();
    const auto y = test_support::credit_labels();
    std::stable_sort(rows.begin(), rows.end(), [&](std::size_t a, std::size_t b) {
        if (y[a] != y[b]) return y[a] < y[b];
        return data.column<"Purpose">().value(a) < data.column<"Purpose">().value(b);
    });
    const auto whole = whole_fit(credit::model(), rows);
    require_same_model(whole, partitioned_fit(credit::model(), rows, {250, 250, 250, 250}));

    SECTION("with balanced class weights") {
        const auto model = credit::preprocessing() | logistic_regression{.class_weight = class_weighting::balanced};
        require_same_model(whole_fit(model, rows), partitioned_fit(model, rows, {400, 10, 590}));
    }
    SECTION("with L-BFGS, whose path depends on rounding: the same optimum to its tolerance") {
        // Newton lands on the optimum to the last bits; L-BFGS stops at the
        // first point with max |gradient| <= tol (1e-10), and which point that
        // is depends on rounding in its search directions: here the two stop
        // about 1e-8 apart, one step apart. (One process is bit for bit the same for any thread count.)
        const auto model = credit::preprocessing() | logistic_regression{.solver = lr_solver::lbfgs};
        require_same_model(whole_fit(model, rows), partitioned_fit(model, rows, {400, 10, 590}),
                           {.relative = 1e-6, .iterations_may_differ = true});
    }
}

TEST_CASE("imputer statistics and scaler ranges combine over parts", "[pipeline][partition]") {
    // "Saving accounts" and "Checking account" have missing values: most_frequent learns from counts.
    const auto model = column_transformer{
        on<"Age", "Credit amount">("range", min_max_scaler{}),
        on<"Job", "Duration">("scaled", standard_scaler{}),
        on<"Saving accounts", "Checking account">(
            "frequent", simple_imputer{.strategy = impute_strategy::most_frequent} | one_hot_encoder{})};
    const auto rows = all_rows();
    const auto features = test_support::credit_data().select<credit::feature_schema>();
    const auto whole = model.fit(features);
    test_support::thread_parts parts(3);
    const auto fitted = parts.run([&](const row_partition& part, std::size_t p) {
        const std::vector<std::size_t> sizes{300, 0, 700};
        const std::size_t first = p == 0 ? 0 : 300;
        return model.fit(features.take(slice(rows, first, sizes[p])), part);
    });
    for (const auto& f : fitted) {
        CHECK(save_stage(f) == save_stage(fitted[0]));
        CHECK(f.feature_names_out() == whole.feature_names_out());
        const auto& range = f.group<0>().fitted();
        CHECK(range.data_min() == whole.group<0>().fitted().data_min());
        CHECK(range.data_max() == whole.group<0>().fitted().data_max());
        CHECK(f.group<1>().fitted().n_samples_seen() == 1000);
        CHECK(f.group<1>().fitted().mean().isApprox(whole.group<1>().fitted().mean(), 1e-13));
        CHECK(f.group<1>().fitted().var().isApprox(whole.group<1>().fitted().var(), 1e-13));
        CHECK(f.group<2>().fitted().step<0>().state().statistics ==
              whole.group<2>().fitted().step<0>().state().statistics);
    }
}

TEST_CASE("numeric imputation over parts: mean, median and most frequent", "[pipeline][partition]") {
    using nullable_numbers = schema<column<"x", nullable<double>>>;
    frame_builder<nullable_numbers> builder;
    const std::vector<std::optional<double>> values{1.5, std::nullopt, 4, 4, 2, std::nullopt, 9, 2, 4, 0.25, 7};
    for (const auto& v : values) {
        record<nullable_numbers> r;
        r.set<"x">(v);
        builder.push_back(r);
    }
    const auto x = std::move(builder).finish();
    for (const auto strategy : {impute_strategy::mean, impute_strategy::median, impute_strategy::most_frequent}) {
        const auto whole = simple_imputer{.strategy = strategy}.fit(x);
        test_support::thread_parts parts(4);
        const std::vector<std::vector<std::size_t>> mine{{0, 1, 2}, {}, {3, 4, 5, 6}, {7, 8, 9, 10}};
        const auto fitted =
            parts.run([&](const row_partition& part, std::size_t p) { return simple_imputer{.strategy = strategy}.fit(x.take(mine[p]), part); });
        for (const auto& f : fitted) {
            INFO(to_string(strategy));
            CHECK(std::get<0>(f.state().statistics) == Approx(std::get<0>(whole.state().statistics)).epsilon(1e-15));
        }
    }
}

TEST_CASE("the label encoder's classes are every part's", "[pipeline][partition]") {
    const auto& risk = test_support::credit_data().column<"Risk">();
    const auto y = test_support::credit_labels();
    std::vector<std::size_t> bad, good;
    for (std::size_t i = 0; i < y.size(); ++i) (y[i] == 0 ? bad : good).push_back(i);
    test_support::thread_parts parts(2);
    const auto frame = test_support::credit_data().select<credit::training_schema>();
    const auto encoders = parts.run([&](const row_partition& part, std::size_t p) {
        return label_encoder{}.fit(frame.take(p == 0 ? bad : good).column<"Risk">(), part);
    });
    for (const auto& e : encoders)
        CHECK(std::vector<std::string>(e.classes().begin(), e.classes().end()) == std::vector<std::string>{"bad", "good"});
    CHECK(label_encoder{}.fit(risk).classes().size() == 2);
}

TEST_CASE("a fit on parts fails alike on every part, never one part alone", "[pipeline][partition]") {
    const auto features = test_support::credit_data().select<credit::feature_schema>();
    const auto y = test_support::credit_labels();
    test_support::thread_parts parts(3);
    SECTION("no rows anywhere") {
        const auto none = features.take(std::vector<std::size_t>{});
        REQUIRE_THROWS_WITH(parts.run([&](const row_partition& part, std::size_t) {
            return credit::model().fit(none, label_span{}, part).last_step().n_iter();
        }),
                            Catch::Contains("has no values to learn categories from"));
    }
    SECTION("one class in all the parts together") {
        std::vector<std::size_t> good;
        for (std::size_t i = 0; i < y.size(); ++i)
            if (y[i] == 1) good.push_back(i);
        const auto x = features.take(good);
        const auto labels = take(y, good);
        REQUIRE_THROWS_WITH(parts.run([&](const row_partition& part, std::size_t p) {
            // Part 1 holds every row, the others none: only the combined labels say one class.
            return p == 1 ? credit::model().fit(x, labels, part).last_step().n_iter()
                          : credit::model().fit(x.take(std::vector<std::size_t>{}), label_span{}, part).last_step().n_iter();
        }),
                            Catch::Contains("the labels hold a single class"));
    }
    SECTION("a stage that cannot combine over parts is named") {
        // Refused before any exchange, so one part alone can be asked.
        const test_support::thread_parts::part first(parts, 0);
        REQUIRE_THROWS_WITH(fit_on_part(only_whole{}, features, first),
                            Catch::Contains("only_whole: cannot fit on rows split over several processes"));
        REQUIRE(fit_on_part(only_whole{}, features, all_rows_here()).n_features_in() == 1);
    }
}

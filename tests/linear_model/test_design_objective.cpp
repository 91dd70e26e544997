// The fit path that keeps one-hot blocks as codes (feature_design) against the
// plain dense path: the same features bit for bit, the same objective,
// gradient and Hessian to rounding, the same model; and the threaded sums give
// the same numbers for any number of threads.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include <ctml/ctml.hpp>

#include "credit/credit_pipeline.hpp"
#include "credit/resampled_credit.hpp"
#include "support/sklearn_fixture.hpp"

using namespace ctml;

namespace {

Eigen::VectorXd as_vector(const std::vector<int>& y) {
    Eigen::VectorXd out(static_cast<Eigen::Index>(y.size()));
    for (std::size_t i = 0; i < y.size(); ++i) out(static_cast<Eigen::Index>(i)) = y[i];
    return out;
}

double relative_difference(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
    return (a - b).lpNorm<Eigen::Infinity>() / std::max(1.0, b.lpNorm<Eigen::Infinity>());
}

// The design's objective, gradient and Hessian against the dense matrix's, to 1e-12; its
// value from one pass and from evaluate() the same number (the line search compares them).
void check_design_matches_dense(const feature_design& design, const Eigen::MatrixXd& dense, const Eigen::VectorXd& y,
                                const Eigen::VectorXd& s, bool intercept) {
    const logistic_objective plain(dense, y, s, 0.7, intercept);
    const logistic_objective coded(design, y, s, 0.7, intercept);
    const Eigen::VectorXd theta = Eigen::VectorXd::LinSpaced(plain.dimension(), -0.4, 0.5);
    Eigen::VectorXd g_plain, g_coded;
    Eigen::MatrixXd H_plain, H_coded;
    plain.derivatives(theta, g_plain, H_plain);
    const double value = coded.value_and_derivatives(theta, g_coded, H_coded);
    CHECK(std::abs(coded.evaluate(theta) - plain.evaluate(theta)) <= 1e-12 * std::abs(plain.evaluate(theta)));
    CHECK(value == coded.evaluate(theta));
    CHECK(relative_difference(g_coded, g_plain) <= 1e-12);
    CHECK(relative_difference(H_coded, H_plain) <= 1e-12);
    CHECK(H_coded == H_coded.transpose());
}

template <class Fitted, class X>
feature_design design_of(const Fitted& fitted, const X& x) {
    feature_design design(static_cast<Eigen::Index>(x.rows()), fitted.n_features_out());
    append_design(fitted, x, design, 0);
    return design;
}

// A thread setting for one scope, restored after.
struct threads_for_scope {
    explicit threads_for_scope(int n) { set_threads(n); }
    ~threads_for_scope() { set_threads(0); }
    threads_for_scope(const threads_for_scope&) = delete;
    threads_for_scope& operator=(const threads_for_scope&) = delete;
};

}  // namespace

TEST_CASE("a feature design stands for exactly the dense features", "[linear_model][design]") {
    const auto& data = test_support::credit_data();
    const auto pre = credit::preprocessing().fit(data);
    const auto design = design_of(pre, data);
    CHECK_NOTHROW(design.validate());
    CHECK(design.dense().cols() == 4);  // the scaled numeric columns
    CHECK(design.blocks().size() == 5);  // one block per categorical column
    CHECK(design.to_dense() == pre.transform(data));  // bit for bit
}

TEST_CASE("an ignored unknown category is a row without a 1 in its block", "[linear_model][design]") {
    using schema_t = schema<column<"colour", categorical>, column<"size", double>>;
    frame_builder<schema_t> train, test;
    for (const char* c : {"red", "blue", "red"}) {
        record<schema_t> r;
        r.get<"colour">() = c;
        r.get<"size">() = 1.5;
        train.push_back(r);
    }
    record<schema_t> unseen;
    unseen.get<"colour">() = "green";
    unseen.get<"size">() = 2.0;
    test.push_back(unseen);
    const auto fit_frame = std::move(train).finish();
    const auto test_frame = std::move(test).finish();
    const auto pre = column_transformer{on<"colour">("cat", one_hot_encoder{.handle_unknown = unknown_category::ignore}),
                                        on<"size">("num", standard_scaler{})}
                         .fit(fit_frame);
    const auto design = design_of(pre, test_frame);
    REQUIRE(design.blocks().size() == 1);
    REQUIRE(design.blocks()[0].codes.size() == 1);
    CHECK(design.blocks()[0].codes[0] == -1);
    CHECK(design.to_dense() == pre.transform(test_frame));
}

TEST_CASE("a malformed feature design is refused with the reason", "[linear_model][design]") {
    feature_design design(2, 3);
    const std::vector<std::int32_t> out_of_range{0, 2}, too_short{0}, fine{0, 1};
    CHECK_THROWS_WITH(design.add_block(0, 2, out_of_range), Catch::Contains("code 2 outside a block of 2"));
    CHECK_THROWS_WITH(design.add_block(0, 2, too_short), Catch::Contains("1 rows in a design of 2"));
    CHECK_THROWS_WITH(design.add_dense(Eigen::MatrixXd::Zero(2, 2), 2), Catch::Contains("outside a design of 3"));
    {
        // More dense columns than the design has features: refused before anything is written.
        feature_design full(2, 2);
        full.add_dense(Eigen::MatrixXd::Zero(2, 2), 0);
        CHECK_THROWS_WITH(full.add_dense(Eigen::MatrixXd::Zero(2, 1), 1), Catch::Contains("3 dense features in a design of 2"));
    }
    design.add_block(0, 2, fine);
    const Eigen::VectorXd y = Eigen::VectorXd::Ones(2), s = Eigen::VectorXd::Ones(2);
    CHECK_THROWS_WITH(logistic_objective(design, y, s, 1.0, true), Catch::Contains("feature 2 is missing"));
    design.add_dense(Eigen::MatrixXd::Zero(2, 1), 2);
    CHECK_NOTHROW(logistic_objective(design, y, s, 1.0, true));
    // A stage writing codes in place that break the rule is caught before any fit uses them.
    feature_design bad(2, 2);
    bad.add_block(0, 2)[1] = 5;
    CHECK_THROWS_WITH(logistic_objective(bad, y, s, 1.0, true), Catch::Contains("code 5 outside a block of 2"));
    feature_design twice(2, 2);
    twice.add_dense(Eigen::MatrixXd::Zero(2, 1), 0);
    static_cast<void>(twice.add_block(0, 2));
    CHECK_THROWS_WITH(logistic_objective(twice, y, s, 1.0, true), Catch::Contains("feature 0 is placed twice"));
}

TEST_CASE("the design objective agrees with the dense one: value, gradient, Hessian", "[linear_model][design]") {
    // 5,000 resampled rows: several blocks of rows, jittered numeric columns.
    const auto data = credit::resample_credit(test_support::credit_data(), test_support::credit_labels(), 5000);
    const auto pre = credit::preprocessing().fit(data.x);
    const Eigen::MatrixXd dense = pre.transform(data.x);
    const auto design = design_of(pre, data.x);
    const Eigen::VectorXd y = as_vector(data.y), s = Eigen::VectorXd::LinSpaced(y.size(), 0.5, 2.0);
    for (const bool intercept : {true, false}) check_design_matches_dense(design, dense, y, s, intercept);
}

namespace {
// A design of `dense` standard-normal-ish columns and `blocks` one-hot blocks of `width`,
// one row in seven without a 1 in its block (an ignored unknown category).
feature_design random_design(Eigen::Index rows, Eigen::Index dense, int blocks, Eigen::Index width) {
    const Eigen::Index cols = dense + blocks * width;
    feature_design design(rows, cols);
    std::uint64_t state = 12345;
    const auto next = [&] {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return state >> 33;
    };
    auto numeric = design.add_dense(0, dense);
    for (Eigen::Index i = 0; i < rows; ++i)
        for (Eigen::Index j = 0; j < dense; ++j) numeric(i, j) = static_cast<double>(next() % 2001) / 1000.0 - 1.0;
    for (int b = 0; b < blocks; ++b) {
        auto codes = design.add_block(dense + b * width, width);
        for (auto& c : codes) c = next() % 7 == 0 ? -1 : static_cast<std::int32_t>(next() % static_cast<std::uint64_t>(width));
    }
    return design;
}

void check_same_objective(const feature_design& design) {
    const Eigen::Index n = design.rows();
    Eigen::VectorXd y(n);
    for (Eigen::Index i = 0; i < n; ++i) y(i) = static_cast<double>((i * 7 + i / 3) % 2);
    check_design_matches_dense(design, design.to_dense(), y, Eigen::VectorXd::LinSpaced(n, 0.5, 2.0), true);
}
}  // namespace

TEST_CASE("rows grouped by their codes give the objective of the rows in their order", "[linear_model][design]") {
    // 3 blocks of 4: 125 code combinations, far fewer than the rows -- visited grouped by codes.
    const auto grouped = random_design(6000, 3, 3, 4);
    REQUIRE(detail::design_rows(grouped).runs() <= 125);
    check_same_objective(grouped);
    // 8 blocks of 9: 10^8 combinations for 3,000 rows -- the rows keep their order, one run nearly each.
    const auto ungrouped = random_design(3000, 2, 8, 9);
    REQUIRE(detail::design_rows(ungrouped).runs() > 2900);
    check_same_objective(ungrouped);
    // Many dense features: their Hessian entries come from a rank update instead of dot products.
    check_same_objective(random_design(3000, 10, 2, 3));
    // Only one-hot blocks, and a single row.
    check_same_objective(random_design(2500, 0, 2, 3));
    check_same_objective(random_design(1, 2, 2, 3));
}

TEST_CASE("a pipeline fits its logistic regression on the design: the same model as on dense features",
          "[linear_model][design]") {
    const auto& data = test_support::credit_data();
    const auto labels = test_support::credit_labels();
    const auto model = credit::model().fit(data, labels);  // goes through the design
    const auto dense = credit::preprocessing().fit(data).transform(data);
    const auto plain = logistic_regression{}.fit(dense, labels);
    CHECK(model.last_step().converged());
    CHECK((model.last_step().coef() - plain.coef()).lpNorm<Eigen::Infinity>() <= 1e-12);
    CHECK(std::abs(model.last_step().intercept() - plain.intercept()) <= 1e-12);
}

TEST_CASE("fitting on one thread or several gives the same model, bit for bit", "[linear_model][threads]") {
    // 150,000 rows: 74 blocks, so one thread sums them in two waves of 64 and two threads in one.
    const auto data = credit::resample_credit(test_support::credit_data(), test_support::credit_labels(), 150'000);
    const auto fit_with = [&](int n) {
        const threads_for_scope scope(n);
        return credit::model().fit(data.x, data.y);
    };
    const auto one = fit_with(1), two = fit_with(2), five = fit_with(5);
    CHECK(one.last_step().coef() == two.last_step().coef());
    CHECK(one.last_step().coef() == five.last_step().coef());
    CHECK(one.last_step().intercept() == five.last_step().intercept());
    CHECK(one.last_step().n_iter() == five.last_step().n_iter());
}

TEST_CASE("a thread count below zero is refused", "[threads]") {
    CHECK_THROWS_WITH(set_threads(-1), Catch::Contains("use 0 for all cores"));
    CHECK(threads() >= 1);
}

TEST_CASE("an exception thrown in a block reaches the caller once every thread has stopped", "[threads]") {
    const threads_for_scope scope(3);
    std::atomic<int> ran{0};
    CHECK_THROWS_WITH(detail::parallel_for_blocks(100,
                                                  [&](std::size_t b) {
                                                      ++ran;
                                                      if (b == 7) throw std::runtime_error("block 7 failed");
                                                  }),
                      "block 7 failed");
    CHECK(ran.load() >= 8);
}

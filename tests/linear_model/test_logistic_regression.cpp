// Logistic regression against the exact optimum (scikit-learn's newton-cholesky
// at tol 1e-12, whose gradient there is below 2e-12; fixture
// tests/fixtures/sklearn_credit.json), on the tutorial's preprocessing of all
// 1000 rows.
#include <catch2/catch.hpp>

#include <cstdio>
#include <string>

#include <ctml/ctml.hpp>

#include "support/sklearn_fixture.hpp"

using namespace ctml;
using test_support::max_abs_diff;
using test_support::row_vector;

namespace {
const feature_matrix<>& credit_features() {
    static const feature_matrix<> x =
        test_support::credit_preprocessing().fit(test_support::credit_data()).transform(test_support::credit_data());
    return x;
}
const std::vector<int>& labels() {
    static const std::vector<int> y = test_support::credit_labels();
    return y;
}
}  // namespace

TEST_CASE("logistic_regression reaches the exact optimum for every C", "[linear_model][parity]") {
    const auto& fits = test_support::sklearn_fixture()["logistic_regression"]["fits"];
    struct named_case { const char* key; logistic_regression params; };
    const std::vector<named_case> cases{
        {"C=0.01", {.C = 0.01}}, {"C=0.1", {.C = 0.1}}, {"C=1", {.C = 1.0}}, {"C=10", {.C = 10.0}},
        {"C=100", {.C = 100.0}}, {"C=1,class_weight=balanced", {.C = 1.0, .class_weight = class_weighting::balanced}},
        {"C=1,fit_intercept=False", {.C = 1.0, .fit_intercept = false}}};
    for (const auto& c : cases) {
        for (auto solver : {lr_solver::newton, lr_solver::lbfgs}) {
            auto params = c.params;
            params.solver = solver;
            // L-BFGS converges linearly: at the default tol (1e-10 on the per-sample gradient)
            // it stops about 1e-8 from the optimum on 1,000 rows, so it is asked for more here.
            if (solver == lr_solver::lbfgs) params.tol = 1e-13;
            const auto& ref = fits[c.key];
            const auto fitted = params.fit(credit_features(), labels());
            const double coef_error = max_abs_diff(fitted.coef(), row_vector(ref["coef"]));
            const double intercept_error = std::abs(fitted.intercept() - ref["intercept"].get<double>());
            const auto p = fitted.predict_proba(credit_features());
            const double proba_error = max_abs_diff(p.col(1).transpose(), row_vector(ref["predict_proba_1"]));
            std::printf("%-28s %-6s iterations %3d  max|grad| %.1e  coef error %.1e  intercept error %.1e  proba error %.1e\n",
                        c.key, solver == lr_solver::newton ? "newton" : "lbfgs", fitted.n_iter(), fitted.gradient_max(),
                        coef_error, intercept_error, proba_error);
            INFO(c.key << (solver == lr_solver::newton ? " newton" : " lbfgs"));
            CHECK(fitted.converged());
            CHECK(coef_error <= 1e-8);
            CHECK(intercept_error <= 1e-8);
            CHECK(proba_error <= 1e-10);
            CHECK(fitted.objective_value() == Approx(ref["objective"].get<double>()).epsilon(1e-13));
        }
    }
}

TEST_CASE("logistic_regression predictions follow scikit-learn's conventions", "[linear_model]") {
    const auto fitted = logistic_regression{}.fit(credit_features(), labels());
    const auto z = fitted.decision_function(credit_features());
    const auto p = fitted.predict_proba(credit_features());
    const auto y = fitted.predict(credit_features());
    for (Eigen::Index i = 0; i < z.size(); ++i) {
        REQUIRE(p(i, 0) + p(i, 1) == Approx(1.0).epsilon(1e-15));
        REQUIRE(y(i) == (z(i) > 0 ? 1 : 0));
    }
    CHECK(fitted.classes() == std::array<int, 2>{0, 1});
    const feature_row<> first = credit_features().row(0);
    CHECK(fitted.predict_proba_row(first)[1] == p(0, 1));
    CHECK(fitted.decision_function_row(first) == z(0));
}

TEST_CASE("logistic_regression reports non-convergence instead of staying silent", "[linear_model]") {
    const logistic_regression too_few{.solver = lr_solver::lbfgs, .max_iter = 2};
    CHECK_THROWS_WITH(too_few.fit(credit_features(), labels()),
                      Catch::Contains("lbfgs solver stopped after 2 iterations") && Catch::Contains("allow_non_convergence"));
    auto allowed = too_few;
    allowed.allow_non_convergence = true;
    const auto fitted = allowed.fit(credit_features(), labels());
    CHECK_FALSE(fitted.converged());
    CHECK(fitted.n_iter() == 2);
}

TEST_CASE("logistic_regression rejects bad input with a message", "[linear_model]") {
    const auto& x = credit_features();
    CHECK_THROWS_WITH(logistic_regression{.C = 0}.fit(x, labels()), Catch::Contains("C must be a positive finite number"));
    CHECK_THROWS_WITH(logistic_regression{.C = -1}.fit(x, labels()), Catch::Contains("C must be"));
    CHECK_THROWS_WITH(logistic_regression{}.fit(feature_matrix<>(x.topRows(10)), labels()), Catch::Contains("10 rows but 1000 labels"));
    std::vector<int> bad = labels();
    bad[7] = 2;
    CHECK_THROWS_WITH(logistic_regression{}.fit(x, bad), Catch::Contains("label 2 in row 7 is not 0 or 1"));
    CHECK_THROWS_WITH(logistic_regression{}.fit(x, std::vector<int>(1000, 1)), Catch::Contains("single class"));
    feature_matrix<> with_nan = x;
    with_nan(3, 2) = std::nan("");
    CHECK_THROWS_WITH(logistic_regression{}.fit(with_nan, labels()), Catch::Contains("NaN or infinity"));
    CHECK_THROWS_WITH(logistic_regression{}.fit(feature_matrix<>(0, 3), std::vector<int>{}), Catch::Contains("zero rows"));
    const auto fitted = logistic_regression{}.fit(x, labels());
    CHECK_THROWS_WITH(fitted.predict_proba(x.leftCols(5)), Catch::Contains("fitted on 26 features, given 5"));
}

TEST_CASE("logistic_objective's gradient is zero at the fitted optimum and matches finite differences",
          "[linear_model]") {
    const auto& x = credit_features();
    Eigen::VectorXd y(x.rows());
    for (Eigen::Index i = 0; i < y.size(); ++i) y(i) = labels()[static_cast<std::size_t>(i)];
    const Eigen::VectorXd s = Eigen::VectorXd::Ones(x.rows());
    const logistic_objective objective(x, y, s, 1.0, true);
    Eigen::VectorXd theta = Eigen::VectorXd::LinSpaced(objective.dimension(), -0.3, 0.3);
    Eigen::VectorXd g, g_again;
    Eigen::MatrixXd H;
    objective.gradient(theta, g);
    objective.derivatives(theta, g_again, H);
    CHECK(g == g_again);  // one pass or two, the same sums
    for (Eigen::Index k : {Eigen::Index{0}, Eigen::Index{5}, objective.dimension() - 1}) {
        const double h = 1e-6;
        Eigen::VectorXd up = theta, down = theta;
        up(k) += h;
        down(k) -= h;
        CHECK(g(k) == Approx((objective.evaluate(up) - objective.evaluate(down)) / (2 * h)).epsilon(1e-6));
        Eigen::VectorXd g_up, g_down;
        objective.gradient(up, g_up);
        objective.gradient(down, g_down);
        const Eigen::VectorXd column = (g_up - g_down) / (2 * h);
        for (Eigen::Index j = 0; j < column.size(); ++j) CHECK(H(j, k) == Approx(column(j)).margin(1e-8));
    }
    // The per-sample objective is scikit-learn's C·Σ loss + ½‖w‖² divided by C·n.
    const double loss = [&] {
        const Eigen::VectorXd z = (x * theta.head(x.cols())).array() + theta(x.cols());
        double sum = 0;
        for (Eigen::Index i = 0; i < z.size(); ++i) sum += std::log1p(std::exp(z(i))) - y(i) * z(i);
        return sum;
    }();
    CHECK(objective.evaluate(theta) * 1.0 * 1000 ==
          Approx(loss + 0.5 * theta.head(x.cols()).squaredNorm()).epsilon(1e-12));
}

// The stopping rule is scale-free: the credit pipeline fits 1,000,000 rows with
// default parameters, converges, and needs as few Newton steps as on 1,000.
#include <catch2/catch.hpp>

#include <cmath>

#include <ctml/ctml.hpp>

#include "credit/credit_pipeline.hpp"
#include "credit/resampled_credit.hpp"
#include "support/sklearn_fixture.hpp"

using namespace ctml;

TEST_CASE("a 1,000,000-row fit converges with default parameters in few iterations", "[linear_model][scale]") {
    const auto data = credit::resample_credit(test_support::credit_data(), test_support::credit_labels(), 1'000'000);
    const auto model = credit::model().fit(data.x, data.y);
    const auto& lr = model.last_step();
    INFO("iterations " << lr.n_iter() << ", max |gradient| " << lr.gradient_max());
    CHECK(lr.converged());
    CHECK(lr.gradient_max() <= logistic_regression{}.tol);
    CHECK(lr.n_iter() <= 8);

    // The same number of steps as a fit on the original 1,000 rows, give or take one:
    // whether and when a fit converges does not depend on n.
    const auto small = credit::model().fit(test_support::credit_data(), test_support::credit_labels());
    CHECK(std::abs(lr.n_iter() - small.last_step().n_iter()) <= 1);

    // Resampling keeps the relationship: the big model scores the original rows like the small one.
    const auto original = test_support::credit_data().select<credit::feature_schema>();
    frame_builder<credit::resampled_schema> as_doubles;
    for (std::size_t i = 0; i < original.rows(); ++i) {
        const auto r = original.row(i);
        record<credit::resampled_schema> row;
        row.get<"Age">() = static_cast<double>(r.get<"Age">());
        row.get<"Sex">() = r.get<"Sex">();
        row.get<"Job">() = static_cast<double>(r.get<"Job">());
        row.get<"Housing">() = r.get<"Housing">();
        row.get<"Saving accounts">() = r.get<"Saving accounts">();
        row.get<"Checking account">() = r.get<"Checking account">();
        row.get<"Credit amount">() = static_cast<double>(r.get<"Credit amount">());
        row.get<"Duration">() = static_cast<double>(r.get<"Duration">());
        row.get<"Purpose">() = r.get<"Purpose">();
        as_doubles.push_back(row);
    }
    const auto p_big = model.predict_proba(std::move(as_doubles).finish());
    const auto p_small = small.predict_proba(test_support::credit_data());
    CHECK((p_big - p_small).cwiseAbs().maxCoeff() < 0.05);
}

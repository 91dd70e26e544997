// Explanations of the credit model: contributions by input column that add up
// to the logit, agree with the model's own scores, and match a hand
// computation; and permutation importance, seeded and model-agnostic.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstddef>
#include <vector>

#include <ctml/ctml.hpp>

#include "credit/credit_pipeline.hpp"
#include "support/sklearn_fixture.hpp"

using namespace ctml;

namespace {
const auto& credit_features() {
    static const auto x = test_support::credit_data().select<credit::feature_schema>();
    return x;
}
const auto& credit_model() {
    static const auto model = credit::model().fit(credit_features(), test_support::credit_labels());
    return model;
}
const training_statistics& credit_statistics() {
    static const auto stats = describe_training_data(credit_features(), credit_model());
    return stats;
}
}  // namespace

TEST_CASE("contributions add up to the logit and agree with the model's scores", "[inspection][explanation]") {
    const linear_explainer explainer(credit_model(), credit_statistics());
    CHECK(explainer.columns() == std::vector<std::string>(credit::feature_schema::names.begin(),
                                                          credit::feature_schema::names.end()));
    const auto& x = credit_features();
    double worst = 0;
    for (std::size_t i = 0; i < x.rows(); ++i) {
        const auto row = x.row(i);
        const auto e = explainer.explain_row(row);
        double sum = e.base_value;
        for (double c : e.contributions) sum += c;
        worst = std::max(worst, std::abs(sum - e.logit));
        CHECK(e.logit == credit_model().decision_function_row(row));        // bit for bit
        CHECK(e.probability == credit_model().predict_proba_row(row)[1]);  // what credit-score writes as p_good
    }
    INFO("largest |base + Σ contributions − logit| " << worst);
    CHECK(worst <= 1e-12);
}

TEST_CASE("a column's contribution is Σ w·(x − training mean) over its features", "[inspection][explanation]") {
    const auto& model = credit_model();
    const linear_explainer explainer(model, credit_statistics());
    const auto dense = model.features(credit_features());
    const Eigen::RowVectorXd means = dense.colwise().mean();
    const auto& w = model.last_step().coef();
    const auto origins = model.feature_origins();
    const auto e = explainer.explain_row(credit_features().row(7));
    for (std::size_t c = 0; c < explainer.columns().size(); ++c) {
        double expected = 0;
        for (std::size_t j = 0; j < origins.size(); ++j)
            if (origins[j].column == explainer.columns()[c])
                expected += w(static_cast<Eigen::Index>(j)) * (dense(7, static_cast<Eigen::Index>(j)) - means(static_cast<Eigen::Index>(j)));
        CHECK(e.contributions[c] == Approx(expected).margin(1e-13));
    }
    CHECK(e.base_value == Approx(model.last_step().intercept() + w.dot(means)).margin(1e-13));
    // Over the training data, contributions average to zero column by column.
    std::vector<double> mean_contribution(explainer.columns().size(), 0.0);
    for (const auto& row_e : explainer.explain(credit_features()))
        for (std::size_t c = 0; c < mean_contribution.size(); ++c)
            mean_contribution[c] += row_e.contributions[c] / static_cast<double>(credit_features().rows());
    for (double m : mean_contribution) CHECK(std::abs(m) <= 1e-12);
}

TEST_CASE("global importance is the mean absolute contribution", "[inspection][explanation]") {
    const linear_explainer explainer(credit_model(), credit_statistics());
    const auto all = explainer.explain(credit_features());
    const auto importance = explainer.mean_absolute_contributions(all);
    REQUIRE(importance.size() == 9);
    double by_hand = 0;
    for (const auto& e : all) by_hand += std::abs(e.contributions[5]);
    CHECK(importance[5] == Approx(by_hand / 1000).epsilon(1e-14));
    for (double v : importance) CHECK(v > 0);
    CHECK(explainer.mean_absolute_contributions({}) == std::vector<double>(9, 0.0));
}

TEST_CASE("statistics that lack a feature's mean are refused by name", "[inspection][explanation]") {
    auto stats = credit_statistics();
    stats.features.erase(stats.features.begin() + 3);
    CHECK_THROWS_WITH(linear_explainer(credit_model(), stats),
                      Catch::Contains("no mean for feature \"num__Duration\""));
}

TEST_CASE("permutation importance is seeded, and zero for a column the model ignores", "[inspection][importance]") {
    const auto& x = credit_features();
    const auto y = test_support::credit_labels();
    // A model that routes only three columns: the other six cannot matter.
    const auto narrow = (column_transformer{on<"Age", "Duration">("num", standard_scaler{}),
                                            on<"Checking account">("cat", simple_imputer{.strategy = impute_strategy::constant} |
                                                                              one_hot_encoder{})} |
                         logistic_regression{})
                            .fit(x, y);
    const auto first = permutation_importance(narrow, x, y, 5, 7);
    const auto again = permutation_importance(narrow, x, y, 5, 7);
    REQUIRE(first.columns.size() == 9);
    for (std::size_t c = 0; c < 9; ++c) CHECK(first.columns[c].drops == again.columns[c].drops);
    CHECK(first.baseline_auc == roc_auc_score(y, [&] {
              std::vector<double> s;
              for (std::size_t i = 0; i < x.rows(); ++i) s.push_back(narrow.predict_proba_row(x.row(i))[1]);
              return s;
          }()));
    for (const auto& c : first.columns) {
        INFO(c.column << ": " << c.mean << " ± " << c.std);
        CHECK(c.drops.size() == 5);
        if (c.column == "Age" || c.column == "Duration" || c.column == "Checking account") {
            CHECK(c.mean > 0);
        } else {
            CHECK(c.mean == 0.0);
            CHECK(c.std == 0.0);
        }
    }
    // The checking account matters most for this model.
    CHECK(first.columns[5].mean > first.columns[0].mean);
    const auto other_seed = permutation_importance(narrow, x, y, 5, 8);
    CHECK(other_seed.columns[5].drops != first.columns[5].drops);
    CHECK_THROWS_WITH(permutation_importance(narrow, x, y, 0), Catch::Contains("repeats must be at least 1"));
    CHECK_THROWS_WITH(permutation_importance(narrow, x, std::span<const int>(y).first(10)),
                      Catch::Contains("1000 rows but 10 labels"));
}

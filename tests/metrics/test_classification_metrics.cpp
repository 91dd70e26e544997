// Classification metrics against scikit-learn 1.2.1.
//
// Expected numbers come from tests/fixtures/sklearn_credit.json, section
// "metrics" (tests/fixtures/make_fixtures.py): y_true and p are the German
// credit labels and the C=1 logistic-regression probabilities P(good) on all
// 1000 rows, y_pred = (p > 0.5), p_tied = np.round(p, 1) (ten distinct values,
// so ROC AUC has to average the ranks of ties). The "tiny" case and the
// hand-worked confusion matrix below can be checked with pencil and paper.
#include <array>
#include <cmath>
#include <cstddef>
#include <fstream>
#include <limits>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include <Eigen/Core>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <ctml/metrics/classification.hpp>

using Catch::Matchers::Contains;
using Catch::Matchers::Equals;
using Catch::Matchers::WithinAbs;

namespace {

const nlohmann::json& metrics_fixture() {
    static const nlohmann::json section = [] {
        std::ifstream in(CTML_FIXTURE_DIR "/sklearn_credit.json");
        REQUIRE(in.good());
        return nlohmann::json::parse(in).at("metrics");
    }();
    return section;
}

template <class T>
std::vector<T> fixture_vector(const char* key) {
    return metrics_fixture().at(key).get<std::vector<T>>();
}

double fixture_value(const char* key) { return metrics_fixture().at(key).get<double>(); }

constexpr double tolerance = 1e-12;

// The German credit cost matrix: cost[true][predicted]; bad (0) taken for good (1) costs 5.
constexpr std::array<std::array<double, 2>, 2> credit_cost{{{0.0, 5.0}, {1.0, 0.0}}};

template <class V>
Eigen::VectorXd to_eigen(const std::vector<V>& v) {
    Eigen::VectorXd out(static_cast<Eigen::Index>(v.size()));
    for (std::size_t i = 0; i < v.size(); ++i) out(static_cast<Eigen::Index>(i)) = static_cast<double>(v[i]);
    return out;
}

Eigen::VectorXi to_eigen_int(const std::vector<int>& v) {
    return Eigen::Map<const Eigen::VectorXi>(v.data(), static_cast<Eigen::Index>(v.size()));
}

}  // namespace

TEST_CASE("metrics equal scikit-learn's on the credit predictions", "[metrics]") {
    const auto y_true = fixture_vector<int>("y_true");
    const auto y_pred = fixture_vector<int>("y_pred");
    const auto p = fixture_vector<double>("p");
    REQUIRE(y_true.size() == 1000);
    REQUIRE(y_pred.size() == 1000);
    REQUIRE(p.size() == 1000);

    CHECK_THAT(ctml::accuracy_score(y_true, y_pred), WithinAbs(fixture_value("accuracy"), tolerance));
    CHECK_THAT(ctml::precision_score(y_true, y_pred), WithinAbs(fixture_value("precision"), tolerance));
    CHECK_THAT(ctml::recall_score(y_true, y_pred), WithinAbs(fixture_value("recall"), tolerance));
    CHECK_THAT(ctml::f1_score(y_true, y_pred), WithinAbs(fixture_value("f1"), tolerance));
    CHECK_THAT(ctml::roc_auc_score(y_true, p), WithinAbs(fixture_value("roc_auc"), tolerance));
    CHECK_THAT(ctml::log_loss(y_true, p), WithinAbs(fixture_value("log_loss"), tolerance));
    CHECK_THAT(ctml::brier_score_loss(y_true, p), WithinAbs(fixture_value("brier_score_loss"), tolerance));
}

TEST_CASE("roc_auc_score averages the ranks of tied scores as scikit-learn does", "[metrics]") {
    const auto y_true = fixture_vector<int>("y_true");
    const auto p_tied = fixture_vector<double>("p_tied");
    REQUIRE(metrics_fixture().at("n_distinct_p_tied").get<int>() == 10);
    CHECK_THAT(ctml::roc_auc_score(y_true, p_tied), WithinAbs(fixture_value("roc_auc_tied"), tolerance));

    // Every score tied: the ranking carries no information, AUC is exactly 1/2.
    const std::vector<int> y{0, 1, 1, 0, 1};
    const std::vector<double> same(5, 0.3);
    CHECK(ctml::roc_auc_score(y, same) == 0.5);
}

TEST_CASE("confusion_matrix and expected_cost equal scikit-learn's exactly", "[metrics]") {
    const auto y_true = fixture_vector<int>("y_true");
    const auto y_pred = fixture_vector<int>("y_pred");
    const auto expected = metrics_fixture().at("confusion_matrix").get<std::vector<std::vector<std::size_t>>>();
    REQUIRE(metrics_fixture().at("cost_matrix").get<std::vector<std::vector<double>>>() ==
            std::vector<std::vector<double>>{{0.0, 5.0}, {1.0, 0.0}});

    const ctml::confusion_matrix_2x2 m = ctml::confusion_matrix(y_true, y_pred);
    for (std::size_t t = 0; t < 2; ++t)
        for (std::size_t q = 0; q < 2; ++q) {
            INFO("true " << t << ", predicted " << q);
            CHECK(m[t][q] == expected[t][q]);
        }

    CHECK_THAT(ctml::expected_cost(y_true, y_pred, credit_cost), WithinAbs(fixture_value("expected_cost"), tolerance));
    CHECK_THAT(ctml::expected_cost(m, credit_cost), WithinAbs(fixture_value("expected_cost"), tolerance));
}

TEST_CASE("the tiny case: every number checks by hand", "[metrics]") {
    const auto& tiny = metrics_fixture().at("tiny");
    const auto y = tiny.at("y_true").get<std::vector<int>>();
    const auto score = tiny.at("score").get<std::vector<double>>();
    REQUIRE(y == std::vector<int>{0, 0, 1, 1});
    REQUIRE(score == std::vector<double>{0.1, 0.4, 0.35, 0.8});

    // Positives 0.35 and 0.8 against negatives 0.1 and 0.4: 3 of the 4 pairs are ordered right.
    CHECK(ctml::roc_auc_score(y, score) == 0.75);
    CHECK_THAT(ctml::roc_auc_score(y, score), WithinAbs(tiny.at("roc_auc").get<double>(), tolerance));
    // -(log 0.9 + log 0.6 + log 0.35 + log 0.8) / 4
    const double by_hand = -(std::log(0.9) + std::log(0.6) + std::log(0.35) + std::log(0.8)) / 4;
    CHECK_THAT(ctml::log_loss(y, score), WithinAbs(by_hand, tolerance));
    CHECK_THAT(ctml::log_loss(y, score), WithinAbs(tiny.at("log_loss").get<double>(), tolerance));
    // (0.01 + 0.16 + 0.4225 + 0.04) / 4 = 0.158125
    CHECK_THAT(ctml::brier_score_loss(y, score), WithinAbs(0.158125, tolerance));
    CHECK_THAT(ctml::brier_score_loss(y, score), WithinAbs(tiny.at("brier_score_loss").get<double>(), tolerance));

    // TP = 2 (rows 1, 4), FP = 1 (row 3), FN = 1 (row 2), TN = 1 (row 0).
    const std::vector<int> y_true{0, 1, 1, 0, 1};
    const std::vector<int> y_pred{0, 1, 0, 1, 1};
    const auto m = ctml::confusion_matrix(y_true, y_pred);
    CHECK(m[0][0] == 1);
    CHECK(m[0][1] == 1);
    CHECK(m[1][0] == 1);
    CHECK(m[1][1] == 2);
    CHECK(ctml::accuracy_score(y_true, y_pred) == 3.0 / 5.0);
    CHECK(ctml::precision_score(y_true, y_pred) == 2.0 / 3.0);
    CHECK(ctml::recall_score(y_true, y_pred) == 2.0 / 3.0);
    CHECK(ctml::f1_score(y_true, y_pred) == 2.0 / 3.0);
    // One bad taken for good (5) and one good taken for bad (1), over 5 rows.
    CHECK(ctml::expected_cost(y_true, y_pred, credit_cost) == 6.0 / 5.0);
}

TEST_CASE("metrics accept std::vector, std::span and Eigen vectors alike", "[metrics]") {
    const auto y_true = fixture_vector<int>("y_true");
    const auto y_pred = fixture_vector<int>("y_pred");
    const auto p = fixture_vector<double>("p");

    const std::span<const int> y_true_span(y_true);
    const std::span<const int> y_pred_span(y_pred);
    const std::span<const double> p_span(p);
    const Eigen::VectorXi y_true_eigen = to_eigen_int(y_true);
    const Eigen::VectorXi y_pred_eigen = to_eigen_int(y_pred);
    const Eigen::VectorXd y_true_double = to_eigen(y_true);
    const Eigen::VectorXd p_eigen = to_eigen(p);

    // The same arithmetic in the same order whatever the container: results are identical, not just close.
    const double accuracy = ctml::accuracy_score(y_true, y_pred);
    CHECK(ctml::accuracy_score(y_true_span, y_pred_span) == accuracy);
    CHECK(ctml::accuracy_score(y_true_eigen, y_pred_eigen) == accuracy);
    CHECK(ctml::accuracy_score(y_true_span, y_pred_eigen) == accuracy);

    const double precision = ctml::precision_score(y_true, y_pred);
    CHECK(ctml::precision_score(y_true_span, y_pred_span) == precision);
    CHECK(ctml::precision_score(y_true_eigen, y_pred_eigen) == precision);
    const double recall = ctml::recall_score(y_true, y_pred);
    CHECK(ctml::recall_score(y_true_span, y_pred_span) == recall);
    CHECK(ctml::recall_score(y_true_eigen, y_pred_eigen) == recall);
    const double f1 = ctml::f1_score(y_true, y_pred);
    CHECK(ctml::f1_score(y_true_span, y_pred_span) == f1);
    CHECK(ctml::f1_score(y_true_eigen, y_pred_eigen) == f1);
    CHECK(ctml::confusion_matrix(y_true_eigen, y_pred_span) == ctml::confusion_matrix(y_true, y_pred));
    CHECK(ctml::expected_cost(y_true_eigen, y_pred_eigen, credit_cost) ==
          ctml::expected_cost(y_true, y_pred, credit_cost));

    const double auc = ctml::roc_auc_score(y_true, p);
    CHECK(ctml::roc_auc_score(y_true_span, p_span) == auc);
    CHECK(ctml::roc_auc_score(y_true_eigen, p_eigen) == auc);
    CHECK(ctml::roc_auc_score(y_true_double, p_eigen) == auc);  // labels as doubles 0.0 / 1.0
    const double loss = ctml::log_loss(y_true, p);
    CHECK(ctml::log_loss(y_true_span, p_span) == loss);
    CHECK(ctml::log_loss(y_true_eigen, p_eigen) == loss);
    const double brier = ctml::brier_score_loss(y_true, p);
    CHECK(ctml::brier_score_loss(y_true_span, p_span) == brier);
    CHECK(ctml::brier_score_loss(y_true_eigen, p_eigen) == brier);

    // A column of predict_proba's output (an Eigen block), as the scorers pass it.
    Eigen::Matrix<double, Eigen::Dynamic, 2> proba(static_cast<Eigen::Index>(p.size()), 2);
    proba.col(1) = p_eigen;
    proba.col(0) = (1.0 - p_eigen.array()).matrix();
    CHECK(ctml::roc_auc_score(y_true_span, proba.col(1)) == auc);
    CHECK(ctml::log_loss(y_true_eigen, proba.col(1)) == loss);
    CHECK(ctml::brier_score_loss(y_true, proba.col(1)) == brier);
}

TEST_CASE("metric errors name the metric and the problem", "[metrics]") {
    const std::vector<int> three{0, 1, 1};
    const std::vector<int> two{0, 1};
    const std::vector<double> p2{0.2, 0.7};
    const std::vector<int> none;
    const std::vector<double> no_p;

    SECTION("length mismatch") {
        CHECK_THROWS_WITH(ctml::confusion_matrix(three, two),
                          Equals("confusion_matrix: 3 true labels but 2 predictions"));
        CHECK_THROWS_WITH(ctml::roc_auc_score(three, p2), Equals("roc_auc_score: 3 true labels but 2 predictions"));
        CHECK_THROWS_WITH(ctml::log_loss(three, p2), Equals("log_loss: 3 true labels but 2 predictions"));
        CHECK_THROWS_WITH(ctml::brier_score_loss(three, p2),
                          Equals("brier_score_loss: 3 true labels but 2 predictions"));
        // The label metrics go through confusion_matrix, and their messages say so (see the report).
        CHECK_THROWS_WITH(ctml::accuracy_score(three, two), Contains("3 true labels but 2 predictions"));
        CHECK_THROWS_WITH(ctml::precision_score(three, two), Contains("3 true labels but 2 predictions"));
        CHECK_THROWS_WITH(ctml::recall_score(three, two), Contains("3 true labels but 2 predictions"));
        CHECK_THROWS_WITH(ctml::f1_score(three, two), Contains("3 true labels but 2 predictions"));
        CHECK_THROWS_WITH(ctml::expected_cost(three, two, credit_cost), Contains("3 true labels but 2 predictions"));
        CHECK_THROWS_AS(ctml::accuracy_score(three, two), std::invalid_argument);
    }

    SECTION("empty input") {
        CHECK_THROWS_WITH(ctml::confusion_matrix(none, none), Equals("confusion_matrix: empty input"));
        CHECK_THROWS_WITH(ctml::accuracy_score(none, none), Contains("empty input"));
        CHECK_THROWS_WITH(ctml::roc_auc_score(none, no_p), Equals("roc_auc_score: empty input"));
        CHECK_THROWS_WITH(ctml::log_loss(none, no_p), Equals("log_loss: empty input"));
        CHECK_THROWS_WITH(ctml::brier_score_loss(none, no_p), Equals("brier_score_loss: empty input"));
        CHECK_THROWS_WITH(ctml::expected_cost(ctml::confusion_matrix_2x2{}, credit_cost),
                          Equals("expected_cost: empty confusion matrix"));
        CHECK_THROWS_AS(ctml::roc_auc_score(none, no_p), std::invalid_argument);
    }

    SECTION("a label other than 0 or 1") {
        const std::vector<int> with_two{0, 2, 1};
        const std::vector<double> p3{0.2, 0.7, 0.9};
        CHECK_THROWS_WITH(ctml::confusion_matrix(with_two, three),
                          Equals("confusion_matrix: label 2 at position 1 is not 0 or 1"));
        CHECK_THROWS_WITH(ctml::confusion_matrix(three, with_two),
                          Equals("confusion_matrix: predicted label 2 at position 1 is not 0 or 1"));
        CHECK_THROWS_WITH(ctml::accuracy_score(with_two, three), Contains("label 2 at position 1 is not 0 or 1"));
        CHECK_THROWS_WITH(ctml::roc_auc_score(with_two, p3),
                          Equals("roc_auc_score: label 2 at position 1 is not 0 or 1"));
        CHECK_THROWS_WITH(ctml::log_loss(with_two, p3), Equals("log_loss: label 2 at position 1 is not 0 or 1"));
        CHECK_THROWS_WITH(ctml::brier_score_loss(with_two, p3),
                          Equals("brier_score_loss: label 2 at position 1 is not 0 or 1"));
        const std::vector<int> negative{0, 1, -1};
        CHECK_THROWS_WITH(ctml::roc_auc_score(negative, p3),
                          Equals("roc_auc_score: label -1 at position 2 is not 0 or 1"));
    }

    SECTION("a single class makes ROC AUC undefined") {
        const std::vector<int> all_good{1, 1, 1};
        const std::vector<int> all_bad{0, 0, 0};
        const std::vector<double> p3{0.2, 0.7, 0.9};
        const auto message = Equals("roc_auc_score: only one class is present in y_true; ROC AUC is undefined");
        CHECK_THROWS_WITH(ctml::roc_auc_score(all_good, p3), message);
        CHECK_THROWS_WITH(ctml::roc_auc_score(all_bad, p3), message);
        // The other metrics are defined with one class (scikit-learn agrees).
        CHECK(ctml::accuracy_score(all_good, std::vector<int>{1, 1, 0}) == 2.0 / 3.0);
        CHECK_THAT(ctml::brier_score_loss(all_good, p3), WithinAbs((0.64 + 0.09 + 0.01) / 3, tolerance));
    }

    SECTION("a probability outside [0, 1]") {
        const std::vector<double> above{0.2, 1.5};
        const std::vector<double> below{-0.1, 0.5};
        CHECK_THROWS_WITH(ctml::log_loss(two, above), Equals("log_loss: probability 1.500000 at position 1 is not in [0, 1]"));
        CHECK_THROWS_WITH(ctml::log_loss(two, below),
                          Equals("log_loss: probability -0.100000 at position 0 is not in [0, 1]"));
        CHECK_THROWS_WITH(ctml::brier_score_loss(two, above),
                          Equals("brier_score_loss: probability 1.500000 at position 1 is not in [0, 1]"));
        // The bounds themselves are probabilities: log_loss clips them, so the loss stays finite.
        const std::vector<double> certain{0.0, 1.0};
        CHECK(ctml::log_loss(two, certain) < 1e-14);
        CHECK(std::isfinite(ctml::log_loss(two, std::vector<double>{1.0, 0.0})));
        CHECK(ctml::brier_score_loss(two, certain) == 0.0);
    }

    SECTION("a NaN or infinite score") {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        const double inf = std::numeric_limits<double>::infinity();
        CHECK_THROWS_WITH(ctml::roc_auc_score(two, std::vector<double>{0.3, nan}),
                          Equals("roc_auc_score: score at position 1 is not finite"));
        CHECK_THROWS_WITH(ctml::roc_auc_score(two, std::vector<double>{inf, 0.3}),
                          Equals("roc_auc_score: score at position 0 is not finite"));
        CHECK_THROWS_WITH(ctml::log_loss(two, std::vector<double>{nan, 0.3}),
                          Contains("log_loss: probability") && Contains("at position 0 is not in [0, 1]"));
        CHECK_THROWS_WITH(ctml::brier_score_loss(two, std::vector<double>{0.3, nan}),
                          Contains("brier_score_loss: probability") && Contains("at position 1 is not in [0, 1]"));
    }
}

TEST_CASE("zero-division conventions follow scikit-learn's zero_division=0", "[metrics]") {
    const std::vector<int> y_true{0, 1, 0, 1};
    const std::vector<int> all_negative{0, 0, 0, 0};

    // Nothing predicted positive: precision 0/0 is reported as 0.
    CHECK(ctml::precision_score(y_true, all_negative) == 0.0);
    CHECK(ctml::recall_score(y_true, all_negative) == 0.0);
    CHECK(ctml::f1_score(y_true, all_negative) == 0.0);
    CHECK(ctml::accuracy_score(y_true, all_negative) == 0.5);

    // No positives at all: recall 0/0 is 0; so are precision and F1 when nothing is predicted positive.
    CHECK(ctml::recall_score(all_negative, all_negative) == 0.0);
    CHECK(ctml::precision_score(all_negative, all_negative) == 0.0);
    CHECK(ctml::f1_score(all_negative, all_negative) == 0.0);
    CHECK(ctml::accuracy_score(all_negative, all_negative) == 1.0);

    // No positives but some predicted: precision 0/k = 0, recall 0/0 = 0.
    const std::vector<int> some_positive{1, 0, 0, 0};
    CHECK(ctml::precision_score(all_negative, some_positive) == 0.0);
    CHECK(ctml::recall_score(all_negative, some_positive) == 0.0);
    CHECK(ctml::f1_score(all_negative, some_positive) == 0.0);
}

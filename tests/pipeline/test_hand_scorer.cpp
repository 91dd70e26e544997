// The benchmarks' hand-written reference scorer (bench/hand_scorer.hpp) is
// the same model as ctml's pipeline: every row of the data set, and rows with
// missing values, score the same to 1e-12 (folding the scaler
// into the weights changes the order of operations, so not bit for bit).
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include <ctml/io.hpp>

#include "credit/credit_pipeline.hpp"
#include "hand_scorer.hpp"

TEST_CASE("the hand-written reference scorer gives ctml's probabilities to 1e-12", "[pipeline][bench]") {
    using namespace ctml;
    const auto data = read_csv<credit::training_schema>(std::string(CTML_TEST_DATA_DIR) + "/german_credit_data.csv");
    const auto y = label_encoder{}.fit(data.column<"Risk">()).transform(data.column<"Risk">());
    const auto features = data.select<credit::feature_schema>();
    const auto fitted = credit::model().fit(features, y);
    const bench::hand_scorer hand(fitted);
    double worst = 0;
    for (std::size_t i = 0; i < features.rows(); ++i) {
        const auto row = features.row(i);
        worst = std::max(worst, std::abs(hand.predict_proba(row)[1] - fitted.predict_proba_row(row)[1]));
    }
    CHECK(worst <= 1e-12);
    auto odd = features.row(0);
    odd.set<"Saving accounts">(std::optional<std::string>());
    CHECK(std::abs(hand.predict_proba(odd)[1] - fitted.predict_proba_row(odd)[1]) <= 1e-12);

    // Its frame form, on every row at once.
    const auto batch = hand.predict_proba(features);
    CHECK((batch - fitted.predict_proba(features)).cwiseAbs().maxCoeff() <= 1e-12);
}

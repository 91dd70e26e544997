// train_test_split, stratified_k_fold, cross_val_score and grid_search.
//
// The properties are scikit-learn's (disjoint, covering, stratified sizes,
// ceil(test_size · n) test rows); the golden values pin ctml's own documented
// algorithm (SplitMix64 + Fisher–Yates, train_test_split.hpp), so any change
// to it shows up here, not as a silently different model downstream.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numeric>
#include <span>
#include <stdexcept>
#include <vector>

#include <catch2/catch.hpp>

#include <ctml/ctml.hpp>
#include <ctml/io.hpp>

#include "credit/credit_schema.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::Equals;

namespace {

const ctml::frame<credit::training_schema>& credit_data() {
    static const auto data = ctml::read_csv<credit::training_schema>(CTML_TEST_DATA_DIR "/german_credit_data.csv");
    return data;
}

/// Risk encoded as scikit-learn's LabelEncoder does: bad = 0, good = 1.
const std::vector<int>& credit_labels() {
    static const std::vector<int> y = [] {
        const auto& risk = credit_data().column<"Risk">();
        return ctml::label_encoder{}.fit(risk).transform(risk);
    }();
    return y;
}

auto credit_pipeline(double C = 1.0) {
    using namespace ctml;
    return column_transformer{on<"Age", "Job", "Credit amount", "Duration">("num", standard_scaler{}),
                              on<"Sex", "Housing", "Saving accounts", "Checking account", "Purpose">(
                                  "cat", simple_imputer{.strategy = impute_strategy::constant} | one_hot_encoder{})} |
           logistic_regression{.C = C};
}

std::size_t count_label(std::span<const int> y, std::span<const std::size_t> rows, int label) {
    return static_cast<std::size_t>(
        std::count_if(rows.begin(), rows.end(), [&](std::size_t r) { return y[r] == label; }));
}

/// train and test are ascending, disjoint, and together exactly 0 .. n-1.
void check_partition(const ctml::split_indices& s, std::size_t n) {
    CHECK(std::is_sorted(s.train.begin(), s.train.end()));
    CHECK(std::is_sorted(s.test.begin(), s.test.end()));
    CHECK(std::adjacent_find(s.train.begin(), s.train.end()) == s.train.end());
    CHECK(std::adjacent_find(s.test.begin(), s.test.end()) == s.test.end());
    REQUIRE(s.train.size() + s.test.size() == n);
    std::vector<std::size_t> all;
    std::merge(s.train.begin(), s.train.end(), s.test.begin(), s.test.end(), std::back_inserter(all));
    std::vector<std::size_t> expected(n);
    std::iota(expected.begin(), expected.end(), std::size_t{0});
    CHECK(all == expected);  // covering, and (with the sizes) disjoint
}

std::vector<int> alternating_labels(std::size_t n, std::size_t every) {
    std::vector<int> y(n);
    for (std::size_t i = 0; i < n; ++i) y[i] = i % every == 0 ? 1 : 0;
    return y;
}

}  // namespace

TEST_CASE("SplitMix64 reproduces the published reference outputs", "[model_selection]") {
    // Vigna's splitmix64.c (prng.di.unimi.it), seed 0: the first five outputs.
    ctml::detail::splitmix64 random(0);
    CHECK(random.next() == 0xE220A8397B1DCDAFULL);
    CHECK(random.next() == 0x6E789E6AA1B965F4ULL);
    CHECK(random.next() == 0x06C45D188009454FULL);
    CHECK(random.next() == 0xF88BB8A8724C81ECULL);
    CHECK(random.next() == 0x1B39896A51A8749BULL);

    // below(n) stays below n, and is usable at compile time.
    ctml::detail::splitmix64 other(42);
    for (std::uint64_t n : {1ULL, 2ULL, 3ULL, 7ULL, 1000ULL, (1ULL << 63) + 1}) CHECK(other.below(n) < n);
    STATIC_REQUIRE(ctml::detail::splitmix64(0).next() == 0xE220A8397B1DCDAFULL);
}

TEST_CASE("train_test_split: disjoint, covering, ascending, ceil(test_size · n) test rows", "[model_selection]") {
    struct sizes {
        std::size_t n;
        double test_size;
        std::size_t n_test;
    };
    for (const auto& c : {sizes{10, 0.25, 3}, sizes{7, 0.3, 3}, sizes{1000, 0.2, 200}, sizes{1000, 0.25, 250},
                          sizes{3, 0.5, 2}, sizes{101, 0.1, 11}, sizes{5, 0.01, 1}}) {
        for (bool stratify : {true, false}) {
            INFO("n = " << c.n << ", test_size = " << c.test_size << ", stratify = " << stratify);
            const auto y = alternating_labels(c.n, 3);
            const auto s = ctml::train_test_split(y, {.test_size = c.test_size, .seed = 7, .stratify = stratify});
            CHECK(s.test.size() == c.n_test);
            check_partition(s, c.n);
        }
    }
}

TEST_CASE("train_test_split keeps the credit classes' proportions exactly", "[model_selection]") {
    const auto& y = credit_labels();
    REQUIRE(y.size() == 1000);
    REQUIRE(std::count(y.begin(), y.end(), 1) == 700);  // good
    REQUIRE(std::count(y.begin(), y.end(), 0) == 300);  // bad

    for (std::uint64_t seed : {0ULL, 1ULL, 42ULL, 12345ULL}) {
        INFO("seed " << seed);
        const auto s = ctml::train_test_split(y, {.test_size = 0.2, .seed = seed});
        check_partition(s, y.size());
        CHECK(count_label(y, s.test, 1) == 140);
        CHECK(count_label(y, s.test, 0) == 60);
        CHECK(count_label(y, s.train, 1) == 560);
        CHECK(count_label(y, s.train, 0) == 240);
    }

    // Uneven shares: 7 of class 1 in 20 rows, test_size 0.3 -> 6 test rows;
    // exact shares 3.9 (class 0) and 2.1 (class 1) -> floors 3 and 2; the spare row goes to
    // class 0, whose remainder 0.9 beats 0.1.
    std::vector<int> few(20, 0);
    for (std::size_t i = 0; i < 7; ++i) few[i * 2] = 1;
    const auto s = ctml::train_test_split(few, {.test_size = 0.3, .seed = 3});
    REQUIRE(s.test.size() == 6);
    CHECK(count_label(few, s.test, 1) == 2);
    CHECK(count_label(few, s.test, 0) == 4);
}

TEST_CASE("train_test_split is a function of the labels, the options and the seed", "[model_selection]") {
    const auto& y = credit_labels();
    const auto a = ctml::train_test_split(y, {.test_size = 0.2, .seed = 42});
    const auto b = ctml::train_test_split(y, {.test_size = 0.2, .seed = 42});
    CHECK(a.train == b.train);
    CHECK(a.test == b.test);

    const auto c = ctml::train_test_split(y, {.test_size = 0.2, .seed = 43});
    CHECK(a.test != c.test);
    CHECK(a.train != c.train);

    // The defaults are scikit-learn's test_size = 0.25 with the project's seed 42, stratified.
    const auto d = ctml::train_test_split(y);
    const auto e = ctml::train_test_split(y, {.test_size = 0.25, .seed = 42, .stratify = true});
    CHECK(d.test == e.test);
    CHECK(d.test.size() == 250);
}

TEST_CASE("train_test_split golden value: seed 42 on the credit labels", "[model_selection]") {
    // Computed once with the algorithm documented in train_test_split.hpp. If
    // this fails, the split changed: every model trained "with seed 42" changes too.
    const auto s = ctml::train_test_split(credit_labels(), {.test_size = 0.2, .seed = 42});
    REQUIRE(s.test.size() == 200);
    const std::vector<std::size_t> first_ten(s.test.begin(), s.test.begin() + 10);
    CHECK(first_ten == std::vector<std::size_t>{7, 11, 20, 28, 34, 35, 47, 60, 65, 66});

    // And stratified_k_fold's first fold, same seed, 5 folds.
    const auto folds = ctml::stratified_k_fold(credit_labels(), {.n_splits = 5, .seed = 42});
    const std::vector<std::size_t> fold_zero(folds[0].test.begin(), folds[0].test.begin() + 10);
    CHECK(fold_zero == std::vector<std::size_t>{0, 2, 6, 11, 15, 16, 17, 18, 21, 36});
}

TEST_CASE("train_test_split with test_size 0 puts every row in train", "[model_selection]") {
    const auto& y = credit_labels();
    for (bool stratify : {true, false}) {
        const auto s = ctml::train_test_split(y, {.test_size = 0.0, .stratify = stratify});
        CHECK(s.test.empty());
        check_partition(s, y.size());
    }
}

TEST_CASE("train_test_split rejects what it cannot split", "[model_selection]") {
    const std::vector<int> y{0, 1, 0, 1};
    CHECK_THROWS_WITH(ctml::train_test_split(y, {.test_size = 1.0}),
                      Equals("train_test_split: test_size must be in [0, 1), got 1.000000"));
    CHECK_THROWS_WITH(ctml::train_test_split(y, {.test_size = -0.1}),
                      Equals("train_test_split: test_size must be in [0, 1), got -0.100000"));
    CHECK_THROWS_WITH(ctml::train_test_split(y, {.test_size = std::numeric_limits<double>::quiet_NaN()}),
                      Contains("train_test_split: test_size must be in [0, 1)"));
    CHECK_THROWS_WITH(ctml::train_test_split(y, {.test_size = 2.0}),
                      Contains("train_test_split: test_size must be in [0, 1)"));
    // ceil(0.9 · 4) = 4 test rows would leave none for training.
    CHECK_THROWS_WITH(ctml::train_test_split(y, {.test_size = 0.9}),
                      Equals("train_test_split: test_size 0.900000 leaves no training rows out of 4"));
    CHECK_THROWS_WITH(ctml::train_test_split(std::vector<int>{}, {.test_size = 0.2}),
                      Equals("train_test_split: no rows to split"));
    CHECK_THROWS_WITH(ctml::train_test_split(std::vector<int>{0, -1, 1}, {.test_size = 0.2}),
                      Equals("train_test_split: label -1 in row 1 is negative (encode labels with label_encoder)"));
    CHECK_THROWS_AS(ctml::train_test_split(y, {.test_size = 1.0}), std::invalid_argument);
}

TEST_CASE("train_test_split without stratification ignores the labels", "[model_selection]") {
    const auto& y = credit_labels();
    const auto s = ctml::train_test_split(y, {.test_size = 0.2, .seed = 42, .stratify = false});
    check_partition(s, y.size());
    CHECK(s.test.size() == 200);
    CHECK(s.test != ctml::train_test_split(y, {.test_size = 0.2, .seed = 42}).test);

    // Only the row count and the seed matter: other labels, even unencoded ones, give the same rows.
    const std::vector<int> zeros(y.size(), 0);
    const std::vector<int> negative(y.size(), -3);
    CHECK(ctml::train_test_split(zeros, {.test_size = 0.2, .seed = 42, .stratify = false}).test == s.test);
    CHECK(ctml::train_test_split(negative, {.test_size = 0.2, .seed = 42, .stratify = false}).test == s.test);

    // Unstratified, the class shares in test drift from 70/30 (they are exact when stratified).
    const auto good = count_label(y, s.test, 1);
    CHECK(good > 100);
    CHECK(good < 180);
}

TEST_CASE("stratified_k_fold: k folds, each row tested once, balanced sizes and classes", "[model_selection]") {
    struct layout {
        std::vector<int> y;
        std::size_t k;
        bool shuffle;
    };
    std::vector<layout> layouts{{credit_labels(), 5, true},
                                {credit_labels(), 10, true},
                                {credit_labels(), 3, false},
                                {alternating_labels(23, 4), 4, true},
                                {alternating_labels(14, 2), 7, true},
                                {{0, 1, 2, 2, 1, 0, 2, 2, 2, 1, 0}, 3, true}};
    for (const auto& [y, k, shuffle] : layouts) {
        INFO("n = " << y.size() << ", k = " << k << ", shuffle = " << shuffle);
        const auto folds = ctml::stratified_k_fold(y, {.n_splits = k, .shuffle = shuffle, .seed = 42});
        REQUIRE(folds.size() == k);

        std::vector<int> times_tested(y.size(), 0);
        std::size_t smallest = y.size(), largest = 0;
        for (const auto& fold : folds) {
            check_partition(fold, y.size());  // train is the complement of test
            for (auto row : fold.test) ++times_tested[row];
            smallest = std::min(smallest, fold.test.size());
            largest = std::max(largest, fold.test.size());
        }
        CHECK(std::all_of(times_tested.begin(), times_tested.end(), [](int t) { return t == 1; }));
        CHECK(largest - smallest <= 1);

        const int n_classes = *std::max_element(y.begin(), y.end()) + 1;
        for (int c = 0; c < n_classes; ++c) {
            std::size_t fewest = y.size(), most = 0;
            for (const auto& fold : folds) {
                fewest = std::min(fewest, count_label(y, fold.test, c));
                most = std::max(most, count_label(y, fold.test, c));
            }
            INFO("class " << c);
            CHECK(most - fewest <= 1);
        }
    }
}

TEST_CASE("stratified_k_fold deals rows round-robin and is reproducible", "[model_selection]") {
    // Without shuffling the deal is visible: one class, rows 0..9, 3 folds.
    const std::vector<int> one_class(10, 0);
    const auto folds = ctml::stratified_k_fold(one_class, {.n_splits = 3, .shuffle = false});
    CHECK(folds[0].test == std::vector<std::size_t>{0, 3, 6, 9});
    CHECK(folds[1].test == std::vector<std::size_t>{1, 4, 7});
    CHECK(folds[2].test == std::vector<std::size_t>{2, 5, 8});

    const auto& y = credit_labels();
    const auto a = ctml::stratified_k_fold(y, {.n_splits = 5, .seed = 1});
    const auto b = ctml::stratified_k_fold(y, {.n_splits = 5, .seed = 1});
    const auto c = ctml::stratified_k_fold(y, {.n_splits = 5, .seed = 2});
    for (std::size_t f = 0; f < 5; ++f) {
        CHECK(a[f].test == b[f].test);
        CHECK(a[f].train == b[f].train);
    }
    CHECK(a[0].test != c[0].test);
}

TEST_CASE("stratified_k_fold rejects impossible fold counts", "[model_selection]") {
    const std::vector<int> y{0, 1, 0, 1, 1};
    CHECK_THROWS_WITH(ctml::stratified_k_fold(y, {.n_splits = 1}),
                      Equals("stratified_k_fold: n_splits must be at least 2"));
    CHECK_THROWS_WITH(ctml::stratified_k_fold(y, {.n_splits = 0}),
                      Equals("stratified_k_fold: n_splits must be at least 2"));
    CHECK_THROWS_WITH(ctml::stratified_k_fold(y, {.n_splits = 6}),
                      Equals("stratified_k_fold: n_splits 6 exceeds the 5 rows"));
    CHECK_NOTHROW(ctml::stratified_k_fold(y, {.n_splits = 2}));
    // Class 0 has 2 rows: 3 folds could not all hold it.
    CHECK_THROWS_WITH(ctml::stratified_k_fold(y, {.n_splits = 3}),
                      Equals("stratified_k_fold: class 0 has 2 rows, fewer than n_splits 3, so some folds would lack it"));
    CHECK_THROWS_WITH(ctml::stratified_k_fold(std::vector<int>{0, 1, -2}, {.n_splits = 2}),
                      Equals("stratified_k_fold: label -2 in row 2 is negative (encode labels with label_encoder)"));
    CHECK_THROWS_AS(ctml::stratified_k_fold(y, {.n_splits = 1}), std::invalid_argument);
}

TEST_CASE("cross_val_score on the credit pipeline gives five plausible ROC AUCs", "[model_selection]") {
    const auto& data = credit_data();
    const auto& y = credit_labels();
    const auto folds = ctml::stratified_k_fold(y, {.n_splits = 5, .seed = 42});
    const auto model = credit_pipeline();

    const auto scores = ctml::cross_val_score(model, data, y, folds, ctml::scoring::roc_auc);
    REQUIRE(scores.size() == 5);
    for (double s : scores) {
        INFO("ROC AUC " << s);
        CHECK(std::isfinite(s));
        CHECK(s > 0.6);
        CHECK(s < 0.9);
    }

    // Each score is a fresh fit on the fold's train rows, scored on its test rows.
    std::vector<int> y_train, y_test;
    for (auto r : folds[2].train) y_train.push_back(y[r]);
    for (auto r : folds[2].test) y_test.push_back(y[r]);
    const auto fitted = model.fit(data.take(folds[2].train), y_train);
    const auto p = fitted.predict_proba(data.take(folds[2].test));
    CHECK(scores[2] == ctml::roc_auc_score(y_test, p.col(1)));

    // The other scorers run too; accuracy lies in [0, 1], neg_log_loss is negative.
    for (double s : ctml::cross_val_score(model, data, y, folds, ctml::scoring::accuracy)) {
        CHECK(s > 0.6);
        CHECK(s <= 1.0);
    }
    for (double s : ctml::cross_val_score(model, data, y, folds, ctml::scoring::neg_log_loss)) CHECK(s < 0.0);

    CHECK_THROWS_WITH(ctml::cross_val_score(model, data, std::span<const int>(y).first(999), folds,
                                            ctml::scoring::roc_auc),
                      Equals("cross_val_score: 1000 rows but 999 labels"));
}

TEST_CASE("grid_search picks the best mean score, the first one on ties", "[model_selection]") {
    const auto& data = credit_data();
    const auto& y = credit_labels();
    const auto folds = ctml::stratified_k_fold(y, {.n_splits = 3, .seed = 42});
    const auto make_model = [](double C) { return credit_pipeline(C); };

    // A synthetic scorer that reads the fitted model's C, so the scores are known in advance.
    const auto score_of_c = [](double C) {
        // Binary fractions, so the fold means are exact and the tie is exact.
        if (C == 0.1) return 0.75;
        if (C == 10.0) return 0.75;  // ties with C = 0.1, which comes first
        if (C == 1.0) return 0.5;
        return 0.25;
    };
    const auto synthetic = [&](const auto& fitted, const auto&, ctml::label_span) {
        return score_of_c(fitted.last_step().params().C);
    };

    SECTION("ties go to the first candidate") {
        const auto result = ctml::grid_search(std::vector{0.01, 0.1, 1.0, 10.0}, make_model, data, y, folds, synthetic);
        REQUIRE(result.mean_scores.size() == 4);
        CHECK(result.mean_scores == std::vector{0.25, 0.75, 0.5, 0.75});
        CHECK(result.std_scores == std::vector{0.0, 0.0, 0.0, 0.0});
        CHECK(result.best_index == 1);
        CHECK(result.best_candidate() == 0.1);
        CHECK(result.best_score() == 0.75);
        CHECK(result.candidates == std::vector{0.01, 0.1, 1.0, 10.0});

        // The same tie the other way round: still the earlier of the two.
        const auto reversed = ctml::grid_search(std::vector{10.0, 1.0, 0.1}, make_model, data, y, folds, synthetic);
        CHECK(reversed.best_index == 0);
        CHECK(reversed.best_candidate() == 10.0);
    }

    SECTION("the best mean wins wherever it is") {
        const auto result = ctml::grid_search(std::vector{0.01, 1.0, 0.1}, make_model, data, y, folds, synthetic);
        CHECK(result.best_index == 2);
        CHECK(result.best_candidate() == 0.1);
    }

    SECTION("a real search: best is the argmax of the cross-validated means") {
        const std::vector candidates{0.01, 1.0};
        const auto result = ctml::grid_search(candidates, make_model, data, y, folds, ctml::scoring::roc_auc);
        REQUIRE(result.mean_scores.size() == 2);
        for (std::size_t i = 0; i < candidates.size(); ++i) {
            const auto scores = ctml::cross_val_score(make_model(candidates[i]), data, y, folds, ctml::scoring::roc_auc);
            const double mean = std::accumulate(scores.begin(), scores.end(), 0.0) / static_cast<double>(scores.size());
            CHECK(result.mean_scores[i] == mean);  // same sum, same order
            CHECK(result.std_scores[i] > 0.0);
        }
        const auto best = static_cast<std::size_t>(
            std::max_element(result.mean_scores.begin(), result.mean_scores.end()) - result.mean_scores.begin());
        CHECK(result.best_index == best);
    }

    SECTION("no candidates is an error") {
        CHECK_THROWS_WITH(ctml::grid_search(std::vector<double>{}, make_model, data, y, folds, synthetic),
                          Equals("grid_search: no candidates"));
    }
}

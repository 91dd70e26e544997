// cross_val_score and grid_search -- scikit-learn's cross_val_score and
// GridSearchCV, typed: a candidate is a whole pipeline value, built by a
// function of the hyperparameter being searched, so nothing is addressed by
// strings ("logisticregression__C") and a typo does not compile.
//
//   auto folds  = stratified_k_fold(y, {.n_splits = 5});
//   auto scores = cross_val_score(model, data, y, folds, scoring::roc_auc);
//   auto best   = grid_search(std::vector{0.01, 0.1, 1.0, 10.0},
//                             [&](double c) { return preprocess | logistic_regression{.C = c}; },
//                             data, y, folds, scoring::roc_auc);
//
// Scorers return "greater is better", as in scikit-learn (neg_log_loss).
#pragma once

#include <cmath>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <vector>

#include "ctml/metrics/classification.hpp"
#include "ctml/model_selection/train_test_split.hpp"
#include "ctml/pipeline/concepts.hpp"

namespace ctml {

namespace scoring {
/// Each scorer takes a fitted classifier, test rows and their labels.
inline constexpr auto accuracy = [](const auto& fitted, const auto& x, label_span y) {
    return accuracy_score(y, fitted.predict(x));
};
inline constexpr auto roc_auc = [](const auto& fitted, const auto& x, label_span y) {
    const auto p = fitted.predict_proba(x);
    return roc_auc_score(y, p.col(1));
};
inline constexpr auto neg_log_loss = [](const auto& fitted, const auto& x, label_span y) {
    const auto p = fitted.predict_proba(x);
    return -log_loss(y, p.col(1));
};
}  // namespace scoring

/// Fits a fresh copy of `model` on each fold's train rows and scores it on the fold's test rows.
template <class Model, class Frame, class Scorer>
[[nodiscard]] std::vector<double> cross_val_score(const Model& model, const Frame& x, label_span y,
                                                  const std::vector<split_indices>& folds, Scorer scorer) {
    if (row_count(x) != y.size())
        throw std::invalid_argument("cross_val_score: " + std::to_string(row_count(x)) + " rows but " +
                                    std::to_string(y.size()) + " labels");
    std::vector<double> scores;
    scores.reserve(folds.size());
    for (const auto& fold : folds) {
        const auto y_train = take(y, fold.train);
        const auto y_test = take(y, fold.test);
        const auto fitted = model.fit(x.take(fold.train), y_train);
        scores.push_back(scorer(fitted, x.take(fold.test), y_test));
    }
    return scores;
}

template <class Candidate>
struct grid_search_result {
    std::vector<Candidate> candidates;
    std::vector<double> mean_scores;
    std::vector<double> std_scores;
    std::size_t best_index = 0;

    [[nodiscard]] const Candidate& best_candidate() const { return candidates[best_index]; }
    [[nodiscard]] double best_score() const { return mean_scores[best_index]; }
};

/// Scores every candidate by cross-validation; the best mean wins, the first on ties (scikit-learn's rule).
template <class Candidate, class MakeModel, class Frame, class Scorer>
[[nodiscard]] grid_search_result<Candidate> grid_search(std::vector<Candidate> candidates, MakeModel make_model,
                                                        const Frame& x, label_span y,
                                                        const std::vector<split_indices>& folds, Scorer scorer) {
    if (candidates.empty()) throw std::invalid_argument("grid_search: no candidates");
    grid_search_result<Candidate> result;
    for (const auto& candidate : candidates) {
        const auto scores = cross_val_score(make_model(candidate), x, y, folds, scorer);
        double mean = 0;
        for (double s : scores) mean += s;
        mean /= static_cast<double>(scores.size());
        double var = 0;
        for (double s : scores) var += (s - mean) * (s - mean);
        result.mean_scores.push_back(mean);
        result.std_scores.push_back(std::sqrt(var / static_cast<double>(scores.size())));
    }
    for (std::size_t i = 1; i < result.mean_scores.size(); ++i)
        if (result.mean_scores[i] > result.mean_scores[result.best_index]) result.best_index = i;
    result.candidates = std::move(candidates);
    return result;
}

}  // namespace ctml

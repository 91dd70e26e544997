// Binary classification metrics -- scikit-learn's sklearn.metrics, same names,
// same conventions: labels are 0/1 with 1 the positive class, scores are
// P(class 1) or any score that ranks like it.
//
//   accuracy_score   (TP + TN) / n
//   precision_score  TP / (TP + FP)              (0 when nothing is predicted positive)
//   recall_score     TP / (TP + FN)              (0 when there are no positives)
//   f1_score         2·P·R / (P + R)
//   roc_auc_score    Mann–Whitney U / (n₊ · n₋), ties ranked by their average rank
//   log_loss         -mean(y·log p + (1-y)·log(1-p)), p clipped to [ε, 1 - ε], ε = 2⁻⁵² (scikit-learn 1.2's eps="auto")
//   brier_score_loss mean((y - p)²)
//   confusion_matrix C[true][predicted]
//   expected_cost    Σ C ∘ cost / n   (e.g. German credit: bad-as-good 5, good-as-bad 1)
//
// Inputs may be std::vector, std::span or Eigen vectors. Mismatched lengths,
// empty input, labels other than 0/1 and scores that are not finite are
// errors that say so.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

namespace ctml {

namespace detail {

template <class V>
concept indexable_sequence = requires(const V& v, std::size_t i) {
    { v.size() };
    v[i];
} || requires(const V& v, long i) {
    { v.size() };
    v(i);
};

template <class V>
[[nodiscard]] auto element(const V& v, std::size_t i) {
    if constexpr (requires { v[i]; }) return v[i];
    else return v(static_cast<long>(i));
}

template <class V>
[[nodiscard]] std::size_t length(const V& v) {
    return static_cast<std::size_t>(v.size());
}

template <class A, class B>
std::size_t check_pair(const char* metric, const A& a, const B& b) {
    if (length(a) != length(b))
        throw std::invalid_argument(std::string(metric) + ": " + std::to_string(length(a)) + " true labels but " +
                                    std::to_string(length(b)) + " predictions");
    if (length(a) == 0) throw std::invalid_argument(std::string(metric) + ": empty input");
    for (std::size_t i = 0; i < length(a); ++i) {
        const auto y = element(a, i);
        if (y != 0 && y != 1)
            throw std::invalid_argument(std::string(metric) + ": label " + std::to_string(y) + " at position " +
                                        std::to_string(i) + " is not 0 or 1");
    }
    return length(a);
}

template <class B>
void check_labels(const char* metric, const B& b) {
    for (std::size_t i = 0; i < length(b); ++i)
        if (element(b, i) != 0 && element(b, i) != 1)
            throw std::invalid_argument(std::string(metric) + ": predicted label " + std::to_string(element(b, i)) +
                                        " at position " + std::to_string(i) + " is not 0 or 1");
}

template <class B>
void check_probabilities(const char* metric, const B& p) {
    for (std::size_t i = 0; i < length(p); ++i) {
        const double v = element(p, i);
        if (!(v >= 0.0 && v <= 1.0))
            throw std::invalid_argument(std::string(metric) + ": probability " + std::to_string(v) + " at position " +
                                        std::to_string(i) + " is not in [0, 1]");
    }
}

}  // namespace detail

/// Binary confusion matrix: [true class][predicted class].
using confusion_matrix_2x2 = std::array<std::array<std::size_t, 2>, 2>;

namespace detail {
// The confusion matrix behind every label metric; errors name the metric the user called.
template <class T, class P>
confusion_matrix_2x2 confusion(const char* metric, const T& y_true, const P& y_pred) {
    const std::size_t n = check_pair(metric, y_true, y_pred);
    check_labels(metric, y_pred);
    confusion_matrix_2x2 m{};
    for (std::size_t i = 0; i < n; ++i)
        ++m[static_cast<std::size_t>(element(y_true, i))][static_cast<std::size_t>(element(y_pred, i))];
    return m;
}
}  // namespace detail

template <detail::indexable_sequence T, detail::indexable_sequence P>
[[nodiscard]] confusion_matrix_2x2 confusion_matrix(const T& y_true, const P& y_pred) {
    return detail::confusion("confusion_matrix", y_true, y_pred);
}

template <detail::indexable_sequence T, detail::indexable_sequence P>
[[nodiscard]] double accuracy_score(const T& y_true, const P& y_pred) {
    const auto m = detail::confusion("accuracy_score", y_true, y_pred);
    return static_cast<double>(m[0][0] + m[1][1]) / static_cast<double>(detail::length(y_true));
}

template <detail::indexable_sequence T, detail::indexable_sequence P>
[[nodiscard]] double precision_score(const T& y_true, const P& y_pred) {
    const auto m = detail::confusion("precision_score", y_true, y_pred);
    const auto predicted_positive = m[0][1] + m[1][1];
    return predicted_positive == 0 ? 0.0 : static_cast<double>(m[1][1]) / static_cast<double>(predicted_positive);
}

template <detail::indexable_sequence T, detail::indexable_sequence P>
[[nodiscard]] double recall_score(const T& y_true, const P& y_pred) {
    const auto m = detail::confusion("recall_score", y_true, y_pred);
    const auto positive = m[1][0] + m[1][1];
    return positive == 0 ? 0.0 : static_cast<double>(m[1][1]) / static_cast<double>(positive);
}

template <detail::indexable_sequence T, detail::indexable_sequence P>
[[nodiscard]] double f1_score(const T& y_true, const P& y_pred) {
    const auto m = detail::confusion("f1_score", y_true, y_pred);
    // 2TP / (2TP + FP + FN): scikit-learn's form, equal to 2PR/(P+R) and defined when P + R = 0.
    const auto denominator = 2 * m[1][1] + m[0][1] + m[1][0];
    return denominator == 0 ? 0.0 : static_cast<double>(2 * m[1][1]) / static_cast<double>(denominator);
}

template <detail::indexable_sequence T, detail::indexable_sequence S>
[[nodiscard]] double roc_auc_score(const T& y_true, const S& score) {
    const std::size_t n = detail::check_pair("roc_auc_score", y_true, score);
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    for (std::size_t i = 0; i < n; ++i)
        if (!std::isfinite(static_cast<double>(detail::element(score, i))))
            throw std::invalid_argument("roc_auc_score: score at position " + std::to_string(i) + " is not finite");
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return detail::element(score, a) < detail::element(score, b);
    });
    // Average ranks (1-based) over runs of equal scores; summed for the positives.
    double positive_rank_sum = 0;
    std::size_t positives = 0;
    for (std::size_t start = 0; start < n;) {
        std::size_t end = start;
        while (end < n && detail::element(score, order[end]) == detail::element(score, order[start])) ++end;
        const double average_rank = (static_cast<double>(start + 1) + static_cast<double>(end)) / 2.0;
        for (std::size_t k = start; k < end; ++k)
            if (detail::element(y_true, order[k]) == 1) {
                positive_rank_sum += average_rank;
                ++positives;
            }
        start = end;
    }
    const std::size_t negatives = n - positives;
    if (positives == 0 || negatives == 0)
        throw std::invalid_argument("roc_auc_score: only one class is present in y_true; ROC AUC is undefined");
    const double p = static_cast<double>(positives);
    return (positive_rank_sum - p * (p + 1) / 2.0) / (p * static_cast<double>(negatives));
}

template <detail::indexable_sequence T, detail::indexable_sequence P>
[[nodiscard]] double log_loss(const T& y_true, const P& probability,
                              double eps = std::numeric_limits<double>::epsilon()) {
    const std::size_t n = detail::check_pair("log_loss", y_true, probability);
    detail::check_probabilities("log_loss", probability);
    double total = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double p = std::clamp(static_cast<double>(detail::element(probability, i)), eps, 1.0 - eps);
        total -= detail::element(y_true, i) == 1 ? std::log(p) : std::log(1.0 - p);
    }
    return total / static_cast<double>(n);
}

template <detail::indexable_sequence T, detail::indexable_sequence P>
[[nodiscard]] double brier_score_loss(const T& y_true, const P& probability) {
    const std::size_t n = detail::check_pair("brier_score_loss", y_true, probability);
    detail::check_probabilities("brier_score_loss", probability);
    double total = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double d = static_cast<double>(detail::element(y_true, i)) - detail::element(probability, i);
        total += d * d;
    }
    return total / static_cast<double>(n);
}

/// Average misclassification cost; cost[true][predicted], diagonal usually 0.
[[nodiscard]] inline double expected_cost(const confusion_matrix_2x2& m, const std::array<std::array<double, 2>, 2>& cost) {
    double total = 0;
    std::size_t n = 0;
    for (std::size_t t = 0; t < 2; ++t)
        for (std::size_t p = 0; p < 2; ++p) {
            total += static_cast<double>(m[t][p]) * cost[t][p];
            n += m[t][p];
        }
    if (n == 0) throw std::invalid_argument("expected_cost: empty confusion matrix");
    return total / static_cast<double>(n);
}

template <detail::indexable_sequence T, detail::indexable_sequence P>
[[nodiscard]] double expected_cost(const T& y_true, const P& y_pred, const std::array<std::array<double, 2>, 2>& cost) {
    return expected_cost(detail::confusion("expected_cost", y_true, y_pred), cost);
}

}  // namespace ctml

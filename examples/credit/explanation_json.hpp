// Explanations of the credit model as credit-explain and credit-serve's
// POST /explain give them: JSON with the base value, the logit, p_good and the
// contributions keyed by input column, and sentences a loan officer can read.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <numeric>
#include <string>
#include <type_traits>
#include <vector>

#include <ctml/ctml.hpp>
#include <nlohmann/json.hpp>

#include "credit/credit_model.hpp"
#include "credit/credit_run.hpp"
#include "credit/credit_schema.hpp"

namespace credit {

using explainer = ctml::linear_explainer<fitted_model>;

/// Column positions by decreasing |contribution|, at most k of them.
inline std::vector<std::size_t> largest_contributions(const ctml::row_explanation& e, std::size_t k) {
    std::vector<std::size_t> order(e.contributions.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return std::abs(e.contributions[a]) > std::abs(e.contributions[b]);
    });
    order.resize(std::min(k, order.size()));
    return order;
}

/// {"base_value", "logit", "p_good", "contributions": {column: value}, "top": [column, …]}.
inline nlohmann::json explanation_json(const explainer& x, const ctml::row_explanation& e, std::size_t top) {
    nlohmann::json contributions = nlohmann::json::object();
    for (std::size_t c = 0; c < x.columns().size(); ++c) contributions[x.columns()[c]] = e.contributions[c];
    nlohmann::json largest = nlohmann::json::array();
    for (const auto c : largest_contributions(e, top)) largest.push_back(x.columns()[c]);
    return {{"base_value", e.base_value}, {"logit", e.logit}, {"p_good", e.probability},
            {"contributions", contributions}, {"top", largest}};
}

/// The value of column c of a feature record, as text ("missing" for a missing value).
inline std::string cell_text(const ctml::record<feature_schema>& r, std::size_t c) {
    std::string out;
    ctml::for_each_column_index<feature_schema>([&](auto j) {
        if (j != c) return;
        const auto& cell = r.template get_at<j>();
        using cell_type = std::remove_cvref_t<decltype(cell)>;
        if constexpr (std::is_arithmetic_v<cell_type>) out = std::to_string(cell);
        else if constexpr (requires { cell.has_value(); }) out = cell ? std::string(*cell) : "missing";
        else out = std::string(cell);
    });
    return out;
}

/// A few lines in words: the score, then the largest contributions, each with the applicant's value.
inline std::string explanation_text(const explainer& x, const ctml::record<feature_schema>& r,
                                    const ctml::row_explanation& e, std::size_t top) {
    char line[256];
    std::snprintf(line, sizeof line,
                  "  probability of good credit %.1f%% (log-odds %+.3f; an applicant at the training averages: %+.3f)\n",
                  100 * e.probability, e.logit, e.base_value);
    std::string out = line;
    for (const auto c : largest_contributions(e, top)) {
        const double v = e.contributions[c];
        std::snprintf(line, sizeof line, "  %-17s %-22s %s the odds of good credit (%+.3f)\n", x.columns()[c].c_str(),
                      ("= " + cell_text(r, c)).c_str(),
                      std::abs(v) < 0.05 ? "hardly changes" : v > 0 ? "raises" : "lowers", v);
        out += line;
    }
    return out;
}

}  // namespace credit

// POST /score without the network: a request body in, the response body out
// -- parse the records, score each, write {"predict_proba": [[p_bad, p_good], …]}.
// credit-serve answers /score with it, and the benchmark times it
// (bench/credit_bench.cpp, post_score_body_to_response), so the figure is the
// service's own work per request. Bad input throws ops::request_error with
// the status to answer; an unknown category is the caller's error too (400).
#pragma once

#include <array>
#include <charconv>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <ctml/ops/score_request.hpp>

#include "credit/credit_model.hpp"
#include "credit/credit_schema.hpp"

namespace credit {

/// Shortest text that reads back as the same double.
inline void append_double(std::string& out, double v) {
    char text[32];
    const auto r = std::to_chars(text, text + sizeof text, v);
    out.append(text, r.ptr);
}

/// The probabilities of each record, one at a time (no frame per request).
inline std::vector<std::array<double, 2>> score_records(const fitted_model& model,
                                                        const std::vector<ctml::record<feature_schema>>& rows) {
    std::vector<std::array<double, 2>> p(rows.size());
    try {
        for (std::size_t i = 0; i < rows.size(); ++i) p[i] = model.predict_proba_row(rows[i]);
    } catch (const std::invalid_argument& e) {
        throw ctml::ops::request_error(400, e.what());
    }
    return p;
}

/// The response body for a /score request body; `rows` is set to the number scored.
inline std::string score_response(const fitted_model& model, std::string_view body, const ctml::missing_token_set& missing,
                                  std::size_t& rows) {
    const auto p = score_records(model, ctml::ops::parse_score_request<feature_schema>(body, missing));
    rows = p.size();
    std::string out = "{\"predict_proba\":[";
    out.reserve(out.size() + p.size() * 44 + 2);
    for (std::size_t i = 0; i < p.size(); ++i) {
        out += i ? ",[" : "[";
        append_double(out, p[i][0]);
        out += ',';
        append_double(out, p[i][1]);
        out += ']';
    }
    out += "]}";
    return out;
}

}  // namespace credit

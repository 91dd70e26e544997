// The seed's functional smoke test, as credit-deploy runs it against a
// service before it may take an environment's traffic: the seed's request to
// POST /score answers 200 within 900 ms with `predict_proba` an array of
// arrays of numbers, each row summing to 1.
#pragma once

#include <chrono>
#include <cmath>
#include <string>

#include <nlohmann/json.hpp>

#include "credit/openapi.hpp"

// After ctml (see serve.cpp): httplib includes <resolv.h>, whose _res macro clashes with Eigen.
#include <httplib.h>

namespace credit {

struct smoke_result {
    bool passed = false;
    std::string detail;  ///< what failed, or "200 in 3.1 ms, 1 row"
};

inline smoke_result smoke_test(int port, const std::string& token = {}, double limit_ms = 900) {
    httplib::Client client("127.0.0.1", port);
    client.set_connection_timeout(2, 0);
    client.set_read_timeout(5, 0);
    if (!token.empty()) client.set_bearer_token_auth(token);
    const auto started = std::chrono::steady_clock::now();
    const auto res = client.Post("/score", seed_request, json_type);
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    if (!res) return {false, "POST /score: no response (" + httplib::to_string(res.error()) + ")"};
    if (res->status != 200) return {false, "POST /score: status " + std::to_string(res->status) + ": " + res->body};
    if (ms > limit_ms) return {false, "POST /score took " + std::to_string(ms) + " ms, over " + std::to_string(limit_ms)};
    const auto body = nlohmann::json::parse(res->body, nullptr, false);
    if (body.is_discarded() || !body.is_object() || !body.contains("predict_proba") || !body["predict_proba"].is_array() ||
        body["predict_proba"].empty())
        return {false, "POST /score: the body has no predict_proba array: " + res->body};
    for (const auto& row : body["predict_proba"]) {
        if (!row.is_array() || row.size() != 2) return {false, "POST /score: a predict_proba row is not [p_bad, p_good]: " + res->body};
        double sum = 0;
        for (const auto& p : row) {
            if (!p.is_number() || !std::isfinite(p.get<double>()) || p.get<double>() < 0 || p.get<double>() > 1)
                return {false, "POST /score: a probability is not a number in [0, 1]: " + res->body};
            sum += p.get<double>();
        }
        if (std::abs(sum - 1) > 1e-9) return {false, "POST /score: a row sums to " + std::to_string(sum) + ", not 1"};
    }
    char timing[64];
    std::snprintf(timing, sizeof timing, "200 in %.1f ms", ms);
    return {true, std::string(timing) + ", predict_proba " + body["predict_proba"].dump()};
}

/// GET /v2/health/ready answers 200.
inline bool answers_ready(int port) {
    httplib::Client client("127.0.0.1", port);
    client.set_connection_timeout(1, 0);
    client.set_read_timeout(2, 0);
    const auto res = client.Get("/v2/health/ready");
    return res && res->status == 200;
}

}  // namespace credit

// The scoring service's OpenAPI 3 document, generated from the compile-time
// schema and the categories the model was fitted with: what credit-serve
// answers on GET /swagger.json and credit-package puts in a package.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <ctml/version.hpp>

#include "credit/credit_model.hpp"
#include "credit/credit_run.hpp"
#include "credit/credit_schema.hpp"

namespace credit {

inline constexpr const char* json_type = "application/json";

// The seed's functional-test request: the OpenAPI example.
inline constexpr const char* seed_request = R"({"data": {"Age": [20], "Sex": ["male"], "Job": [0], "Housing": ["own"], )"
                                 R"("Saving accounts": ["little"], "Checking account": ["little"], "Credit amount": [100], )"
                                 R"("Duration": [48], "Purpose": ["radio/TV"]}})";

/// OpenAPI 3 for the routes, from the schema and the categories the model was fitted with.
inline nlohmann::json openapi(const fitted_model& model, const std::string& name) {
    using nlohmann::json;
    json columns = json::object();
    std::vector<std::string> required;
    const auto origins = model.feature_origins();
    ctml::for_each_column_index<feature_schema>([&](auto c) {
        using column = typename feature_schema::template column_at<c>;
        const std::string col(column::name.view());
        json item = column::is_numeric ? json{{"type", "integer"}} : json{{"type", "string"}};
        if constexpr (!column::is_numeric) {
            json known = json::array();
            for (const auto& o : origins)
                if (o.column == col && o.category && *o.category != "missing") known.push_back(*o.category);
            item["enum"] = known;
        }
        if (column::is_nullable) item["nullable"] = true;
        columns[col] = {{"type", "array"}, {"items", item}};
        required.push_back(col);
    });
    const json error = {{"type", "object"}, {"properties", {{"error", {{"type", "string"}}}}}, {"required", {"error"}}};
    const json errors = {{"400", {{"description", "bad input"}, {"content", {{json_type, {{"schema", error}}}}}}},
                         {"401", {{"description", "missing or wrong bearer token"}}},
                         {"413", {{"description", "body too large"}}},
                         {"415", {{"description", "not application/json"}}}};
    const json row = {{"type", "array"}, {"minItems", 2}, {"maxItems", 2}, {"items", {{"type", "number"}}}};
    const json probabilities = {{"type", "object"},
                                {"required", {"predict_proba"}},
                                {"properties", {{"predict_proba", {{"type", "array"}, {"items", row}}}}}};
    json score_responses = errors;
    score_responses["200"] = {{"description", "[P(bad), P(good)] per row"},
                              {"content", {{json_type, {{"schema", probabilities}}}}}};
    const json number_by_column = {{"type", "object"}, {"additionalProperties", {{"type", "number"}}}};
    const json explanation = {
        {"type", "object"},
        {"required", {"base_value", "logit", "p_good", "contributions"}},
        {"properties",
         {{"base_value", {{"type", "number"}, {"description", "logit of an applicant at the training averages"}}},
          {"logit", {{"type", "number"}}},
          {"p_good", {{"type", "number"}}},
          {"contributions", number_by_column},
          {"top", {{"type", "array"}, {"items", {{"type", "string"}}}}}}}};
    json explain_responses = errors;
    explain_responses["409"] = {{"description", "the model's artifact lacks the training means an explanation needs"}};
    explain_responses["200"] = {
        {"description", "per row: base value + Σ contributions = logit (log-odds of good credit)"},
        {"content",
         {{json_type,
           {{"schema", {{"type", "object"}, {"required", {"explanations"}},
                        {"properties", {{"explanations", {{"type", "array"}, {"items", explanation}}}}}}}}}}}};
    const json request_body = {
        {"required", true},
        {"content", {{json_type, {{"schema", {{"type", "object"}, {"required", {"data"}},
                                              {"properties", {{"data", {{"type", "object"}, {"required", required}, {"properties", columns}}}}}}},
                                  {"example", json::parse(seed_request)}}}}}};
    return {{"openapi", "3.0.3"},
            {"info", {{"title", "ctml credit scoring service"}, {"version", ctml::version_string},
                      {"description", "German credit risk, model " + name}}},
            {"components", {{"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}}}},
            {"paths",
             {{"/score",
               {{"post",
                 {{"summary", "Class probabilities for each row"},
                  {"requestBody", request_body},
                  {"responses", score_responses}}}}},
              {"/explain",
               {{"post",
                 {{"summary", "Why each row scores as it does: contributions by input column in log-odds"},
                  {"requestBody", request_body},
                  {"responses", explain_responses}}}}},
              {"/v2/models/" + name + "/infer", {{"post", {{"summary", "Open Inference Protocol v2 inference"}, {"responses", errors}}}}},
              {"/v2/health/live", {{"get", {{"summary", "liveness"}, {"responses", {{"200", {{"description", "live"}}}}}}}}},
              {"/v2/health/ready", {{"get", {{"summary", "readiness"}, {"responses", {{"200", {{"description", "ready"}}}}}}}}},
              {"/metrics", {{"get", {{"summary", "Prometheus metrics"}, {"responses", {{"200", {{"description", "text"}}}}}}}}}}}};
}

}  // namespace credit

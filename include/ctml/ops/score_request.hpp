// The scoring service's request bodies, parsed straight into typed records --
// no frame per request. Two shapes, one cell parser (io/cell_parser.hpp):
//
//   the seed's       {"data": {"Age": [20, 31], "Sex": ["male", "female"], …}}
//   Open Inference   {"inputs": [{"name": "Age", "shape": [2], "datatype": "INT64", "data": [20, 31]}, …]}
//
// Every column of the schema must be there, all of the same length; extra
// columns (Sno, Risk) are ignored. A number, a string, or null / "NA" for a
// missing value -- only where the column may be missing. Whatever is wrong is
// a request_error with the HTTP status and a message naming the column and the
// row; the service sends it as {"error": "…"}.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ctml/io/cell_parser.hpp"
#include "ctml/schema/record.hpp"
#include "ctml/schema/schema.hpp"

namespace ctml::ops {

/// A request the service cannot serve: the HTTP status (4xx) and why.
class request_error : public std::runtime_error {
public:
    request_error(int status, const std::string& why) : std::runtime_error(why), status_(status) {}
    [[nodiscard]] int status() const noexcept { return status_; }

private:
    int status_;
};

namespace detail {

inline std::string json_kind(const nlohmann::json& v) {
    switch (v.type()) {
        case nlohmann::json::value_t::object: return "an object";
        case nlohmann::json::value_t::array: return "an array";
        case nlohmann::json::value_t::boolean: return "true or false";
        case nlohmann::json::value_t::null: return "null";
        case nlohmann::json::value_t::string: return "a string";
        default: return "a number";
    }
}

/// One JSON value into one cell of Column; the problem, if any.
template <class Column>
cell_problem json_cell(cell_t<Column>& cell, const nlohmann::json& v, const missing_token_set& missing) {
    record_cell_sink<Column> sink(cell);
    if (v.is_null()) return append_missing_cell<Column>(sink);
    if (v.is_number()) return append_number_cell<Column>(sink, v.get<double>());
    if (v.is_string()) return append_text_cell<Column>(sink, v.get_ref<const std::string&>(), false, missing);
    return "expected a number, a string or null, found " + json_kind(v);
}

}  // namespace detail

/// The columns (name -> JSON array of values) of a request, as records of Schema.
template <class Schema>
std::vector<record<Schema>> records_from_columns(const nlohmann::json& columns, const missing_token_set& missing,
                                                 std::size_t max_rows = 1'000'000) {
    if (!columns.is_object()) throw request_error(400, "\"data\" must be an object of columns, found " + detail::json_kind(columns));
    std::size_t rows = 0;
    bool first = true;
    std::string first_name;
    for_each_column_index<Schema>([&](auto c) {
        using column = typename Schema::template column_at<c>;
        const std::string name(column::name.view());
        const auto it = columns.find(name);
        if (it == columns.end()) throw request_error(400, "missing column \"" + name + "\"");
        if (!it->is_array())
            throw request_error(400, "column \"" + name + "\" must be an array of values, found " + detail::json_kind(*it));
        if (first) {
            rows = it->size();
            first_name = name;
            first = false;
        } else if (it->size() != rows) {
            throw request_error(400, "ragged columns: \"" + first_name + "\" has " + std::to_string(rows) + " values but \"" +
                                         name + "\" has " + std::to_string(it->size()));
        }
    });
    if (rows == 0) throw request_error(400, "no rows to score: the columns are empty");
    if (rows > max_rows)
        throw request_error(413, std::to_string(rows) + " rows in one request; at most " + std::to_string(max_rows));
    std::vector<record<Schema>> out(rows);
    for_each_column_index<Schema>([&](auto c) {
        using column = typename Schema::template column_at<c>;
        const auto& values = columns[std::string(column::name.view())];
        for (std::size_t i = 0; i < rows; ++i)
            if (auto why = detail::json_cell<column>(out[i].template get_at<c>(), values[i], missing))
                throw request_error(400, "column \"" + std::string(column::name.view()) + "\", row " + std::to_string(i) +
                                             ": " + *why);
    });
    return out;
}

/// A body in the seed's shape: {"data": {column: [values…], …}}.
template <class Schema>
std::vector<record<Schema>> parse_score_request(std::string_view body, const missing_token_set& missing) {
    if (body.empty()) throw request_error(400, "empty body: expected {\"data\": {column: [values…], …}}");
    const auto doc = nlohmann::json::parse(body, nullptr, false);
    if (doc.is_discarded()) throw request_error(400, "malformed JSON: the body does not parse");
    if (!doc.is_object()) throw request_error(400, "the body must be a JSON object, found " + detail::json_kind(doc));
    const auto data = doc.find("data");
    if (data == doc.end()) throw request_error(400, "missing \"data\": expected {\"data\": {column: [values…], …}}");
    return records_from_columns<Schema>(*data, missing);
}

/// A body in the Open Inference Protocol's shape: {"inputs": [{name, shape, datatype, data}, …]}.
template <class Schema>
std::vector<record<Schema>> parse_infer_request(std::string_view body, const missing_token_set& missing) {
    if (body.empty()) throw request_error(400, "empty body: expected {\"inputs\": [{name, shape, datatype, data}, …]}");
    const auto doc = nlohmann::json::parse(body, nullptr, false);
    if (doc.is_discarded()) throw request_error(400, "malformed JSON: the body does not parse");
    if (!doc.is_object() || !doc.contains("inputs") || !doc["inputs"].is_array())
        throw request_error(400, "expected {\"inputs\": [{name, shape, datatype, data}, …]}");
    nlohmann::json columns = nlohmann::json::object();
    for (const auto& input : doc["inputs"]) {
        if (!input.is_object() || !input.contains("name") || !input["name"].is_string() || !input.contains("data") ||
            !input["data"].is_array())
            throw request_error(400, "every input needs a \"name\" and a \"data\" array");
        const std::string name = input["name"];
        const std::string type = input.value("datatype", "");
        if (type != "BYTES" && type != "INT64" && type != "FP64" && type != "INT32" && type != "FP32")
            throw request_error(400, "input \"" + name + "\": datatype must be BYTES, INT64, INT32, FP64 or FP32, found \"" +
                                         type + "\"");
        if (input.contains("shape")) {
            const auto& shape = input["shape"];
            if (!shape.is_array() || shape.empty() || !shape[0].is_number_unsigned() ||
                shape[0].get<std::size_t>() != input["data"].size())
                throw request_error(400, "input \"" + name + "\": shape does not match the " +
                                             std::to_string(input["data"].size()) + " values in data");
        }
        columns[name] = input["data"];
    }
    return records_from_columns<Schema>(columns, missing);
}

}  // namespace ctml::ops

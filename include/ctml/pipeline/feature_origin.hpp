// feature_origin: where one output feature of a fitted pipeline comes from --
// the input column, the column_transformer group, and for a one-hot feature
// the category. Stages compute origins by the same recursion that names their
// features (feature_names_out is the `name` of each origin), so nothing ever
// parses a name: column names may hold spaces and underscores.
//
//   fitted.feature_origins()[5]  ->  {name "cat__Sex_male", column "Sex", column_index 1,
//                                     group "cat", category "male"}
//
// Explanation sums per-feature contributions back to input columns through
// column_index; drift and reports use the rest.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ctml {

struct feature_origin {
    /// The feature's name, as feature_names_out() gives it ("cat__Sex_male").
    std::string name;
    /// The input column it is computed from ("Sex"); "x3" for a feature-matrix input.
    std::string column;
    /// That column's position in the pipeline's input.
    std::size_t column_index = 0;
    /// The column_transformer group ("cat"), empty outside one.
    std::string group;
    /// For an indicator feature (one-hot), the category it indicates.
    std::optional<std::string> category;

    [[nodiscard]] bool operator==(const feature_origin&) const = default;
};

/// The origins of a pipeline's inputs: one per named column, or x0, x1, ... for a feature matrix.
[[nodiscard]] inline std::vector<feature_origin> input_origins(std::span<const std::string> names) {
    std::vector<feature_origin> out;
    out.reserve(names.size());
    for (std::size_t j = 0; j < names.size(); ++j) out.push_back({names[j], names[j], j, {}, std::nullopt});
    return out;
}
[[nodiscard]] inline std::vector<feature_origin> input_origins(std::size_t n_features) {
    // std::string's append, not operator+: g++ 12 warns falsely (-Wrestrict) on "x" + to_string(j).
    std::vector<std::string> names(n_features, "x");
    for (std::size_t j = 0; j < n_features; ++j) names[j].append(std::to_string(j));
    return input_origins(names);
}

/// The names of a list of origins.
[[nodiscard]] inline std::vector<std::string> names_of(std::span<const feature_origin> origins) {
    std::vector<std::string> out;
    out.reserve(origins.size());
    for (const auto& o : origins) out.push_back(o.name);
    return out;
}

}  // namespace ctml

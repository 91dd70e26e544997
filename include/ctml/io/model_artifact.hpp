// The model artifact: a fitted pipeline in one human-readable JSON file that
// loads back bit for bit -- scikit-learn's pickle/joblib file, without
// executing anything on load and with every field checked.
//
//   save(fitted, "model.json", describe_training_data(train, fitted), {{"data_sha256", "..."}});
//   auto artifact = load<decltype(fitted)>("model.json");   // or throws artifact_error
//   artifact.model.predict_proba(frame);
//
// The file holds: format and library version; the pipeline type's structure
// and fingerprint (computed at compile time, pipeline_fingerprint.hpp); the
// input schema; every step's version, hyperparameters and fitted state
// (stage_codec.hpp: generic over the stage protocol); the feature names;
// training statistics for drift and explanation (training_statistics.hpp);
// and the caller's lineage (data hash, parameters, commit). Doubles are
// written in their shortest round-trip form and parsed correctly rounded, so
// they survive exactly.
//
// Loading refuses, with a message naming the field: a different pipeline type
// (both structures shown), a newer format or step version, broken or
// truncated JSON, missing fields, arrays of the wrong length, non-finite
// numbers, and whatever a stage's restore() refuses -- zero scales, unsorted
// or duplicated categories, a step that consumes a different number of
// features than the step before it makes. Format 1 files (ctml 0.1) still
// load. A single stage is saved as a one-stage pipeline:
// make_pipeline(stage).fit(x). Format: docs/artifact.md.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "ctml/inspection/training_statistics.hpp"
#include "ctml/io/artifact_error.hpp"
#include "ctml/io/atomic_file.hpp"
#include "ctml/io/detail/artifact_v1.hpp"
#include "ctml/io/detail/json_field.hpp"
#include "ctml/io/detail/value_codec.hpp"
#include "ctml/io/model_artifact_fwd.hpp"
#include "ctml/io/pipeline_fingerprint.hpp"
#include "ctml/io/stage_codec.hpp"
#include "ctml/pipeline/fitted_pipeline.hpp"
#include "ctml/version.hpp"

namespace ctml {

namespace detail {

inline std::string fingerprint_hex(std::uint64_t fingerprint) {
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(fingerprint));
    return text;
}

template <class Schema>
artifact_json schema_json() {
    artifact_json columns = artifact_json::array();
    for_each_column_index<Schema>([&](auto j) {
        using column = typename Schema::template column_at<j>;
        structure_text type;
        value_kind_name<typename column::value_kind>(type);
        columns.push_back({{"name", column::name.view()},
                           {"type", std::string(type.chars.data(), type.size)},
                           {"nullable", column::is_nullable}});
    });
    return columns;
}

inline training_statistics load_statistics(const json_field& j) {
    auto statistics = decode_value<training_statistics>(j);
    try {
        statistics.check();
    } catch (const invalid_state& e) {
        j.fail_at(e.field(), e.reason());
    }
    return statistics;
}

}  // namespace detail

// The declarations, with their default arguments and what each does, are in model_artifact_fwd.hpp.

template <class In, class... Fitted>
std::string to_artifact_json(const fitted_pipeline<In, std::tuple<Fitted...>>& model,
                             const training_statistics& statistics, const lineage_map& lineage,
                             const std::vector<std::string>& class_names) {
    using fitted = fitted_pipeline<In, std::tuple<Fitted...>>;
    detail::artifact_json doc;
    doc["format"] = "ctml.model";
    doc["format_version"] = artifact_format_version;
    doc["library_version"] = version_string;
    doc["pipeline_fingerprint"] = detail::fingerprint_hex(pipeline_fingerprint<fitted>);
    doc["pipeline_structure"] = pipeline_structure<fitted>;
    if constexpr (frame_type<In>) doc["schema"] = detail::schema_json<typename In::schema_type>();
    doc["steps"] = save_stage(model)["steps"];
    if constexpr (frame_type<In>) {
        doc["feature_names_out"] = model.feature_names_out();
    } else {
        std::vector<std::string> names;
        for (const auto& f : statistics.features) names.push_back(f.name);
        doc["feature_names_out"] = names;
    }
    doc["class_names"] = class_names;
    doc["training_statistics"] = detail::encode_value(statistics);
    doc["lineage"] = lineage;
    return doc.dump(1);
}

template <class FittedType, class Fitted>
model_artifact<Fitted> from_artifact_json(std::string_view text, const std::string& source) {
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {  // syntax errors, and numbers beyond double's range
        throw artifact_error(source + ": not a valid artifact: the JSON is broken or truncated (" +
                             std::string(e.what()) + ")");
    }
    const detail::json_field root(doc, "", source);
    if (!doc.is_object()) root.fail("expected a JSON object");
    if (root["format"].string() != "ctml.model") root["format"].fail("not a ctml model artifact");
    const auto version = root["format_version"].integer();
    if (version > artifact_format_version)
        root["format_version"].fail("format version " + std::to_string(version) + " is newer than this build reads (" +
                                    std::to_string(artifact_format_version) + "); upgrade ctml to load it");
    if (version < 1) root["format_version"].fail("unknown format version " + std::to_string(version));

    const std::string structure = root["pipeline_structure"].string();
    const std::string fingerprint = root["pipeline_fingerprint"].string();
    if (fingerprint != detail::fingerprint_hex(pipeline_fingerprint<Fitted>) || structure != pipeline_structure<Fitted>)
        throw artifact_error(source + ": the artifact holds a different pipeline type.\n  this program expects: " +
                             std::string(pipeline_structure<Fitted>) + "\n  the artifact holds:   " + structure);

    (void)root["steps"];  // "missing field" rather than a null further down
    if (version == 1) detail::upgrade_v1_steps(doc["steps"]);
    // The steps are the pipeline's children; the pipeline itself is implied by the type.
    nlohmann::json whole = {{"stage", "pipeline"}, {"version", 1}, {"params", nlohmann::json::object()}, {"steps", doc["steps"]}};
    const detail::json_field steps_root(whole, "", source);
    model_artifact<Fitted> artifact{load_stage<Fitted>(steps_root), detail::load_statistics(root["training_statistics"]), {},
                                    root["library_version"].string(), static_cast<int>(version), {}};
    if constexpr (frame_type<typename Fitted::input_type>) {
        const auto names = root["feature_names_out"].strings();
        if (names != artifact.model.feature_names_out())
            root["feature_names_out"].fail("does not match the feature names the stages produce");
    }
    if (root.has("class_names")) {  // format 1 did not record them
        const auto names = root["class_names"];
        artifact.class_names = names.strings();
        if (!artifact.class_names.empty() && artifact.class_names.size() != 2)
            names.fail("a binary classifier needs 2 class names, found " + std::to_string(artifact.class_names.size()));
        if (artifact.class_names.size() == 2 && artifact.class_names[0] == artifact.class_names[1])
            names.fail("the class names must differ");
    }
    const auto lineage = root["lineage"];
    if (!lineage.raw().is_object()) lineage.fail("expected an object of strings");
    for (const auto& [key, value] : lineage.raw().items()) artifact.lineage[key] = lineage[key].string();
    return artifact;
}

template <class In, class... Fitted>
void save(const fitted_pipeline<In, std::tuple<Fitted...>>& model, const std::filesystem::path& path,
          const training_statistics& statistics, const lineage_map& lineage,
          const std::vector<std::string>& class_names) {
    write_file_atomically<artifact_error>(path, to_artifact_json(model, statistics, lineage, class_names) + "\n");
}

template <class FittedType, class Fitted>
model_artifact<Fitted> load(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw artifact_error(path.string() + ": cannot open the artifact");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return from_artifact_json<Fitted>(buffer.str(), path.string());
}

}  // namespace ctml

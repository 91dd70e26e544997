// The fitted credit model, and the heavy work on it compiled once.
//
// Fitting, saving and loading the credit pipeline instantiate the solver,
// Eigen's factorisations and the artifact's JSON codec: half a minute of
// compiling and over a gigabyte of memory in every program that does it.
// credit_model.cpp (the fit) and credit_artifact.cpp (save and load) do it
// once, for the `credit_model` library; programs
// include this header instead and link it. ctml::save and ctml::load stay the
// calls programs make -- the `extern template` declarations below keep each
// program from instantiating them again.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <ctml/io/model_artifact_fwd.hpp>
#include <ctml/pipeline/row_partition.hpp>

#include "credit/credit_pipeline.hpp"
#include "credit/credit_schema.hpp"

namespace credit {

/// The fitted credit model's type: what every program loads. Named from the
/// stages' declared fitted types, so naming it fits nothing.
using fitted_model = decltype(model())::fitted_type<ctml::frame<feature_schema>>;

/// model(C) fitted on the feature rows x and their encoded labels y (bad = 0, good = 1).
[[nodiscard]] fitted_model fit(const ctml::frame<feature_schema>& x, ctml::label_span y, double C = 1.0);

/// model(C) fitted on this process's part of rows split over several
/// (ctml/pipeline/row_partition.hpp): every part gets the same model.
[[nodiscard]] fitted_model fit(const ctml::frame<feature_schema>& x, ctml::label_span y, double C,
                               const ctml::row_partition& rows);

}  // namespace credit

// Instantiated in credit_artifact.cpp.
extern template ctml::model_artifact<credit::fitted_model> ctml::load<credit::fitted_model>(
    const std::filesystem::path& path);
extern template ctml::model_artifact<credit::fitted_model> ctml::from_artifact_json<credit::fitted_model>(
    std::string_view text, const std::string& source);
extern template void ctml::save(const credit::fitted_model& model, const std::filesystem::path& path,
                                const ctml::training_statistics& statistics, const ctml::lineage_map& lineage,
                                const std::vector<std::string>& class_names);
extern template std::string ctml::to_artifact_json(const credit::fitted_model& model,
                                                   const ctml::training_statistics& statistics,
                                                   const ctml::lineage_map& lineage,
                                                   const std::vector<std::string>& class_names);

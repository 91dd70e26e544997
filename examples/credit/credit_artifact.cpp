// The credit model's artifact -- save, load and their JSON halves --
// instantiated once for every credit-* program (declared `extern template` in
// credit_model.hpp).
#include <ctml/io/model_artifact.hpp>

#include "credit/credit_model.hpp"

template ctml::model_artifact<credit::fitted_model> ctml::load<credit::fitted_model>(const std::filesystem::path& path);
template ctml::model_artifact<credit::fitted_model> ctml::from_artifact_json<credit::fitted_model>(
    std::string_view text, const std::string& source);
template void ctml::save(const credit::fitted_model& model, const std::filesystem::path& path,
                         const ctml::training_statistics& statistics, const ctml::lineage_map& lineage,
                         const std::vector<std::string>& class_names);
template std::string ctml::to_artifact_json(const credit::fitted_model& model, const ctml::training_statistics& statistics,
                                            const ctml::lineage_map& lineage,
                                            const std::vector<std::string>& class_names);

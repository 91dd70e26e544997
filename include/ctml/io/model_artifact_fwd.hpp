// The model artifact's declarations: what a program that loads or saves
// models it does not instantiate the codec for needs (the <iosfwd> of
// model_artifact.hpp). save, load, to_artifact_json and from_artifact_json are
// declared here; their definitions -- the JSON codec, nlohmann/json and every
// stage's encoder -- are in model_artifact.hpp. A program includes this header
// and links a unit that includes model_artifact.hpp and instantiates them for
// its pipeline (`template ... ctml::load<M>(...)`, with `extern template` in
// the header that names M: examples/credit/credit_model.hpp). A unit that
// includes model_artifact.hpp instantiates them itself.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

#include "ctml/inspection/training_statistics.hpp"

namespace ctml {

template <class In, class Steps>
class fitted_pipeline;

/// The artifact format this build writes, and the newest it reads.
inline constexpr int artifact_format_version = 2;

/// Caller-supplied provenance: data SHA-256, parameters, commit, ...
using lineage_map = std::map<std::string, std::string>;

template <class Fitted>
struct model_artifact {
    Fitted model;
    training_statistics statistics;
    lineage_map lineage;
    std::string library_version;
    int format_version = artifact_format_version;
    /// The label of each encoded class, in code order (["bad", "good"]); empty when not recorded.
    std::vector<std::string> class_names;
};

/// The artifact as JSON text.
template <class In, class... Fitted>
[[nodiscard]] std::string to_artifact_json(const fitted_pipeline<In, std::tuple<Fitted...>>& model,
                                           const training_statistics& statistics, const lineage_map& lineage = {},
                                           const std::vector<std::string>& class_names = {});

/// Reads an artifact from JSON text; `source` names it in error messages.
/// Fitted may be spelled with const or a reference (decltype of a const model): they are ignored.
template <class FittedType, class Fitted = std::remove_cvref_t<FittedType>>
[[nodiscard]] model_artifact<Fitted> from_artifact_json(std::string_view text, const std::string& source);

/// Writes the artifact; the file appears complete or not at all (written beside it, then renamed).
template <class In, class... Fitted>
void save(const fitted_pipeline<In, std::tuple<Fitted...>>& model, const std::filesystem::path& path,
          const training_statistics& statistics, const lineage_map& lineage = {},
          const std::vector<std::string>& class_names = {});

/// Reads and checks the artifact at `path` as a pipeline of type Fitted.
template <class FittedType, class Fitted = std::remove_cvref_t<FittedType>>
[[nodiscard]] model_artifact<Fitted> load(const std::filesystem::path& path);

}  // namespace ctml

// The model a program serves or scores: --model resolved (a file as it is; a
// name, version or stage through the registry, its SHA-256 verified) and
// loaded as the credit model. load_model is compiled once, in
// served_model.cpp: opening the registries is code no program needs twice.
#pragma once

#include <string>
#include <vector>

#include <ctml/io/model_artifact_fwd.hpp>
#include <ctml/ops/model_resolver.hpp>
#include <ctml/ops/workspace.hpp>

#include "credit/credit_model.hpp"

namespace credit {

/// A model named by --model, resolved (and, from the registry, verified) and loaded.
struct served_model {
    ctml::ops::resolved_model resolved;
    ctml::model_artifact<fitted_model> artifact;
    /// Class names in code order; format-1 artifacts did not record them.
    [[nodiscard]] std::vector<std::string> class_names() const {
        return artifact.class_names.empty() ? std::vector<std::string>{"bad", "good"} : artifact.class_names;
    }
};

/// Resolves --model: a file is used as it is; otherwise the registry is opened to look the name up.
[[nodiscard]] served_model load_model(const std::string& model, const ctml::ops::workspace& ws,
                                      const std::string& registry_flag);

}  // namespace credit

// load_model (served_model.hpp), compiled once into credit_model.
#include "credit/served_model.hpp"

#include <filesystem>
#include <memory>
#include <system_error>

#include <ctml/ops/open_registry.hpp>

namespace credit {

served_model load_model(const std::string& model, const ctml::ops::workspace& ws, const std::string& registry_flag) {
    std::unique_ptr<ctml::ops::registry> reg;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(model, ec)) reg = ctml::ops::open_registry(ws, registry_flag);
    auto resolved = ctml::ops::resolve_model(model, ws, reg.get());
    auto artifact = ctml::load<fitted_model>(resolved.path);
    return {std::move(resolved), std::move(artifact)};
}

}  // namespace credit

// invalid_state: what a stage's restore() throws when hyperparameters or
// learned state break one of its invariants -- whether they came from fit or
// from a file. field() names the offending value relative to the stage
// ("state.scale[2]", "params.C", "steps[1]"), so the artifact loader can turn
// it into a path inside the file; what() reads on its own:
//
//   standard_scaler: state.scale[2]: a scale must be positive (zero would divide by zero)
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace ctml {

class invalid_state : public std::invalid_argument {
public:
    invalid_state(std::string_view stage, std::string field, std::string reason)
        : std::invalid_argument(std::string(stage) + ": " + field + ": " + reason),
          field_(std::move(field)), reason_(std::move(reason)) {}

    /// The value at fault, relative to the stage: "params.C", "state.mean[3]".
    [[nodiscard]] const std::string& field() const noexcept { return field_; }
    /// What is wrong with it, without the stage or the field.
    [[nodiscard]] const std::string& reason() const noexcept { return reason_; }

private:
    std::string field_;
    std::string reason_;
};

}  // namespace ctml

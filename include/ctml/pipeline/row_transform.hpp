// How one sample travels through a fitted stage. A stage that keeps named
// columns (simple_imputer) maps a record to a record with transform_row();
// a stage that produces features writes them with transform_row_into() into
// a feature_row whose width is fixed when the stage's width is -- so with
// declared categories the whole trip stays on the stack.
#pragma once

#include <utility>

#include "ctml/pipeline/feature_matrix.hpp"

namespace ctml::detail {

template <class Fitted, class Row>
[[nodiscard]] auto transform_row(const Fitted& stage, const Row& row) {
    if constexpr (requires { stage.transform_row(row); }) {
        return stage.transform_row(row);
    } else {
        feature_row<Fitted::width> out(stage.n_features_out());
        stage.transform_row_into(row, out);
        return out;
    }
}

}  // namespace ctml::detail

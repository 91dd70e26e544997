// The German credit model, declared once for every credit-* program: the
// seed tutorial's preprocessing and estimator.
//
//   numeric  Age, Job, Credit amount, Duration                      -> standard_scaler
//   category Sex, Housing, Saving accounts, Checking account, Purpose -> impute "missing" -> one_hot_encoder
//   then     logistic_regression (C = 1 by default)
//
// Sno is an identifier and Risk the label; neither is routed, so the column
// transformer drops them.
//
// This header declares the model; it includes the fitted estimator's header
// only, so the programs that name the fitted type do not compile the solvers.
// To fit, include <ctml/linear_model/logistic_regression.hpp> too (as
// credit_model.cpp does).
#pragma once

#include <array>

#include <ctml/compose/column_group.hpp>
#include <ctml/compose/column_transformer.hpp>
#include <ctml/linear_model/fitted_logistic_regression.hpp>
#include <ctml/pipeline/pipeline.hpp>
#include <ctml/preprocessing/one_hot_encoder.hpp>
#include <ctml/preprocessing/simple_imputer.hpp>
#include <ctml/preprocessing/standard_scaler.hpp>

#include "credit/credit_schema.hpp"

namespace credit {

[[nodiscard]] inline auto preprocessing() {
    using namespace ctml;
    return column_transformer{
        on<"Age", "Job", "Credit amount", "Duration">("num", standard_scaler{}),
        on<"Sex", "Housing", "Saving accounts", "Checking account", "Purpose">(
            "cat", simple_imputer{.strategy = impute_strategy::constant, .fill_category = "missing"} |
                       one_hot_encoder{})};
}

[[nodiscard]] inline auto model(double C = 1.0) { return preprocessing() | ctml::logistic_regression{.C = C}; }

/// The Statlog documentation's costs, [true][predicted] with bad = 0, good = 1:
/// granting credit to a bad customer costs 5, refusing a good one costs 1.
inline constexpr std::array<std::array<double, 2>, 2> cost_matrix{{{0.0, 5.0}, {1.0, 0.0}}};

}  // namespace credit

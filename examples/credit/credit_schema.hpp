// The German credit data, declared once for every credit-* program.
//
// Column types follow the CSV: integers for the numeric columns, strings for
// the categorical ones, `NA` (missing) allowed only where the data has it.
// `Sno` is a row identifier, never a feature; `Risk` is the label.
#pragma once

#include <cstdint>

#include <ctml/schema/column.hpp>
#include <ctml/schema/schema.hpp>

namespace credit {

using ctml::categorical;
using ctml::column;
using ctml::nullable;

using id_column = column<"Sno", std::int64_t>;
using label_column = column<"Risk", categorical>;

/// The nine feature columns, in the CSV's order.
using feature_schema = ctml::schema<
    column<"Age", std::int64_t>,
    column<"Sex", categorical>,
    column<"Job", std::int64_t>,
    column<"Housing", categorical>,
    column<"Saving accounts", nullable<categorical>>,
    column<"Checking account", nullable<categorical>>,
    column<"Credit amount", std::int64_t>,
    column<"Duration", std::int64_t>,
    column<"Purpose", categorical>>;

/// A labelled row of german_credit_data.csv.
using training_schema = ctml::concat_schema_t<ctml::schema<id_column>,
                                              ctml::concat_schema_t<feature_schema, ctml::schema<label_column>>>;

/// What scoring reads: the identifier and the features.
using scoring_schema = ctml::concat_schema_t<ctml::schema<id_column>, feature_schema>;

}  // namespace credit

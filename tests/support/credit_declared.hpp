// The credit features with every category declared in the type (and "missing"
// declared for the nullable columns, which the imputer fills with it): the
// path on which widths are compile-time constants and single-record scoring
// allocates nothing. The categories are listed in sorted order, so the model
// equals the learned-categories one feature for feature.
#pragma once

#include <cstdint>

#include <ctml/ctml.hpp>

namespace test_support {

using ctml::categories;
using ctml::column;
using ctml::nullable;

using declared_credit_schema = ctml::schema<
    column<"Age", std::int64_t>,
    column<"Sex", categories<"female", "male">>,
    column<"Job", std::int64_t>,
    column<"Housing", categories<"free", "own", "rent">>,
    column<"Saving accounts", nullable<categories<"little", "missing", "moderate", "quite rich", "rich">>>,
    column<"Checking account", nullable<categories<"little", "missing", "moderate", "rich">>>,
    column<"Credit amount", std::int64_t>,
    column<"Duration", std::int64_t>,
    column<"Purpose", categories<"business", "car", "domestic appliances", "education", "furniture/equipment",
                                 "radio/TV", "repairs", "vacation/others">>>;

}  // namespace test_support

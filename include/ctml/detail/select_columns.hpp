#pragma once

// Sub-records by schema type (frames have frame::select<Schema>()).

#include <type_traits>

#include "ctml/schema/record.hpp"

namespace ctml::detail {

template <class Sub, class S>
record<Sub> select_record(const record<S>& r) {
    return r.template select<Sub>();
}

}  // namespace ctml::detail

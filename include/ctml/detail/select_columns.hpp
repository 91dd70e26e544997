#pragma once

// Sub-records by schema type (frames have frame::select<Schema>()).

#include <type_traits>

#include "ctml/schema/record.hpp"

namespace ctml::detail {

template <class Sub, class S>
record<Sub> select_record(const record<S>& r) {
    record<Sub> out;
    for_each_column_index<Sub>(
        [&](auto j) { out.template get_at<j>() = r.template get<Sub::template column_at<j>::name>(); });
    return out;
}

}  // namespace ctml::detail

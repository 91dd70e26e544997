#pragma once

// Sub-frames and sub-records by schema type, for when the wanted columns are
// a computed schema (a column_transformer's remainder) rather than a name list.

#include <type_traits>

#include "ctml/schema/frame.hpp"
#include "ctml/schema/record.hpp"

namespace ctml::detail {

template <class Sub, class S>
frame<Sub> select_schema(const frame<S>& x) {
    return [&]<class... Picked>(std::type_identity<schema<Picked...>>) {
        return frame<Sub>(x.template column<Picked::name>()...);
    }(std::type_identity<Sub>{});
}

template <class Sub, class S>
record<Sub> select_record(const record<S>& r) {
    record<Sub> out;
    for_each_column_index<Sub>(
        [&](auto j) { out.template get_at<j>() = r.template get<Sub::template column_at<j>::name>(); });
    return out;
}

}  // namespace ctml::detail

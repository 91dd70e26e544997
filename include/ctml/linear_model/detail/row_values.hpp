// One double per row, in the order a row source visits its rows, in memory
// from huge pages: at 1,000,000 rows a fresh 8 MB array is otherwise ~25 ms
// of page faults on the virtual machines this runs on (huge_page_allocator.hpp).
#pragma once

#include <vector>

#include <Eigen/Core>

#include "ctml/detail/huge_page_allocator.hpp"

namespace ctml::detail {

using row_values = std::vector<double, huge_page_allocator<double>>;

[[nodiscard]] inline Eigen::Map<const Eigen::ArrayXd> as_array(const row_values& v) noexcept {
    return {v.data(), static_cast<Eigen::Index>(v.size())};
}

}  // namespace ctml::detail

#pragma once

namespace ctml::detail {
// Delays a static_assert until a template is instantiated with the offending
// arguments, so the diagnostic shows them.
template <class... T>
inline constexpr bool always_false = false;
}  // namespace ctml::detail

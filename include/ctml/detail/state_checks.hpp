// The checks restore() functions share, each failing with an invalid_state
// that names the field: "state.var[2]: a variance cannot be negative".
#pragma once

#include <cmath>
#include <cstddef>
#include <string>
#include <string_view>

#include <Eigen/Core>

#include "ctml/pipeline/invalid_state.hpp"

namespace ctml::detail {

class state_checks {
public:
    explicit constexpr state_checks(std::string_view stage) noexcept : stage_(stage) {}

    [[noreturn]] void fail(std::string field, std::string reason) const {
        throw invalid_state(stage_, std::move(field), std::move(reason));
    }

    static std::string at(std::string_view field, Eigen::Index k) {
        return std::string(field) + "[" + std::to_string(k) + "]";
    }

    /// `values` holds as many entries as `reference` (the first array of the state decides).
    template <class A, class B>
    void same_length(const Eigen::DenseBase<A>& values, std::string_view field, const Eigen::DenseBase<B>& reference,
                     std::string_view reference_field) const {
        if (values.size() != reference.size())
            fail(std::string(field), "has " + std::to_string(values.size()) + " values but " +
                                         std::string(reference_field) + " has " + std::to_string(reference.size()));
    }

    template <class A>
    void finite(const Eigen::DenseBase<A>& values, std::string_view field) const {
        for (Eigen::Index k = 0; k < values.size(); ++k)
            if (!std::isfinite(values(k))) fail(at(field, k), "must be a finite number");
    }

    template <class A>
    void not_empty(const Eigen::DenseBase<A>& values, std::string_view field) const {
        if (values.size() == 0) fail(std::string(field), "needs at least one value");
    }

private:
    std::string_view stage_;
};

}  // namespace ctml::detail

// A large data set made from the bundled one: rows drawn with replacement
// (splitmix64, fixed seed) and each numeric value jittered by a uniform
// amount in [-0.5, 0.5), so that rows are distinct and the scaler and the
// solver see realistic, non-repeating numbers. Numeric columns are doubles.
// Shared by the 1M-row test (tests/linear_model/test_large_fit.cpp) and the
// benchmark (bench/credit_bench.cpp), so both fit exactly the same data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include <ctml/ctml.hpp>
#include <ctml/detail/splitmix64.hpp>

#include "credit/credit_schema.hpp"

namespace credit {

using resampled_schema = ctml::schema<
    ctml::column<"Age", double>, ctml::column<"Sex", ctml::categorical>, ctml::column<"Job", double>,
    ctml::column<"Housing", ctml::categorical>, ctml::column<"Saving accounts", ctml::nullable<ctml::categorical>>,
    ctml::column<"Checking account", ctml::nullable<ctml::categorical>>, ctml::column<"Credit amount", double>,
    ctml::column<"Duration", double>, ctml::column<"Purpose", ctml::categorical>>;

struct resampled_credit {
    ctml::frame<resampled_schema> x;
    std::vector<int> y;
};

/// `rows` rows drawn from `data` (with `labels`, its encoded Risk), numeric columns jittered.
inline resampled_credit resample_credit(const ctml::frame<training_schema>& data, std::span<const int> labels,
                                        std::size_t rows, std::uint64_t seed = 42) {
    ctml::detail::splitmix64 random(seed);
    const auto jitter = [&] { return static_cast<double>(random.next() >> 11) * 0x1.0p-53 - 0.5; };
    ctml::frame_builder<resampled_schema> builder;
    builder.reserve(rows);
    resampled_credit out;
    out.y.reserve(rows);
    for (std::size_t i = 0; i < rows; ++i) {
        const auto r = static_cast<std::size_t>(random.below(data.rows()));
        const auto source = data.row(r);
        ctml::record<resampled_schema> row;
        row.get<"Age">() = static_cast<double>(source.get<"Age">()) + jitter();
        row.get<"Sex">() = source.get<"Sex">();
        row.get<"Job">() = static_cast<double>(source.get<"Job">()) + jitter();
        row.get<"Housing">() = source.get<"Housing">();
        row.get<"Saving accounts">() = source.get<"Saving accounts">();
        row.get<"Checking account">() = source.get<"Checking account">();
        row.get<"Credit amount">() = static_cast<double>(source.get<"Credit amount">()) + jitter();
        row.get<"Duration">() = static_cast<double>(source.get<"Duration">()) + jitter();
        row.get<"Purpose">() = source.get<"Purpose">();
        builder.push_back(row);
        out.y.push_back(labels[r]);
    }
    out.x = std::move(builder).finish();
    return out;
}

}  // namespace credit

#pragma once

// The one source of randomness in ctml, spelled out so results are the same
// on every standard library: std::shuffle and the std distributions are
// implementation-defined.
//
// SplitMix64 (Steele, Lea, Flood 2014; the seeding generator of xoshiro):
//   state += 0x9E3779B97F4A7C15
//   z = state; z = (z ^ z>>30)·0xBF58476D1CE4E5B9; z = (z ^ z>>27)·0x94D049BB133111EB
//   return z ^ z>>31
// A value below n comes from Lemire's multiply-shift with rejection (2019),
// exactly uniform. Shuffles are Fisher–Yates from the last position down.

#include <cstddef>
#include <cstdint>
#include <tuple>
#include <utility>
#include <vector>

namespace ctml::detail {

class splitmix64 {
public:
    explicit constexpr splitmix64(std::uint64_t seed) noexcept : state_(seed) {}

    constexpr std::uint64_t next() noexcept {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }

    /// Uniform in [0, n); n > 0.
    constexpr std::uint64_t below(std::uint64_t n) noexcept {
        auto [high, low] = multiply(next(), n);
        if (low < n) {
            const std::uint64_t threshold = (0 - n) % n;
            while (low < threshold) std::tie(high, low) = multiply(next(), n);
        }
        return high;
    }

    template <class T>
    constexpr void shuffle(std::vector<T>& v) noexcept {
        for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[below(i)]);
    }

private:
    /// The full 128-bit product as (high, low) words, in portable C++.
    static constexpr std::pair<std::uint64_t, std::uint64_t> multiply(std::uint64_t a, std::uint64_t b) noexcept {
        const std::uint64_t a_lo = a & 0xFFFFFFFFULL, a_hi = a >> 32, b_lo = b & 0xFFFFFFFFULL, b_hi = b >> 32;
        const std::uint64_t lo_lo = a_lo * b_lo, hi_lo = a_hi * b_lo, lo_hi = a_lo * b_hi, hi_hi = a_hi * b_hi;
        const std::uint64_t cross = (lo_lo >> 32) + (hi_lo & 0xFFFFFFFFULL) + lo_hi;
        return {hi_hi + (hi_lo >> 32) + (cross >> 32), (cross << 32) | (lo_lo & 0xFFFFFFFFULL)};
    }

    std::uint64_t state_;
};

}  // namespace ctml::detail

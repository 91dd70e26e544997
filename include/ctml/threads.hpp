// How many threads the library's row-block loops use (fitting a logistic
// regression today). Results never depend on it: every loop computes one
// partial sum per block of rows and adds the partials in block order, so one
// thread and sixteen give the same numbers, bit for bit. That is why it is a
// process setting and not a model parameter -- it is not recorded in the
// artifact, and a model fitted on a laptop and on a server is the same model.
//
//   ctml::set_threads(4);   // 0 (the default): all cores
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace ctml {

namespace detail {
inline std::atomic<int>& thread_setting() noexcept {
    static std::atomic<int> setting{0};
    return setting;
}
}  // namespace detail

/// Use n threads for row-block loops; 0 means all cores.
inline void set_threads(int n) {
    if (n < 0) throw std::invalid_argument("ctml::set_threads: " + std::to_string(n) + " threads; use 0 for all cores");
    detail::thread_setting().store(n);
}

/// The number of threads row-block loops use (at least 1).
[[nodiscard]] inline int threads() noexcept {
    const int n = detail::thread_setting().load();
    if (n > 0) return n;
    return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

namespace detail {

/// Calls f(b) for every b in [0, n_blocks), on up to threads() threads; blocks
/// are handed out one at a time, so uneven blocks balance. The first exception
/// thrown by any f is rethrown here once every thread has stopped.
template <class F>
void parallel_for_blocks(std::size_t n_blocks, F&& f) {
    const std::size_t n_threads = std::min(static_cast<std::size_t>(threads()), n_blocks);
    if (n_threads <= 1) {
        for (std::size_t b = 0; b < n_blocks; ++b) f(b);
        return;
    }
    std::atomic<std::size_t> next{0};
    std::atomic<bool> failed{false};
    std::exception_ptr error;
    std::mutex error_mutex;
    const auto work = [&] {
        try {
            for (std::size_t b; !failed.load(std::memory_order_relaxed) && (b = next.fetch_add(1)) < n_blocks;) f(b);
        } catch (...) {
            const std::lock_guard lock(error_mutex);
            if (!error) error = std::current_exception();
            failed = true;
        }
    };
    {
        std::vector<std::jthread> pool;
        pool.reserve(n_threads - 1);
        for (std::size_t t = 1; t < n_threads; ++t) pool.emplace_back(work);
        work();
    }
    if (error) std::rethrow_exception(error);
}

}  // namespace detail
}  // namespace ctml

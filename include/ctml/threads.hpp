// How many threads the library's row-block loops use (fitting a logistic
// regression, planning a CSV's blocks). Results never depend on it: every
// loop computes one partial sum per block of rows and adds the partials in block order, so one
// thread and sixteen give the same numbers, bit for bit. That is why it is a
// process setting and not a model parameter -- it is not recorded in the
// artifact, and a model fitted on a laptop and on a server is the same model.
//
//   ctml::set_threads(4);   // 0 (the default): all cores
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
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
    // Asked once: glibc answers hardware_concurrency() by reading /sys, three system calls
    // that cost more than summing an 800-row block.
    static const int cores = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
    return cores;
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

/// A parallel map whose output is the sequential one: on threads() worker
/// threads, each worker -- made once per thread by make_worker(), so it can
/// keep its buffers from block to block -- fills a Result for block b with
/// worker(b, result); the calling thread hands them to consume(result) in
/// block order. There are `window` Results, reused round robin, so at most
/// that many blocks are in memory however many there are, and a Result's
/// buffers keep their capacity (clear, do not shrink, in worker). An exception
/// from worker(b, …) is rethrown here when the consumer reaches block b
/// (after every earlier block was consumed, before any later one), so the
/// error reported is the one a sequential loop would report; an exception
/// from consume stops the workers and is rethrown.
template <class Result, class MakeWorker, class Consume>
void map_blocks_in_order(std::size_t n_blocks, std::size_t window, MakeWorker&& make_worker, Consume&& consume) {
    const auto n_threads = std::min(static_cast<std::size_t>(threads()), n_blocks);
    if (n_threads <= 1) {
        auto worker = make_worker();
        Result result;
        for (std::size_t b = 0; b < n_blocks; ++b) {
            worker(b, result);
            consume(result);
        }
        return;
    }
    window = std::max(window, n_threads);
    struct slot {
        Result result;
        std::exception_ptr error;
        bool ready = false;
    };
    // Block b is made in slots[b % window]. A worker claims block b only once
    // the consumer is done with block b - window, so between the claim and
    // `ready` the slot is the worker's alone, and after it the consumer's.
    std::vector<slot> slots(window);
    std::mutex mutex;
    std::condition_variable made, taken;
    std::size_t next_block = 0;  // the next block a worker claims
    std::size_t consumed = 0;    // blocks before this one are done with
    bool stop = false;
    const auto work = [&] {
        std::optional<std::invoke_result_t<MakeWorker&>> worker;
        for (;;) {
            std::size_t b;
            {
                std::unique_lock lock(mutex);
                taken.wait(lock, [&] { return stop || next_block == n_blocks || next_block < consumed + window; });
                if (stop || next_block == n_blocks) return;
                b = next_block++;
            }
            auto& s = slots[b % window];
            try {
                if (!worker) worker.emplace(make_worker());
                (*worker)(b, s.result);
            } catch (...) {
                s.error = std::current_exception();
            }
            {
                const std::lock_guard lock(mutex);
                s.ready = true;
            }
            made.notify_all();
        }
    };
    // Declared in this order so that, however the consumer leaves, the workers
    // are told to stop before they are joined.
    std::vector<std::jthread> pool;
    struct stop_on_exit {
        std::mutex& mutex;
        bool& stop;
        std::condition_variable& taken;
        ~stop_on_exit() {
            {
                const std::lock_guard lock(mutex);
                stop = true;
            }
            taken.notify_all();
        }
    } stopper{mutex, stop, taken};
    pool.reserve(n_threads);
    for (std::size_t t = 0; t < n_threads; ++t) pool.emplace_back(work);
    for (std::size_t b = 0; b < n_blocks; ++b) {
        auto& s = slots[b % window];
        {
            std::unique_lock lock(mutex);
            made.wait(lock, [&] { return s.ready; });
        }
        if (s.error) std::rethrow_exception(s.error);
        consume(s.result);
        {
            const std::lock_guard lock(mutex);
            s.ready = false;
            consumed = b + 1;
        }
        taken.notify_all();
    }
}

}  // namespace ctml

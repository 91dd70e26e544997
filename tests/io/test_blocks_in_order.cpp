// map_blocks_in_order (ctml/threads.hpp), the ordered parallel map that
// credit-score reads a file's blocks with: results arrive in block order on
// the calling thread whatever the threads do, no more than `window` are made
// ahead, each worker is made once per thread, and an error surfaces where a
// sequential loop would meet it. (Here with the I/O tests: it exists so that
// files can be read in blocks on threads.)
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <ctml/threads.hpp>

namespace {

struct threads_for_this_test {
    explicit threads_for_this_test(int n) { ctml::set_threads(n); }
    ~threads_for_this_test() { ctml::set_threads(0); }
};

struct block_result {
    std::size_t block = 0;
    std::string text;
};

}  // namespace

TEST_CASE("map_blocks_in_order consumes in block order, with a bounded window and one worker per thread",
          "[threads]") {
    for (int threads : {1, 2, 3, 8}) {
        for (std::size_t window : {1, 2, 5}) {
            INFO(threads << " threads, window " << window);
            const threads_for_this_test use(threads);
            std::atomic<std::size_t> consumed{0}, workers{0}, furthest_ahead{0};
            std::mutex ids_mutex;
            std::set<std::thread::id> worker_threads;
            std::vector<std::size_t> order;
            std::set<const void*> result_objects;
            const std::size_t blocks = 200;
            ctml::map_blocks_in_order<block_result>(
                blocks, window,
                [&] {
                    ++workers;
                    {
                        const std::lock_guard lock(ids_mutex);
                        worker_threads.insert(std::this_thread::get_id());
                    }
                    return [&](std::size_t b, block_result& out) {
                        // Uneven work, so blocks finish out of order.
                        if (b % 7 == 0) std::this_thread::sleep_for(std::chrono::microseconds(200));
                        const auto ahead = b - consumed.load();
                        for (auto seen = furthest_ahead.load(); ahead > seen && !furthest_ahead.compare_exchange_weak(seen, ahead);) {
                        }
                        out.block = b;
                        out.text.assign(b % 13, 'x');  // reuses the slot's capacity
                    };
                },
                [&](block_result& r) {
                    order.push_back(r.block);
                    CHECK(r.text.size() == r.block % 13);
                    result_objects.insert(&r);
                    ++consumed;
                });
            std::vector<std::size_t> expected(blocks);
            for (std::size_t b = 0; b < blocks; ++b) expected[b] = b;
            CHECK(order == expected);
            CHECK(workers.load() == worker_threads.size());  // one worker per thread that did work
            CHECK(workers.load() <= static_cast<std::size_t>(threads));
            const auto slots = threads == 1 ? 1 : std::max<std::size_t>(window, static_cast<std::size_t>(threads));
            CHECK(result_objects.size() <= slots);        // results are reused round robin
            CHECK(furthest_ahead.load() < slots);          // never more than the window ahead
        }
    }
}

TEST_CASE("map_blocks_in_order reports the first failing block in order, after the blocks before it", "[threads]") {
    for (int threads : {1, 2, 4}) {
        INFO(threads << " threads");
        const threads_for_this_test use(threads);
        std::vector<std::size_t> order;
        try {
            ctml::map_blocks_in_order<block_result>(
                100, 4,
                [] {
                    return [](std::size_t b, block_result& out) {
                        // Block 60 fails late, block 41 fails early: 41 is the one reported.
                        if (b == 60) throw std::runtime_error("block 60");
                        if (b == 41) {
                            std::this_thread::sleep_for(std::chrono::milliseconds(2));
                            throw std::runtime_error("block 41");
                        }
                        out.block = b;
                    };
                },
                [&](block_result& r) { order.push_back(r.block); });
            FAIL("no error");
        } catch (const std::runtime_error& e) {
            CHECK(std::string(e.what()) == "block 41");
        }
        REQUIRE(order.size() == 41);
        CHECK(order.back() == 40);
    }
}

TEST_CASE("map_blocks_in_order stops the workers when the consumer throws", "[threads]") {
    const threads_for_this_test use(3);
    std::atomic<std::size_t> made{0};
    try {
        ctml::map_blocks_in_order<block_result>(
            10000, 6, [&] { return [&](std::size_t b, block_result& out) { out.block = b, ++made; }; },
            [](block_result& r) {
                if (r.block == 10) throw std::logic_error("the disk is full");
            });
        FAIL("no error");
    } catch (const std::logic_error& e) {
        CHECK(std::string(e.what()) == "the disk is full");
    }
    CHECK(made.load() <= 11 + 6);  // the window bounds what was made past the failure
}

// thread_parts: a row_partition whose parts are threads of one test, so the
// combining every stage does for MPI ranks is tested without MPI, under the
// sanitizers, in one process. run(f) calls f(part, index) on K threads at
// once; each part's all-gathers meet at a barrier, as ranks meet in MPI.
#pragma once

#include <barrier>
#include <cstddef>
#include <exception>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <ctml/pipeline/row_partition.hpp>

namespace test_support {

class thread_parts {
public:
    explicit thread_parts(std::size_t parts)
        : parts_(parts), meet_(static_cast<std::ptrdiff_t>(parts)), doubles_(parts), strings_(parts) {}

    class part final : public ctml::row_partition {
    public:
        part(thread_parts& all, std::size_t index) : all_(&all), index_(index) {}
        [[nodiscard]] std::size_t parts() const noexcept override { return all_->parts_; }
        [[nodiscard]] std::vector<std::vector<double>> all_gather(std::span<const double> mine) const override {
            return all_->exchange(all_->doubles_, index_, std::vector<double>(mine.begin(), mine.end()));
        }
        [[nodiscard]] std::vector<std::vector<std::string>> all_gather(std::span<const std::string> mine) const override {
            return all_->exchange(all_->strings_, index_, std::vector<std::string>(mine.begin(), mine.end()));
        }

    private:
        thread_parts* all_;
        std::size_t index_;
    };

    /// f(part, index) on every part at once; the results in part order. An exception
    /// thrown on any part is rethrown here (the first part's first).
    template <class F>
    auto run(F f) {
        using result = decltype(f(std::declval<part&>(), std::size_t{}));
        std::vector<std::optional<result>> results(parts_);
        std::vector<std::exception_ptr> errors(parts_);
        std::vector<std::thread> threads;
        for (std::size_t p = 0; p < parts_; ++p)
            threads.emplace_back([&, p] {
                part mine(*this, p);
                try {
                    results[p].emplace(f(mine, p));
                } catch (...) {
                    errors[p] = std::current_exception();
                }
            });
        for (auto& t : threads) t.join();
        for (const auto& e : errors)
            if (e) std::rethrow_exception(e);
        std::vector<result> out;
        for (auto& r : results) out.push_back(std::move(*r));
        return out;
    }

private:
    template <class T>
    std::vector<std::vector<T>> exchange(std::vector<std::vector<T>>& slots, std::size_t index, std::vector<T> mine) {
        slots[index] = std::move(mine);
        meet_.arrive_and_wait();
        auto all = slots;
        meet_.arrive_and_wait();  // no part overwrites its slot before every part has read them all
        return all;
    }

    std::size_t parts_;
    std::barrier<> meet_;
    std::vector<std::vector<double>> doubles_;
    std::vector<std::vector<std::string>> strings_;
};

}  // namespace test_support

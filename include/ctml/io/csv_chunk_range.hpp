// csv_chunk_range<Schema>: a CSV file as a sequence of frames of at most
// csv_options::chunk_rows rows each, read as the loop asks for them, so a file
// of any size is processed in constant memory -- pandas'
// `pd.read_csv(path, chunksize=n)`.
//
//   for (const auto& chunk : ctml::read_csv_chunks<credit::scoring_schema>("big.csv", {.chunk_rows = 10000}))
//       score(chunk);
//
// It is a single-pass input range (std::ranges::input_range). Each chunk is an
// independent frame: learned vocabularies start afresh in every chunk, so a
// category's code may differ between chunks -- compare values, not codes, or
// map codes through a fitted stage. Header errors throw from
// read_csv_chunks; errors in the rows throw from begin() or ++ on the chunk
// that holds them, after the earlier chunks were delivered.
//
// Examples: the loop above; tests/io/test_csv_chunks.cpp.
#pragma once

#include <cstddef>
#include <filesystem>
#include <istream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ctml/io/csv_options.hpp"
#include "ctml/io/csv_reader.hpp"
#include "ctml/schema/frame.hpp"

namespace ctml {

template <schema_type S>
class csv_chunk_range {
    struct state {
        csv_reader<S> reader;
        std::optional<frame<S>> current;
        bool started = false;

        void advance() { current = reader.read(reader.options().chunk_rows); }
    };

public:
    class iterator {
    public:
        using value_type = frame<S>;
        using difference_type = std::ptrdiff_t;
        using iterator_concept = std::input_iterator_tag;

        iterator() = default;

        /// The chunk is the caller's to keep: moving it out is fine.
        [[nodiscard]] frame<S>& operator*() const noexcept { return *state_->current; }
        [[nodiscard]] frame<S>* operator->() const noexcept { return &*state_->current; }

        iterator& operator++() {
            state_->advance();
            return *this;
        }
        void operator++(int) { ++*this; }

        [[nodiscard]] friend bool operator==(const iterator& it, std::default_sentinel_t) noexcept {
            return !it.state_->current;
        }

    private:
        friend class csv_chunk_range;
        explicit iterator(state* s) noexcept : state_(s) {}
        state* state_ = nullptr;
    };

    /// The rows `reader` has not yet read, options().chunk_rows at a time, read as the loop asks.
    explicit csv_chunk_range(csv_reader<S> reader)
        : state_(std::make_unique<state>(state{std::move(reader), std::nullopt})) {}

    /// Reads the first chunk. Iterating is single-pass: a second begin() continues where the first left off.
    [[nodiscard]] iterator begin() {
        if (!state_->started) {
            state_->started = true;
            state_->advance();
        }
        return iterator(state_.get());
    }
    [[nodiscard]] std::default_sentinel_t end() const noexcept { return {}; }

    /// The header's names as read.
    [[nodiscard]] const std::vector<std::string>& header() const noexcept { return state_->reader.header(); }

private:
    // Behind a pointer so that moving the range leaves its iterators valid.
    std::unique_ptr<state> state_;
};

/// A CSV file as frames of at most options.chunk_rows rows each.
template <schema_type S>
[[nodiscard]] csv_chunk_range<S> read_csv_chunks(const std::filesystem::path& path, const csv_options& options = {}) {
    return csv_chunk_range<S>(csv_reader<S>(path, options));
}

/// A stream as frames of at most options.chunk_rows rows; `in` must outlive the range.
template <schema_type S>
[[nodiscard]] csv_chunk_range<S> read_csv_chunks(std::istream& in, std::string source_name = "<stream>",
                                                 const csv_options& options = {}) {
    return csv_chunk_range<S>(csv_reader<S>(in, std::move(source_name), options));
}

}  // namespace ctml

// csv_row_view<Schema>: a csv_record_reader as a range-v3 input view, so a
// stream of rows composes with views::chunk, views::transform and views::join
// like any other range. Each element is a row: its line, and either its
// values or the problem that kept it from fitting the schema.
//
//   csv_record_reader<credit::scoring_schema> reader(std::cin, "<stdin>");
//   for (const auto& row : ctml::csv_row_view(reader))
//       if (!row.problem) score(row.values);
//
// The view is single-pass and holds only a pointer to the reader, which must
// outlive it; begin() reads the first row (call it once). Dereferencing gives
// the reader's current row by reference, valid until the next increment:
// copy what you keep, so the view costs no copy a hand-written loop would not
// make. Input that is not CSV at all throws csv_error, as
// csv_record_reader::next() does: from ++, or, for the first row, from the
// first comparison with end() -- not from begin(), because range-v3's chunk
// view calls begin() from a noexcept function, where a throw would
// terminate the program. With views::chunk, each chunk is an input
// range over the same reader: copy its rows out before scoring them.
//
// Example: examples/credit/score.cpp.
#pragma once

#include <exception>
#include <type_traits>
#include <utility>

#include <range/v3/view/facade.hpp>

#include "ctml/io/csv_record_reader.hpp"
#include "ctml/schema/schema.hpp"

namespace ctml {

template <schema_type S>
class csv_row_view : public ranges::view_facade<csv_row_view<S>, ranges::unknown> {
public:
    using row = typename csv_record_reader<S>::row;

    csv_row_view() = default;
    explicit csv_row_view(csv_record_reader<S>& reader) noexcept : reader_(&reader) {}

private:
    friend ranges::range_access;

    class cursor {
    public:
        using single_pass = std::true_type;

        cursor() = default;
        explicit cursor(csv_record_reader<S>* reader) noexcept : reader_(reader) {}

        [[nodiscard]] const row& read() const noexcept { return reader_->current_row(); }
        void next() { more_ = reader_->next(); }
        [[nodiscard]] bool equal(ranges::default_sentinel_t) const {
            if (first_row_error_) std::rethrow_exception(std::exchange(first_row_error_, nullptr));
            return !more_;
        }

    private:
        friend csv_row_view;
        csv_record_reader<S>* reader_ = nullptr;
        bool more_ = false;
        mutable std::exception_ptr first_row_error_;  ///< thrown by the first comparison with end()
    };

    [[nodiscard]] cursor begin_cursor() const noexcept {
        cursor first(reader_);
        try {
            first.next();
        } catch (...) {
            first.first_row_error_ = std::current_exception();
        }
        return first;
    }

    csv_record_reader<S>* reader_ = nullptr;
};

template <schema_type S>
csv_row_view(csv_record_reader<S>&) -> csv_row_view<S>;

}  // namespace ctml

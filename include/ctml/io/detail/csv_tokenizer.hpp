// csv_tokenizer: cuts a byte stream into records of fields (RFC 4180), the
// untyped half of ctml's CSV reader.
//
// Bytes are read in blocks into one buffer and fields are string_views into
// it, so the hot path copies nothing and allocates nothing; a quoted field
// with doubled quotes is collapsed in place. A record cut by the end of a
// block is scanned again once the next block is in, which costs one record
// per block and keeps the state machine a plain loop.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <istream>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "ctml/io/csv_error.hpp"
#include "ctml/io/csv_options.hpp"

namespace ctml::detail {

struct csv_field {
    const char* data = nullptr;
    std::size_t size = 0;
    std::size_t line = 0;  // the physical line the field starts on
    bool quoted = false;
    bool escaped = false;  // held doubled quotes (collapsed once the record is complete)

    [[nodiscard]] std::string_view view() const noexcept { return {data, size}; }
};

/// Line breaks in [p, e): LF, CRLF and a lone CR each end a line (how the
/// tokenizer numbers lines, and csv_partition.hpp with it).
[[nodiscard]] inline std::size_t count_line_breaks(const char* p, const char* e) noexcept {
    std::size_t n = 0;
    for (; p != e; ++p)
        if (*p == '\n' || (*p == '\r' && (p + 1 == e || p[1] != '\n'))) ++n;
    return n;
}

class csv_tokenizer {
public:
    csv_tokenizer(std::istream& in, std::string source, const csv_options& options)
        : in_(&in),
          source_(std::move(source)),
          block_bytes_(options.block_bytes),
          max_record_bytes_(options.max_record_bytes),
          delimiter_(options.delimiter),
          quote_(options.quote),
          trim_(options.trim_whitespace) {
        stop_[static_cast<unsigned char>(delimiter_)] = true;
        stop_[static_cast<unsigned char>('\n')] = true;
        stop_[static_cast<unsigned char>('\r')] = true;
        // Small inputs (a request body, a test) should not pay for a full block:
        // the buffer starts small and grows to block_bytes while the input keeps coming.
        capacity_ = std::max<std::size_t>(std::min<std::size_t>(block_bytes_, 1 << 16), 4);
        buffer_ = std::make_unique_for_overwrite<char[]>(capacity_);
        while (end_ < 3 && !eof_) refill();
        if (end_ >= 3 && std::memcmp(buffer_.get(), "\xEF\xBB\xBF", 3) == 0) begin_ = 3;  // UTF-8 BOM
    }

    /// Reads the next record that is not a blank line into fields(); false at the end of the input.
    bool next() {
        for (;;) {
            switch (trim_ ? scan<true>() : scan<false>()) {
                case scan_result::end:
                    return false;
                case scan_result::need_more:
                    refill();
                    break;
                case scan_result::record:
                    if (count_ == 1 && fields_[0].size == 0 && !fields_[0].quoted) break;  // blank line
                    if (escaped_)
                        for (std::size_t i = 0; i < count_; ++i)
                            if (fields_[i].escaped) collapse_quotes(fields_[i]);
                    return true;
            }
        }
    }

    /// The fields of the record last read by next(); valid until the next call.
    [[nodiscard]] std::span<const csv_field> fields() const noexcept { return {fields_.data(), count_}; }

    /// Bytes consumed so far, up to the end of the record last read.
    [[nodiscard]] std::uint64_t consumed() const noexcept { return discarded_ + begin_; }

    /// The line the record last read by next() starts on.
    [[nodiscard]] std::size_t record_line() const noexcept { return record_line_; }
    /// Numbers the lines from here on as if the next record started on `line`:
    /// for input that is one byte range of a larger file.
    void set_next_line(std::size_t line) noexcept { next_line_ = line; }
    [[nodiscard]] const std::string& source() const noexcept { return source_; }

    /// Names used in errors raised while scanning (the header, once it is known).
    void set_column_names(std::vector<std::string> names) { names_ = std::move(names); }
    [[nodiscard]] std::string column_name(std::size_t field_index) const {
        return field_index < names_.size() ? names_[field_index] : std::string();
    }

private:
    enum class scan_result { record, need_more, end };

    template <bool Trim>
    [[nodiscard]] static bool is_blank(char c) noexcept {
        return Trim && (c == ' ' || c == '\t');
    }

    // One record from begin_, or need_more when the buffer ends inside it and more input may follow.
    // Trim is a template parameter so the common case carries no whitespace checks at all.
    // Members are copied into locals: stores into the field array could otherwise alias
    // them, and the compiler would reload each one after every field.
    template <bool Trim>
    scan_result scan() {
        count_ = 0;
        pending_quote_line_ = 0;
        escaped_ = false;
        char* const base = buffer_.get();
        const char* p = base + begin_;
        const char* const end = base + end_;
        const bool eof = eof_;
        const char delimiter = delimiter_;
        const char quote = quote_;
        if (p == end) return eof ? scan_result::end : scan_result::need_more;
        std::size_t line = next_line_;
        const std::size_t first_line = line;
        csv_field* out = fields_.data();
        stop_window window;
        std::size_t count = 0;
        std::size_t capacity = fields_.size();
        bool escaped = false;
        for (;;) {
            if constexpr (Trim)
                while (p != end && is_blank<Trim>(*p)) ++p;
            csv_field field{nullptr, 0, line, false, false};
            if (p != end && *p == quote) {
                const std::size_t open_line = line;
                const char* content = ++p;
                for (;;) {
                    const auto* q = static_cast<const char*>(std::memchr(p, quote, static_cast<std::size_t>(end - p)));
                    if (q == nullptr) {
                        if (!eof) {
                            pending_quote_line_ = open_line;
                            return scan_result::need_more;
                        }
                        throw csv_error(source_, open_line, column_name(count),
                                        "unterminated quoted field: the quote opened on line " +
                                            std::to_string(open_line) + " is never closed");
                    }
                    line += count_line_breaks(p, q);
                    if (q + 1 == end && !eof) {
                        pending_quote_line_ = open_line;
                        return scan_result::need_more;  // a closing quote, or the first of a doubled pair?
                    }
                    if (q + 1 != end && q[1] == quote) {
                        field.escaped = escaped = true;
                        p = q + 2;
                        continue;
                    }
                    field.data = content;
                    field.size = static_cast<std::size_t>(q - content);
                    field.quoted = true;
                    p = q + 1;
                    break;
                }
                if constexpr (Trim)
                    while (p != end && is_blank<Trim>(*p)) ++p;
                if (p == end && !eof) return scan_result::need_more;
                if (p != end && *p != delimiter && *p != '\n' && *p != '\r')
                    throw csv_error(source_, line, column_name(count),
                                    "expected a delimiter or the end of the line after a closing quote, found \"" +
                                        csv_printable(std::string_view(p, 1)) + "\"");
            } else {
                const char* start = p;
                p = find_stop(p, end, window);
                if (p == end && !eof) return scan_result::need_more;
                const char* stop = p;
                if constexpr (Trim)
                    while (stop != start && is_blank<Trim>(stop[-1])) --stop;
                field.data = start;
                field.size = static_cast<std::size_t>(stop - start);
            }
            if (count == capacity) {
                fields_.resize(2 * capacity + 16);
                out = fields_.data();
                capacity = fields_.size();
            }
            out[count++] = field;

            if (p == end) break;  // the last line has no line break
            if (*p == delimiter) {
                ++p;
                continue;
            }
            if (*p == '\r') {
                if (p + 1 == end && !eof) return scan_result::need_more;  // CR now, LF in the next block?
                ++p;
                if (p != end && *p == '\n') ++p;
            } else {
                ++p;
            }
            break;
        }
        begin_ = static_cast<std::size_t>(p - base);
        count_ = count;
        escaped_ = escaped;
        record_line_ = first_line;
        next_line_ = line + 1;
        return scan_result::record;
    }

    // Where the delimiters and line breaks are in 64 bytes of the buffer, one bit each.
    struct stop_window {
        const char* base = nullptr;
        std::uint64_t bits = 0;
        bool valid = false;
    };

    // The end of an unquoted field: the next delimiter or line break, or `end`.
    // The stops of 64 bytes are found at once and then read off one field at a
    // time; finding each field's end from its start with a fresh load would
    // chain a load, compares and a bit scan from one field to the next, and
    // fields are only a few bytes long.
    [[nodiscard]] const char* find_stop(const char* p, const char* end, [[maybe_unused]] stop_window& w) const noexcept {
#if defined(__SSE2__)
        for (;;) {
            if (!w.valid || p - w.base >= 64) {
                if (end - p < 64) break;
                w.base = p;
                w.bits = stop_bits(p);
                w.valid = true;
            }
            const auto offset = static_cast<unsigned>(p - w.base);
            if (const std::uint64_t rest = w.bits >> offset; rest != 0) return p + std::countr_zero(rest);
            p = w.base + 64;
        }
#endif
        while (p != end && !stop_[static_cast<unsigned char>(*p)]) ++p;
        return p;
    }

#if defined(__SSE2__)
    [[nodiscard]] std::uint64_t stop_bits(const char* p) const noexcept {
        std::uint64_t bits = 0;
        for (int k = 0; k < 4; ++k) {
            const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
            const __m128i hits = _mm_or_si128(_mm_cmpeq_epi8(chunk, simd_delimiter_),
                                              _mm_or_si128(_mm_cmpeq_epi8(chunk, simd_lf_), _mm_cmpeq_epi8(chunk, simd_cr_)));
            bits |= static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(hits))) << (16 * k);
        }
        return bits;
    }
#endif

    void collapse_quotes(csv_field& f) noexcept {
        // The field lies inside our own buffer, so writing through it is writing our memory.
        char* const first = buffer_.get() + (f.data - buffer_.get());
        char* out = first;
        for (const char* in = first; in != first + f.size; ++in) {
            *out++ = *in;
            if (*in == quote_) ++in;  // every quote inside a scanned quoted field is one of a pair
        }
        f.size = static_cast<std::size_t>(out - first);
        f.escaped = false;
    }

    // Keeps the unread tail, makes room (growing only for a record longer than the buffer), reads a block.
    void refill() {
        if (eof_) return;
        if (begin_ != 0) {
            std::memmove(buffer_.get(), buffer_.get() + begin_, end_ - begin_);
            end_ -= begin_;
            discarded_ += begin_;
            begin_ = 0;
        }
        const bool full = end_ == capacity_;  // one record fills the whole buffer
        if (full || (capacity_ < block_bytes_ && last_read_filled_)) {
            if (full && capacity_ >= max_record_bytes_) {
                std::string why = "a record longer than " + std::to_string(max_record_bytes_) +
                                  " bytes (csv_options::max_record_bytes)";
                if (pending_quote_line_ != 0)
                    why += "; is the quote opened on line " + std::to_string(pending_quote_line_) + " unterminated?";
                throw csv_error(source_, next_line_, "", why);
            }
            const std::size_t limit = full ? std::max(max_record_bytes_, capacity_ + 1) : block_bytes_;
            const std::size_t grown = std::min(std::max(capacity_ * 2, capacity_ + 4), limit);
            auto bigger = std::make_unique_for_overwrite<char[]>(grown);
            std::memcpy(bigger.get(), buffer_.get(), end_);
            buffer_ = std::move(bigger);
            capacity_ = grown;
        }
        const std::size_t want = std::min(capacity_ - end_, block_bytes_);
        // The stream buffer directly: no sentry, no exception mask, no per-call state to reset.
        std::streambuf* const sb = in_->rdbuf();
        const std::streamsize got = sb == nullptr ? 0 : sb->sgetn(buffer_.get() + end_, static_cast<std::streamsize>(want));
        if (got <= 0) eof_ = true;
        else end_ += static_cast<std::size_t>(got);
        last_read_filled_ = got > 0 && static_cast<std::size_t>(got) == want;
    }

    std::istream* in_;
    std::string source_;
    std::size_t block_bytes_;
    std::size_t max_record_bytes_;
    char delimiter_;
    char quote_;
    bool trim_;
    std::array<bool, 256> stop_{};
#if defined(__SSE2__)
    __m128i simd_delimiter_ = _mm_set1_epi8(delimiter_);
    __m128i simd_lf_ = _mm_set1_epi8('\n');
    __m128i simd_cr_ = _mm_set1_epi8('\r');
#endif

    std::unique_ptr<char[]> buffer_;
    std::size_t capacity_ = 0;
    std::size_t begin_ = 0;  // first byte not yet returned
    std::size_t end_ = 0;    // end of the bytes read
    std::uint64_t discarded_ = 0;  // bytes moved out of the buffer before begin_
    bool eof_ = false;
    bool last_read_filled_ = false;  // the input had more to give than we asked for

    std::size_t next_line_ = 1;
    std::size_t record_line_ = 0;
    std::size_t pending_quote_line_ = 0;
    bool escaped_ = false;  // the current record has a field with doubled quotes
    std::vector<std::string> names_;
    std::vector<csv_field> fields_;
    std::size_t count_ = 0;
};

}  // namespace ctml::detail

// csv_partition: splits one CSV file into K byte ranges that start and end on
// record boundaries -- quoted line breaks respected -- so K processes can each
// read their own range and together read exactly the records, with exactly
// the line numbers, that one reader of the whole file would.
//
// Where a record begins cannot be decided by looking near a byte offset: a
// line break may sit inside a quoted field opened a megabyte earlier. So each
// part runs its bytes through the tokenizer's state machine once from every
// state it could begin in (it does not know which), recording, per starting
// state, the state it ends in and its first record boundary. The states at
// the nominal split points then follow in order from the header's end (a
// prefix "scan" over K tiny summaries), and each part's first record starts at
// its first boundary under the state it really begins in. The simulations
// merge after the first line break outside quotes, so the pass costs about
// one state-table lookup per byte.
//
//   auto mine = summarize_csv_part(path, split.begin(rank), split.begin(rank + 1), options);
//   … gather every part's summary …
//   auto ranges = plan_csv_partition(summaries, split);
//   csv_range_stream in(path, ranges[rank]);      // the header, then the range
//   csv_record_reader<S> rows(in, path);
//   rows.continue_at_line(ranges[rank].first_line);
//
// One process reading on threads does the same with plan_csv_blocks(path,
// header_end, block_bytes, options): it summarises every block on threads()
// threads and returns the record-aligned ranges in file order (what
// credit-score reads).
//
// The machine is the tokenizer's: a quote opens a field only at its start
// (after blanks, with trim_whitespace), doubled quotes inside a quoted field
// stand for one, LF, CRLF and a lone CR end a line. Input the tokenizer would
// reject (text after a closing quote) ends in an error state: the part that
// holds it reports the same error, at the same line, as one reader would.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <istream>
#include <limits>
#include <memory>
#include <span>
#include <streambuf>
#include <string>
#include <system_error>
#include <vector>

#include "ctml/io/csv_error.hpp"
#include "ctml/io/csv_options.hpp"
#include "ctml/io/detail/csv_tokenizer.hpp"
#include "ctml/threads.hpp"

namespace ctml {

/// One part's records: bytes [begin, end) of the file, the first of them on `first_line` (1 is the header).
struct csv_byte_range {
    std::uint64_t begin = 0;
    std::uint64_t end = 0;
    std::uint64_t first_line = 0;
};

/// The nominal split of the bytes after the header into `parts` equal pieces, before boundaries are known.
struct csv_split {
    std::uint64_t header_end = 0;   ///< the byte after the header record
    std::uint64_t header_lines = 0; ///< line breaks in [0, header_end)
    std::uint64_t file_size = 0;
    int parts = 1;

    [[nodiscard]] std::uint64_t begin(int part) const noexcept {
        // data * part / parts without overflow: (q * parts + r) * part / parts, with r * part < parts².
        const auto data = file_size - header_end;
        const auto n = static_cast<std::uint64_t>(parts), k = static_cast<std::uint64_t>(part);
        return header_end + data / n * k + data % n * k / n;
    }
};

/// The split of `path` into `parts`, its header ending at byte `header_end`
/// (csv_record_reader::bytes_consumed() right after the header is read).
[[nodiscard]] inline csv_split make_csv_split(const std::filesystem::path& path, std::uint64_t header_end, int parts) {
    csv_split split;
    split.header_end = header_end;
    split.parts = parts;
    std::error_code ec;
    split.file_size = std::filesystem::file_size(path, ec);
    if (ec) throw csv_error(path.string(), 0, "", "cannot read its size: " + ec.message());
    std::ifstream in(path, std::ios::binary);
    std::string head(static_cast<std::size_t>(header_end), '\0');
    if (!in.read(head.data(), static_cast<std::streamsize>(head.size())))
        throw csv_error(path.string(), 0, "", "cannot read its header again");
    split.header_lines = detail::count_line_breaks(head.data(), head.data() + head.size());
    return split;
}

namespace detail {

/// The tokenizer's states between two bytes.
enum csv_scan_state : std::uint8_t {
    at_record_start,   ///< the first byte of a record (or of a blank line)
    at_field_start,    ///< after a delimiter, or blanks at a field's start
    in_unquoted,
    in_quoted,
    after_quote,       ///< a quote inside a quoted field: the closing one, or the first of a pair
    after_closing,     ///< blanks after a closing quote (trim_whitespace)
    after_cr,          ///< a CR ended a line; an LF right after it belongs to the same line break
    in_error,          ///< the tokenizer would have stopped with an error; sticky
    csv_scan_states
};

enum csv_byte_class : std::uint8_t { other_byte, quote_byte, delimiter_byte, lf_byte, cr_byte, blank_byte, csv_byte_classes };

/// The transition table, and for each transition whether a record starts right after the byte.
struct csv_scan_machine {
    std::array<std::uint8_t, 256> byte_class{};
    std::array<std::array<std::uint8_t, csv_byte_classes>, csv_scan_states> next{};
    /// A record starts right after this byte (an LF, or a CR the next byte shows is alone)…
    std::array<std::array<bool, csv_byte_classes>, csv_scan_states> starts_record{};
    /// …or at this very byte: the first byte after a lone CR.
    std::array<std::array<bool, csv_byte_classes>, csv_scan_states> starts_record_here{};

    explicit csv_scan_machine(const csv_options& o) {
        byte_class.fill(other_byte);
        byte_class[static_cast<unsigned char>('\n')] = lf_byte;
        byte_class[static_cast<unsigned char>('\r')] = cr_byte;
        if (o.trim_whitespace) byte_class[' '] = byte_class['\t'] = blank_byte;
        byte_class[static_cast<unsigned char>(o.delimiter)] = delimiter_byte;
        byte_class[static_cast<unsigned char>(o.quote)] = quote_byte;
        const auto set = [&](csv_scan_state from, csv_byte_class c, csv_scan_state to, bool record = false) {
            next[from][c] = to;
            starts_record[from][c] = record;
        };
        for (int c = 0; c < csv_byte_classes; ++c) set(in_error, csv_byte_class(c), in_error);
        // A line break outside quotes ends the record: LF at once, CR once the next byte shows it is not CRLF.
        for (auto s : {at_record_start, at_field_start, in_unquoted, after_quote, after_closing}) {
            set(s, lf_byte, at_record_start, true);
            set(s, cr_byte, after_cr);
        }
        for (auto s : {at_record_start, at_field_start}) {
            set(s, quote_byte, in_quoted);
            set(s, delimiter_byte, at_field_start);
            set(s, blank_byte, at_field_start);
            set(s, other_byte, in_unquoted);
        }
        set(in_unquoted, quote_byte, in_unquoted);  // a quote inside an unquoted field is text
        set(in_unquoted, delimiter_byte, at_field_start);
        set(in_unquoted, blank_byte, in_unquoted);
        set(in_unquoted, other_byte, in_unquoted);
        for (int c = 0; c < csv_byte_classes; ++c) set(in_quoted, csv_byte_class(c), in_quoted);
        set(in_quoted, quote_byte, after_quote);
        set(after_quote, quote_byte, in_quoted);  // a doubled quote
        set(after_quote, delimiter_byte, at_field_start);
        set(after_quote, blank_byte, after_closing);
        set(after_quote, other_byte, in_error);
        set(after_closing, blank_byte, after_closing);
        set(after_closing, delimiter_byte, at_field_start);
        set(after_closing, quote_byte, in_error);
        set(after_closing, other_byte, in_error);
        // After a CR: an LF completes the line break (the record starts after it); anything
        // else starts the record itself, so it is read as from the start of a record.
        set(after_cr, lf_byte, at_record_start, true);
        for (auto c : {other_byte, quote_byte, delimiter_byte, cr_byte, blank_byte}) {
            next[after_cr][c] = next[at_record_start][c];
            starts_record_here[after_cr][c] = true;
        }
    }
};

}  // namespace detail

/// What one part of the file looks like from each state it could begin in.
/// Trivially copyable, so it can be gathered as bytes.
struct csv_part_summary {
    static constexpr std::uint64_t no_boundary = ~std::uint64_t{0};
    /// The state at the part's end, per state at its beginning.
    std::array<std::uint8_t, detail::csv_scan_states> end_state{};
    /// Where the part's first record starts (absolute offset), or no_boundary; per state at its beginning.
    std::array<std::uint64_t, detail::csv_scan_states> first_record{};
    /// Line breaks between the part's beginning and that first record, per state at its beginning.
    std::array<std::uint64_t, detail::csv_scan_states> lines_to_first_record{};
    /// Line breaks in the whole part (a CR counts unless an LF follows it, in this part or the next).
    std::uint64_t line_breaks = 0;
};

namespace detail {
/// Whether every simulation is at a record start with its first record found, or inside a quoted field.
inline bool fast_forward_ready(const std::array<std::uint8_t, csv_scan_states>& group_state,
                               const std::array<std::uint32_t, csv_scan_states>& group_members, int groups,
                               const csv_part_summary& out) noexcept {
    for (int g = 0; g < groups; ++g) {
        if (group_state[g] == in_quoted) continue;
        if (group_state[g] != at_record_start) return false;
        for (int k = 0; k < csv_scan_states; ++k)
            if ((group_members[g] >> k & 1u) && out.first_record[k] == csv_part_summary::no_boundary) return false;
    }
    return true;
}
}  // namespace detail

/// Runs bytes [begin, end) of `path` through the tokenizer's machine from every state at once.
[[nodiscard]] inline csv_part_summary summarize_csv_part(const std::filesystem::path& path, std::uint64_t begin,
                                                         std::uint64_t end, const csv_options& options = {}) {
    using namespace detail;
    const csv_scan_machine m(options);
    csv_part_summary out;
    constexpr int n = csv_scan_states;
    out.first_record.fill(csv_part_summary::no_boundary);
    out.end_state.fill(in_error);
    // The simulations, grouped by the state they are in now: starting states
    // that have reached the same state go on together (a bit mask of them),
    // so a part costs as many table lookups per byte as there are distinct
    // states -- two for a file without quotes (inside or outside a quoted
    // field), one once those meet. A group that fails is dropped: its
    // starting states end in the error state.
    std::array<std::uint8_t, n> group_state{};
    std::array<std::uint32_t, n> group_members{};
    int groups = 0;
    for (int s = 0; s < n; ++s)
        if (s != in_error) {
            group_state[groups] = static_cast<std::uint8_t>(s);
            group_members[groups++] = 1u << s;
        }
    std::uint64_t lines = 0;
    const auto record_starts_at = [&](std::uint32_t members, std::uint64_t offset, std::uint64_t lines_before) {
        for (int k = 0; k < n; ++k)
            if ((members >> k & 1u) && out.first_record[k] == csv_part_summary::no_boundary) {
                out.first_record[k] = offset;
                out.lines_to_first_record[k] = lines_before;
            }
    };
    // A part that begins on a record start begins with a record.
    record_starts_at(1u << at_record_start, begin, 0);

    std::ifstream in(path, std::ios::binary);
    if (!in) throw csv_error(path.string(), 0, "", "cannot open file");
    in.seekg(static_cast<std::streamoff>(begin));
    constexpr std::size_t block = 1 << 20;
    const auto buffer = std::make_unique_for_overwrite<char[]>(block + 1);
    std::uint64_t position = begin;
    while (position < end) {
        const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(block, end - position));
        // One byte more when there is one: whether a CR at the end is half of a CRLF.
        in.read(buffer.get(), static_cast<std::streamsize>(want + 1));
        const auto got = static_cast<std::size_t>(in.gcount());
        if (got < want) throw csv_error(path.string(), 0, "", "the file shrank while it was being split");
        const bool has_lookahead = got > want;
        in.clear();
        if (has_lookahead) in.seekg(-1, std::ios::cur);
        const auto* bytes = reinterpret_cast<const unsigned char*>(buffer.get());
        const char* chars = buffer.get();
        for (std::size_t i = 0; i < want; ++i) {
            const auto c = m.byte_class[bytes[i]];
            // A record that starts at this byte has the line breaks before it; one that starts after it, this one too.
            const auto lines_before = lines;
            if (c == lf_byte || (c == cr_byte && !((i + 1 < want || has_lookahead) && bytes[i + 1] == '\n'))) ++lines;
            for (int g = 0; g < groups; ++g) {
                const auto s = group_state[g];
                if (m.starts_record_here[s][c]) record_starts_at(group_members[g], position + i, lines_before);
                else if (m.starts_record[s][c]) record_starts_at(group_members[g], position + i + 1, lines);
                group_state[g] = m.next[s][c];
            }
            if (groups > 1 && (c == lf_byte || c == delimiter_byte || c == quote_byte || c == other_byte)) {
                int kept = 0;  // merge groups now in the same state; drop failed ones
                for (int g = 0; g < groups; ++g) {
                    if (group_state[g] == in_error) continue;
                    int same = 0;
                    while (same < kept && group_state[same] != group_state[g]) ++same;
                    if (same < kept) {
                        group_members[same] |= group_members[g];
                    } else {
                        group_state[kept] = group_state[g];
                        group_members[kept++] = group_members[g];
                    }
                }
                groups = kept;
            }
            // Right after a line break outside quotes, the only simulations
            // left are at a record start (whose first records are all known)
            // and inside a quoted field. Neither changes until the next quote
            // or CR, except that LFs start records the summary no longer
            // needs: so jump to the last LF before that byte, counting the
            // LFs passed (memchr and count run at memory speed; one state
            // lookup per byte was most of the cost of splitting a file).
            if (c == lf_byte && i + 1 < want && fast_forward_ready(group_state, group_members, groups, out)) {
                const char* from = chars + i + 1;
                const char* stop = chars + want;
                if (const auto* q = std::memchr(from, options.quote, static_cast<std::size_t>(stop - from)))
                    stop = static_cast<const char*>(q);
                if (const auto* r = std::memchr(from, '\r', static_cast<std::size_t>(stop - from)))
                    stop = static_cast<const char*>(r);
                const char* last_lf = nullptr;
                for (const char* p = stop; p != from; --p)
                    if (p[-1] == '\n') {
                        last_lf = p - 1;
                        break;
                    }
                if (last_lf) {
                    lines += static_cast<std::uint64_t>(std::count(from, last_lf + 1, '\n'));
                    i = static_cast<std::size_t>(last_lf - chars);  // the loop goes on after it, at a record start
                }
            }
        }
        position += want;
    }
    for (int g = 0; g < groups; ++g)
        for (int k = 0; k < n; ++k)
            if (group_members[g] >> k & 1u) out.end_state[k] = group_state[g];
    out.line_breaks = lines;
    return out;
}

/// The byte ranges, one per part, from every part's summary in order (summaries[p] for csv_split::begin(p)).
[[nodiscard]] inline std::vector<csv_byte_range> plan_csv_partition(std::span<const csv_part_summary> summaries,
                                                                    const csv_split& split) {
    const auto parts = summaries.size();
    std::vector<csv_byte_range> ranges(parts);
    std::vector<std::uint64_t> start(parts + 1, split.file_size), line(parts + 1, 0);
    std::uint8_t state = detail::at_record_start;  // the header record has just ended
    std::uint64_t lines_before = split.header_lines;
    std::vector<bool> found(parts, false);
    for (std::size_t p = 0; p < parts; ++p) {
        const auto& s = summaries[p];
        if (s.first_record[state] != csv_part_summary::no_boundary) {
            found[p] = true;
            start[p] = s.first_record[state];
            line[p] = 1 + lines_before + s.lines_to_first_record[state];
        }
        lines_before += s.line_breaks;
        state = s.end_state[state];
    }
    line[parts] = 1 + lines_before;
    // A part with no record start of its own reads nothing: it begins where the next one does.
    for (std::size_t p = parts; p-- > 0;)
        if (!found[p]) {
            start[p] = start[p + 1];
            line[p] = line[p + 1];
        }
    for (std::size_t p = 0; p < parts; ++p) ranges[p] = {start[p], start[p + 1], line[p]};
    return ranges;
}

/// The file cut into record-aligned blocks of about `block_bytes` each, for
/// one process to read on threads: the parts are summarised on threads() threads
/// (one pass over the file at about one table lookup per byte), then planned
/// as plan_csv_partition plans ranks' parts. A block may be empty (when a
/// record is longer than a block); the plan costs 24 bytes per block.
[[nodiscard]] inline std::vector<csv_byte_range> plan_csv_blocks(const std::filesystem::path& path,
                                                                 std::uint64_t header_end, std::uint64_t block_bytes,
                                                                 const csv_options& options = {}) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) throw csv_error(path.string(), 0, "", "cannot read its size: " + ec.message());
    const auto data = size > header_end ? size - header_end : 0;
    block_bytes = std::max<std::uint64_t>(block_bytes, 1);
    const auto blocks = std::max<std::uint64_t>(1, (data + block_bytes - 1) / block_bytes);
    if (blocks > static_cast<std::uint64_t>(std::numeric_limits<int>::max()))
        throw csv_error(path.string(), 0, "", "too many blocks of " + std::to_string(block_bytes) + " bytes");
    const auto split = make_csv_split(path, header_end, static_cast<int>(blocks));
    std::vector<csv_part_summary> summaries(static_cast<std::size_t>(blocks));
    detail::parallel_for_blocks(summaries.size(), [&](std::size_t b) {
        const auto part = static_cast<int>(b);
        summaries[b] = summarize_csv_part(path, split.begin(part), split.begin(part + 1), options);
    });
    return plan_csv_partition(summaries, split);
}

/// Reads the header bytes [0, header_end) and then one range of the file: what
/// a csv_record_reader over one part reads, header included, in bounded memory.
class csv_range_stream : public std::istream {
public:
    csv_range_stream(const std::filesystem::path& path, std::uint64_t header_end, const csv_byte_range& range)
        : std::istream(nullptr), buffer_(path, header_end, range) {
        rdbuf(&buffer_);
    }

private:
    class range_buffer : public std::streambuf {
    public:
        range_buffer(const std::filesystem::path& path, std::uint64_t header_end, const csv_byte_range& range)
            : file_(path, std::ios::binary), pieces_{{{0, header_end}, {range.begin, range.end}}} {
            if (!file_) throw csv_error(path.string(), 0, "", "cannot open file");
        }

    protected:
        int_type underflow() override {
            if (!data_) data_ = std::make_unique_for_overwrite<char[]>(block);
            const auto n = read_some(data_.get(), block);
            if (n == 0) return traits_type::eof();
            setg(data_.get(), data_.get(), data_.get() + n);
            return traits_type::to_int_type(data_[0]);
        }

        // A reader that asks for many bytes at once (csv_record_reader does)
        // gets them straight from the file, without a copy through a buffer.
        std::streamsize xsgetn(char* s, std::streamsize count) override {
            std::streamsize done = 0;
            if (const auto buffered = std::min<std::streamsize>(count, egptr() - gptr()); buffered > 0) {
                std::memcpy(s, gptr(), static_cast<std::size_t>(buffered));
                gbump(static_cast<int>(buffered));
                done = buffered;
            }
            while (done < count) {
                const auto n = read_some(s + done, static_cast<std::size_t>(count - done));
                if (n == 0) break;
                done += static_cast<std::streamsize>(n);
            }
            return done;
        }

    private:
        /// Up to `most` bytes of the current piece into `to`; 0 at the end (or if the file shrank).
        std::size_t read_some(char* to, std::size_t most) {
            while (piece_ < pieces_.size() && pieces_[piece_].first >= pieces_[piece_].second) ++piece_;
            if (piece_ == pieces_.size()) return 0;
            auto& [from, end] = pieces_[piece_];
            const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(most, end - from));
            file_.seekg(static_cast<std::streamoff>(from));
            file_.read(to, static_cast<std::streamsize>(n));
            if (static_cast<std::size_t>(file_.gcount()) != n) return 0;
            from += n;
            return n;
        }

        static constexpr std::size_t block = 1 << 20;
        std::ifstream file_;
        std::array<std::pair<std::uint64_t, std::uint64_t>, 2> pieces_;
        std::size_t piece_ = 0;
        std::unique_ptr<char[]> data_;  ///< for character-at-a-time readers only
    };
    range_buffer buffer_;
};

}  // namespace ctml

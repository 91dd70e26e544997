// csv_partition: a file cut into byte ranges at any points reads, range after
// range, exactly the records -- values, problems and line numbers -- that one
// reader of the whole file reads: quoted line breaks, doubled quotes, quotes
// inside unquoted fields, CRLF, lone CR, blank lines, a BOM, no final line
// break, and a bad row wherever the cut falls.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include <ctml/io/csv_partition.hpp>
#include <ctml/io/csv_record_reader.hpp>

#include "support/scratch_directory.hpp"

using namespace ctml;

namespace {

using text_schema = schema<column<"id", std::int64_t>, column<"name", categorical>, column<"note", categorical>>;

/// What a reader saw: one line per row, "line: id|name|note" or "line: problem column reason".
std::vector<std::string> read_rows(csv_record_reader<text_schema>& rows) {
    std::vector<std::string> out;
    while (rows.next()) {
        const auto& r = rows.current_row();
        if (r.problem)
            out.push_back(std::to_string(r.line) + ": problem " + r.problem->column + " " + r.problem->reason);
        else
            out.push_back(std::to_string(r.line) + ": " + std::to_string(r.values.get<"id">()) + "|" +
                          std::string(r.values.get<"name">()) + "|" + std::string(r.values.get<"note">()));
    }
    return out;
}

std::vector<std::string> read_whole(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    csv_record_reader<text_schema> rows(in, path.string());
    return read_rows(rows);
}

/// Reads the file as parts cut at `cuts` (offsets after the header), each part by its own reader.
std::vector<std::string> read_parts(const std::filesystem::path& path, const std::vector<std::uint64_t>& cuts) {
    std::ifstream in(path, std::ios::binary);
    csv_record_reader<text_schema> header(in, path.string());
    auto split = make_csv_split(path, header.bytes_consumed(), static_cast<int>(cuts.size() + 1));
    std::vector<std::uint64_t> bounds{split.header_end};
    bounds.insert(bounds.end(), cuts.begin(), cuts.end());
    bounds.push_back(split.file_size);
    std::vector<csv_part_summary> summaries;
    for (std::size_t p = 0; p + 1 < bounds.size(); ++p) summaries.push_back(summarize_csv_part(path, bounds[p], bounds[p + 1]));
    const auto ranges = plan_csv_partition(summaries, split);
    REQUIRE(ranges.size() == summaries.size());
    CHECK(ranges.front().begin == split.header_end);
    CHECK(ranges.back().end == split.file_size);
    std::vector<std::string> out;
    for (std::size_t p = 0; p < ranges.size(); ++p) {
        if (p) CHECK(ranges[p].begin == ranges[p - 1].end);
        csv_range_stream part(path, split.header_end, ranges[p]);
        csv_record_reader<text_schema> rows(part, path.string());
        rows.continue_at_line(ranges[p].first_line);
        const auto seen = read_rows(rows);
        out.insert(out.end(), seen.begin(), seen.end());
    }
    return out;
}

}  // namespace

TEST_CASE("a CSV cut into two parts at every byte reads as the whole file does", "[io][csv][partition]") {
    const test_support::scratch_directory dir("ctml_csv_partition");
    const std::vector<std::pair<std::string, std::string>> files{
        {"plain", "id,name,note\n1,a,x\n2,b,y\n3,c,z\n"},
        {"quoted line breaks", "id,name,note\n1,\"two\nlines\",x\n2,\"a \"\"quote\"\"\nand, a comma\",y\n3,c,\"\n\n\"\n"},
        {"quotes inside unquoted fields", "id,name,note\n1,say\"hi,x\n2,\"q\",y\"\n3,c,z\n"},
        {"CRLF, lone CR and blank lines", "\xEF\xBB\xBFid,name,note\r\n1,a,x\r\n\r\n2,b,\"y\r\nz\"\r3,c,z\r\n\n4,d,w"},
        {"lone CRs in a row (blank lines)", "id,name,note\r1,a,x\r\r2,b,y\r\r\r3,c,z\r4,d,w"},
        {"blank lines before the header", "\n\nid,name,note\n1,a,x\n2,b,y\n"},
        {"bad rows", "id,name,note\n1,a,x\nnot-a-number,b,y\n3,c\n4,d,\"e\nf\"\n5,e,f,g\n"},
        {"a field that is not CSV after its closing quote", "id,name,note\n1,a,x\n2,\"b\"oops,y\n3,c,z\n"},
    };
    for (const auto& [name, text] : files) {
        SECTION(name) {
            const auto path = dir.path() / "part.csv";
            std::ofstream(path, std::ios::binary) << text;
            std::vector<std::string> whole;
            std::string whole_error;
            try {
                whole = read_whole(path);
            } catch (const csv_error& e) {
                whole_error = e.what();
            }
            std::ifstream in(path, std::ios::binary);
            const auto header_end = csv_record_reader<text_schema>(in, path.string()).bytes_consumed();
            for (std::uint64_t cut = header_end; cut <= text.size(); ++cut) {
                INFO("cut at byte " << cut << " of " << text.size());
                if (whole_error.empty()) {
                    CHECK(read_parts(path, {cut}) == whole);
                } else {  // the part that holds the bad field reports it, as one reader does
                    try {
                        (void)read_parts(path, {cut});
                        FAIL("no error");
                    } catch (const csv_error& e) {
                        CHECK(std::string(e.what()) == whole_error);
                    }
                }
            }
        }
    }
}

TEST_CASE("a CSV cut into many parts, some of them empty, reads as the whole file does", "[io][csv][partition]") {
    const test_support::scratch_directory dir("ctml_csv_partition_many");
    const auto path = dir.path() / "many.csv";
    std::string text = "id,name,note\n";
    for (int i = 1; i <= 200; ++i)
        text += std::to_string(i) + "," + (i % 7 == 0 ? "\"multi\nline " + std::to_string(i) + "\"" : "n" + std::to_string(i)) +
                "," + (i % 11 == 0 ? "\"a \"\"q\"\"\r\n\"" : "plain") + (i % 13 == 0 ? "\r\n" : "\n");
    std::ofstream(path, std::ios::binary) << text;
    const auto whole = read_whole(path);
    REQUIRE(whole.size() == 200);
    for (int parts : {2, 3, 4, 7, 16, 64, 500}) {
        INFO(parts << " parts");
        csv_split split;
        std::ifstream in(path, std::ios::binary);
        split.header_end = csv_record_reader<text_schema>(in, path.string()).bytes_consumed();
        split.file_size = text.size();
        split.parts = parts;
        std::vector<std::uint64_t> cuts;
        for (int p = 1; p < parts; ++p) cuts.push_back(split.begin(p));
        CHECK(read_parts(path, cuts) == whole);
    }
    // Every cut in one place: all parts but one are empty.
    CHECK(read_parts(path, {text.size(), text.size(), text.size()}) == whole);
}

namespace {

/// The summary by the definition: each starting state simulated on its own, one byte at a time.
csv_part_summary summarize_by_definition(const std::string& text, std::uint64_t begin, std::uint64_t end) {
    using namespace detail;
    const csv_scan_machine m(csv_options{});
    const auto breaks_before = [&](std::uint64_t from, std::uint64_t to) {  // CR counts unless an LF follows in the file
        std::uint64_t n = 0;
        for (auto i = from; i < to; ++i)
            if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'))) ++n;
        return n;
    };
    csv_part_summary out;
    for (int s = 0; s < csv_scan_states; ++s) {
        auto state = static_cast<std::uint8_t>(s);
        auto first = csv_part_summary::no_boundary;
        if (s == at_record_start) first = begin;
        for (auto i = begin; i < end && state != in_error; ++i) {
            const auto c = m.byte_class[static_cast<unsigned char>(text[i])];
            if (first == csv_part_summary::no_boundary) {
                if (m.starts_record_here[state][c]) first = i;
                else if (m.starts_record[state][c]) first = i + 1;
            }
            state = m.next[state][c];
        }
        out.end_state[s] = s == in_error ? std::uint8_t{in_error} : state;
        out.first_record[s] = s == in_error ? csv_part_summary::no_boundary : first;
        out.lines_to_first_record[s] = out.first_record[s] == csv_part_summary::no_boundary ? 0 : breaks_before(begin, first);
    }
    out.line_breaks = breaks_before(begin, end);
    return out;
}

}  // namespace

TEST_CASE("a part's summary is the one simulating each starting state on its own gives", "[io][csv][partition]") {
    // Long quote-free stretches (where summarising skips from line break to
    // line break) between quotes, CRs, doubled quotes and errors.
    const test_support::scratch_directory dir("ctml_csv_partition_summary");
    std::string text = "id,name,note\n";
    for (int i = 1; i <= 60; ++i) {
        text += std::to_string(i) + ",n" + std::to_string(i) + ",plain\n";
        if (i % 9 == 0) text += std::to_string(i) + ",\"q\"\"uoted\nover lines\",x\n";
        if (i % 13 == 0) text += std::to_string(i) + ",a,b\r" + std::to_string(i) + ",c,d\r\r\n";
        if (i % 17 == 0) text += std::to_string(i) + ",say\"hi,\"x\" \n";
        if (i == 44) text += "44,\"closed\"then text,y\n";
    }
    const auto path = dir.path() / "summary.csv";
    std::ofstream(path, std::ios::binary) << text;
    const auto expect_same = [&](std::uint64_t begin, std::uint64_t end) {
        const auto want = summarize_by_definition(text, begin, end);
        const auto got = summarize_csv_part(path, begin, end);
        INFO("part [" << begin << ", " << end << ") of " << text.size());
        for (int s = 0; s < detail::csv_scan_states; ++s) {
            INFO("starting state " << s);
            if (s == detail::in_error) continue;  // never a real starting state
            CHECK(got.end_state[s] == want.end_state[s]);
            CHECK(got.first_record[s] == want.first_record[s]);
            if (want.first_record[s] != csv_part_summary::no_boundary)
                CHECK(got.lines_to_first_record[s] == want.lines_to_first_record[s]);
        }
        CHECK(got.line_breaks == want.line_breaks);
    };
    for (std::uint64_t begin = 0; begin < text.size(); begin += 7)
        for (std::uint64_t length : {1, 2, 5, 31, 64, 400, 5000}) expect_same(begin, std::min<std::uint64_t>(text.size(), begin + length));
}

TEST_CASE("plan_csv_blocks cuts a file into record-aligned blocks that read as the whole file", "[io][csv][partition]") {
    const test_support::scratch_directory dir("ctml_csv_partition_blocks");
    const auto path = dir.path() / "blocks.csv";
    std::string text = "id,name,note\n";
    for (int i = 1; i <= 300; ++i)
        text += std::to_string(i) + "," + (i % 5 == 0 ? "\"multi\nline\"" : "n") + ",x" + (i % 7 == 0 ? "\r\n" : "\n");
    std::ofstream(path, std::ios::binary) << text;
    const auto whole = read_whole(path);
    std::ifstream in(path, std::ios::binary);
    const auto header_end = csv_record_reader<text_schema>(in, path.string()).bytes_consumed();
    for (int threads : {1, 2, 3})
        for (std::uint64_t block_bytes : {1, 10, 100, 1000, 1 << 20}) {
            INFO(threads << " threads, blocks of " << block_bytes << " bytes");
            set_threads(threads);
            const auto blocks = plan_csv_blocks(path, header_end, block_bytes);
            CHECK(blocks.size() == std::max<std::size_t>(1, (text.size() - header_end + block_bytes - 1) / block_bytes));
            std::vector<std::string> seen;
            for (std::size_t b = 0; b < blocks.size(); ++b) {
                if (b) CHECK(blocks[b].begin == blocks[b - 1].end);
                csv_range_stream part(path, header_end, blocks[b]);
                csv_record_reader<text_schema> rows(part, path.string());
                rows.continue_at_line(blocks[b].first_line);
                const auto got = read_rows(rows);
                seen.insert(seen.end(), got.begin(), got.end());
            }
            CHECK(seen == whole);
        }
    set_threads(0);
}

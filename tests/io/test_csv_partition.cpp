// csv_partition: a file cut into byte ranges at any points reads, range after
// range, exactly the records -- values, problems and line numbers -- that one
// reader of the whole file reads: quoted line breaks, doubled quotes, quotes
// inside unquoted fields, CRLF, lone CR, blank lines, a BOM, no final line
// break, and a bad row wherever the cut falls.
#include <catch2/catch.hpp>

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

// credit-score as a user runs it: a real process over real files. Its output
// equals in-process predict_proba bit for bit for any thread count, through
// files or stdin/stdout; bad rows stop it (exit 2, file:line, no output left
// behind) or, with --rejects, are set aside while the rest are scored.
#include <catch2/catch.hpp>

#include <charconv>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <sys/wait.h>

#include <ctml/io.hpp>

#include "credit/credit_pipeline.hpp"
#include "support/scratch_directory.hpp"
#include "support/sklearn_fixture.hpp"

namespace fs = std::filesystem;
using namespace ctml;

namespace {

const fs::path& scratch() {
    static const test_support::scratch_directory dir("ctml_credit_score_tests");
    return dir.path();
}

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

struct outcome {
    int exit_code;
    std::string err;
};

/// Runs credit-score with `args` (shell words), stderr captured.
outcome credit_score(const std::string& args) {
    const auto err = scratch() / "stderr.txt";
    const std::string command = std::string(CTML_BIN_DIR "/credit-score ") + args + " 2>" + err.string();
    const int status = std::system(command.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(err)};
}

/// The model the tests score with, saved as an artifact once.
const fs::path& artifact() {
    static const fs::path path = [] {
        const auto features = test_support::credit_data().select<credit::feature_schema>();
        const auto model = credit::model().fit(features, test_support::credit_labels());
        const auto p = scratch() / "model.json";
        save(model, p, describe_training_data(features, model), {}, {"bad", "good"});
        return p;
    }();
    return path;
}

/// The data file's lines, to build variants of it.
std::vector<std::string> data_lines() {
    std::ifstream in(CTML_TEST_DATA_DIR "/german_credit_data.csv");
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}
fs::path write_lines(const std::string& name, const std::vector<std::string>& lines) {
    const auto p = scratch() / name;
    std::ofstream out(p);
    for (const auto& l : lines) out << l << '\n';
    return p;
}

/// Checks an output file against in-process scoring, row for row, bit for bit.
void check_scores(const std::string& text, std::size_t skipped_row = static_cast<std::size_t>(-1)) {
    const auto features = test_support::credit_data().select<credit::feature_schema>();
    using fitted = decltype(credit::model().fit(features, label_span{}));
    const auto model = load<fitted>(artifact()).model;
    const auto p = model.predict_proba(features);
    std::istringstream in(text);
    std::string line;
    std::getline(in, line);
    REQUIRE(line == "Sno,p_bad,p_good,Risk");
    std::size_t i = 0, rows = 0;
    while (std::getline(in, line)) {
        if (i == skipped_row) ++i;
        const auto a = line.find(','), b = line.find(',', a + 1), c = line.find(',', b + 1);
        REQUIRE(c != std::string::npos);
        double p_bad = 0, p_good = 0;
        std::from_chars(line.data() + a + 1, line.data() + b, p_bad);
        std::from_chars(line.data() + b + 1, line.data() + c, p_good);
        const auto e = static_cast<Eigen::Index>(i);
        REQUIRE(line.substr(0, a) == std::to_string(test_support::credit_data().column<"Sno">()[i]));
        REQUIRE(std::memcmp(&p_bad, &p(e, 0), sizeof p_bad) == 0);
        REQUIRE(std::memcmp(&p_good, &p(e, 1), sizeof p_good) == 0);
        REQUIRE(line.substr(c + 1) == (p(e, 1) > 0.5 ? "good" : "bad"));
        ++i;
        ++rows;
    }
    CHECK(rows == (skipped_row == static_cast<std::size_t>(-1) ? 1000u : 999u));
}

}  // namespace

TEST_CASE("credit-score equals in-process predict_proba bit for bit, for 1 and 4 threads", "[programs][score]") {
    for (int threads : {1, 4}) {
        INFO(threads << " threads");
        const auto out = scratch() / ("scores" + std::to_string(threads) + ".csv");
        const auto r = credit_score("--model " + artifact().string() + " --in " CTML_TEST_DATA_DIR
                                    "/german_credit_data.csv --out " + out.string() + " --chunk-rows 97 --threads " +
                                    std::to_string(threads));
        REQUIRE(r.exit_code == 0);
        CHECK_THAT(r.err, Catch::Contains("1000 rows scored, 0 rejected"));
        check_scores(read_file(out));
    }
    CHECK(read_file(scratch() / "scores1.csv") == read_file(scratch() / "scores4.csv"));
}

TEST_CASE("credit-score reads stdin and writes stdout; Risk may be absent and columns in any order",
          "[programs][score]") {
    auto lines = data_lines();
    // Drop Risk (the last column) and move Sno to the end.
    for (auto& l : lines) {
        l = l.substr(0, l.rfind(','));
        const auto first = l.find(',');
        l = l.substr(first + 1) + "," + l.substr(0, first);
    }
    const auto reordered = write_lines("reordered.csv", lines);
    const auto out = scratch() / "piped.csv";
    const auto r = credit_score("--model " + artifact().string() + " --in - --out - <" + reordered.string() + " >" +
                                out.string());
    REQUIRE(r.exit_code == 0);
    check_scores(read_file(out));
}

TEST_CASE("a bad row stops credit-score with file:line and leaves no output behind", "[programs][score]") {
    auto lines = data_lines();
    lines[5] = "4,forty,male,2,own,little,little,4870,24,car,bad";  // line 6 of the file
    const auto bad = write_lines("bad_number.csv", lines);
    const auto out = scratch() / "never.csv";
    auto r = credit_score("--model " + artifact().string() + " --in " + bad.string() + " --out " + out.string());
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("bad_number.csv:6: column \"Age\": expected an integer, found \"forty\""));
    CHECK_FALSE(fs::exists(out));
    CHECK_FALSE(fs::exists(fs::path(out).concat(".partial")));

    lines = data_lines();
    lines[3] = "2,49,male,1,own,little,NA,2096,12,spaceship,good";
    const auto unknown = write_lines("unknown_category.csv", lines);
    r = credit_score("--model " + artifact().string() + " --in " + unknown.string() + " --out " + out.string());
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("unknown_category.csv:4:") && Catch::Contains("unknown category \"spaceship\""));
    CHECK_FALSE(fs::exists(out));

    lines = data_lines();
    lines[2] = "1,22,NA,2,own,little,moderate,5951,48,radio/TV,bad";  // Sex may not be missing
    r = credit_score("--model " + artifact().string() + " --in " + write_lines("missing.csv", lines).string() +
                     " --out " + out.string());
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("missing.csv:3: column \"Sex\": missing value"));

    r = credit_score("--model " + artifact().string() + " --in " + (scratch() / "absent.csv").string() + " --out " +
                     out.string());
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("absent.csv: cannot open file"));
    r = credit_score("--model " + (scratch() / "absent.json").string() + " --in x --out y");
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("absent.json: no such artifact file"));
}

TEST_CASE("with --rejects, bad rows are set aside and the rest are scored", "[programs][score]") {
    auto lines = data_lines();
    lines[5] = "4,forty,male,2,own,little,little,4870,24,car,bad";
    lines[7] = "6,35,male,1,free,NA,NA,9055,36,spaceship,good";
    lines[9] = "8,61,male,1,own,rich,NA,3059,12";  // ragged
    const auto bad = write_lines("three_bad.csv", lines);
    const auto out = scratch() / "kept.csv", rejects = scratch() / "rejects.csv";
    const auto r = credit_score("--model " + artifact().string() + " --in " + bad.string() + " --out " + out.string() +
                                " --rejects " + rejects.string() + " --chunk-rows 3");
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.err, Catch::Contains("997 rows scored, 3 rejected"));
    const auto rejected = read_file(rejects);
    CHECK_THAT(rejected, Catch::StartsWith("line,column,reason,row\n"));
    CHECK_THAT(rejected, Catch::Contains("6,Age,\"expected an integer, found \"\"forty\"\"\",\"4,forty,male"));
    CHECK_THAT(rejected, Catch::Contains("unknown category \"\"spaceship\"\""));
    CHECK_THAT(rejected, Catch::Contains("10,Purpose,\"expected 11 fields, found 9 (the row ends before this column)"));
    // Every good row scored, in order.
    std::istringstream in(read_file(out));
    std::string line;
    std::size_t n = 0;
    while (std::getline(in, line)) ++n;
    CHECK(n == 1 + 997);
}

namespace {

/// What a run left behind: exit code, stderr without the timing summary, output and rejects.
struct run_result {
    int exit_code;
    std::string err, scores, rejects;
};

run_result score_with(const fs::path& in, int threads, const std::string& extra = "") {
    const auto tag = in.stem().string() + "_" + std::to_string(threads);
    const auto out = scratch() / (tag + "_scores.csv"), rejects = scratch() / (tag + "_rejects.csv");
    fs::remove(out);
    fs::remove(rejects);
    auto r = credit_score("--model " + artifact().string() + " --in " + in.string() + " --out " + out.string() +
                          " --threads " + std::to_string(threads) + " " + extra +
                          (extra.find("--rejects") == std::string::npos ? "" : rejects.string()));
    // The summary's counts stay; its seconds and thread count differ from run to run.
    if (const auto at = r.err.find(" with "); r.exit_code == 0 && at != std::string::npos) r.err.resize(at);
    return {r.exit_code, r.err, fs::exists(out) ? read_file(out) : "(none)", fs::exists(rejects) ? read_file(rejects) : "(none)"};
}

/// One thread and several, the file cut into blocks of `block_bytes`: the same bytes out, the same error.
/// 37 bytes is shorter than every record, so nearly every record is a block of its own and the cuts
/// fall at every offset within one; 1 byte tested the same and cost a file open per byte to plan
/// (50,000 for this file: 1 s a run, over 10 minutes for the test under AddressSanitizer).
void check_same_as_one_thread(const fs::path& in, const std::string& extra = "") {
    const auto one = score_with(in, 1, extra);
    for (int threads : {2, 3}) {
        for (const char* block_bytes : {"37", "200", "4096"}) {
            INFO(in.filename().string() << ", " << threads << " threads, blocks of " << block_bytes << " bytes");
            const auto many = score_with(in, threads, std::string("--block-bytes ") + block_bytes + " " + extra);
            CHECK(many.exit_code == one.exit_code);
            CHECK(many.err == one.err);
            CHECK(many.scores == one.scores);
            CHECK(many.rejects == one.rejects);
        }
    }
}

}  // namespace

TEST_CASE("on threads, a file is read in blocks and the output is the one-thread output, byte for byte",
          "[programs][score]") {
    check_same_as_one_thread(CTML_TEST_DATA_DIR "/german_credit_data.csv");
    const auto scores = score_with(CTML_TEST_DATA_DIR "/german_credit_data.csv", 3, "--block-bytes 100");
    REQUIRE(scores.exit_code == 0);
    check_scores(scores.scores);

    // Quoted fields, a record whose quoted field holds line breaks and quotes
    // (set aside: no such Purpose), CRLF and lone-CR line ends, blank lines:
    // every block boundary lands somewhere awkward for one of the block sizes.
    auto lines = data_lines();
    for (std::size_t i = 1; i < lines.size(); i += 7) {  // quote Housing
        auto& l = lines[i];
        std::size_t at = 0;
        for (int comma = 0; comma < 4; ++comma) at = l.find(',', at) + 1;
        l.insert(at, "\"");
        l.insert(l.find(',', at), "\"");
    }
    lines[300] = "299,30,male,2,own,little,little,1000,12,\"radio\nTV, said \"\"the\"\"\r\nclerk\",good";
    lines[400] += "\r";
    lines[500] += "\r\n";  // with the file's \n: a blank line follows
    lines[600] = "";
    auto text = std::string();
    for (const auto& l : lines) text += l + '\n';
    text.replace(text.find("\n", text.size() / 5 * 4), 1, "\r");  // one lone CR ends a line
    const auto awkward = scratch() / "awkward.csv";
    std::ofstream(awkward, std::ios::binary) << text;
    check_same_as_one_thread(awkward, "--rejects ");
    const auto kept = score_with(awkward, 2, "--block-bytes 333 --rejects ");
    REQUIRE(kept.exit_code == 0);
    CHECK_THAT(kept.err, Catch::Contains("998 rows scored, 1 rejected"));  // and one blank line
    CHECK_THAT(kept.rejects, Catch::Contains("\n301,\"\",\"one_hot_encoder: column \"\"Purpose\"\""));  // its line
}

TEST_CASE("on threads, the first bad row in the file is the one reported, with its line", "[programs][score]") {
    auto lines = data_lines();
    lines[412] = "411,thirty,male,2,own,little,little,4870,24,car,bad";  // line 413
    lines[808] = "807,31,male,2,own,little,little,4870,24,spaceship,bad";
    const auto two_bad = write_lines("two_bad.csv", lines);
    check_same_as_one_thread(two_bad);
    const auto r = score_with(two_bad, 3, "--block-bytes 500");
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("two_bad.csv:413: column \"Age\": expected an integer, found \"thirty\""));
    CHECK(r.scores == "(none)");
    CHECK_FALSE(fs::exists(scratch() / "two_bad_3_scores.csv.partial"));
    check_same_as_one_thread(two_bad, "--rejects ");

    // A quote never closed: the tokenizer's error, from the block that holds it, at its line.
    lines = data_lines();
    lines[700] = "699,30,male,2,\"own,little,little,1000,12,car,good";
    check_same_as_one_thread(write_lines("unclosed.csv", lines));
    const auto unclosed = score_with(scratch() / "unclosed.csv", 2, "--block-bytes 64");
    CHECK(unclosed.exit_code == 2);
    CHECK_THAT(unclosed.err, Catch::Contains("unclosed.csv:701"));

    // The same on the first data row (through range-v3's noexcept chunk begin(): once a crash).
    lines = data_lines();
    lines[1] = "0,30,male,2,\"own,little,little,1000,12,car,good";
    const auto first = score_with(write_lines("unclosed_first.csv", lines), 1);
    CHECK(first.exit_code == 2);
    CHECK_THAT(first.err, Catch::Contains("unclosed_first.csv:2: column \"Housing\": unterminated quoted field"));
    check_same_as_one_thread(scratch() / "unclosed_first.csv");

    // Only a header: nothing to score, on any number of threads.
    check_same_as_one_thread(write_lines("header_only.csv", {data_lines()[0]}));
}

// credit-score: batch scoring -- the seed tutorial's parallel batch job.
//
//   credit-score --model PATH|NAME:VERSION|NAME@ALIAS --in CSV|- --out CSV|- [--threads N] [--rejects FILE]
//
// Reads the input one record at a time in chunks (constant memory, whatever
// the file's size), with or without a Risk column and with columns in any
// order, and writes `Sno,p_bad,p_good,Risk` in input order for any thread
// count. Probabilities are printed in their shortest round-trip form, so they
// read back as the very doubles the model computed. One reader's path is one
// range-v3 pipeline -- rows | chunk | score each chunk | join -- which
// measured no slower than the hand-written loop it replaced. A regular file
// on several threads (--threads, default all cores) is cut into
// record-aligned blocks that the threads read, parse and score whole, and
// written back in file order, so the bytes out are the one-thread bytes
// (docs/benchmarks.md).
//
// A bad row (an unparsable number, an unknown category, a missing required
// value, a ragged row) stops the run with exit 2 and `file:line: column "X":
// reason`; the output is written under a temporary name and renamed only on
// success, so a failed run leaves no file that looks complete. With --rejects
// FILE, bad rows go there (line, column, reason, the row) and the rest are
// scored; the summary on stderr counts both. Output to stdout (--out -)
// cannot be withdrawn, so there a failure is signalled by the exit code only.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <range/v3/algorithm/for_each.hpp>
#include <range/v3/view/chunk.hpp>
#include <range/v3/view/join.hpp>
#include <range/v3/view/transform.hpp>

#include <ctml/io/atomic_file.hpp>
#include <ctml/io/csv_partition.hpp>
#include <ctml/io/csv_record_reader.hpp>
#include <ctml/io/csv_row_view.hpp>
#include <ctml/io/csv_writer.hpp>
#include <ctml/ops/ops_error.hpp>
#include <ctml/ops/workspace.hpp>
#include <ctml/threads.hpp>
#if defined(CTML_HAVE_MPI)
#include <ctml/mpi/mpi_session.hpp>

#include "credit/rank_agreement.hpp"
#endif

#include "credit/served_model.hpp"
#include "credit/credit_schema.hpp"
#include "credit/command_line.hpp"

namespace {

struct options {
    std::string model;
    std::string in;
    std::string out;
    int threads = 0;  ///< 0: all cores (one per rank under mpirun)
    std::string rejects;
    std::size_t chunk_rows = 8192;
    std::uint64_t block_bytes = 1 << 20;
    credit::workspace_options workspace;
};

using ctml::categorical;
using ctml::column;
using score_schema = ctml::schema<column<"Sno", std::int64_t>, column<"p_bad", double>, column<"p_good", double>,
                                  column<"Risk", categorical>>;
using reject_schema = ctml::schema<column<"line", std::uint64_t>, column<"column", categorical>,
                                   column<"reason", categorical>, column<"row", categorical>>;
/// What the scorer keeps of an input row: the model's input and where it came from.
struct input_row {
    std::size_t line = 0;
    std::int64_t sno = 0;
    ctml::record<credit::feature_schema> features;
    std::optional<ctml::csv_row_problem> problem;  ///< set when the row did not parse
};

/// What became of one input row: its probabilities, or why it was set aside.
struct scored_row {
    std::int64_t sno = 0;
    double p_bad = 0, p_good = 0;
    const ctml::csv_row_problem* problem = nullptr;  ///< why it could not be scored; points into the chunk
};

/// Scores a chunk of rows on up to `threads` threads, each taking a contiguous
/// slice, so the result keeps input order. It keeps its buffers from one chunk
/// to the next: after the first chunk, scoring allocates nothing per chunk.
class chunk_scorer {
public:
    chunk_scorer(const credit::fitted_model& model, int threads) : model_(model), threads_(static_cast<std::size_t>(threads)) {}

    /// The chunk's rows, scored; valid until the next call. A span, not a
    /// reference: views::join caches a range it receives by value, so it asks
    /// for each chunk once.
    template <class Chunk>
    std::span<const scored_row> operator()(Chunk&& chunk) {
        // Into the slots of earlier chunks, so their strings' storage is reused.
        std::size_t n = 0;
        for (const auto& row : chunk) {
            auto& in = n < rows_.size() ? rows_[n] : rows_.emplace_back();
            ++n;
            in.line = row.line;
            in.problem = row.problem;
            if (!row.problem) {
                in.sno = row.values.template get<"Sno">();
                row.values.select_into(in.features);
            }
        }
        rows_.resize(n);
        scored_.assign(rows_.size(), {});
        const std::size_t slices = std::clamp<std::size_t>(threads_, 1, std::max<std::size_t>(rows_.size(), 1));
        const std::size_t per = (rows_.size() + slices - 1) / slices;
        const auto slice = [&](std::size_t t) { score(std::min(rows_.size(), t * per), std::min(rows_.size(), (t + 1) * per)); };
        std::vector<std::jthread> helpers;
        for (std::size_t t = 1; t < slices; ++t) helpers.emplace_back(slice, t);
        slice(0);
        helpers.clear();  // joins them
        return scored_;
    }

private:
    void score(std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            auto& row = rows_[i];
            auto& out = scored_[i];
            out.sno = row.sno;
            if (!row.problem) {  // it parsed; the model may still not know one of its categories
                try {
                    const auto p = model_.predict_proba_row(row.features);
                    out.p_bad = p[0];
                    out.p_good = p[1];
                } catch (const std::invalid_argument& e) {
                    row.problem = ctml::csv_row_problem{row.line, "", e.what(), "Sno " + std::to_string(row.sno)};
                }
            }
            if (row.problem) out.problem = &*row.problem;
        }
    }

    const credit::fitted_model& model_;
    std::size_t threads_;
    std::vector<input_row> rows_;
    std::vector<scored_row> scored_;
};

/// Where a CSV goes: stdout ("-"), or a file that appears only when the run succeeds.
class csv_output {
public:
    explicit csv_output(const std::string& path) {
        if (path != "-") file_.emplace(path);
    }
    [[nodiscard]] std::ostream& stream() { return file_ ? file_->stream() : std::cout; }
    void commit() {
        if (file_) file_->commit();
        else if (!std::cout.flush()) throw ctml::ops::ops_error("stdout: write failed");
    }

private:
    std::optional<ctml::atomic_file<ctml::ops::ops_error>> file_;
};

/// What one reader's rows came to.
struct score_counts {
    std::size_t scored = 0;
    std::size_t rejected = 0;
};

/// Scores every row `reader` gives, o.chunk_rows at a time with `score_chunk`,
/// writing score lines to `scores_out` and, when there is a rejects stream,
/// setting bad rows aside there; without one, the first bad row throws
/// csv_error naming its line. No headers: every caller writes them once for
/// a whole file, which it may score in several parts.
score_counts score_rows(ctml::csv_record_reader<credit::scoring_schema>& reader, const credit::served_model& model,
                        chunk_scorer& score_chunk, const options& o, std::ostream& scores_out,
                        std::ostream* rejects_out) {
    using namespace ctml;
    csv_options no_header;
    no_header.header = false;
    csv_writer<score_schema> scores(scores_out, no_header, o.out);
    std::optional<csv_writer<reject_schema>> rejects_writer;
    if (rejects_out) rejects_writer.emplace(*rejects_out, no_header, o.rejects);
    auto* const rejects = rejects_writer ? &*rejects_writer : nullptr;
    const auto classes = model.class_names();
    score_counts counts;
    auto write = [&, line = record<score_schema>()](const scored_row& row) mutable {
        if (row.problem) {
            const auto& problem = *row.problem;
            if (!rejects)
                throw csv_error(reader.source(), problem.line, problem.column,
                                problem.reason + " (pass --rejects FILE to set bad rows aside)");
            record<reject_schema> r;
            r.set<"line">(static_cast<std::uint64_t>(problem.line)).set<"column">(problem.column);
            r.set<"reason">(problem.reason).set<"row">(problem.text);
            rejects->write(r);
            ++counts.rejected;
            return;
        }
        line.set<"Sno">(row.sno).set<"p_bad">(row.p_bad).set<"p_good">(row.p_good);
        line.set<"Risk">(classes[row.p_good > 0.5 ? 1 : 0]);
        scores.write(line);
        ++counts.scored;
    };

    // Rows, a bounded chunk at a time, scored, then back to rows in input order.
    namespace rv = ranges::views;
    auto scored = csv_row_view(reader)
                | rv::chunk(static_cast<std::ptrdiff_t>(o.chunk_rows))
                | rv::transform(std::ref(score_chunk))
                | rv::join;
    ranges::for_each(scored, write);
    if (rejects) rejects->flush();
    scores.flush();
    return counts;
}

/// --threads 0 means all cores for one process; under mpirun the ranks are the parallelism, so one thread each.
void resolve_threads(options& o, int ranks) {
    if (o.threads == 0) o.threads = ranks > 1 ? 1 : ctml::threads();
}

void print_summary(const score_counts& counts, const std::string& source, const credit::served_model& model,
                   double seconds, const options& o, int ranks) {
    std::fprintf(stderr, "credit-score: %zu rows scored, %zu rejected, from %s with %s in %.3f s (%d thread%s", counts.scored,
                 counts.rejected, source.c_str(), model.resolved.label.c_str(), seconds, o.threads,
                 o.threads == 1 ? "" : "s");
    if (ranks > 1) std::fprintf(stderr, " on each of %d ranks", ranks);
    std::fprintf(stderr, ")\n");
}

/// The output files of a run, with their headers written: they appear only when it succeeds.
struct score_outputs {
    csv_output scores;
    std::unique_ptr<csv_output> rejects;  // not an optional: GCC 12 warns, wrongly, of a nested one read uninitialised

    explicit score_outputs(const options& o) : scores(o.out) {
        if (!o.rejects.empty()) rejects = std::make_unique<csv_output>(o.rejects);
    }
    void commit() {
        if (rejects) rejects->commit();
        scores.commit();
    }
};

/// One block's output, made on a worker and written in order by the caller.
/// Its strings keep their capacity from one block to the next.
struct scored_block {
    std::string scores;
    std::string rejects;
    score_counts counts;
};

/// One thread's part of scoring a file in blocks: it reads, parses and scores
/// whole blocks, keeping its scorer's buffers and its output streams from
/// block to block, so after the first blocks it allocates next to nothing.
class block_scorer {
public:
    block_scorer(const options& o, const credit::served_model& model, std::uint64_t header_end,
                 std::span<const ctml::csv_byte_range> blocks)
        : o_(o), model_(model), header_end_(header_end), blocks_(blocks), scorer_(model.artifact.model, 1) {
        // The reader's buffer stays at its first size instead of growing to a
        // block for every block (the range stream reads straight into it).
        reader_options_.block_bytes = std::size_t{1} << 16;
    }

    void operator()(std::size_t b, scored_block& out) {
        using namespace ctml;
        const auto& range = blocks_[b];
        csv_range_stream in(o_.in, header_end_, range);
        csv_record_reader<credit::scoring_schema> reader(in, o_.in, reader_options_);
        reader.continue_at_line(range.first_line);
        out.scores.clear();
        out.rejects.clear();
        scores_text_.str(std::move(out.scores));  // writes into the string's capacity
        rejects_text_.str(std::move(out.rejects));
        out.counts = score_rows(reader, model_, scorer_, o_, scores_text_, o_.rejects.empty() ? nullptr : &rejects_text_);
        out.scores = std::move(scores_text_).str();
        out.rejects = std::move(rejects_text_).str();
    }

private:
    const options& o_;
    const credit::served_model& model_;
    std::uint64_t header_end_;
    std::span<const ctml::csv_byte_range> blocks_;
    chunk_scorer scorer_;
    ctml::csv_options reader_options_;
    std::ostringstream scores_text_, rejects_text_;
};

/// A regular file on threads: it is cut into record-aligned blocks
/// (--block-bytes, csv_partition.hpp), the threads read and score whole
/// blocks into strings, and this thread writes them in file order, so the
/// output, the rejects and the first error (with its line number) are those
/// of one reader -- parsing runs in parallel too, not only scoring. At most
/// two blocks per thread are in memory at once.
score_counts score_in_blocks(const options& o, const credit::served_model& model, std::uint64_t header_end,
                             score_outputs& outputs) {
    using namespace ctml;
    const auto blocks = plan_csv_blocks(o.in, header_end, o.block_bytes);
    score_counts total;
    map_blocks_in_order<scored_block>(
        blocks.size(), 2 * static_cast<std::size_t>(threads()),
        [&] { return block_scorer(o, model, header_end, blocks); },
        [&](const scored_block& block) {
            outputs.scores.stream() << block.scores;
            if (outputs.rejects) outputs.rejects->stream() << block.rejects;
            total.scored += block.counts.scored;
            total.rejected += block.counts.rejected;
        });
    return total;
}

int score(const options& o) {
    using namespace ctml;
    const auto started = std::chrono::steady_clock::now();
    const ops::workspace ws(ops::workspace::locate(o.workspace.workspace));
    const auto model = credit::load_model(o.model, ws, o.workspace.registry);

    std::ifstream file;
    std::error_code ec;
    if (o.in != "-") {
        if (std::filesystem::is_directory(o.in, ec)) throw csv_error(o.in, 0, "", "is a directory, not a file");
        file.open(o.in, std::ios::binary);
        if (!file) throw csv_error(o.in, 0, "", "cannot open file");
    }
    // The header is read here either way, so a bad one is reported before any work.
    csv_record_reader<credit::scoring_schema> reader(o.in == "-" ? std::cin : file, o.in == "-" ? "<stdin>" : o.in);

    score_outputs outputs(o);
    csv_writer<score_schema>(outputs.scores.stream(), {}, o.out).flush();
    if (outputs.rejects) csv_writer<reject_schema>(outputs.rejects->stream(), {}, o.rejects).flush();
    score_counts counts;
    if (o.threads > 1 && o.in != "-" && std::filesystem::is_regular_file(o.in, ec)) {
        set_threads(o.threads);
        counts = score_in_blocks(o, model, reader.bytes_consumed(), outputs);
    } else {  // one thread, or a stream that can only be read in order
        chunk_scorer score_chunk(model.artifact.model, o.threads);
        counts = score_rows(reader, model, score_chunk, o, outputs.scores.stream(),
                            outputs.rejects ? &outputs.rejects->stream() : nullptr);
    }
    outputs.commit();
    print_summary(counts, reader.source(), model,
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(), o, 1);
    return 0;
}

#if defined(CTML_HAVE_MPI)
/// Partitioned batch scoring under mpirun: each rank scores its own byte
/// range of the input (split on record boundaries, csv_partition.hpp) into a
/// part file beside the output; rank 0 then writes the header and the parts
/// in rank order through the same all-or-nothing output file. The result is
/// byte for byte the one-process output, and a bad row is reported as one
/// process reports it: the first in the file, with the file's line number.
int score_partitioned(const options& o, const ctml::mpi::session& mpi) {
    using namespace ctml;
    const auto started = std::chrono::steady_clock::now();
    // Every phase ends with the ranks agreeing on how it went (on_every_rank):
    // rank 0 reports the first failure in the file, the others leave quietly.
    std::optional<credit::served_model> model;
    credit::csv_part_view part;
    if (!credit::on_every_rank(mpi, [&] {
            if (o.in == "-" || o.out == "-")
                throw ops::ops_error("with " + std::to_string(mpi.size()) +
                                     " ranks, --in and --out must be files: each rank reads its own part of the input");
            const ops::workspace ws(ops::workspace::locate(o.workspace.workspace));
            model.emplace(credit::load_model(o.model, ws, o.workspace.registry));
            part = credit::view_my_csv_part<credit::scoring_schema>(mpi, o.in);
        }))
        return 2;
    const auto range = credit::my_csv_range(mpi, part);

    // This rank's part: scored rows (and rejects) without a header, in files of its own.
    const auto part_name = [&](const std::string& path, int rank) {
        return path + ".part-" + std::to_string(rank) + "-of-" + std::to_string(mpi.size());
    };
    const auto remove_parts = [&] {
        std::error_code ec;
        for (int r = 0; r < mpi.size(); ++r) {
            std::filesystem::remove(part_name(o.out, r), ec);
            if (!o.rejects.empty()) std::filesystem::remove(part_name(o.rejects, r), ec);
        }
    };
    score_counts mine;
    try {
        if (!credit::on_every_rank(mpi, [&] {
                csv_range_stream in(o.in, part.split.header_end, range);
                csv_record_reader<credit::scoring_schema> reader(in, o.in);
                reader.continue_at_line(range.first_line);
                atomic_file<ops::ops_error> scores_part(part_name(o.out, mpi.rank()));
                std::optional<atomic_file<ops::ops_error>> rejects_part;
                if (!o.rejects.empty()) rejects_part.emplace(part_name(o.rejects, mpi.rank()));
                chunk_scorer score_chunk(model->artifact.model, o.threads);
                mine = score_rows(reader, *model, score_chunk, o, scores_part.stream(),
                                  rejects_part ? &rejects_part->stream() : nullptr);
                scores_part.commit();
                if (rejects_part) rejects_part->commit();
            }))
            return 2;
    } catch (...) {
        remove_parts();  // rank 0, reporting the first failure: no output and no part is left
        throw;
    }
    const auto all = mpi.all_gather(mine);
    if (mpi.is_root()) {
        const auto assemble = [&](const std::string& path, auto header_writer) {
            csv_output out(path);
            header_writer(out.stream());
            for (int r = 0; r < mpi.size(); ++r) {
                std::ifstream part(part_name(path, r), std::ios::binary);
                if (!part) throw ops::ops_error(part_name(path, r) + ": a rank's part is missing");
                if (part.peek() != std::ifstream::traits_type::eof()) out.stream() << part.rdbuf();
            }
            out.commit();
        };
        assemble(o.out, [&](std::ostream& s) { csv_writer<score_schema>(s, {}, o.out).flush(); });
        if (!o.rejects.empty())
            assemble(o.rejects, [&](std::ostream& s) { csv_writer<reject_schema>(s, {}, o.rejects).flush(); });
        remove_parts();
        score_counts total;
        for (const auto& r : all) {
            total.scored += r.scored;
            total.rejected += r.rejected;
        }
        print_summary(total, o.in, *model, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(),
                      o, mpi.size());
    }
    return 0;
}
#endif

}  // namespace

int main(int argc, char** argv) {
    options o;
    credit::command_line app{"Scores a CSV of credit applications with a model: writes Sno,p_bad,p_good,Risk in input order.",
                 "credit-score"};
    app.add_option("--model", o.model, "An artifact path, NAME:VERSION or NAME@ALIAS").required();
    app.add_option("--in", o.in, "Input CSV, or - for stdin").required();
    app.add_option("--out", o.out, "Output CSV, or - for stdout").required();
    app.add_option("--threads", o.threads, "Threads that read and score (0: all cores); the output is the same for any number")
        .in_range(0, 256)
        .show_default();
    app.add_option("--rejects", o.rejects, "Set bad rows aside in this CSV (line, column, reason, row) and go on");
    app.add_option("--chunk-rows", o.chunk_rows, "Rows read and scored at a time (memory is bounded by it)")
        .in_range(std::size_t{1}, std::size_t{1} << 24)
        .show_default();
    app.add_option("--block-bytes", o.block_bytes,
                   "With several threads, the bytes of a file one thread reads and scores at a time")
        .in_range(std::uint64_t{1}, std::uint64_t{1} << 30)
        .show_default();
    app.add_workspace_options(o.workspace);
#if defined(CTML_HAVE_MPI)
    // Under mpirun, the ranks share the input; started alone, MPI is not even initialised.
    const ctml::mpi::session mpi(argc, argv);
    if (mpi.size() > 1)
        return app.run(argc, argv, [&] {
            resolve_threads(o, mpi.size());
            return score_partitioned(o, mpi);
        });
#endif
    return app.run(argc, argv, [&] {
        resolve_threads(o, 1);
        return score(o);
    });
}

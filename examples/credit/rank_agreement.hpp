// on_every_rank: how the credit programs keep the ranks of an mpirun job in
// step when something fails. A phase runs on every rank; then the ranks agree
// on how it went. When it threw on any rank, rank 0 throws the first failure
// in the file (a CSV error's line, then the rank) and the other ranks return
// false, quietly -- so a bad row or a fit that cannot converge is one message
// and exit 2, as in one process, and no rank waits for another that gave up.
#pragma once

#include <cstdint>
#include <exception>
#include <stdexcept>
#include <string>

#include <filesystem>
#include <fstream>
#include <system_error>

#include <ctml/io/csv_error.hpp>
#include <ctml/io/csv_partition.hpp>
#include <ctml/io/csv_record_reader.hpp>
#include <ctml/mpi/mpi_session.hpp>

namespace credit {

template <class Phase>
bool on_every_rank(const ctml::mpi::session& mpi, Phase&& phase) {
    struct outcome {
        std::uint64_t line = ~std::uint64_t{0};  ///< the bad line; the maximum when there is none
        bool failed = false;
    } mine;
    std::string message;
    try {
        phase();
    } catch (const ctml::csv_error& e) {
        mine = {e.line(), true};
        message = e.what();
    } catch (const std::exception& e) {
        mine = {~std::uint64_t{0}, true};
        message = e.what();
    }
    const auto all = mpi.all_gather(mine);
    const auto messages = mpi.gather_text(message);
    std::size_t first = all.size();
    for (std::size_t r = 0; r < all.size(); ++r)
        if (all[r].failed && (first == all.size() || all[r].line < all[first].line)) first = r;
    if (first == all.size()) return true;
    if (mpi.is_root()) throw std::runtime_error(messages[first]);
    return false;
}

/// One rank's view of a CSV file every rank reads: the split into parts and
/// this rank's summary of its bytes (csv_partition.hpp).
struct csv_part_view {
    ctml::csv_split split;
    ctml::csv_part_summary summary;
};

/// Checks the file and its header as one process does, and summarises this
/// rank's part; throws on a bad file, so call it inside on_every_rank.
template <class Schema>
csv_part_view view_my_csv_part(const ctml::mpi::session& mpi, const std::string& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) throw ctml::csv_error(path, 0, "", "is a directory, not a file");
    std::ifstream file(path, std::ios::binary);
    if (!file) throw ctml::csv_error(path, 0, "", "cannot open file");
    ctml::csv_record_reader<Schema> header(file, path);
    csv_part_view view{ctml::make_csv_split(path, header.bytes_consumed(), mpi.size()), {}};
    view.summary = ctml::summarize_csv_part(path, view.split.begin(mpi.rank()), view.split.begin(mpi.rank() + 1));
    return view;
}

/// This rank's byte range, from every rank's summary: the same plan on every rank.
inline ctml::csv_byte_range my_csv_range(const ctml::mpi::session& mpi, const csv_part_view& view) {
    return ctml::plan_csv_partition(mpi.all_gather(view.summary), view.split)[static_cast<std::size_t>(mpi.rank())];
}

}  // namespace credit

// my_csv_range: this rank's byte range of a CSV file shared by all ranks --
// its part summarised here, every part's summary gathered, the same plan
// computed on every rank (csv_partition.hpp). One all-gather of K small
// records; the file is read once in all, each rank its own part.
#pragma once

#include <filesystem>

#include "ctml/io/csv_options.hpp"
#include "ctml/io/csv_partition.hpp"
#include "ctml/mpi/mpi_session.hpp"

namespace ctml::mpi {

[[nodiscard]] inline csv_byte_range my_csv_range(const session& mpi, const std::filesystem::path& path,
                                                 const csv_split& split, const csv_options& options = {}) {
    const auto mine = summarize_csv_part(path, split.begin(mpi.rank()), split.begin(mpi.rank() + 1), options);
    const auto all = mpi.all_gather(mine);
    return plan_csv_partition(all, split)[static_cast<std::size_t>(mpi.rank())];
}

}  // namespace ctml::mpi

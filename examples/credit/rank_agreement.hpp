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

#include <ctml/io/csv_error.hpp>
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

}  // namespace credit

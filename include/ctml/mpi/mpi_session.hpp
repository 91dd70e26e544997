// mpi_session: MPI for a program that also runs without it. Started by
// mpirun (or srun, or any launcher that sets the PMI/PMIx variables), the
// program joins MPI_COMM_WORLD; started on its own it does not initialise MPI
// at all -- no 0.4 s singleton start-up, no MPI at run time -- and is one rank
// of one. The collectives ctml needs are here, typed, so the callers never
// spell an MPI datatype.
//
//   ctml::mpi::session mpi(argc, argv);
//   if (mpi.size() > 1) { … mpi.all_gather(summary) … }
#pragma once

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include <mpi.h>

namespace ctml::mpi {

/// True when a launcher started this process as one rank of a job.
[[nodiscard]] inline bool launched_by_mpirun() noexcept {
    for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE", "MPI_LOCALNRANKS"})
        if (std::getenv(name)) return true;
    return false;
}

class session {
public:
    session(int& argc, char**& argv) {
        if (!launched_by_mpirun()) return;
        int initialised = 0;
        MPI_Initialized(&initialised);
        if (!initialised) {
            int provided = 0;
            MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
            owns_ = true;
        }
        active_ = true;
        MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
        MPI_Comm_size(MPI_COMM_WORLD, &size_);
    }
    session(const session&) = delete;
    session& operator=(const session&) = delete;
    ~session() {
        if (owns_) MPI_Finalize();
    }

    [[nodiscard]] int rank() const noexcept { return rank_; }
    [[nodiscard]] int size() const noexcept { return size_; }
    [[nodiscard]] bool is_root() const noexcept { return rank_ == 0; }

    /// Every rank's value, in rank order, on every rank.
    template <class T>
    [[nodiscard]] std::vector<T> all_gather(const T& mine) const {
        static_assert(std::is_trivially_copyable_v<T>);
        std::vector<T> all(static_cast<std::size_t>(size_));
        if (!active_) {
            all[0] = mine;
            return all;
        }
        MPI_Allgather(&mine, sizeof(T), MPI_BYTE, all.data(), sizeof(T), MPI_BYTE, MPI_COMM_WORLD);
        return all;
    }

    /// Every rank's text, in rank order, on rank 0 (empty elsewhere).
    [[nodiscard]] std::vector<std::string> gather_text(const std::string& mine) const {
        if (!active_) return {mine};
        const int length = static_cast<int>(mine.size());
        std::vector<int> lengths(static_cast<std::size_t>(size_)), offsets(static_cast<std::size_t>(size_));
        MPI_Gather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
        std::string joined;
        if (is_root()) {
            int total = 0;
            for (int r = 0; r < size_; ++r) {
                offsets[static_cast<std::size_t>(r)] = total;
                total += lengths[static_cast<std::size_t>(r)];
            }
            joined.resize(static_cast<std::size_t>(total));
        }
        MPI_Gatherv(mine.data(), length, MPI_CHAR, joined.data(), lengths.data(), offsets.data(), MPI_CHAR, 0,
                    MPI_COMM_WORLD);
        std::vector<std::string> out;
        if (is_root())
            for (int r = 0; r < size_; ++r)
                out.push_back(joined.substr(static_cast<std::size_t>(offsets[static_cast<std::size_t>(r)]),
                                            static_cast<std::size_t>(lengths[static_cast<std::size_t>(r)])));
        return out;
    }

    /// Every rank's values, in rank order, on rank 0 (empty elsewhere).
    template <class T>
    [[nodiscard]] std::vector<std::vector<T>> gather(const std::vector<T>& mine) const {
        static_assert(std::is_trivially_copyable_v<T>);
        std::string bytes(mine.size() * sizeof(T), '\0');
        if (!mine.empty()) std::memcpy(bytes.data(), mine.data(), bytes.size());
        std::vector<std::vector<T>> out;
        for (const auto& part : gather_text(bytes)) {
            auto& values = out.emplace_back(part.size() / sizeof(T));
            if (!values.empty()) std::memcpy(values.data(), part.data(), values.size() * sizeof(T));
        }
        return out;
    }

    /// The sum over all ranks, on every rank (exact for integers).
    [[nodiscard]] std::uint64_t sum(std::uint64_t mine) const {
        if (!active_) return mine;
        std::uint64_t total = 0;
        MPI_Allreduce(&mine, &total, 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
        return total;
    }

    void barrier() const {
        if (active_) MPI_Barrier(MPI_COMM_WORLD);
    }

private:
    bool active_ = false;
    bool owns_ = false;
    int rank_ = 0;
    int size_ = 1;
};

}  // namespace ctml::mpi

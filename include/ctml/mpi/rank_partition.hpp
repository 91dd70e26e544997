// rank_partition: the rows of a fit split over the ranks of MPI_COMM_WORLD,
// each rank holding one part (row_partition.hpp). Every stage's combining
// goes through the two all-gathers here; each rank then adds or merges the
// parts itself, in rank order, so every rank computes the same numbers bit for
// bit whatever MPI's own reduction order -- which keeps the ranks' Newton
// steps, and their decisions to stop or to throw, identical.
//
//   ctml::mpi::session mpi(argc, argv);
//   const ctml::mpi::rank_partition ranks(mpi);
//   auto fitted = model.fit(my_rows, my_labels, ranks);
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include <mpi.h>

#include "ctml/mpi/mpi_session.hpp"
#include "ctml/pipeline/row_partition.hpp"

namespace ctml::mpi {

class rank_partition final : public row_partition {
public:
    explicit rank_partition(const session& mpi) : mpi_(mpi) {}

    [[nodiscard]] std::size_t parts() const noexcept override { return static_cast<std::size_t>(mpi_.size()); }

    [[nodiscard]] std::vector<std::vector<double>> all_gather(std::span<const double> mine) const override {
        if (mpi_.size() == 1) return {std::vector<double>(mine.begin(), mine.end())};
        const auto [counts, offsets, total] = layout(mine.size());
        std::vector<double> all(total);
        MPI_Allgatherv(mine.data(), static_cast<int>(mine.size()), MPI_DOUBLE, all.data(), counts.data(),
                       offsets.data(), MPI_DOUBLE, MPI_COMM_WORLD);
        std::vector<std::vector<double>> out(counts.size());
        for (std::size_t r = 0; r < counts.size(); ++r)
            out[r].assign(all.begin() + offsets[r], all.begin() + offsets[r] + counts[r]);
        return out;
    }

    [[nodiscard]] std::vector<std::vector<std::string>> all_gather(std::span<const std::string> mine) const override {
        if (mpi_.size() == 1) return {std::vector<std::string>(mine.begin(), mine.end())};
        // The lengths of every string, then their characters, each in one all-gather.
        std::vector<double> lengths;
        std::string text;
        for (const auto& s : mine) {
            lengths.push_back(static_cast<double>(s.size()));
            text += s;
        }
        const auto all_lengths = all_gather(std::span<const double>(lengths));
        const auto [counts, offsets, total] = layout(text.size());
        std::string all(total, '\0');
        MPI_Allgatherv(text.data(), static_cast<int>(text.size()), MPI_CHAR, all.data(), counts.data(), offsets.data(),
                       MPI_CHAR, MPI_COMM_WORLD);
        std::vector<std::vector<std::string>> out(counts.size());
        for (std::size_t r = 0; r < counts.size(); ++r) {
            std::size_t at = static_cast<std::size_t>(offsets[r]);
            for (const double length : all_lengths[r]) {
                out[r].push_back(all.substr(at, static_cast<std::size_t>(length)));
                at += static_cast<std::size_t>(length);
            }
        }
        return out;
    }

private:
    struct gather_layout {
        std::vector<int> counts, offsets;
        std::size_t total = 0;
    };

    /// Every rank's element count and where its elements start in the gathered buffer.
    /// Decided on the gathered counts, so every rank throws alike or none does.
    [[nodiscard]] gather_layout layout(std::size_t mine) const {
        const auto counts = mpi_.all_gather(static_cast<std::uint64_t>(mine));
        gather_layout out{std::vector<int>(counts.size()), std::vector<int>(counts.size()), 0};
        for (std::size_t r = 0; r < counts.size(); ++r) {
            if (out.total + counts[r] > static_cast<std::uint64_t>(std::numeric_limits<int>::max()))
                throw std::length_error("rank_partition: the parts together are too large for one MPI message");
            out.counts[r] = static_cast<int>(counts[r]);
            out.offsets[r] = static_cast<int>(out.total);
            out.total += counts[r];
        }
        return out;
    }

    const session& mpi_;
};

}  // namespace ctml::mpi

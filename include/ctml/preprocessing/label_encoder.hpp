// label_encoder: maps class labels to 0 .. n_classes - 1 in sorted order --
// scikit-learn's LabelEncoder. For the credit data: bad = 0, good = 1, so
// probability columns read [P(bad), P(good)].
//
// It encodes the target, so it is not a pipeline stage; a missing or unseen
// label is an error naming it.
#pragma once

#include <algorithm>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "ctml/pipeline/row_partition.hpp"
#include "ctml/schema/categorical_column.hpp"

namespace ctml {

class fitted_label_encoder {
public:
    explicit fitted_label_encoder(std::vector<std::string> classes) : classes_(std::move(classes)) {
        std::sort(classes_.begin(), classes_.end());
        classes_.erase(std::unique(classes_.begin(), classes_.end()), classes_.end());
    }

    /// The distinct labels, sorted; a label's code is its position here.
    [[nodiscard]] std::span<const std::string> classes() const noexcept { return classes_; }

    [[nodiscard]] int transform(std::string_view label) const {
        const auto it = std::lower_bound(classes_.begin(), classes_.end(), label);
        if (it == classes_.end() || *it != label) {
            std::string known;
            for (const auto& c : classes_) known += (known.empty() ? "\"" : ", \"") + c + "\"";
            throw std::invalid_argument("label_encoder: unknown label \"" + std::string(label) + "\" (known: " +
                                        known + ")");
        }
        return static_cast<int>(it - classes_.begin());
    }

    [[nodiscard]] std::vector<int> transform(const categorical_column& labels) const {
        std::vector<int> slot(labels.vocabulary().size(), -1);
        std::vector<int> out(labels.size());
        for (std::size_t i = 0; i < labels.size(); ++i) {
            if (labels.is_missing(i))
                throw std::invalid_argument("label_encoder: the label of row " + std::to_string(i) + " is missing");
            auto& s = slot[static_cast<std::size_t>(labels.code(i))];
            if (s < 0) s = transform(labels.value(i));
            out[i] = s;
        }
        return out;
    }

    [[nodiscard]] std::string_view inverse_transform(int code) const {
        if (code < 0 || static_cast<std::size_t>(code) >= classes_.size())
            throw std::out_of_range("label_encoder: no class with code " + std::to_string(code));
        return classes_[static_cast<std::size_t>(code)];
    }

private:
    std::vector<std::string> classes_;
};

struct label_encoder {
    [[nodiscard]] fitted_label_encoder fit(const categorical_column& labels) const {
        return fit(labels, all_rows_here());
    }

    /// Fits on this part of labels split over several processes: the classes are every part's.
    [[nodiscard]] fitted_label_encoder fit(const categorical_column& labels, const row_partition& rows) const {
        std::vector<std::string> classes;
        std::vector<bool> used(labels.vocabulary().size(), false);
        std::size_t first_missing = labels.size();
        for (std::size_t i = 0; i < labels.size(); ++i) {
            if (labels.is_missing(i)) {
                first_missing = std::min(first_missing, i);
                continue;
            }
            used[static_cast<std::size_t>(labels.code(i))] = true;
        }
        for (std::size_t k = 0; k < used.size(); ++k)
            if (used[k]) classes.push_back(labels.vocabulary()[k]);
        // Decided on what every part sees, so no part throws while the others wait.
        if (any_part(rows, first_missing < labels.size()))
            throw std::invalid_argument(first_missing < labels.size()
                                            ? "label_encoder: the label of row " + std::to_string(first_missing) + " is missing"
                                            : std::string("label_encoder: another part's rows have a missing label"));
        classes = union_over_parts(rows, std::move(classes));
        if (classes.empty()) throw std::invalid_argument("label_encoder: no labels to fit");
        return fitted_label_encoder(std::move(classes));
    }

    [[nodiscard]] fitted_label_encoder fit(std::span<const std::string> labels) const {
        if (labels.empty()) throw std::invalid_argument("label_encoder: no labels to fit");
        return fitted_label_encoder(std::vector<std::string>(labels.begin(), labels.end()));
    }
};

}  // namespace ctml

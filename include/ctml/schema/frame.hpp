// frame<Schema>: a table in columnar storage -- what the CSV reader produces,
// what stages fit on and transform, what batch scoring runs over.
//
// Numeric columns are contiguous runs (Eigen-viewable), categorical columns
// are dictionary-encoded, missing values are explicit. Column storage is
// immutable and shared, so copying a frame or selecting columns copies no
// values. The pandas counterpart is a DataFrame with a fixed set of dtypes.
//
//   auto f = read_csv<credit_schema>("dataset/german_credit_data.csv");
//   double mean_age = f.column<"Age">().as_eigen().template cast<double>().mean();
#pragma once

#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "ctml/schema/column_traits.hpp"
#include "ctml/schema/record.hpp"
#include "ctml/schema/schema.hpp"

namespace ctml {

template <class S>
class frame;

template <class... Columns>
class frame<schema<Columns...>> {
public:
    using schema_type = schema<Columns...>;
    using record_type = record<schema_type>;

    /// An empty frame: zero rows.
    frame() = default;

    /// Columns in schema order. Throws std::invalid_argument when lengths differ,
    /// a non-nullable column holds a missing value, or a declared-category
    /// column's vocabulary is not the declared one.
    /// (Constrained so that a frame of the empty schema has just the default constructor.)
    explicit frame(storage_t<Columns>... columns)
        requires(sizeof...(Columns) > 0)
        : columns_(std::move(columns)...) {
        if constexpr (sizeof...(Columns) > 0) rows_ = std::get<0>(columns_).size();
        for_each_column_index<schema_type>([&](auto i) { check_column<i>(); });
    }

    [[nodiscard]] std::size_t rows() const noexcept { return rows_; }
    [[nodiscard]] static constexpr std::size_t cols() noexcept { return sizeof...(Columns); }
    [[nodiscard]] bool empty() const noexcept { return rows_ == 0; }

    template <fixed_string Name>
    [[nodiscard]] const auto& column() const noexcept {
        return std::get<schema_type::template index_of<Name>>(columns_);
    }
    template <std::size_t I>
    [[nodiscard]] const auto& column_at() const noexcept { return std::get<I>(columns_); }

    /// Row i as a record; precondition: i < rows().
    [[nodiscard]] record_type row(std::size_t i) const {
        record_type r;
        for_each_column_index<schema_type>([&](auto c) {
            using column = typename schema_type::template column_at<c>;
            const auto& col = std::get<c>(columns_);
            auto& cell = r.template get_at<c>();
            if (col.is_missing(i)) {
                if constexpr (column::is_nullable) cell = std::nullopt;
            } else if constexpr (column::is_numeric) {
                cell = col[i];
            } else if constexpr (column::has_declared_categories) {
                cell = value_t<column>::from_index(static_cast<std::size_t>(col.code(i)));
            } else {
                cell = value_t<column>(col.value(i));
            }
        });
        return r;
    }

    /// The named columns, in the order named, sharing storage with this frame.
    template <fixed_string... Names>
    [[nodiscard]] frame<typename schema_type::template select<Names...>> select() const {
        return frame<typename schema_type::template select<Names...>>(
            std::get<schema_type::template index_of<Names>>(columns_)...);
    }

    /// The columns of a sub-schema (its names and types must match this frame's), sharing storage.
    template <class Sub>
        requires ctml::schema_type<Sub>
    [[nodiscard]] frame<Sub> select() const {
        return [&]<class... Picked>(std::type_identity<schema<Picked...>>) {
            static_assert((std::is_same_v<Picked, typename schema_type::template column_named<Picked::name>> && ...),
                          "ctml::frame::select<Schema>: a column's type differs from this frame's");
            return frame<Sub>(this->template column<Picked::name>()...);
        }(std::type_identity<Sub>{});
    }

    /// Rows [begin, end), sharing this frame's storage: no value is copied. Throws std::out_of_range
    /// unless begin <= end <= rows().
    [[nodiscard]] frame slice(std::size_t begin, std::size_t end) const {
        if (begin > end || end > rows_)
            throw std::out_of_range("ctml::frame::slice: rows [" + std::to_string(begin) + ", " + std::to_string(end) +
                                    ") of a frame with " + std::to_string(rows_) + " rows");
        if constexpr (sizeof...(Columns) == 0) {
            return {};
        } else {
            return std::apply([&](const auto&... cols) { return frame(cols.slice(begin, end - begin)...); }, columns_);
        }
    }

    /// The given rows, in the given order (repeats allowed). Throws std::out_of_range on a bad index.
    [[nodiscard]] frame take(std::span<const std::size_t> indices) const {
        for (auto i : indices)
            if (i >= rows_)
                throw std::out_of_range("ctml::frame::take: row " + std::to_string(i) + " of a frame with " +
                                        std::to_string(rows_) + " rows");
        return std::apply([&](const auto&... cols) { return frame(gather(cols, indices)...); }, columns_);
    }

private:
    template <std::size_t I>
    void check_column() const {
        using column = typename schema_type::template column_at<I>;
        const auto& col = std::get<I>(columns_);
        const std::string name(column::name.view());
        if (col.size() != rows_)
            throw std::invalid_argument("ctml::frame: column \"" + name + "\" has " + std::to_string(col.size()) +
                                        " rows, the first column " + std::to_string(rows_));
        if (!column::is_nullable && col.has_missing())
            throw std::invalid_argument("ctml::frame: column \"" + name +
                                        "\" is not nullable but holds missing values");
        if constexpr (column::has_declared_categories) {
            using cats = typename column::value_kind;
            const auto vocabulary = col.vocabulary();
            bool same = vocabulary.size() == cats::size;
            for (std::size_t k = 0; same && k < cats::size; ++k) same = vocabulary[k] == cats::values[k];
            if (!same)
                throw std::invalid_argument("ctml::frame: column \"" + name +
                                            "\" must use its declared categories as vocabulary, in order");
        }
    }

    template <numeric_value T>
    static numeric_column<T> gather(const numeric_column<T>& col, std::span<const std::size_t> indices) {
        std::vector<T> values(indices.size());
        std::vector<std::uint8_t> missing;
        if (col.has_missing()) missing.resize(indices.size());
        for (std::size_t k = 0; k < indices.size(); ++k) {
            values[k] = col[indices[k]];
            if (!missing.empty()) missing[k] = col.is_missing(indices[k]) ? 1 : 0;
        }
        return numeric_column<T>(std::move(values), std::move(missing));
    }

    static categorical_column gather(const categorical_column& col, std::span<const std::size_t> indices) {
        std::vector<categorical_column::code_type> codes(indices.size());
        for (std::size_t k = 0; k < indices.size(); ++k) codes[k] = col.code(indices[k]);
        return categorical_column(detail::shared_buffer<categorical_column::code_type>(std::move(codes)),
                                  col.shared_vocabulary());
    }

    std::tuple<storage_t<Columns>...> columns_{};
    std::size_t rows_ = 0;
};

/// True for any instantiation of ctml::frame.
template <class F>
concept frame_type = requires(const F& f) {
    typename F::schema_type;
    { f.rows() } -> std::convertible_to<std::size_t>;
} && std::same_as<F, frame<typename F::schema_type>>;

}  // namespace ctml

// frame_builder<Schema>: appends rows (records or cell by cell) and hands over
// a frame. The CSV reader fills one column builder per column through it.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <tuple>
#include <utility>

#include "ctml/schema/column_traits.hpp"
#include "ctml/schema/frame.hpp"
#include "ctml/schema/record.hpp"
#include "ctml/schema/schema.hpp"

namespace ctml {

template <class S>
class frame_builder;

template <class... Columns>
class frame_builder<schema<Columns...>> {
public:
    using schema_type = schema<Columns...>;

    frame_builder() : builders_(make_builder<Columns>()...) {}

    void reserve(std::size_t rows) {
        std::apply([&](auto&... b) { (b.reserve(rows), ...); }, builders_);
    }

    template <std::size_t I>
    [[nodiscard]] auto& column_at() noexcept { return std::get<I>(builders_); }

    [[nodiscard]] std::size_t rows() const noexcept {
        if constexpr (sizeof...(Columns) == 0) return 0;
        else return std::get<0>(builders_).size();
    }

    void push_back(const record<schema_type>& r) {
        for_each_column_index<schema_type>([&](auto c) {
            using column = typename schema_type::template column_at<c>;
            auto& b = std::get<c>(builders_);
            const auto& cell = r.template get_at<c>();
            if constexpr (column::is_nullable) {
                if (!cell) b.push_back_missing();
                else append(b, *cell);
            } else {
                append(b, cell);
            }
        });
    }

    [[nodiscard]] frame<schema_type> finish() && {
        return std::apply([](auto&... b) { return frame<schema_type>(std::move(b).finish()...); }, builders_);
    }

private:
    template <class B, class V>
    static void append(B& b, const V& value) {
        if constexpr (requires { value.view(); }) {
            (void)b.push_back(value.view());  // declared: always in the vocabulary
        } else if constexpr (requires { std::string_view(value); }) {
            (void)b.push_back(std::string_view(value));
        } else {
            b.push_back(value);
        }
    }

    std::tuple<builder_t<Columns>...> builders_;
};

}  // namespace ctml

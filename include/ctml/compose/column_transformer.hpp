// column_transformer: routes named columns to their own stages and places the
// outputs side by side -- scikit-learn's ColumnTransformer.
//
//   column_transformer{
//       on<"Age", "Job", "Credit amount", "Duration">("num", standard_scaler{}),
//       on<"Sex", "Housing", "Saving accounts", "Checking account", "Purpose">(
//           "cat", simple_imputer{.strategy = impute_strategy::constant} | one_hot_encoder{})}
//
// Output columns follow the declaration order of the groups; feature names are
// `group__feature` ("num__Age", "cat__Sex_female"). Columns no group names are
// dropped, or, with `remainder_passthrough` as the first argument, appended as
// they are (numeric, non-nullable columns only) under the group name
// "remainder". Every group must end in a stage that outputs features. A group
// naming a column the schema lacks does not compile.
#pragma once

#include <concepts>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "ctml/compose/column_group.hpp"
#include "ctml/detail/always_false.hpp"
#include "ctml/detail/numeric_input.hpp"
#include "ctml/detail/select_columns.hpp"
#include "ctml/pipeline/concepts.hpp"
#include "ctml/pipeline/row_transform.hpp"

namespace ctml {

/// Drop the columns no group names (scikit-learn's remainder="drop", the default).
struct remainder_drop_t {};
/// Append the columns no group names, unchanged (remainder="passthrough").
struct remainder_passthrough_t {};
inline constexpr remainder_drop_t remainder_drop{};
inline constexpr remainder_passthrough_t remainder_passthrough{};

/// What a column_transformer does with the columns no group names.
template <class R>
concept remainder_policy = std::same_as<R, remainder_drop_t> || std::same_as<R, remainder_passthrough_t>;

namespace detail {

template <class S, class Named>
struct remainder_schema;
template <class... Cs, class Named>
struct remainder_schema<schema<Cs...>, Named> {
    using type = decltype(std::tuple_cat(
        std::declval<std::conditional_t<Named::template contains<Cs::name>, std::tuple<>, std::tuple<Cs>>>()...));
};
template <class Tuple> struct schema_of_tuple;
template <class... Cs> struct schema_of_tuple<std::tuple<Cs...>> { using type = schema<Cs...>; };

/// The names the groups route, for membership tests.
template <fixed_string... Names>
struct name_set {
    template <fixed_string Name>
    static constexpr bool contains = ((Name == Names) || ...);
};
template <class... Groups>
struct routed_names;
template <>
struct routed_names<> { using type = name_set<>; };
template <class G, class... Rest>
struct routed_names<G, Rest...> {
    template <class A, class B> struct join;
    template <fixed_string... A, fixed_string... B>
    struct join<name_set<A...>, name_set<B...>> { using type = name_set<A..., B...>; };
    using type = typename join<typename G::names, typename routed_names<Rest...>::type>::type;
};

}  // namespace detail

template <class In, class Remainder, class... FittedGroups>
class fitted_column_transformer;

template <remainder_policy Remainder, class... Groups>
class column_transformer;

// The constraint also keeps class template argument deduction from taking the
// first group for the remainder policy.
template <remainder_policy Remainder, class... Groups>
class column_transformer {
    static_assert(sizeof...(Groups) > 0, "ctml::column_transformer needs at least one on<...>(stage) group");

public:
    static constexpr stage_kind kind = stage_kind::transformer;
    static constexpr std::string_view stage_name = "column_transformer";

    explicit column_transformer(Groups... groups) : groups_(std::move(groups)...) { check_names(); }
    column_transformer(Remainder, Groups... groups) : groups_(std::move(groups)...) { check_names(); }

    [[nodiscard]] const std::tuple<Groups...>& groups() const noexcept { return groups_; }
    [[nodiscard]] bool operator==(const column_transformer&) const = default;

    template <table In>
    [[nodiscard]] auto fit(const In& x) const {
        static_assert(frame_type<In>, "ctml: column_transformer routes named columns, so it needs a frame");
        // Every routed name is looked up here first, so a missing column is
        // reported from this call rather than from deep inside a group's fit.
        static_assert((Groups::template routes_columns_of<typename In::schema_type> && ...));
        return [&]<std::size_t... I>(std::index_sequence<I...>) {
            return fitted_column_transformer<In, Remainder, decltype(std::get<I>(groups_).fit(x))...>(
                std::get<I>(groups_).fit(x)...);
        }(std::index_sequence_for<Groups...>{});
    }

    // If your compile breaks here, you called transform() on a stage that is not
    // fitted: fit() returns the fitted stage, which has transform().
    template <class X>
    void transform(const X&) const {
        static_assert(detail::always_false<X>,
                      "ctml: column_transformer is not fitted -- call fit() first; it returns the fitted stage");
    }

private:
    void check_names() const {
        std::vector<std::string_view> names;
        std::apply([&](const auto&... g) { (names.push_back(g.name()), ...); }, groups_);
        for (std::size_t i = 0; i < names.size(); ++i)
            for (std::size_t j = i + 1; j < names.size(); ++j)
                if (names[i] == names[j])
                    throw std::invalid_argument("column_transformer: two groups are named \"" + std::string(names[i]) +
                                                "\"; name them, e.g. on<...>(\"num\", stage)");
    }

    std::tuple<Groups...> groups_;
};

template <class... Groups>
column_transformer(Groups...) -> column_transformer<remainder_drop_t, Groups...>;
template <class... Groups>
column_transformer(remainder_drop_t, Groups...) -> column_transformer<remainder_drop_t, Groups...>;
template <class... Groups>
column_transformer(remainder_passthrough_t, Groups...) -> column_transformer<remainder_passthrough_t, Groups...>;

template <class... Cs, class Remainder, class... FittedGroups>
class fitted_column_transformer<frame<schema<Cs...>>, Remainder, FittedGroups...> {
    using in_schema = schema<Cs...>;
    using in_frame = frame<in_schema>;
    static constexpr bool passthrough = std::is_same_v<Remainder, remainder_passthrough_t>;
    using remainder_schema = std::conditional_t<
        passthrough,
        typename detail::schema_of_tuple<
            typename detail::remainder_schema<in_schema, typename detail::routed_names<FittedGroups...>::type>::type>::type,
        schema<>>;
    using remainder_input = detail::numeric_input<"column_transformer remainder", frame<remainder_schema>>;
    static constexpr int remainder_width = static_cast<int>(remainder_schema::size);

public:
    static constexpr int width = sum_widths<FittedGroups::width..., remainder_width>;
    using output_type = feature_matrix<width>;
    using params_type = column_transformer<Remainder, typename FittedGroups::params_type...>;

    explicit fitted_column_transformer(FittedGroups... groups) : groups_(std::move(groups)...) {
        n_features_out_ = remainder_width;
        std::apply([&](const auto&... g) { ((n_features_out_ += g.n_features_out()), ...); }, groups_);
    }

    [[nodiscard]] const std::tuple<FittedGroups...>& groups() const noexcept { return groups_; }
    template <std::size_t I>
    [[nodiscard]] const auto& group() const noexcept { return std::get<I>(groups_); }
    [[nodiscard]] int n_features_out() const noexcept { return n_features_out_; }
    [[nodiscard]] params_type params() const {
        return std::apply([](const auto&... g) { return params_type(Remainder{}, g.params()...); }, groups_);
    }

    [[nodiscard]] output_type transform(const in_frame& x) const {
        output_type out(static_cast<Eigen::Index>(x.rows()), n_features_out_);
        transform_into(x, out);
        return out;
    }

    void transform_into(const in_frame& x, feature_block out) const {
        Eigen::Index offset = 0;
        std::apply(
            [&](const auto&... g) {
                ((g.transform_into(x, out.middleCols(offset, g.n_features_out())), offset += g.n_features_out()), ...);
            },
            groups_);
        if constexpr (passthrough) {
            remainder_input::for_each_column(x.template select<remainder_schema>(), [&](std::size_t j, auto values) {
                auto column = out.col(offset + static_cast<Eigen::Index>(j));
                for (std::size_t i = 0; i < values.size(); ++i)
                    column(static_cast<Eigen::Index>(i)) = static_cast<double>(values[i]);
            });
        }
    }

    void transform_row_into(const record<in_schema>& r, feature_row_block out) const {
        Eigen::Index offset = 0;
        std::apply(
            [&](const auto&... g) {
                ((g.transform_row_into(r, out.segment(offset, g.n_features_out())), offset += g.n_features_out()), ...);
            },
            groups_);
        if constexpr (passthrough) {
            remainder_input::for_each_cell(detail::select_record<remainder_schema>(r), [&](std::size_t j, double v) {
                out(offset + static_cast<Eigen::Index>(j)) = v;
            });
        }
    }

    [[nodiscard]] std::vector<std::string> feature_names_out(std::span<const std::string> = {}) const {
        std::vector<std::string> names;
        std::apply(
            [&](const auto&... g) {
                (
                    [&] {
                        for (auto& name : g.feature_names_out()) names.push_back(std::string(g.name()) + "__" + name);
                    }(),
                    ...);
            },
            groups_);
        for (auto name : remainder_schema::names) names.push_back("remainder__" + std::string(name));
        return names;
    }

private:
    std::tuple<FittedGroups...> groups_;
    int n_features_out_ = 0;
};

}  // namespace ctml

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

#include <algorithm>
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

#include <boost/hana/define_struct.hpp>

#include "ctml/compose/column_group.hpp"
#include "ctml/detail/always_false.hpp"
#include "ctml/detail/numeric_input.hpp"
#include "ctml/pipeline/column_fold.hpp"
#include "ctml/pipeline/concepts.hpp"
#include "ctml/pipeline/feature_design.hpp"
#include "ctml/pipeline/row_partition.hpp"
#include "ctml/pipeline/row_transform.hpp"

namespace ctml {

/// Drop the columns no group names (scikit-learn's remainder="drop", the default).
struct remainder_drop_t {};
/// Append the columns no group names, unchanged (remainder="passthrough").
struct remainder_passthrough_t {};
inline constexpr remainder_drop_t remainder_drop{};
inline constexpr remainder_passthrough_t remainder_passthrough{};

/// The remainder policy's name, as the artifact records it.
template <class R>
inline constexpr std::string_view remainder_name = std::is_same_v<R, remainder_passthrough_t> ? "passthrough" : "drop";

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

/// The position of the first group whose name an earlier group already has, or npos.
template <class Tuple>
std::size_t repeated_group_name(const Tuple& groups, std::string& name) {
    std::vector<std::string_view> names;
    std::apply([&](const auto&... g) { (names.push_back(g.name()), ...); }, groups);
    for (std::size_t i = 0; i < names.size(); ++i)
        for (std::size_t j = 0; j < i; ++j)
            if (names[i] == names[j]) {
                name = std::string(names[i]);
                return i;
            }
    return static_cast<std::size_t>(-1);
}

}  // namespace detail

template <class In, class Remainder, class... FittedGroups>
class fitted_column_transformer;

template <remainder_policy Remainder, class... Groups>
class column_transformer;

namespace detail {
template <class In, class Remainder, class... Groups>
struct fitted_column_transformer_of {
    using type = void;
};
template <frame_type In, class Remainder, class... Groups>
struct fitted_column_transformer_of<In, Remainder, Groups...> {
    using type = fitted_column_transformer<In, Remainder, typename Groups::template fitted_type<In>...>;
};
}  // namespace detail

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

    /// What fit() returns on the frame In, named without instantiating fit
    /// (void for a matrix: fit's body then says it needs a frame).
    template <class In>
    using fitted_type = typename detail::fitted_column_transformer_of<In, Remainder, Groups...>::type;

    template <table In>
    [[nodiscard]] fitted_type<In> fit(const In& x) const {
        return fit(x, all_rows_here());
    }

    /// Fits every group on this part of rows split over several processes.
    template <table In>
    [[nodiscard]] fitted_type<In> fit(const In& x, const row_partition& rows) const {
        static_assert(frame_type<In>, "ctml: column_transformer routes named columns, so it needs a frame");
        // Every routed name is looked up here first, so a missing column is
        // reported from this call rather than from deep inside a group's fit.
        static_assert((Groups::template routes_columns_of<typename In::schema_type> && ...));
        return [&]<std::size_t... I>(std::index_sequence<I...>) {
            // A braced list fits the groups in declaration order: every part makes its collective calls alike.
            std::tuple<typename Groups::template fitted_type<In>...> groups{std::get<I>(groups_).fit(x, rows)...};
            return fitted_type<In>::restore({std::string(remainder_name<Remainder>)}, std::move(std::get<I>(groups))...);
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
        std::string name;
        if (detail::repeated_group_name(groups_, name) != static_cast<std::size_t>(-1))
            throw std::invalid_argument("column_transformer: two groups are named \"" + name +
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
    static constexpr int version = 1;
    static constexpr std::string_view stage_name = "column_transformer";
    static constexpr std::string_view children_key = "groups";
    using output_type = feature_matrix<width>;
    using params_type = column_transformer<Remainder, typename FittedGroups::params_type...>;

    struct own_params_type {
        /// "drop" or "passthrough": fixed by the type, recorded so a file cannot claim otherwise.
        BOOST_HANA_DEFINE_STRUCT(own_params_type, (std::string, remainder));
    };

    [[nodiscard]] static fitted_column_transformer restore(const own_params_type& own, FittedGroups... groups) {
        if (own.remainder != remainder_name<Remainder>)
            throw invalid_state(stage_name, "params.remainder",
                                "this program's column_transformer has remainder " + std::string(remainder_name<Remainder>));
        fitted_column_transformer out(std::move(groups)...);
        std::string name;
        if (const auto i = detail::repeated_group_name(out.groups_, name); i != static_cast<std::size_t>(-1))
            throw invalid_state(stage_name, "groups[" + std::to_string(i) + "]", "two groups are named \"" + name + "\"");
        return out;
    }

    [[nodiscard]] const std::tuple<FittedGroups...>& groups() const noexcept { return groups_; }
    [[nodiscard]] const std::tuple<FittedGroups...>& children() const noexcept { return groups_; }
    [[nodiscard]] own_params_type own_params() const { return {std::string(remainder_name<Remainder>)}; }
    template <std::size_t I>
    [[nodiscard]] const auto& group() const noexcept { return std::get<I>(groups_); }
    [[nodiscard]] static constexpr int n_features_in() noexcept { return static_cast<int>(in_schema::size); }
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

    /// The same features as transform_into, with one-hot blocks kept as codes.
    void design_into(const in_frame& x, feature_design& design, Eigen::Index offset) const {
        std::apply(
            [&](const auto&... g) { ((append_design(g, x, design, offset), offset += g.n_features_out()), ...); },
            groups_);
        if constexpr (passthrough) {
            auto remainder = design.add_dense(offset, remainder_width);
            remainder_input::for_each_column(x.template select<remainder_schema>(), [&](std::size_t j, auto values) {
                for (std::size_t i = 0; i < values.size(); ++i)
                    remainder(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = static_cast<double>(values[i]);
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
            remainder_input::for_each_cell(r.template select<remainder_schema>(), [&](std::size_t j, double v) {
                out(offset + static_cast<Eigen::Index>(j)) = v;
            });
        }
    }

    /// What each input column adds to w · features (column_fold.hpp): its group's fold, nothing
    /// for a dropped column, w · x for a passed-through one. A column two groups read cannot be
    /// folded into one number per value; it is marked unfoldable.
    [[nodiscard]] std::vector<column_fold> fold_columns(std::span<const double> w) const
        requires(detail::folds_features<FittedGroups> && ...)
    {
        std::vector<column_fold> out(in_schema::size);
        const auto place = [&](std::size_t column, column_fold fold) {
            if (out[column].used) out[column].unfoldable = true;
            else out[column] = std::move(fold);
        };
        std::size_t offset = 0;
        std::apply(
            [&](const auto&... g) {
                (
                    [&](const auto& group) {
                        const auto width = static_cast<std::size_t>(group.n_features_out());
                        auto folds = group.fold_columns(w.subspan(offset, width));
                        const auto& routed = std::remove_cvref_t<decltype(group)>::template routed_indices<in_schema>;
                        for (std::size_t k = 0; k < routed.size(); ++k) place(routed[k], std::move(folds[k]));
                        offset += width;
                    }(g),
                    ...);
            },
            groups_);
        if constexpr (passthrough) {
            for (std::size_t k = 0; k < remainder_schema::size; ++k) {
                const auto at = std::find(in_schema::names.begin(), in_schema::names.end(), remainder_schema::names[k]);
                place(static_cast<std::size_t>(at - in_schema::names.begin()), column_fold::numeric(w[offset + k], 0.0));
            }
        }
        return out;
    }

    /// Each group's features in declaration order, then the remainder's, from `inputs` (one per schema column).
    [[nodiscard]] std::vector<feature_origin> feature_origins(std::span<const feature_origin> inputs) const {
        std::vector<feature_origin> out;
        std::apply(
            [&](const auto&... g) {
                (
                    [&] {
                        std::vector<feature_origin> routed;
                        for (auto j : std::remove_cvref_t<decltype(g)>::template routed_indices<in_schema>)
                            routed.push_back(inputs[j]);
                        for (auto& o : g.feature_origins(routed)) out.push_back(std::move(o));
                    }(),
                    ...);
            },
            groups_);
        for (auto name : remainder_schema::names) {
            feature_origin o = inputs[in_schema::find(name)];
            o.name = "remainder__" + o.name;
            o.group = "remainder";
            out.push_back(std::move(o));
        }
        return out;
    }
    [[nodiscard]] std::vector<feature_origin> feature_origins() const {
        const std::vector<std::string> names(in_schema::names.begin(), in_schema::names.end());
        return feature_origins(input_origins(names));
    }
    /// Feature names in scikit-learn's `group__feature` form ("num__Age", "cat__Sex_female").
    [[nodiscard]] std::vector<std::string> feature_names_out() const { return names_of(feature_origins()); }

private:
    explicit fitted_column_transformer(FittedGroups... groups) : groups_(std::move(groups)...) {
        n_features_out_ = remainder_width;
        std::apply([&](const auto&... g) { ((n_features_out_ += g.n_features_out()), ...); }, groups_);
    }

    std::tuple<FittedGroups...> groups_;
    int n_features_out_ = 0;
};

}  // namespace ctml

// on<"A", "B">(stage): one group of a column_transformer -- the named columns,
// the stage (or pipeline) that turns them into features, and the group's name
// ("num", "cat") that prefixes its feature names. Without a name, the group is
// called after its stage ("standard_scaler", "pipeline").
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include <boost/hana/define_struct.hpp>

#include "ctml/pipeline/column_fold.hpp"
#include "ctml/pipeline/concepts.hpp"
#include "ctml/pipeline/feature_design.hpp"
#include "ctml/pipeline/row_partition.hpp"
#include "ctml/pipeline/row_transform.hpp"
#include "ctml/schema/frame.hpp"

namespace ctml {

namespace detail {
template <fixed_string... Names>
struct name_set;

// If your compile breaks here, a column group ends in a stage that keeps
// named columns (such as simple_imputer) instead of producing features:
// end it with a scaler or a one_hot_encoder.
template <class Fitted>
struct column_group_must_output_features {
    static_assert(requires { Fitted::width; },
                  "ctml: every column_transformer group must end in a stage that outputs features -- see "
                  "'column_group_must_output_features<...>' above");
    static constexpr bool value = true;
};
}  // namespace detail

template <class Stage, fixed_string... Names>
class column_group;

template <class Fitted, fixed_string... Names>
class fitted_column_group {
    static_assert(detail::column_group_must_output_features<Fitted>::value);

public:
    using names = detail::name_set<Names...>;
    using params_type = column_group<typename Fitted::params_type, Names...>;
    static constexpr int width = Fitted::width;
    static constexpr int version = 1;
    static constexpr std::string_view stage_name = "column_group";
    static constexpr std::string_view children_key = "steps";

    /// What a group is besides its stage: its name and the columns it routes.
    struct own_params_type {
        BOOST_HANA_DEFINE_STRUCT(own_params_type, (std::string, name), (std::vector<std::string>, columns));
    };

    [[nodiscard]] static fitted_column_group restore(const own_params_type& own, Fitted fitted) {
        if (own.columns != std::vector<std::string>{std::string(Names.view())...})
            throw invalid_state(stage_name, "params.columns", "the group routes other columns than this program's");
        if (own.name.empty()) throw invalid_state(stage_name, "params.name", "a group name must not be empty");
        return fitted_column_group(own.name, std::move(fitted));
    }

    [[nodiscard]] std::string_view name() const noexcept { return name_; }
    [[nodiscard]] const Fitted& fitted() const noexcept { return fitted_; }
    [[nodiscard]] own_params_type own_params() const { return {name_, {std::string(Names.view())...}}; }
    [[nodiscard]] std::tuple<const Fitted&> children() const noexcept { return {fitted_}; }
    [[nodiscard]] params_type params() const;
    [[nodiscard]] static constexpr int n_features_in() noexcept { return static_cast<int>(sizeof...(Names)); }
    [[nodiscard]] int n_features_out() const { return fitted_.n_features_out(); }

    /// Where the routed columns sit in Schema.
    template <class Schema>
    static constexpr std::array<std::size_t, sizeof...(Names)> routed_indices{Schema::template index_of<Names>...};

    template <class Frame>
    void transform_into(const Frame& x, feature_block out) const {
        fitted_.transform_into(x.template select<Names...>(), out);
    }

    template <class Frame>
    void design_into(const Frame& x, feature_design& design, Eigen::Index offset) const {
        append_design(fitted_, x.template select<Names...>(), design, offset);
    }

    template <class Record>
    void transform_row_into(const Record& r, feature_row_block out) const {
        using sub_schema = typename Record::schema_type::template select<Names...>;
        fitted_.transform_row_into(r.template select<sub_schema>(), out);
    }

    /// What each routed column adds to w · features, in routing order (column_fold.hpp).
    [[nodiscard]] std::vector<column_fold> fold_columns(std::span<const double> w) const
        requires detail::folds_features<Fitted>
    {
        return fitted_.fold_columns(w);
    }

    /// The stage's origins for the routed columns (`inputs`, in routing order), named `group__feature`.
    [[nodiscard]] std::vector<feature_origin> feature_origins(std::span<const feature_origin> inputs) const {
        auto out = fitted_.feature_origins(inputs);
        for (auto& o : out) {
            o.name = name_ + "__" + o.name;
            o.group = name_;
        }
        return out;
    }

private:
    fitted_column_group(std::string name, Fitted fitted) : name_(std::move(name)), fitted_(std::move(fitted)) {}

    std::string name_;
    Fitted fitted_;
};

template <class Stage, fixed_string... Names>
class column_group {
public:
    using stage_type = Stage;
    using names = detail::name_set<Names...>;

    column_group(std::string name, Stage stage) : name_(std::move(name)), stage_(std::move(stage)) {}

    /// True when Schema has every routed column; otherwise a compile error naming the first it lacks.
    template <class Schema>
    static constexpr bool routes_columns_of = ((static_cast<void>(Schema::template index_of<Names>), true) && ...);

    [[nodiscard]] std::string_view name() const noexcept { return name_; }
    [[nodiscard]] const Stage& stage() const noexcept { return stage_; }
    [[nodiscard]] bool operator==(const column_group&) const = default;

    /// What fit() returns on a Frame. Spelled out, rather than deduced from
    /// fit's body, so that naming a fitted model's type (every program that
    /// loads one does) does not instantiate the whole fit.
    template <class Frame>
    using fitted_type = fitted_column_group<
        decltype(fit_on_part(std::declval<const Stage&>(), std::declval<const Frame&>().template select<Names...>(),
                             std::declval<const row_partition&>())),
        Names...>;

    template <class Frame>
    [[nodiscard]] fitted_type<Frame> fit(const Frame& x) const {
        return fit(x, all_rows_here());
    }

    /// Fits on this part of rows split over several processes.
    template <class Frame>
    [[nodiscard]] fitted_type<Frame> fit(const Frame& x, const row_partition& rows) const {
        return fitted_type<Frame>::restore({name_, {std::string(Names.view())...}},
                                           fit_on_part(stage_, x.template select<Names...>(), rows));
    }

private:
    std::string name_;
    Stage stage_;
};

template <class Fitted, fixed_string... Names>
auto fitted_column_group<Fitted, Names...>::params() const -> params_type {
    return params_type(name_, fitted_.params());
}

/// Routes the named columns to `stage`; the group is called after the stage.
template <fixed_string... Names, stage Stage>
[[nodiscard]] column_group<Stage, Names...> on(Stage stage) {
    static_assert(sizeof...(Names) > 0, "ctml: on<...>(stage) needs at least one column name");
    return {std::string(Stage::stage_name), std::move(stage)};
}

/// Routes the named columns to `stage` under the group name `name`.
template <fixed_string... Names, stage Stage>
[[nodiscard]] column_group<Stage, Names...> on(std::string name, Stage stage) {
    static_assert(sizeof...(Names) > 0, "ctml: on<...>(name, stage) needs at least one column name");
    return {std::move(name), std::move(stage)};
}

}  // namespace ctml

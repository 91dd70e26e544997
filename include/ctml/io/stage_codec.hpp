// save_stage / load_stage: any fitted stage to and from its place in a model
// artifact, through the stage protocol (pipeline/concepts.hpp) -- io never
// lists the stages it knows. A new stage is saved and loaded as soon as it
// models fitted_stage; nothing here changes.
//
//   leaf       {"stage": name, "version": v, "params": {...}, "state": {...}}
//   composite  {"stage": name, "version": v, "params": {...}, "<children_key>": [child, ...]}
//
// Loading checks the stage name and the step's version (a step newer than this
// build reads is refused; an older one is read with its missing members left
// at their defaults and handed to the stage's upgrade() hook), decodes params
// and state value by value (value_codec.hpp), then calls the stage's one
// validating restore(). Whatever restore refuses is reported at the path of
// the field it names: "model.json: steps[0].groups[1].steps[0].steps[1]: standard_scaler
// expects 23 features but step 0 (one_hot_encoder) makes 24".
#pragma once

#include <cstddef>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include "ctml/io/detail/json_field.hpp"
#include "ctml/io/detail/value_codec.hpp"
#include "ctml/pipeline/concepts.hpp"

namespace ctml {

namespace detail {

template <class F>
constexpr std::string_view saved_stage_name() {
    if constexpr (composite_fitted_stage<F>) return F::stage_name;
    else return F::params_type::stage_name;
}

template <class F>
using children_tuple_t = std::remove_cvref_t<decltype(std::declval<const F&>().children())>;

template <class Tuple>
struct decayed_tuple;
template <class... T>
struct decayed_tuple<std::tuple<T...>> {
    using type = std::tuple<std::remove_cvref_t<T>...>;
};

/// The step's version, after checking this build can read it.
template <class F>
int step_version(const json_field& j) {
    const std::string name = j["stage"].string();
    if (name != saved_stage_name<F>())
        j["stage"].fail("expected a " + std::string(saved_stage_name<F>()) + " here, found \"" + name + "\"");
    if (!j.has("version")) return 1;  // format 1 wrote no step versions: every step was at version 1
    const auto version = j["version"].integer();
    if (version > F::version)
        j["version"].fail(std::string(saved_stage_name<F>()) + " version " + std::to_string(version) +
                          " is newer than this build reads (" + std::to_string(F::version) + "); upgrade ctml to load it");
    if (version < 1) j["version"].fail("unknown version " + std::to_string(version));
    return static_cast<int>(version);
}

}  // namespace detail

template <fitted_stage F>
[[nodiscard]] detail::artifact_json save_stage(const F& f) {
    detail::artifact_json out = {{"stage", detail::saved_stage_name<F>()}, {"version", F::version}};
    if constexpr (composite_fitted_stage<F>) {
        out["params"] = detail::encode_value(f.own_params());
        detail::artifact_json children = detail::artifact_json::array();
        std::apply([&](const auto&... c) { (children.push_back(save_stage(c)), ...); }, f.children());
        out[std::string(F::children_key)] = std::move(children);
    } else {
        out["params"] = detail::encode_value(f.params());
        out["state"] = detail::encode_value(f.state());
    }
    return out;
}

template <fitted_stage F>
[[nodiscard]] F load_stage(const detail::json_field& j) {
    const int version = detail::step_version<F>(j);
    try {
        if constexpr (composite_fitted_stage<F>) {
            using children = typename detail::decayed_tuple<detail::children_tuple_t<F>>::type;
            const auto own = detail::decode_value<typename F::own_params_type>(j["params"]);
            const auto list = j[F::children_key];
            list.array(std::tuple_size_v<children>);
            auto loaded = [&]<std::size_t... I>(std::index_sequence<I...>) {
                return children{load_stage<std::tuple_element_t<I, children>>(list[I])...};  // braces: in order
            }(std::make_index_sequence<std::tuple_size_v<children>>{});
            return std::apply([&](auto&... c) { return F::restore(own, std::move(c)...); }, loaded);
        } else {
            const auto absent = version < F::version ? detail::absent_members::keep_default : detail::absent_members::refuse;
            auto params = detail::decode_value<typename F::params_type>(j["params"], absent);
            auto state = detail::decode_value<typename F::state_type>(j["state"], absent);
            if constexpr (requires { F::upgrade(version, params, state); })
                if (version < F::version) F::upgrade(version, params, state);
            return F::restore(params, std::move(state));
        }
    } catch (const invalid_state& e) {
        j.fail_at(e.field(), e.reason());
    }
}

}  // namespace ctml

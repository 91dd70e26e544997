// encode_value / decode_value: any value a stage's params or state is made of,
// to and from JSON, found by its type -- so the artifact never lists stages.
//
//   bool, double (finite), integers (range-checked), std::string
//   enums with a name table (pipeline/enum_names.hpp): their name
//   std::vector<T>, std::array<T, N>, std::tuple<T...>, std::pair<A, B>: arrays
//   Eigen row and column vectors of double: arrays (exactly N long when N is fixed)
//   Boost.Hana structs (BOOST_HANA_DEFINE_STRUCT / ADAPT_STRUCT): objects keyed by member name
//
// Decoding checks every value and fails through json_field, which names the
// JSON path: "steps[1].state.mean[2]: expected a finite number, found null".
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/hana/accessors.hpp>
#include <boost/hana/concept/struct.hpp>
#include <boost/hana/first.hpp>
#include <boost/hana/for_each.hpp>
#include <boost/hana/second.hpp>
#include <boost/hana/string.hpp>
#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include "ctml/detail/always_false.hpp"
#include "ctml/io/detail/json_field.hpp"
#include "ctml/pipeline/enum_names.hpp"

namespace ctml::detail {

// Written with insertion order kept, so a file reads top-down: stage, params, state.
using artifact_json = nlohmann::ordered_json;

template <class T> struct is_vector : std::false_type {};
template <class T, class A> struct is_vector<std::vector<T, A>> : std::true_type {};
template <class T> struct is_array : std::false_type {};
template <class T, std::size_t N> struct is_array<std::array<T, N>> : std::true_type {};
template <class T> struct is_tuple_like : std::false_type {};
template <class... T> struct is_tuple_like<std::tuple<T...>> : std::true_type {};
template <class A, class B> struct is_tuple_like<std::pair<A, B>> : std::true_type {};
template <class T> struct is_eigen_vector : std::false_type {};
template <int R, int C, int O, int MR, int MC>
struct is_eigen_vector<Eigen::Matrix<double, R, C, O, MR, MC>> : std::bool_constant<R == 1 || C == 1> {};

template <class T>
concept reflected_struct = boost::hana::Struct<T>::value;

template <class T>
artifact_json encode_value(const T& v) {
    if constexpr (std::is_same_v<T, bool> || std::is_arithmetic_v<T> || std::is_same_v<T, std::string>) {
        return v;
    } else if constexpr (named_enum<T>) {
        return std::string(to_string(v));
    } else if constexpr (is_vector<T>::value || is_array<T>::value) {
        artifact_json out = artifact_json::array();
        for (const auto& e : v) out.push_back(encode_value(e));
        return out;
    } else if constexpr (is_tuple_like<T>::value) {
        artifact_json out = artifact_json::array();
        std::apply([&](const auto&... e) { (out.push_back(encode_value(e)), ...); }, v);
        return out;
    } else if constexpr (is_eigen_vector<T>::value) {
        artifact_json out = artifact_json::array();
        for (Eigen::Index k = 0; k < v.size(); ++k) out.push_back(v(k));
        return out;
    } else if constexpr (reflected_struct<T>) {
        artifact_json out = artifact_json::object();
        boost::hana::for_each(boost::hana::accessors<T>(), [&](auto member) {
            out[boost::hana::to<const char*>(boost::hana::first(member))] = encode_value(boost::hana::second(member)(v));
        });
        return out;
    } else {
        static_assert(always_false<T>, "ctml: the artifact cannot encode this type; reflect it with Boost.Hana");
    }
}

/// Members absent from the file keep their defaults (an older step version wrote fewer).
enum class absent_members { refuse, keep_default };

template <class T>
T decode_value(const json_field& j, absent_members absent = absent_members::refuse) {
    if constexpr (std::is_same_v<T, bool>) {
        return j.boolean();
    } else if constexpr (std::is_floating_point_v<T>) {
        return static_cast<T>(j.number());
    } else if constexpr (std::is_integral_v<T> && std::is_unsigned_v<T>) {
        const auto v = j.count();
        if (v > std::numeric_limits<T>::max()) j.fail("expected at most " + std::to_string(std::numeric_limits<T>::max()));
        return static_cast<T>(v);
    } else if constexpr (std::is_integral_v<T>) {
        const auto v = j.integer();
        if (v < std::numeric_limits<T>::min() || v > std::numeric_limits<T>::max())
            j.fail("integer " + std::to_string(v) + " out of range");
        return static_cast<T>(v);
    } else if constexpr (std::is_same_v<T, std::string>) {
        return j.string();
    } else if constexpr (named_enum<T>) {
        const std::string name = j.string();
        if (const auto e = enum_from_name<T>(name)) return *e;
        j.fail("expected one of " + enum_name_list<T>() + ", found \"" + name + "\"");
    } else if constexpr (is_vector<T>::value) {
        T out;
        const std::size_t n = j.array();
        out.reserve(n);
        for (std::size_t i = 0; i < n; ++i) out.push_back(decode_value<typename T::value_type>(j[i]));
        return out;
    } else if constexpr (is_array<T>::value) {
        T out{};
        j.array(out.size());
        for (std::size_t i = 0; i < out.size(); ++i) out[i] = decode_value<typename T::value_type>(j[i]);
        return out;
    } else if constexpr (is_tuple_like<T>::value) {
        j.array(std::tuple_size_v<T>);
        return [&]<std::size_t... I>(std::index_sequence<I...>) {
            return T{decode_value<std::tuple_element_t<I, T>>(j[I])...};
        }(std::make_index_sequence<std::tuple_size_v<T>>{});
    } else if constexpr (is_eigen_vector<T>::value) {
        constexpr int fixed = T::SizeAtCompileTime;
        const std::size_t n = j.array(fixed == Eigen::Dynamic ? json_field::npos : static_cast<std::size_t>(fixed));
        T out(static_cast<Eigen::Index>(n));
        for (std::size_t k = 0; k < n; ++k) out(static_cast<Eigen::Index>(k)) = j[k].number();
        return out;
    } else if constexpr (reflected_struct<T>) {
        if (!j.raw().is_object()) j.fail("expected an object, found " + j.raw().dump().substr(0, 40));
        T out{};
        boost::hana::for_each(boost::hana::accessors<T>(), [&](auto member) {
            const char* name = boost::hana::to<const char*>(boost::hana::first(member));
            auto& target = boost::hana::second(member)(out);
            if (absent == absent_members::keep_default && !j.has(name)) return;
            target = decode_value<std::remove_cvref_t<decltype(target)>>(j[name]);
        });
        return out;
    } else {
        static_assert(always_false<T>, "ctml: the artifact cannot decode this type; reflect it with Boost.Hana");
    }
}

}  // namespace ctml::detail

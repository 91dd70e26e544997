// pipeline_structure<T> / pipeline_fingerprint<T>: a compile-time description
// of a fitted pipeline's *type* -- its input schema (names, value types,
// nullability, declared categories), its stages in order and its column
// routing -- and a 64-bit FNV-1a hash of it.
//
// The model artifact stores both, so loading an artifact into a program built
// for another pipeline fails with both structures in the message instead of
// misreading numbers. Group names and hyperparameter values are not part of
// the type and not part of the fingerprint; they are checked as data.
//
//   frame{Age:int64,Sex:categorical,...}|column_transformer<drop>(on<Age,Job>(standard_scaler),...)|logistic_regression
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>

#include "ctml/compose/column_group.hpp"
#include "ctml/compose/column_transformer.hpp"
#include "ctml/pipeline/feature_matrix.hpp"
#include "ctml/pipeline/fitted_pipeline.hpp"
#include "ctml/pipeline/pipeline.hpp"
#include "ctml/schema/column_traits.hpp"
#include "ctml/schema/frame.hpp"

namespace ctml {

namespace detail {

// Text built during constant evaluation in a fixed buffer: no allocation, so
// none of g++ 12's constexpr std::string / std::vector pitfalls.
struct structure_text {
    static constexpr std::size_t capacity = 8192;
    std::array<char, capacity> chars{};
    std::size_t size = 0;

    constexpr structure_text& operator<<(std::string_view s) {
        for (char c : s) chars[size++] = c;  // overflow fails constant evaluation: a readable compile error
        return *this;
    }
    constexpr structure_text& operator<<(long long value) {
        if (value < 0) return *this << "-" << -value;
        if (value >= 10) *this << value / 10;
        chars[size++] = static_cast<char>('0' + value % 10);
        return *this;
    }
};

template <class T>
struct structure_of;

template <class T>
constexpr void numeric_type_name(structure_text& out) {
    const auto bits = static_cast<long long>(sizeof(T) * 8);
    if constexpr (std::is_floating_point_v<T>) out << "float" << bits;
    else out << (std::is_signed_v<T> ? "int" : "uint") << bits;
}

template <class Kind>
constexpr void value_kind_name(structure_text& out) {
    if constexpr (std::is_same_v<Kind, categorical>) {
        out << "categorical";
    } else if constexpr (is_declared_categories<Kind>::value) {
        out << "categories<";
        for (std::size_t i = 0; i < Kind::size; ++i) out << (i ? ",\"" : "\"") << Kind::values[i] << "\"";
        out << ">";
    } else {
        numeric_type_name<Kind>(out);
    }
}

template <class C>
constexpr void column_text(structure_text& out) {
    out << C::name.view() << ":";
    if (C::is_nullable) out << "nullable<";
    value_kind_name<typename C::value_kind>(out);
    if (C::is_nullable) out << ">";
}

template <class... Cs>
struct structure_of<frame<schema<Cs...>>> {
    static constexpr void write(structure_text& out) {
        out << "frame{";
        bool first = true;
        ((out << (first ? "" : ","), column_text<Cs>(out), first = false), ...);
        out << "}";
    }
};

template <int R, int C, int O, int MR, int MC>
struct structure_of<Eigen::Matrix<double, R, C, O, MR, MC>> {
    static constexpr void write(structure_text& out) {
        if (C == dynamic_width) out << "features<dynamic>";
        else out << "features<" << static_cast<long long>(C) << ">";
    }
};

// Leaf stages are named by their stage_name.
template <class T>
struct structure_of {
    static constexpr void write(structure_text& out) { out << T::stage_name; }
};

template <class... Stages>
struct structure_of<pipeline<Stages...>> {
    static constexpr void write(structure_text& out) {
        out << "pipeline(";
        bool first = true;
        ((out << (first ? "" : ","), structure_of<Stages>::write(out), first = false), ...);
        out << ")";
    }
};

template <class Stage, fixed_string... Names>
struct structure_of<column_group<Stage, Names...>> {
    static constexpr void write(structure_text& out) {
        out << "on<";
        bool first = true;
        ((out << (first ? "" : ",") << Names.view(), first = false), ...);
        out << ">(";
        structure_of<Stage>::write(out);
        out << ")";
    }
};

template <class Remainder, class... Groups>
struct structure_of<column_transformer<Remainder, Groups...>> {
    static constexpr void write(structure_text& out) {
        out << (std::is_same_v<Remainder, remainder_passthrough_t> ? "column_transformer<passthrough>("
                                                                    : "column_transformer<drop>(");
        bool first = true;
        ((out << (first ? "" : ","), structure_of<Groups>::write(out), first = false), ...);
        out << ")";
    }
};

template <class In, class... Fitted>
struct structure_of<fitted_pipeline<In, std::tuple<Fitted...>>> {
    static constexpr void write(structure_text& out) {
        structure_of<In>::write(out);
        ((out << "|", structure_of<typename Fitted::params_type>::write(out)), ...);
    }
};

template <class T>
constexpr structure_text full_structure() {
    structure_text text;
    structure_of<T>::write(text);
    return text;
}

template <class T>
constexpr auto structure_array() {
    constexpr structure_text text = full_structure<T>();
    std::array<char, text.size> out{};
    for (std::size_t i = 0; i < text.size; ++i) out[i] = text.chars[i];
    return out;
}

template <class T>
inline constexpr auto structure_storage = structure_array<T>();

constexpr std::uint64_t fnv1a64(std::string_view text) noexcept {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (char c : text) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ULL;
    }
    return h;
}

}  // namespace detail

/// The structure of a fitted pipeline type, as text, computed at compile time.
template <class Fitted>
inline constexpr std::string_view pipeline_structure{detail::structure_storage<Fitted>.data(),
                                                      detail::structure_storage<Fitted>.size()};

/// FNV-1a (64 bit) of pipeline_structure<Fitted>.
template <class Fitted>
inline constexpr std::uint64_t pipeline_fingerprint = detail::fnv1a64(pipeline_structure<Fitted>);

}  // namespace ctml

// A JSON node together with its path from the document root, so every check
// made while loading an artifact can say exactly where the problem is:
//   "model.json: steps[1].state.coef[3]: expected a finite number, found null"
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ctml/io/artifact_error.hpp"

namespace ctml::detail {

class json_field {
public:
    json_field(const nlohmann::json& node, std::string path, const std::string& source)
        : node_(&node), path_(std::move(path)), source_(&source) {}

    [[nodiscard]] const std::string& path() const noexcept { return path_; }
    [[nodiscard]] const nlohmann::json& raw() const noexcept { return *node_; }

    [[noreturn]] void fail(const std::string& what) const {
        throw artifact_error(*source_ + ": " + (path_.empty() ? std::string("(document)") : path_) + ": " + what);
    }
    /// Fails at a path below this node, given relative to it ("state.scale[2]").
    [[noreturn]] void fail_at(const std::string& relative, const std::string& what) const {
        const std::string joined = path_.empty() ? relative : relative.empty() ? path_ : path_ + "." + relative;
        throw artifact_error(*source_ + ": " + (joined.empty() ? std::string("(document)") : joined) + ": " + what);
    }

    [[nodiscard]] json_field operator[](std::string_view key) const {
        if (!node_->is_object()) fail("expected an object, found " + describe());
        const auto it = node_->find(key);
        if (it == node_->end()) fail("missing field \"" + std::string(key) + "\"");
        return {*it, path_.empty() ? std::string(key) : path_ + "." + std::string(key), *source_};
    }
    [[nodiscard]] bool has(std::string_view key) const { return node_->is_object() && node_->contains(key); }

    [[nodiscard]] json_field operator[](std::size_t i) const {
        return {(*node_)[i], path_ + "[" + std::to_string(i) + "]", *source_};
    }

    /// An array of exactly `expected` elements (any length when expected is npos).
    /// Also a check: callers that know the length may ignore the result.
    std::size_t array(std::size_t expected = npos) const {
        if (!node_->is_array()) fail("expected an array, found " + describe());
        if (expected != npos && node_->size() != expected)
            fail("expected an array of " + std::to_string(expected) + " elements, found " + std::to_string(node_->size()));
        return node_->size();
    }

    [[nodiscard]] double number() const {
        if (!node_->is_number()) fail("expected a finite number, found " + describe());
        const double v = node_->get<double>();
        if (!std::isfinite(v)) fail("expected a finite number, found " + describe());
        return v;
    }
    [[nodiscard]] std::int64_t integer() const {
        if (!node_->is_number_integer()) fail("expected an integer, found " + describe());
        return node_->get<std::int64_t>();
    }
    [[nodiscard]] std::size_t count() const {
        const auto v = integer();
        if (v < 0) fail("expected a count (0 or more), found " + std::to_string(v));
        return static_cast<std::size_t>(v);
    }
    [[nodiscard]] bool boolean() const {
        if (!node_->is_boolean()) fail("expected true or false, found " + describe());
        return node_->get<bool>();
    }
    [[nodiscard]] std::string string() const {
        if (!node_->is_string()) fail("expected a string, found " + describe());
        return node_->get<std::string>();
    }
    [[nodiscard]] std::vector<double> numbers(std::size_t expected = npos) const {
        const std::size_t n = array(expected);
        std::vector<double> out(n);
        for (std::size_t i = 0; i < n; ++i) out[i] = (*this)[i].number();
        return out;
    }
    [[nodiscard]] std::vector<std::string> strings(std::size_t expected = npos) const {
        const std::size_t n = array(expected);
        std::vector<std::string> out(n);
        for (std::size_t i = 0; i < n; ++i) out[i] = (*this)[i].string();
        return out;
    }
    /// A string that must be one of `allowed`; returns its position.
    [[nodiscard]] std::size_t one_of(std::initializer_list<std::string_view> allowed) const {
        const std::string v = string();
        std::size_t i = 0;
        std::string list;
        for (auto a : allowed) {
            if (a == v) return i;
            list += (list.empty() ? "\"" : ", \"") + std::string(a) + "\"";
            ++i;
        }
        fail("expected one of " + list + ", found \"" + v + "\"");
    }

    static constexpr std::size_t npos = static_cast<std::size_t>(-1);

private:
    [[nodiscard]] std::string describe() const {
        std::string text = node_->dump();
        if (text.size() > 40) text = text.substr(0, 37) + "...";
        return text;
    }

    const nlohmann::json* node_;
    std::string path_;
    const std::string* source_;
};

}  // namespace ctml::detail

#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <utility>
#include <vector>

namespace ctml::detail {

// An immutable, shareable run of T. It either owns a vector it was given, or
// aliases memory kept alive by an arbitrary owner (an xtensor array, say).
// Sharing is what makes selecting columns and building frames from foreign
// arrays free of copies; immutability is what makes sharing safe.
template <class T>
class shared_buffer {
public:
    shared_buffer() = default;

    /// Owns `values`; any allocator (huge_page_allocator for large fresh columns).
    template <class Allocator>
    explicit shared_buffer(std::vector<T, Allocator> values) {
        if (values.empty()) return;
        auto holder = std::make_shared<std::vector<T, Allocator>>(std::move(values));
        data_ = holder->data();
        size_ = holder->size();
        owner_ = std::move(holder);
    }

    shared_buffer(std::shared_ptr<const void> owner, const T* data, std::size_t size) noexcept
        : owner_(std::move(owner)), data_(data), size_(size) {}

    [[nodiscard]] std::span<const T> span() const noexcept { return {data_, size_}; }
    [[nodiscard]] const T* data() const noexcept { return data_; }
    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
    [[nodiscard]] const T& operator[](std::size_t i) const noexcept { return data_[i]; }
    /// Elements [offset, offset + count), sharing this buffer's storage. Precondition: within size().
    [[nodiscard]] shared_buffer slice(std::size_t offset, std::size_t count) const noexcept {
        if (count == 0) return {};
        return {owner_, data_ + offset, count};
    }

private:
    std::shared_ptr<const void> owner_;
    const T* data_ = nullptr;
    std::size_t size_ = 0;
};

}  // namespace ctml::detail

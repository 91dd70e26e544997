// An allocator for large arrays that asks Linux for transparent huge pages.
//
// The first touch of every 4 KiB page costs a fault; on the virtual machines
// this project runs on, that is about 3 ms per MB -- writing a fresh 208 MB
// array took 700 ms with 4 KiB pages and 19 ms with 2 MiB ones (measured,
// docs/benchmarks.md). Requests of at least `threshold` bytes are mapped
// 2 MiB-aligned and marked MADV_HUGEPAGE, which kernels with transparent huge
// pages in "madvise" mode (Debian's default) honour; smaller ones, and other
// systems, use operator new. Only the speed differs, never the contents.
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace ctml::detail {

template <class T>
struct huge_page_allocator {
    using value_type = T;
    static constexpr std::size_t threshold = std::size_t{1} << 20;
    static constexpr std::size_t huge_page = std::size_t{2} << 20;

    huge_page_allocator() noexcept = default;
    template <class U>
    huge_page_allocator(const huge_page_allocator<U>&) noexcept {}

    [[nodiscard]] T* allocate(std::size_t n) {
        const std::size_t bytes = n * sizeof(T);
#if defined(__linux__)
        if (bytes >= threshold) {
            const std::size_t length = rounded(bytes);
            // Map one huge page more than needed and trim, so the array starts on a 2 MiB boundary.
            void* mapped = ::mmap(nullptr, length + huge_page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (mapped == MAP_FAILED) throw std::bad_alloc();
            const auto start = reinterpret_cast<std::uintptr_t>(mapped);
            const std::uintptr_t aligned = (start + huge_page - 1) & ~(huge_page - 1);
            if (aligned > start) ::munmap(mapped, aligned - start);
            if (const std::size_t tail = start + length + huge_page - (aligned + length); tail > 0)
                ::munmap(reinterpret_cast<void*>(aligned + length), tail);
            ::madvise(reinterpret_cast<void*>(aligned), length, MADV_HUGEPAGE);  // advice: failure only costs speed
            return reinterpret_cast<T*>(aligned);
        }
#endif
        return static_cast<T*>(::operator new(bytes, std::align_val_t{alignof(T) > 16 ? alignof(T) : 16}));
    }

    void deallocate(T* p, std::size_t n) noexcept {
        const std::size_t bytes = n * sizeof(T);
#if defined(__linux__)
        if (bytes >= threshold) {
            ::munmap(p, rounded(bytes));
            return;
        }
#endif
        ::operator delete(p, std::align_val_t{alignof(T) > 16 ? alignof(T) : 16});
    }

    template <class U>
    bool operator==(const huge_page_allocator<U>&) const noexcept { return true; }

private:
    static constexpr std::size_t rounded(std::size_t bytes) noexcept { return (bytes + huge_page - 1) & ~(huge_page - 1); }
};

}  // namespace ctml::detail

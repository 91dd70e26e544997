// Counts heap allocations made while a counting_scope is alive, through the
// replaced global operator new in allocation_counter.cpp (linked into the core
// test executable once). Outside a scope the replacement only forwards to
// malloc/free, so other tests run as before.
#pragma once

#include <cstddef>

namespace test_support {

class counting_scope {
public:
    counting_scope();
    ~counting_scope();
    counting_scope(const counting_scope&) = delete;
    counting_scope& operator=(const counting_scope&) = delete;
    /// Allocations since this scope began. Not nested, not thread-aware: tests run one at a time.
    [[nodiscard]] std::size_t count() const;
};

}  // namespace test_support

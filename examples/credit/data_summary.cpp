// credit-data-summary: reads the German credit CSV with the typed training
// schema and prints a per-column summary -- pandas' `df.describe()` for the
// numeric columns and `value_counts()` for the categorical ones.
//
//   credit-data-summary --data dataset/german_credit_data.csv
//
// Exit 0 on success; 1 when the data cannot be trained on (no rows, or a label
// with fewer than two classes); 2 on a usage error or bad input (a csv_error,
// reported as one line naming file, line and column).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <ctml/io/csv_error.hpp>
#include <ctml/io/csv_reader.hpp>

#include "credit_schema.hpp"

namespace {

constexpr std::string_view program = "credit-data-summary";

void print_help() {
    std::cout << "Usage: " << program << " --data CSV\n"
              << "\n"
              << "Reads the German credit data (columns of credit::training_schema, NA = missing)\n"
              << "and prints a per-column summary: count, missing, mean, std, min and max for the\n"
              << "numeric columns; count, missing, distinct values and each value's frequency for\n"
              << "the categorical ones.\n"
              << "\n"
              << "Options:\n"
              << "  --data CSV   the CSV file to summarise (required)\n"
              << "  --help       show this help\n"
              << "\n"
              << "Exit status: 0 ok, 1 the data cannot be trained on, 2 usage or input error.\n";
}

[[noreturn]] void usage_error(const std::string& why) {
    std::cerr << program << ": " << why << " (try --help)\n";
    std::exit(2);
}

std::string format(const char* fmt, double value) {
    char text[64];
    std::snprintf(text, sizeof text, fmt, value);
    return text;
}

template <class T>
void summarise_numeric(std::string_view name, const ctml::numeric_column<T>& col) {
    // Welford's update: one pass, no cancellation for large means.
    std::size_t n = 0;
    double mean = 0.0;
    double m2 = 0.0;
    double lo = std::numeric_limits<double>::infinity();
    double hi = -std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < col.size(); ++i) {
        if (col.is_missing(i)) continue;
        const auto x = static_cast<double>(col[i]);
        ++n;
        const double delta = x - mean;
        mean += delta / static_cast<double>(n);
        m2 += delta * (x - mean);
        lo = std::min(lo, x);
        hi = std::max(hi, x);
    }
    // Sample standard deviation (ddof = 1), as pandas' describe() reports it.
    const double sd = n > 1 ? std::sqrt(m2 / static_cast<double>(n - 1)) : std::nan("");
    char line[256];
    std::snprintf(line, sizeof line, "  %-18.*s %7zu %8zu %12s %12s %10s %10s\n", static_cast<int>(name.size()),
                  name.data(), n, col.missing_count(), n ? format("%.3f", mean).c_str() : "-",
                  n > 1 ? format("%.3f", sd).c_str() : "-", n ? format("%g", lo).c_str() : "-",
                  n ? format("%g", hi).c_str() : "-");
    std::cout << line;
}

// Returns the number of distinct values.
std::size_t summarise_categorical(std::string_view name, const ctml::categorical_column& col) {
    std::vector<std::size_t> counts(col.vocabulary().size(), 0);
    for (auto code : col.codes())
        if (code != ctml::categorical_column::missing_code) ++counts[static_cast<std::size_t>(code)];
    std::vector<std::size_t> order(counts.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    // Most frequent first, ties by name, like value_counts() with a stable tie-break.
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        if (counts[a] != counts[b]) return counts[a] > counts[b];
        return col.vocabulary()[a] < col.vocabulary()[b];
    });
    std::size_t distinct = 0;
    for (auto c : counts) distinct += c != 0 ? 1 : 0;
    const std::size_t present = col.size() - col.missing_count();

    std::cout << "\n  " << name << ": count " << present << ", missing " << col.missing_count() << ", distinct "
              << distinct << "\n";
    for (auto k : order) {
        if (counts[k] == 0) continue;
        char line[256];
        const auto& value = col.vocabulary()[k];
        std::snprintf(line, sizeof line, "    %-22.*s %6zu  %5.1f%%\n", static_cast<int>(value.size()), value.data(),
                      counts[k], 100.0 * static_cast<double>(counts[k]) / static_cast<double>(present));
        std::cout << line;
    }
    return distinct;
}

}  // namespace

int main(int argc, char** argv) {
    std::string data;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            print_help();
            return 0;
        }
        if (arg == "--data") {
            if (i + 1 >= argc) usage_error("--data needs a file name");
            data = argv[++i];
        } else if (arg.starts_with("--data=")) {
            data = std::string(arg.substr(7));
        } else {
            usage_error("unknown argument '" + std::string(arg) + "'");
        }
    }
    if (data.empty()) usage_error("--data CSV is required");

    using schema = credit::training_schema;
    ctml::frame<schema> f;
    try {
        f = ctml::read_csv<schema>(data);
    } catch (const ctml::csv_error& e) {
        std::cerr << program << ": " << e.what() << "\n";
        return 2;
    }

    std::cout << data << ": " << f.rows() << " rows, " << schema::size << " columns\n\n";
    std::cout << "numeric columns\n";
    std::cout << "  column               count  missing         mean          std        min        max\n";
    ctml::for_each_column_index<schema>([&](auto c) {
        using column = typename schema::template column_at<c>;
        if constexpr (column::is_numeric) summarise_numeric(column::name.view(), f.template column_at<c>());
    });
    std::cout << "\ncategorical columns\n";
    std::size_t label_classes = 0;
    ctml::for_each_column_index<schema>([&](auto c) {
        using column = typename schema::template column_at<c>;
        if constexpr (column::is_categorical) {
            const std::size_t distinct = summarise_categorical(column::name.view(), f.template column_at<c>());
            if constexpr (std::is_same_v<column, credit::label_column>) label_classes = distinct;
        }
    });

    if (f.rows() == 0) {
        std::cerr << program << ": " << data << " holds no rows\n";
        return 1;
    }
    if (label_classes < 2) {
        std::cerr << program << ": the label \"" << credit::label_column::name.view() << "\" has " << label_classes
                  << " class(es); a classifier needs two\n";
        return 1;
    }
    return 0;
}

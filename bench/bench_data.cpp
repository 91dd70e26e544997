// ctml_bench_data OUT_DIR: the files the side-by-side benchmark reads, so
// ctml and the scikit-learn peer (bench/peers/sklearn_credit.py) work on the
// very same rows:
//
//   train_800.csv     the 80 % stratified training split (seed 42) of the data set
//   credit_1000.csv   the data set
//   credit_1m_fit.csv 1,000,000 rows resampled with a fixed seed, numeric columns
//                     jittered (credit/resampled_credit.hpp: what fit_1m_rows fits)
//   credit_1m.csv     the same 1,000,000 rows with the jitter rounded away, so the
//                     numeric columns are integers again, as credit-score reads them
//
// Doubles are written in shortest round-trip form: reading the fit file back
// gives the doubles the in-memory benchmark fits.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <ctml/ctml.hpp>
#include <ctml/io.hpp>

#include "credit/credit_schema.hpp"
#include "credit/resampled_credit.hpp"

namespace {

using namespace ctml;
using fit_file_schema = concat_schema_t<schema<credit::id_column>, concat_schema_t<credit::resampled_schema, schema<credit::label_column>>>;

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: ctml_bench_data OUT_DIR\n");
        return 2;
    }
    const std::filesystem::path out = argv[1];
    std::filesystem::create_directories(out);
    const auto data = read_csv<credit::training_schema>(CTML_DATASET);
    const auto y = label_encoder{}.fit(data.column<"Risk">()).transform(data.column<"Risk">());
    const auto split = train_test_split(y, {.test_size = 0.2, .seed = 42});
    write_csv(data.take(split.train), out / "train_800.csv");
    write_csv(data, out / "credit_1000.csv");

    const auto big = credit::resample_credit(data, y, 1'000'000);
    std::ofstream fit_file(out / "credit_1m_fit.csv", std::ios::binary);
    std::ofstream int_file(out / "credit_1m.csv", std::ios::binary);
    csv_writer<fit_file_schema> fit_rows(fit_file, {}, (out / "credit_1m_fit.csv").string());
    csv_writer<credit::training_schema> int_rows(int_file, {}, (out / "credit_1m.csv").string());
    record<fit_file_schema> jittered;
    record<credit::training_schema> rounded;
    const std::vector<std::string> classes{"bad", "good"};
    for (std::size_t i = 0; i < big.x.rows(); ++i) {
        const auto row = big.x.row(i);
        const auto sno = static_cast<std::int64_t>(i);
        const auto& risk = classes[static_cast<std::size_t>(big.y[i])];
        for_each_column_index<credit::resampled_schema>([&](auto c) {
            jittered.template get<credit::resampled_schema::template column_at<c>::name>() = row.template get_at<c>();
        });
        jittered.set<"Sno">(sno).set<"Risk">(risk);
        fit_rows.write(jittered);
        const auto whole = [](double v) { return static_cast<std::int64_t>(std::lround(v)); };
        rounded.set<"Sno">(sno).set<"Age">(whole(row.get<"Age">())).set<"Sex">(row.get<"Sex">());
        rounded.set<"Job">(whole(row.get<"Job">())).set<"Housing">(row.get<"Housing">());
        rounded.set<"Saving accounts">(row.get<"Saving accounts">()).set<"Checking account">(row.get<"Checking account">());
        rounded.set<"Credit amount">(whole(row.get<"Credit amount">())).set<"Duration">(whole(row.get<"Duration">()));
        rounded.set<"Purpose">(row.get<"Purpose">()).set<"Risk">(risk);
        int_rows.write(rounded);
    }
    fit_rows.flush();
    int_rows.flush();
    std::printf("wrote %s: train_800.csv, credit_1000.csv, credit_1m_fit.csv, credit_1m.csv\n", out.string().c_str());
    return 0;
}

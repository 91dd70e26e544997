// Fit the credit model, save it as an artifact, load it back and score a row
// with the loaded copy. Usage: save_load [DATA_CSV] [ARTIFACT_PATH]
#include <cstdio>
#include <cstring>

#include <ctml/io.hpp>

#include "credit/credit_pipeline.hpp"

int main(int argc, char** argv) {
    using namespace ctml;
    const char* data_path = argc > 1 ? argv[1] : "dataset/german_credit_data.csv";
    const char* artifact_path = argc > 2 ? argv[2] : "credit_model.json";

    const auto data = read_csv<credit::training_schema>(data_path);
    const auto features = data.select<credit::feature_schema>();  // the model's input: no Sno, no Risk
    const auto y = label_encoder{}.fit(data.column<"Risk">()).transform(data.column<"Risk">());
    const auto model = credit::model().fit(features, y);
    save(model, artifact_path, describe_training_data(features, model), {{"data", data_path}});

    const auto loaded = load<decltype(model)>(artifact_path);
    const auto row = features.row(0);
    const auto before = model.predict_proba_row(row);
    const auto after = loaded.model.predict_proba_row(row);
    std::printf("row 0: P(bad) %.17g  P(good) %.17g\n", after[0], after[1]);
    std::printf("loaded model scores bit for bit like the original: %s\n",
                std::memcmp(&before, &after, sizeof before) == 0 ? "yes" : "NO");
    return std::memcmp(&before, &after, sizeof before) == 0 ? 0 : 1;
}

// The bearer-token file --token-file names: one token, surrounding whitespace
// ignored. credit-serve checks requests against it and credit-deploy's smoke
// test sends it, so both read it by this one rule.
#pragma once

#include <cctype>
#include <fstream>
#include <iterator>
#include <string>

#include <ctml/ops/ops_error.hpp>

namespace credit {

inline std::string read_token(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw ctml::ops::ops_error(path + ": cannot read the token file");
    std::string token((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
    while (!token.empty() && std::isspace(static_cast<unsigned char>(token.front()))) token.erase(token.begin());
    if (token.empty()) throw ctml::ops::ops_error(path + ": the token file is empty");
    return token;
}

}  // namespace credit

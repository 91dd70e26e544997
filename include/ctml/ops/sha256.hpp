// SHA-256 of bytes or of a file, as lowercase hex, through OpenSSL's EVP
// interface. Artifacts are stored and verified by it: the registry keeps each
// under artifacts/<sha256>.json, and every program that loads one from the
// registry or a package checks the digest first.
#pragma once

#include <array>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>

#include <openssl/evp.h>

#include "ctml/ops/ops_error.hpp"

namespace ctml::ops {

/// Incremental SHA-256: update() with pieces, then hex().
class sha256 {
public:
    sha256() : context_(EVP_MD_CTX_new(), &EVP_MD_CTX_free) {
        if (!context_ || EVP_DigestInit_ex(context_.get(), EVP_sha256(), nullptr) != 1)
            throw ops_error("sha256: OpenSSL could not start a digest");
    }

    sha256& update(std::string_view bytes) {
        if (EVP_DigestUpdate(context_.get(), bytes.data(), bytes.size()) != 1)
            throw ops_error("sha256: OpenSSL digest update failed");
        return *this;
    }

    /// The digest as 64 lowercase hex characters; the object is spent afterwards.
    [[nodiscard]] std::string hex() {
        std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
        unsigned int length = 0;
        if (EVP_DigestFinal_ex(context_.get(), digest.data(), &length) != 1)
            throw ops_error("sha256: OpenSSL digest failed");
        static constexpr char digits[] = "0123456789abcdef";
        std::string out;
        out.reserve(2 * length);
        for (unsigned int i = 0; i < length; ++i) {
            out += digits[digest[i] >> 4];
            out += digits[digest[i] & 0xf];
        }
        return out;
    }

private:
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context_;
};

[[nodiscard]] inline std::string sha256_hex(std::string_view bytes) { return sha256{}.update(bytes).hex(); }

/// The SHA-256 of a file's bytes, read in 1 MiB blocks.
[[nodiscard]] inline std::string sha256_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ops_error(path.string() + ": cannot open to compute its SHA-256");
    sha256 digest;
    std::string block(1 << 20, '\0');
    while (in) {
        in.read(block.data(), static_cast<std::streamsize>(block.size()));
        digest.update(std::string_view(block.data(), static_cast<std::size_t>(in.gcount())));
    }
    if (in.bad()) throw ops_error(path.string() + ": read failed while computing its SHA-256");
    return digest.hex();
}

}  // namespace ctml::ops

#include "core/jose/Algorithms.h"

#include <array>

namespace jwti {
namespace {

constexpr std::array kAlgs = {
    AlgInfo{"HS256", SignatureScheme::Hmac, Digest::Sha256, 32, nullptr, 256, "RFC 7518 §3.2"},
    AlgInfo{"HS384", SignatureScheme::Hmac, Digest::Sha384, 48, nullptr, 384, "RFC 7518 §3.2"},
    AlgInfo{"HS512", SignatureScheme::Hmac, Digest::Sha512, 64, nullptr, 512, "RFC 7518 §3.2"},
    AlgInfo{"RS256", SignatureScheme::RsaPkcs1, Digest::Sha256, 0, nullptr, 2048, "RFC 7518 §3.3"},
    AlgInfo{"RS384", SignatureScheme::RsaPkcs1, Digest::Sha384, 0, nullptr, 2048, "RFC 7518 §3.3"},
    AlgInfo{"RS512", SignatureScheme::RsaPkcs1, Digest::Sha512, 0, nullptr, 2048, "RFC 7518 §3.3"},
    AlgInfo{"PS256", SignatureScheme::RsaPss, Digest::Sha256, 0, nullptr, 2048, "RFC 7518 §3.5"},
    AlgInfo{"PS384", SignatureScheme::RsaPss, Digest::Sha384, 0, nullptr, 2048, "RFC 7518 §3.5"},
    AlgInfo{"PS512", SignatureScheme::RsaPss, Digest::Sha512, 0, nullptr, 2048, "RFC 7518 §3.5"},
    AlgInfo{"ES256", SignatureScheme::Ecdsa, Digest::Sha256, 64, "P-256", 0, "RFC 7518 §3.4"},
    AlgInfo{"ES384", SignatureScheme::Ecdsa, Digest::Sha384, 96, "P-384", 0, "RFC 7518 §3.4"},
    AlgInfo{"ES512", SignatureScheme::Ecdsa, Digest::Sha512, 132, "P-521", 0, "RFC 7518 §3.4"},
    AlgInfo{"ES256K", SignatureScheme::Ecdsa, Digest::Sha256, 64, "secp256k1", 0, "RFC 8812 §3.2"},
    AlgInfo{"EdDSA", SignatureScheme::EdDsa, Digest::None, 0, nullptr, 0, "RFC 8037 §3.1"},
    AlgInfo{"Ed25519", SignatureScheme::EdDsa, Digest::None, 64, "Ed25519", 0, "RFC 9864 §2.2"},
    AlgInfo{"Ed448", SignatureScheme::EdDsa, Digest::None, 114, "Ed448", 0, "RFC 9864 §2.2"},
    AlgInfo{"none", SignatureScheme::None, Digest::None, 0, nullptr, 0, "RFC 7518 §3.6"},
};

} // namespace

const AlgInfo* findAlg(QStringView name)
{
    for (const auto& alg : kAlgs) {
        if (name == QLatin1StringView(alg.name))
            return &alg;
    }
    return nullptr;
}

std::span<const AlgInfo> allAlgs()
{
    return kAlgs;
}

int digestBytes(Digest digest)
{
    switch (digest) {
    case Digest::Sha256:
        return 32;
    case Digest::Sha384:
        return 48;
    case Digest::Sha512:
        return 64;
    case Digest::None:
        return 0;
    }
    return 0;
}

const char* digestName(Digest digest)
{
    switch (digest) {
    case Digest::Sha256:
        return "SHA-256";
    case Digest::Sha384:
        return "SHA-384";
    case Digest::Sha512:
        return "SHA-512";
    case Digest::None:
        return "";
    }
    return "";
}

} // namespace jwti

// Model and verify costs, printed as figures beside the bare OpenSSL operation measured in the same binary.
// Budgets (DESIGN.md): typical token decode + pretty-print + explain < 50 µs; verify overhead < 20 %;
// a 1 MiB token parsed < 150 ms.
#include "core/crypto/KeyGeneration.h"
#include "core/crypto/KeyManagement.h"
#include "core/crypto/Signature.h"
#include "core/jose/Base64Url.h"
#include "core/jose/Claims.h"
#include "core/jose/Findings.h"
#include "core/jose/Jwe.h"
#include "core/jose/Jws.h"
#include "core/jose/Token.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <cstdio>
#include <functional>
#include <memory>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

using namespace jwti;

namespace {

// Runs op until at least minNanos have passed; returns nanoseconds per call.
double timePerCall(const std::function<void()>& op, qint64 minNanos = 300'000'000)
{
    op(); // warm-up
    qint64 iterations = 0;
    QElapsedTimer timer;
    timer.start();
    qint64 batch = 1;
    while (timer.nsecsElapsed() < minNanos) {
        for (qint64 i = 0; i < batch; ++i)
            op();
        iterations += batch;
        batch *= 2;
    }
    return double(timer.nsecsElapsed()) / double(iterations);
}

const EVP_MD* evpDigest(Digest digest)
{
    switch (digest) {
    case Digest::Sha256:
        return EVP_sha256();
    case Digest::Sha384:
        return EVP_sha384();
    case Digest::Sha512:
        return EVP_sha512();
    case Digest::None:
        return nullptr;
    }
    return nullptr;
}

// Raw r‖s → DER, done once outside the timed loop: the bare baseline is OpenSSL verifying what it natively takes.
QByteArray ecdsaRawToDer(const QByteArray& raw)
{
    const int half = int(raw.size() / 2);
    BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.constData()), half, nullptr);
    BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.constData()) + half, half, nullptr);
    ECDSA_SIG* sig = ECDSA_SIG_new();
    ECDSA_SIG_set0(sig, r, s);
    unsigned char* der = nullptr;
    const int length = i2d_ECDSA_SIG(sig, &der);
    QByteArray out(reinterpret_cast<const char*>(der), length);
    OPENSSL_free(der);
    ECDSA_SIG_free(sig);
    return out;
}

bool bareVerify(const AlgInfo& alg, const Key& key, const QByteArray& input, const QByteArray& signature)
{
    const auto* in = reinterpret_cast<const unsigned char*>(input.constData());
    const auto* sig = reinterpret_cast<const unsigned char*>(signature.constData());
    if (alg.scheme == SignatureScheme::Hmac) {
        unsigned char tag[EVP_MAX_MD_SIZE];
        size_t tagLength = 0;
        EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
        EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
        char digestName[16];
        qstrncpy(digestName, EVP_MD_get0_name(evpDigest(alg.digest)), sizeof digestName);
        OSSL_PARAM params[]
            = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digestName, 0), OSSL_PARAM_construct_end()};
        EVP_MAC_init(ctx, key.secret().bytes(), size_t(key.secret().size()), params);
        EVP_MAC_update(ctx, in, size_t(input.size()));
        EVP_MAC_final(ctx, tag, &tagLength, sizeof tag);
        EVP_MAC_CTX_free(ctx);
        EVP_MAC_free(mac);
        return tagLength == size_t(signature.size()) && CRYPTO_memcmp(tag, sig, tagLength) == 0;
    }
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX* pctx = nullptr;
    EVP_DigestVerifyInit(ctx, &pctx, evpDigest(alg.digest), nullptr, key.pkey());
    if (alg.scheme == SignatureScheme::RsaPss) {
        EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
        EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, digestBytes(alg.digest));
    }
    const int rc = EVP_DigestVerify(ctx, sig, size_t(signature.size()), in, size_t(input.size()));
    EVP_MD_CTX_free(ctx);
    return rc == 1;
}

void benchDecode()
{
    // A typical ≈ 500-byte token: an access token with the usual claims.
    const QByteArray header = R"({"alg":"RS256","typ":"JWT","kid":"2024-09-rotation-key-01"})";
    const QByteArray payload = R"({"iss":"https://login.example.com/","sub":"auth0|5f7c8ec7c33c6c004bbafe82",)"
                               R"("aud":["https://api.example.com","https://example.eu.auth0.com/userinfo"],)"
                               R"("iat":1700000000,"exp":1700003600,"azp":"z2Xf8pAe8qgIhT8SDlqNcwNMd4D3tUhU",)"
                               R"("scope":"openid profile email read:orders write:orders","email":"ada@example.com",)"
                               R"("roles":["admin","billing"],"nonce":"n-0S6_WzA2Mj"})";
    const QByteArray token = Base64Url::encode(header) + '.' + Base64Url::encode(payload) + '.'
        + Base64Url::encode(QByteArray(256, '\x5a'));
    const QString text = QString::fromLatin1(token);
    const qint64 now = 1700001000;

    const double decodeNs = timePerCall([&] {
        const Token t = decodeUnverified(text);
        const auto prettyHeader = prettyPrint(*t.header());
        const auto prettyPayload = prettyPrint(*t.claims());
        int explained = 0;
        for (const auto& member : t.claims()->members) {
            explained += explainClaim(member.name).has_value();
            if (const auto seconds = member.value.toInteger())
                explained += !describeTime(ClaimTimeKind::Other, *seconds, now).isEmpty();
        }
        for (const auto& member : t.header()->members)
            explained += explainHeaderParameter(member.name).has_value();
        Q_UNUSED(prettyHeader);
        Q_UNUSED(prettyPayload);
        Q_UNUSED(explained);
    });
    const double lintNs = timePerCall([&] {
        const Token t = decodeUnverified(text);
        const auto findings = lintToken(t, LintContext{now, nullptr});
        Q_UNUSED(findings);
    });
    std::printf("decode + pretty-print + explain, %lld-byte token: %.1f us   (budget < 50 us)\n",
                static_cast<long long>(token.size()), decodeNs / 1000.0);
    std::printf("decode + lint (findings), same token:              %.1f us\n", lintNs / 1000.0);

    // A 1 MiB token pasted: a payload of ≈ 780 KiB JSON.
    QByteArray big = R"({"sub":"big","data":[)";
    while (big.size() < 780 * 1024)
        big += R"({"id":12345,"name":"item","tags":["a","b","c"]},)";
    big.chop(1);
    big += "]}";
    const QByteArray bigToken
        = Base64Url::encode(header) + '.' + Base64Url::encode(big) + '.' + Base64Url::encode(QByteArray(256, '\x5a'));
    const QString bigText = QString::fromLatin1(bigToken);
    const double bigNs = timePerCall(
        [&] {
            const Token t = decodeUnverified(bigText);
            const auto pretty = prettyPrint(*t.claims());
            Q_UNUSED(pretty);
        },
        1'000'000'000);
    std::printf("decode + pretty-print, %.2f MiB token:             %.1f ms   (budget < 150 ms)\n",
                double(bigToken.size()) / (1024.0 * 1024.0), bigNs / 1e6);
}

void benchVerify()
{
    const QByteArray header = R"({"alg":"XX","typ":"JWT"})";
    const QByteArray payload = R"({"sub":"1234567890","name":"John Doe","iat":1516239022,"exp":4102444800})";
    std::printf("\n%-8s %14s %14s %14s %9s %9s\n", "alg", "bare OpenSSL", "verifyBytes", "verifyToken", "bytes/",
                "token/");
    std::printf("%-8s %14s %14s %14s %9s %9s\n", "", "(us/op)", "(us/op)", "(us/op)", "bare", "bare");
    for (const auto& alg : allAlgs()) {
        if (alg.scheme == SignatureScheme::None)
            continue;
        const auto spec = keySpecForAlg(alg);
        if (!spec) {
            std::printf("%-8s skipped: %s\n", alg.name, qPrintable(spec.message()));
            continue;
        }
        const auto key = generateKey(*spec);
        if (!key) {
            std::printf("%-8s skipped: %s\n", alg.name, qPrintable(key.message()));
            continue;
        }
        SignOptions signOptions;
        signOptions.alg = alg.displayName();
        const auto token = signToken(payload, *key, signOptions);
        if (!token) {
            std::printf("%-8s skipped: %s\n", alg.name, qPrintable(token.message()));
            continue;
        }
        const auto parsed = parseStrict(*token);
        const QByteArray input = parsed->signingInput();
        const QByteArray signature = parsed->signatures.front().signature.decoded.bytes;
        const QByteArray bareSignature = alg.scheme == SignatureScheme::Ecdsa ? ecdsaRawToDer(signature) : signature;
        const Key verifyKey = key->type() == KeyType::Oct ? *key : key->publicOnly();
        if (!bareVerify(alg, verifyKey, input, bareSignature) || !verifyBytes(alg, verifyKey, input, signature)) {
            std::printf("%-8s FAILED to verify its own signature\n", alg.name);
            continue;
        }
        VerifyOptions options;
        options.claims.now = 1700000000;
        const std::vector<Key> keys{verifyKey};
        const double bare = timePerCall([&] { bareVerify(alg, verifyKey, input, bareSignature); });
        const double ours = timePerCall([&] { (void)verifyBytes(alg, verifyKey, input, signature); });
        const double whole = timePerCall([&] {
            const auto t = parseStrict(*token);
            const auto result = verifyToken(*t, keys, options);
            Q_UNUSED(result);
        });
        std::printf("%-8s %14.2f %14.2f %14.2f %9.2f %9.2f\n", alg.name, bare / 1000, ours / 1000, whole / 1000,
                    ours / bare, whole / bare);
    }
    std::printf("(budget: verify overhead over the bare OpenSSL operation < 20 %%, i.e. ratio < 1.20)\n");
}

// JWE decrypts a second (issue 15): the whole parseJwe + decryptJwe against the bare OpenSSL key operation it rests
// on (RSA-OAEP-256 decrypt; ECDH P-256 derive), measured in the same binary.
void benchDecrypt()
{
    std::printf("\n%-26s %14s %14s %9s\n", "JWE", "bare (op/s)", "decrypt (/s)", "share");
    const QByteArray plaintext = R"({"sub":"1234567890","name":"John Doe","iat":1516239022})";
    struct Row
    {
        const char* alg;
        const char* enc;
    };
    for (const Row row : {Row{"RSA-OAEP-256", "A256GCM"}, Row{"ECDH-ES", "A128GCM"}}) {
        const bool rsa = qstrcmp(row.alg, "RSA-OAEP-256") == 0;
        const auto key
            = rsa ? generateKey(KeySpec{KeyType::Rsa, 2048, {}}) : generateEphemeralKey(QStringLiteral("P-256"));
        if (!key) {
            std::printf("%-26s skipped: %s\n", row.alg, qPrintable(key.message()));
            continue;
        }
        JweEncryptOptions options;
        options.alg = QString::fromLatin1(row.alg);
        options.enc = QString::fromLatin1(row.enc);
        const auto token = encryptJwe(plaintext, key->publicOnly(), options);
        if (!token) {
            std::printf("%-26s skipped: %s\n", row.alg, qPrintable(token.message()));
            continue;
        }
        const std::vector<Key> keys{*key};
        const auto parsed = parseJwe(*token);
        const QByteArray encryptedKey = parsed->recipients.front().encryptedKey;
        const Key peer = rsa ? Key() : *generateEphemeralKey(QStringLiteral("P-256"));
        const auto bare = [&] {
            EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_pkey(nullptr, key->pkey(), nullptr);
            unsigned char out[512];
            size_t length = sizeof out;
            if (rsa) {
                EVP_PKEY_decrypt_init(ctx);
                EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING);
                EVP_PKEY_CTX_set_rsa_oaep_md(ctx, EVP_sha256());
                EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, EVP_sha256());
                EVP_PKEY_decrypt(ctx, out, &length, reinterpret_cast<const unsigned char*>(encryptedKey.constData()),
                                 size_t(encryptedKey.size()));
            } else {
                EVP_PKEY_derive_init(ctx);
                EVP_PKEY_derive_set_peer(ctx, peer.pkey());
                EVP_PKEY_derive(ctx, out, &length);
            }
            EVP_PKEY_CTX_free(ctx);
        };
        const auto whole = [&] {
            const auto jwe = parseJwe(*token);
            const auto result = decryptJwe(*jwe, keys);
            if (!result)
                std::abort();
        };
        const double bareNs = timePerCall(bare);
        const double wholeNs = timePerCall(whole);
        std::printf("%-26s %14.0f %14.0f %8.0f%%\n", qPrintable(QStringLiteral("%1 + %2").arg(row.alg, row.enc)),
                    1e9 / bareNs, 1e9 / wholeNs, 100.0 * bareNs / wholeNs);
    }
    std::printf("(share: how much of a whole decrypt the bare key operation is)\n");
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    benchDecode();
    benchVerify();
    benchDecrypt();
    return 0;
}

#include "core/crypto/KeyGeneration.h"
#include "core/crypto/Signature.h"
#include "core/crypto/SignatureWalkthrough.h"
#include "core/jose/Base64Url.h"
#include "core/jose/Token.h"

#include <QTest>
#include <map>
// Every intermediate value is checked against OpenSSL called here, independently of the code under test.
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

using namespace jwti;

namespace {

const AlgInfo& alg(const QString& name)
{
    const AlgInfo* info = findAlg(name);
    if (!info)
        qFatal("unknown alg %s", qPrintable(name));
    return *info;
}

const QByteArray kPayload = R"({"sub":"1234567890","name":"Ada Lovelace","admin":true})";
const QByteArray kTamperedPayload = R"({"sub":"1234567890","name":"Ada Lovelace","admin":false})";

QByteArray signingInputFor(const QString& algName, const QByteArray& payload)
{
    const QByteArray header = R"({"alg":")" + algName.toLatin1() + R"(","typ":"JWT"})";
    return Base64Url::encode(header) + '.' + Base64Url::encode(payload);
}

Token tokenFrom(const QByteArray& signingInput, const QByteArray& signature)
{
    return decodeUnverified(QString::fromLatin1(signingInput + '.' + Base64Url::encode(signature)));
}

const WalkStep* findStep(const SignatureWalkthrough& walk, const char* id)
{
    for (const auto& step : walk.steps) {
        if (step.id == QLatin1StringView(id))
            return &step;
    }
    return nullptr;
}

const WalkField* findField(const WalkStep& step, const QString& labelStart)
{
    for (const auto& field : step.fields) {
        if (field.label.startsWith(labelStart))
            return &field;
    }
    return nullptr;
}

const EVP_MD* md(Digest digest)
{
    return digest == Digest::Sha256 ? EVP_sha256() : digest == Digest::Sha384 ? EVP_sha384() : EVP_sha512();
}

QByteArray opensslDigest(Digest digest, const QByteArray& data)
{
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(data.constData(), size_t(data.size()), out, &length, md(digest), nullptr) != 1)
        qFatal("EVP_Digest failed");
    return QByteArray(reinterpret_cast<const char*>(out), int(length));
}

QByteArray opensslHmac(Digest digest, QByteArrayView key, const QByteArray& data)
{
    EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
    char name[16] = {};
    qstrncpy(name, digest == Digest::Sha256 ? "SHA256" : digest == Digest::Sha384 ? "SHA384" : "SHA512", 16);
    OSSL_PARAM params[]
        = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, name, 0), OSSL_PARAM_construct_end()};
    unsigned char out[EVP_MAX_MD_SIZE];
    size_t length = 0;
    const bool ok
        = EVP_MAC_init(ctx, reinterpret_cast<const unsigned char*>(key.data()), size_t(key.size()), params) == 1
        && EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(data.constData()), size_t(data.size())) == 1
        && EVP_MAC_final(ctx, out, &length, sizeof out) == 1;
    EVP_MAC_CTX_free(ctx);
    EVP_MAC_free(mac);
    if (!ok)
        qFatal("EVP_MAC failed");
    return QByteArray(reinterpret_cast<const char*>(out), int(length));
}

// s^e mod n through OpenSSL's own raw RSA public operation (no padding): the encoded message.
QByteArray opensslRawPublic(const Key& key, const QByteArray& signature)
{
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(key.pkey(), nullptr);
    QByteArray out(EVP_PKEY_get_size(key.pkey()), '\0');
    size_t length = size_t(out.size());
    const bool ok = ctx && EVP_PKEY_encrypt_init(ctx) == 1 && EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_NO_PADDING) == 1
        && EVP_PKEY_encrypt(ctx, reinterpret_cast<unsigned char*>(out.data()), &length,
                            reinterpret_cast<const unsigned char*>(signature.constData()), size_t(signature.size()))
            == 1;
    EVP_PKEY_CTX_free(ctx);
    if (!ok)
        qFatal("raw RSA public operation failed");
    out.resize(qsizetype(length));
    return out;
}

// RFC 8017 App. B.2.1, written again here.
QByteArray mgf1(Digest digest, const QByteArray& seed, qsizetype length)
{
    QByteArray mask;
    for (quint32 counter = 0; mask.size() < length; ++counter) {
        QByteArray block = seed;
        for (int shift = 24; shift >= 0; shift -= 8)
            block.append(char((counter >> shift) & 0xff));
        mask += opensslDigest(digest, block);
    }
    return mask.left(length);
}

// OpenSSL's key generation rounds an odd size down to an even one, so the key is put together here from two
// primes of 1025 and 1024 bits until their product has 2049 bits.
Key rsaKeyOf2049Bits()
{
    BN_CTX* ctx = BN_CTX_new();
    BIGNUM* p = BN_new();
    BIGNUM* q = BN_new();
    BIGNUM* n = BN_new();
    BIGNUM* e = BN_new();
    BIGNUM* d = BN_new();
    BIGNUM* p1 = BN_new();
    BIGNUM* q1 = BN_new();
    BIGNUM* phi = BN_new();
    Key key;
    bool ok = BN_set_word(e, 65537) == 1;
    for (int attempt = 0; ok && attempt < 50 && BN_num_bits(n) != 2049; ++attempt) {
        ok = BN_generate_prime_ex2(p, 1025, 0, nullptr, nullptr, nullptr, ctx) == 1
            && BN_generate_prime_ex2(q, 1024, 0, nullptr, nullptr, nullptr, ctx) == 1 && BN_mul(n, p, q, ctx) == 1;
    }
    // d = e⁻¹ mod (p−1)(q−1): any multiple of λ(n) works for the textbook private operation.
    ok = ok && BN_num_bits(n) == 2049 && BN_sub(p1, p, BN_value_one()) == 1 && BN_sub(q1, q, BN_value_one()) == 1
        && BN_mul(phi, p1, q1, ctx) == 1 && BN_mod_inverse(d, e, phi, ctx) != nullptr;
    if (ok) {
        OSSL_PARAM_BLD* build = OSSL_PARAM_BLD_new();
        OSSL_PARAM_BLD_push_BN(build, OSSL_PKEY_PARAM_RSA_N, n);
        OSSL_PARAM_BLD_push_BN(build, OSSL_PKEY_PARAM_RSA_E, e);
        OSSL_PARAM_BLD_push_BN(build, OSSL_PKEY_PARAM_RSA_D, d);
        OSSL_PARAM_BLD_push_BN(build, OSSL_PKEY_PARAM_RSA_FACTOR1, p);
        OSSL_PARAM_BLD_push_BN(build, OSSL_PKEY_PARAM_RSA_FACTOR2, q);
        OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(build);
        EVP_PKEY_CTX* pctx = EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr);
        EVP_PKEY* pkey = nullptr;
        if (pctx && EVP_PKEY_fromdata_init(pctx) == 1 && EVP_PKEY_fromdata(pctx, &pkey, EVP_PKEY_KEYPAIR, params) == 1)
            key = Key::adoptPkey(pkey);
        EVP_PKEY_CTX_free(pctx);
        OSSL_PARAM_free(params);
        OSSL_PARAM_BLD_free(build);
    }
    for (BIGNUM* number : {p, q, n, e, d, p1, q1, phi})
        BN_clear_free(number);
    BN_CTX_free(ctx);
    return key;
}

bool anyStepHolds(const SignatureWalkthrough& walk, QByteArrayView secret)
{
    const QString secretHex = QString::fromLatin1(secret.toByteArray().toHex(' '));
    const QString secretText = QString::fromLatin1(secret.toByteArray());
    for (const auto& step : walk.steps) {
        if (step.value.contains(secret) || step.valueText.contains(secretHex) || step.valueText.contains(secretText)
            || step.explanation.contains(secretText))
            return true;
        for (const auto& field : step.fields) {
            if (field.value.contains(secret) || field.valueText.contains(secretHex))
                return true;
        }
    }
    return false;
}

} // namespace

class TestSignatureWalkthrough : public QObject
{
    Q_OBJECT

    std::map<QString, Key> m_keys; // one generated key per key spec

    const Key& keyFor(const AlgInfo& info)
    {
        auto spec = keySpecForAlg(info);
        if (!spec)
            qFatal("no key spec for %s", info.name);
        const QString id = QStringLiteral("%1/%2/%3").arg(int(spec->type)).arg(spec->bits).arg(spec->curve);
        auto found = m_keys.find(id);
        if (found == m_keys.end()) {
            auto key = generateKey(*spec);
            if (!key)
                qFatal("generation failed: %s", qPrintable(key.message()));
            found = m_keys.emplace(id, *key).first;
        }
        return found->second;
    }

    static Key verifierOf(const Key& key) { return key.type() == KeyType::Oct ? key : key.publicOnly(); }

    static void addAlgRows()
    {
        QTest::addColumn<QString>("name");
        for (const AlgInfo& info : allAlgs()) {
            if (info.scheme != SignatureScheme::None)
                QTest::newRow(info.name) << info.displayName();
        }
    }

    // Every row: the walk's verdict is verifyBytes's.
    static void checkAgreesWithVerifier(const SignatureWalkthrough& walk, const AlgInfo& info, const Key& key,
                                        const Token& token)
    {
        const auto verdict
            = verifyBytes(info, key, token.signingInput(0), token.signatures.front().signature.decoded.bytes);
        QCOMPARE(walk.verified, verdict.ok());
        QCOMPARE(walk.failedStep < 0, verdict.ok());
        if (walk.failedStep >= 0) {
            QVERIFY(!walk.failureReason.isEmpty());
            QCOMPARE(walk.steps[size_t(walk.failedStep)].passed, std::optional<bool>(false));
            QCOMPARE(walk.steps[size_t(walk.failedStep)].failure, walk.failureReason);
        }
        for (int i = 0; i < walk.failedStep; ++i)
            QVERIFY(walk.steps[size_t(i)].passed.value_or(true));
    }

private slots:
    void walksThroughAGoodSignature_data() { addAlgRows(); }

    void walksThroughAGoodSignature()
    {
        QFETCH(QString, name);
        const AlgInfo& info = alg(name);
        const Key& key = keyFor(info);
        const QByteArray input = signingInputFor(name, kPayload);
        auto signature = signBytes(info, key, input);
        QVERIFY2(signature.ok(), qPrintable(signature.ok() ? QString() : signature.message()));
        const Token token = tokenFrom(input, *signature);
        const Key verifier = verifierOf(key);

        const SignatureWalkthrough walk = walkThroughSignature(token, verifier);
        QVERIFY2(walk.verified, qPrintable(walk.failureReason));
        QCOMPARE(walk.failedStep, -1);
        QCOMPARE(walk.alg, name);
        checkAgreesWithVerifier(walk, info, verifier, token);
        for (const auto& step : walk.steps)
            QVERIFY2(step.passed.value_or(true), qPrintable(step.id + QStringLiteral(": ") + step.failure));

        // Every field that says where it sits in its step's value really is that slice.
        for (const auto& step : walk.steps) {
            for (const auto& part : step.fields) {
                if (part.within.size() > 0)
                    QVERIFY2(step.value.mid(part.within.begin, part.within.size()) == part.value,
                             qPrintable(step.id + QStringLiteral(": ") + part.label));
            }
        }

        const WalkStep* inputStep = findStep(walk, "signing-input");
        QVERIFY(inputStep);
        QCOMPARE(inputStep->value, input);
        QCOMPARE(inputStep->valueText, QString::fromLatin1(input));

        const Digest digest = info.digest;
        const QByteArray hash = digest == Digest::None ? QByteArray() : opensslDigest(digest, input);
        const WalkStep* hashStep = findStep(walk, "hash");
        QCOMPARE(hashStep != nullptr, info.scheme != SignatureScheme::Hmac && info.scheme != SignatureScheme::EdDsa);
        if (hashStep)
            QCOMPARE(hashStep->value, hash);

        switch (info.scheme) {
        case SignatureScheme::Hmac: {
            const WalkStep* tag = findStep(walk, "hmac-tag");
            QVERIFY(tag);
            QCOMPARE(tag->value, opensslHmac(digest, key.secret().view(), input));
            QCOMPARE(tag->value, *signature);
            QVERIFY(findStep(walk, "hmac-inner"));
            QVERIFY(!anyStepHolds(walk, key.secret().view()));
            break;
        }
        case SignatureScheme::RsaPkcs1: {
            const QByteArray em = opensslRawPublic(verifier, *signature);
            const WalkStep* rsa = findStep(walk, "rsa-public");
            QVERIFY(rsa);
            QCOMPARE(rsa->value, em);
            const WalkStep* padding = findStep(walk, "pkcs1-padding");
            QVERIFY(padding);
            const int paddingBytes = int(em.size()) - 3 - 19 - int(hash.size()); // 19: DigestInfo prefix (RFC 8017)
            const WalkField* ff = findField(*padding, QStringLiteral("padding (FF × %1)").arg(paddingBytes));
            QVERIFY(ff);
            QCOMPARE(ff->value, QByteArray(paddingBytes, '\xff'));
            QCOMPARE(ff->within, (OffsetRange{2, 2 + paddingBytes}));
            const WalkField* oid = findField(*padding, QStringLiteral("  OBJECT IDENTIFIER"));
            QVERIFY(oid);
            QCOMPARE(oid->value.size(), 11); // 06 09 and the nine bytes of a SHA-2 OID
            QCOMPARE(oid->value.left(1), QByteArray("\x06"));
            QCOMPARE(oid->within.size(), oid->value.size());
            QCOMPARE(em.mid(oid->within.begin, oid->within.size()), oid->value);
            for (const WalkField& part : padding->fields) {
                if (part.within.size() > 0)
                    QCOMPARE(em.mid(part.within.begin, part.within.size()), part.value);
            }
            QVERIFY2(oid->note.contains(QLatin1StringView(digestName(digest))), qPrintable(oid->note));
            const WalkField* embedded = findField(*padding, QStringLiteral("hash ("));
            QVERIFY(embedded);
            QCOMPARE(embedded->value, hash);
            QCOMPARE(em.right(hash.size()), hash);
            QVERIFY(findStep(walk, "hash-compare"));
            break;
        }
        case SignatureScheme::RsaPss: {
            const QByteArray em = opensslRawPublic(verifier, *signature);
            QCOMPARE(findStep(walk, "rsa-public")->value, em);
            const qsizetype hashLength = hash.size();
            const QByteArray h = em.mid(em.size() - hashLength - 1, hashLength);
            QCOMPARE(em.back(), '\xbc');
            const WalkStep* salt = findStep(walk, "pss-salt");
            QVERIFY(salt);
            QCOMPARE(salt->value.size(), hashLength); // RFC 7518 §3.5
            // The salt the walk found really is the one: H = Hash(00×8 ‖ mHash ‖ salt), computed here.
            QCOMPARE(opensslDigest(digest, QByteArray(8, '\0') + hash + salt->value), h);
            // And maskedDB ⊕ MGF1(H) is zeros, 01, salt (the leftmost bit cleared: 2048-bit modulus).
            const QByteArray maskedDb = em.left(em.size() - hashLength - 1);
            const QByteArray mask = mgf1(digest, h, maskedDb.size());
            QCOMPARE(findStep(walk, "pss-mgf1")->value, mask);
            QByteArray db(maskedDb.size(), '\0');
            for (qsizetype i = 0; i < db.size(); ++i)
                db[i] = char(maskedDb[i] ^ mask[i]);
            db[0] = char(db[0] & 0x7f);
            QCOMPARE(findStep(walk, "pss-db")->value, db);
            QCOMPARE(db.right(hashLength), salt->value);
            QCOMPARE(db[db.size() - hashLength - 1], '\x01');
            QCOMPARE(findStep(walk, "hash-compare")->value, h);
            break;
        }
        case SignatureScheme::Ecdsa: {
            const int half = info.signatureBytes / 2;
            const WalkStep* rs = findStep(walk, "ecdsa-rs");
            QVERIFY(rs);
            QCOMPARE(findField(*rs, QStringLiteral("r"))->value, signature->left(half));
            QCOMPARE(findField(*rs, QStringLiteral("s"))->value, signature->mid(half));
            // The DER built by the walk is what OpenSSL itself verifies.
            const WalkStep* der = findStep(walk, "ecdsa-der");
            QVERIFY(der);
            const auto* cursor = reinterpret_cast<const unsigned char*>(der->value.constData());
            ECDSA_SIG* parsed = d2i_ECDSA_SIG(nullptr, &cursor, long(der->value.size()));
            QVERIFY(parsed);
            QByteArray raw(info.signatureBytes, '\0');
            BN_bn2binpad(ECDSA_SIG_get0_r(parsed), reinterpret_cast<unsigned char*>(raw.data()), half);
            BN_bn2binpad(ECDSA_SIG_get0_s(parsed), reinterpret_cast<unsigned char*>(raw.data()) + half, half);
            ECDSA_SIG_free(parsed);
            QCOMPARE(raw, *signature);
            EVP_MD_CTX* ctx = EVP_MD_CTX_new();
            const int verdict = EVP_DigestVerifyInit(ctx, nullptr, md(digest), nullptr, verifier.pkey()) == 1
                ? EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(der->value.constData()),
                                   size_t(der->value.size()), reinterpret_cast<const unsigned char*>(input.constData()),
                                   size_t(input.size()))
                : -1;
            EVP_MD_CTX_free(ctx);
            QCOMPARE(verdict, 1);
            const WalkStep* check = findStep(walk, "ecdsa-check");
            QVERIFY(check);
            QCOMPARE(check->value, signature->left(half)); // v = r
            QCOMPARE(findStep(walk, "verify")->passed, std::optional<bool>(true));
            break;
        }
        case SignatureScheme::EdDsa: {
            const WalkStep* rs = findStep(walk, "eddsa-rs");
            QVERIFY(rs);
            const qsizetype half = signature->size() / 2;
            QCOMPARE(rs->fields.at(0).value, signature->left(half));
            QCOMPARE(rs->fields.at(1).value, signature->mid(half));
            QCOMPARE(findStep(walk, "verify")->passed, std::optional<bool>(true));
            break;
        }
        case SignatureScheme::None:
            QFAIL("no row for none");
        }
        QCOMPARE(ERR_peek_error(), 0UL);
    }

    void marksTheHashStepWhenThePayloadWasChanged_data() { addAlgRows(); }

    void marksTheHashStepWhenThePayloadWasChanged()
    {
        QFETCH(QString, name);
        const AlgInfo& info = alg(name);
        const Key& key = keyFor(info);
        auto signature = signBytes(info, key, signingInputFor(name, kPayload));
        QVERIFY(signature.ok());
        const Token tampered = tokenFrom(signingInputFor(name, kTamperedPayload), *signature);
        const Key verifier = verifierOf(key);
        const SignatureWalkthrough walk = walkThroughSignature(tampered, verifier);
        QVERIFY(!walk.verified);
        checkAgreesWithVerifier(walk, info, verifier, tampered);
        QVERIFY(walk.failedStep >= 0);
        const WalkStep& failed = walk.steps[size_t(walk.failedStep)];
        switch (info.scheme) {
        case SignatureScheme::RsaPkcs1:
        case SignatureScheme::RsaPss:
            // Recoverable schemes tell the two causes apart: the key fits, the hash does not.
            QCOMPARE(failed.id, QStringLiteral("hash-compare"));
            QVERIFY2(walk.failureReason.contains(QStringLiteral("payload was changed")),
                     qPrintable(walk.failureReason));
            break;
        case SignatureScheme::Hmac:
            QCOMPARE(failed.id, QStringLiteral("tag-compare"));
            break;
        case SignatureScheme::Ecdsa:
            QCOMPARE(failed.id, QStringLiteral("ecdsa-check"));
            break;
        case SignatureScheme::EdDsa:
            QCOMPARE(failed.id, QStringLiteral("verify"));
            QVERIFY2(walk.failureReason.contains(QStringLiteral("payload was changed")),
                     qPrintable(walk.failureReason));
            break;
        case SignatureScheme::None:
            QFAIL("no row for none");
        }
        QCOMPARE(ERR_peek_error(), 0UL);
    }

    void marksThePaddingStepForAnotherRsaKey_data()
    {
        QTest::addColumn<QString>("name");
        for (const char* name : {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"})
            QTest::newRow(name) << QString::fromLatin1(name);
    }

    void marksThePaddingStepForAnotherRsaKey()
    {
        QFETCH(QString, name);
        const AlgInfo& info = alg(name);
        auto other = generateKey(KeySpec{KeyType::Rsa, 2048, {}});
        QVERIFY(other.ok());
        const QByteArray input = signingInputFor(name, kPayload);
        auto signature = signBytes(info, keyFor(info), input);
        QVERIFY(signature.ok());
        const Token token = tokenFrom(input, *signature);
        const Key verifier = other->publicOnly();
        const SignatureWalkthrough walk = walkThroughSignature(token, verifier);
        QVERIFY(!walk.verified);
        checkAgreesWithVerifier(walk, info, verifier, token);
        const QString failedId = walk.steps[size_t(walk.failedStep)].id;
        const QStringList expected = info.scheme == SignatureScheme::RsaPkcs1
            ? QStringList{QStringLiteral("rsa-public"), QStringLiteral("pkcs1-padding")}
            : QStringList{QStringLiteral("rsa-public"), QStringLiteral("pss-layout"), QStringLiteral("pss-db")};
        QVERIFY2(expected.contains(failedId), qPrintable(failedId));
        QVERIFY2(walk.failureReason.contains(QStringLiteral("not made with this key")), qPrintable(walk.failureReason));
    }

    void walksPssWhenTheModulusIsOneBitOverWholeBytes()
    {
        // A 2049-bit modulus: EM is emBits = 2048 bits, one byte shorter than the signature (RFC 8017 §9.1.2 step 3),
        // and s^e mod n starts with a zero byte that is not part of EM.
        const Key key = rsaKeyOf2049Bits();
        QVERIFY(!key.isNull());
        QCOMPARE(key.bits(), 2049);
        const AlgInfo& info = alg(QStringLiteral("PS256"));
        const QByteArray input = signingInputFor(QStringLiteral("PS256"), kPayload);
        auto signature = signBytes(info, key, input);
        QVERIFY2(signature.ok(), qPrintable(signature.ok() ? QString() : signature.message()));
        QCOMPARE(signature->size(), 257);
        const Token token = tokenFrom(input, *signature);
        const SignatureWalkthrough walk = walkThroughSignature(token, key.publicOnly());
        QVERIFY2(walk.verified, qPrintable(walk.failureReason));
        checkAgreesWithVerifier(walk, info, key.publicOnly(), token);
        const QByteArray raw = opensslRawPublic(key.publicOnly(), *signature);
        QCOMPARE(raw.front(), '\0');
        QCOMPARE(findStep(walk, "pss-layout")->value, raw.mid(1));
        QCOMPARE(findStep(walk, "pss-salt")->value.size(), 32);

        const Token tampered = tokenFrom(signingInputFor(QStringLiteral("PS256"), kTamperedPayload), *signature);
        const SignatureWalkthrough tamperedWalk = walkThroughSignature(tampered, key.publicOnly());
        QCOMPARE(tamperedWalk.steps[size_t(tamperedWalk.failedStep)].id, QStringLiteral("hash-compare"));
    }

    void explainsAHashNamedByAnotherAlg()
    {
        // Signed as RS384, presented as RS256: the block is well formed but its DigestInfo names SHA-384.
        const Key& key = keyFor(alg(QStringLiteral("RS256")));
        const QByteArray input = signingInputFor(QStringLiteral("RS256"), kPayload);
        auto signature = signBytes(alg(QStringLiteral("RS384")), key, input);
        QVERIFY(signature.ok());
        const SignatureWalkthrough walk = walkThroughSignature(tokenFrom(input, *signature), key.publicOnly());
        QVERIFY(!walk.verified);
        QCOMPARE(walk.steps[size_t(walk.failedStep)].id, QStringLiteral("pkcs1-padding"));
        QVERIFY2(walk.failureReason.contains(QStringLiteral("SHA-384")), qPrintable(walk.failureReason));
    }

    void hashesALongHmacSecretFirst()
    {
        const QByteArray secretBytes(100, 'k'); // longer than SHA-256's 64-byte block (RFC 2104 §2)
        const Key key = Key::fromSecret(SecretBytes(secretBytes));
        const QByteArray input = signingInputFor(QStringLiteral("HS256"), kPayload);
        const QByteArray tag = opensslHmac(Digest::Sha256, secretBytes, input);
        const SignatureWalkthrough walk = walkThroughSignature(tokenFrom(input, tag), key);
        QVERIFY2(walk.verified, qPrintable(walk.failureReason));
        QCOMPARE(findStep(walk, "hmac-tag")->value, tag);
        QVERIFY(!anyStepHolds(walk, secretBytes));
    }

    void stopsAtTheLengthOfATruncatedTag()
    {
        const Key& key = keyFor(alg(QStringLiteral("HS256")));
        const QByteArray input = signingInputFor(QStringLiteral("HS256"), kPayload);
        const QByteArray tag = opensslHmac(Digest::Sha256, key.secret().view(), input).left(16);
        const Token token = tokenFrom(input, tag);
        const SignatureWalkthrough walk = walkThroughSignature(token, key);
        QVERIFY(!walk.verified);
        QCOMPARE(walk.steps[size_t(walk.failedStep)].id, QStringLiteral("signature-length"));
        checkAgreesWithVerifier(walk, alg(QStringLiteral("HS256")), key, token);
    }

    void stopsAtTheKeyWhenItDoesNotFit()
    {
        const Key& ecKey = keyFor(alg(QStringLiteral("ES256")));
        const QByteArray input = signingInputFor(QStringLiteral("RS256"), kPayload);
        const Token token = tokenFrom(input, QByteArray(256, '\x01'));
        const SignatureWalkthrough walk = walkThroughSignature(token, ecKey.publicOnly());
        QVERIFY(!walk.verified);
        QCOMPARE(walk.steps[size_t(walk.failedStep)].id, QStringLiteral("key"));
        checkAgreesWithVerifier(walk, alg(QStringLiteral("RS256")), ecKey.publicOnly(), token);
        // A public key offered as an HMAC secret (algorithm confusion) stops there too.
        const Token hs = tokenFrom(signingInputFor(QStringLiteral("HS256"), kPayload), QByteArray(32, '\x01'));
        const SignatureWalkthrough confused = walkThroughSignature(hs, ecKey.publicOnly());
        QCOMPARE(confused.steps[size_t(confused.failedStep)].id, QStringLiteral("key"));
    }

    void rejectsEcdsaNumbersOutOfRange()
    {
        const AlgInfo& info = alg(QStringLiteral("ES256"));
        const Key verifier = keyFor(info).publicOnly();
        const QByteArray input = signingInputFor(QStringLiteral("ES256"), kPayload);
        const QByteArray zeroR = QByteArray(32, '\0') + QByteArray(32, '\x01');
        const SignatureWalkthrough walk = walkThroughSignature(tokenFrom(input, zeroR), verifier);
        QCOMPARE(walk.steps[size_t(walk.failedStep)].id, QStringLiteral("ecdsa-rs"));
        QVERIFY(!walk.verified);
        const QByteArray huge(64, '\xff'); // r and s above the order
        const SignatureWalkthrough tooBig = walkThroughSignature(tokenFrom(input, huge), verifier);
        QCOMPARE(tooBig.steps[size_t(tooBig.failedStep)].id, QStringLiteral("ecdsa-rs"));
    }

    void neverVerifiesAlgNone()
    {
        const QByteArray input = signingInputFor(QStringLiteral("none"), kPayload);
        const SignatureWalkthrough walk
            = walkThroughSignature(tokenFrom(input, {}), keyFor(alg(QStringLiteral("HS256"))));
        QVERIFY(!walk.verified);
        QVERIFY(walk.failedStep >= 0);
        const Token unknown = tokenFrom(signingInputFor(QStringLiteral("XS999"), kPayload), QByteArray("x"));
        const SignatureWalkthrough unknownWalk = walkThroughSignature(unknown, keyFor(alg(QStringLiteral("HS256"))));
        QVERIFY(!unknownWalk.verified);
        QCOMPARE(unknownWalk.steps.front().id, QStringLiteral("alg"));
    }

    void garbageSignaturesNeverCrash_data() { addAlgRows(); }

    void garbageSignaturesNeverCrash()
    {
        QFETCH(QString, name);
        const AlgInfo& info = alg(name);
        const Key verifier = verifierOf(keyFor(info));
        const QByteArray input = signingInputFor(name, kPayload);
        const int length = info.signatureBytes != 0 ? info.signatureBytes
            : info.scheme == SignatureScheme::EdDsa ? 64
                                                    : 256;
        for (const QByteArray& garbage : {QByteArray(), QByteArray(length, '\0'), QByteArray(length, '\xff'),
                                          QByteArray(length - 1, '\x5a'), QByteArray(length + 1, '\x5a')}) {
            const Token token = tokenFrom(input, garbage);
            const SignatureWalkthrough walk = walkThroughSignature(token, verifier);
            QVERIFY(!walk.verified);
            checkAgreesWithVerifier(walk, info, verifier, token);
        }
        QCOMPARE(ERR_peek_error(), 0UL);
    }
};

QTEST_GUILESS_MAIN(TestSignatureWalkthrough)
#include "TestSignatureWalkthrough.moc"

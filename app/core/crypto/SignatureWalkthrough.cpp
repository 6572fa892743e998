#include "core/crypto/SignatureWalkthrough.h"

#include "core/crypto/OpenSslHandles.h"
#include "core/crypto/Signature.h"

#include <QCoreApplication>
#include <algorithm>
#include <array>
#include <openssl/crypto.h>
#include <openssl/obj_mac.h>
#include <openssl/objects.h>

namespace jwti {
namespace {

// Q_DECLARE_TR_FUNCTIONS gives lupdate and translate() the same context, "SignatureWalkthrough", for every string here.
struct SignatureWalkthroughText
{
    Q_DECLARE_TR_FUNCTIONS(SignatureWalkthrough)
};

QString hexText(QByteArrayView bytes)
{
    return QString::fromLatin1(bytes.toByteArray().toHex(' '));
}

QString digestLabel(Digest digest)
{
    return QString::fromLatin1(digestName(digest));
}

QByteArray bnBytes(const BIGNUM* number, int width)
{
    QByteArray out(width, '\0');
    if (BN_bn2binpad(number, reinterpret_cast<unsigned char*>(out.data()), width) != width)
        return {};
    return out;
}

QString bnDecimal(const BIGNUM* number)
{
    char* text = BN_bn2dec(number);
    if (!text)
        return {};
    QString decimal = QString::fromLatin1(text);
    OPENSSL_free(text);
    return decimal;
}

ossl::BnPtr bnFrom(QByteArrayView bytes)
{
    return ossl::BnPtr(
        BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()), nullptr));
}

// The DigestInfo DER prefixes of RFC 8017 §9.2 note 1, to name the hash a PKCS#1 v1.5 block carries.
struct DigestInfoPrefix
{
    const char* hash;
    const char* oid;
    const char* prefixHex;
    int hashBytes;
};
constexpr std::array kDigestInfoPrefixes = {
    DigestInfoPrefix{"SHA-1", "1.3.14.3.2.26", "3021300906052b0e03021a05000414", 20},
    DigestInfoPrefix{"SHA-224", "2.16.840.1.101.3.4.2.4", "302d300d06096086480165030402040500041c", 28},
    DigestInfoPrefix{"SHA-256", "2.16.840.1.101.3.4.2.1", "3031300d060960864801650304020105000420", 32},
    DigestInfoPrefix{"SHA-384", "2.16.840.1.101.3.4.2.2", "3041300d060960864801650304020205000430", 48},
    DigestInfoPrefix{"SHA-512", "2.16.840.1.101.3.4.2.3", "3051300d060960864801650304020305000440", 64},
};

const DigestInfoPrefix* prefixForDigest(Digest digest)
{
    const QLatin1StringView name(digestName(digest));
    for (const auto& prefix : kDigestInfoPrefixes) {
        if (name == QLatin1StringView(prefix.hash))
            return &prefix;
    }
    return nullptr;
}

const DigestInfoPrefix* prefixStarting(QByteArrayView bytes)
{
    for (const auto& prefix : kDigestInfoPrefixes) {
        const QByteArray der = QByteArray::fromHex(QByteArray(prefix.prefixHex));
        if (bytes.size() == der.size() + prefix.hashBytes && bytes.startsWith(der))
            return &prefix;
    }
    return nullptr;
}

// RFC 8017 App. B.2.1: MGF1(seed, length) = the first length bytes of Hash(seed ‖ C) for C = 0, 1, … as 4 bytes.
QByteArray mgf1(Digest digest, QByteArrayView seed, qsizetype length)
{
    QByteArray mask;
    const int hashLength = digestBytes(digest);
    if (hashLength <= 0)
        return mask;
    mask.reserve(length + hashLength);
    for (quint32 counter = 0; mask.size() < length; ++counter) {
        QByteArray block = seed.toByteArray();
        block.append(static_cast<char>((counter >> 24) & 0xff));
        block.append(static_cast<char>((counter >> 16) & 0xff));
        block.append(static_cast<char>((counter >> 8) & 0xff));
        block.append(static_cast<char>(counter & 0xff));
        mask += computeDigest(digest, block);
    }
    mask.truncate(length);
    return mask;
}

// Hash(prefix ‖ data) without copying data.
QByteArray hashOf(const EVP_MD* md, QByteArrayView prefix, QByteArrayView data)
{
    ossl::MdCtxPtr ctx(EVP_MD_CTX_new());
    QByteArray out(EVP_MD_get_size(md), '\0');
    unsigned int length = 0;
    if (!ctx || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1
        || EVP_DigestUpdate(ctx.get(), prefix.data(), static_cast<size_t>(prefix.size())) != 1
        || EVP_DigestUpdate(ctx.get(), data.data(), static_cast<size_t>(data.size())) != 1
        || EVP_DigestFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &length) != 1) {
        ossl::clearErrors();
        return {};
    }
    out.resize(static_cast<qsizetype>(length));
    return out;
}

WalkField field(const QString& label, QByteArrayView value, OffsetRange within, const QString& note = QString(),
                std::optional<bool> matches = std::nullopt)
{
    return WalkField{label, value.toByteArray(), within, hexText(value), matches, note};
}

class Walker
{
public:
    Walker(const AlgInfo& alg, const Key& key, QByteArrayView input, QByteArrayView signature)
        : m_alg(alg)
        , m_key(key)
        , m_input(input)
        , m_signature(signature)
    {
        m_walk.alg = alg.displayName();
        m_walk.scheme = alg.scheme;
    }

    SignatureWalkthrough run();

private:
    WalkStep& add(const QString& id, const QString& title, const QString& explanation, QByteArrayView value = {})
    {
        WalkStep step;
        step.id = id;
        step.title = title;
        step.explanation = explanation;
        step.value = value.toByteArray();
        step.valueText = hexText(value);
        m_walk.steps.push_back(std::move(step));
        return m_walk.steps.back();
    }
    // Marks the last step; returns false when it failed, so the walk stops there.
    bool judge(bool passed, const QString& failure)
    {
        WalkStep& step = m_walk.steps.back();
        step.passed = passed;
        if (!passed) {
            step.failure = failure;
            if (m_walk.failedStep < 0) {
                m_walk.failedStep = static_cast<int>(m_walk.steps.size()) - 1;
                m_walk.failureReason = failure;
            }
        }
        return passed;
    }

    void signingInputStep();
    bool keyStep();
    void hashStep();
    bool lengthStep();
    void hmac();
    void rsa();
    bool rsaPublic();
    void pkcs1();
    void pss();
    void ecdsa();
    void eddsa();
    void verdict(bool addStep);

    const AlgInfo& m_alg;
    const Key& m_key;
    QByteArrayView m_input;
    QByteArrayView m_signature;
    QByteArray m_hash; // step "hash"
    QByteArray m_encoded; // RSA: s^e mod n as k bytes
    int m_modulusBits = 0;
    SignatureWalkthrough m_walk;
};

void Walker::signingInputStep()
{
    WalkStep& step = add(QStringLiteral("signing-input"), SignatureWalkthroughText::tr("The signing input"),
                         SignatureWalkthroughText::tr(
                             "What is signed is ASCII(BASE64URL(header) '.' BASE64URL(payload)): the characters "
                             "exactly as they appear in the token, never the JSON re-serialised (RFC 7515 §5.1)."),
                         m_input);
    step.valueText = QString::fromLatin1(m_input.toByteArray());
    const qsizetype dot = m_input.indexOf('.');
    if (dot >= 0) {
        step.fields.push_back(field(SignatureWalkthroughText::tr("header, as encoded"), m_input.first(dot), {0, dot}));
        step.fields.push_back(
            field(SignatureWalkthroughText::tr("separator '.'"), m_input.sliced(dot, 1), {dot, dot + 1}));
        step.fields.push_back(field(SignatureWalkthroughText::tr("payload, as encoded"), m_input.sliced(dot + 1),
                                    {dot + 1, m_input.size()}));
        for (auto& part : step.fields)
            part.valueText = QString::fromLatin1(part.value);
    }
}

bool Walker::keyStep()
{
    WalkStep& step = add(
        QStringLiteral("key"), SignatureWalkthroughText::tr("The key"),
        SignatureWalkthroughText::tr(
            "%1 verifies with %2. The key must be of the kind the algorithm names: a public key is "
            "never an HMAC secret (RFC 8725 §3.1), an HMAC secret is at least as long as the hash "
            "(RFC 7518 §3.2), an RSA key at least 2048 bits (RFC 7518 §3.3).")
            .arg(m_alg.displayName(), m_key.isNull() ? SignatureWalkthroughText::tr("no key") : m_key.description()));
    step.valueText = m_key.isNull() ? QString() : m_key.description();
    const auto fits = checkKeyFitsAlg(m_alg, m_key, KeyPurpose::Verify);
    return judge(fits.ok(), fits.ok() ? QString() : fits.message());
}

void Walker::hashStep()
{
    m_hash = computeDigest(m_alg.digest, m_input);
    add(QStringLiteral("hash"), SignatureWalkthroughText::tr("The hash of the signing input"),
        SignatureWalkthroughText::tr(
            "%1 names %2: the signing input is hashed to %3 bytes, and it is this hash that the signature covers.")
            .arg(m_alg.displayName(), digestLabel(m_alg.digest))
            .arg(m_hash.size()),
        m_hash);
}

bool Walker::lengthStep()
{
    int expected = 0;
    QString rule;
    switch (m_alg.scheme) {
    case SignatureScheme::Hmac:
        expected = digestBytes(m_alg.digest);
        rule = SignatureWalkthroughText::tr(
            "an HMAC tag is the full hash output; a truncated tag is refused (RFC 7518 §3.2)");
        break;
    case SignatureScheme::RsaPkcs1:
    case SignatureScheme::RsaPss:
        expected = EVP_PKEY_get_size(m_key.pkey());
        rule = SignatureWalkthroughText::tr(
            "an RSA signature is exactly as long as the modulus (RFC 8017 §8.1.2, §8.2.2)");
        break;
    case SignatureScheme::Ecdsa:
        expected = m_alg.signatureBytes;
        rule = SignatureWalkthroughText::tr(
            "JWS carries ECDSA as r‖s, each exactly the size of the curve's order (RFC 7518 §3.4)");
        break;
    case SignatureScheme::EdDsa:
        expected = m_key.curve() == u"Ed448" ? 114 : 64;
        rule = SignatureWalkthroughText::tr("%1 signatures are R‖S of exactly %2 bytes (RFC 8032 §5)")
                   .arg(m_key.curve())
                   .arg(expected);
        break;
    case SignatureScheme::None:
        break;
    }
    WalkStep& step = add(QStringLiteral("signature-length"), SignatureWalkthroughText::tr("The signature's length"),
                         SignatureWalkthroughText::tr("The token carries %1 signature bytes; %2 must be %3: %4.")
                             .arg(m_signature.size())
                             .arg(m_alg.displayName())
                             .arg(expected)
                             .arg(rule),
                         m_signature);
    step.fields.push_back(
        field(SignatureWalkthroughText::tr("signature from the token"), m_signature, {0, m_signature.size()},
              SignatureWalkthroughText::tr("%1 bytes expected").arg(expected), m_signature.size() == expected));
    return judge(m_signature.size() == expected,
                 SignatureWalkthroughText::tr(
                     "the signature is %1 bytes, but %2 with this key makes signatures of exactly %3 bytes: it is "
                     "malformed")
                     .arg(m_signature.size())
                     .arg(m_alg.displayName())
                     .arg(expected));
}

// RFC 2104: HMAC(K, m) = H((K0 ⊕ opad) ‖ H((K0 ⊕ ipad) ‖ m)), K0 the key zero-padded to the hash's block size
// (hashed first when longer). Computed in two visible halves; K0 lives only in wiped buffers.
void Walker::hmac()
{
    const EVP_MD* md = ossl::digestMd(m_alg.digest);
    const int blockSize = EVP_MD_get_block_size(md);
    const QByteArrayView secret = m_key.secret().view();
    // Filled in place, never resized, so that no unwiped copy of the secret is left behind by a reallocation.
    QByteArray keyBlock(blockSize, '\0');
    QByteArray hashedKey = secret.size() > blockSize ? computeDigest(m_alg.digest, secret) : QByteArray();
    const QByteArrayView keyBytes = secret.size() > blockSize ? QByteArrayView(hashedKey) : secret;
    std::copy(keyBytes.begin(), keyBytes.end(), keyBlock.begin());
    wipeBytes(hashedKey);
    QByteArray innerPad(blockSize, '\0');
    QByteArray outerPad(blockSize, '\0');
    for (int i = 0; i < blockSize; ++i) {
        innerPad[i] = static_cast<char>(keyBlock[i] ^ 0x36);
        outerPad[i] = static_cast<char>(keyBlock[i] ^ 0x5c);
    }
    const QByteArray inner = hashOf(md, innerPad, m_input);
    const QByteArray tag = hashOf(md, outerPad, inner);
    wipeBytes(keyBlock);
    wipeBytes(innerPad);
    wipeBytes(outerPad);

    add(QStringLiteral("hmac-inner"), SignatureWalkthroughText::tr("The inner, keyed hash"),
        SignatureWalkthroughText::tr(
            "HMAC (RFC 2104) hashes twice. The secret (%1 bytes, never shown) is padded with zeros to the %2 block "
            "size of %3 bytes%4 and XORed with 0x36 bytes (ipad); the inner hash is %2 of that block followed by the "
            "signing input.")
            .arg(secret.size())
            .arg(digestLabel(m_alg.digest))
            .arg(blockSize)
            .arg(secret.size() > blockSize ? SignatureWalkthroughText::tr(" (it is longer, so it is hashed first)")
                                           : QString()),
        inner);
    add(QStringLiteral("hmac-tag"), SignatureWalkthroughText::tr("The tag"),
        SignatureWalkthroughText::tr(
            "The outer hash is %1 of the padded secret XORed with 0x5c bytes (opad), followed by the inner hash. "
            "This is the %2 tag: only someone holding the same secret can compute it.")
            .arg(digestLabel(m_alg.digest), m_alg.displayName()),
        tag);
    WalkStep& compare = add(QStringLiteral("tag-compare"), SignatureWalkthroughText::tr("Comparing the tags"),
                            SignatureWalkthroughText::tr(
                                "The tag computed here must equal the token's signature byte for byte; the comparison "
                                "takes the same time wherever they differ, so that timing reveals nothing."));
    const bool same = tag.size() == m_signature.size()
        && CRYPTO_memcmp(tag.constData(), m_signature.data(), static_cast<size_t>(tag.size())) == 0;
    compare.fields.push_back(field(SignatureWalkthroughText::tr("computed tag"), tag, {}, QString(), same));
    compare.fields.push_back(field(SignatureWalkthroughText::tr("the token's tag"), m_signature, {}, QString(), same));
    judge(same,
          SignatureWalkthroughText::tr(
              "the tags differ: either the secret is not the one that signed, or the header or payload was changed "
              "after signing (HMAC cannot tell which)"));
}

// RFC 8017 §5.2.2 RSAVP1: m = s^e mod n, with s below n, written as k bytes (I2OSP). Public values only.
bool Walker::rsaPublic()
{
    BIGNUM* modulusRaw = nullptr;
    BIGNUM* exponentRaw = nullptr;
    const bool haveKey = EVP_PKEY_get_bn_param(m_key.pkey(), OSSL_PKEY_PARAM_RSA_N, &modulusRaw) == 1
        && EVP_PKEY_get_bn_param(m_key.pkey(), OSSL_PKEY_PARAM_RSA_E, &exponentRaw) == 1;
    ossl::BnPtr modulus(modulusRaw);
    ossl::BnPtr exponent(exponentRaw);
    const int k = EVP_PKEY_get_size(m_key.pkey());
    WalkStep& step
        = add(QStringLiteral("rsa-public"), SignatureWalkthroughText::tr("The signature raised to the public exponent"),
              SignatureWalkthroughText::tr(
                  "Verifying RSA undoes the private operation with the public key: the signature, read as "
                  "a number s, is raised to the public exponent e modulo n, giving the encoded message "
                  "EM = s^e mod n as %1 bytes (RFC 8017 §5.2.2, RSAVP1).")
                  .arg(k));
    if (!haveKey) {
        return judge(false,
                     SignatureWalkthroughText::tr("the RSA public numbers could not be read from the key: %1")
                         .arg(ossl::drainErrors()));
    }
    m_modulusBits = BN_num_bits(modulus.get());
    ossl::BnPtr s = bnFrom(m_signature);
    step.fields.push_back(WalkField{SignatureWalkthroughText::tr("public exponent e"),
                                    bnBytes(exponent.get(), BN_num_bytes(exponent.get())),
                                    {},
                                    bnDecimal(exponent.get()),
                                    std::nullopt,
                                    QString()});
    step.fields.push_back(WalkField{SignatureWalkthroughText::tr("modulus n (%1 bits)").arg(m_modulusBits),
                                    bnBytes(modulus.get(), k),
                                    {},
                                    hexText(bnBytes(modulus.get(), k)),
                                    std::nullopt,
                                    QString()});
    const bool inRange = s && BN_cmp(s.get(), modulus.get()) < 0;
    step.fields.push_back(WalkField{SignatureWalkthroughText::tr("signature s"),
                                    m_signature.toByteArray(),
                                    {},
                                    hexText(m_signature),
                                    inRange,
                                    SignatureWalkthroughText::tr("must be below n")});
    if (!inRange)
        return judge(false,
                     SignatureWalkthroughText::tr(
                         "the signature, read as a number, is not below this key's modulus: it was not made "
                         "with this key (RFC 8017 §5.2.2)"));
    ossl::BnPtr m(BN_new());
    BN_CTX* ctx = BN_CTX_new();
    const bool computed = m && ctx && BN_mod_exp(m.get(), s.get(), exponent.get(), modulus.get(), ctx) == 1;
    BN_CTX_free(ctx);
    if (!computed)
        return judge(false,
                     SignatureWalkthroughText::tr("s^e mod n could not be computed: %1").arg(ossl::drainErrors()));
    m_encoded = bnBytes(m.get(), k);
    step.value = m_encoded;
    step.valueText = hexText(m_encoded);
    return true;
}

void Walker::rsa()
{
    hashStep();
    if (!lengthStep() || !rsaPublic())
        return;
    if (m_alg.scheme == SignatureScheme::RsaPkcs1)
        pkcs1();
    else
        pss();
}

// RFC 8017 §9.2 EMSA-PKCS1-v1_5: EM = 00 ‖ 01 ‖ FF…FF (at least 8) ‖ 00 ‖ DigestInfo(hash OID) ‖ hash.
void Walker::pkcs1()
{
    const QByteArray& em = m_encoded;
    const qsizetype k = em.size();
    WalkStep& step = add(QStringLiteral("pkcs1-padding"), SignatureWalkthroughText::tr("The padded block"),
                         SignatureWalkthroughText::tr(
                             "RSASSA-PKCS1-v1_5 signs a fixed layout: 00 01, then FF bytes filling the block, a 00, "
                             "the DER DigestInfo naming the hash, and the hash itself (RFC 8017 §9.2). Only the "
                             "private key that matches this public key produces a number that comes back in this "
                             "shape."),
                         em);
    qsizetype padding = 0;
    while (2 + padding < k && static_cast<unsigned char>(em[2 + padding]) == 0xff)
        ++padding;
    const bool leadingZero = k > 0 && em[0] == '\0';
    const bool blockType = k > 1 && em[1] == '\x01';
    const qsizetype separatorAt = 2 + padding;
    const bool separator = separatorAt < k && em[separatorAt] == '\0';
    step.fields.push_back(field(SignatureWalkthroughText::tr("leading 00"), em.first(std::min<qsizetype>(1, k)),
                                {0, std::min<qsizetype>(1, k)},
                                SignatureWalkthroughText::tr("00 keeps the block below the modulus"), leadingZero));
    if (k > 1)
        step.fields.push_back(field(SignatureWalkthroughText::tr("block type 01"), em.sliced(1, 1), {1, 2},
                                    SignatureWalkthroughText::tr("01 marks a signature block"), blockType));
    step.fields.push_back(field(SignatureWalkthroughText::tr("padding (FF × %1)").arg(padding),
                                em.sliced(std::min<qsizetype>(2, k), padding), {2, 2 + padding},
                                SignatureWalkthroughText::tr("at least 8 FF bytes"), padding >= 8));
    if (separatorAt < k)
        step.fields.push_back(field(SignatureWalkthroughText::tr("separator 00"), em.sliced(separatorAt, 1),
                                    {separatorAt, separatorAt + 1}, SignatureWalkthroughText::tr("00 ends the padding"),
                                    separator));
    if (!leadingZero || !blockType || padding < 8 || !separator) {
        judge(false,
              SignatureWalkthroughText::tr(
                  "the block does not start with 00 01 FF…FF 00: the signature was not made with this key "
                  "(RFC 8017 §8.2.2)"));
        return;
    }
    const qsizetype infoAt = separatorAt + 1;
    const QByteArrayView digestInfo = QByteArrayView(em).sliced(infoAt);
    const DigestInfoPrefix* expected = prefixForDigest(m_alg.digest);
    const DigestInfoPrefix* found = prefixStarting(digestInfo);
    if (!found) {
        step.fields.push_back(field(SignatureWalkthroughText::tr("DigestInfo"), digestInfo, {infoAt, k},
                                    SignatureWalkthroughText::tr("not a DigestInfo we know"), false));
        judge(false,
              SignatureWalkthroughText::tr(
                  "after the padding there is no DigestInfo naming a hash: the signature was not made with this "
                  "key (RFC 8017 §9.2)"));
        return;
    }
    const qsizetype hashAt = k - found->hashBytes;
    // The DigestInfo DER of RFC 8017 §9.2 note 1: SEQUENCE { SEQUENCE { OID, NULL }, OCTET STRING }.
    const bool rightHash = found == expected;
    step.fields.push_back(
        field(SignatureWalkthroughText::tr("DigestInfo prefix"), em.sliced(infoAt, hashAt - infoAt), {infoAt, hashAt},
              SignatureWalkthroughText::tr("%1 must name %2").arg(m_alg.displayName(), digestLabel(m_alg.digest)),
              rightHash));
    step.fields.push_back(field(SignatureWalkthroughText::tr("  SEQUENCE (DigestInfo)"), em.sliced(infoAt, 2),
                                {infoAt, infoAt + 2}, SignatureWalkthroughText::tr("DER header")));
    step.fields.push_back(field(SignatureWalkthroughText::tr("  SEQUENCE (AlgorithmIdentifier)"),
                                em.sliced(infoAt + 2, 2), {infoAt + 2, infoAt + 4},
                                SignatureWalkthroughText::tr("DER header")));
    const qsizetype oidLength = hashAt - infoAt - 10; // the prefix less its four 2-byte headers and OID header
    WalkField oid = field(SignatureWalkthroughText::tr("  OBJECT IDENTIFIER"), em.sliced(infoAt + 4, oidLength + 2),
                          {infoAt + 4, infoAt + 6 + oidLength}, QString(), rightHash);
    oid.note
        = SignatureWalkthroughText::tr("%1 = %2").arg(QLatin1StringView(found->oid), QLatin1StringView(found->hash));
    step.fields.push_back(oid);
    step.fields.push_back(field(SignatureWalkthroughText::tr("  NULL (no parameters)"), em.sliced(hashAt - 4, 2),
                                {hashAt - 4, hashAt - 2}));
    step.fields.push_back(field(SignatureWalkthroughText::tr("  OCTET STRING, %1 bytes").arg(found->hashBytes),
                                em.sliced(hashAt - 2, 2), {hashAt - 2, hashAt},
                                SignatureWalkthroughText::tr("DER header")));
    step.fields.push_back(field(SignatureWalkthroughText::tr("hash (%1)").arg(QLatin1StringView(found->hash)),
                                em.sliced(hashAt), {hashAt, k}));
    if (!judge(rightHash,
               SignatureWalkthroughText::tr(
                   "the block names %1, but %2 uses %3: the signature was made with another algorithm "
                   "than the header's alg")
                   .arg(QLatin1StringView(found->hash), m_alg.displayName(), digestLabel(m_alg.digest))))
        return;

    const QByteArray signedHash = em.sliced(hashAt);
    WalkStep& compare = add(QStringLiteral("hash-compare"), SignatureWalkthroughText::tr("Comparing the hashes"),
                            SignatureWalkthroughText::tr(
                                "The hash inside the block is the one the signer computed; it must equal the hash of "
                                "the signing input computed here."),
                            signedHash);
    const bool same = signedHash == m_hash;
    compare.fields.push_back(field(SignatureWalkthroughText::tr("hash in the block"), signedHash, {}, QString(), same));
    compare.fields.push_back(field(SignatureWalkthroughText::tr("hash computed here"), m_hash, {}, QString(), same));
    judge(same,
          SignatureWalkthroughText::tr(
              "the padding is right but the hash differs: the header or payload was changed after signing"));
}

// RFC 8017 §9.1.2 EMSA-PSS-VERIFY with the salt as long as the hash and MGF1 over the same hash (RFC 7518 §3.5).
void Walker::pss()
{
    const int hashLength = digestBytes(m_alg.digest);
    const int emBits = m_modulusBits - 1;
    const qsizetype emLength = (emBits + 7) / 8;
    const qsizetype k = m_encoded.size();
    // When the modulus is one bit longer than a whole number of bytes, EM is one byte shorter than the modulus and
    // I2OSP's leading byte must be zero (RFC 8017 §8.1.2 step 2c).
    const bool leadingOk = k == emLength || (k == emLength + 1 && m_encoded[0] == '\0');
    const QByteArray em = m_encoded.right(emLength);
    const qsizetype dbLength = emLength - hashLength - 1;
    WalkStep& layout = add(QStringLiteral("pss-layout"), SignatureWalkthroughText::tr("The encoded message"),
                           SignatureWalkthroughText::tr(
                               "EM (%1 bytes, for emBits = %2) is maskedDB ‖ H ‖ BC: H is the hash that binds the "
                               "message and the salt, maskedDB hides the salt under a mask made from H, and BC marks "
                               "the end (RFC 8017 §9.1.1).")
                               .arg(emLength)
                               .arg(emBits),
                           em);
    const int unusedBits = static_cast<int>(8 * emLength - emBits);
    if (dbLength < hashLength + 1 || !leadingOk) {
        judge(false,
              SignatureWalkthroughText::tr(
                  "the encoded message has not the PSS shape: the signature was not made with this key "
                  "(RFC 8017 §9.1.2)"));
        return;
    }
    const QByteArray maskedDb = em.first(dbLength);
    const QByteArray h = em.sliced(dbLength, hashLength);
    const bool trailer = static_cast<unsigned char>(em.back()) == 0xbc;
    const int topMask = (0xff << (8 - unusedBits)) & 0xff;
    const bool topBitsZero = (static_cast<unsigned char>(maskedDb[0]) & topMask) == 0;
    layout.fields.push_back(
        field(SignatureWalkthroughText::tr("maskedDB"), maskedDb, {0, dbLength},
              unusedBits > 0 ? SignatureWalkthroughText::tr("its leftmost %1 bit(s) must be zero").arg(unusedBits)
                             : QString(),
              topBitsZero));
    layout.fields.push_back(field(SignatureWalkthroughText::tr("H"), h, {dbLength, dbLength + hashLength}));
    layout.fields.push_back(field(SignatureWalkthroughText::tr("trailer BC"), em.sliced(emLength - 1),
                                  {emLength - 1, emLength}, SignatureWalkthroughText::tr("must be bc"), trailer));
    if (!judge(trailer && topBitsZero,
               SignatureWalkthroughText::tr("the encoded message does not end in bc (or its top bits are set): the "
                                            "signature was not made with this key (RFC 8017 §9.1.2 steps 4, 6)")))
        return;

    const QByteArray mask = mgf1(m_alg.digest, h, dbLength);
    add(QStringLiteral("pss-mgf1"), SignatureWalkthroughText::tr("The mask"),
        SignatureWalkthroughText::tr(
            "dbMask = MGF1(H, %1): %2 of H followed by a 4-byte counter 0, 1, 2, …, joined and cut to the length of "
            "maskedDB (RFC 8017 App. B.2.1).")
            .arg(dbLength)
            .arg(digestLabel(m_alg.digest)),
        mask);

    QByteArray db(dbLength, '\0');
    for (qsizetype i = 0; i < dbLength; ++i)
        db[i] = static_cast<char>(maskedDb[i] ^ mask[i]);
    db[0] = static_cast<char>(static_cast<unsigned char>(db[0]) & ~topMask & 0xff);
    WalkStep& dbStep = add(QStringLiteral("pss-db"), SignatureWalkthroughText::tr("The unmasked data block"),
                           SignatureWalkthroughText::tr(
                               "DB = maskedDB ⊕ dbMask, with its leftmost %1 bit(s) cleared. DB must be zero bytes, a "
                               "01, and the salt (RFC 8017 §9.1.2 steps 8–10).")
                               .arg(unusedBits),
                           db);
    qsizetype zeros = 0;
    while (zeros < dbLength && db[zeros] == '\0')
        ++zeros;
    const bool separator = zeros < dbLength && db[zeros] == '\x01';
    dbStep.fields.push_back(
        field(SignatureWalkthroughText::tr("zero padding (00 × %1)").arg(zeros), db.first(zeros), {0, zeros}));
    if (zeros < dbLength)
        dbStep.fields.push_back(field(SignatureWalkthroughText::tr("separator 01"), db.sliced(zeros, 1),
                                      {zeros, zeros + 1}, SignatureWalkthroughText::tr("must be 01"), separator));
    if (!judge(separator,
               SignatureWalkthroughText::tr(
                   "the unmasked block is not zeros, 01 and a salt: the signature was not made with this "
                   "key (RFC 8017 §9.1.2 step 10)")))
        return;
    const QByteArray salt = db.sliced(zeros + 1);
    dbStep.fields.push_back(field(SignatureWalkthroughText::tr("salt"), salt, {zeros + 1, dbLength}));

    WalkStep& saltStep
        = add(QStringLiteral("pss-salt"), SignatureWalkthroughText::tr("The salt"),
              SignatureWalkthroughText::tr(
                  "The salt is random bytes the signer chose; JWS requires it to be as long as the hash, "
                  "%1 bytes (RFC 7518 §3.5).")
                  .arg(hashLength),
              salt);
    saltStep.fields.push_back(field(SignatureWalkthroughText::tr("salt (%1 bytes)").arg(salt.size()), salt,
                                    {0, salt.size()}, SignatureWalkthroughText::tr("%1 bytes required").arg(hashLength),
                                    salt.size() == hashLength));
    if (!judge(salt.size() == hashLength,
               SignatureWalkthroughText::tr("the salt is %1 bytes; RFC 7518 §3.5 requires the hash length, %2 bytes")
                   .arg(salt.size())
                   .arg(hashLength)))
        return;

    QByteArray mPrime(8, '\0');
    mPrime += m_hash;
    mPrime += salt;
    WalkStep& primeStep = add(QStringLiteral("pss-m-prime"), SignatureWalkthroughText::tr("M′"),
                              SignatureWalkthroughText::tr(
                                  "M′ = 8 zero bytes ‖ the hash computed here ‖ the salt (RFC 8017 §9.1.2 step 12)."),
                              mPrime);
    primeStep.fields.push_back(field(SignatureWalkthroughText::tr("00 × 8"), mPrime.first(8), {0, 8}));
    primeStep.fields.push_back(
        field(SignatureWalkthroughText::tr("hash computed here"), m_hash, {8, 8 + m_hash.size()}));
    primeStep.fields.push_back(field(SignatureWalkthroughText::tr("salt"), salt, {8 + m_hash.size(), mPrime.size()}));

    const QByteArray hPrime = computeDigest(m_alg.digest, mPrime);
    WalkStep& compare = add(
        QStringLiteral("hash-compare"), SignatureWalkthroughText::tr("Comparing H′ with H"),
        SignatureWalkthroughText::tr("H′ = %1(M′) must equal H from the encoded message (RFC 8017 §9.1.2 steps 13–14).")
            .arg(digestLabel(m_alg.digest)),
        hPrime);
    const bool same = hPrime == h;
    compare.fields.push_back(field(SignatureWalkthroughText::tr("H′ computed here"), hPrime, {}, QString(), same));
    compare.fields.push_back(field(SignatureWalkthroughText::tr("H from the encoded message"), h, {}, QString(), same));
    judge(same,
          SignatureWalkthroughText::tr(
              "the encoded message is well formed but H′ differs from H: the header or payload was changed "
              "after signing"));
}

// JWS carries r‖s (RFC 7518 §3.4); the check itself is SEC 1 §4.1.4: with e the hash, w = s⁻¹ mod n,
// u1 = e·w, u2 = r·w, the point u1·G + u2·Q must have an x coordinate equal to r mod n.
void Walker::ecdsa()
{
    hashStep();
    if (!lengthStep())
        return;
    const QString curve = QString::fromLatin1(m_alg.curve);
    const char* groupName = ossl::groupNameForCurve(curve);
    ossl::EcGroupPtr group(groupName ? EC_GROUP_new_by_curve_name(OBJ_sn2nid(groupName)) : nullptr);
    if (!group) {
        add(QStringLiteral("ecdsa-rs"), SignatureWalkthroughText::tr("r and s"), QString());
        judge(false, SignatureWalkthroughText::tr("the curve %1 is not available: %2").arg(curve, ossl::drainErrors()));
        return;
    }
    const BIGNUM* order = EC_GROUP_get0_order(group.get());
    const int orderBits = BN_num_bits(order);
    const int half = m_alg.signatureBytes / 2;
    ossl::BnPtr r = bnFrom(m_signature.first(half));
    ossl::BnPtr s = bnFrom(m_signature.sliced(half));
    WalkStep& rs = add(QStringLiteral("ecdsa-rs"), SignatureWalkthroughText::tr("r and s"),
                       SignatureWalkthroughText::tr(
                           "An ECDSA signature is two numbers, r and s, each below the order n of the curve %1 "
                           "(%2 bits). JWS writes them side by side, each left-padded to %3 bytes (RFC 7518 §3.4).")
                           .arg(curve)
                           .arg(orderBits)
                           .arg(half),
                       m_signature);
    const bool rOk = r && !BN_is_zero(r.get()) && BN_cmp(r.get(), order) < 0;
    const bool sOk = s && !BN_is_zero(s.get()) && BN_cmp(s.get(), order) < 0;
    rs.fields.push_back(WalkField{SignatureWalkthroughText::tr("r"),
                                  m_signature.first(half).toByteArray(),
                                  {0, half},
                                  hexText(m_signature.first(half)) + QStringLiteral(" = ") + bnDecimal(r.get()),
                                  rOk,
                                  SignatureWalkthroughText::tr("1 ≤ r < n")});
    rs.fields.push_back(WalkField{SignatureWalkthroughText::tr("s"),
                                  m_signature.sliced(half).toByteArray(),
                                  {half, 2 * half},
                                  hexText(m_signature.sliced(half)) + QStringLiteral(" = ") + bnDecimal(s.get()),
                                  sOk,
                                  SignatureWalkthroughText::tr("1 ≤ s < n")});
    rs.fields.push_back(WalkField{SignatureWalkthroughText::tr("order n"),
                                  bnBytes(order, BN_num_bytes(order)),
                                  {},
                                  bnDecimal(order),
                                  std::nullopt,
                                  QString()});
    if (!judge(rOk && sOk,
               SignatureWalkthroughText::tr(
                   "%1 is zero or not below the curve order: no valid signature has that (SEC 1 §4.1.4)")
                   .arg(rOk ? QStringLiteral("s") : QStringLiteral("r"))))
        return;

    // The DER form OpenSSL's ECDSA API takes: SEQUENCE { INTEGER r, INTEGER s } (RFC 3279 §2.2.3).
    ossl::EcdsaSigPtr sig(ECDSA_SIG_new());
    QByteArray der;
    if (sig) {
        BIGNUM* rCopy = BN_dup(r.get());
        BIGNUM* sCopy = BN_dup(s.get());
        if (rCopy && sCopy && ECDSA_SIG_set0(sig.get(), rCopy, sCopy) == 1) {
            unsigned char* out = nullptr;
            const int length = i2d_ECDSA_SIG(sig.get(), &out);
            if (length > 0)
                der = QByteArray(reinterpret_cast<const char*>(out), length);
            OPENSSL_free(out);
        } else {
            BN_free(rCopy);
            BN_free(sCopy);
        }
    }
    WalkStep& derStep
        = add(QStringLiteral("ecdsa-der"), SignatureWalkthroughText::tr("The DER form"),
              SignatureWalkthroughText::tr(
                  "OpenSSL and X.509 write ECDSA signatures in DER: SEQUENCE { INTEGER r, INTEGER s }, "
                  "whose length varies with leading zeros and sign bytes. JWS uses the raw r‖s of fixed "
                  "length instead (RFC 7518 §3.4): no ASN.1 to parse, one spelling per signature, and the "
                  "length alone tells a wrong form apart. This DER is built here only to hand the "
                  "numbers to OpenSSL; it is never part of the token."),
              der);
    // Walk the DER to label its parts: 30 len [02 len r] [02 len s]; P-521 needs the long length form 81 xx.
    qsizetype at = 0;
    if (der.size() > 2) {
        const qsizetype headerLength = static_cast<unsigned char>(der[1]) == 0x81 ? 3 : 2;
        derStep.fields.push_back(field(SignatureWalkthroughText::tr("SEQUENCE"), der.first(headerLength),
                                       {0, headerLength}, SignatureWalkthroughText::tr("DER header")));
        at = headerLength;
        const QString names[] = {QStringLiteral("r"), QStringLiteral("s")};
        for (const QString& name : names) {
            if (at + 2 > der.size())
                break;
            const qsizetype length = 2 + static_cast<unsigned char>(der[at + 1]);
            derStep.fields.push_back(
                field(SignatureWalkthroughText::tr("INTEGER %1").arg(name),
                      der.sliced(at, std::min(length, der.size() - at)), {at, at + length},
                      SignatureWalkthroughText::tr("a leading 00 keeps a number with its top bit set "
                                                   "positive")));
            at += length;
        }
    }

    // SEC 1 §4.1.4, computed with public values.
    WalkStep& check = add(QStringLiteral("ecdsa-check"), SignatureWalkthroughText::tr("The ECDSA check"),
                          SignatureWalkthroughText::tr(
                              "With e the hash as a number (its leftmost %1 bits at most), w = s⁻¹ mod n, u1 = e·w mod "
                              "n and u2 = r·w mod n, the point R = u1·G + u2·Q (G the curve's generator, Q the public "
                              "key) must have an x coordinate equal to r modulo n (SEC 1 §4.1.4). Only the private key "
                              "behind Q could have chosen r and s so.")
                              .arg(orderBits));
    const int width = BN_num_bytes(order);
    size_t pointLength = 0;
    EVP_PKEY_get_octet_string_param(m_key.pkey(), OSSL_PKEY_PARAM_PUB_KEY, nullptr, 0, &pointLength);
    QByteArray point(static_cast<qsizetype>(pointLength), '\0');
    ossl::clearErrors();
    BN_CTX* ctx = BN_CTX_new();
    EC_POINT* q = EC_POINT_new(group.get());
    EC_POINT* result = EC_POINT_new(group.get());
    ossl::BnPtr e = bnFrom(m_hash);
    ossl::BnPtr w(BN_new());
    ossl::BnPtr u1(BN_new());
    ossl::BnPtr u2(BN_new());
    ossl::BnPtr x(BN_new());
    ossl::BnPtr v(BN_new());
    const int hashBits = 8 * static_cast<int>(m_hash.size());
    bool computed = ctx && q && result && e && w && u1 && u2 && x && v && pointLength > 0
        && EVP_PKEY_get_octet_string_param(m_key.pkey(), OSSL_PKEY_PARAM_PUB_KEY,
                                           reinterpret_cast<unsigned char*>(point.data()), pointLength, &pointLength)
            == 1
        && EC_POINT_oct2point(group.get(), q, reinterpret_cast<const unsigned char*>(point.constData()), pointLength,
                              ctx)
            == 1
        && (hashBits <= orderBits || BN_rshift(e.get(), e.get(), hashBits - orderBits) == 1)
        && BN_mod_inverse(w.get(), s.get(), order, ctx) != nullptr
        && BN_mod_mul(u1.get(), e.get(), w.get(), order, ctx) == 1
        && BN_mod_mul(u2.get(), r.get(), w.get(), order, ctx) == 1
        && EC_POINT_mul(group.get(), result, u1.get(), q, u2.get(), ctx) == 1;
    const bool atInfinity = computed && EC_POINT_is_at_infinity(group.get(), result) == 1;
    computed = computed && !atInfinity
        && EC_POINT_get_affine_coordinates(group.get(), result, x.get(), nullptr, ctx) == 1
        && BN_nnmod(v.get(), x.get(), order, ctx) == 1;
    EC_POINT_free(q);
    EC_POINT_free(result);
    BN_CTX_free(ctx);
    if (!computed) {
        const QString why = atInfinity
            ? SignatureWalkthroughText::tr("u1·G + u2·Q is the point at infinity, which no valid signature gives")
            : SignatureWalkthroughText::tr("the check could not be computed: %1").arg(ossl::drainErrors());
        judge(false, why);
        return;
    }
    const int fieldWidth = (EC_GROUP_get_degree(group.get()) + 7) / 8;
    auto number = [&](const QString& label, const BIGNUM* value, int bytes, std::optional<bool> matches = {}) {
        const QByteArray raw = bnBytes(value, bytes);
        check.fields.push_back(
            WalkField{label, raw, {}, hexText(raw) + QStringLiteral(" = ") + bnDecimal(value), matches, QString()});
    };
    number(SignatureWalkthroughText::tr("e (the hash as a number)"), e.get(), width);
    number(SignatureWalkthroughText::tr("w = s⁻¹ mod n"), w.get(), width);
    number(SignatureWalkthroughText::tr("u1 = e·w mod n"), u1.get(), width);
    number(SignatureWalkthroughText::tr("u2 = r·w mod n"), u2.get(), width);
    number(SignatureWalkthroughText::tr("x of u1·G + u2·Q"), x.get(), fieldWidth);
    const bool same = BN_cmp(v.get(), r.get()) == 0;
    number(SignatureWalkthroughText::tr("v = x mod n"), v.get(), width, same);
    number(SignatureWalkthroughText::tr("r from the signature"), r.get(), width, same);
    check.value = bnBytes(v.get(), width);
    check.valueText = hexText(check.value);
    judge(same,
          SignatureWalkthroughText::tr(
              "v differs from r: either this is not the key that signed, or the header or payload was changed "
              "after signing (ECDSA cannot tell which)"));
}

// RFC 8032 §5.1.7 / §5.2.7: the signature is R (an encoded point) ‖ S (a little-endian scalar); the check hashes
// R, the public key and the whole message inside the scheme, so there is no separate hash step to show.
void Walker::eddsa()
{
    if (!lengthStep())
        return;
    const qsizetype half = m_signature.size() / 2;
    WalkStep& rs = add(
        QStringLiteral("eddsa-rs"), SignatureWalkthroughText::tr("R and S"),
        SignatureWalkthroughText::tr(
            "An %1 signature is R, an encoded curve point the signer derived from a secret nonce, "
            "followed by S, a number written little-endian. The verifier computes k = %2(dom ‖ R ‖ A ‖ "
            "signing input), A the public key, and checks [S]B = R + [k]A (RFC 8032 §5.1.7, §5.2.7). "
            "The hash is part of the scheme, which is why the header names no separate hash.")
            .arg(m_key.curve(), m_key.curve() == u"Ed448" ? QStringLiteral("SHAKE256") : QStringLiteral("SHA-512")),
        m_signature);
    QByteArray sBigEndian = m_signature.sliced(half).toByteArray();
    std::reverse(sBigEndian.begin(), sBigEndian.end());
    ossl::BnPtr s = bnFrom(sBigEndian);
    rs.fields.push_back(field(SignatureWalkthroughText::tr("R (encoded point)"), m_signature.first(half), {0, half}));
    WalkField sField
        = field(SignatureWalkthroughText::tr("S (little-endian)"), m_signature.sliced(half), {half, 2 * half});
    if (s)
        sField.valueText += QStringLiteral(" = ") + bnDecimal(s.get());
    rs.fields.push_back(sField);
}

void Walker::verdict(bool addStep)
{
    const auto verdict = verifyBytes(m_alg, m_key, m_input, m_signature);
    m_walk.verified = verdict.ok();
    if (addStep || (!verdict.ok() && m_walk.failedStep < 0)) {
        add(QStringLiteral("verify"), SignatureWalkthroughText::tr("OpenSSL's verdict"),
            SignatureWalkthroughText::tr(
                "The same alg, key, signing input and signature, verified by OpenSSL the way the verify panel and the "
                "command line do it."));
        // A signature that is simply wrong gets the same two causes as the other schemes; one that cannot even be
        // a signature (wrong length, r or s out of range) keeps the verifier's precise reason.
        const QString reason = verdict.ok() ? QString()
            : verdict.code() == ErrorCode::SignatureInvalid
            ? SignatureWalkthroughText::tr(
                  "the signature does not verify: either this is not the key that signed, or the header or payload "
                  "was changed after signing (%1 cannot tell which)")
                  .arg(m_alg.scheme == SignatureScheme::EdDsa ? QStringLiteral("EdDSA") : m_alg.displayName())
            : verdict.message();
        judge(verdict.ok(), reason);
    }
    if (verdict.ok() && m_walk.failedStep >= 0) {
        // Never expected: the walk would then contradict the verifier. The verifier's word stands.
        m_walk.failureReason.clear();
        m_walk.failedStep = -1;
    }
}

SignatureWalkthrough Walker::run()
{
    ossl::clearErrors();
    signingInputStep();
    if (m_alg.scheme == SignatureScheme::None) {
        add(QStringLiteral("verify"), SignatureWalkthroughText::tr("No signature"),
            SignatureWalkthroughText::tr(
                "alg \"none\" is an unsecured JWS: nothing was signed, and it never verifies (RFC 7518 §3.6)."));
        judge(false, SignatureWalkthroughText::tr("alg \"none\" never verifies (RFC 7518 §3.6)"));
        m_walk.verified = false;
        return m_walk;
    }
    if (keyStep()) {
        switch (m_alg.scheme) {
        case SignatureScheme::Hmac:
            if (lengthStep())
                hmac();
            break;
        case SignatureScheme::RsaPkcs1:
        case SignatureScheme::RsaPss:
            rsa();
            break;
        case SignatureScheme::Ecdsa:
            ecdsa();
            break;
        case SignatureScheme::EdDsa:
            eddsa();
            break;
        case SignatureScheme::None:
            break;
        }
    }
    // ECDSA's own check and EdDSA (nothing to recover) end with OpenSSL's verdict as a step of its own.
    const bool ownStep
        = m_walk.failedStep < 0 && (m_alg.scheme == SignatureScheme::Ecdsa || m_alg.scheme == SignatureScheme::EdDsa);
    verdict(ownStep);
    ossl::clearErrors();
    return m_walk;
}

} // namespace

SignatureWalkthrough walkThroughSignature(const AlgInfo& alg, const Key& key, QByteArrayView signingInput,
                                          QByteArrayView signature)
{
    return Walker(alg, key, signingInput, signature).run();
}

SignatureWalkthrough walkThroughSignature(const Token& token, const Key& key)
{
    const QString algName = token.alg();
    const AlgInfo* alg = findAlg(algName);
    if (!alg || token.signatures.empty()) {
        SignatureWalkthrough walk;
        walk.alg = algName;
        WalkStep step;
        step.id = QStringLiteral("alg");
        step.title = SignatureWalkthroughText::tr("The algorithm");
        step.passed = false;
        step.failure = token.signatures.empty() ? SignatureWalkthroughText::tr("the token has no signature to check")
            : algName.isEmpty()
            ? SignatureWalkthroughText::tr("the header has no \"alg\" (RFC 7515 §4.1.1)")
            : SignatureWalkthroughText::tr("\"%1\" is not a JWS algorithm this inspector knows").arg(algName);
        step.explanation = step.failure;
        walk.steps.push_back(std::move(step));
        walk.failedStep = 0;
        walk.failureReason = walk.steps.front().failure;
        return walk;
    }
    return walkThroughSignature(*alg, key, token.signingInput(0), token.signatures.front().signature.decoded.bytes);
}

} // namespace jwti

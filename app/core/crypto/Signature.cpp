#include "core/crypto/Signature.h"

#include "core/crypto/OpenSslHandles.h"

#include <QCoreApplication>
#include <openssl/crypto.h>
#include <openssl/rsa.h>
#include <vector>

namespace jwti {

// Q_DECLARE_TR_FUNCTIONS gives lupdate and translate() the same context, "Signature", for the messages here.
struct SignatureText
{
    Q_DECLARE_TR_FUNCTIONS(Signature)
};

namespace {

const char* digestMacName(Digest digest)
{
    switch (digest) {
    case Digest::Sha256:
        return "SHA256";
    case Digest::Sha384:
        return "SHA384";
    case Digest::Sha512:
        return "SHA512";
    case Digest::None:
        return nullptr;
    }
    return nullptr;
}

// "an RSA 2048-bit public key", "an EC P-256 key", "an HMAC secret": the key as the reason sentences name it.
QString keyPhrase(const Key& key, bool withHalf)
{
    const QString half = !withHalf ? QString()
        : key.hasPrivate()         ? SignatureText::tr(" private")
                                   : SignatureText::tr(" public");
    switch (key.type()) {
    case KeyType::Oct:
        return SignatureText::tr("an HMAC secret");
    case KeyType::Rsa:
        return SignatureText::tr("an RSA%1 key").arg(half);
    case KeyType::Ec:
        return SignatureText::tr("an EC %1%2 key").arg(key.curve(), half);
    case KeyType::Okp:
        return SignatureText::tr("an %1%2 key").arg(key.curve(), half);
    }
    return SignatureText::tr("a key");
}

Result<void> fail(ErrorCode code, const QString& message)
{
    return Result<void>::failure(code, message);
}

Result<void> notFit(const AlgInfo& alg, const Key& key)
{
    return fail(ErrorCode::KeyMismatch,
                SignatureText::tr("Key does not fit %1: it is %2").arg(alg.displayName(), keyPhrase(key, false)));
}

QString curveName(const AlgInfo& alg)
{
    return QString::fromLatin1(alg.curve);
}

Result<QByteArray> signFailure(const AlgInfo& alg)
{
    return Result<QByteArray>::failure(
        ErrorCode::Crypto, SignatureText::tr("%1 signing failed: %2").arg(alg.displayName(), ossl::drainErrors()));
}

// RSA PKCS#1 v1.5 and PSS share the digest-sign set-up; PSS pins the salt to the hash length and MGF1 to the same
// hash (RFC 7518 §3.5) — never OpenSSL's "auto" salt, which would accept any salt length when verifying.
bool setUpRsa(EVP_PKEY_CTX* pctx, const AlgInfo& alg)
{
    if (alg.scheme != SignatureScheme::RsaPss)
        return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1;
    return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1
        && EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, digestBytes(alg.digest)) == 1
        && EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, ossl::digestMd(alg.digest)) == 1;
}

Result<QByteArray> digestSign(const AlgInfo& alg, const Key& key, QByteArrayView input)
{
    ossl::MdCtxPtr ctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX* pctx = nullptr;
    if (!ctx || EVP_DigestSignInit(ctx.get(), &pctx, ossl::digestMd(alg.digest), nullptr, key.pkey()) != 1)
        return signFailure(alg);
    if ((alg.scheme == SignatureScheme::RsaPkcs1 || alg.scheme == SignatureScheme::RsaPss) && !setUpRsa(pctx, alg))
        return signFailure(alg);
    const auto* data = reinterpret_cast<const unsigned char*>(input.data());
    size_t length = 0;
    if (EVP_DigestSign(ctx.get(), nullptr, &length, data, static_cast<size_t>(input.size())) != 1)
        return signFailure(alg);
    QByteArray signature(static_cast<qsizetype>(length), '\0');
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length, data,
                       static_cast<size_t>(input.size()))
        != 1)
        return signFailure(alg);
    signature.resize(static_cast<qsizetype>(length));
    return signature;
}

Result<void> digestVerify(const AlgInfo& alg, const Key& key, QByteArrayView input, QByteArrayView signature)
{
    ossl::MdCtxPtr ctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX* pctx = nullptr;
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), &pctx, ossl::digestMd(alg.digest), nullptr, key.pkey()) != 1)
        return fail(
            ErrorCode::Crypto,
            SignatureText::tr("%1 verification could not start: %2").arg(alg.displayName(), ossl::drainErrors()));
    if ((alg.scheme == SignatureScheme::RsaPkcs1 || alg.scheme == SignatureScheme::RsaPss) && !setUpRsa(pctx, alg))
        return fail(
            ErrorCode::Crypto,
            SignatureText::tr("%1 verification could not start: %2").arg(alg.displayName(), ossl::drainErrors()));
    const int verdict = EVP_DigestVerify(
        ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), static_cast<size_t>(signature.size()),
        reinterpret_cast<const unsigned char*>(input.data()), static_cast<size_t>(input.size()));
    // 0 is "does not verify"; a negative answer means the signature could not even be read (bad padding, bad
    // encoding): for the user both are an invalid signature, and the queue must not leak into later calls.
    ossl::clearErrors();
    if (verdict != 1)
        return fail(ErrorCode::SignatureInvalid,
                    SignatureText::tr("the %1 signature does not verify with this key").arg(alg.displayName()));
    return {};
}

ossl::EcGroupPtr groupFor(const AlgInfo& alg)
{
    const QString curve = curveName(alg);
    int nid = NID_undef;
    if (curve == u"P-256")
        nid = NID_X9_62_prime256v1;
    else if (curve == u"P-384")
        nid = NID_secp384r1;
    else if (curve == u"P-521")
        nid = NID_secp521r1;
    else if (curve == u"secp256k1")
        nid = NID_secp256k1;
    return ossl::EcGroupPtr(nid == NID_undef ? nullptr : EC_GROUP_new_by_curve_name(nid));
}

Result<QByteArray> signEcdsa(const AlgInfo& alg, const Key& key, QByteArrayView input)
{
    auto der = digestSign(alg, key, input);
    if (!der)
        return der;
    const auto* cursor = reinterpret_cast<const unsigned char*>(der->constData());
    ossl::EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(der->size())));
    if (!sig)
        return signFailure(alg);
    const BIGNUM* r = nullptr;
    const BIGNUM* s = nullptr;
    ECDSA_SIG_get0(sig.get(), &r, &s);
    const int half = alg.signatureBytes / 2;
    QByteArray raw(alg.signatureBytes, '\0');
    auto* out = reinterpret_cast<unsigned char*>(raw.data());
    // Left-padded to the field size: a short r or s still fills its half (RFC 7518 §3.4).
    if (BN_bn2binpad(r, out, half) != half || BN_bn2binpad(s, out + half, half) != half)
        return signFailure(alg);
    return raw;
}

int eddsaSignatureBytes(const Key& key)
{
    return key.curve() == u"Ed448" ? 114 : 64;
}

// An HMAC context holding the key, ready for data: the key is set up once, and a copy or a re-initialisation serves
// each message.
ossl::MacCtxPtr prepareHmac(Digest digest, QByteArrayView key)
{
    const char* name = digestMacName(digest);
    static EVP_MAC* const hmac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    if (!name || !hmac) {
        ossl::clearErrors();
        return {};
    }
    ossl::MacCtxPtr ctx(EVP_MAC_CTX_new(hmac));
    if (!ctx) {
        ossl::clearErrors();
        return {};
    }
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(name), 0),
        OSSL_PARAM_construct_end(),
    };
    // OpenSSL wants a non-null key pointer even for an empty key.
    static const unsigned char emptyKey = 0;
    const auto* keyBytes = key.isEmpty() ? &emptyKey : reinterpret_cast<const unsigned char*>(key.data());
    if (EVP_MAC_init(ctx.get(), keyBytes, static_cast<size_t>(key.size()), params) != 1) {
        ossl::clearErrors();
        return {};
    }
    return ctx;
}

// The tag of data under a prepared HMAC context (left untouched, so it serves the next message); empty on failure.
QByteArray hmacWith(const EVP_MAC_CTX* prepared, Digest digest, QByteArrayView data)
{
    ossl::MacCtxPtr ctx(prepared ? EVP_MAC_CTX_dup(prepared) : nullptr);
    QByteArray out(digestBytes(digest), '\0');
    size_t length = 0;
    if (!ctx
        || EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(data.data()),
                          static_cast<size_t>(data.size()))
            != 1
        || EVP_MAC_final(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &length,
                         static_cast<size_t>(out.size()))
            != 1) {
        ossl::clearErrors();
        return {};
    }
    out.resize(static_cast<qsizetype>(length));
    return out;
}

// While a VerifierReuseScope lives on this thread: the verifiers made so far.
thread_local std::vector<std::unique_ptr<SignatureVerifier>>* t_reusedVerifiers = nullptr;
// A batch meets one key or a JWKS's few; past this many, verifiers are made per call rather than kept.
constexpr std::size_t kMaxReusedVerifiers = 32;

} // namespace

Result<void> checkKeyFitsAlg(const AlgInfo& alg, const Key& key, KeyPurpose purpose)
{
    if (alg.scheme == SignatureScheme::None)
        return fail(ErrorCode::AlgNone,
                    SignatureText::tr("alg \"none\" is an unsecured JWS: nothing to verify or sign with "
                                      "a key (RFC 7518 §3.6)"));
    if (key.isNull())
        return fail(ErrorCode::KeyNotFound, SignatureText::tr("no key given for %1").arg(alg.displayName()));

    switch (alg.scheme) {
    case SignatureScheme::Hmac:
        if (key.type() != KeyType::Oct)
            return fail(ErrorCode::KeyMismatch,
                        SignatureText::tr("%1 is not an HMAC secret (algorithm confusion, RFC 8725 §3.1)")
                            .arg(keyPhrase(key, true)));
        if (key.bits() < alg.minKeyBits)
            return fail(ErrorCode::KeyWeak,
                        SignatureText::tr("HMAC secret of %1 bits is shorter than the %2 bits %3 needs (RFC 7518 §3.2)")
                            .arg(key.bits())
                            .arg(alg.minKeyBits)
                            .arg(alg.displayName()));
        break;
    case SignatureScheme::RsaPkcs1:
    case SignatureScheme::RsaPss:
        if (key.type() != KeyType::Rsa)
            return notFit(alg, key);
        if (alg.scheme == SignatureScheme::RsaPkcs1 && EVP_PKEY_get_base_id(key.pkey()) == EVP_PKEY_RSA_PSS)
            return fail(ErrorCode::KeyMismatch,
                        SignatureText::tr("Key does not fit %1: it is an RSA-PSS key, restricted "
                                          "to PSS signatures")
                            .arg(alg.displayName()));
        if (key.bits() < alg.minKeyBits)
            return fail(ErrorCode::KeyWeak,
                        SignatureText::tr("RSA key of %1 bits is under the %2 bits RFC 7518 §3.3 requires")
                            .arg(key.bits())
                            .arg(alg.minKeyBits));
        break;
    case SignatureScheme::Ecdsa:
        if (key.type() != KeyType::Ec)
            return notFit(alg, key);
        if (key.curve() != curveName(alg))
            return fail(
                ErrorCode::KeyMismatch,
                SignatureText::tr("%1 needs a %2 key; this is %3").arg(alg.displayName(), curveName(alg), key.curve()));
        break;
    case SignatureScheme::EdDsa:
        if (key.type() != KeyType::Okp || key.curve().startsWith(u'X')) // X25519/X448 only agree keys
            return notFit(alg, key);
        // "EdDSA" (RFC 8037) takes either curve; the fully specified "Ed25519"/"Ed448" (RFC 9864) only their own.
        if (alg.curve && key.curve() != curveName(alg))
            return fail(ErrorCode::KeyMismatch,
                        SignatureText::tr("%1 needs an %2 key; this is %3")
                            .arg(alg.displayName(), curveName(alg), key.curve()));
        break;
    case SignatureScheme::None:
        break;
    }

    if (purpose == KeyPurpose::Sign && !key.hasPrivate())
        return fail(ErrorCode::KeyMismatch,
                    SignatureText::tr("signing needs a private key; this is %1").arg(keyPhrase(key, true)));

    const KeyMetadata& meta = key.metadata;
    if (!meta.alg.isEmpty() && meta.alg != alg.displayName())
        return fail(ErrorCode::AlgMismatch,
                    SignatureText::tr("the key is for alg \"%1\", not %2 (its JWK \"alg\", "
                                      "RFC 7517 §4.4)")
                        .arg(meta.alg, alg.displayName()));
    if (!meta.use.isEmpty() && meta.use != u"sig")
        return fail(ErrorCode::KeyUseForbidden,
                    SignatureText::tr("the key's JWK \"use\" is \"%1\", not \"sig\" (RFC 7517 §4.2)").arg(meta.use));
    if (!meta.keyOps.isEmpty()) {
        const QString needed = purpose == KeyPurpose::Sign ? QStringLiteral("sign") : QStringLiteral("verify");
        if (!meta.keyOps.contains(needed))
            return fail(ErrorCode::KeyUseForbidden,
                        SignatureText::tr("the key's JWK \"key_ops\" (%1) does not include \"%2\" (RFC 7517 §4.3)")
                            .arg(meta.keyOps.join(QStringLiteral(", ")), needed));
    }
    return {};
}

Result<QByteArray> signBytes(const AlgInfo& alg, const Key& key, QByteArrayView input)
{
    ossl::clearErrors();
    auto fits = checkKeyFitsAlg(alg, key, KeyPurpose::Sign);
    if (!fits)
        return Result<QByteArray>(fits.error());
    switch (alg.scheme) {
    case SignatureScheme::Hmac: {
        QByteArray tag = computeHmac(alg.digest, key.secret().view(), input);
        if (tag.size() != digestBytes(alg.digest))
            return signFailure(alg);
        return tag;
    }
    case SignatureScheme::RsaPkcs1:
    case SignatureScheme::RsaPss:
        return digestSign(alg, key, input);
    case SignatureScheme::Ecdsa:
        return signEcdsa(alg, key, input);
    case SignatureScheme::EdDsa: {
        AlgInfo pure = alg;
        pure.digest = Digest::None; // EdDSA hashes inside the scheme: no digest is given to OpenSSL
        return digestSign(pure, key, input);
    }
    case SignatureScheme::None:
        break;
    }
    return Result<QByteArray>::failure(ErrorCode::AlgNone, SignatureText::tr("alg \"none\" cannot sign"));
}

struct SignatureVerifier::State
{
    AlgInfo alg;
    Key key; // held so the key material (and with it the identity isFor compares) outlives the verifier
    Result<void> fits; // checkKeyFitsAlg, once
    Result<void> setUp; // the contexts below are ready
    const EVP_MD* md = nullptr;
    ossl::PkeyCtxPtr pkeyCtx; // RSA, ECDSA: EVP_PKEY_verify_init done, padding and digest set
    ossl::MdCtxPtr mdCtx; // RSA, ECDSA: hashes the signing input
    ossl::MacCtxPtr macCtx; // HMAC: the key set
    // HMAC: a copy of macCtx for one message at a time. Re-initialised without a key, OpenSSL restarts from the key
    // state it keeps, which costs far less than duplicating macCtx for every message (verify --batch).
    ossl::MacCtxPtr macWork;
    ossl::BnPtr order; // ECDSA: the group order r and s must stay below
    int modulusBytes = 0; // RSA: the only valid signature length

    Result<void> setUpFailure() const
    {
        return fail(
            ErrorCode::Crypto,
            SignatureText::tr("%1 verification could not start: %2").arg(alg.displayName(), ossl::drainErrors()));
    }

    // Verifies the signature over the digest of input: the hash is taken once here, the prepared context only checks.
    Result<void> verifyDigestOf(QByteArrayView input, QByteArrayView signature) const
    {
        unsigned char digest[EVP_MAX_MD_SIZE];
        unsigned int digestLength = 0;
        // The digest context is kept and re-initialised: OpenSSL then reuses its allocation rather than making one.
        if (!mdCtx || EVP_DigestInit_ex2(mdCtx.get(), md, nullptr) != 1
            || EVP_DigestUpdate(mdCtx.get(), input.data(), static_cast<size_t>(input.size())) != 1
            || EVP_DigestFinal_ex(mdCtx.get(), digest, &digestLength) != 1)
            return fail(ErrorCode::Crypto,
                        SignatureText::tr("%1 digest failed: %2").arg(alg.displayName(), ossl::drainErrors()));
        const int verdict = EVP_PKEY_verify(pkeyCtx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                                            static_cast<size_t>(signature.size()), digest, digestLength);
        // 0 is "does not verify"; a negative answer means the signature could not even be read (bad padding, bad
        // encoding): for the user both are an invalid signature, and the queue must not leak into later calls.
        ossl::clearErrors();
        if (verdict != 1)
            return fail(ErrorCode::SignatureInvalid,
                        SignatureText::tr("the %1 signature does not verify with this key").arg(alg.displayName()));
        return {};
    }
};

SignatureVerifier::SignatureVerifier(const AlgInfo& alg, const Key& key)
    : m_state(std::make_unique<State>())
{
    State& state = *m_state;
    state.alg = alg;
    state.key = key;
    ossl::clearErrors();
    state.fits = checkKeyFitsAlg(alg, key, KeyPurpose::Verify);
    if (!state.fits)
        return;
    switch (alg.scheme) {
    case SignatureScheme::Hmac:
        state.macCtx = prepareHmac(alg.digest, key.secret().view());
        if (state.macCtx)
            state.macWork.reset(EVP_MAC_CTX_dup(state.macCtx.get()));
        if (!state.macCtx || !state.macWork)
            state.setUp = fail(ErrorCode::Crypto, SignatureText::tr("%1 could not be computed").arg(alg.displayName()));
        return;
    case SignatureScheme::RsaPkcs1:
    case SignatureScheme::RsaPss:
    case SignatureScheme::Ecdsa: {
        if (alg.scheme == SignatureScheme::Ecdsa) {
            const ossl::EcGroupPtr group = groupFor(alg);
            state.order.reset(group ? BN_dup(EC_GROUP_get0_order(group.get())) : nullptr);
            if (!state.order) {
                state.setUp = fail(ErrorCode::Crypto, ossl::drainErrors());
                return;
            }
        } else {
            state.modulusBytes = EVP_PKEY_get_size(key.pkey());
        }
        state.md = ossl::digestMd(alg.digest);
        state.mdCtx.reset(EVP_MD_CTX_new());
        state.pkeyCtx.reset(EVP_PKEY_CTX_new_from_pkey(nullptr, key.pkey(), nullptr));
        EVP_PKEY_CTX* pctx = state.pkeyCtx.get();
        const bool ready = state.md && state.mdCtx && pctx && EVP_PKEY_verify_init(pctx) == 1
            && (alg.scheme == SignatureScheme::Ecdsa || setUpRsa(pctx, alg))
            && EVP_PKEY_CTX_set_signature_md(pctx, state.md) == 1;
        if (!ready)
            state.setUp = state.setUpFailure();
        return;
    }
    case SignatureScheme::EdDsa:
    case SignatureScheme::None:
        return;
    }
}

SignatureVerifier::~SignatureVerifier() = default;

const Result<void>& SignatureVerifier::keyFits() const
{
    return m_state->fits;
}

bool SignatureVerifier::isFor(const AlgInfo& alg, const Key& key) const
{
    const State& state = *m_state;
    const AlgInfo& mine = state.alg;
    return mine.name == alg.name && mine.scheme == alg.scheme && mine.digest == alg.digest
        && mine.signatureBytes == alg.signatureBytes && mine.curve == alg.curve && mine.minKeyBits == alg.minKeyBits
        && state.key.type() == key.type() && state.key.pkey() == key.pkey() && &state.key.secret() == &key.secret()
        && state.key.metadata.alg == key.metadata.alg && state.key.metadata.use == key.metadata.use
        && state.key.metadata.keyOps == key.metadata.keyOps;
}

Result<void> SignatureVerifier::verify(QByteArrayView input, QByteArrayView signature) const
{
    const State& state = *m_state;
    const AlgInfo& alg = state.alg;
    if (!state.fits)
        return state.fits;
    ossl::clearErrors();
    switch (alg.scheme) {
    case SignatureScheme::Hmac: {
        const int expected = digestBytes(alg.digest);
        // A truncated tag is forgeable by guessing fewer bytes; RFC 7518 §3.2 defines the full-length tag only.
        if (signature.size() != expected)
            return fail(ErrorCode::SignatureMalformed,
                        SignatureText::tr("%1 tag is %2 bytes; it must be the full %3 bytes (RFC 7518 §3.2)")
                            .arg(alg.displayName())
                            .arg(signature.size())
                            .arg(expected));
        if (!state.setUp)
            return state.setUp;
        unsigned char tag[EVP_MAX_MD_SIZE];
        size_t length = 0;
        EVP_MAC_CTX* work = state.macWork.get();
        if (EVP_MAC_init(work, nullptr, 0, nullptr) != 1
            || EVP_MAC_update(work, reinterpret_cast<const unsigned char*>(input.data()),
                              static_cast<size_t>(input.size()))
                != 1
            || EVP_MAC_final(work, tag, &length, sizeof tag) != 1 || length != static_cast<size_t>(expected)) {
            ossl::clearErrors();
            return fail(ErrorCode::Crypto, SignatureText::tr("%1 could not be computed").arg(alg.displayName()));
        }
        const bool matches = CRYPTO_memcmp(tag, signature.data(), static_cast<size_t>(expected)) == 0;
        // The right tag for this message is as good as the secret for it: not left on the stack.
        OPENSSL_cleanse(tag, sizeof tag);
        if (!matches)
            return fail(
                ErrorCode::SignatureInvalid,
                SignatureText::tr("the %1 tag does not match: wrong secret or altered token").arg(alg.displayName()));
        return {};
    }
    case SignatureScheme::RsaPkcs1:
    case SignatureScheme::RsaPss:
        // RFC 8017 §8.2.2 step 1 / §8.1.2: the signature is exactly as long as the modulus.
        if (signature.size() != state.modulusBytes)
            return fail(
                ErrorCode::SignatureMalformed,
                SignatureText::tr("%1 signature is %2 bytes; this %3-bit key makes signatures of exactly %4 bytes")
                    .arg(alg.displayName())
                    .arg(signature.size())
                    .arg(state.key.bits())
                    .arg(state.modulusBytes));
        if (!state.setUp)
            return state.setUp;
        if (auto verified = state.verifyDigestOf(input, signature); !verified)
            return verified;
        // A set's member was read with the cheap checks only: the key a signature rests on gets the whole check.
        if (const QString failure = state.key.deferredPublicCheckFailure(); !failure.isEmpty())
            return fail(ErrorCode::KeyInvalid,
                        SignatureText::tr("the signature matches, but the key is not a valid "
                                          "RSA key: %1")
                            .arg(failure));
        return {};
    case SignatureScheme::Ecdsa: {
        // JWS carries ECDSA as raw r‖s, each exactly the field size (RFC 7518 §3.4); OpenSSL wants DER. The length
        // and the range of r and s are checked here, before OpenSSL sees anything, so a DER signature or a padded one
        // never passes.
        if (signature.size() != alg.signatureBytes)
            return fail(
                ErrorCode::SignatureMalformed,
                SignatureText::tr("%1 signature is %2 bytes; it must be r‖s of exactly %3 bytes (RFC 7518 §3.4)")
                    .arg(alg.displayName())
                    .arg(signature.size())
                    .arg(alg.signatureBytes));
        if (!state.setUp)
            return state.setUp;
        const int half = alg.signatureBytes / 2;
        const auto* bytes = reinterpret_cast<const unsigned char*>(signature.data());
        ossl::BnPtr r(BN_bin2bn(bytes, half, nullptr));
        ossl::BnPtr s(BN_bin2bn(bytes + half, half, nullptr));
        if (!r || !s)
            return fail(ErrorCode::Crypto, ossl::drainErrors());
        const BIGNUM* order = state.order.get();
        if (BN_is_zero(r.get()) || BN_is_zero(s.get()))
            return fail(ErrorCode::SignatureMalformed,
                        SignatureText::tr("%1 signature has %2 = 0, which no valid signature has")
                            .arg(alg.displayName(), BN_is_zero(r.get()) ? QStringLiteral("r") : QStringLiteral("s")));
        if (BN_cmp(r.get(), order) >= 0 || BN_cmp(s.get(), order) >= 0)
            return fail(
                ErrorCode::SignatureMalformed,
                SignatureText::tr("%1 signature has %2 not below the group order")
                    .arg(alg.displayName(), BN_cmp(r.get(), order) >= 0 ? QStringLiteral("r") : QStringLiteral("s")));
        ossl::EcdsaSigPtr sig(ECDSA_SIG_new());
        if (!sig || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1)
            return fail(ErrorCode::Crypto, ossl::drainErrors());
        r.release(); // owned by sig now
        s.release();
        // DER of two INTEGERs of at most 66 bytes each (P-521) fits well within this buffer.
        unsigned char der[2 * (66 + 3) + 4];
        unsigned char* cursor = der;
        if (i2d_ECDSA_SIG(sig.get(), nullptr) > int(sizeof der))
            return fail(ErrorCode::Crypto, SignatureText::tr("%1 signature too long").arg(alg.displayName()));
        const int derLength = i2d_ECDSA_SIG(sig.get(), &cursor);
        if (derLength <= 0)
            return fail(ErrorCode::Crypto, ossl::drainErrors());
        return state.verifyDigestOf(
            input, QByteArrayView(reinterpret_cast<const char*>(der), static_cast<qsizetype>(derLength)));
    }
    case SignatureScheme::EdDsa: {
        const int expected = eddsaSignatureBytes(state.key);
        if (signature.size() != expected)
            return fail(ErrorCode::SignatureMalformed,
                        SignatureText::tr("%1 signature is %2 bytes; %3 signatures are %4 "
                                          "bytes (RFC 8032 §5)")
                            .arg(alg.displayName())
                            .arg(signature.size())
                            .arg(state.key.curve())
                            .arg(expected));
        // EdDSA hashes inside the scheme (one-shot only in OpenSSL): no digest is given, nothing to prepare.
        AlgInfo pure = alg;
        pure.digest = Digest::None;
        return digestVerify(pure, state.key, input, signature);
    }
    case SignatureScheme::None:
        break;
    }
    return fail(ErrorCode::AlgNone, SignatureText::tr("alg \"none\" never verifies"));
}

VerifierReuseScope::VerifierReuseScope()
{
    if (!t_reusedVerifiers) {
        t_reusedVerifiers = new std::vector<std::unique_ptr<SignatureVerifier>>();
        m_owner = true;
    }
}

VerifierReuseScope::~VerifierReuseScope()
{
    if (m_owner) {
        delete t_reusedVerifiers;
        t_reusedVerifiers = nullptr;
    }
}

namespace {

// The verifier this thread's VerifierReuseScope keeps for alg and key, made on first use; nullptr without a scope or
// when the scope holds as many as it keeps.
const SignatureVerifier* reusedVerifier(const AlgInfo& alg, const Key& key)
{
    std::vector<std::unique_ptr<SignatureVerifier>>* reused = t_reusedVerifiers;
    if (!reused)
        return nullptr;
    for (const auto& verifier : *reused) {
        if (verifier->isFor(alg, key))
            return verifier.get();
    }
    if (reused->size() >= kMaxReusedVerifiers)
        return nullptr;
    reused->push_back(std::make_unique<SignatureVerifier>(alg, key));
    return reused->back().get();
}

} // namespace

Result<void> verifyBytes(const AlgInfo& alg, const Key& key, QByteArrayView input, QByteArrayView signature)
{
    if (const SignatureVerifier* verifier = reusedVerifier(alg, key))
        return verifier->verify(input, signature);
    return SignatureVerifier(alg, key).verify(input, signature);
}

Result<void> checkKeyFitsAlgForVerify(const AlgInfo& alg, const Key& key)
{
    if (const SignatureVerifier* verifier = reusedVerifier(alg, key))
        return verifier->keyFits();
    return checkKeyFitsAlg(alg, key, KeyPurpose::Verify);
}

QByteArray computeDigest(Digest digest, QByteArrayView data)
{
    const EVP_MD* md = ossl::digestMd(digest);
    if (!md)
        return {};
    QByteArray out(EVP_MD_get_size(md), '\0');
    unsigned int length = 0;
    if (EVP_Digest(data.data(), static_cast<size_t>(data.size()), reinterpret_cast<unsigned char*>(out.data()), &length,
                   md, nullptr)
        != 1) {
        ossl::clearErrors();
        return {};
    }
    out.resize(static_cast<qsizetype>(length));
    return out;
}

QByteArray computeHmac(Digest digest, QByteArrayView key, QByteArrayView data)
{
    const ossl::MacCtxPtr prepared = prepareHmac(digest, key);
    if (!prepared)
        return {};
    return hmacWith(prepared.get(), digest, data);
}

} // namespace jwti

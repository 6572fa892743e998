#include "core/crypto/DecryptionWalkthrough.h"

#include "core/crypto/ContentEncryption.h"
#include "core/crypto/KeyManagement.h"
#include "core/jose/Base64Url.h"
#include "core/jose/Deflate.h"
#include "core/jose/Jwk.h"

#include <QCoreApplication>
#include <QtEndian>

namespace jwti {
namespace {

// Q_DECLARE_TR_FUNCTIONS gives lupdate and translate() the same context, "DecryptionWalkthrough", for every string.
struct DecryptionWalkthroughText
{
    Q_DECLARE_TR_FUNCTIONS(DecryptionWalkthrough)
};

QString hexText(QByteArrayView bytes)
{
    return QString::fromLatin1(bytes.toByteArray().toHex(' '));
}

QByteArray headerBytes(const Jwe& jwe, int recipient, QStringView name)
{
    const QString text = jwe.headerString(recipient, name);
    return QByteArray::fromBase64(text.toLatin1(), QByteArray::Base64UrlEncoding);
}

class Walker
{
public:
    Walker(const Jwe& jwe, const Key& key, int recipient)
        : m_jwe(jwe)
        , m_key(key)
        , m_recipient(recipient)
    {
    }

    DecryptionWalkthrough run();

private:
    WalkStep& add(const char* id, const QString& title, const QString& explanation)
    {
        WalkStep step;
        step.id = QString::fromLatin1(id);
        step.title = title;
        step.explanation = explanation;
        m_out.steps.push_back(std::move(step));
        return m_out.steps.back();
    }
    void setValue(WalkStep& step, QByteArrayView value, bool secret = false)
    {
        step.value = value.toByteArray();
        step.valueText = hexText(value);
        step.secret = secret;
    }
    // Marks the last step failed; returns the walkthrough as it stands.
    DecryptionWalkthrough fail(const QString& reason)
    {
        WalkStep& step = m_out.steps.back();
        step.passed = false;
        step.failure = reason;
        m_out.failedStep = static_cast<int>(m_out.steps.size()) - 1;
        m_out.failureReason = reason;
        return m_out;
    }
    bool recoverCek(const KeyManagementInfo& alg, const EncInfo& enc, SecretBytes& cek);

    const Jwe& m_jwe;
    const Key& m_key;
    int m_recipient;
    DecryptionWalkthrough m_out;
};

bool Walker::recoverCek(const KeyManagementInfo& alg, const EncInfo& enc, SecretBytes& cek)
{
    const QByteArray& encryptedKey = m_jwe.recipients[static_cast<size_t>(m_recipient)].encryptedKey;
    if (alg.hasEncryptedKey()) {
        WalkStep& step
            = add("encrypted-key", DecryptionWalkthroughText::tr("The encrypted key"),
                  DecryptionWalkthroughText::tr("The second part of the token: the CEK, wrapped for this recipient "
                                                "(RFC 7516 §5.2 step 9)."));
        setValue(step, encryptedKey);
    }
    auto finishCek = [&](Result<SecretBytes> result, const QString& how) {
        WalkStep& step = add("cek", DecryptionWalkthroughText::tr("The content encryption key (CEK)"), how);
        if (!result) {
            fail(result.message());
            return false;
        }
        cek = std::move(result).value();
        setValue(step, cek.view(), true);
        step.passed = cek.size() == enc.cekBytes;
        if (!*step.passed) {
            fail(DecryptionWalkthroughText::tr("the CEK is %1 bytes; %2 needs %3")
                     .arg(cek.size())
                     .arg(enc.displayName())
                     .arg(enc.cekBytes));
            return false;
        }
        return true;
    };

    switch (alg.mode) {
    case KeyManagementMode::Direct:
        return finishCek(m_key.secret(),
                         DecryptionWalkthroughText::tr("With dir the key itself is the CEK (RFC 7518 §4.5)."));
    case KeyManagementMode::RsaOaep:
    case KeyManagementMode::RsaPkcs1:
        return finishCek(
            rsaUnwrap(alg, m_key, encryptedKey, enc.cekBytes),
            alg.mode == KeyManagementMode::RsaOaep
                ? DecryptionWalkthroughText::tr(
                    "RSA-OAEP decryption of the encrypted key with the private key (RFC 7518 §4.3).")
                : DecryptionWalkthroughText::tr(
                    "RSA PKCS#1 v1.5 decryption of the encrypted key (RFC 7518 §4.2). A bad padding gives a "
                    "random CEK instead of an error (RFC 7516 §11.5): a failure shows only at the tag."));
    case KeyManagementMode::AesKeyWrap:
        return finishCek(aesKeyUnwrap(m_key.secret(), encryptedKey),
                         DecryptionWalkthroughText::tr(
                             "AES Key Unwrap (RFC 3394) of the encrypted key with the %1-bit key; its integrity "
                             "check fails on a wrong key (RFC 7518 §4.4).")
                             .arg(alg.wrapKeyBytes * 8));
    case KeyManagementMode::AesGcmKeyWrap: {
        const QByteArray iv = headerBytes(m_jwe, m_recipient, u"iv");
        const QByteArray tag = headerBytes(m_jwe, m_recipient, u"tag");
        WalkStep& params = add(
            "gcmkw-params", DecryptionWalkthroughText::tr("The key wrap's IV and tag"),
            DecryptionWalkthroughText::tr("The header's \"iv\" and \"tag\": AES-GCM over the CEK, no AAD (RFC 7518 "
                                          "§4.7)."));
        params.fields.push_back(
            {QStringLiteral("iv"), iv, {}, hexText(iv), iv.size() == 12, DecryptionWalkthroughText::tr("96 bits")});
        params.fields.push_back({QStringLiteral("tag"),
                                 tag,
                                 {},
                                 hexText(tag),
                                 tag.size() == 16,
                                 DecryptionWalkthroughText::tr("128 bits")});
        if (iv.size() != 12 || tag.size() != 16)
            return (fail(DecryptionWalkthroughText::tr("the key wrap needs a 12-byte iv and a 16-byte tag")), false);
        auto opened = gcmOpen(m_key.secret(), iv, {}, encryptedKey, tag);
        Result<SecretBytes> result = opened ? Result<SecretBytes>(SecretBytes(*opened)) : opened.error();
        if (opened)
            wipeBytes(opened.value());
        return finishCek(std::move(result),
                         DecryptionWalkthroughText::tr("AES-GCM decryption of the encrypted key; its tag is checked."));
    }
    case KeyManagementMode::Pbes2: {
        const JsonValue* p2c = m_jwe.headerMember(m_recipient, u"p2c");
        const qint64 count = p2c && p2c->toInteger() ? *p2c->toInteger() : 0;
        const QByteArray salt = QByteArray(alg.name) + '\0' + headerBytes(m_jwe, m_recipient, u"p2s");
        WalkStep& step
            = add("pbes2-kek", DecryptionWalkthroughText::tr("The key-encryption key from the password"),
                  DecryptionWalkthroughText::tr("PBKDF2 with HMAC-%1, %2 iterations, salt UTF8(alg) || 0x00 || p2s "
                                                "(RFC 7518 §4.8.1.1).")
                      .arg(QString::fromLatin1(digestName(alg.digest)))
                      .arg(count));
        step.fields.push_back({DecryptionWalkthroughText::tr("salt input"), salt, {}, hexText(salt), std::nullopt, {}});
        if (count < kPbes2MinCount || count > kPbes2MaxCount)
            return (fail(DecryptionWalkthroughText::tr("p2c is %1; this tool accepts 1000 to 1,000,000").arg(count)),
                    false);
        auto kek = pbes2Key(alg, m_key.secret(), salt.sliced(qstrlen(alg.name) + 1), static_cast<int>(count));
        if (!kek)
            return (fail(kek.message()), false);
        setValue(step, kek->view(), true);
        return finishCek(aesKeyUnwrap(*kek, encryptedKey),
                         DecryptionWalkthroughText::tr("AES Key Unwrap of the encrypted key."));
    }
    case KeyManagementMode::EcdhEs:
    case KeyManagementMode::EcdhEsKeyWrap: {
        WalkStep& epkStep = add(
            "epk", DecryptionWalkthroughText::tr("The sender's ephemeral public key"),
            DecryptionWalkthroughText::tr("The header's \"epk\": it must be a valid point of the recipient key's curve "
                                          "(an invalid-curve point would leak the private key, RFC 7518 §4.6)."));
        const JsonValue* epkJson = m_jwe.headerMember(m_recipient, u"epk");
        auto epk = epkJson && epkJson->isObject() && !epkJson->member(u"d")
            ? importJwk(*epkJson)
            : Result<Key>::failure(ErrorCode::HeaderInvalid,
                                   DecryptionWalkthroughText::tr("\"epk\" is not a public JWK"));
        if (!epk)
            return (fail(epk.message()), false);
        epkStep.valueText = epk->description();
        epkStep.passed = true;
        WalkStep& zStep
            = add("ecdh-z", DecryptionWalkthroughText::tr("The shared secret Z"),
                  DecryptionWalkthroughText::tr("ECDH of the recipient's private key with the ephemeral public key "
                                                "(RFC 7518 §4.6.2)."));
        auto z = ecdhSharedSecret(m_key, *epk);
        if (!z)
            return (fail(z.message()), false);
        setValue(zStep, z->view(), true);
        const bool direct = alg.mode == KeyManagementMode::EcdhEs;
        const int keyBytes = direct ? enc.cekBytes : alg.wrapKeyBytes;
        const QByteArray algorithmId = direct ? QByteArray(enc.name) : QByteArray(alg.name);
        const QByteArray apu = headerBytes(m_jwe, m_recipient, u"apu");
        const QByteArray apv = headerBytes(m_jwe, m_recipient, u"apv");
        const QByteArray otherInfo = concatKdfOtherInfo(algorithmId, apu, apv, keyBytes);
        WalkStep& kdf = add("concat-kdf", DecryptionWalkthroughText::tr("The Concat KDF's inputs"),
                            DecryptionWalkthroughText::tr(
                                "OtherInfo = AlgorithmID || PartyUInfo || PartyVInfo || SuppPubInfo, each "
                                "length-prefixed; the key is SHA-256(counter || Z || OtherInfo) cut to %1 bits "
                                "(RFC 7518 §4.6.2).")
                                .arg(keyBytes * 8));
        setValue(kdf, otherInfo);
        qsizetype at = 0;
        auto field = [&](const QString& label, qsizetype length, const QString& note) {
            const QByteArray value = otherInfo.mid(at, length);
            kdf.fields.push_back({label, value, {at, at + length}, hexText(value), std::nullopt, note});
            at += length;
        };
        field(DecryptionWalkthroughText::tr("AlgorithmID"), 4 + algorithmId.size(), QString::fromLatin1(algorithmId));
        field(DecryptionWalkthroughText::tr("PartyUInfo (apu)"), 4 + apu.size(), QString::fromUtf8(apu));
        field(DecryptionWalkthroughText::tr("PartyVInfo (apv)"), 4 + apv.size(), QString::fromUtf8(apv));
        field(DecryptionWalkthroughText::tr("SuppPubInfo"), 4,
              DecryptionWalkthroughText::tr("%1 bits").arg(keyBytes * 8));
        WalkStep& derivedStep = add(
            "derived-key",
            direct ? DecryptionWalkthroughText::tr("The agreed key")
                   : DecryptionWalkthroughText::tr("The key-wrap key"),
            direct ? DecryptionWalkthroughText::tr("With ECDH-ES the derived key is the CEK.")
                   : DecryptionWalkthroughText::tr("The derived key unwraps the encrypted key (AES Key Unwrap)."));
        auto derived = concatKdf(*z, otherInfo, keyBytes);
        if (!derived)
            return (fail(derived.message()), false);
        setValue(derivedStep, derived->view(), true);
        if (direct)
            return finishCek(*derived, DecryptionWalkthroughText::tr("The agreed key is the CEK."));
        return finishCek(aesKeyUnwrap(*derived, encryptedKey),
                         DecryptionWalkthroughText::tr("AES Key Unwrap of the encrypted key."));
    }
    }
    return false;
}

DecryptionWalkthrough Walker::run()
{
    m_out.recipient = m_recipient;
    m_out.alg = m_jwe.headerString(m_recipient, u"alg");
    m_out.enc = m_jwe.headerString(m_recipient, u"enc");
    const QByteArray aad = m_jwe.additionalData();
    WalkStep& aadStep = add(
        "aad", DecryptionWalkthroughText::tr("The additional authenticated data (AAD)"),
        DecryptionWalkthroughText::tr("The ASCII of the protected header as received (and of '.' and the \"aad\" "
                                      "member, when there is one): the tag covers it, so no header member it holds can "
                                      "change (RFC 7516 §5.2 step 14)."));
    aadStep.value = aad;
    aadStep.valueText = QString::fromLatin1(aad);

    const KeyManagementInfo* alg = findKeyManagement(m_out.alg);
    const EncInfo* enc = findEnc(m_out.enc);
    WalkStep& fit = add(
        "key-fit", DecryptionWalkthroughText::tr("The key fits the algorithms"),
        DecryptionWalkthroughText::tr("%1 with %2 needs the right kind and size of key, and a JWK that allows it.")
            .arg(m_out.alg, m_out.enc));
    fit.valueText = m_key.description();
    if (!alg || !enc)
        return fail(DecryptionWalkthroughText::tr("unknown alg or enc"));
    if (auto fits = checkKeyFitsJwe(*alg, *enc, m_key, JweKeyPurpose::Decrypt); !fits)
        return fail(fits.message());
    fit.passed = true;

    SecretBytes cek;
    if (!recoverCek(*alg, *enc, cek))
        return m_out;

    QByteArray plaintext;
    if (enc->cipher == ContentCipher::CbcHmac) {
        const CbcHmacKeys keys = splitCbcHmacKey(*enc, cek);
        WalkStep& split
            = add("cbc-keys", DecryptionWalkthroughText::tr("MAC key and encryption key"),
                  DecryptionWalkthroughText::tr("The CEK's first half is the HMAC key, its second half the AES-CBC key "
                                                "(RFC 7518 §5.2.2.1)."));
        split.secret = true;
        const qsizetype half = enc->cekBytes / 2;
        split.fields.push_back({DecryptionWalkthroughText::tr("MAC_KEY"),
                                keys.macKey.view().toByteArray(),
                                {0, half},
                                hexText(keys.macKey.view()),
                                std::nullopt,
                                {}});
        split.fields.push_back({DecryptionWalkthroughText::tr("ENC_KEY"),
                                keys.encKey.view().toByteArray(),
                                {half, 2 * half},
                                hexText(keys.encKey.view()),
                                std::nullopt,
                                {}});
        WalkStep& hmac = add(
            "hmac", DecryptionWalkthroughText::tr("The HMAC"),
            DecryptionWalkthroughText::tr("HMAC-%1 over AAD || IV || ciphertext || AL, where AL is the AAD's length in "
                                          "bits as a 64-bit big-endian number (RFC 7518 §5.2.2.1 step 5).")
                .arg(QString::fromLatin1(digestName(enc->digest))));
        QByteArray al(8, '\0');
        qToBigEndian<quint64>(static_cast<quint64>(aad.size()) * 8, al.data());
        hmac.fields.push_back({DecryptionWalkthroughText::tr("AL"), al, {}, hexText(al), std::nullopt, {}});
        auto mac = cbcHmacFull(*enc, keys.macKey, m_jwe.iv, aad, m_jwe.ciphertext);
        if (!mac)
            return fail(mac.message());
        setValue(hmac, *mac);
        WalkStep& compare
            = add("tag-compare", DecryptionWalkthroughText::tr("The tag check"),
                  DecryptionWalkthroughText::tr("The tag is the HMAC's first %1 bytes; it must equal the token's tag, "
                                                "compared in constant time.")
                      .arg(enc->tagBytes));
        setValue(compare, mac->left(enc->tagBytes));
        compare.passed = mac->left(enc->tagBytes) == m_jwe.tag;
        if (!*compare.passed)
            return fail(DecryptionWalkthroughText::tr("the tag does not match: a wrong key, or the token was changed"));
    }
    WalkStep& content
        = add(enc->cipher == ContentCipher::Gcm ? "gcm-tag" : "plaintext",
              enc->cipher == ContentCipher::Gcm ? DecryptionWalkthroughText::tr("AES-GCM decryption and tag check")
                                                : DecryptionWalkthroughText::tr("AES-CBC decryption"),
              enc->cipher == ContentCipher::Gcm
                  ? DecryptionWalkthroughText::tr("AES-GCM with the CEK and the 96-bit IV over the ciphertext, the AAD "
                                                  "authenticated; the 128-bit tag must match (RFC 7518 §5.3).")
                  : DecryptionWalkthroughText::tr("AES-CBC with ENC_KEY and the IV, PKCS #7 padding removed."));
    auto opened = openContent(*enc, cek, m_jwe.iv, aad, m_jwe.ciphertext, m_jwe.tag);
    if (!opened)
        return fail(enc->cipher == ContentCipher::Gcm
                        ? DecryptionWalkthroughText::tr("the tag does not match: a wrong key, or the token was changed")
                        : opened.message());
    content.passed = true;
    plaintext = std::move(opened).value();
    if (m_jwe.headerString(m_recipient, u"zip") == u"DEF") {
        WalkStep& inflate = add(
            "inflate", DecryptionWalkthroughText::tr("Inflating"),
            DecryptionWalkthroughText::tr("\"zip\": \"DEF\": the plaintext was DEFLATE-compressed before encryption "
                                          "(RFC 7516 §4.1.3); at most 16 MiB is inflated."));
        auto inflated = inflateRaw(plaintext, kJweMaxInflatedBytes);
        if (!inflated)
            return fail(inflated.message());
        inflate.passed = true;
        plaintext = std::move(inflated).value();
    }
    m_out.decrypted = true;
    m_out.plaintext = plaintext;
    return m_out;
}

} // namespace

DecryptionWalkthrough walkThroughDecryption(const Jwe& jwe, const Key& key, int recipient)
{
    if (recipient < 0 || static_cast<size_t>(recipient) >= jwe.recipients.size()) {
        DecryptionWalkthrough out;
        out.recipient = recipient;
        out.failureReason = DecryptionWalkthroughText::tr("the token has no recipient %1").arg(recipient);
        return out;
    }
    DecryptionWalkthrough walk = Walker(jwe, key, recipient).run();
    // The verdict is decryptJwe's, for this recipient alone: a rule the steps above do not spell out (a p2s too
    // short, a header member that is not base64url) still decides, at the last step shown.
    Jwe one = jwe;
    one.recipients = {jwe.recipients[static_cast<size_t>(recipient)]};
    const Result<JweDecryption> verdict = decryptJwe(one, {key});
    if (walk.decrypted && !verdict) {
        walk.decrypted = false;
        walk.plaintext.clear();
        walk.failureReason = verdict.message();
        if (!walk.steps.empty()) {
            walk.steps.back().passed = false;
            walk.steps.back().failure = verdict.message();
            walk.failedStep = static_cast<int>(walk.steps.size()) - 1;
        }
    }
    return walk;
}

} // namespace jwti

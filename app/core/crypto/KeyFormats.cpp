#include "core/crypto/KeyFormats.h"

#include "core/crypto/OpenSslHandles.h"
#include "core/jose/Base64Url.h"
#include "core/jose/Jwk.h"

#include <QCoreApplication>
#include <cstdint>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>

namespace jwti {

// Q_DECLARE_TR_FUNCTIONS gives lupdate and translate() the same context, "KeyFormats", for the messages here.
struct KeyFormatsText
{
    Q_DECLARE_TR_FUNCTIONS(KeyFormats)
};

namespace {

constexpr QByteArrayView kBegin = "-----BEGIN ";
constexpr QByteArrayView kEnd = "-----END ";
constexpr QByteArrayView kDashes = "-----";

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

QByteArrayView trimmed(QByteArrayView data)
{
    // A UTF-8 byte order mark is how some editors start a text file; it is not part of the key.
    if (data.startsWith("\xEF\xBB\xBF"))
        data = data.sliced(3);
    qsizetype begin = 0;
    qsizetype end = data.size();
    while (begin < end && isSpace(data[begin]))
        ++begin;
    while (end > begin && isSpace(data[end - 1]))
        --end;
    return data.sliced(begin, end - begin);
}

ossl::BioPtr memoryBio(QByteArrayView data)
{
    return ossl::BioPtr(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
}

// Our callback with our passphrase as its userdata; OpenSSL's own default would prompt on the terminal.
void* passphraseUserdata(const SecretBytes& passphrase)
{
    return const_cast<SecretBytes*>(&passphrase);
}

// Takes ownership of pkey and keeps it only if JWS can use it.
Result<Key> supportedKey(EVP_PKEY* pkey, const QString& where)
{
    ossl::PkeyPtr owner(pkey);
    switch (EVP_PKEY_get_base_id(pkey)) {
    case EVP_PKEY_RSA:
    case EVP_PKEY_RSA_PSS:
    case EVP_PKEY_ED25519:
    case EVP_PKEY_ED448:
    case EVP_PKEY_X25519: // ECDH-ES (RFC 8037 §3.2)
    case EVP_PKEY_X448:
        break;
    case EVP_PKEY_EC: {
        Key key = Key::adoptPkey(owner.release());
        if (ossl::fieldBytesForCurve(key.curve()) == 0)
            return Result<Key>::failure(
                ErrorCode::KeyUnsupported,
                KeyFormatsText::tr("%1 holds an EC key on curve \"%2\"; JWS uses P-256, P-384, P-521 or secp256k1")
                    .arg(where, key.curve()));
        key.metadata.source = where;
        return key;
    }
    default: {
        const char* name = EVP_PKEY_get0_type_name(pkey);
        return Result<Key>::failure(
            ErrorCode::KeyUnsupported,
            KeyFormatsText::tr("%1 holds a %2 key; JWS signatures use RSA, EC, Ed25519/Ed448 or HMAC keys")
                .arg(where, name ? QString::fromLatin1(name) : QStringLiteral("unknown")));
    }
    }
    Key key = Key::adoptPkey(owner.release());
    key.metadata.source = where;
    return key;
}

QString certificateSubject(X509* certificate)
{
    ossl::BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || X509_NAME_print_ex(bio.get(), X509_get_subject_name(certificate), 0, XN_FLAG_RFC2253) < 0) {
        ossl::clearErrors();
        return {};
    }
    return QString::fromUtf8(ossl::bioBytes(bio.get()));
}

Result<Key> keyFromCertificate(X509* certificate, const QString& where)
{
    EVP_PKEY* pkey = X509_get_pubkey(certificate);
    if (!pkey)
        return Result<Key>::failure(ErrorCode::KeyInvalid,
                                    KeyFormatsText::tr("%1: the certificate's public key cannot be "
                                                       "read (%2)")
                                        .arg(where, ossl::drainErrors()));
    const QString subject = certificateSubject(certificate);
    return supportedKey(pkey,
                        subject.isEmpty()
                            ? KeyFormatsText::tr("%1 (X.509 certificate)").arg(where)
                            : KeyFormatsText::tr("%1 (X.509 certificate, subject %2)").arg(where, subject));
}

// PKCS#1 RSAPublicKey has no generic d2i/PEM reader outside the deprecated RSA API: the decoder reads it.
EVP_PKEY* decodeRsaPublic(QByteArrayView data, const char* inputType)
{
    EVP_PKEY* pkey = nullptr;
    ossl::DecoderCtxPtr ctx(
        OSSL_DECODER_CTX_new_for_pkey(&pkey, inputType, nullptr, "RSA", EVP_PKEY_PUBLIC_KEY, nullptr, nullptr));
    if (!ctx)
        return nullptr;
    const auto* cursor = reinterpret_cast<const unsigned char*>(data.data());
    size_t length = static_cast<size_t>(data.size());
    if (OSSL_DECODER_from_data(ctx.get(), &cursor, &length) != 1) {
        EVP_PKEY_free(pkey);
        return nullptr;
    }
    return pkey;
}

// PKCS#8 encryption derives its key with as many iterations as the file asks for (RFC 8018 §5.2). A file asking for
// billions would stall the app for minutes before the passphrase is even checked: such files are refused up front.
constexpr int64_t kMaxKdfIterations = 10'000'000;

using Pbe2ParamPtr = std::unique_ptr<PBE2PARAM, ossl::Deleter<PBE2PARAM_free>>;
using Pbkdf2ParamPtr = std::unique_ptr<PBKDF2PARAM, ossl::Deleter<PBKDF2PARAM_free>>;
using PbeParamPtr = std::unique_ptr<PBEPARAM, ossl::Deleter<PBEPARAM_free>>;

// The iteration count an encrypted PKCS#8 key asks for; 0 when it names none we know (OpenSSL then decides).
int64_t kdfIterations(const X509_SIG* encrypted)
{
    const X509_ALGOR* algorithm = nullptr;
    X509_SIG_get0(encrypted, &algorithm, nullptr);
    if (!algorithm || !algorithm->parameter)
        return 0;
    const ASN1_INTEGER* iterations = nullptr;
    Pbe2ParamPtr pbes2;
    Pbkdf2ParamPtr pbkdf2;
    PbeParamPtr pbes1;
    if (OBJ_obj2nid(algorithm->algorithm) == NID_pbes2) {
        pbes2.reset(
            static_cast<PBE2PARAM*>(ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBE2PARAM), algorithm->parameter)));
        // scrypt bounds its own memory in OpenSSL; only PBKDF2 counts iterations.
        if (!pbes2 || !pbes2->keyfunc || OBJ_obj2nid(pbes2->keyfunc->algorithm) != NID_id_pbkdf2)
            return 0;
        pbkdf2.reset(static_cast<PBKDF2PARAM*>(
            ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBKDF2PARAM), pbes2->keyfunc->parameter)));
        iterations = pbkdf2 ? pbkdf2->iter : nullptr;
    } else {
        pbes1.reset(static_cast<PBEPARAM*>(ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBEPARAM), algorithm->parameter)));
        iterations = pbes1 ? pbes1->iter : nullptr;
    }
    if (!iterations)
        return 0;
    int64_t count = 0;
    // A count that does not even fit in 64 bits is as unacceptable as a huge one.
    return ASN1_INTEGER_get_int64(&count, iterations) == 1 ? count : INT64_MAX;
}

Result<void> checkKdfCost(const X509_SIG* encrypted, const QString& where)
{
    ERR_set_mark();
    const int64_t iterations = kdfIterations(encrypted);
    ERR_pop_to_mark();
    if (iterations > kMaxKdfIterations)
        return Result<void>::failure(
            ErrorCode::KeyUnsupported,
            KeyFormatsText::tr("%1 asks for %2 key-derivation iterations; more than %3 are refused")
                .arg(where)
                .arg(iterations)
                .arg(kMaxKdfIterations));
    return {};
}

struct PemBlock
{
    QByteArray label;
    QByteArrayView text; // BEGIN line through END line
};

Result<std::vector<PemBlock>> splitPem(QByteArrayView data)
{
    std::vector<PemBlock> blocks;
    qsizetype from = 0;
    while (true) {
        const qsizetype begin = data.indexOf(kBegin, from);
        if (begin < 0)
            break;
        const qsizetype labelStart = begin + kBegin.size();
        const qsizetype labelEnd = data.indexOf(kDashes, labelStart);
        const qsizetype lineEnd = data.indexOf('\n', labelStart);
        if (labelEnd < 0 || (lineEnd >= 0 && labelEnd > lineEnd))
            return Result<std::vector<PemBlock>>::failure(
                ErrorCode::KeyInvalid,
                KeyFormatsText::tr("PEM block %1 at offset %2 has a broken BEGIN line")
                    .arg(blocks.size() + 1)
                    .arg(begin));
        const QByteArray label = data.sliced(labelStart, labelEnd - labelStart).toByteArray();
        QByteArray endLine = kEnd.toByteArray() + label + kDashes.toByteArray();
        const qsizetype end = data.indexOf(endLine, labelEnd);
        if (end < 0)
            return Result<std::vector<PemBlock>>::failure(
                ErrorCode::KeyInvalid,
                KeyFormatsText::tr("PEM block %1 (%2) at offset %3 has no \"-----END %2-----\" line")
                    .arg(blocks.size() + 1)
                    .arg(QString::fromLatin1(label))
                    .arg(begin));
        const qsizetype stop = end + endLine.size();
        blocks.push_back({label, data.sliced(begin, stop - begin)});
        from = stop;
    }
    return blocks;
}

Result<Key> decodePemBlock(const PemBlock& block, int index, const SecretBytes& passphrase)
{
    const QString where = KeyFormatsText::tr("PEM block %1 (%2)").arg(index).arg(QString::fromLatin1(block.label));
    ossl::BioPtr bio = memoryBio(block.text);
    const QByteArrayView label = block.label;

    if (label == "CERTIFICATE" || label == "X509 CERTIFICATE" || label == "TRUSTED CERTIFICATE") {
        ossl::X509Ptr certificate(label == "TRUSTED CERTIFICATE"
                                      ? PEM_read_bio_X509_AUX(bio.get(), nullptr, ossl::passphraseCallback, nullptr)
                                      : PEM_read_bio_X509(bio.get(), nullptr, ossl::passphraseCallback, nullptr));
        if (!certificate)
            return Result<Key>::failure(
                ErrorCode::KeyInvalid,
                KeyFormatsText::tr("%1 is not a readable certificate: %2").arg(where, ossl::drainErrors()));
        return keyFromCertificate(certificate.get(), where);
    }
    if (label == "PUBLIC KEY") {
        EVP_PKEY* pkey = PEM_read_bio_PUBKEY(bio.get(), nullptr, ossl::passphraseCallback, nullptr);
        if (!pkey)
            return Result<Key>::failure(
                ErrorCode::KeyInvalid,
                KeyFormatsText::tr("%1 is not a readable public key: %2").arg(where, ossl::drainErrors()));
        return supportedKey(pkey, where);
    }
    if (label == "RSA PUBLIC KEY") {
        EVP_PKEY* pkey = decodeRsaPublic(block.text, "PEM");
        if (!pkey)
            return Result<Key>::failure(
                ErrorCode::KeyInvalid,
                KeyFormatsText::tr("%1 is not a readable PKCS#1 RSA public key: %2").arg(where, ossl::drainErrors()));
        return supportedKey(pkey, where);
    }
    if (label == "PRIVATE KEY" || label == "RSA PRIVATE KEY" || label == "EC PRIVATE KEY"
        || label == "ENCRYPTED PRIVATE KEY") {
        // PKCS#8 encryption, or the legacy OpenSSL "Proc-Type: 4,ENCRYPTED" header inside a PKCS#1/SEC1 block.
        const bool encrypted = label == "ENCRYPTED PRIVATE KEY" || block.text.indexOf("Proc-Type: 4,ENCRYPTED") >= 0;
        if (label == "ENCRYPTED PRIVATE KEY") {
            ossl::X509SigPtr envelope(PEM_read_bio_PKCS8(bio.get(), nullptr, ossl::passphraseCallback, nullptr));
            if (!envelope)
                return Result<Key>::failure(
                    ErrorCode::KeyInvalid,
                    KeyFormatsText::tr("%1 is not a readable encrypted key: %2").arg(where, ossl::drainErrors()));
            if (auto cost = checkKdfCost(envelope.get(), where); !cost)
                return Result<Key>(cost.error());
            bio = memoryBio(block.text);
        }
        if (encrypted && passphrase.isEmpty())
            return Result<Key>::failure(ErrorCode::PassphraseRequired,
                                        KeyFormatsText::tr("%1 is encrypted: a passphrase is needed").arg(where));
        EVP_PKEY* pkey = PEM_read_bio_PrivateKey(bio.get(), nullptr, ossl::passphraseCallback,
                                                 encrypted ? passphraseUserdata(passphrase) : nullptr);
        if (!pkey) {
            const QString reason = ossl::drainErrors();
            if (encrypted)
                return Result<Key>::failure(
                    ErrorCode::PassphraseWrong,
                    KeyFormatsText::tr("%1 could not be decrypted: wrong passphrase (%2)").arg(where, reason));
            return Result<Key>::failure(ErrorCode::KeyInvalid,
                                        KeyFormatsText::tr("%1 is not a readable private key: %2").arg(where, reason));
        }
        return supportedKey(pkey, where);
    }
    return Result<Key>::failure(ErrorCode::KeyUnsupported,
                                KeyFormatsText::tr("%1 is not a key or a certificate this app reads").arg(where));
}

Result<std::vector<Key>> importPem(QByteArrayView data, const SecretBytes& passphrase)
{
    auto blocks = splitPem(data);
    if (!blocks)
        return Result<std::vector<Key>>(blocks.error());
    std::vector<Key> keys;
    int index = 0;
    for (const PemBlock& block : *blocks) {
        ++index;
        // `openssl ecparam -genkey` writes the curve's parameters before the key; they are not a key themselves.
        if (block.label == "EC PARAMETERS")
            continue;
        auto key = decodePemBlock(block, index, passphrase);
        if (!key)
            return Result<std::vector<Key>>(key.error());
        keys.push_back(std::move(key).value());
    }
    if (keys.empty())
        return Result<std::vector<Key>>::failure(ErrorCode::KeyNotFound,
                                                 KeyFormatsText::tr("the PEM text holds no key"));
    return keys;
}

// Whether a d2i reader consumed exactly the whole input: trailing bytes mean it was not this structure.
bool consumedAll(const unsigned char* cursor, QByteArrayView data)
{
    return cursor == reinterpret_cast<const unsigned char*>(data.data()) + data.size();
}

Result<std::vector<Key>> importDer(QByteArrayView data, const SecretBytes& passphrase)
{
    const QString where = KeyFormatsText::tr("DER data");
    const auto* begin = reinterpret_cast<const unsigned char*>(data.data());
    const long length = static_cast<long>(data.size());
    auto single = [](Result<Key> key) -> Result<std::vector<Key>> {
        if (!key)
            return Result<std::vector<Key>>(key.error());
        return std::vector<Key>{std::move(key).value()};
    };

    // Trying one structure after another queues errors for each miss; only the final verdict matters.
    ERR_set_mark();
    const unsigned char* cursor = begin;
    if (ossl::X509SigPtr encrypted(d2i_X509_SIG(nullptr, &cursor, length)); encrypted && consumedAll(cursor, data)) {
        ERR_pop_to_mark();
        if (auto cost = checkKdfCost(encrypted.get(), where); !cost)
            return Result<std::vector<Key>>(cost.error());
        if (passphrase.isEmpty())
            return Result<std::vector<Key>>::failure(
                ErrorCode::PassphraseRequired,
                KeyFormatsText::tr("DER data is an encrypted PKCS#8 key: a passphrase is needed"));
        ossl::BioPtr bio = memoryBio(data);
        EVP_PKEY* pkey
            = d2i_PKCS8PrivateKey_bio(bio.get(), nullptr, ossl::passphraseCallback, passphraseUserdata(passphrase));
        if (!pkey)
            return Result<std::vector<Key>>::failure(
                ErrorCode::PassphraseWrong,
                KeyFormatsText::tr("DER data could not be decrypted: wrong passphrase (%1)").arg(ossl::drainErrors()));
        return single(supportedKey(pkey, KeyFormatsText::tr("DER encrypted PKCS#8 key")));
    }
    cursor = begin;
    if (EVP_PKEY* pkey = d2i_PUBKEY(nullptr, &cursor, length)) {
        if (consumedAll(cursor, data)) {
            ERR_pop_to_mark();
            return single(supportedKey(pkey, KeyFormatsText::tr("DER public key")));
        }
        EVP_PKEY_free(pkey);
    }
    cursor = begin;
    if (EVP_PKEY* pkey = d2i_AutoPrivateKey(nullptr, &cursor, length)) {
        if (consumedAll(cursor, data)) {
            ERR_pop_to_mark();
            return single(supportedKey(pkey, KeyFormatsText::tr("DER private key")));
        }
        EVP_PKEY_free(pkey);
    }
    cursor = begin;
    if (ossl::X509Ptr certificate(d2i_X509(nullptr, &cursor, length)); certificate && consumedAll(cursor, data)) {
        ERR_pop_to_mark();
        return single(keyFromCertificate(certificate.get(), KeyFormatsText::tr("DER certificate")));
    }
    if (EVP_PKEY* pkey = decodeRsaPublic(data, "DER")) {
        ERR_pop_to_mark();
        return single(supportedKey(pkey, KeyFormatsText::tr("DER PKCS#1 RSA public key")));
    }
    ERR_pop_to_mark();
    return Result<std::vector<Key>>::failure(
        ErrorCode::KeyInvalid,
        KeyFormatsText::tr("%1 is not a key: not SPKI, PKCS#8, PKCS#1, SEC1 or X.509").arg(where));
}

bool isHexDigit(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

Result<Key> secretFromBytes(QByteArray& bytes)
{
    if (bytes.isEmpty())
        return Result<Key>::failure(ErrorCode::KeyInvalid, KeyFormatsText::tr("the secret is empty"));
    Key key = Key::fromSecret(SecretBytes(bytes));
    wipeBytes(bytes);
    return key;
}

Result<Key> secretFromHex(QByteArrayView text)
{
    if (text.size() % 2 != 0)
        return Result<Key>::failure(ErrorCode::KeyInvalid,
                                    KeyFormatsText::tr("hex secret has an odd number of digits (%1)").arg(text.size()));
    for (qsizetype i = 0; i < text.size(); ++i) {
        // The offending character itself is part of the secret: its place is named, never the character.
        if (!isHexDigit(text[i]))
            return Result<Key>::failure(
                ErrorCode::KeyInvalid,
                KeyFormatsText::tr("hex secret has a character that is not a hex digit at offset %1").arg(i));
    }
    QByteArray bytes = QByteArray::fromHex(text.toByteArray());
    return secretFromBytes(bytes);
}

Result<Key> secretFromBase64(QByteArrayView text)
{
    // Padding is optional, but where it is written it must be right: only at the end, at most two, to a multiple of 4.
    qsizetype padding = 0;
    while (padding < text.size() && text[text.size() - 1 - padding] == '=')
        ++padding;
    if (padding > 2 || (padding > 0 && text.size() % 4 != 0))
        return Result<Key>::failure(
            ErrorCode::KeyInvalid,
            KeyFormatsText::tr("base64 secret has wrong padding at offset %1").arg(text.size() - padding));
    const QByteArrayView body = text.first(text.size() - padding);
    bool standard = false;
    bool url = false;
    QByteArray normalized(body.size(), '\0');
    for (qsizetype i = 0; i < body.size(); ++i) {
        char c = body[i];
        if (c == '+' || c == '/') {
            standard = true;
            c = c == '+' ? '-' : '_';
        } else if (c == '-' || c == '_') {
            url = true;
        }
        normalized[i] = c;
    }
    if (standard && url) {
        wipeBytes(normalized);
        return Result<Key>::failure(
            ErrorCode::KeyInvalid,
            KeyFormatsText::tr("base64 secret mixes the standard (+ /) and url (- _) alphabets"));
    }
    Base64Decoded decoded = Base64Url::decode(normalized);
    wipeBytes(normalized);
    if (!decoded.ok()) {
        const Base64Issue issue = decoded.issues.front();
        wipeBytes(decoded.bytes);
        return Result<Key>::failure(ErrorCode::KeyInvalid,
                                    KeyFormatsText::tr("base64 secret is not valid at offset %1 (%2)")
                                        .arg(issue.offset)
                                        .arg(issue.kind == Base64Issue::Kind::NonCanonicalBits
                                                 ? KeyFormatsText::tr("non-zero spare bits")
                                                 : issue.kind == Base64Issue::Kind::ImpossibleLength
                                                 ? KeyFormatsText::tr("impossible length")
                                                 : KeyFormatsText::tr("not a base64 character")));
    }
    return secretFromBytes(decoded.bytes);
}

} // namespace

bool keyImportMayBeSlow(QByteArrayView data, const SecretBytes& passphrase)
{
    return !passphrase.isEmpty() || data.size() > kQuickImportBytes;
}

Result<std::vector<Key>> importKeys(QByteArrayView data, const SecretBytes& passphrase)
{
    ossl::clearErrors();
    const QByteArrayView text = trimmed(data);
    if (text.isEmpty())
        return Result<std::vector<Key>>::failure(ErrorCode::KeyInvalid,
                                                 KeyFormatsText::tr("not a key: the input is empty"));
    if (text.indexOf(kBegin) >= 0)
        return importPem(text, passphrase);
    if (text.front() == '{') {
        auto document = parseJson(text);
        const JsonValue* keysMember
            = document.ok() && document.root->isObject() ? document.root->member(u"keys") : nullptr;
        if (keysMember && !document.root->member(u"kty"))
            return importJwks(text);
        auto key = importJwk(text);
        if (!key)
            return Result<std::vector<Key>>(key.error());
        return std::vector<Key>{std::move(key).value()};
    }
    // DER always starts with a SEQUENCE tag; check the raw input (binary may begin with a whitespace-like byte).
    if (!data.isEmpty() && data.front() == '\x30')
        return importDer(data, passphrase);
    return Result<std::vector<Key>>::failure(ErrorCode::KeyInvalid,
                                             KeyFormatsText::tr("not a key: expected PEM, DER, JWK or JWKS"));
}

Result<Key> importSecret(QByteArrayView input, SecretEncoding encoding)
{
    switch (encoding) {
    case SecretEncoding::Text: {
        QByteArray bytes = input.toByteArray();
        return secretFromBytes(bytes);
    }
    case SecretEncoding::Hex:
        return secretFromHex(trimmed(input));
    case SecretEncoding::Base64:
        return secretFromBase64(trimmed(input));
    }
    return Result<Key>::failure(ErrorCode::Usage, KeyFormatsText::tr("unknown secret encoding"));
}

QByteArray exportPublicPem(const Key& key)
{
    if (!key.pkey())
        return {};
    ossl::BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PUBKEY(bio.get(), key.pkey()) != 1) {
        ossl::clearErrors();
        return {};
    }
    return ossl::bioBytes(bio.get());
}

QByteArray exportPublicDer(const Key& key)
{
    if (!key.pkey())
        return {};
    unsigned char* der = nullptr;
    const int length = i2d_PUBKEY(key.pkey(), &der);
    if (length <= 0) {
        ossl::clearErrors();
        return {};
    }
    QByteArray out(reinterpret_cast<const char*>(der), length);
    OPENSSL_free(der);
    return out;
}

namespace {

Result<void> checkExportable(const Key& key)
{
    if (key.isNull())
        return Result<void>::failure(ErrorCode::KeyNotFound, KeyFormatsText::tr("no key to export"));
    if (key.type() == KeyType::Oct)
        return Result<void>::failure(ErrorCode::KeyUnsupported,
                                     KeyFormatsText::tr("an HMAC secret has no PKCS#8 form; export it as a JWK"));
    if (!key.hasPrivate())
        return Result<void>::failure(ErrorCode::KeyInvalid,
                                     KeyFormatsText::tr("this is a public key: there is no private key to export"));
    return {};
}

} // namespace

Result<QByteArray> exportPrivatePem(const Key& key, const SecretBytes& passphrase)
{
    ossl::clearErrors();
    if (auto exportable = checkExportable(key); !exportable)
        return Result<QByteArray>(exportable.error());
    // Secure-heap memory BIO: OpenSSL clears it when it is freed.
    ossl::BioPtr bio(BIO_new(BIO_s_secmem()));
    // PKCS#8 with PBES2: PBKDF2 (HMAC-SHA-256) and AES-256-CBC, OpenSSL 3's defaults for this cipher.
    const EVP_CIPHER* cipher = passphrase.isEmpty() ? nullptr : EVP_aes_256_cbc();
    if (!bio
        || PEM_write_bio_PKCS8PrivateKey(bio.get(), key.pkey(), cipher, nullptr, 0, ossl::passphraseCallback,
                                         passphraseUserdata(passphrase))
            != 1)
        return Result<QByteArray>::failure(ErrorCode::Crypto,
                                           KeyFormatsText::tr("PKCS#8 export failed: %1").arg(ossl::drainErrors()));
    return ossl::bioBytes(bio.get());
}

Result<SecretBytes> exportPrivateDer(const Key& key)
{
    ossl::clearErrors();
    if (auto exportable = checkExportable(key); !exportable)
        return Result<SecretBytes>(exportable.error());
    ossl::BioPtr bio(BIO_new(BIO_s_secmem()));
    if (!bio || i2d_PKCS8PrivateKey_bio(bio.get(), key.pkey(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
        return Result<SecretBytes>::failure(ErrorCode::Crypto,
                                            KeyFormatsText::tr("PKCS#8 export failed: %1").arg(ossl::drainErrors()));
    char* data = nullptr;
    const long size = BIO_ctrl(bio.get(), BIO_CTRL_INFO, 0, &data);
    if (size <= 0 || !data)
        return Result<SecretBytes>::failure(ErrorCode::Crypto, KeyFormatsText::tr("PKCS#8 export produced nothing"));
    return SecretBytes(QByteArrayView(data, static_cast<qsizetype>(size)));
}

} // namespace jwti

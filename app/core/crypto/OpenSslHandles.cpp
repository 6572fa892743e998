#include "core/crypto/OpenSslHandles.h"

#include "core/crypto/SecretBytes.h"

#include <QCoreApplication>
#include <QStringList>
#include <cstring>

namespace jwti::ossl {

// Q_DECLARE_TR_FUNCTIONS gives lupdate and translate() the same context, "OpenSslHandles", for the messages here.
struct OpenSslHandlesText
{
    Q_DECLARE_TR_FUNCTIONS(OpenSslHandles)
};

QString drainErrors(const QString& fallback)
{
    QStringList reasons;
    unsigned long code = 0;
    while ((code = ERR_get_error()) != 0) {
        const char* reason = ERR_reason_error_string(code);
        QString text
            = reason ? QString::fromLatin1(reason) : OpenSslHandlesText::tr("OpenSSL error %1").arg(code, 0, 16);
        if (!reasons.contains(text))
            reasons.append(text);
    }
    if (reasons.isEmpty())
        return fallback.isEmpty() ? OpenSslHandlesText::tr("unknown OpenSSL failure") : fallback;
    return reasons.join(QStringLiteral("; "));
}

QByteArray bioBytes(BIO* bio)
{
    char* data = nullptr;
    const long size = BIO_ctrl(bio, BIO_CTRL_INFO, 0, &data);
    if (size <= 0 || !data)
        return {};
    return QByteArray(data, static_cast<qsizetype>(size));
}

int passphraseCallback(char* buffer, int size, int /*rwflag*/, void* userdata)
{
    const auto* passphrase = static_cast<const SecretBytes*>(userdata);
    if (!passphrase || passphrase->isEmpty() || passphrase->size() > size)
        return -1;
    std::memcpy(buffer, passphrase->data(), static_cast<size_t>(passphrase->size()));
    return static_cast<int>(passphrase->size());
}

const char* groupNameForCurve(QStringView curve)
{
    if (curve == u"P-256")
        return "prime256v1";
    if (curve == u"P-384")
        return "secp384r1";
    if (curve == u"P-521")
        return "secp521r1";
    if (curve == u"secp256k1")
        return "secp256k1";
    return nullptr;
}

QString curveForGroupName(const char* groupName)
{
    if (!groupName)
        return {};
    const QByteArrayView name(groupName);
    if (name == "prime256v1" || name == "P-256" || name == "secp256r1")
        return QStringLiteral("P-256");
    if (name == "secp384r1" || name == "P-384")
        return QStringLiteral("P-384");
    if (name == "secp521r1" || name == "P-521")
        return QStringLiteral("P-521");
    if (name == "secp256k1")
        return QStringLiteral("secp256k1");
    return QString::fromLatin1(groupName);
}

int fieldBytesForCurve(QStringView curve)
{
    if (curve == u"P-256" || curve == u"secp256k1")
        return 32;
    if (curve == u"P-384")
        return 48;
    if (curve == u"P-521")
        return 66;
    return 0;
}

// OpenSSL 3 re-fetches the implementation behind EVP_sha256() and friends on every context set-up; an explicitly
// fetched digest skips that. Fetched once per process (function-local statics are initialised thread-safely) and kept.
namespace {

const EVP_MD* fetchedMd(const char* name, const EVP_MD* fallback)
{
    const EVP_MD* fetched = EVP_MD_fetch(nullptr, name, nullptr);
    if (!fetched)
        clearErrors();
    return fetched ? fetched : fallback;
}

} // namespace

const EVP_MD* digestMd(Digest digest)
{
    switch (digest) {
    case Digest::Sha256: {
        static const EVP_MD* const md = fetchedMd("SHA2-256", EVP_sha256());
        return md;
    }
    case Digest::Sha384: {
        static const EVP_MD* const md = fetchedMd("SHA2-384", EVP_sha384());
        return md;
    }
    case Digest::Sha512: {
        static const EVP_MD* const md = fetchedMd("SHA2-512", EVP_sha512());
        return md;
    }
    case Digest::None:
        return nullptr;
    }
    return nullptr;
}

} // namespace jwti::ossl

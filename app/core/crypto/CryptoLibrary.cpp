#include "core/crypto/CryptoLibrary.h"

#include <openssl/crypto.h>
#include <openssl/opensslv.h>

namespace jwti {

QString openSslRuntimeVersion()
{
    return QString::fromLatin1(OpenSSL_version(OPENSSL_VERSION));
}

QString openSslBuildVersion()
{
    return QStringLiteral(OPENSSL_VERSION_TEXT);
}

} // namespace jwti

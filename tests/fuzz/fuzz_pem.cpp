// libFuzzer target: any bytes through importKeys (PEM, DER, JWK, JWKS detection), without and with a passphrase.
// Every key read must export again; nothing may crash, hang on a prompt or trip a sanitizer.
#include "core/crypto/KeyFormats.h"
#include "core/jose/Jwk.h"

#include <cstddef>
#include <cstdint>

namespace {

void exerciseKeys(const jwti::Result<std::vector<jwti::Key>>& keys)
{
    if (!keys.ok())
        return;
    for (const jwti::Key& key : *keys) {
        (void)key.description();
        (void)jwti::thumbprint(key);
        (void)jwti::exportPublicDer(key);
        if (key.hasPrivate() && key.type() != jwti::KeyType::Oct)
            (void)jwti::exportPrivateDer(key);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    exerciseKeys(jwti::importKeys(input));
    exerciseKeys(jwti::importKeys(input, jwti::SecretBytes(QByteArrayView("fuzz"))));
    return 0;
}

// libFuzzer target: any bytes as a JWK and as a JWKS. Whatever imports must also export, thumbprint and survive a
// second import of its own export; nothing may crash or trip a sanitizer.
#include "core/crypto/KeyFormats.h"
#include "core/jose/Jwk.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));

    auto key = jwti::importJwk(input);
    if (key.ok()) {
        const QByteArray privateJwk = jwti::exportJwk(*key, true, 0);
        (void)jwti::exportJwk(*key, false);
        (void)jwti::thumbprint(*key);
        (void)jwti::exportPublicPem(*key);
        (void)key->description();
        // Our own export must read back as the same key.
        auto again = jwti::importJwk(privateJwk);
        if (!again.ok() || jwti::thumbprint(*again) != jwti::thumbprint(*key))
            __builtin_trap();
    }

    auto keys = jwti::importJwks(input);
    if (keys.ok())
        (void)jwti::exportJwks(*keys, 0);
    return 0;
}

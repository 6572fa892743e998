// libFuzzer harness for the JWE reader and decrypter: parseJwe on any bytes, then decryptJwe with a few fixed keys
// (AES 128 and 256 bits, which also serve as dir and PBES2 keys, and an EC P-256 and X25519 key for ECDH-ES).
// Besides "no crash, no sanitizer report" it checks what callers rely on: a parsed JWE has a recipient, every
// recipient's header has a string alg and enc, the AAD begins with the protected header as received, and a failure
// always carries a message.
#include "core/crypto/KeyManagement.h"
#include "core/jose/Jwe.h"

#include <cstddef>
#include <cstdint>

using namespace jwti;

namespace {

void require(bool condition)
{
    if (!condition)
        __builtin_trap();
}

const std::vector<Key>& keys()
{
    static const std::vector<Key> keys = [] {
        std::vector<Key> made
            = {Key::fromSecret(SecretBytes(QByteArray(16, 'k'))), Key::fromSecret(SecretBytes(QByteArray(32, 'k')))};
        for (const char* curve : {"P-256", "X25519"}) {
            auto key = generateEphemeralKey(QString::fromLatin1(curve));
            require(key.ok());
            made.push_back(*key);
        }
        return made;
    }();
    return keys;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArrayView bytes(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    (void)looksLikeJwe(bytes);
    const Result<Jwe> jwe = parseJwe(bytes);
    if (!jwe.ok()) {
        require(!jwe.message().isEmpty());
        return 0;
    }
    require(!jwe->recipients.empty());
    require(jwe->additionalData().startsWith(jwe->protectedEncoded));
    for (int r = 0; r < static_cast<int>(jwe->recipients.size()); ++r) {
        require(!jwe->headerString(r, u"alg").isEmpty());
        require(!jwe->headerString(r, u"enc").isEmpty());
    }
    JweDecryptOptions options;
    options.maxInflatedBytes = 1024 * 1024; // the cap's logic, without 16 MiB allocations per input
    const Result<JweDecryption> decrypted = decryptJwe(*jwe, keys(), options);
    if (!decrypted.ok())
        require(!decrypted.message().isEmpty());
    else
        require(decrypted->plaintext.size() <= options.maxInflatedBytes || decrypted->zip.isEmpty());
    return 0;
}

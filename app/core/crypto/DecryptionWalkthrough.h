#pragma once

// "How it's decrypted", step by step, for one JWE, one recipient and one key: the AAD, how the CEK is unwrapped or
// agreed (the ECDH shared secret and the Concat KDF inputs), the MAC and encryption keys of CBC-HS, the tag check
// and the plaintext, with the step where decryption fails and why. Steps holding a CEK, a shared secret or a derived
// key are marked secret. The outcome is always what decryptJwe answers for the same token and key; for RSA1_5 the
// unwrap never fails (RFC 7516 §11.5: a bad CEK becomes a random one), so the failure shows at the tag.

#include "core/crypto/Key.h"
#include "core/crypto/SignatureWalkthrough.h"
#include "core/jose/Jwe.h"

#include <QString>
#include <vector>

namespace jwti {

struct DecryptionWalkthrough
{
    QString alg;
    QString enc;
    int recipient = 0;
    std::vector<WalkStep> steps; // ids: "aad", "key-fit", "encrypted-key", "epk", "ecdh-z", "concat-kdf",
                                 // "derived-key", "pbes2-kek", "gcmkw-params", "cek", "cbc-keys", "hmac",
                                 // "tag-compare", "gcm-tag", "plaintext", "inflate"
    bool decrypted = false;
    QByteArray plaintext; // when decrypted
    int failedStep = -1; // index into steps of the first step that failed
    QString failureReason;
};

DecryptionWalkthrough walkThroughDecryption(const Jwe& jwe, const Key& key, int recipient = 0);

} // namespace jwti

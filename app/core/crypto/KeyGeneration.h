#pragma once

#include "core/crypto/Key.h"
#include "core/jose/Algorithms.h"
#include "core/jose/Result.h"

#include <atomic>

namespace jwti {

struct KeySpec
{
    KeyType type = KeyType::Rsa;
    int bits = 0; // RSA 2048/3072/4096; oct 256/384/512; ignored for EC/OKP
    QString curve; // EC: P-256/P-384/P-521/secp256k1; OKP: Ed25519/Ed448
};

// The key an alg needs; bits = 0 picks the default (RSA 2048, HMAC the hash size).
Result<KeySpec> keySpecForAlg(const AlgInfo& alg, int bits = 0);

// From the CSPRNG. RSA generation checks cancel between primes and fails with Crypto "cancelled" when set.
Result<Key> generateKey(const KeySpec& spec, const std::atomic_bool* cancel = nullptr);

} // namespace jwti

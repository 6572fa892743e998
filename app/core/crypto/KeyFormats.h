#pragma once

#include "core/crypto/Key.h"
#include "core/jose/Result.h"

#include <QByteArrayView>
#include <vector>

namespace jwti {

// Reads every key in data, detecting the format: PEM (any number of blocks: PKCS#1 RSA, PKCS#8, encrypted PKCS#8,
// SEC1 EC, SPKI public key, X.509 certificate), DER (the same structures), a JWK, or a JWKS.
// An encrypted key without a passphrase fails with PassphraseRequired; a wrong one with PassphraseWrong.
Result<std::vector<Key>> importKeys(QByteArrayView data, const SecretBytes& passphrase = {});
// True when importKeys may take long enough to freeze a window: a passphrase to derive a key from (PBKDF2, scrypt)
// or many keys (a JWKS or PEM bundle of more than kQuickImportBytes). The window reads such input off the UI thread.
constexpr qsizetype kQuickImportBytes = 16 * 1024;
bool keyImportMayBeSlow(QByteArrayView data, const SecretBytes& passphrase);

enum class SecretEncoding { Text, Hex, Base64 }; // Base64: standard or url alphabet, padding optional
Result<Key> importSecret(QByteArrayView input, SecretEncoding encoding);

QByteArray exportPublicPem(const Key& key); // SPKI "PUBLIC KEY"
QByteArray exportPublicDer(const Key& key);
// PKCS#8 "PRIVATE KEY"; with a passphrase "ENCRYPTED PRIVATE KEY" (AES-256-CBC, PBKDF2).
Result<QByteArray> exportPrivatePem(const Key& key, const SecretBytes& passphrase = {});
Result<SecretBytes> exportPrivateDer(const Key& key); // PKCS#8 DER, for the keychain

} // namespace jwti

#pragma once

#include "core/crypto/SecretBytes.h"
#include "core/jose/Result.h"

#include <QString>
#include <vector>

namespace jwti {

// Several keys' secrets in one keychain item ("pack/<id>"), for imports of many keys at once. A Secret Service stores
// each item at a cost that grows with the keyring (gnome-keyring rewrites its whole file for every new item: 1 000
// items took 43–79 s), so a 1 000-key JWKS goes in as a few packs instead of a thousand items. Keys stored one at a
// time keep an item of their own ("key/<id>").
//
// The format is binary and versioned: "JWTI-PACK\x01", then for each member a 2-byte big-endian id length, the id
// (ASCII), a 4-byte big-endian secret length and the secret bytes.
struct SecretPackMember
{
    QString id; // the key record's id
    SecretBytes secret;
};

// Members at most per pack, and the bytes at most (RSA-4096 private keys are about 2.4 KB each): a keychain item
// stays small enough for every Secret Service and for a rewrite when one member is deleted.
inline constexpr int kSecretPackMaxMembers = 100;
inline constexpr qsizetype kSecretPackMaxBytes = 128 * 1024;
// From how many secrets at once an add uses packs.
inline constexpr int kSecretPackFrom = 16;

SecretBytes encodeSecretPack(const std::vector<SecretPackMember>& members);
// Strict: a wrong magic, a truncated member, an empty or repeated id, or trailing bytes is KeyInvalid.
Result<std::vector<SecretPackMember>> decodeSecretPack(const SecretBytes& pack);
// The one member's secret; KeyNotFound when the pack has no member with that id.
Result<SecretBytes> secretPackMember(const SecretBytes& pack, const QString& id);

} // namespace jwti

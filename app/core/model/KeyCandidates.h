#pragma once

// Which of the keys at hand are tried on one signature (Verdict) or one JWE recipient (DecryptionVerdict): one rule
// for both, so a verify and a decrypt never disagree about which key a kid names. A kid the user asked for picks
// exactly the keys that carry it; else the token's kid picks the keys carrying it, and keys with another kid are
// someone else's; keys without a kid are tried when they fit. A key that does not fit is never a failure.

#include "core/crypto/Key.h"
#include "core/jose/Result.h"

#include <QString>
#include <functional>
#include <vector>

namespace jwti {

struct CandidateKey
{
    const Key* key = nullptr;
    bool decisive = false; // chosen by the user, or picked by a kid: its failure makes the token invalid
};

struct CandidatePick
{
    QString wantedKid; // the kid asked for, else the token's; empty when neither
    std::vector<CandidateKey> keys; // the keys to try, the user's own first
    int unfit = 0; // keys of the right kid (or none) that do not fit
    bool anyWithKid = false; // some key carries wantedKid
    bool allStored = false; // every key was offered by the store (none chosen by the user)
    // The kid note speaks of the stored keys when the user's own keys carry no kid (a typed secret): those were
    // never in question.
    bool kidNoteOnStored = false;
    bool userKeysWithoutKid = false; // the user gave keys, none of them with a kid (a typed secret, a bare PEM)
    const Key* unfitKey = nullptr; // a key the user chose (or a kid picked) that does not fit
    Error unfitReason; // why unfitKey does not fit
    const Key* otherKidKey = nullptr; // a key the user chose that carries another kid (not tried)
};

// fits answers whether key can be tried at all (its type, curve, size, JWK alg); decisive says whether the user
// chose it or a kid picked it. When it answers false it says why in *why (why may be null).
using KeyFitTest = std::function<bool(const Key& key, bool decisive, Error* why)>;

CandidatePick pickCandidates(const std::vector<Key>& candidates, const QString& tokenKid, const QString& requestedKid,
                             const KeyFitTest& fits);

// The neutral note when no key carries the kid wanted, for verify and decrypt alike; empty when one does, or when no
// kid is wanted or no key given. It never reads as a contradiction of a key that worked: a key given without a kid
// is said to have been tried without one.
QString kidNote(const CandidatePick& pick, const QString& requestedKid, bool anyCandidates);

} // namespace jwti

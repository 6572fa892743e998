#include "core/model/KeyCandidates.h"

#include "core/jose/Wording.h"

#include <QCoreApplication>
#include <algorithm>

namespace jwti {

namespace {

struct KeyCandidatesText
{
    Q_DECLARE_TR_FUNCTIONS(KeyCandidates)
};

} // namespace

CandidatePick pickCandidates(const std::vector<Key>& candidates, const QString& tokenKid, const QString& requestedKid,
                             const KeyFitTest& fits)
{
    CandidatePick pick;
    pick.wantedKid = requestedKid.isEmpty() ? tokenKid : requestedKid;
    const QString& wantedKid = pick.wantedKid;
    // The words name what the keys are: "stored keys" when the store offered them all, "keys given" otherwise.
    pick.allStored = !candidates.empty();
    bool anyStored = false;
    bool userKeyHasKid = false;
    for (const Key& key : candidates) {
        if (!wantedKid.isEmpty() && key.metadata.kid == wantedKid)
            pick.anyWithKid = true;
        if (key.metadata.provenance.chosenByUser) {
            pick.allStored = false;
            userKeyHasKid = userKeyHasKid || !key.metadata.kid.isEmpty();
        } else {
            anyStored = true;
        }
    }
    pick.kidNoteOnStored = pick.allStored || (anyStored && !userKeyHasKid);
    pick.userKeysWithoutKid = !pick.allStored && !candidates.empty() && !userKeyHasKid;
    for (const Key& key : candidates) {
        const bool kidPicked = !wantedKid.isEmpty() && key.metadata.kid == wantedKid;
        if (!requestedKid.isEmpty() && !kidPicked)
            continue;
        const bool userKeyWithoutKid = key.metadata.provenance.chosenByUser && key.metadata.kid.isEmpty();
        if (pick.anyWithKid && !kidPicked && !userKeyWithoutKid)
            continue; // the token's kid names other keys
        if (!kidPicked && !key.metadata.kid.isEmpty() && !tokenKid.isEmpty()) {
            if (key.metadata.provenance.chosenByUser && !pick.otherKidKey)
                pick.otherKidKey = &key; // not tried, but "Why" may name the kid it has
            continue; // another kid: another key
        }
        const bool decisive = kidPicked || key.metadata.provenance.chosenByUser;
        Error why;
        if (!fits(key, decisive, &why)) {
            ++pick.unfit;
            if (decisive) {
                pick.unfitReason = why;
                pick.unfitKey = &key;
            }
            continue;
        }
        pick.keys.push_back({&key, decisive});
    }
    // The user's own keys first, so that the verdict names them when several verify.
    std::stable_partition(pick.keys.begin(), pick.keys.end(), [](const CandidateKey& c) { return c.decisive; });
    return pick;
}

QString kidNote(const CandidatePick& pick, const QString& requestedKid, bool anyCandidates)
{
    if (pick.wantedKid.isEmpty() || pick.anyWithKid || !anyCandidates)
        return {};
    const QString kid = quoted(pick.wantedKid);
    if (!requestedKid.isEmpty())
        return KeyCandidatesText::tr("No key has the kid %1 asked for").arg(kid);
    if (pick.kidNoteOnStored)
        return KeyCandidatesText::tr("No stored key has kid %1").arg(kid);
    if (pick.userKeysWithoutKid)
        return KeyCandidatesText::tr("The token names kid %1; the key given has no kid, so it was tried").arg(kid);
    return KeyCandidatesText::tr("No key given has kid %1").arg(kid);
}

} // namespace jwti

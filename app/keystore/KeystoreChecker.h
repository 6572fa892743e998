#pragma once

#include "keystore/KeyStore.h"

#include <QDateTime>
#include <QObject>
#include <functional>
#include <vector>

namespace jwti {

// One way the keychain and the index disagree.
struct KeystoreFinding
{
    enum class Kind {
        OrphanSecret, // a keychain item of this app that no index entry names
        MissingSecret, // an index entry whose secret the keychain does not have
        UnreadableSecret, // an index entry whose keychain item is not a key
        InterruptedDelete, // an entry marked as being deleted: a delete stopped halfway
    };
    Kind kind = Kind::OrphanSecret;
    QString entry; // the keychain entry, "key/<id>" or "pack/<pack id>"
    QString keyId; // for a pack, the member's id
    QString keyName; // index entries only
    QString detail; // why, in words
    QDateTime created; // orphans: when the keychain item was made

    QString describe() const;
};

// A keychain item of the app, as the Secret Service lists it (QtKeychain itself cannot list).
struct KeychainItem
{
    QString entry; // the "user" attribute QtKeychain 0.13 writes: "key/<id>" or "pack/<pack id>"
    QDateTime created;
};

struct RepairOptions
{
    bool removeOrphans = false; // remove orphaned secrets instead of adopting them as keys
    // Orphans younger than this are left alone: they may belong to a store still in progress in another process
    // (its secret is written before its index entry).
    qint64 graceSeconds = 60;
};

// `keys check [--repair]` and the key manager's check: finds keychain items no index entry names and index entries
// whose secret is missing or unreadable, and mends them only when asked.
class KeystoreChecker
{
public:
    // The items of service in the Secret Service (org.freedesktop.Secret.Service.SearchItems on the attribute
    // "server", which is where QtKeychain's libsecret backend puts the service name). A locked collection is an
    // error (its items cannot be told apart).
    static void listKeychainItems(const QString& service, QObject* context,
                                  std::function<void(Result<std::vector<KeychainItem>>)> done);

    // Reads the index (a damaged one is refused) and the keychain; every finding, or none when consistent.
    static void check(KeyStore& store, QObject* context,
                      std::function<void(Result<std::vector<KeystoreFinding>>)> done);

    // Mends findings: adopts an orphaned secret as a key of set "recovered" (its public part derived; verify-only)
    // or removes it (options.removeOrphans, and always an empty one); finishes an interrupted delete; an entry whose
    // secret is missing keeps its public key as a public verify-only key, or goes when it has none (an HMAC
    // secret). An unreadable secret is left for the user. The answer lists what was done, one line each.
    static void repair(KeyStore& store, const std::vector<KeystoreFinding>& findings, const RepairOptions& options,
                       QObject* context, std::function<void(Result<QStringList>)> done);
};

} // namespace jwti

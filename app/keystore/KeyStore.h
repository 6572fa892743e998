#pragma once

#include "core/crypto/Key.h"
#include "core/crypto/Signature.h"
#include "core/jose/Result.h"
#include "keystore/KeyIndex.h"
#include "keystore/KeyRecord.h"
#include "keystore/KeychainClient.h"

#include <QDateTime>
#include <QObject>

class QLockFile;
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace jwti {

struct NewKeyOptions
{
    QString name; // empty: made from the key's description
    QString keySet; // empty: "default" for signing keys, "encryption" for encryption keys (a set holds one use)
    QString kid; // empty: the key's JWK kid, else defaultKid (KeyPolicy: thumbprint, a random id for secrets)
    QString alg; // empty: the key's JWK alg, else defaultAlgForKey for its use
    // Empty: the alg's, else what the key's JWK "use"/"key_ops" say, else signing. A JWK whose use or key_ops
    // forbid the chosen use is refused (KeyUseForbidden), so it is never offered for the other purpose.
    std::optional<KeyUse> use;
    QString enc; // dir keys: the content encryption whose CEK the key is; empty: the one of the key's length
    QString source; // "generated", a file name, …
};

// A key the keychain refused, kept in memory so nothing is lost: the user can retry or export it encrypted.
struct PendingKey
{
    KeyRecord record;
    Key key;
    Error error;
    bool rotation = false; // storing it completes a rotation of record.keySet
    QDateTime retireAfter; // rotation: when the replaced key may be retired
};

// Which stored keys a caller needs: narrowed by kid, then by alg (and so the key type), then by set, before any
// secret is read from the keychain.
struct KeyQuery
{
    QString kid; // empty: any
    QString alg; // empty: any; else only keys kept for this alg
    QString keySet; // empty: any
    // Signing keys for JWS, encryption keys for JWE: a key is only ever a candidate for its own use.
    KeyUse use = KeyUse::Signing;
    // Verify: active and verify-only keys (public ones from the index, secrets from the keychain); for encryption
    // keys, what encrypting to them needs. Sign: keys with a private part or secret (not retired, not remote), all
    // read from the keychain; for encryption keys, what decrypting needs.
    KeyPurpose purpose = KeyPurpose::Verify;
};

// Keys as loaded, each with its provenance; a key whose secret could not be read is skipped and named in skipped,
// so one broken entry never blocks the others.
struct LoadedKeys
{
    std::vector<Key> keys;
    std::vector<Error> skipped;
};

// A remote JWKS as fetched, to be kept as public verify-only keys.
struct RemoteKeySet
{
    QString source; // the URL the user gave (JWKS or issuer)
    QString jwksUrl; // where the keys came from (for an issuer, its jwks_uri); a refresh fetches it again
    QString keySet; // empty: the source's host
    QDateTime fetched;
    std::vector<Key> keys; // public keys, with kid/alg metadata from the JWKS
};

// The key store: private keys and HMAC secrets in the OS keychain (entry "key/<id>", or a shared "pack/<id>" for keys
// imported many at once), everything else in the index file. Every call that touches the keychain is asynchronous and
// answers through done on context's thread. Writes go secret first, then index, so a failure at any step loses nothing;
// the index is re-read before each change so a command-line run in between is not overwritten.
class KeyStore : public QObject
{
    Q_OBJECT

public:
    explicit KeyStore(QObject* parent = nullptr); // the index at KeyIndex::defaultPath()
    explicit KeyStore(QString indexPath, QObject* parent = nullptr);

    KeychainClient& keychain() { return m_keychain; }
    const QString& indexPath() const { return m_indexPath; }

    Result<void> reload();
    const std::vector<KeyRecord>& records() const { return m_records; }
    std::optional<KeyRecord> record(const QString& id) const;
    // An id, else a kid, else a name that names exactly one key (KeyNotFound, KeyAmbiguous).
    Result<KeyRecord> resolve(const QString& idOrKid) const;
    QStringList keySets() const;
    std::optional<KeyRecord> activeKey(const QString& keySet) const;
    // The set's public JWKS: active and verify-only keys (HMAC secrets are never published).
    QByteArray keySetJwks(const QString& keySet) const;
    std::vector<Key> keySetPublicKeys(const QString& keySet) const;

    // The record key would get (id, kid, alg, name, set, created, public JWK); checks the alg fits the key.
    Result<KeyRecord> prepare(const Key& key, const NewKeyOptions& options) const;

    using RecordDone = std::function<void(Result<KeyRecord>)>;
    using VoidDone = std::function<void(Result<void>)>;

    // Secret to the keychain (under a fresh id), then the record to the index in one transaction; when the index
    // cannot take it, the secret just written is removed again. A public-only key goes to the index alone,
    // verify-only. A private key becomes the set's active key when the set has none (decided inside the
    // transaction, so parallel writers never make two), verify-only otherwise.
    void add(const Key& key, const NewKeyOptions& options, QObject* context, RecordDone done);
    // The same for many keys with one index transaction: all are stored or none is.
    using RecordsDone = std::function<void(Result<std::vector<KeyRecord>>)>;
    void addMany(const std::vector<std::pair<Key, NewKeyOptions>>& keys, QObject* context, RecordsDone done);
    // A new key of the set's alg becomes active; the active one becomes verify-only until retireAfter. Nothing
    // changes unless every step succeeds; the new key waits in pendingKeys() when the keychain refuses it.
    // From options only name and kid are used (the set and alg are the rotated set's).
    void rotate(const QString& keySet, const Key& newKey, const QDateTime& retireAfter, QObject* context,
                RecordDone done, const NewKeyOptions& options = {});
    // Stores a pending key again (or completes its rotation).
    void retry(const QString& pendingId, QObject* context, RecordDone done);
    // Marks the index entry as being deleted, removes the keychain entry, and only when the keychain confirms removes
    // the index entry. When the keychain refuses, the mark is taken back and the key stays whole.
    void remove(const QString& id, QObject* context, VoidDone done);
    // Verify-only → retired: out of the set's JWKS. The active key cannot be retired (rotate first).
    Result<void> retire(const QString& id);
    // Adds fetched keys as remote verify-only keys, replacing those fetched before from the same source.
    Result<std::vector<KeyRecord>> addRemote(const RemoteKeySet& remote);

    // The private key or secret, from the keychain, with kid/alg metadata.
    void loadPrivate(const QString& id, QObject* context, std::function<void(Result<Key>)> done);
    // Keys for verifying: active and verify-only (remote ones too); public keys from the index, HMAC secrets from
    // the keychain. With a kid, only the keys that have it (KeyNotFound when none). Fails only when no key loads.
    void loadVerificationKeys(const QString& kid, QObject* context, std::function<void(Result<std::vector<Key>>)> done);

    // The records query selects, from the index alone (no keychain call).
    std::vector<KeyRecord> candidates(const KeyQuery& query) const;
    // Reads what query selects (re-reading the index first). KeyNotFound when nothing fits; when keys fit but none
    // could be read, the first key's error (a keychain failure stays a keychain failure).
    void loadKeys(const KeyQuery& query, QObject* context, std::function<void(Result<LoadedKeys>)> done);

    // The one key `sign --keystore` and the window's signing editor sign with. With kid: the key with that kid (in
    // keySet when given), which must have a private part and serve alg. Without: the active key of keySet, or when
    // no set is named the one set whose active key serves alg ("default" when several do).
    Result<KeyRecord> selectSigningKey(const QString& alg, const QString& kid = {}, const QString& keySet = {}) const;
    // The key with its private part (loadPrivate) and the key store provenance.
    void loadSigningKey(const KeyRecord& record, QObject* context, std::function<void(Result<Key>)> done);

    // The secret of record as the keychain holds it: its own entry, or its member of a pack (SecretPack.h). A pack
    // without the member answers like a missing entry.
    void readSecret(const KeyRecord& record, QObject* context, std::function<void(Result<SecretBytes>)> done);
    // Takes the member id out of pack packId (removing the pack's entry when nothing is left), under a lock beside
    // the index so two processes never rewrite one pack at once. A missing pack or member is no error. The lock is
    // waited for on a worker thread (another process may hold it for seconds); done answers on context's thread.
    void removeFromPack(const QString& packId, const QString& id, QObject* context, VoidDone done);

    // Runs change as one index transaction and takes its outcome as records().
    Result<void> commit(const KeyIndex::Change& change);

    const std::vector<PendingKey>& pendingKeys() const { return m_pending; }
    const PendingKey* pending(const QString& id) const;
    void discardPending(const QString& id);

signals:
    void recordsChanged();
    void pendingChanged();

private:
    void keepPending(PendingKey pending);
    void dropPending(const QString& id);
    // Writes the secrets of items one after another, then commits change; when anything fails, removes the secrets
    // written so far and answers the error (naming any secret that could not be removed).
    void storeSecretsThenCommit(std::vector<PendingKey> items, KeyIndex::Change change, QObject* context,
                                VoidDone done);
    void removeSecrets(std::vector<QString> entries, QObject* context, std::function<void(QStringList)> done);
    void finishAdd(std::vector<PendingKey> items, QObject* context, RecordsDone done);
    void finishRotate(KeyRecord record, const Key& key, const QDateTime& retireAfter, QObject* context,
                      RecordDone done);
    void removeFromLockedPack(const QString& packId, const QString& id, std::shared_ptr<QLockFile> lock,
                              QObject* context, VoidDone done);

    QString m_indexPath;
    KeychainClient m_keychain;
    std::vector<KeyRecord> m_records;
    std::vector<PendingKey> m_pending;
};

} // namespace jwti

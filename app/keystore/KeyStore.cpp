#include "KeyStore.h"

#include "KeyIndex.h"
#include "crypto/KeyFormats.h"
#include "crypto/Signature.h"
#include "jose/Algorithms.h"
#include "jose/Jwk.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QPointer>
#include <QUrl>
#include <QUuid>
#include <algorithm>
#include <memory>

namespace jwti {

// Q_DECLARE_TR_FUNCTIONS gives lupdate and translate() the same context, "KeyStore", for the messages here.
struct KeyStoreText
{
    Q_DECLARE_TR_FUNCTIONS(KeyStore)
};

namespace {

QString newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

// What goes into the keychain: the HMAC secret as is, any other private key as PKCS#8 DER (small enough for every
// platform's keychain, and one format for every key type).
Result<SecretBytes> secretMaterial(const Key& key)
{
    if (key.type() == KeyType::Oct)
        return key.secret();
    return exportPrivateDer(key);
}

Result<Key> keyFromSecret(const KeyRecord& record, const SecretBytes& secret)
{
    Key key;
    if (record.kty == QLatin1String("oct")) {
        key = Key::fromSecret(secret);
    } else {
        auto keys = importKeys(secret.view());
        if (!keys)
            return keys.error();
        if (keys->size() != 1 || !keys->front().hasPrivate()) {
            return Result<Key>::failure(
                ErrorCode::KeyInvalid,
                KeyStoreText::tr("the keychain entry of \"%1\" is not one private key").arg(record.name));
        }
        key = keys->front();
    }
    key.metadata.kid = record.kid;
    key.metadata.alg = record.alg;
    key.metadata.source = KeyStoreText::tr("key store: %1").arg(record.name);
    return key;
}

Error notFound(const QString& what)
{
    return Error{ErrorCode::KeyNotFound, what};
}

} // namespace

KeyStore::KeyStore(QObject* parent)
    : KeyStore(KeyIndex::defaultPath(), parent)
{
}

KeyStore::KeyStore(QString indexPath, QObject* parent)
    : QObject(parent)
    , m_indexPath(std::move(indexPath))
{
}

Result<void> KeyStore::reload()
{
    auto records = KeyIndex::read(m_indexPath);
    if (!records)
        return records.error();
    // Only a real change is announced: views and the verify panel re-read on this signal.
    auto asJson = [](const std::vector<KeyRecord>& list) {
        QJsonArray array;
        for (const KeyRecord& record : list)
            array.append(record.toJson());
        return array;
    };
    const bool changed = asJson(m_records) != asJson(*records);
    m_records = std::move(records).value();
    if (changed)
        emit recordsChanged();
    return {};
}

std::optional<KeyRecord> KeyStore::record(const QString& id) const
{
    for (const KeyRecord& record : m_records) {
        if (record.id == id)
            return record;
    }
    return std::nullopt;
}

Result<KeyRecord> KeyStore::resolve(const QString& idOrKid) const
{
    if (auto byId = record(idOrKid))
        return *byId;
    std::vector<KeyRecord> matches;
    std::copy_if(m_records.begin(), m_records.end(), std::back_inserter(matches),
                 [&](const KeyRecord& record) { return record.kid == idOrKid; });
    if (matches.empty()) {
        std::copy_if(m_records.begin(), m_records.end(), std::back_inserter(matches),
                     [&](const KeyRecord& record) { return record.name == idOrKid; });
    }
    if (matches.empty())
        return notFound(KeyStoreText::tr("no key in the key store has the id, kid or name \"%1\"").arg(idOrKid));
    if (matches.size() > 1) {
        return Result<KeyRecord>::failure(ErrorCode::KeyAmbiguous,
                                          KeyStoreText::tr("%1 keys have the kid or name \"%2\"; name one by its id")
                                              .arg(matches.size())
                                              .arg(idOrKid));
    }
    return matches.front();
}

QStringList KeyStore::keySets() const
{
    QStringList sets;
    for (const KeyRecord& record : m_records) {
        if (!sets.contains(record.keySet))
            sets << record.keySet;
    }
    return sets;
}

std::optional<KeyRecord> KeyStore::activeKey(const QString& keySet) const
{
    for (const KeyRecord& record : m_records) {
        if (record.keySet == keySet && record.status == KeyStatus::Active)
            return record;
    }
    return std::nullopt;
}

std::vector<Key> KeyStore::keySetPublicKeys(const QString& keySet) const
{
    std::vector<Key> keys;
    for (const KeyRecord& record : m_records) {
        if (record.keySet != keySet || !record.inJwks() || record.publicJwk.isEmpty())
            continue;
        if (auto key = record.publicKey())
            keys.push_back(std::move(key).value());
    }
    return keys;
}

QByteArray KeyStore::keySetJwks(const QString& keySet) const
{
    return exportJwks(keySetPublicKeys(keySet));
}

Result<KeyRecord> KeyStore::prepare(const Key& key, const NewKeyOptions& options) const
{
    using R = Result<KeyRecord>;
    if (key.isNull())
        return R::failure(ErrorCode::KeyInvalid, KeyStoreText::tr("there is no key to store"));
    KeyRecord record = describeKey(key);
    record.id = newId();
    record.alg = !options.alg.isEmpty() ? options.alg
        : !key.metadata.alg.isEmpty()   ? key.metadata.alg
                                        : defaultAlgForKey(key);
    const AlgInfo* alg = findAlg(record.alg);
    if (!alg || alg->scheme == SignatureScheme::None)
        return R::failure(ErrorCode::AlgUnknown, KeyStoreText::tr("\"%1\" is not a signing algorithm").arg(record.alg));
    if (auto fits = checkKeyFitsAlg(*alg, key, key.hasPrivate() ? KeyPurpose::Sign : KeyPurpose::Verify); !fits)
        return fits.error();

    record.keySet = options.keySet.isEmpty() ? QStringLiteral("default") : options.keySet;
    record.name = options.name.isEmpty() ? key.description() : options.name;
    // RFC 7638 §1: the thumbprint is a kid that needs no registry. An HMAC secret gets a random one instead.
    record.kid = !options.kid.isEmpty() ? options.kid
        : !key.metadata.kid.isEmpty()   ? key.metadata.kid
        : !record.thumbprint.isEmpty()  ? record.thumbprint
                                        : newId();
    record.source = options.source.isEmpty() ? key.metadata.source : options.source;
    record.created = QDateTime::currentDateTimeUtc();
    const bool setHasActive = activeKey(record.keySet).has_value();
    record.status = key.hasPrivate() && !setHasActive ? KeyStatus::Active : KeyStatus::VerifyOnly;
    for (const KeyRecord& other : m_records) {
        if (other.keySet == record.keySet && other.kid == record.kid) {
            return R::failure(ErrorCode::KeyAmbiguous,
                              KeyStoreText::tr("key set \"%1\" already has a key with kid \"%2\" (\"%3\")")
                                  .arg(record.keySet, record.kid, other.name));
        }
    }
    return record;
}

Result<void> KeyStore::writeIndex(std::vector<KeyRecord> records)
{
    if (auto written = KeyIndex::write(m_indexPath, records); !written)
        return written;
    m_records = std::move(records);
    emit recordsChanged();
    return {};
}

void KeyStore::keepPending(PendingKey pending)
{
    dropPending(pending.record.id);
    m_pending.push_back(std::move(pending));
    emit pendingChanged();
}

void KeyStore::dropPending(const QString& id)
{
    const auto removed = std::erase_if(m_pending, [&](const PendingKey& pending) { return pending.record.id == id; });
    if (removed > 0)
        emit pendingChanged();
}

const PendingKey* KeyStore::pending(const QString& id) const
{
    for (const PendingKey& pending : m_pending) {
        if (pending.record.id == id)
            return &pending;
    }
    return nullptr;
}

void KeyStore::discardPending(const QString& id)
{
    dropPending(id);
}

void KeyStore::storeSecretThen(const KeyRecord& record, const Key& key, QObject* context, VoidDone next)
{
    if (!record.hasSecret) {
        next(Result<void>());
        return;
    }
    auto material = secretMaterial(key);
    if (!material) {
        next(material.error());
        return;
    }
    m_keychain.write(record.keychainEntry(), *material, context, std::move(next));
}

void KeyStore::add(const Key& key, const NewKeyOptions& options, QObject* context, RecordDone done)
{
    if (auto reloaded = reload(); !reloaded) {
        done(reloaded.error());
        return;
    }
    auto prepared = prepare(key, options);
    if (!prepared) {
        done(prepared.error());
        return;
    }
    finishAdd(*prepared, key, context, std::move(done));
}

void KeyStore::finishAdd(const KeyRecord& record, const Key& key, QObject* context, RecordDone done)
{
    QPointer<KeyStore> self(this);
    storeSecretThen(record, key, context, [self, record, key, done](Result<void> stored) {
        if (!self)
            return;
        if (!stored) {
            self->keepPending(PendingKey{record, key, stored.error(), false, {}});
            done(stored.error());
            return;
        }
        auto fresh = KeyIndex::read(self->m_indexPath);
        Result<void> written = fresh ? Result<void>() : Result<void>(fresh.error());
        if (fresh) {
            std::vector<KeyRecord> records = std::move(fresh).value();
            std::erase_if(records, [&](const KeyRecord& other) { return other.id == record.id; });
            records.push_back(record);
            written = self->writeIndex(std::move(records));
        }
        if (!written) {
            // The secret is in the keychain but the index does not name it: keep the key so a retry writes both.
            self->keepPending(PendingKey{record, key, written.error(), false, {}});
            done(written.error());
            return;
        }
        self->dropPending(record.id);
        done(record);
    });
}

void KeyStore::rotate(const QString& keySet, const Key& newKey, const QDateTime& retireAfter, QObject* context,
                      RecordDone done, const NewKeyOptions& chosen)
{
    if (auto reloaded = reload(); !reloaded) {
        done(reloaded.error());
        return;
    }
    const auto active = activeKey(keySet);
    if (!active) {
        done(notFound(KeyStoreText::tr("key set \"%1\" has no active key to rotate").arg(keySet)));
        return;
    }
    if (!newKey.hasPrivate()) {
        done(Error{ErrorCode::KeyInvalid, KeyStoreText::tr("a rotation needs a private key or secret to sign with")});
        return;
    }
    NewKeyOptions options;
    options.keySet = keySet;
    options.alg = active->alg;
    options.kid = chosen.kid;
    options.name = !chosen.name.isEmpty()
        ? chosen.name
        : QStringLiteral("%1 %2").arg(keySet,
                                      QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
    options.source = KeyStoreText::tr("rotation of %1").arg(active->name);
    Key key = newKey;
    key.metadata.kid.clear();
    key.metadata.alg.clear();
    auto prepared = prepare(key, options);
    if (!prepared) {
        done(prepared.error());
        return;
    }
    KeyRecord record = std::move(prepared).value();
    record.status = KeyStatus::Active;
    record.rotatedFrom = active->id;
    finishRotate(std::move(record), key, retireAfter, context, std::move(done));
}

void KeyStore::finishRotate(KeyRecord record, const Key& key, const QDateTime& retireAfter, QObject* context,
                            RecordDone done)
{
    QPointer<KeyStore> self(this);
    storeSecretThen(record, key, context, [self, record, key, retireAfter, done](Result<void> stored) {
        if (!self)
            return;
        auto fail = [&](const Error& error) {
            self->keepPending(PendingKey{record, key, error, true, retireAfter});
            done(error);
        };
        if (!stored) {
            fail(stored.error());
            return;
        }
        auto fresh = KeyIndex::read(self->m_indexPath);
        if (!fresh) {
            fail(fresh.error());
            return;
        }
        std::vector<KeyRecord> records = std::move(fresh).value();
        auto old = std::find_if(records.begin(), records.end(),
                                [&](const KeyRecord& other) { return other.id == record.rotatedFrom; });
        if (old == records.end() || old->status != KeyStatus::Active || old->keySet != record.keySet) {
            fail(Error{ErrorCode::KeyNotFound,
                       KeyStoreText::tr("key set \"%1\" changed during the rotation; its active key is no longer the "
                                        "one being replaced")
                           .arg(record.keySet)});
            return;
        }
        old->status = KeyStatus::VerifyOnly;
        old->retireAfter = retireAfter;
        old->rotatedTo = record.id;
        std::erase_if(records, [&](const KeyRecord& other) { return other.id == record.id; });
        records.push_back(record);
        // One atomic index write flips both keys, so the set is either as it was or fully rotated.
        if (auto written = self->writeIndex(std::move(records)); !written) {
            fail(written.error());
            return;
        }
        self->dropPending(record.id);
        done(record);
    });
}

void KeyStore::retry(const QString& pendingId, QObject* context, RecordDone done)
{
    const PendingKey* found = pending(pendingId);
    if (!found) {
        done(notFound(KeyStoreText::tr("no key is waiting to be stored with the id %1").arg(pendingId)));
        return;
    }
    const PendingKey copy = *found;
    if (copy.rotation)
        finishRotate(copy.record, copy.key, copy.retireAfter, context, std::move(done));
    else
        finishAdd(copy.record, copy.key, context, std::move(done));
}

void KeyStore::remove(const QString& id, QObject* context, VoidDone done)
{
    if (auto reloaded = reload(); !reloaded) {
        done(reloaded.error());
        return;
    }
    const auto found = record(id);
    if (!found) {
        done(notFound(KeyStoreText::tr("no key in the key store has the id %1").arg(id)));
        return;
    }
    QPointer<KeyStore> self(this);
    auto removeFromIndex = [self, id, done](Result<void> removed) {
        if (!self)
            return;
        if (!removed) {
            done(removed);
            return;
        }
        auto fresh = KeyIndex::read(self->m_indexPath);
        if (!fresh) {
            done(fresh.error());
            return;
        }
        std::vector<KeyRecord> records = std::move(fresh).value();
        std::erase_if(records, [&](const KeyRecord& other) { return other.id == id; });
        done(self->writeIndex(std::move(records)));
    };
    if (!found->hasSecret) {
        removeFromIndex(Result<void>());
        return;
    }
    m_keychain.remove(found->keychainEntry(), context, std::move(removeFromIndex));
}

Result<void> KeyStore::retire(const QString& id)
{
    auto fresh = KeyIndex::read(m_indexPath);
    if (!fresh)
        return fresh.error();
    std::vector<KeyRecord> records = std::move(fresh).value();
    auto found = std::find_if(records.begin(), records.end(), [&](const KeyRecord& other) { return other.id == id; });
    if (found == records.end())
        return notFound(KeyStoreText::tr("no key in the key store has the id %1").arg(id));
    if (found->status == KeyStatus::Active) {
        return Result<void>::failure(ErrorCode::Usage,
                                     KeyStoreText::tr("\"%1\" is the active key of set \"%2\": rotate the set first")
                                         .arg(found->name, found->keySet));
    }
    found->status = KeyStatus::Retired;
    return writeIndex(std::move(records));
}

Result<std::vector<KeyRecord>> KeyStore::addRemote(const RemoteKeySet& remote)
{
    using R = Result<std::vector<KeyRecord>>;
    auto fresh = KeyIndex::read(m_indexPath);
    if (!fresh)
        return fresh.error();
    const QString keySet = remote.keySet.isEmpty() ? QUrl(remote.source).host() : remote.keySet;
    std::vector<KeyRecord> added;
    int position = 0;
    for (const Key& fetched : remote.keys) {
        ++position;
        if (fetched.type() == KeyType::Oct) {
            return R::failure(ErrorCode::KeyInvalid,
                              KeyStoreText::tr("key %1 of %2 is an HMAC secret; a published key set must hold public "
                                               "keys only")
                                  .arg(position)
                                  .arg(remote.source));
        }
        const Key key = fetched.hasPrivate() ? fetched.publicOnly() : fetched;
        KeyRecord record = describeKey(key);
        record.id = newId();
        record.kid = key.metadata.kid.isEmpty() ? record.thumbprint : key.metadata.kid;
        record.alg = key.metadata.alg.isEmpty() ? defaultAlgForKey(key) : key.metadata.alg;
        record.name = QStringLiteral("%1 %2").arg(keySet, record.kid.left(16));
        record.keySet = keySet;
        record.status = KeyStatus::VerifyOnly;
        record.hasSecret = false;
        record.created = remote.fetched;
        record.remote = true;
        record.source = remote.source;
        record.fetched = remote.fetched;
        record.jwksUrl = remote.jwksUrl.isEmpty() ? remote.source : remote.jwksUrl;
        added.push_back(record);
    }
    std::vector<KeyRecord> records = std::move(fresh).value();
    std::erase_if(records, [&](const KeyRecord& other) { return other.remote && other.source == remote.source; });
    records.insert(records.end(), added.begin(), added.end());
    if (auto written = writeIndex(std::move(records)); !written)
        return written.error();
    return added;
}

void KeyStore::loadPrivate(const QString& id, QObject* context, std::function<void(Result<Key>)> done)
{
    const auto found = record(id);
    if (!found) {
        done(notFound(KeyStoreText::tr("no key in the key store has the id %1").arg(id)));
        return;
    }
    if (!found->hasSecret) {
        done(notFound(KeyStoreText::tr("\"%1\" is a public key: there is no private key to read").arg(found->name)));
        return;
    }
    const KeyRecord copy = *found;
    m_keychain.read(copy.keychainEntry(), context, [copy, done](Result<SecretBytes> secret) {
        if (!secret) {
            done(secret.error());
            return;
        }
        done(keyFromSecret(copy, *secret));
    });
}

void KeyStore::loadVerificationKeys(const QString& kid, QObject* context,
                                    std::function<void(Result<std::vector<Key>>)> done)
{
    if (auto reloaded = reload(); !reloaded) {
        done(reloaded.error());
        return;
    }
    auto keys = std::make_shared<std::vector<Key>>();
    auto secrets = std::make_shared<std::vector<KeyRecord>>();
    for (const KeyRecord& record : m_records) {
        if (!record.inJwks() || (!kid.isEmpty() && record.kid != kid))
            continue;
        if (!record.publicJwk.isEmpty()) {
            auto key = record.publicKey();
            if (!key) {
                done(Error{key.code(), KeyStoreText::tr("key \"%1\": %2").arg(record.name, key.message())});
                return;
            }
            keys->push_back(std::move(key).value());
        } else if (record.hasSecret) {
            secrets->push_back(record);
        }
    }
    if (keys->empty() && secrets->empty()) {
        done(notFound(kid.isEmpty() ? KeyStoreText::tr("the key store has no key to verify with")
                                    : KeyStoreText::tr("no key in the key store has the kid \"%1\"").arg(kid)));
        return;
    }
    // HMAC secrets are read one after another; the public keys need no keychain at all. Each pending read holds
    // the next step alive; the step itself holds only a weak reference, so the chain frees itself when it ends.
    auto step = std::make_shared<std::function<void()>>();
    std::weak_ptr<std::function<void()>> weakStep = step;
    QPointer<KeyStore> self(this);
    *step = [self, keys, secrets, weakStep, context, done]() {
        if (!self)
            return;
        if (secrets->empty()) {
            done(*keys);
            return;
        }
        const KeyRecord record = secrets->back();
        secrets->pop_back();
        auto strongStep = weakStep.lock();
        self->m_keychain.read(
            record.keychainEntry(), context, [record, keys, strongStep, done](Result<SecretBytes> secret) {
                if (!secret) {
                    done(Error{secret.code(), KeyStoreText::tr("key \"%1\": %2").arg(record.name, secret.message())});
                    return;
                }
                auto key = keyFromSecret(record, *secret);
                if (!key) {
                    done(key.error());
                    return;
                }
                keys->push_back(std::move(key).value());
                (*strongStep)();
            });
    };
    (*step)();
}

} // namespace jwti

#include "keystore/KeyStore.h"

#include "core/crypto/ContentEncryption.h"
#include "core/crypto/KeyFormats.h"
#include "core/crypto/KeyPolicy.h"
#include "core/crypto/Signature.h"
#include "core/jose/Algorithms.h"
#include "core/jose/Jwk.h"
#include "keystore/KeyIndex.h"
#include "keystore/SecretPack.h"

#include <QCoreApplication>
#include <QFutureWatcher>
#include <QJsonArray>
#include <QLockFile>
#include <QPointer>
#include <QUrl>
#include <QUuid>
#include <QtConcurrent/QtConcurrentRun>
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

Error notFound(const QString& what)
{
    return Error{ErrorCode::KeyNotFound, what};
}

// A key set holds keys of one use: its active key is the one that signs (or that tokens are encrypted to), its JWKS
// is published for one purpose, and a rotation replaces like with like.
Result<void> checkSameUse(const KeyRecord& other, const KeyRecord& record)
{
    if (other.keySet != record.keySet || other.use == record.use || other.deleting)
        return {};
    return Result<void>::failure(ErrorCode::KeyMismatch,
                                 record.use == KeyUse::Encryption
                                     ? KeyStoreText::tr("key set \"%1\" holds signing keys: keep encryption keys in "
                                                        "a set of their own")
                                           .arg(record.keySet)
                                     : KeyStoreText::tr("key set \"%1\" holds encryption keys: keep signing keys in "
                                                        "a set of their own")
                                           .arg(record.keySet));
}

// An upper bound of what secretMaterial writes for key: PKCS#8 DER of an RSA key with its CRT values is under five
// times the modulus; EC and OKP keys stay under 250 bytes.
qsizetype secretSizeBound(const Key& key)
{
    switch (key.type()) {
    case KeyType::Oct:
        return key.secret().size();
    case KeyType::Rsa:
        return qsizetype(key.bits()) / 8 * 5 + 64;
    default:
        return 256;
    }
}

// Many secrets stored at once share packs (SecretPack.h); a few keep an entry each. Every call starts fresh packs, so
// a retried key never rewrites a pack that other keys of its first attempt may share.
void assignSecretPacks(std::vector<PendingKey>& items)
{
    for (PendingKey& item : items)
        item.record.secretPack.clear();
    const auto secrets
        = std::count_if(items.begin(), items.end(), [](const PendingKey& item) { return item.record.hasSecret; });
    if (secrets < kSecretPackFrom)
        return;
    QString pack;
    int members = 0;
    qsizetype bytes = 0;
    for (PendingKey& item : items) {
        if (!item.record.hasSecret)
            continue;
        const qsizetype size = secretSizeBound(item.key) + 64;
        if (pack.isEmpty() || members == kSecretPackMaxMembers || bytes + size > kSecretPackMaxBytes) {
            pack = newId();
            members = 0;
            bytes = 0;
        }
        item.record.secretPack = pack;
        ++members;
        bytes += size;
    }
}

// record's secret from what its keychain entry held: the entry itself, or record's member of the pack.
Result<SecretBytes> secretOf(const KeyRecord& record, Result<SecretBytes> entry)
{
    if (!entry || record.secretPack.isEmpty())
        return entry;
    auto member = secretPackMember(*entry, record.id);
    if (!member && member.code() == ErrorCode::KeyNotFound)
        return Error{ErrorCode::KeyNotFound,
                     keychainProblemMessage(KeychainProblem::NotFound) + QStringLiteral(" (") + member.message()
                         + QLatin1Char(')')};
    return member;
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
    // What the key's own JWK allows decides before anything the caller asks for: a key that says "use": "enc" (or
    // key_ops wrapKey…) is never stored for signing, and the reverse.
    auto said = keyUseFromMetadata(key.metadata);
    if (!said)
        return said.error();
    QString askedAlg = !options.alg.isEmpty() ? options.alg : key.metadata.alg;
    QString askedEnc = options.enc;
    // RFC 7518 §4.5 leaves a dir key's "alg" open; some JWKs name the enc whose CEK the key is instead.
    if (options.alg.isEmpty() && findEnc(askedAlg)) {
        askedEnc = askedAlg;
        askedAlg = QStringLiteral("dir");
    }
    std::optional<KeyUse> use = options.use;
    if (!use && !askedAlg.isEmpty())
        use = algUse(askedAlg);
    if (!use)
        use = said->value_or(KeyUse::Signing);
    if (said->has_value() && **said != *use)
        return R::failure(
            ErrorCode::KeyUseForbidden,
            KeyStoreText::tr("the key's JWK allows only %1, so it cannot be kept for %2")
                .arg(**said == KeyUse::Signing ? KeyStoreText::tr("signing") : KeyStoreText::tr("encryption"),
                     *use == KeyUse::Signing ? KeyStoreText::tr("signing") : KeyStoreText::tr("encryption")));
    const QString algName = !askedAlg.isEmpty() ? askedAlg : defaultAlgForKey(key, *use);
    if (algName.isEmpty())
        return R::failure(
            ErrorCode::KeyMismatch,
            KeyStoreText::tr("a %1 cannot be kept for %2")
                .arg(key.description(),
                     *use == KeyUse::Signing ? KeyStoreText::tr("signing") : KeyStoreText::tr("encryption")));
    if (algUse(algName) != *use)
        return R::failure(ErrorCode::AlgUnknown,
                          *use == KeyUse::Signing
                              ? KeyStoreText::tr("\"%1\" is not a signing algorithm").arg(algName)
                              : KeyStoreText::tr("\"%1\" is not a JWE key-management algorithm").arg(algName));
    if (auto fits = checkKeyServesAlg(key, algName, algName == QLatin1String("dir") ? askedEnc : QString()); !fits)
        return fits.error();

    KeyRecord record = describeKey(key, algName);
    record.id = newId();
    record.alg = algName;
    record.use = *use;
    if (algName == QLatin1String("dir")) {
        const EncInfo* enc = askedEnc.isEmpty() ? directEncForSecretBytes(key.secret().size()) : findEnc(askedEnc);
        if (!enc || enc->cekBytes != key.secret().size())
            return R::failure(ErrorCode::KeyMismatch,
                              KeyStoreText::tr("a dir key of %1 bits is not the CEK of %2")
                                  .arg(key.secret().size() * 8)
                                  .arg(askedEnc));
        record.enc = enc->displayName();
    }
    record.keySet = !options.keySet.isEmpty() ? options.keySet
        : *use == KeyUse::Signing             ? QStringLiteral("default")
                                              : QStringLiteral("encryption");
    record.name = options.name.isEmpty() ? record.description : options.name;
    record.kid = !options.kid.isEmpty() ? options.kid
        : !key.metadata.kid.isEmpty()   ? key.metadata.kid
                                        : defaultKid(key);
    if (auto valid = checkKid(record.kid); !valid)
        return R::failure(ErrorCode::KeyInvalid, KeyStoreText::tr("kid \"%1\": %2").arg(record.kid, valid.message()));
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
        if (auto mixed = checkSameUse(other, record); !mixed)
            return mixed.error();
    }
    return record;
}

Result<void> KeyStore::commit(const KeyIndex::Change& change)
{
    auto written = KeyIndex::transact(m_indexPath, change);
    if (!written)
        return written.error();
    m_records = std::move(written->records);
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

namespace {

// The records' part of an add, run inside the index transaction: the status and the kid check read the index as it
// is now, not as it was when the add began, so parallel writers never make two active keys or two equal kids.
Result<void> appendRecords(KeyIndexDocument& document, std::vector<KeyRecord>& records)
{
    for (KeyRecord& record : records) {
        for (const KeyRecord& other : document.records) {
            if (other.id == record.id)
                return Error{ErrorCode::KeyAmbiguous,
                             KeyStoreText::tr("the index already has a key with the id %1").arg(record.id)};
            if (other.keySet == record.keySet && other.kid == record.kid && !other.deleting) {
                return Error{ErrorCode::KeyAmbiguous,
                             KeyStoreText::tr("key set \"%1\" already has a key with kid \"%2\" (\"%3\")")
                                 .arg(record.keySet, record.kid, other.name)};
            }
            if (auto mixed = checkSameUse(other, record); !mixed)
                return mixed.error();
        }
        if (record.status == KeyStatus::Active || record.status == KeyStatus::VerifyOnly) {
            const bool setHasActive
                = std::any_of(document.records.begin(), document.records.end(), [&](const KeyRecord& other) {
                      return other.keySet == record.keySet && other.status == KeyStatus::Active;
                  });
            record.status
                = record.hasSecret && !record.remote && !setHasActive ? KeyStatus::Active : KeyStatus::VerifyOnly;
        }
        document.records.push_back(record);
    }
    return {};
}

} // namespace

void KeyStore::removeSecrets(std::vector<QString> entries, QObject* context, std::function<void(QStringList)> done)
{
    auto remaining = std::make_shared<std::vector<QString>>(std::move(entries));
    auto failures = std::make_shared<QStringList>();
    auto step = std::make_shared<std::function<void()>>();
    std::weak_ptr<std::function<void()>> weakStep = step;
    QPointer<KeyStore> self(this);
    *step = [self, remaining, failures, weakStep, context, done]() {
        if (!self)
            return;
        if (remaining->empty()) {
            done(*failures);
            return;
        }
        const QString entry = remaining->back();
        remaining->pop_back();
        auto strongStep = weakStep.lock();
        self->m_keychain.remove(entry, context, [entry, failures, strongStep](Result<void> removed) {
            if (!removed)
                failures->append(QStringLiteral("%1 (%2)").arg(entry, removed.message()));
            (*strongStep)();
        });
    };
    (*step)();
}

void KeyStore::storeSecretsThenCommit(std::vector<PendingKey> items, KeyIndex::Change change, QObject* context,
                                      VoidDone done)
{
    // One keychain write per entry: a key's own, or a pack with all its members.
    struct Write
    {
        QString entry;
        std::vector<std::size_t> members; // indexes into items
    };
    struct State
    {
        std::vector<PendingKey> items;
        std::vector<Write> writes;
        std::size_t next = 0;
        int inFlight = 0;
        std::optional<Error> failure;
        std::vector<QString> written;
    };
    auto state = std::make_shared<State>();
    state->items = std::move(items);
    QHash<QString, std::size_t> packWrite;
    for (std::size_t i = 0; i < state->items.size(); ++i) {
        const KeyRecord& record = state->items[i].record;
        if (!record.hasSecret)
            continue;
        if (record.secretPack.isEmpty()) {
            state->writes.push_back({record.keychainEntry(), {i}});
            continue;
        }
        const auto known = packWrite.constFind(record.secretPack);
        if (known != packWrite.constEnd()) {
            state->writes[*known].members.push_back(i);
        } else {
            packWrite.insert(record.secretPack, state->writes.size());
            state->writes.push_back({record.keychainEntry(), {i}});
        }
    }
    QPointer<KeyStore> self(this);
    // Undoes the secrets written so far, then answers error (with the entries that could not be undone).
    auto rollBack = [self, state, context, done](const Error& error) {
        if (!self)
            return;
        if (state->written.empty()) {
            done(error);
            return;
        }
        self->removeSecrets(state->written, context, [error, done](const QStringList& leftOver) {
            if (leftOver.isEmpty()) {
                done(error);
                return;
            }
            done(Error{error.code,
                       KeyStoreText::tr("%1; %2 secret(s) that may have reached the keychain could not be removed "
                                        "again (%3): jwt-inspector keys check finds them")
                           .arg(error.message)
                           .arg(leftOver.size())
                           .arg(leftOver.join(QStringLiteral(", ")))});
        });
    };
    // Several writes are in flight at once (a batch of a thousand keys would otherwise wait a thousand round trips);
    // the index is committed only when every one has answered, and on the first failure the rest are not started.
    constexpr int maxInFlight = 8;
    auto pump = std::make_shared<std::function<void()>>();
    std::weak_ptr<std::function<void()>> weakPump = pump;
    *pump = [self, state, weakPump, context, change, done, rollBack]() {
        if (!self)
            return;
        auto strongPump = weakPump.lock();
        while (!state->failure && state->inFlight < maxInFlight && state->next < state->writes.size()) {
            const Write& write = state->writes[state->next++];
            const PendingKey& first = state->items[write.members.front()];
            Result<SecretBytes> material = SecretBytes();
            if (first.record.secretPack.isEmpty()) {
                material = secretMaterial(first.key);
            } else {
                std::vector<SecretPackMember> members;
                for (const std::size_t i : write.members) {
                    auto secret = secretMaterial(state->items[i].key);
                    if (!secret) {
                        material = secret.error();
                        break;
                    }
                    members.push_back({state->items[i].record.id, std::move(secret).value()});
                }
                if (material)
                    material = encodeSecretPack(members);
            }
            if (!material) {
                state->failure = material.error();
                break;
            }
            const QString entry = write.entry;
            ++state->inFlight;
            self->m_keychain.write(entry, *material, context, [state, entry, strongPump](Result<void> stored) {
                --state->inFlight;
                // A write that timed out or failed midway may still have left an item: it is removed with the
                // rest. A locked or absent keychain took nothing.
                const KeychainProblem problem = stored ? KeychainProblem::Other : keychainProblemOf(stored.error());
                if (problem != KeychainProblem::Locked && problem != KeychainProblem::Denied
                    && problem != KeychainProblem::NoService)
                    state->written.push_back(entry);
                if (!stored && !state->failure)
                    state->failure = stored.error();
                (*strongPump)();
            });
        }
        if (state->inFlight > 0)
            return;
        if (state->failure) {
            rollBack(*state->failure);
            return;
        }
        if (state->next < state->writes.size())
            return;
        if (auto committed = self->commit(change); !committed) {
            rollBack(committed.error());
            return;
        }
        done(Result<void>());
    };
    if (auto writable = KeyIndex::checkWritable(m_indexPath); !writable) {
        done(writable.error());
        return;
    }
    (*pump)();
}

void KeyStore::add(const Key& key, const NewKeyOptions& options, QObject* context, RecordDone done)
{
    addMany({{key, options}}, context, [done](Result<std::vector<KeyRecord>> stored) {
        if (!stored)
            done(stored.error());
        else
            done(stored->front());
    });
}

void KeyStore::addMany(const std::vector<std::pair<Key, NewKeyOptions>>& keys, QObject* context, RecordsDone done)
{
    if (auto reloaded = reload(); !reloaded) {
        done(reloaded.error());
        return;
    }
    std::vector<PendingKey> items;
    for (const auto& [key, options] : keys) {
        auto prepared = prepare(key, options);
        if (!prepared) {
            done(prepared.error());
            return;
        }
        items.push_back(PendingKey{std::move(prepared).value(), key, {}, false, {}});
    }
    finishAdd(std::move(items), context, std::move(done));
}

void KeyStore::finishAdd(std::vector<PendingKey> items, QObject* context, RecordsDone done)
{
    assignSecretPacks(items);
    auto records = std::make_shared<std::vector<KeyRecord>>();
    for (const PendingKey& item : items)
        records->push_back(item.record);
    auto change = [records](KeyIndexDocument& document) { return appendRecords(document, *records); };
    QPointer<KeyStore> self(this);
    storeSecretsThenCommit(items, change, context, [self, items, records, done](Result<void> stored) {
        if (!self)
            return;
        if (!stored) {
            // Kept in memory, so the user can retry or export it encrypted: nothing is lost.
            for (const PendingKey& item : items)
                self->keepPending(PendingKey{item.record, item.key, stored.error(), false, {}});
            done(stored.error());
            return;
        }
        for (const PendingKey& item : items)
            self->dropPending(item.record.id);
        done(*records);
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
    options.use = active->use;
    options.enc = active->enc;
    options.kid = chosen.kid;
    options.name = !chosen.name.isEmpty() ? chosen.name : rotatedKeyName(keySet, active->name, QDate::currentDate());
    options.source = KeyStoreText::tr("rotation of %1").arg(active->name);
    Key key = newKey;
    key.metadata.kid.clear();
    key.metadata.alg.clear();
    key.metadata.use.clear();
    key.metadata.keyOps.clear();
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
    // One transaction flips both keys, so the set is either as it was or fully rotated.
    auto change = [record, retireAfter](KeyIndexDocument& document) -> Result<void> {
        auto old = std::find_if(document.records.begin(), document.records.end(),
                                [&](const KeyRecord& other) { return other.id == record.rotatedFrom; });
        if (old == document.records.end() || old->status != KeyStatus::Active || old->keySet != record.keySet
            || old->deleting) {
            return Error{ErrorCode::KeyNotFound,
                         KeyStoreText::tr("key set \"%1\" changed during the rotation; its active key is no longer "
                                          "the one being replaced")
                             .arg(record.keySet)};
        }
        old->status = KeyStatus::VerifyOnly;
        old->retireAfter = retireAfter;
        old->rotatedTo = record.id;
        for (const KeyRecord& other : document.records) {
            if (other.id == record.id || (other.keySet == record.keySet && other.kid == record.kid)) {
                return Error{ErrorCode::KeyAmbiguous,
                             KeyStoreText::tr("key set \"%1\" already has a key with kid \"%2\"")
                                 .arg(record.keySet, record.kid)};
            }
        }
        document.records.push_back(record);
        return {};
    };
    QPointer<KeyStore> self(this);
    storeSecretsThenCommit({PendingKey{record, key, {}, true, retireAfter}}, change, context,
                           [self, record, key, retireAfter, done](Result<void> stored) {
                               if (!self)
                                   return;
                               if (!stored) {
                                   self->keepPending(PendingKey{record, key, stored.error(), true, retireAfter});
                                   done(stored.error());
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
    if (copy.rotation) {
        finishRotate(copy.record, copy.key, copy.retireAfter, context, std::move(done));
        return;
    }
    finishAdd({copy}, context, [done](Result<std::vector<KeyRecord>> stored) {
        if (!stored)
            done(stored.error());
        else
            done(stored->front());
    });
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
    auto setDeleting = [id](bool deleting) {
        return [id, deleting](KeyIndexDocument& document) -> Result<void> {
            for (KeyRecord& record : document.records) {
                if (record.id == id) {
                    record.deleting = deleting;
                    return {};
                }
            }
            return Error{ErrorCode::KeyNotFound, KeyStoreText::tr("no key in the key store has the id %1").arg(id)};
        };
    };
    auto eraseEntry = [id](KeyIndexDocument& document) -> Result<void> {
        std::erase_if(document.records, [&](const KeyRecord& other) { return other.id == id; });
        return {};
    };
    if (!found->hasSecret) {
        done(commit(eraseEntry));
        return;
    }
    if (auto marked = commit(setDeleting(true)); !marked) {
        done(marked);
        return;
    }
    QPointer<KeyStore> self(this);
    auto removeSecret = [this, found, context](VoidDone removed) {
        if (found->secretPack.isEmpty())
            m_keychain.remove(found->keychainEntry(), context, std::move(removed));
        else
            removeFromPack(found->secretPack, found->id, context, std::move(removed));
    };
    removeSecret([self, done, eraseEntry, unmark = setDeleting(false)](Result<void> removed) {
        if (!self)
            return;
        if (!removed) {
            // The keychain still holds the secret: the key stays whole and usable.
            if (auto restored = self->commit(unmark); !restored) {
                done(Error{removed.code(),
                           KeyStoreText::tr("%1; the key stays marked as being deleted (%2): "
                                            "jwt-inspector keys check --repair finishes the delete")
                               .arg(removed.message(), restored.message())});
                return;
            }
            done(removed);
            return;
        }
        if (auto erased = self->commit(eraseEntry); !erased) {
            done(Error{erased.code(),
                       KeyStoreText::tr("the secret was removed from the keychain, but the index "
                                        "entry stays, marked as being deleted: %1; jwt-inspector keys "
                                        "check --repair finishes the delete")
                           .arg(erased.message())});
            return;
        }
        done(Result<void>());
    });
}

Result<void> KeyStore::retire(const QString& id)
{
    return commit([id](KeyIndexDocument& document) -> Result<void> {
        auto found = std::find_if(document.records.begin(), document.records.end(),
                                  [&](const KeyRecord& other) { return other.id == id; });
        if (found == document.records.end())
            return notFound(KeyStoreText::tr("no key in the key store has the id %1").arg(id));
        if (found->status == KeyStatus::Active) {
            return Result<void>::failure(
                ErrorCode::Usage,
                KeyStoreText::tr("\"%1\" is the active key of set \"%2\": rotate the set first")
                    .arg(found->name, found->keySet));
        }
        found->status = KeyStatus::Retired;
        return {};
    });
}

Result<std::vector<KeyRecord>> KeyStore::addRemote(const RemoteKeySet& remote)
{
    using R = Result<std::vector<KeyRecord>>;
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
        // An issuer's JWKS may publish its encryption keys beside its signing keys: each is kept for its own use.
        auto said = keyUseFromMetadata(key.metadata);
        if (!said)
            return R::failure(said.code(),
                              KeyStoreText::tr("key %1 of %2: %3").arg(position).arg(remote.source, said.message()));
        const KeyUse use = said->value_or(algUse(key.metadata.alg).value_or(KeyUse::Signing));
        KeyRecord record = describeKey(key);
        record.id = newId();
        record.use = use;
        record.kid = key.metadata.kid.isEmpty() ? defaultKid(key) : key.metadata.kid;
        record.alg = key.metadata.alg.isEmpty() ? defaultAlgForKey(key, use) : key.metadata.alg;
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
    auto written = commit([&](KeyIndexDocument& document) -> Result<void> {
        std::erase_if(document.records,
                      [&](const KeyRecord& other) { return other.remote && other.source == remote.source; });
        document.records.insert(document.records.end(), added.begin(), added.end());
        return {};
    });
    if (!written)
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
    readSecret(copy, context, [copy, done](Result<SecretBytes> secret) {
        if (!secret) {
            // The index names a secret the keychain does not have: a keychain failure (exit 3) like any other.
            done(Error{ErrorCode::Keychain, secret.message()});
            return;
        }
        done(keyFromSecret(copy, *secret));
    });
}

void KeyStore::loadVerificationKeys(const QString& kid, QObject* context,
                                    std::function<void(Result<std::vector<Key>>)> done)
{
    KeyQuery query;
    query.kid = kid;
    loadKeys(query, context, [done](Result<LoadedKeys> loaded) {
        if (!loaded)
            done(loaded.error());
        else
            done(std::move(loaded->keys));
    });
}

namespace {

// Whether a record serves alg: its own alg when it names one (a key set signs with one alg, RFC 7517 §4.4), else
// the alg table's key type.
bool servesAlg(const KeyRecord& record, const QString& algName)
{
    if (!record.alg.isEmpty())
        return record.alg == algName;
    const AlgInfo* alg = findAlg(algName);
    if (!alg)
        return false;
    switch (alg->scheme) {
    case SignatureScheme::Hmac:
        return record.keyType() == KeyType::Oct;
    case SignatureScheme::RsaPkcs1:
    case SignatureScheme::RsaPss:
        return record.keyType() == KeyType::Rsa;
    case SignatureScheme::Ecdsa:
        return record.keyType() == KeyType::Ec
            && (!alg->curve || record.publicJwk.value(QStringLiteral("crv")).toString() == QLatin1String(alg->curve));
    case SignatureScheme::EdDsa:
        return record.keyType() == KeyType::Okp;
    case SignatureScheme::None:
        break;
    }
    return false;
}

KeyProvenance provenanceOf(const KeyRecord& record)
{
    KeyProvenance provenance;
    provenance.kind = record.remote ? KeyProvenance::Kind::RemoteJwks : KeyProvenance::Kind::Keychain;
    provenance.chosenByUser = false;
    provenance.keySet = record.keySet;
    provenance.keyId = record.id;
    provenance.keyName = record.name;
    provenance.status = keyStatusName(record.status);
    if (record.remote) {
        provenance.url = record.jwksUrl;
        provenance.fetched = record.fetched;
    }
    return provenance;
}

} // namespace

std::vector<KeyRecord> KeyStore::candidates(const KeyQuery& query) const
{
    std::vector<KeyRecord> selected;
    for (const KeyRecord& record : m_records) {
        if (record.deleting)
            continue;
        if (query.purpose == KeyPurpose::Verify
                ? !record.inJwks()
                : (!record.hasSecret || record.remote || record.status == KeyStatus::Retired))
            continue;
        if (record.use != query.use)
            continue;
        if (!query.kid.isEmpty() && record.kid != query.kid)
            continue;
        if (!query.alg.isEmpty() && !servesAlg(record, query.alg))
            continue;
        if (!query.keySet.isEmpty() && record.keySet != query.keySet)
            continue;
        selected.push_back(record);
    }
    return selected;
}

void KeyStore::loadKeys(const KeyQuery& query, QObject* context, std::function<void(Result<LoadedKeys>)> done)
{
    if (auto reloaded = reload(); !reloaded) {
        done(reloaded.error());
        return;
    }
    const std::vector<KeyRecord> selected = candidates(query);
    if (selected.empty()) {
        QString message;
        if (m_records.empty())
            message
                = KeyStoreText::tr("the key store is empty: add a key with jwt-inspector keys generate or keys import");
        else if (!query.kid.isEmpty())
            message = KeyStoreText::tr("no key in the key store has the kid \"%1\"").arg(query.kid);
        else if (!query.alg.isEmpty())
            message = KeyStoreText::tr("no key in the key store serves %1").arg(query.alg);
        else if (query.use == KeyUse::Encryption)
            message = query.purpose == KeyPurpose::Verify
                ? KeyStoreText::tr("the key store has no encryption key to encrypt to")
                : KeyStoreText::tr("the key store has no encryption key to decrypt with");
        else
            message = query.purpose == KeyPurpose::Verify
                ? KeyStoreText::tr("the key store has no key to verify with")
                : KeyStoreText::tr("the key store has no private key to sign with");
        if (!query.keySet.isEmpty() && !m_records.empty())
            message += KeyStoreText::tr(" in the set \"%1\"").arg(query.keySet);
        if (!query.kid.isEmpty() && !query.alg.isEmpty() && !m_records.empty()) {
            KeyQuery byKid = query;
            byKid.alg.clear();
            if (!candidates(byKid).empty())
                message = KeyStoreText::tr("the key with kid \"%1\" does not serve %2").arg(query.kid, query.alg);
        }
        done(notFound(message));
        return;
    }
    auto loaded = std::make_shared<LoadedKeys>();
    auto secrets = std::make_shared<std::vector<KeyRecord>>();
    for (const KeyRecord& record : selected) {
        const bool needsSecret = query.purpose == KeyPurpose::Sign || record.publicJwk.isEmpty();
        if (needsSecret) {
            if (record.hasSecret)
                secrets->push_back(record);
            continue;
        }
        auto key = record.publicKey();
        if (!key) {
            loaded->skipped.push_back(
                Error{key.code(), KeyStoreText::tr("key \"%1\": %2").arg(record.name, key.message())});
            continue;
        }
        key->metadata.provenance = provenanceOf(record);
        loaded->keys.push_back(std::move(key).value());
    }
    // Secrets are read one after another, in the index's order. Each pending read holds the next step alive; the
    // step itself holds only a weak reference, so the chain frees itself when it ends.
    std::reverse(secrets->begin(), secrets->end());
    // A pack is read once however many of its members are loaded.
    auto packs = std::make_shared<QHash<QString, Result<SecretBytes>>>();
    auto step = std::make_shared<std::function<void()>>();
    std::weak_ptr<std::function<void()>> weakStep = step;
    QPointer<KeyStore> self(this);
    *step = [self, loaded, secrets, packs, weakStep, context, done]() {
        if (!self)
            return;
        if (secrets->empty()) {
            if (loaded->keys.empty() && !loaded->skipped.empty())
                done(loaded->skipped.front());
            else
                done(std::move(*loaded));
            return;
        }
        const KeyRecord record = secrets->back();
        secrets->pop_back();
        auto strongStep = weakStep.lock();
        auto take = [record, loaded, strongStep](Result<SecretBytes> secret) {
            if (!secret) {
                // The index names a secret the keychain does not have: a keychain failure (exit 3), not a
                // key the user got wrong.
                const bool missing = secret.code() == ErrorCode::KeyNotFound;
                loaded->skipped.push_back(
                    Error{missing ? ErrorCode::Keychain : secret.code(),
                          KeyStoreText::tr("key \"%1\" (kid %2): %3%4")
                              .arg(record.name, record.kid, secret.message(),
                                   missing ? KeyStoreText::tr(" (jwt-inspector keys check finds such entries)")
                                           : QString())});
            } else if (auto key = keyFromSecret(record, *secret); !key) {
                loaded->skipped.push_back(
                    Error{key.code(),
                          KeyStoreText::tr("key \"%1\" (kid %2): %3").arg(record.name, record.kid, key.message())});
            } else {
                key->metadata.provenance = provenanceOf(record);
                loaded->keys.push_back(std::move(key).value());
            }
            (*strongStep)();
        };
        if (!record.secretPack.isEmpty()) {
            if (const auto cached = packs->constFind(record.secretPack); cached != packs->constEnd()) {
                take(secretOf(record, *cached));
                return;
            }
        }
        self->m_keychain.read(record.keychainEntry(), context, [record, packs, take](Result<SecretBytes> entry) {
            if (!record.secretPack.isEmpty())
                packs->insert(record.secretPack, entry);
            take(secretOf(record, std::move(entry)));
        });
    };
    (*step)();
}

Result<KeyRecord> KeyStore::selectSigningKey(const QString& alg, const QString& kid, const QString& keySet) const
{
    using R = Result<KeyRecord>;
    if (m_records.empty())
        return notFound(
            KeyStoreText::tr("the key store is empty: add a key with jwt-inspector keys generate or keys import"));
    if (!kid.isEmpty()) {
        std::vector<KeyRecord> matches;
        for (const KeyRecord& record : m_records) {
            if (record.kid == kid && !record.deleting && (keySet.isEmpty() || record.keySet == keySet))
                matches.push_back(record);
        }
        if (matches.empty())
            return notFound(KeyStoreText::tr("no key in the key store has the kid \"%1\"").arg(kid));
        if (matches.size() > 1) {
            return R::failure(ErrorCode::KeyAmbiguous,
                              KeyStoreText::tr("%1 key sets have a key with kid \"%2\": choose one with --set")
                                  .arg(matches.size())
                                  .arg(kid));
        }
        const KeyRecord& record = matches.front();
        if (record.isEncryptionKey())
            return R::failure(ErrorCode::KeyUseForbidden,
                              KeyStoreText::tr("\"%1\" (kid %2) is an encryption key (%3): it never signs")
                                  .arg(record.name, kid, record.alg));
        if (!record.hasSecret || record.remote) {
            return R::failure(
                ErrorCode::KeyInvalid,
                KeyStoreText::tr("\"%1\" (kid %2) is a public key: it cannot sign").arg(record.name, kid));
        }
        if (record.status == KeyStatus::Retired)
            return R::failure(ErrorCode::KeyInvalid,
                              KeyStoreText::tr("\"%1\" (kid %2) is retired: it no longer signs").arg(record.name, kid));
        if (!alg.isEmpty() && !servesAlg(record, alg)) {
            return R::failure(
                ErrorCode::AlgMismatch,
                KeyStoreText::tr("\"%1\" (kid %2) is kept for %3, not %4").arg(record.name, kid, record.alg, alg));
        }
        return record;
    }
    if (!keySet.isEmpty()) {
        const auto active = activeKey(keySet);
        if (!active || active->deleting)
            return notFound(KeyStoreText::tr("key set \"%1\" has no active key").arg(keySet));
        if (active->isEncryptionKey())
            return R::failure(ErrorCode::KeyUseForbidden,
                              KeyStoreText::tr("key set \"%1\" holds encryption keys: they never sign").arg(keySet));
        if (!active->hasSecret || active->remote)
            return R::failure(ErrorCode::KeyInvalid,
                              KeyStoreText::tr("the active key of set \"%1\" has no private part").arg(keySet));
        if (!alg.isEmpty() && !servesAlg(*active, alg)) {
            return R::failure(ErrorCode::AlgMismatch,
                              KeyStoreText::tr("the active key of set \"%1\" (kid %2) is kept for %3, not %4")
                                  .arg(keySet, active->kid, active->alg, alg));
        }
        return *active;
    }
    std::vector<KeyRecord> fitting;
    QStringList others;
    for (const KeyRecord& record : m_records) {
        if (record.status != KeyStatus::Active || record.deleting || !record.hasSecret || record.remote
            || record.isEncryptionKey())
            continue;
        if (alg.isEmpty() || servesAlg(record, alg))
            fitting.push_back(record);
        else
            others << QStringLiteral("%1 (%2)").arg(record.keySet, record.alg);
    }
    if (fitting.size() == 1)
        return fitting.front();
    if (fitting.empty()) {
        return notFound(
            others.isEmpty()
                ? KeyStoreText::tr("no key set of the key store has an active private key")
                : KeyStoreText::tr("no key set's active key serves %1 (active keys: %2); name a key with --kid")
                      .arg(alg, others.join(QStringLiteral(", "))));
    }
    for (const KeyRecord& record : fitting) {
        if (record.keySet == QLatin1String("default"))
            return record;
    }
    QStringList sets;
    for (const KeyRecord& record : fitting)
        sets << record.keySet;
    return R::failure(ErrorCode::KeyAmbiguous,
                      KeyStoreText::tr("the active keys of sets %1 all serve %2: choose one with --set")
                          .arg(sets.join(QStringLiteral(", ")), alg));
}

void KeyStore::readSecret(const KeyRecord& record, QObject* context, std::function<void(Result<SecretBytes>)> done)
{
    m_keychain.read(record.keychainEntry(), context,
                    [record, done](Result<SecretBytes> entry) { done(secretOf(record, std::move(entry))); });
}

void KeyStore::removeFromPack(const QString& packId, const QString& id, QObject* context, VoidDone done)
{
    // Held from the read to the write: another process taking out another member waits, so neither puts back a
    // member the other removed. That wait can last seconds, so it runs on a worker thread, never the caller's.
    auto lock = std::make_shared<QLockFile>(m_indexPath + QStringLiteral(".pack-") + packId + QStringLiteral(".lock"));
    lock->setStaleLockTime(60000);
    auto* watcher = new QFutureWatcher<bool>(context);
    QPointer<KeyStore> self(this);
    QObject::connect(
        watcher, &QFutureWatcher<bool>::finished, context, [self, watcher, lock, packId, id, context, done] {
            watcher->deleteLater();
            if (!self)
                return;
            if (!watcher->result()) {
                done(Error{ErrorCode::Io,
                           KeyStoreText::tr("the keychain pack %1 is being changed by another process (%2)")
                               .arg(packId, lock->fileName())});
                return;
            }
            self->removeFromLockedPack(packId, id, lock, context, done);
        });
    watcher->setFuture(QtConcurrent::run([lock] { return lock->tryLock(30000); }));
}

void KeyStore::removeFromLockedPack(const QString& packId, const QString& id, std::shared_ptr<QLockFile> lock,
                                    QObject* context, VoidDone done)
{
    const QString entry = QStringLiteral("pack/") + packId;
    QPointer<KeyStore> self(this);
    m_keychain.read(entry, context, [self, lock, entry, id, context, done](Result<SecretBytes> pack) {
        if (!self)
            return;
        if (!pack) {
            if (keychainProblemOf(pack.error()) == KeychainProblem::NotFound)
                done(Result<void>());
            else
                done(pack.error());
            return;
        }
        auto decoded = decodeSecretPack(*pack);
        if (!decoded) {
            done(decoded.error());
            return;
        }
        auto members = std::make_shared<std::vector<SecretPackMember>>(std::move(decoded).value());
        const auto before = members->size();
        std::erase_if(*members, [&](const SecretPackMember& member) { return member.id == id; });
        auto release = [lock, done](Result<void> changed) {
            lock->unlock();
            done(std::move(changed));
        };
        if (members->size() == before) {
            release(Result<void>());
            return;
        }
        if (members->empty())
            self->m_keychain.remove(entry, context, release);
        else
            self->m_keychain.write(entry, encodeSecretPack(*members), context, release);
    });
}

void KeyStore::loadSigningKey(const KeyRecord& record, QObject* context, std::function<void(Result<Key>)> done)
{
    loadPrivate(record.id, context, [record, done](Result<Key> key) {
        if (!key) {
            done(Error{key.code(),
                       KeyStoreText::tr("key \"%1\" (kid %2): %3").arg(record.name, record.kid, key.message())});
            return;
        }
        key->metadata.provenance = provenanceOf(record);
        done(std::move(key));
    });
}

} // namespace jwti

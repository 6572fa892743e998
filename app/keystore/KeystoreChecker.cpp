#include "keystore/KeystoreChecker.h"

#include "core/crypto/KeyFormats.h"
#include "keystore/SecretPack.h"

#include <QCoreApplication>
#include <QDBusArgument>
#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusMetaType>
#include <QDBusObjectPath>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QHash>
#include <QPointer>
#include <memory>

namespace jwti {

// Q_DECLARE_TR_FUNCTIONS gives lupdate and translate() the same context, "KeystoreChecker", for the messages here.
struct KeystoreCheckerText
{
    Q_DECLARE_TR_FUNCTIONS(KeystoreChecker)
};

namespace {

using AttributeMap = QMap<QString, QString>;
const QString entryPrefix = QStringLiteral("key/");
const QString packPrefix = QStringLiteral("pack/");

Error keychainError(KeychainProblem problem, const QString& detail = {})
{
    QString message = keychainProblemMessage(problem);
    if (!detail.isEmpty() && problem != KeychainProblem::Locked)
        message += QStringLiteral(": ") + detail;
    return Error{ErrorCode::Keychain, message};
}

// Runs asynchronous steps one after another; each calls its argument when it is done.
using Step = std::function<void(std::function<void()>)>;
void runSteps(std::shared_ptr<std::vector<Step>> steps, std::size_t index, std::function<void()> finished)
{
    if (index == steps->size()) {
        finished();
        return;
    }
    (*steps)[index]([steps, index, finished] { runSteps(steps, index + 1, finished); });
}

// What an orphaned secret holds: one private key (PKCS#8 DER, as the store writes them), else an HMAC secret.
Result<Key> keyFromOrphan(const SecretBytes& secret)
{
    if (secret.isEmpty())
        return Error{ErrorCode::KeyInvalid, KeystoreCheckerText::tr("the item is empty")};
    if (auto keys = importKeys(secret.view()); keys && keys->size() == 1 && keys->front().hasPrivate())
        return keys->front();
    return Key::fromSecret(secret);
}

// The entries that name a pack against its members: a member gone is a missing secret, one that is not the key its
// entry says an unreadable one (what loadPrivate would find, without reading the pack once per key).
void checkPackRecords(const QString& entry, const std::vector<KeyRecord>& records,
                      const std::vector<SecretPackMember>& members, std::vector<KeystoreFinding>& findings)
{
    for (const KeyRecord& record : records) {
        if (record.deleting || !record.hasSecret)
            continue;
        KeystoreFinding finding;
        finding.entry = entry;
        finding.keyId = record.id;
        finding.keyName = record.name;
        const auto member = std::find_if(members.begin(), members.end(),
                                         [&](const SecretPackMember& m) { return m.id == record.id; });
        if (member == members.end()) {
            finding.kind = KeystoreFinding::Kind::MissingSecret;
            finding.detail = KeystoreCheckerText::tr("the keychain pack holds no secret for this key");
            findings.push_back(finding);
            continue;
        }
        // The rule loading follows, so check and load never disagree about what is readable.
        if (auto key = keyFromSecret(record, member->secret); !key) {
            finding.kind = KeystoreFinding::Kind::UnreadableSecret;
            finding.detail = key.message();
            findings.push_back(finding);
        }
    }
}

} // namespace

QString KeystoreFinding::describe() const
{
    switch (kind) {
    case Kind::OrphanSecret:
        if (entry.startsWith(packPrefix) && !keyId.isEmpty())
            return KeystoreCheckerText::tr("member %1 of keychain item %2 has no index entry (created %3)")
                .arg(keyId, entry, created.isValid() ? created.toUTC().toString(Qt::ISODate) : QStringLiteral("?"));
        return KeystoreCheckerText::tr("keychain item %1 has no index entry (created %2)")
            .arg(entry, created.isValid() ? created.toUTC().toString(Qt::ISODate) : QStringLiteral("?"));
    case Kind::MissingSecret:
        return KeystoreCheckerText::tr("key \"%1\" (%2): its secret is missing from the keychain (%3)")
            .arg(keyName, keyId, detail);
    case Kind::UnreadableSecret:
        return KeystoreCheckerText::tr("key \"%1\" (%2): its keychain item is unreadable (%3)")
            .arg(keyName, keyId, detail);
    case Kind::InterruptedDelete:
        return KeystoreCheckerText::tr("key \"%1\" (%2): a delete stopped halfway").arg(keyName, keyId);
    }
    return {};
}

void KeystoreChecker::listKeychainItems(const QString& service, QObject* context,
                                        std::function<void(Result<std::vector<KeychainItem>>)> done)
{
    qDBusRegisterMetaType<AttributeMap>();
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected()) {
        done(keychainError(KeychainProblem::NoService, bus.lastError().message()));
        return;
    }
    QDBusMessage call = QDBusMessage::createMethodCall(
        QStringLiteral("org.freedesktop.secrets"), QStringLiteral("/org/freedesktop/secrets"),
        QStringLiteral("org.freedesktop.Secret.Service"), QStringLiteral("SearchItems"));
    call << QVariant::fromValue(AttributeMap{{QStringLiteral("server"), service}});
    auto* watcher = new QDBusPendingCallWatcher(bus.asyncCall(call, 30000), context);
    QObject::connect(watcher, &QDBusPendingCallWatcher::finished, context, [watcher, context, done](auto*) {
        watcher->deleteLater();
        const QDBusPendingReply<QList<QDBusObjectPath>, QList<QDBusObjectPath>> reply = *watcher;
        if (reply.isError()) {
            const QDBusError error = reply.error();
            const bool noService = error.type() == QDBusError::ServiceUnknown || error.type() == QDBusError::NoServer
                || error.type() == QDBusError::Disconnected;
            done(keychainError(noService ? KeychainProblem::NoService : KeychainProblem::Other, error.message()));
            return;
        }
        if (!reply.argumentAt<1>().isEmpty()) {
            done(keychainError(KeychainProblem::Locked));
            return;
        }
        const QList<QDBusObjectPath> paths = reply.argumentAt<0>();
        auto items = std::make_shared<std::vector<KeychainItem>>();
        auto remaining = std::make_shared<qsizetype>(paths.size());
        auto failed = std::make_shared<bool>(false);
        if (paths.isEmpty()) {
            done(*items);
            return;
        }
        for (const QDBusObjectPath& path : paths) {
            QDBusMessage get = QDBusMessage::createMethodCall(QStringLiteral("org.freedesktop.secrets"), path.path(),
                                                              QStringLiteral("org.freedesktop.DBus.Properties"),
                                                              QStringLiteral("GetAll"));
            get << QStringLiteral("org.freedesktop.Secret.Item");
            auto* itemWatcher
                = new QDBusPendingCallWatcher(QDBusConnection::sessionBus().asyncCall(get, 30000), context);
            QObject::connect(itemWatcher, &QDBusPendingCallWatcher::finished, context,
                             [itemWatcher, items, remaining, failed, done](auto*) {
                                 itemWatcher->deleteLater();
                                 const QDBusPendingReply<QVariantMap> properties = *itemWatcher;
                                 if (*failed)
                                     return;
                                 if (properties.isError()) {
                                     *failed = true;
                                     done(keychainError(KeychainProblem::Other, properties.error().message()));
                                     return;
                                 }
                                 const QVariantMap values = properties.value();
                                 const auto attributes
                                     = qdbus_cast<AttributeMap>(values.value(QStringLiteral("Attributes")));
                                 const QString user = attributes.value(QStringLiteral("user"));
                                 if (user.startsWith(entryPrefix) || user.startsWith(packPrefix)) {
                                     KeychainItem item;
                                     item.entry = user;
                                     item.created = QDateTime::fromSecsSinceEpoch(
                                         qint64(values.value(QStringLiteral("Created")).toULongLong()), Qt::UTC);
                                     items->push_back(item);
                                 }
                                 if (--*remaining == 0)
                                     done(*items);
                             });
        }
    });
}

void KeystoreChecker::check(KeyStore& store, QObject* context,
                            std::function<void(Result<std::vector<KeystoreFinding>>)> done)
{
    if (auto reloaded = store.reload(); !reloaded) {
        done(reloaded.error());
        return;
    }
    QPointer<KeyStore> guard(&store);
    listKeychainItems(
        store.keychain().serviceName(), context, [guard, context, done](Result<std::vector<KeychainItem>> listed) {
            if (!guard)
                return;
            if (!listed) {
                done(listed.error());
                return;
            }
            // Read the index again: a store that finished while the keychain was listed is not an orphan.
            if (auto reloaded = guard->reload(); !reloaded) {
                done(reloaded.error());
                return;
            }
            auto findings = std::make_shared<std::vector<KeystoreFinding>>();
            QHash<QString, KeychainItem> byEntry;
            for (const KeychainItem& item : *listed)
                byEntry.insert(item.entry, item);
            QSet<QString> indexed;
            auto steps = std::make_shared<std::vector<Step>>();
            for (const KeyRecord& record : guard->records()) {
                indexed.insert(record.keychainEntry());
                KeystoreFinding finding;
                finding.entry = record.keychainEntry();
                finding.keyId = record.id;
                finding.keyName = record.name;
                if (record.deleting) {
                    finding.kind = KeystoreFinding::Kind::InterruptedDelete;
                    findings->push_back(finding);
                    continue;
                }
                if (!record.hasSecret)
                    continue;
                if (!byEntry.contains(record.keychainEntry())) {
                    finding.kind = KeystoreFinding::Kind::MissingSecret;
                    finding.detail = keychainProblemMessage(KeychainProblem::NotFound);
                    findings->push_back(finding);
                    continue;
                }
                if (!record.secretPack.isEmpty())
                    continue; // read once with its pack, below
                steps->push_back([guard, context, record, finding, findings](std::function<void()> next) mutable {
                    if (!guard)
                        return;
                    guard->loadPrivate(record.id, context, [finding, findings, next](Result<Key> key) mutable {
                        if (!key) {
                            finding.kind = keychainProblemOf(key.error()) == KeychainProblem::NotFound
                                ? KeystoreFinding::Kind::MissingSecret
                                : KeystoreFinding::Kind::UnreadableSecret;
                            finding.detail = key.message();
                            findings->push_back(finding);
                        }
                        next();
                    });
                });
            }
            // A pack is whole when every member has an entry that names it; a member none names is an orphan, like
            // an item of its own that no entry names.
            QHash<QString, std::vector<KeyRecord>> packRecords;
            for (const KeyRecord& record : guard->records()) {
                if (!record.secretPack.isEmpty())
                    packRecords[record.secretPack].push_back(record);
            }
            for (const KeychainItem& item : *listed) {
                if (!item.entry.startsWith(packPrefix))
                    continue;
                const std::vector<KeyRecord> named = packRecords.value(item.entry.mid(packPrefix.size()));
                steps->push_back([guard, context, item, named, findings](std::function<void()> next) {
                    if (!guard)
                        return;
                    guard->keychain().read(
                        item.entry, context, [item, named, findings, next](Result<SecretBytes> pack) {
                            auto members
                                = pack ? decodeSecretPack(*pack) : Result<std::vector<SecretPackMember>>(pack.error());
                            if (!members && named.empty()) {
                                // A pack no entry names and nothing can be read from (a write cut short leaves an
                                // empty item): an orphan with nothing to adopt.
                                KeystoreFinding finding;
                                finding.kind = KeystoreFinding::Kind::OrphanSecret;
                                finding.entry = item.entry;
                                finding.created = item.created;
                                finding.detail = members.message();
                                findings->push_back(finding);
                            } else if (!members) {
                                // Left for the user, like any unreadable secret: the entries still name it.
                                for (const KeyRecord& record : named) {
                                    KeystoreFinding finding;
                                    finding.kind = KeystoreFinding::Kind::UnreadableSecret;
                                    finding.entry = item.entry;
                                    finding.keyId = record.id;
                                    finding.keyName = record.name;
                                    finding.detail = members.message();
                                    findings->push_back(finding);
                                }
                            } else {
                                checkPackRecords(item.entry, named, *members, *findings);
                                for (const SecretPackMember& member : *members) {
                                    if (std::any_of(named.begin(), named.end(),
                                                    [&](const KeyRecord& r) { return r.id == member.id; }))
                                        continue;
                                    KeystoreFinding finding;
                                    finding.kind = KeystoreFinding::Kind::OrphanSecret;
                                    finding.entry = item.entry;
                                    finding.keyId = member.id;
                                    finding.created = item.created;
                                    findings->push_back(finding);
                                }
                            }
                            next();
                        });
                });
            }
            for (const KeychainItem& item : *listed) {
                if (indexed.contains(item.entry) || item.entry.startsWith(packPrefix))
                    continue;
                KeystoreFinding finding;
                finding.kind = KeystoreFinding::Kind::OrphanSecret;
                finding.entry = item.entry;
                finding.keyId = item.entry.mid(entryPrefix.size());
                finding.created = item.created;
                findings->push_back(finding);
            }
            runSteps(steps, 0, [findings, done] { done(*findings); });
        });
}

void KeystoreChecker::repair(KeyStore& store, const std::vector<KeystoreFinding>& findings,
                             const RepairOptions& options, QObject* context,
                             std::function<void(Result<QStringList>)> done)
{
    auto actions = std::make_shared<QStringList>();
    auto steps = std::make_shared<std::vector<Step>>();
    QPointer<KeyStore> guard(&store);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const KeystoreFinding& finding : findings) {
        switch (finding.kind) {
        case KeystoreFinding::Kind::OrphanSecret:
            if (finding.created.isValid() && finding.created.secsTo(now) < options.graceSeconds) {
                actions->append(KeystoreCheckerText::tr("%1: left alone, created %2 s ago (a store may still be in "
                                                        "progress; --grace 0 includes it)")
                                    .arg(finding.entry)
                                    .arg(finding.created.secsTo(now)));
                continue;
            }
            steps->push_back([guard, context, finding, options, actions](std::function<void()> next) {
                if (!guard)
                    return;
                // A pack member is taken out of its pack; a whole unreadable pack (no member id) goes as an item.
                const bool packed = finding.entry.startsWith(packPrefix) && !finding.keyId.isEmpty();
                const QString what = packed ? KeystoreCheckerText::tr("%1 member %2").arg(finding.entry, finding.keyId)
                                            : finding.entry;
                auto remove = [guard, context, finding, packed, what, actions, next](const QString& why) {
                    auto report = [what, actions, next, why](Result<void> removed) {
                        actions->append(
                            removed
                                ? KeystoreCheckerText::tr("%1: removed from the keychain (%2)").arg(what, why)
                                : KeystoreCheckerText::tr("%1: could not be removed: %2").arg(what, removed.message()));
                        next();
                    };
                    if (packed)
                        guard->removeFromPack(finding.entry.mid(packPrefix.size()), finding.keyId, context, report);
                    else
                        guard->keychain().remove(finding.entry, context, report);
                };
                if (options.removeOrphans) {
                    remove(KeystoreCheckerText::tr("as asked"));
                    return;
                }
                if (finding.entry.startsWith(packPrefix) && !packed) {
                    remove(KeystoreCheckerText::tr("an unreadable pack, nothing to adopt: %1").arg(finding.detail));
                    return;
                }
                guard->keychain().read(
                    finding.entry, context, [guard, finding, packed, actions, next, remove](Result<SecretBytes> entry) {
                        if (!guard)
                            return;
                        const Result<SecretBytes> secret
                            = packed && entry ? secretPackMember(*entry, finding.keyId) : std::move(entry);
                        if (!secret) {
                            actions->append(KeystoreCheckerText::tr("%1: could not be read: %2")
                                                .arg(finding.entry, secret.message()));
                            next();
                            return;
                        }
                        auto key = keyFromOrphan(*secret);
                        if (!key) {
                            remove(KeystoreCheckerText::tr("%1: nothing to adopt").arg(key.message()));
                            return;
                        }
                        NewKeyOptions adopt;
                        adopt.keySet = QStringLiteral("recovered");
                        adopt.name = KeystoreCheckerText::tr("recovered %1").arg(finding.keyId.left(8));
                        adopt.source = KeystoreCheckerText::tr("adopted from the keychain by keys check --repair");
                        auto prepared = guard->prepare(*key, adopt);
                        if (!prepared) {
                            actions->append(
                                KeystoreCheckerText::tr("%1: cannot be adopted (%2); --remove-orphans removes it")
                                    .arg(finding.entry, prepared.message()));
                            next();
                            return;
                        }
                        KeyRecord record = std::move(prepared).value();
                        // The entry keeps its name in the keychain: the record takes the orphan's id (and its pack).
                        record.id = finding.keyId;
                        record.status = KeyStatus::VerifyOnly;
                        if (packed)
                            record.secretPack = finding.entry.mid(packPrefix.size());
                        auto committed = guard->commit([record](KeyIndexDocument& document) -> Result<void> {
                            for (const KeyRecord& other : document.records) {
                                if (other.id == record.id)
                                    return Error{ErrorCode::KeyAmbiguous,
                                                 KeystoreCheckerText::tr("an index entry has that id now")};
                            }
                            document.records.push_back(record);
                            return {};
                        });
                        actions->append(committed ? KeystoreCheckerText::tr("%1: adopted as \"%2\" (%3, set recovered, "
                                                                            "verify-only, kid %4)")
                                                        .arg(finding.entry, record.name, record.description, record.kid)
                                                  : KeystoreCheckerText::tr("%1: not adopted: %2")
                                                        .arg(finding.entry, committed.message()));
                        next();
                    });
            });
            break;
        case KeystoreFinding::Kind::InterruptedDelete:
            steps->push_back([guard, context, finding, actions](std::function<void()> next) {
                if (!guard)
                    return;
                auto finish = [guard, finding, actions, next](Result<void> removed) {
                    if (!guard)
                        return;
                    if (!removed) {
                        actions->append(KeystoreCheckerText::tr("%1: the delete could not be finished: %2")
                                            .arg(finding.entry, removed.message()));
                        next();
                        return;
                    }
                    auto erased = guard->commit([id = finding.keyId](KeyIndexDocument& document) -> Result<void> {
                        std::erase_if(document.records, [&](const KeyRecord& other) { return other.id == id; });
                        return {};
                    });
                    actions->append(erased ? KeystoreCheckerText::tr("%1: delete finished").arg(finding.entry)
                                           : KeystoreCheckerText::tr("%1: %2").arg(finding.entry, erased.message()));
                    next();
                };
                if (finding.entry.startsWith(packPrefix))
                    guard->removeFromPack(finding.entry.mid(packPrefix.size()), finding.keyId, context, finish);
                else
                    guard->keychain().remove(finding.entry, context, finish);
            });
            break;
        case KeystoreFinding::Kind::MissingSecret:
            steps->push_back([guard, finding, actions](std::function<void()> next) {
                if (!guard)
                    return;
                bool keptPublic = false;
                auto committed = guard->commit([&](KeyIndexDocument& document) -> Result<void> {
                    auto found = std::find_if(document.records.begin(), document.records.end(),
                                              [&](const KeyRecord& other) { return other.id == finding.keyId; });
                    if (found == document.records.end())
                        return {};
                    if (found->publicJwk.isEmpty()) {
                        document.records.erase(found);
                        return {};
                    }
                    // Tokens it signed still verify with its public half; it can no longer sign.
                    found->hasSecret = false;
                    if (found->status == KeyStatus::Active)
                        found->status = KeyStatus::VerifyOnly;
                    found->description = found->description.replace(QLatin1String("private"), QLatin1String("public"));
                    keptPublic = true;
                    return {};
                });
                actions->append(!committed ? KeystoreCheckerText::tr("%1: %2").arg(finding.entry, committed.message())
                                    : keptPublic
                                    ? KeystoreCheckerText::tr("key \"%1\": kept as a public verify-only key (its "
                                                              "private part is gone)")
                                          .arg(finding.keyName)
                                    : KeystoreCheckerText::tr("key \"%1\": index entry removed (its secret is gone)")
                                          .arg(finding.keyName));
                next();
            });
            break;
        case KeystoreFinding::Kind::UnreadableSecret:
            actions->append(KeystoreCheckerText::tr("key \"%1\": left as it is (inspect %2 with secret-tool)")
                                .arg(finding.keyName, finding.entry));
            break;
        }
    }
    runSteps(steps, 0, [actions, done] { done(*actions); });
}

} // namespace jwti

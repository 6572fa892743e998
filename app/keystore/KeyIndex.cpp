#include "keystore/KeyIndex.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLockFile>
#include <QSaveFile>
#include <QSet>
#include <QStandardPaths>

namespace jwti {

// Q_DECLARE_TR_FUNCTIONS gives lupdate and translate() the same context, "KeyIndex", for the messages here.
struct KeyIndexText
{
    Q_DECLARE_TR_FUNCTIONS(KeyIndex)
};

namespace {

constexpr qint64 maxIndexBytes = 16 * 1024 * 1024;
// A writer holds the lock for one read and one write of the file: milliseconds. A lock older than this belongs to
// a process that hung or died on another host (QLockFile finds a dead local holder by its pid at once).
constexpr int staleLockMs = 30000;
constexpr int lockWaitMs = 20000;

Error damaged(const QString& path, const QString& where, const QString& what)
{
    return Error{ErrorCode::Io,
                 KeyIndexText::tr("the key index %1 is damaged: %2%3; the file was not changed (jwt-inspector keys "
                                  "check --repair-index repairs it after keeping a backup)")
                     .arg(path, where.isEmpty() ? QString() : where + QStringLiteral(": "), what)};
}

struct ParsedRoot
{
    QJsonObject root;
    QJsonValue keys;
};

Result<QByteArray> readBytes(const QString& path, bool* exists)
{
    QFile file(path);
    *exists = file.exists();
    if (!*exists)
        return QByteArray();
    if (!file.open(QIODevice::ReadOnly))
        return Error{ErrorCode::Io, KeyIndexText::tr("cannot read the key index %1: %2").arg(path, file.errorString())};
    if (file.size() > maxIndexBytes)
        return Error{ErrorCode::Io, KeyIndexText::tr("the key index %1 is larger than 16 MiB").arg(path)};
    return file.readAll();
}

Result<ParsedRoot> parseRoot(const QString& path, const QByteArray& bytes)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return damaged(
            path, {},
            KeyIndexText::tr("not valid JSON (offset %1: %2)").arg(parseError.offset).arg(parseError.errorString()));
    }
    if (!document.isObject())
        return damaged(path, {}, KeyIndexText::tr("its root is not a JSON object"));
    ParsedRoot parsed;
    parsed.root = document.object();
    const QJsonValue schema = parsed.root.value(QStringLiteral("schema"));
    if (schema.isUndefined())
        return damaged(path, {}, KeyIndexText::tr("\"schema\" is missing"));
    const double number = schema.toDouble(-1);
    if (!schema.isDouble() || number != double(qint64(number)) || number < 1)
        return damaged(path, {}, KeyIndexText::tr("\"schema\" must be a whole number from 1"));
    if (qint64(number) > KeyIndex::SchemaVersion) {
        return Error{ErrorCode::Io,
                     KeyIndexText::tr("the key index %1 was written by a newer JWT Inspector (schema %2; this one "
                                      "reads %3); the file was not changed")
                         .arg(path)
                         .arg(qint64(number))
                         .arg(KeyIndex::SchemaVersion)};
    }
    parsed.keys = parsed.root.value(QStringLiteral("keys"));
    return parsed;
}

} // namespace

// The window and the command line must share one index. AppDataLocation would differ between them: the window sets
// an organization name (for its settings file), which puts AppDataLocation one folder deeper.
QString KeyIndex::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
        + QStringLiteral("/jwt-inspector/keys.json");
}

Result<void> KeyIndex::validate(const std::vector<KeyRecord>& records)
{
    QSet<QString> ids;
    QHash<QString, QString> activeBySet;
    for (std::size_t i = 0; i < records.size(); ++i) {
        const KeyRecord& record = records[i];
        const QString where = QStringLiteral("keys[%1]").arg(i);
        if (ids.contains(record.id))
            return Error{ErrorCode::Io, KeyIndexText::tr("%1: the id %2 is used twice").arg(where, record.id)};
        ids.insert(record.id);
        if (record.status == KeyStatus::Active) {
            if (activeBySet.contains(record.keySet)) {
                return Error{ErrorCode::Io,
                             KeyIndexText::tr("%1: key set \"%2\" has a second active key (%3 and %4)")
                                 .arg(where, record.keySet, activeBySet.value(record.keySet), record.id)};
            }
            activeBySet.insert(record.keySet, record.id);
        }
    }
    return {};
}

Result<KeyIndexDocument> KeyIndex::readDocument(const QString& path)
{
    bool exists = false;
    auto bytes = readBytes(path, &exists);
    if (!bytes)
        return bytes.error();
    if (!exists)
        return KeyIndexDocument{};
    auto parsed = parseRoot(path, *bytes);
    if (!parsed)
        return parsed.error();
    if (!parsed->keys.isArray()) {
        return damaged(path, {},
                       parsed->keys.isUndefined() ? KeyIndexText::tr("\"keys\" is missing")
                                                  : KeyIndexText::tr("\"keys\" must be an array"));
    }
    KeyIndexDocument document;
    const QJsonArray keys = parsed->keys.toArray();
    for (qsizetype i = 0; i < keys.size(); ++i) {
        const QString where = QStringLiteral("keys[%1]").arg(i);
        if (!keys.at(i).isObject())
            return damaged(path, where, KeyIndexText::tr("a key entry must be an object"));
        auto record = KeyRecord::fromJson(keys.at(i).toObject());
        if (!record)
            return damaged(path, where, record.message());
        document.records.push_back(std::move(record).value());
    }
    if (auto valid = validate(document.records); !valid)
        return damaged(path, {}, valid.message());
    for (auto it = parsed->root.begin(); it != parsed->root.end(); ++it) {
        if (it.key() != QLatin1String("schema") && it.key() != QLatin1String("keys"))
            document.unknownMembers.insert(it.key(), it.value());
    }
    return document;
}

Result<std::vector<KeyRecord>> KeyIndex::read(const QString& path)
{
    auto document = readDocument(path);
    if (!document)
        return document.error();
    return std::move(document->records);
}

Result<void> KeyIndex::write(const QString& path, const KeyIndexDocument& document)
{
    QJsonArray keys;
    for (const KeyRecord& record : document.records)
        keys.append(record.toJson());
    QJsonObject root = document.unknownMembers;
    root[QStringLiteral("schema")] = SchemaVersion;
    root[QStringLiteral("keys")] = keys;

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        return Result<void>::failure(
            ErrorCode::Io, KeyIndexText::tr("cannot write the key index %1: %2").arg(path, file.errorString()));
    }
    file.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    file.write(QJsonDocument(root).toJson(QJsonDocument::Indented));
    if (!file.commit()) {
        return Result<void>::failure(
            ErrorCode::Io, KeyIndexText::tr("cannot write the key index %1: %2").arg(path, file.errorString()));
    }
    return {};
}

namespace {

Result<void> makeFolder(const QString& path)
{
    const QDir folder = QFileInfo(path).absoluteDir();
    if (folder.exists())
        return {};
    if (!QDir().mkpath(folder.path()))
        return Error{ErrorCode::Io, KeyIndexText::tr("cannot create the folder %1").arg(folder.path())};
    QFile::setPermissions(folder.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    return {};
}

Result<void> takeLock(QLockFile& lock, const QString& path)
{
    lock.setStaleLockTime(staleLockMs);
    if (lock.tryLock(lockWaitMs))
        return {};
    switch (lock.error()) {
    case QLockFile::LockFailedError:
        return Error{ErrorCode::Io,
                     KeyIndexText::tr("the key index %1 stayed locked by another JWT Inspector for %2 s")
                         .arg(path)
                         .arg(lockWaitMs / 1000)};
    case QLockFile::PermissionError:
        return Error{ErrorCode::Io,
                     KeyIndexText::tr("cannot lock the key index %1: the folder is not writable").arg(path)};
    default:
        return Error{ErrorCode::Io, KeyIndexText::tr("cannot lock the key index %1").arg(path)};
    }
}

} // namespace

Result<void> KeyIndex::checkWritable(const QString& path)
{
    if (auto made = makeFolder(path); !made)
        return made;
    QLockFile lock(lockPath(path));
    if (auto locked = takeLock(lock, path); !locked)
        return locked;
    auto document = readDocument(path);
    if (!document)
        return document.error();
    const QFileInfo info(path);
    if (!QFileInfo(info.absolutePath()).isWritable())
        return Error{ErrorCode::Io,
                     KeyIndexText::tr("cannot write the key index %1: the folder is read-only").arg(path)};
    return {};
}

Result<KeyIndexDocument> KeyIndex::transact(const QString& path, const Change& change)
{
    if (auto made = makeFolder(path); !made)
        return made.error();
    QLockFile lock(lockPath(path));
    if (auto locked = takeLock(lock, path); !locked)
        return locked.error();
    auto document = readDocument(path);
    if (!document)
        return document.error();
    KeyIndexDocument changed = std::move(document).value();
    if (auto applied = change(changed); !applied)
        return applied.error();
    if (auto valid = validate(changed.records); !valid)
        return Error{ErrorCode::Io,
                     KeyIndexText::tr("the change was refused and the key index %1 was not changed: %2")
                         .arg(path, valid.message())};
    if (auto written = write(path, changed); !written)
        return written.error();
    return changed;
}

Result<KeyIndex::RepairReport> KeyIndex::repair(const QString& path)
{
    if (auto made = makeFolder(path); !made)
        return made.error();
    QLockFile lock(lockPath(path));
    if (auto locked = takeLock(lock, path); !locked)
        return locked.error();
    bool exists = false;
    auto bytes = readBytes(path, &exists);
    if (!bytes)
        return bytes.error();
    RepairReport report;
    if (!exists) {
        report.actions << KeyIndexText::tr("there is no key index: nothing to repair");
        return report;
    }
    if (readDocument(path)) {
        report.actions << KeyIndexText::tr("the key index is not damaged: nothing was changed");
        report.kept = int(readDocument(path)->records.size());
        return report;
    }
    // The backup first: whatever the repair drops stays readable there.
    report.backupPath = path + QStringLiteral(".damaged-")
        + QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss-zzz"));
    {
        QFile backup(report.backupPath);
        if (!backup.open(QIODevice::WriteOnly | QIODevice::NewOnly, QFile::ReadOwner | QFile::WriteOwner)
            || backup.write(*bytes) != bytes->size() || !backup.flush()) {
            return Error{ErrorCode::Io,
                         KeyIndexText::tr("cannot write the backup %1: %2; the key index was not changed")
                             .arg(report.backupPath, backup.errorString())};
        }
    }
    KeyIndexDocument document;
    QJsonDocument parsedDocument = QJsonDocument::fromJson(*bytes);
    QJsonValue keys;
    if (parsedDocument.isObject()) {
        const QJsonObject root = parsedDocument.object();
        keys = root.value(QStringLiteral("keys"));
        for (auto it = root.begin(); it != root.end(); ++it) {
            if (it.key() != QLatin1String("schema") && it.key() != QLatin1String("keys"))
                document.unknownMembers.insert(it.key(), it.value());
        }
    } else if (parsedDocument.isArray()) {
        keys = parsedDocument.array();
    } else {
        report.actions << KeyIndexText::tr("the file is not JSON: no entry could be kept");
    }
    // "keys" as an object of entries ({"0": {...}}) is read as the list of its values.
    QJsonArray entries;
    if (keys.isArray()) {
        entries = keys.toArray();
    } else if (keys.isObject()) {
        const QJsonObject object = keys.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            entries.append(it.value());
        report.actions << KeyIndexText::tr("\"keys\" was an object: its members were read as the entries");
    } else if (!keys.isUndefined()) {
        report.actions << KeyIndexText::tr("\"keys\" was not a list of entries: no entry could be kept");
    }
    QSet<QString> ids;
    QSet<QString> activeSets;
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const QString where = QStringLiteral("keys[%1]").arg(i);
        QJsonObject entry = entries.at(i).toObject();
        for (const char* member : {"hasSecret", "remote", "deleting"}) {
            const QJsonValue value = entry.value(QLatin1String(member));
            if (value.isString()
                && (value.toString() == QLatin1String("true") || value.toString() == QLatin1String("false"))) {
                entry[QLatin1String(member)] = value.toString() == QLatin1String("true");
                report.actions << KeyIndexText::tr("%1: \"%2\" was the string \"%3\": made a boolean")
                                      .arg(where, QLatin1String(member), value.toString());
            }
        }
        auto record = KeyRecord::fromJson(entry);
        if (!record) {
            report.actions << KeyIndexText::tr("%1: dropped (%2)").arg(where, record.message());
            continue;
        }
        if (ids.contains(record->id)) {
            report.actions << KeyIndexText::tr("%1: dropped (the id %2 was already used by an earlier entry)")
                                  .arg(where, record->id);
            continue;
        }
        ids.insert(record->id);
        if (record->status == KeyStatus::Active) {
            if (activeSets.contains(record->keySet)) {
                record->status = KeyStatus::VerifyOnly;
                report.actions << KeyIndexText::tr("%1: a second active key of set \"%2\": made verify-only")
                                      .arg(where, record->keySet);
            }
            activeSets.insert(record->keySet);
        }
        document.records.push_back(std::move(record).value());
    }
    report.kept = int(document.records.size());
    if (auto written = write(path, document); !written)
        return written.error();
    return report;
}

} // namespace jwti

#include "KeyIndex.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QStandardPaths>

namespace jwti {

// Q_DECLARE_TR_FUNCTIONS gives lupdate and translate() the same context, "KeyIndex", for the messages here.
struct KeyIndexText
{
    Q_DECLARE_TR_FUNCTIONS(KeyIndex)
};

namespace {

constexpr qint64 maxIndexBytes = 16 * 1024 * 1024;

} // namespace

// The window and the command line must share one index. AppDataLocation would differ between them: the window sets
// an organization name (for its settings file), which puts AppDataLocation one folder deeper.
QString KeyIndex::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
        + QStringLiteral("/jwt-inspector/keys.json");
}

Result<std::vector<KeyRecord>> KeyIndex::read(const QString& path)
{
    using R = Result<std::vector<KeyRecord>>;
    QFile file(path);
    if (!file.exists())
        return std::vector<KeyRecord>{};
    if (!file.open(QIODevice::ReadOnly))
        return R::failure(ErrorCode::Io,
                          KeyIndexText::tr("cannot read the key index %1: %2").arg(path, file.errorString()));
    if (file.size() > maxIndexBytes)
        return R::failure(ErrorCode::Io, KeyIndexText::tr("the key index %1 is larger than 16 MiB").arg(path));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        return R::failure(ErrorCode::Io,
                          KeyIndexText::tr("the key index %1 is not valid JSON (offset %2: %3)")
                              .arg(path)
                              .arg(parseError.offset)
                              .arg(parseError.errorString()));
    }
    const QJsonObject root = document.object();
    const qint64 schema = root.value(QStringLiteral("schema")).toInteger(-1);
    if (schema < 1)
        return R::failure(ErrorCode::Io, KeyIndexText::tr("the key index %1 has no schema version").arg(path));
    if (schema > SchemaVersion) {
        return R::failure(ErrorCode::Io,
                          KeyIndexText::tr("the key index %1 was written by a newer JWT Inspector (schema %2; this one "
                                           "reads %3)")
                              .arg(path)
                              .arg(schema)
                              .arg(SchemaVersion));
    }
    std::vector<KeyRecord> records;
    const QJsonArray keys = root.value(QStringLiteral("keys")).toArray();
    for (const QJsonValue& entry : keys) {
        auto record = KeyRecord::fromJson(entry.toObject());
        if (!record)
            return R::failure(ErrorCode::Io, KeyIndexText::tr("the key index %1: %2").arg(path, record.message()));
        records.push_back(std::move(record).value());
    }
    return records;
}

Result<void> KeyIndex::write(const QString& path, const std::vector<KeyRecord>& records)
{
    const QFileInfo info(path);
    QDir folder = info.absoluteDir();
    if (!folder.exists()) {
        if (!folder.mkpath(QStringLiteral(".")))
            return Result<void>::failure(ErrorCode::Io,
                                         KeyIndexText::tr("cannot create the folder %1").arg(folder.path()));
        QFile::setPermissions(folder.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    }
    QJsonArray keys;
    for (const KeyRecord& record : records)
        keys.append(record.toJson());
    QJsonObject root;
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

} // namespace jwti
